/**
 * One verdict rule for every reconciliation row (src/reconcile/verdict.ts):
 * the gradient-flow rows (reconcile.ts) and the one-pass SGD rows (sgd.ts)
 * go through the same function, so at (a, b) = (2.26, 1.25), 0.01 from the
 * boundary a - 1 = b (= a = b + 1 for SGD), both call the compute-optimal
 * disagreement 'boundary' when its local slopes drift toward the closed form
 * at the logarithmic rate, and both keep a wrong closed form a DISAGREE.
 */
import { describe, expect, it } from 'vitest';
import { nearestSgdBoundary } from '../../src/reconcile/boundary.js';
import { fitExponent, logGrid } from '../../src/reconcile/fit.js';
import { reconcileCase } from '../../src/reconcile/reconcile.js';
import { reconcileSgdCase } from '../../src/reconcile/sgd.js';
import { verdictOf } from '../../src/reconcile/verdict.js';

const COMPUTE = ['compute_optimal_N', 'compute_optimal_t', 'compute_optimal_loss'] as const;

describe('verdictOf: the rule', () => {
  // L ~ C^-0.6 log C: the local slope is -0.6 + 1/ln C, drifting toward -0.6 like 1/log C.
  const x = logGrid(1e4, 1e13, 73);
  const fit = fitExponent(x, Array.from(x, (c) => c ** -0.6 * Math.log(c)), { slopeTolerance: 0.01, minDecades: 1.5, minPoints: 6 });

  it('agree within the tolerance, no_fit without a fit, no_closed_form without a closed form', () => {
    expect(fit.status).toBe('converged');
    expect(verdictOf({ a: 2.6, b: 1.3, closed: fit.exponent + 0.01, fit, tolerance: 0.02 }).verdict).toBe('agree');
    expect(verdictOf({ a: 2.6, b: 1.3, closed: -0.6, fit: undefined, tolerance: 0.02 }).verdict).toBe('no_fit');
    expect(verdictOf({ a: 2.6, b: 1.3, closed: null, fit, tolerance: 0.02 }).verdict).toBe('no_closed_form');
  });

  it('near the SGD boundary a = 2b (not a gradient-flow boundary) the SGD boundaries decide', () => {
    // (2.6, 1.3): a = 2b exactly for SGD; 0.3 from a - 1 = b and 1 from a - 1 = 2b for gradient flow.
    expect(nearestSgdBoundary(2.6, 1.3)).toEqual({ boundary: 'a = 2b', delta: 0 });
    const sgd = verdictOf({ a: 2.6, b: 1.3, closed: -0.6, fit, tolerance: 0.02, nearest: nearestSgdBoundary(2.6, 1.3) });
    expect(sgd.verdict).toBe('boundary');
    expect(sgd.note).toMatch(/near the boundary a = 2b, the fit window has not reached the asymptote/);
    expect(verdictOf({ a: 2.6, b: 1.3, closed: -0.6, fit, tolerance: 0.02 }).verdict).toBe('disagree');
    // A closed form the drift does not explain stays a disagreement.
    expect(verdictOf({ a: 2.6, b: 1.3, closed: -0.7, fit, tolerance: 0.02, nearest: nearestSgdBoundary(2.6, 1.3) }).verdict).toBe('disagree');
  });
});

describe('both paths at (a, b) = (2.26, 1.25): gradient-flow reconcile and SGD reconcile give the same verdict', () => {
  it('gradient flow (reconcileCase): boundary, with the drift in the note', () => {
    const rows = reconcileCase({ a: 2.26, b: 1.25 }, { laws: [...COMPUTE], figures: false }).rows;
    for (const row of rows) {
      expect(Math.abs(row.difference!)).toBeGreaterThan(row.tolerance);
      expect(row.verdict).toBe('boundary');
    }
  });

  it('one-pass SGD, eta = 0.3, B = 4 (reconcileSgdCase): boundary for the SGD rows and the gradient-flow rows beside them', () => {
    const result = reconcileSgdCase({ a: 2.26, b: 1.25, lr: 0.3, batch: 4 });
    for (const row of [...result.rows, ...result.gradientFlowRows]) {
      expect(Math.abs(row.difference!)).toBeGreaterThan(row.tolerance);
      expect(row.verdict).toBe('boundary');
      expect(row.note).toMatch(/near the boundary (a = b \+ 1|a - 1 = b), the fit window has not reached the asymptote/);
    }
  });
});

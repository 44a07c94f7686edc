/**
 * THEORY (E29): the SGD phase map and compute-optimal closed forms used by
 * the SGD reconciliation, checked against an independent derivation: the
 * E29 term model (time, width floor, cross and noise terms) minimised over N
 * numerically at astronomically large C, exponents read off by finite
 * differences, and against the symbolic layer's SGD and gradient-flow
 * exponent tables (the authority the reconciliation rows use).
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/core/errors.js';
import { distanceToSgdBoundary, gradientFlowComputeOptimalN, sgdComputeOptimalLaws, sgdPhase } from '../../src/reconcile/sgd-laws.js';
import { exponentTable, sgdPhaseOf } from '../../src/symbolic/index.js';

/**
 * The terms of THEORY (E29) at C = N t (B = 1, unit prefactors): time
 * t^-(a-1)/b, width floor N^-min(a-1, b), cross N^-1 t^-(1-1/b) (a - 1 > b)
 * and, for SGD, noise t^-(2-1/b). Minimised over log N by golden section.
 */
function termModelOptimum(a: number, b: number, logC: number, sgd: boolean): { logN: number; logL: number } {
  const logLoss = (logN: number) => {
    const logT = logC - logN;
    const terms = [-((a - 1) / b) * logT, -Math.min(a - 1, b) * logN];
    if (a - 1 > b) terms.push(-logN - (1 - 1 / b) * logT);
    if (sgd) terms.push(-(2 - 1 / b) * logT);
    const m = Math.max(...terms);
    return m + Math.log(terms.reduce((s, x) => s + Math.exp(x - m), 0));
  };
  let lo = 0;
  let hi = logC;
  const g = (Math.sqrt(5) - 1) / 2;
  for (let k = 0; k < 200; k++) {
    const x1 = hi - g * (hi - lo);
    const x2 = lo + g * (hi - lo);
    if (logLoss(x1) < logLoss(x2)) hi = x2;
    else lo = x1;
  }
  const logN = (lo + hi) / 2;
  return { logN, logL: logLoss(logN) };
}

/** Exponents of N* and L* between C = e^400 and e^500 (corrections decay like C^-0.05 at worst: below 1e-3 there). */
function termModelExponents(a: number, b: number, sgd: boolean) {
  const [x1, x2] = [400, 500];
  const p = termModelOptimum(a, b, x1, sgd);
  const q = termModelOptimum(a, b, x2, sgd);
  return { N: (q.logN - p.logN) / (x2 - x1), L: (q.logL - p.logL) / (x2 - x1) };
}

describe('SGD phases (E29, b > 1)', () => {
  it.each([
    [2, 1.5, 'Ia'],
    [1.2, 2.5, 'Ia'],
    [3.5, 2, 'II'],
    [4.5, 2.5, 'II'],
    [5, 1.5, 'III'],
    [4, 1.5, 'III'],
    [2.5, 1.5, 'boundary Ia/II'],
    [4, 2, 'boundary II/III'],
  ] as const)('(a, b) = (%s, %s) is %s', (a, b, phase) => {
    expect(sgdPhase(a, b)).toBe(phase);
    expect(sgdComputeOptimalLaws(a, b).phase).toBe(phase);
  });

  it('the three measured cases lie at least 0.5 from a boundary', () => {
    expect(distanceToSgdBoundary(2, 1.5)).toBe(0.5);
    expect(distanceToSgdBoundary(3.5, 2)).toBe(0.5);
    expect(distanceToSgdBoundary(5, 1.5)).toBe(2);
  });

  it('exponents are continuous across both boundaries and t* = 1 - N*', () => {
    for (const b of [1.25, 1.5, 2, 3]) {
      for (const boundary of [b + 1, 2 * b]) {
        if (boundary <= 1) continue;
        const below = sgdComputeOptimalLaws(boundary - 1e-9, b).laws;
        const above = sgdComputeOptimalLaws(boundary + 1e-9, b).laws;
        for (const id of ['compute_optimal_N', 'compute_optimal_t', 'compute_optimal_loss'] as const) {
          expect(Math.abs(below[id].exponent - above[id].exponent)).toBeLessThan(1e-8);
        }
      }
    }
    for (const [a, b] of [[2, 1.5], [3.5, 2], [5, 1.5]]) {
      const laws = sgdComputeOptimalLaws(a, b).laws;
      expect(laws.compute_optimal_t.exponent).toBeCloseTo(1 - laws.compute_optimal_N.exponent, 14);
    }
  });

  it.each([
    [2, 1.5],
    [1.5, 1.25],
    [2.2, 2.5],
    [3.5, 2],
    [3.2, 1.9],
    [5.5, 3],
    [5, 1.5],
    [4.5, 2],
    [7, 2.5],
  ])('(a, b) = (%s, %s): the closed forms equal the E29 term model minimised numerically (within 1e-3)', (a, b) => {
    const model = termModelExponents(a, b, true);
    const laws = sgdComputeOptimalLaws(a, b).laws;
    expect(Math.abs(model.N - laws.compute_optimal_N.exponent)).toBeLessThan(1e-3);
    expect(Math.abs(model.L - laws.compute_optimal_loss.exponent)).toBeLessThan(1e-3);
  });

  it('negative control: without the noise term the model at a > 2b gives (a-b)/a, not 1/2', () => {
    const gf = termModelExponents(5, 1.5, false);
    expect(Math.abs(gf.N - 0.7)).toBeLessThan(1e-3);
    expect(Math.abs(gf.N - sgdComputeOptimalLaws(5, 1.5).laws.compute_optimal_N.exponent)).toBeGreaterThan(0.1);
  });

  it('rejects b <= 1 and a <= 1 naming the argument', () => {
    expect(() => sgdPhase(2, 1)).toThrow(InvalidArgumentError);
    expect(() => sgdPhase(2, 1)).toThrow(/b/);
    expect(() => sgdComputeOptimalLaws(1, 1.5)).toThrow(/a/);
    expect(() => sgdPhase(Number.NaN, 1.5)).toThrow(InvalidArgumentError);
  });
});

describe('the transcription equals the symbolic layer (exponentTable with SGD dynamics, sgdPhaseOf)', () => {
  it.each([
    [2, 1.5],
    [1.5, 1.25],
    [2.2, 2.5],
    [3.5, 2],
    [3.2, 1.9],
    [5.5, 3],
    [5, 1.5],
    [4.5, 2],
    [7, 2.5],
    [2.5, 1.5],
    [4, 2],
  ])('(a, b) = (%s, %s)', (a, b) => {
    const table = exponentTable(a, b, { dynamics: { kind: 'sgd', lr: 0.5, batch: 4 } });
    const mine = sgdComputeOptimalLaws(a, b);
    expect(sgdPhaseOf(a, b).startsWith(mine.phase)).toBe(true);
    expect(table.phase.startsWith(mine.phase)).toBe(true);
    for (const id of ['compute_optimal_N', 'compute_optimal_t', 'compute_optimal_loss'] as const) {
      const law = table.laws.find((entry) => entry.id === id);
      // On a = b + 1 the symbolic layer declines (the width law's logarithm); on a = 2b it gives the common
      // limit of both sides (no logarithm); the transcription continues the exponents on both.
      if (mine.phase === 'boundary Ia/II') expect(law?.exponent ?? null).toBeNull();
      else expect(law?.exponent as number).toBeCloseTo(mine.laws[id].exponent, 12);
    }
  });
});

describe('gradient-flow N* exponent for the phase diagram (E21)', () => {
  it.each([
    [2, 1.5],
    [3.5, 2],
    [5, 1.5],
    [6, 2],
  ])('(a, b) = (%s, %s) equals the symbolic layer and the term model without noise', (a, b) => {
    const law = exponentTable(a, b).laws.find((entry) => entry.id === 'compute_optimal_N');
    expect(typeof law?.exponent).toBe('number');
    expect(gradientFlowComputeOptimalN(a, b).exponent).toBeCloseTo(law?.exponent as number, 12);
    expect(Math.abs(termModelExponents(a, b, false).N - gradientFlowComputeOptimalN(a, b).exponent)).toBeLessThan(1e-3);
  });
});

/**
 * Every status code the numeric layer can return (STYLE 2, after SciPy's
 * tests of its result objects), the error estimates against a refined
 * reference, and every inversion-method pair on the closed-form problem.
 */
import { describe, expect, it } from 'vitest';
import { powerLawSpectrum } from '../../src/spectrum/index.js';
import { methodPass } from '../../src/numeric/curve.js';
import { makePlan, type InversionPlan, type InversionMethodName } from '../../src/numeric/inversion/index.js';
import { numericContext, solveCurve, solveKappa } from '../../src/numeric/index.js';
import { expectConverged } from './helpers.js';

const spectrum = powerLawSpectrum({ a: 1.5, b: 1.25 });
const problem = { spectrum, N: 256, P: 1024, sigma: 0.3, t: [0.1, 10, 1e3] };

describe('status codes', () => {
  it("'converged' by default", () => {
    expect(solveCurve(problem).status).toBe('converged');
  });

  it("'unverified' when the method spread exceeds the tolerance (relTol = absTol = 0)", () => {
    const sol = solveCurve(problem, { relTol: 0, absTol: 0 });
    expect(sol.status).toBe('unverified');
  });

  it("'unverified' when the mode-sum tail cannot be resolved (b = 1.01, M = inf: sum k^-b truncated at k = e^700)", () => {
    const sol = solveCurve({ ...problem, spectrum: powerLawSpectrum({ a: 1.5, b: 1.01 }) });
    expect(sol.status).toBe('unverified');
    expect(sol.diagnostics.tailErrorEstimate).toBeGreaterThan(1e-4);
    expect(sol.message).toMatch(/tail error estimate/);
  });

  it("'max_iter' when the kappa continuation runs out of Newton iterations", () => {
    const sol = solveCurve(problem, { kappa: { continuationNewtonIterations: 1, continuationMaxDepth: 0 } });
    expect(sol.status).toBe('max_iter');
    const k = solveKappa({ spectrum, N: 100, P: 100 }, 0.5, { kappa: { maxIterations: 1 } });
    expect(k.status).toBe('max_iter');
  });

  it("'non_finite' at t = infinity when N = P (double descent)", () => {
    const sol = solveCurve({ ...problem, N: 300, P: 300, t: [1, Infinity] });
    expect(sol.statusPerTime).toEqual(['converged', 'non_finite']);
    expect(sol.test[1]).toBe(Infinity);
  });

  it("'singularity_right_of_contour' when a contour crosses the real axis left of the pole at s = 0", () => {
    const tPos = Float64Array.from([1, 2, 5]);
    const good = makePlan('parabolic', tPos);
    // The same nodes translated left past s = 0: the pole at 0 (kappa_c > 0) is right of this contour.
    const shiftBy = -2 * Number(good.settings.muT0);
    const bad: InversionPlan = {
      ...good,
      settings: { ...good.settings, shift: shiftBy },
      groups: good.groups.map((g) => ({ ...g, re: g.re.map((x) => x + shiftBy) })),
    };
    const ctx = numericContext(problem, 5);
    const pass = methodPass(ctx, ctx.modes, tPos, { method: 'parabolic', sigma: 0, varianceTerm: true, plan: bad });
    expect(pass.statusPerTime).toEqual(['singularity_right_of_contour', 'singularity_right_of_contour', 'singularity_right_of_contour']);
    expect(pass.messages.join(' ')).toMatch(/left of the singularity at s = 0/);
    const ok = methodPass(ctx, ctx.modes, tPos, { method: 'parabolic', sigma: 0, varianceTerm: true, plan: good });
    expect(ok.statusPerTime.every((s) => s === 'converged')).toBe(true);
  });
});

describe('error estimates bound the error against a refined reference (finite N, P, sigma > 0)', () => {
  it.each([
    [256, 1024],
    [1024, 256],
    [64, Infinity],
    [Infinity, 128],
  ])('N = %s, P = %s', (N, P) => {
    const p = { spectrum: powerLawSpectrum({ a: 1.4, b: 1.6 }), N, P, sigma: 0.3, t: [1e-2, 0.7, 30, 2e3, 1e5] };
    const sol = solveCurve(p);
    const ref = solveCurve(p, { nodes: [48, 60], modes: { panelOrder: 12, exactHead: 400, panelWidthTimesB: 0.35 } });
    expectConverged(sol);
    for (const q of ['test', 'train', 'bias', 'testA'] as const) {
      for (let i = 0; i < p.t.length; i++) {
        expect(Math.abs(sol[q][i] - ref[q][i])).toBeLessThanOrEqual(sol.errorEstimate[q][i]);
        expect(sol.errorEstimate[q][i]).toBeLessThan(1e-6 * sol.test[0]);
      }
    }
  });
});

describe.each([
  ['hyperbolic', 'parabolic'],
  ['parabolic', 'hyperbolic'],
  ['hyperbolic', 'talbot'],
  ['talbot', 'parabolic'],
] as Array<[InversionMethodName, InversionMethodName]>)('methods %s + %s', (m1, m2) => {
  // Fixed Talbot with its default 20 nodes (inversion/defaults.ts) is the least accurate primary: 1e-9.
  const tol = m1 === 'talbot' ? 1e-9 : 1e-10;
  it(`N = P = inf: L(t) = sum c exp(-2 lambda t) (mpmath values, a = 1.5, b = 1.25) to ${tol}, within the error estimate`, () => {
    const ref = [
      [0.1, 2.3806738714480393],
      [10, 0.5353896509007094],
      [1e4, 0.033780865217396316],
    ];
    const sol = solveCurve({ spectrum, N: Infinity, P: Infinity, sigma: 0, t: ref.map((r) => r[0]) }, { methods: [m1, m2] });
    expect(sol.status).toBe('converged');
    ref.forEach(([, v], i) => {
      expect(Math.abs(sol.test[i] / v - 1)).toBeLessThan(tol);
      expect(Math.abs(sol.test[i] - v)).toBeLessThanOrEqual(sol.errorEstimate.test[i]);
    });
  });
  it('finite N, P: the two methods agree to 1e-9 of L(0)', () => {
    const sol = solveCurve({ spectrum, N: 128, P: 512, sigma: 0.2, t: [0.05, 5, 500] }, { methods: [m1, m2] });
    expect(sol.status).toBe('converged');
    expect(sol.diagnostics.methodSpread).toBeLessThan(1e-9);
  });
});

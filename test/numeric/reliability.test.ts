/**
 * Solver edge cases (THEORY E8, E13-E16b): extreme times, clustered and
 * degenerate spectra, small losses, values below their own error estimate,
 * coverage of the error estimates on cases with exact answers, and the
 * partial-fraction pair sums of (E15b) against the direct sums.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/core/errors.js';
import { customSpectrum, powerLawSpectrum } from '../../src/spectrum/index.js';
import { CURVE_TIME_RANGE, solveCurve } from '../../src/numeric/index.js';
import { verifiedStatus } from '../../src/numeric/inversion/index.js';

const fixtures = JSON.parse(readFileSync(new URL('../fixtures/numeric/reliability.json', import.meta.url), 'utf8')) as {
  smallLoss: { a: number; b: number; bias: Array<{ t: number; value: number }> };
};

describe('extreme times are refused with the limit named, never a hang or a silent NaN', () => {
  const problem = { spectrum: powerLawSpectrum({ a: 1.5, b: 1.25 }), N: 256, P: 1024, sigma: 0.1 };
  it.each([1e-155, 1e-120, 1e80, 1e155])('t = %s', (t) => {
    expect(() => solveCurve({ ...problem, t: [1, t] })).toThrow(InvalidArgumentError);
    expect(() => solveCurve({ ...problem, t: [1, t] })).toThrow(/^t\[1\] must be/);
  });
  it('the ends of the accepted range give finite values: L(0) at the short end, the plateau at the long end', () => {
    const sol = solveCurve({ ...problem, t: [0, CURVE_TIME_RANGE.min, CURVE_TIME_RANGE.max, Infinity] });
    expect(sol.quantityStatus.test).toEqual(['converged', 'converged', 'converged', 'converged']);
    expect(Math.abs(sol.test[1] - sol.test[0])).toBeLessThanOrEqual(sol.errorEstimate.test[1]);
    expect(Math.abs(sol.test[2] - sol.test[3])).toBeLessThanOrEqual(sol.errorEstimate.test[2] + sol.errorEstimate.test[3]);
  });
});

describe('clustered and degenerate spectra: the effective-ridge Newton stops at the attainable residual', () => {
  // Two plateaus of 50 repeated eigenvalues; N = M and P = M too. Without the attainable stopping
  // rule and the per-node budget this took 10-21 million iterations per time point.
  const lambda = [...Array<number>(50).fill(1), ...Array<number>(50).fill(1e-3)];
  const c = lambda.map(() => 0.01);
  it.each([
    [100, 200],
    [50, 200],
    [200, 100],
    [100, 100],
  ])('N = %s, P = %s: converged in a bounded number of iterations', (N, P) => {
    const sol = solveCurve({ spectrum: customSpectrum(lambda, c), N, P, sigma: 0.1, t: [1, 1e4, 1e6, 1e10] });
    expect(sol.quantityStatus.test.every((s) => s === 'converged')).toBe(true);
    expect(sol.iterations).toBeLessThan(20000);
  });
  it('power law with N = M = 500 and P = M', () => {
    for (const [N, P] of [[500, 1000], [1000, 500]]) {
      const sol = solveCurve({ spectrum: powerLawSpectrum({ a: 1.5, b: 1.25, M: 500 }), N, P, sigma: 0.1, t: [1, 1e4, 1e6] });
      expect(sol.quantityStatus.test.every((s) => s === 'converged')).toBe(true);
      expect(sol.iterations).toBeLessThan(20000);
    }
  });
});

describe('small losses keep their relative accuracy (N = P = infinity is a single positive sum, E14)', () => {
  const { a, b, bias } = fixtures.smallLoss;
  it(`(a, b) = (${a}, ${b}): B(t) down to 1e-45 to 1e-12 relative against mpmath, within the error estimate`, () => {
    const sol = solveCurve({ spectrum: powerLawSpectrum({ a, b }), N: Infinity, P: Infinity, sigma: 0, t: bias.map((r) => r.t) });
    expect(sol.status).toBe('converged');
    bias.forEach((r, i) => {
      for (const q of ['test', 'train', 'bias', 'testA'] as const) {
        expect(Math.abs(sol[q][i] / r.value - 1)).toBeLessThan(1e-12);
        expect(Math.abs(sol[q][i] - r.value)).toBeLessThanOrEqual(sol.errorEstimate[q][i]);
      }
    });
    // 8.614 t^-7.5 (E17) at t = 1e4
    expect(sol.test[2]).toBeCloseTo(8.614431047878507e-30, 40);
  });
});

describe("a loss below its error estimate is 'below_error_estimate', a negative loss is never 'converged'", () => {
  it('verifiedStatus', () => {
    expect(verifiedStatus(1e-20, 1e-15, 1e-9, true)).toBe('below_error_estimate');
    expect(verifiedStatus(-2e-13, 1e-12, 1e-9, true)).toBe('below_error_estimate');
    expect(verifiedStatus(-1e-6, 1e-12, 1e-9, true)).toBe('unverified');
    expect(verifiedStatus(0.5, 1e-12, 1e-9, true)).toBe('converged');
    expect(verifiedStatus(-0.5, 1e-12, 1e-9, false)).toBe('converged');
  });
  it('train loss of an interpolating fit (P < N) at late times: flagged, not printed as converged', () => {
    const sol = solveCurve({ spectrum: powerLawSpectrum({ a: 1.6, b: 1.4 }), N: 512, P: 128, sigma: 0, t: [1, 1e9, Infinity] });
    expect(sol.quantityStatus.train[0]).toBe('converged');
    expect(sol.quantityStatus.train[1]).toBe('below_error_estimate');
    expect(sol.statusPerTime[1]).toBe('below_error_estimate');
    expect(sol.quantityStatus.test[1]).toBe('converged');
    // t = infinity: exactly 0 by the closed form (R1(0) = 0), with error 0
    expect(sol.train[2]).toBe(0);
    for (let i = 0; i < 3; i++) if (sol.train[i] < 0) expect(sol.quantityStatus.train[i]).not.toBe('converged');
  });
});

describe('error estimates bound the true error on cases with exact answers (coverage)', () => {
  // A power law with M = 1e5 modes: the solver sums it by the compressed rule (E8, exact head +
  // quadrature tail, with tailErrorEstimate); the same 1e5 modes as a custom spectrum are summed
  // exactly. Everything else (kappa, contours) is the same, so the difference is the mode-sum error
  // the estimate must cover, including where the loss exceeds L(0) (a near 1, t = infinity).
  const M = 100000;
  it.each([
    [1.01, 1.5, 256, 1024, 0.3],
    [1.5, 1.25, 256, 1024, 0.3],
    [1.3, 2, 512, 256, 0],
  ])('a = %s, b = %s, N = %s, P = %s, sigma = %s', (a, b, N, P, sigma) => {
    const t = [1, 100, 1e4, Infinity];
    const quad = solveCurve({ spectrum: powerLawSpectrum({ a, b, M }), N, P, sigma, t });
    const lambda = Float64Array.from({ length: M }, (_, k) => Math.pow(k + 1, -b));
    const c = Float64Array.from({ length: M }, (_, k) => Math.pow(k + 1, -a));
    const exact = solveCurve({ spectrum: customSpectrum(Array.from(lambda), Array.from(c)), N, P, sigma, t });
    expect(quad.diagnostics.modesQuadrature).toBeGreaterThan(0);
    for (const q of ['test', 'train', 'bias', 'testA'] as const) {
      for (let i = 0; i < t.length; i++) {
        const err = Math.abs(quad[q][i] - exact[q][i]);
        expect(err).toBeLessThanOrEqual(quad.errorEstimate[q][i] + exact.errorEstimate[q][i]);
      }
    }
  });
});

describe('pair sums (E15b): partial fractions agree with the direct sums', () => {
  it.each([
    [256, 1024, Infinity],
    [1024, 256, 2000],
    [64, Infinity, Infinity],
    [Infinity, 128, Infinity],
  ])('N = %s, P = %s, M = %s', (N, P, M) => {
    const problem = { spectrum: powerLawSpectrum({ a: 1.4, b: 1.6, M }), N, P, sigma: 0.3, t: [1e-2, 0.7, 30, 2e3, 1e5] };
    const fast = solveCurve(problem);
    const direct = solveCurve(problem, { pairSums: 'direct' });
    expect(fast.settings.pairSums).toBe('partial-fractions');
    expect(fast.diagnostics.directPairs).toBeLessThan(0.25 * fast.diagnostics.pairs);
    for (const q of ['test', 'train', 'bias', 'testA'] as const) {
      for (let i = 0; i < problem.t.length; i++) {
        expect(Math.abs(fast[q][i] - direct[q][i])).toBeLessThan(1e-10 * fast.test[0]);
      }
    }
  });
});

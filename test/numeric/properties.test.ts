/**
 * Properties of the DMFT curves over random (a, b, N, P, sigma), with fixed
 * seeds (fast-check prints the seed and the counterexample on failure): finite, >= sigma^2, L(0) = sum c_k + sigma^2,
 * one-point quantities symmetric under N <-> P (E10, E14), monotone decay
 * when P = infinity and sigma = 0 (gradient flow on the population loss).
 */
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { propertyTest } from '../property-test.js';
import { powerLawSpectrum } from '../../src/spectrum/index.js';
import { solveCurve, transferFunctions } from '../../src/numeric/index.js';
import { expectConverged } from './helpers.js';

const T = [0, 1e-2, 0.1, 1, 10, 100, 1e3, 1e4, 1e5];
const size = fc.oneof(fc.constant(Infinity), fc.integer({ min: 16, max: 2048 }));
const spectrumArb = fc.record({
  a: fc.double({ min: 1.2, max: 2.5, noNaN: true }),
  b: fc.double({ min: 1.1, max: 2.2, noNaN: true }),
  M: fc.constantFrom(Infinity, 1500, 20000),
});

describe('DMFT curve properties', () => {
  propertyTest([spectrumArb, size, size, fc.double({ min: 0, max: 0.5, noNaN: true })], { numRuns: 6, seed: 20261127 })(
    'finite, test and L_A >= sigma^2, L(0) = sum c + sigma^2, converged; bias symmetric under N <-> P',
    ({ a, b, M }, N, P, sigma) => {
      const spectrum = powerLawSpectrum({ a, b, M });
      const sol = solveCurve({ spectrum, N, P, sigma, t: T });
      expectConverged(sol);
      const L0 = sol.test[0];
      expect(L0).toBeCloseTo(sol.bias[0] + sigma * sigma, 14);
      for (let i = 0; i < T.length; i++) {
        for (const q of ['test', 'train', 'bias', 'testA', 'gap'] as const) expect(Number.isFinite(sol[q][i])).toBe(true);
        expect(sol.test[i]).toBeGreaterThanOrEqual(sigma * sigma - 1e-12 * L0);
        expect(sol.testA[i]).toBeGreaterThanOrEqual(sigma * sigma - 1e-12 * L0);
        expect(sol.bias[i]).toBeGreaterThanOrEqual(-1e-12 * L0);
        expect(sol.train[i]).toBeGreaterThanOrEqual(-1e-9 * L0);
      }
      const swapped = solveCurve({ spectrum, N: P, P: N, sigma, t: T });
      for (let i = 0; i < T.length; i++) expect(Math.abs(swapped.bias[i] - sol.bias[i])).toBeLessThanOrEqual(1e-10 * L0);
    },
  );

  propertyTest([spectrumArb, size, size], { numRuns: 4, seed: 20261128 })('H_k(t) is symmetric under N <-> P and lies in [0, 1]', ({ a, b, M }, N, P) => {
    const spectrum = powerLawSpectrum({ a, b, M });
    const ks = [1, 7, 60];
    const u = transferFunctions({ spectrum, N, P }, ks, T);
    const v = transferFunctions({ spectrum, N: P, P: N }, ks, T);
    for (let m = 0; m < ks.length; m++) {
      for (let i = 0; i < T.length; i++) {
        expect(Math.abs(u.value[m][i] - v.value[m][i])).toBeLessThan(1e-10);
        expect(u.value[m][i]).toBeGreaterThan(-1e-10);
        expect(u.value[m][i]).toBeLessThan(1 + 1e-10);
      }
    }
  });

  propertyTest([spectrumArb, fc.integer({ min: 16, max: 2048 })], { numRuns: 5, seed: 20261129 })(
    'P = infinity, sigma = 0: L(t) = train(t) is non-increasing in t',
    ({ a, b, M }, N) => {
      const t = [0, ...Array.from({ length: 30 }, (_, i) => Math.pow(10, -2 + (8 * i) / 29)), Infinity];
      const sol = solveCurve({ spectrum: powerLawSpectrum({ a, b, M }), N, P: Infinity, sigma: 0, t });
      expect(sol.status).toBe('converged');
      for (let i = 1; i < t.length; i++) {
        expect(sol.test[i]).toBeLessThanOrEqual(sol.test[i - 1] + 1e-10 * sol.test[0]);
        expect(Math.abs(sol.train[i] - sol.test[i])).toBeLessThanOrEqual(1e-10 * sol.test[0]);
      }
    },
  );
});

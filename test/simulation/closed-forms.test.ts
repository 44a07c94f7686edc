/**
 * Closed forms and exact finite-sample identities the simulator must meet.
 *  - THEORY (E14): N = P = Infinity gives L(t) = sum_k c_k e^{-2 lambda_k t} + sigma^2.
 *  - t = 0: v = w*, so L = sum c_k + sigma^2 for every draw; the train loss
 *    |y|^2 / P has expectation sum c_k + sigma^2.
 *  - First order in t (THEORY E5, E6): dL/dt(0) = -2 w*^T Lambda F G w* (+ a
 *    noise term with mean zero), and E[F] = I, E[G] = Lambda with A and the
 *    data independent, so E[dL/dt(0)] = -2 sum_k lambda_k c_k for any N, P.
 *  - E_A[F] = E[A^T A / N] = I for the projection stream.
 */
import { describe, expect, it } from 'vitest';
import { customSpectrum, powerLawSpectrum, modeArrays } from '../../src/spectrum/index.js';
import { simulate } from '../../src/simulation/index.js';
import { Xoshiro128 } from '../../src/simulation/random.js';
import { STREAM_PROJECTION } from '../../src/simulation/seed.js';

const times = [0, 0.3, 1, 10, 100, 1e4];

describe('N = P = Infinity: THEORY (E14) closed form', () => {
  it.each([0, 0.3])('sigma = %s', async (sigma) => {
    const spectrum = powerLawSpectrum({ a: 1.5, b: 1, M: 300 });
    const { lambda, c } = modeArrays(spectrum);
    const r = await simulate({ spectrum, N: Infinity, P: Infinity, sigma, t: times, seeds: 3, seed: 1 });
    expect(r.status).toBe('converged');
    expect(r.timing.form).toBe('none');
    const res = r.results[0];
    times.forEach((t, j) => {
      let L = 0;
      for (let k = 0; k < lambda.length; k++) L += c[k] * Math.exp(-2 * lambda[k] * t);
      expect(Math.abs(res.test.mean[j] - (L + sigma ** 2))).toBeLessThan(1e-13 * (L + sigma ** 2));
      expect(res.test.stderr[j]).toBeLessThan(1e-14 * (L + sigma ** 2)); // identical seeds: rounding only
      expect(res.train.mean[j]).toBe(res.test.mean[j]);
      expect(res.testA.mean[j]).toBe(res.test.mean[j]);
      expect(Math.abs(res.bias.mean[j] - L)).toBeLessThan(1e-13 * Math.max(L, 1e-300) + 1e-300);
      expect(res.gap.mean[j]).toBe(0);
    });
  });
});

const spectrum = customSpectrum([1, 0.5, 0.3, 0.2, 0.12, 0.08, 0.05, 0.03], [0.5, 0.4, 0.25, 0.2, 0.1, 0.05, 0.03, 0.02]);
const { lambda, c } = modeArrays(spectrum);
const sumC = c.reduce((s, x) => s + x, 0);
const sumLC = lambda.reduce((s, l, k) => s + l * c[k], 0);
const finiteCases = [
  { N: 4, P: 6 },
  { N: 6, P: 3 },
  { N: 12, P: 5 },
  { N: Infinity, P: 5 },
  { N: 3, P: Infinity },
];

describe('t = 0: L = sum c_k + sigma^2 exactly, E[train] = sum c_k + sigma^2', () => {
  it.each(finiteCases)('N = $N, P = $P', async ({ N, P }) => {
    const sigma = 0.3;
    const r = await simulate({ spectrum, N, P, sigma: [sigma], t: [0, 1], seeds: 400, seed: 3 });
    const res = r.results[0];
    expect(Math.abs(res.test.mean[0] - (sumC + sigma ** 2))).toBeLessThan(1e-13);
    expect(res.test.stderr[0]).toBeLessThan(1e-13);
    expect(Math.abs(res.testA.mean[0] - (sumC + sigma ** 2))).toBeLessThan(1e-13);
    expect(Math.abs(res.bias.mean[0] - sumC)).toBeLessThan(1e-13);
    if (Number.isFinite(P)) {
      // Statistical: |y|^2 / P averages to sum c + sigma^2 (4 standard errors).
      expect(Math.abs(res.train.mean[0] - (sumC + sigma ** 2))).toBeLessThan(4 * res.train.stderr[0]);
      expect(res.train.stderr[0]).toBeGreaterThan(0);
    } else {
      expect(res.train.mean[0]).toBe(res.test.mean[0]);
    }
  });
});

describe('first order in t: E[dL/dt(0)] = -2 sum lambda_k c_k for any N, P (E[F] = I, E[G] = Lambda)', () => {
  it.each(finiteCases)('N = $N, P = $P', async ({ N, P }) => {
    const h = 1e-6;
    const sigma = 0.3;
    const r = await simulate({ spectrum, N, P, sigma: [sigma], t: [0, h], seeds: 3000, seed: 5 }, { ensemble: 1 });
    const res = r.results[0];
    const slope = (res.test.mean[1] - res.test.mean[0]) / h;
    const se = res.test.stderr[1] / h; // L(0) is deterministic, so this is the s.e. of the slope
    // Second-order term: O(h) relative, far below the Monte Carlo error.
    expect(Math.abs(slope + 2 * sumLC)).toBeLessThan(4 * se + 1e-4);
    expect(se).toBeLessThan(0.1 * 2 * sumLC); // the check has power
  });
});

describe('E_A[F] = I for the projection stream (THEORY E4)', () => {
  it('mean of A^T A / N over 4000 draws is I within 5 standard errors', () => {
    const M = 4;
    const N = 3;
    const draws = 4000;
    const F = new Float64Array(M * M);
    for (let r = 0; r < draws; r++) {
      const At = new Xoshiro128([11, 0, STREAM_PROJECTION, r]).fillNormal(new Float64Array(M * N), 1 / Math.sqrt(N));
      for (let i = 0; i < M; i++) for (let j = 0; j < M; j++) for (let q = 0; q < N; q++) F[i * M + j] += (At[i * N + q] * At[j * N + q]) / draws;
    }
    // Var of one entry of A^T A / N: 2/N on the diagonal, 1/N off it.
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < M; j++) {
        const se = Math.sqrt((i === j ? 2 : 1) / N / draws);
        expect(Math.abs(F[i * M + j] - (i === j ? 1 : 0))).toBeLessThan(5 * se);
      }
    }
  });
});

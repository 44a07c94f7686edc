/**
 * Exactness of the gradient-flow solution (THEORY E5): the eigendecomposition
 * formulas of seed.ts against a fine fourth-order Runge-Kutta integration of
 * dw/dt = -(1/P) Phi^T (Phi w - y) written here with naive loops (an
 * independent code path: N-space always, even for N > M, no decomposition).
 * The random draws are replayed from the documented streams (seed.ts).
 */
import { describe, expect, it } from 'vitest';
import { customSpectrum } from '../../src/spectrum/index.js';
import { prepareSimulation } from '../../src/simulation/simulate.js';
import { runSeed, STREAM_DATA, STREAM_NOISE, STREAM_PROJECTION } from '../../src/simulation/seed.js';
import { Xoshiro128 } from '../../src/simulation/random.js';

const lambda = [1, 0.6, 0.35, 0.2, 0.1, 0.05];
const c = [0.9, 0.5, 0.3, 0.2, 0.08, 0.02];
const spectrum = customSpectrum(lambda, c);
const M = lambda.length;
const times = [0, 0.05, 0.4, 1.5, 4];
const sigmas = [0, 0.3];

/** Losses of one (A, data) realisation by RK4 in N-space; returns [sigma][t] test and train. */
function rk4Losses(N: number, P: number, seed: number, index: number, r: number, h: number) {
  const wstar = lambda.map((l, k) => Math.sqrt(c[k] / l));
  const finiteN = Number.isFinite(N);
  const n = finiteN ? N : M;
  // B (n x M): f = w . B psi.
  const B: number[][] = [];
  if (finiteN) {
    const At = new Xoshiro128([seed, index, STREAM_PROJECTION, r]).fillNormal(new Float64Array(M * N), 1 / Math.sqrt(N));
    for (let i = 0; i < N; i++) B.push(Array.from({ length: M }, (_, k) => At[k * N + i]));
  } else {
    for (let i = 0; i < M; i++) B.push(Array.from({ length: M }, (_, k) => (i === k ? 1 : 0)));
  }
  const test: number[][] = [];
  const train: number[][] = [];
  const residuals: number[][][] = [];
  for (const sigma of sigmas) {
    // Gradient operator: dw/dt = b - K w.
    let K: number[][];
    let b: number[];
    let Phi: number[][] = [];
    let y: number[] = [];
    if (Number.isFinite(P)) {
      const Z = new Xoshiro128([seed, index, STREAM_DATA, 0]).fillNormal(new Float64Array(P * M));
      const eps = new Xoshiro128([seed, index, STREAM_NOISE, 0]).fillNormal(new Float64Array(P));
      const Psi = Array.from({ length: P }, (_, p) => Array.from({ length: M }, (_, k) => Z[p * M + k] * Math.sqrt(lambda[k])));
      y = Psi.map((row, p) => row.reduce((s, x, k) => s + x * wstar[k], 0) + sigma * eps[p]);
      Phi = Psi.map((row) => B.map((Bi) => Bi.reduce((s, x, k) => s + x * row[k], 0)));
      K = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => Phi.reduce((s, row) => s + row[i] * row[j], 0) / P));
      b = Array.from({ length: n }, (_, i) => Phi.reduce((s, row, p) => s + row[i] * y[p], 0) / P);
    } else {
      K = B.map((Bi) => B.map((Bj) => Bi.reduce((s, x, k) => s + x * lambda[k] * Bj[k], 0)));
      b = B.map((Bi) => Bi.reduce((s, x, k) => s + x * lambda[k] * wstar[k], 0));
    }
    const rhs = (w: number[]) => b.map((bi, i) => bi - K[i].reduce((s, kij, j) => s + kij * w[j], 0));
    const losses = (w: number[]) => {
      const v = wstar.map((ws, k) => ws - B.reduce((s, Bi, i) => s + Bi[k] * w[i], 0));
      const L = v.reduce((s, vk, k) => s + lambda[k] * vk * vk, 0) + sigma * sigma;
      const E = Number.isFinite(P) ? Phi.reduce((s, row, p) => s + (row.reduce((q, x, i) => q + x * w[i], 0) - y[p]) ** 2, 0) / P : L;
      return { L, E, v };
    };
    let w = new Array(n).fill(0);
    let tNow = 0;
    const Lrow: number[] = [];
    const Erow: number[] = [];
    const Vrow: number[][] = [];
    for (const target of times) {
      while (tNow < target - 1e-12) {
        const step = Math.min(h, target - tNow);
        const k1 = rhs(w);
        const k2 = rhs(w.map((x, i) => x + (step / 2) * k1[i]));
        const k3 = rhs(w.map((x, i) => x + (step / 2) * k2[i]));
        const k4 = rhs(w.map((x, i) => x + step * k3[i]));
        w = w.map((x, i) => x + (step / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]));
        tNow += step;
      }
      const { L, E, v } = losses(w);
      Lrow.push(L);
      Erow.push(E);
      Vrow.push(v);
    }
    test.push(Lrow);
    train.push(Erow);
    residuals.push(Vrow);
  }
  return { test, train, residuals };
}

// Cases covering every code path of seed.ts.
const cases: Array<{ name: string; N: number; P: number }> = [
  { name: 'feature form, N < P < M (n_f = N)', N: 3, P: 5 },
  { name: 'sample form, P < N < M', N: 5, P: 3 },
  { name: 'N > M: Cholesky M x M form, P > M', N: 9, P: 8 },
  { name: 'N > M and P < M: sample form on the Cholesky features', N: 9, P: 4 },
  { name: 'N = Infinity, P < M (sample form, F = I)', N: Infinity, P: 4 },
  { name: 'N = Infinity, P > M (feature form, G only)', N: Infinity, P: 10 },
  { name: 'P = Infinity (population flow, K = B Lambda B^T)', N: 4, P: Infinity },
  { name: 'P = Infinity and N > M (population flow on the Cholesky features)', N: 9, P: Infinity },
  { name: 'N = P = Infinity (closed form)', N: Infinity, P: Infinity },
];

describe('exact gradient flow vs RK4 (THEORY E5)', () => {
  it.each(cases)('$name', ({ N, P }) => {
    const seed = 7;
    const index = 2;
    const { setup } = prepareSimulation({ spectrum, N, P, sigma: sigmas, t: times, seeds: 3, seed }, { ensemble: 2 });
    const out = runSeed(setup, index);
    const R = Number.isFinite(N) ? 2 : 1;
    const runs = Array.from({ length: R }, (_, r) => rk4Losses(N, P, seed, index, r, 2e-3));
    const T = times.length;
    for (let s = 0; s < sigmas.length; s++) {
      for (let j = 0; j < T; j++) {
        const L = runs.reduce((acc, x) => acc + x.test[s][j], 0) / R;
        const E = runs.reduce((acc, x) => acc + x.train[s][j], 0) / R;
        expect(Math.abs(out.test[s * T + j] - L)).toBeLessThan(1e-8 * Math.max(1, L));
        expect(Math.abs(out.train[s * T + j] - E)).toBeLessThan(1e-8 * Math.max(1, E));
        // THEORY (E16a): L_A from the pair of projections on the same data: v_1^T Lambda v_2 + sigma^2.
        const v1 = runs[0].residuals[s][j];
        const v2 = runs[R - 1].residuals[s][j];
        const LA = v1.reduce((acc, x, k) => acc + lambda[k] * x * v2[k], 0) + sigmas[s] ** 2;
        expect(Math.abs(out.testA[s * T + j] - LA)).toBeLessThan(1e-8 * Math.max(1, LA));
        // The ensemble-mean residual the cross-seed bias uses.
        for (let k = 0; k < M; k++) {
          const vb = (v1[k] + v2[k]) / 2;
          expect(Math.abs(out.vbar[s * M * T + k * T + j] - vb)).toBeLessThan(1e-8);
        }
      }
    }
  });
});

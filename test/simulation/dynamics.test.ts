/**
 * Training dynamics in the simulator (THEORY E25-E28): each exact propagator
 * of propagators.ts and each SGD recursion of sgd.ts against direct time
 * stepping of the finite model, written here with plain nested arrays (an
 * independent code path: N-space always, no eigendecomposition, the random
 * draws replayed from the documented streams), plus the limits between the
 * optimizers and the 'unstable' status.
 */
import { describe, expect, it } from 'vitest';
import { makeDynamics, type Dynamics } from '../../src/dynamics/index.js';
import { customSpectrum } from '../../src/spectrum/index.js';
import { prepareSimulation, simulate } from '../../src/simulation/simulate.js';
import { runSeed, STREAM_DATA, STREAM_NOISE, STREAM_PROJECTION } from '../../src/simulation/seed.js';
import { Xoshiro128 } from '../../src/simulation/random.js';

const lambda = [1, 0.6, 0.35, 0.2, 0.1, 0.05];
const c = [0.9, 0.5, 0.3, 0.2, 0.08, 0.02];
const spectrum = customSpectrum(lambda, c);
const M = lambda.length;
const wstar = lambda.map((l, k) => Math.sqrt(c[k] / l));
const sigmas = [0, 0.3];
const seed = 5;
const index = 1;

type Vec = number[];
type Mat = number[][];
const dot = (x: Vec, y: Vec) => x.reduce((s, v, i) => s + v * y[i], 0);
const matVec = (A: Mat, x: Vec) => A.map((row) => dot(row, x));

/** The finite model of one projection r: features B (n x M), and the gradient operator K, b per sigma (dw = b - K w). */
function model(N: number, P: number, r: number) {
  const B: Mat = [];
  if (Number.isFinite(N)) {
    const At = new Xoshiro128([seed, index, STREAM_PROJECTION, r]).fillNormal(new Float64Array(M * N), 1 / Math.sqrt(N));
    for (let i = 0; i < N; i++) B.push(Array.from({ length: M }, (_, k) => At[k * N + i]));
  } else {
    for (let i = 0; i < M; i++) B.push(Array.from({ length: M }, (_, k) => (i === k ? 1 : 0)));
  }
  const n = B.length;
  const perSigma = sigmas.map((sigma) => {
    if (!Number.isFinite(P)) {
      const K = B.map((Bi) => B.map((Bj) => Bi.reduce((s, x, k) => s + x * lambda[k] * Bj[k], 0)));
      const b = B.map((Bi) => Bi.reduce((s, x, k) => s + x * lambda[k] * wstar[k], 0));
      return { K, b, Phi: [] as Mat, y: [] as Vec };
    }
    const Z = new Xoshiro128([seed, index, STREAM_DATA, 0]).fillNormal(new Float64Array(P * M));
    const eps = new Xoshiro128([seed, index, STREAM_NOISE, 0]).fillNormal(new Float64Array(P));
    const Psi = Array.from({ length: P }, (_, p) => Array.from({ length: M }, (_, k) => Z[p * M + k] * Math.sqrt(lambda[k])));
    const y = Psi.map((row, p) => dot(row, wstar) + sigma * eps[p]);
    const Phi = Psi.map((row) => B.map((Bi) => dot(Bi, row)));
    const K = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => Phi.reduce((s, row) => s + row[i] * row[j], 0) / P));
    const b = Array.from({ length: n }, (_, i) => Phi.reduce((s, row, p) => s + row[i] * y[p], 0) / P);
    return { K, b, Phi, y };
  });
  const losses = (w: Vec, s: number) => {
    const v = wstar.map((ws, k) => ws - B.reduce((acc, Bi, i) => acc + Bi[k] * w[i], 0));
    const L = v.reduce((acc, vk, k) => acc + lambda[k] * vk * vk, 0) + sigmas[s] ** 2;
    const { Phi, y } = perSigma[s];
    const E = Number.isFinite(P) ? Phi.reduce((acc, row, p) => acc + (dot(row, w) - y[p]) ** 2, 0) / P : L;
    return { L, E };
  };
  return { B, n, perSigma, losses };
}

/** Test and train losses [sigma][time] of one projection by plain iteration of the optimizer's update. */
function iterate(dynamics: Dynamics, N: number, P: number, r: number, steps: number[]) {
  const { n, perSigma, losses } = model(N, P, r);
  const test: number[][] = [];
  const train: number[][] = [];
  perSigma.forEach(({ K, b }, s) => {
    const ridge = dynamics.ridge;
    const eta = dynamics.kind === 'gf' ? 0 : dynamics.lr;
    const beta = dynamics.kind === 'momentum' ? dynamics.beta : 0;
    let w: Vec = new Array(n).fill(0);
    let prev: Vec = new Array(n).fill(0);
    let done = 0;
    const Lrow: number[] = [];
    const Erow: number[] = [];
    for (const target of steps) {
      while (done < target) {
        const grad = matVec(K, w).map((x, i) => x - b[i] + ridge * w[i]);
        const next = w.map((x, i) => x - eta * grad[i] + beta * (x - prev[i]));
        prev = w;
        w = next;
        done++;
      }
      const { L, E } = losses(w, s);
      Lrow.push(L);
      Erow.push(E);
    }
    test.push(Lrow);
    train.push(Erow);
  });
  return { test, train };
}

/** Gradient flow with ridge by RK4 (step h) on dw/dt = b - (K + r) w. */
function rk4(ridge: number, N: number, P: number, r: number, times: number[], h: number) {
  const { n, perSigma, losses } = model(N, P, r);
  return perSigma.map(({ K, b }, s) => {
    const rhs = (w: Vec) => matVec(K, w).map((x, i) => b[i] - x - ridge * w[i]);
    let w: Vec = new Array(n).fill(0);
    let now = 0;
    return times.map((target) => {
      while (now < target - 1e-12) {
        const step = Math.min(h, target - now);
        const k1 = rhs(w);
        const k2 = rhs(w.map((x, i) => x + (step / 2) * k1[i]));
        const k3 = rhs(w.map((x, i) => x + (step / 2) * k2[i]));
        const k4 = rhs(w.map((x, i) => x + step * k3[i]));
        w = w.map((x, i) => x + (step / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]));
        now += step;
      }
      return losses(w, s);
    });
  });
}

function seedOutput(dynamics: Dynamics, N: number, P: number, t: number[], options: { ensemble?: number; sgdMethod?: 'exact' | 'trace-only' | 'sampled' } = {}) {
  const { setup } = prepareSimulation({ spectrum, N, P, sigma: sigmas, t, seeds: index + 1, seed, dynamics }, { ensemble: options.ensemble ?? 1, sgdMethod: options.sgdMethod });
  return runSeed(setup, index);
}

const close = (x: number, y: number, rel: number) => expect(Math.abs(x - y)).toBeLessThanOrEqual(rel * Math.max(1e-3, Math.abs(y)));

const forms: Array<[string, number, number]> = [
  ['feature form N < P', 3, 5],
  ['sample form P < N', 5, 3],
  ['N > M (Cholesky form)', 9, 8],
  ['N = Infinity', Infinity, 4],
  ['P = Infinity', 4, Infinity],
  ['N = P = Infinity', Infinity, Infinity],
];

describe('discrete GD and momentum propagators vs plain iteration (THEORY E26, E27)', () => {
  const steps = [0, 1, 2, 7, 40, 300];
  it.each(forms)('GD with ridge, %s', (_, N, P) => {
    const dynamics = makeDynamics({ optimizer: 'gd', lr: 0.45, ridge: 0.05 });
    const out = seedOutput(dynamics, N, P, steps);
    const ref = iterate(dynamics, N, P, 0, steps);
    for (let s = 0; s < sigmas.length; s++) {
      for (let j = 0; j < steps.length; j++) {
        close(out.test[s * steps.length + j], ref.test[s][j], 1e-10);
        close(out.train[s * steps.length + j], ref.train[s][j], 1e-10);
      }
    }
  });

  it.each(forms)('momentum beta = 0.8, %s', (_, N, P) => {
    const dynamics = makeDynamics({ optimizer: 'momentum', lr: 0.3, momentum: 0.8 });
    const out = seedOutput(dynamics, N, P, steps);
    const ref = iterate(dynamics, N, P, 0, steps);
    for (let s = 0; s < sigmas.length; s++) {
      for (let j = 0; j < steps.length; j++) {
        close(out.test[s * steps.length + j], ref.test[s][j], 1e-9);
        close(out.train[s * steps.length + j], ref.train[s][j], 1e-9);
      }
    }
  });

  it('momentum at its double root and with a ridge (complex, repeated and real roots across modes)', () => {
    // a^2 = 4 beta at eta m = (1 - sqrt(beta))^2 for some m: eta chosen so the top mode of K is near it.
    const dynamics = makeDynamics({ optimizer: 'momentum', lr: 0.7, momentum: 0.5, ridge: 0.02 });
    const out = seedOutput(dynamics, 4, 7, steps);
    const ref = iterate(dynamics, 4, 7, 0, steps);
    for (let s = 0; s < sigmas.length; s++) for (let j = 0; j < steps.length; j++) close(out.test[s * steps.length + j], ref.test[s][j], 1e-9);
  });
});

describe('ridge under gradient flow vs RK4 and ridge regression (THEORY E25)', () => {
  const times = [0, 0.3, 2, 9];
  it.each(forms.filter(([, N, P]) => Number.isFinite(N) || Number.isFinite(P)))('%s', (_, N, P) => {
    const dynamics = makeDynamics({ ridge: 0.07 });
    const out = seedOutput(dynamics, N, P, times);
    const ref = rk4(0.07, N, P, 0, times, 2e-3);
    for (let s = 0; s < sigmas.length; s++) {
      for (let j = 0; j < times.length; j++) {
        close(out.test[s * times.length + j], ref[s][j].L, 1e-8);
        close(out.train[s * times.length + j], ref[s][j].E, 1e-8);
      }
    }
  });

  it('t -> infinity is the ridge regression solution w = (K + r)^-1 b (Gaussian elimination)', () => {
    const r = 0.07;
    const { n, perSigma, losses } = model(3, 5, 0);
    const out = seedOutput(makeDynamics({ ridge: r }), 3, 5, [1e6]);
    perSigma.forEach(({ K, b }, s) => {
      const A = K.map((row, i) => [...row.map((x, j) => x + (i === j ? r : 0)), b[i]]);
      for (let i = 0; i < n; i++) {
        for (let k = i + 1; k < n; k++) {
          const f = A[k][i] / A[i][i];
          for (let j = i; j <= n; j++) A[k][j] -= f * A[i][j];
        }
      }
      const w = new Array(n).fill(0);
      for (let i = n - 1; i >= 0; i--) w[i] = (A[i][n] - A[i].slice(i + 1, n).reduce((acc, x, j) => acc + x * w[i + 1 + j], 0)) / A[i][i];
      close(out.test[s], losses(w, s).L, 1e-10);
      close(out.train[s], losses(w, s).E, 1e-10);
    });
  });
});

describe('limits between the optimizers', () => {
  const problem = { spectrum, N: 4, P: 7, sigma: sigmas, seeds: 3, seed: 9 };

  it('beta = 0 momentum equals GD to round-off', async () => {
    const t = [0, 3, 50, 400];
    const gd = await simulate({ ...problem, t, dynamics: makeDynamics({ optimizer: 'gd', lr: 0.4 }) });
    const hb = await simulate({ ...problem, t, dynamics: makeDynamics({ optimizer: 'momentum', lr: 0.4, momentum: 0 }) });
    for (let s = 0; s < sigmas.length; s++) for (let j = 0; j < t.length; j++) close(hb.results[s].test.mean[j], gd.results[s].test.mean[j], 1e-12);
  });

  it('eta -> 0: GD after tau / eta steps approaches gradient flow at tau, error O(eta)', async () => {
    const taus = [0.5, 2, 8];
    const gf = await simulate({ ...problem, t: taus });
    const errors = [1e-2, 1e-3].map((eta) => {
      return simulate({ ...problem, t: taus.map((x) => Math.round(x / eta)), dynamics: makeDynamics({ optimizer: 'gd', lr: eta }) }).then((gd) =>
        Math.max(...taus.map((_, j) => Math.abs(gd.results[1].test.mean[j] - gf.results[1].test.mean[j]) / gf.results[1].test.mean[j])),
      );
    });
    const [coarse, fine] = await Promise.all(errors);
    expect(fine).toBeLessThan(1e-3);
    expect(coarse / fine).toBeGreaterThan(5); // first order in eta
  });

  it('ridge -> 0 is gradient flow', async () => {
    const t = [0, 1, 10, 100];
    const gf = await simulate({ ...problem, t });
    const small = await simulate({ ...problem, t, dynamics: makeDynamics({ ridge: 1e-9 }) });
    for (let j = 0; j < t.length; j++) close(small.results[1].test.mean[j], gf.results[1].test.mean[j], 1e-6);
  });

  it('momentum with small eta follows gradient flow at eta t / (1 - beta)', async () => {
    const tau = 3;
    const gf = await simulate({ ...problem, t: [tau] });
    const eta = 1e-3;
    const beta = 0.5;
    const hb = await simulate({ ...problem, t: [Math.round((tau * (1 - beta)) / eta)], dynamics: makeDynamics({ optimizer: 'momentum', lr: eta, momentum: beta }) });
    close(hb.results[0].test.mean[0], gf.results[0].test.mean[0], 1e-2);
  });
});

describe("'unstable' past the divergence bound, never a number", () => {
  it('GD with eta mu_max >= 2 and momentum with eta mu_max >= 2 (1 + beta); just below is fine', async () => {
    // N = P = Infinity: the spectrum of the gradient operator is Lambda, top 1.
    const base = { spectrum, N: Infinity, P: Infinity, sigma: 0, t: [0, 10, 100], seeds: 1, seed: 1 };
    const bad = await simulate({ ...base, dynamics: makeDynamics({ optimizer: 'gd', lr: 2.01 }) });
    expect(bad.status).toBe('unstable');
    expect(bad.results[0].test.mean.every(Number.isNaN)).toBe(true);
    expect(bad.message).toMatch(/gd\(eta=2\.01\) diverges .* = 1\.00000 >= 0\.995025/);
    const ok = await simulate({ ...base, dynamics: makeDynamics({ optimizer: 'gd', lr: 1.99 }) });
    expect(ok.status).toBe('converged');
    const hbBad = await simulate({ ...base, dynamics: makeDynamics({ optimizer: 'momentum', lr: 3.7, momentum: 0.8 }) });
    expect(hbBad.status).toBe('unstable');
    const hbOk = await simulate({ ...base, dynamics: makeDynamics({ optimizer: 'momentum', lr: 3.5, momentum: 0.8 }) });
    expect(hbOk.status).toBe('converged');
    expect(Number.isFinite(hbOk.results[0].test.mean[2])).toBe(true);
  });

  it('finite N and P: the bound is checked on the realised top eigenvalue', async () => {
    const out = seedOutput(makeDynamics({ optimizer: 'gd', lr: 0.4 }), 3, 5, [0, 5]);
    expect(out.instability).toBeUndefined();
    const top = (() => {
      const { K } = model(3, 5, 0).perSigma[0];
      // power iteration for the top eigenvalue of the 3 x 3 K
      let x = [1, 1, 1];
      for (let i = 0; i < 500; i++) {
        const y = matVec(K, x);
        const norm = Math.hypot(...y);
        x = y.map((v) => v / norm);
      }
      return dot(x, matVec(K, x));
    })();
    const justAbove = seedOutput(makeDynamics({ optimizer: 'gd', lr: (2 / top) * 1.001 }), 3, 5, [0, 5]);
    expect(justAbove.instability?.value).toBeCloseTo(top, 10);
    const justBelow = seedOutput(makeDynamics({ optimizer: 'gd', lr: (2 / top) * 0.999 }), 3, 5, [0, 5]);
    expect(justBelow.instability).toBeUndefined();
  });
});

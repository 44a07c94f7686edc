/**
 * One-pass SGD at P = infinity (THEORY E28; src/simulation/sgd.ts): the
 * diagonal expected-loss recursions against the full M x M second-moment
 * recursion iterated with plain matrices, the sampled minibatch runs against
 * the exact expected loss (paired over the same draws of A), the B -> infinity
 * limit (population GD) and the 'unstable' status.
 */
import { describe, expect, it } from 'vitest';
import { makeDynamics } from '../../src/dynamics/index.js';
import { customSpectrum } from '../../src/spectrum/index.js';
import { prepareSimulation, simulate } from '../../src/simulation/simulate.js';
import { runSeed, STREAM_PROJECTION } from '../../src/simulation/seed.js';
import { Xoshiro128 } from '../../src/simulation/random.js';
import type { SgdMethod } from '../../src/simulation/sgd.js';

const lambda = [1, 0.6, 0.35, 0.2, 0.1, 0.05];
const c = [0.9, 0.5, 0.3, 0.2, 0.08, 0.02];
const spectrum = customSpectrum(lambda, c);
const M = lambda.length;
const wstar = lambda.map((l, k) => Math.sqrt(c[k] / l));
const sigmas = [0, 0.3];

type Mat = number[][];
const mul = (A: Mat, B: Mat): Mat => A.map((row) => B[0].map((_, j) => row.reduce((s, x, k) => s + x * B[k][j], 0)));
const transpose = (A: Mat): Mat => A[0].map((_, j) => A.map((row) => row[j]));

/** F = A^T A / N (M x M) of projection r of seed index (I for N = Infinity). */
function featureCovariance(N: number, seed: number, index: number, r: number): Mat {
  if (!Number.isFinite(N)) return lambda.map((_, i) => lambda.map((__, j) => (i === j ? 1 : 0)));
  const At = new Xoshiro128([seed, index, STREAM_PROJECTION, r]).fillNormal(new Float64Array(M * N), 1 / Math.sqrt(N));
  return Array.from({ length: M }, (_, i) => Array.from({ length: M }, (__, j) => {
    let s = 0;
    for (let a = 0; a < N; a++) s += At[i * N + a] * At[j * N + a];
    return s;
  }));
}

/**
 * THEORY (E28) iterated as written, C (M x M):
 * C' = (1 - eta F Lambda) C (1 - eta Lambda F) + (eta^2/B) F [Lambda C Lambda (full only) + (tr(Lambda C) + sigma^2) Lambda] F;
 * returns tr(Lambda C_t) + sigma^2 at the requested steps.
 */
function matrixRecursion(F: Mat, eta: number, B: number, sigma: number, steps: number[], full: boolean): number[] {
  const L: Mat = lambda.map((l, i) => lambda.map((_, j) => (i === j ? l : 0)));
  const I: Mat = lambda.map((_, i) => lambda.map((__, j) => (i === j ? 1 : 0)));
  const G = mul(F, L).map((row, i) => row.map((x, j) => I[i][j] - eta * x)); // 1 - eta F Lambda
  const Gt = transpose(G);
  let C: Mat = wstar.map((a) => wstar.map((b) => a * b));
  const out: number[] = [];
  let done = 0;
  const trace = (X: Mat) => X.reduce((s, row, i) => s + lambda[i] * row[i], 0);
  for (const target of steps) {
    while (done < target) {
      const drift = mul(mul(G, C), Gt);
      const tr = trace(C) + sigma * sigma;
      const inner = full ? mul(mul(L, C), L) : L.map((row) => row.map(() => 0));
      const middle = inner.map((row, i) => row.map((x, j) => x + (i === j ? tr * lambda[i] : 0)));
      const noise = mul(mul(F, middle), F);
      C = drift.map((row, i) => row.map((x, j) => x + ((eta * eta) / B) * noise[i][j]));
      done++;
    }
    out.push(trace(C) + sigma * sigma);
  }
  return out;
}

function seedOutput(N: number, eta: number, batch: number, t: number[], method: SgdMethod, seed: number, index: number) {
  const { setup } = prepareSimulation(
    { spectrum, N, P: Infinity, sigma: sigmas, t, seeds: index + 1, seed, dynamics: makeDynamics({ optimizer: 'sgd', lr: eta, batch }) },
    { ensemble: 1, sgdMethod: method },
  );
  return runSeed(setup, index);
}

describe('diagonal expected-loss recursion = the M x M recursion of THEORY (E28) at fixed A', () => {
  const steps = [0, 1, 4, 25, 150];
  it.each([
    ['N < M', 3, 'exact'],
    ['N < M, trace term only', 3, 'trace-only'],
    ['N > M (Cholesky features)', 9, 'exact'],
    ['N > M, trace term only', 9, 'trace-only'],
    ['N = Infinity', Infinity, 'exact'],
    ['N = Infinity, trace term only', Infinity, 'trace-only'],
  ] as const)('%s', (_, N, method) => {
    const eta = 0.5;
    const batch = 2;
    const out = seedOutput(N, eta, batch, steps, method, 3, 1);
    const F = featureCovariance(N, 3, 1, 0);
    sigmas.forEach((sigma, s) => {
      const ref = matrixRecursion(F, eta, batch, sigma, steps, method === 'exact');
      steps.forEach((_, j) => expect(Math.abs(out.test[s * steps.length + j] - ref[j])).toBeLessThanOrEqual(1e-12 * ref[j]));
    });
  });

  it('the dropped term is positive: trace-only <= exact, with a visible gap at small N', () => {
    const steps = [10, 100];
    const exact = seedOutput(3, 0.1, 1, steps, 'exact', 3, 0);
    const trace = seedOutput(3, 0.1, 1, steps, 'trace-only', 3, 0);
    expect(exact.instability).toBeUndefined();
    for (let j = 0; j < steps.length; j++) {
      expect(trace.test[j]).toBeLessThan(exact.test[j]);
      expect(exact.test[j] / trace.test[j] - 1).toBeGreaterThan(1e-3);
    }
  });
});

describe('sampled minibatch SGD against the exact expected loss (same draws of A)', () => {
  // eta = 0.1 with B = 1 or 2 is stable at every one of these draws of A (N = 3 makes large tau_max likely: eta = 0.2 is not).
  it.each([3, Infinity])('N = %s: mean over 400 seeds of (sampled - exact) is within 3.5 standard errors of 0 at every step', (N) => {
    const steps = [0, 3, 15, 60];
    const T = steps.length;
    const seeds = 400;
    const diff = Array.from({ length: sigmas.length * T }, () => [] as number[]);
    for (let index = 0; index < seeds; index++) {
      const sampled = seedOutput(N, 0.1, 2, steps, 'sampled', 17, index);
      const exact = seedOutput(N, 0.1, 2, steps, 'exact', 17, index);
      expect(exact.instability).toBeUndefined();
      for (let i = 0; i < sigmas.length * T; i++) diff[i].push(sampled.test[i] - exact.test[i]);
    }
    let largestZ = 0;
    for (let i = 0; i < diff.length; i++) {
      const d = diff[i];
      const mean = d.reduce((s, x) => s + x, 0) / seeds;
      const sd = Math.sqrt(d.reduce((s, x) => s + (x - mean) ** 2, 0) / (seeds - 1));
      if (i % T === 0) {
        expect(Math.abs(mean)).toBeLessThan(1e-12); // t = 0: both are w*^T Lambda w* + sigma^2 exactly
        continue;
      }
      largestZ = Math.max(largestZ, Math.abs(mean) / (sd / Math.sqrt(seeds)));
    }
    expect(largestZ).toBeLessThan(3.5);
  });

  it('the sampled mean is far from the trace-only recursion where the dropped term matters (the check has power)', () => {
    // At t = 10 the exact loss sits about 3 % above the trace-only one (1.263 against 1.220, averaged over A).
    const steps = [10];
    const seeds = 4000;
    let gap = 0;
    const d: number[] = [];
    for (let index = 0; index < seeds; index++) {
      const sampled = seedOutput(3, 0.1, 1, steps, 'sampled', 19, index);
      const trace = seedOutput(3, 0.1, 1, steps, 'trace-only', 19, index);
      d.push(sampled.test[0] - trace.test[0]);
    }
    gap = d.reduce((s, x) => s + x, 0) / seeds;
    const sd = Math.sqrt(d.reduce((s, x) => s + (x - gap) ** 2, 0) / (seeds - 1));
    expect(gap / (sd / Math.sqrt(seeds))).toBeGreaterThan(4);
  });
});

describe('limits and stability', () => {
  it('B -> infinity: the exact recursion equals discrete GD on the population loss (P = infinity)', async () => {
    const t = [0, 2, 20, 200];
    const base = { spectrum, N: 4, P: Infinity, sigma: sigmas, t, seeds: 3, seed: 2 };
    const sgd = await simulate({ ...base, dynamics: makeDynamics({ optimizer: 'sgd', lr: 0.5, batch: 1e12 }) });
    const gd = await simulate({ ...base, dynamics: makeDynamics({ optimizer: 'gd', lr: 0.5 }) });
    for (let s = 0; s < sigmas.length; s++) {
      for (let j = 0; j < t.length; j++) {
        expect(Math.abs(sgd.results[s].test.mean[j] - gd.results[s].test.mean[j])).toBeLessThan(1e-9 * gd.results[s].test.mean[j]);
        // The cross-seed bias uses the mean residual, which is exactly GD's.
        expect(Math.abs(sgd.results[s].bias.mean[j] - gd.results[s].bias.mean[j])).toBeLessThan(1e-12);
      }
    }
  });

  it("diverging expected loss is 'unstable' (kernel norm >= 1 although eta tau_max < 1), confirmed by the matrix recursion", async () => {
    // N = Infinity: tau = lambda; B = 1, full recursion: kernel norm = sum eta tau / (2 (1 - eta tau)), 1.28 at eta = 0.6, 0.65 at 0.4.
    const base = { spectrum, N: Infinity, P: Infinity, sigma: 0, t: [0, 100], seeds: 1, seed: 1 };
    const bad = await simulate({ ...base, dynamics: makeDynamics({ optimizer: 'sgd', lr: 0.6, batch: 1 }) });
    expect(bad.status).toBe('unstable');
    expect(bad.message).toMatch(/noise kernel norm\) = 1\.27972 >= 1\.00000/);
    expect(bad.results[0].test.mean.every(Number.isNaN)).toBe(true);
    const sampled = await simulate({ ...base, dynamics: makeDynamics({ optimizer: 'sgd', lr: 0.6, batch: 1 }) }, { sgdMethod: 'sampled' });
    expect(sampled.status).toBe('unstable');
    const ok = await simulate({ ...base, dynamics: makeDynamics({ optimizer: 'sgd', lr: 0.4, batch: 1 }) });
    expect(ok.status).toBe('converged');
    const I = featureCovariance(Infinity, 0, 0, 0);
    const [, grows] = matrixRecursion(I, 0.6, 1, 0, [0, 400], true);
    const [start, decays] = matrixRecursion(I, 0.4, 1, 0, [0, 400], true);
    expect(grows).toBeGreaterThan(1e3 * start);
    expect(decays).toBeLessThan(start);
  });

  it('eta tau_max beyond the per-mode bound is unstable too', async () => {
    const base = { spectrum, N: Infinity, P: Infinity, sigma: 0, t: [0, 5], seeds: 1, seed: 1 };
    const bad = await simulate({ ...base, dynamics: makeDynamics({ optimizer: 'sgd', lr: 2.5, batch: 1e6 }) });
    expect(bad.status).toBe('unstable');
    expect(bad.message).toMatch(/eta \* tau_max/);
  });

  it('sampled runs are reproducible: same seed, same numbers; one worker or two, bit-identical', async () => {
    const problem = { spectrum, N: 4, P: Infinity, sigma: sigmas, t: [0, 5, 30], seeds: 4, seed: 8, dynamics: makeDynamics({ optimizer: 'sgd', lr: 0.1, batch: 3 }) };
    const one = await simulate(problem, { sgdMethod: 'sampled' });
    const again = await simulate(problem, { sgdMethod: 'sampled' });
    const two = await simulate(problem, { sgdMethod: 'sampled', workers: 2 });
    for (let s = 0; s < sigmas.length; s++) {
      expect(Array.from(again.results[s].test.mean)).toEqual(Array.from(one.results[s].test.mean));
      expect(Array.from(two.results[s].test.mean)).toEqual(Array.from(one.results[s].test.mean));
      expect(Array.from(two.results[s].bias.mean)).toEqual(Array.from(one.results[s].bias.mean));
    }
    expect(one.parameters.dynamics).toEqual({ kind: 'sgd', lr: 0.1, batch: 3, ridge: 0, optimizer: 'sgd' });
    expect(one.parameters.sgdMethod).toBe('sampled');
    const other = await simulate({ ...problem, seed: 9 }, { sgdMethod: 'sampled' });
    expect(other.results[0].test.mean[2]).not.toBe(one.results[0].test.mean[2]);
  });

  it('the recursions need P = Infinity (finite P is the sampled run of sgd-reuse.ts); t counts steps', () => {
    expect(() =>
      prepareSimulation({ spectrum, N: 3, P: 10, sigma: 0, t: [1], seeds: 1, seed: 0, dynamics: makeDynamics({ optimizer: 'sgd', lr: 0.1 }) }, { sgdMethod: 'exact' }),
    ).toThrow(/^sgdMethod must be 'sampled' with SGD at finite P/);
    expect(() => prepareSimulation({ spectrum, N: 3, P: Infinity, sigma: 0, t: [1.5], seeds: 1, seed: 0, dynamics: makeDynamics({ optimizer: 'sgd', lr: 0.1 }) })).toThrow(
      /^t must list whole step counts with sgd/,
    );
  });
});

/**
 * Minibatch SGD on P fixed samples (THEORY E28b; src/simulation/sgd-reuse.ts):
 * full batch without replacement against the exact GD propagators (another
 * code path: eigendecomposition, seed.ts), the first epoch against the exact
 * one-pass expected loss of sgd.ts (paired over the same draws of A), P large
 * with replacement approaching it, and the statuses.
 */
import { describe, expect, it } from 'vitest';
import { makeDynamics } from '../../src/dynamics/index.js';
import { customSpectrum, powerLawSpectrum } from '../../src/spectrum/index.js';
import { estimateSimulation, prepareSimulation, simulate } from '../../src/simulation/simulate.js';
import { drawData, runSeed } from '../../src/simulation/seed.js';
import { reuseProjection } from '../../src/simulation/sgd-reuse.js';
import type { ReuseSampling } from '../../src/dynamics/index.js';
import { InvalidArgumentError } from '../../src/core/errors.js';

const sigmas = [0, 0.3];

describe('B = P without replacement (one batch per epoch) is full-batch GD', () => {
  // Same seed, same data and A (streams keyed by seed index), so the two runs are the same numbers up to the summation order.
  it.each([
    ['N < P (feature form)', 12, 30],
    ['N > P (sample form)', 30, 12],
    ['N = Infinity', Infinity, 25],
  ])('%s', async (_, N, P) => {
    const spectrum = powerLawSpectrum({ a: 2, b: 1.5, M: 40 });
    const t = [0, 1, 7, 60, 400];
    const base = { spectrum, N, P, sigma: sigmas, t, seeds: 3, seed: 11 };
    const sgd = await simulate({ ...base, dynamics: makeDynamics({ optimizer: 'sgd', lr: 0.3, batch: P }) }, { sgdSampling: 'epochs' });
    const gd = await simulate({ ...base, dynamics: makeDynamics({ optimizer: 'gd', lr: 0.3 }) });
    expect(sgd.status).toBe('converged');
    expect(sgd.parameters.sgdSampling).toBe('epochs');
    for (let s = 0; s < sigmas.length; s++) {
      for (const field of ['test', 'train', 'testA', 'bias'] as const) {
        for (let j = 0; j < t.length; j++) {
          const ref = gd.results[s][field].mean[j];
          if (field === 'testA' && N === Infinity) continue; // equal to test there, checked with it
          expect(Math.abs(sgd.results[s][field].mean[j] - ref)).toBeLessThanOrEqual(1e-10 * Math.abs(ref) + 1e-14);
        }
      }
    }
    // The train loss really moves (the check is not of two constants).
    expect(gd.results[1].train.mean[4]).toBeLessThan(0.5 * gd.results[1].train.mean[0]);
  });

  it('with replacement, B = P is not GD (the sampling rule matters)', async () => {
    const spectrum = powerLawSpectrum({ a: 2, b: 1.5, M: 40 });
    const base = { spectrum, N: 12, P: 30, sigma: 0, t: [60], seeds: 3, seed: 11 };
    const sgd = await simulate({ ...base, dynamics: makeDynamics({ optimizer: 'sgd', lr: 0.3, batch: 30 }) });
    const gd = await simulate({ ...base, dynamics: makeDynamics({ optimizer: 'gd', lr: 0.3 }) });
    expect(sgd.parameters.sgdSampling).toBe('replacement');
    expect(Math.abs(sgd.results[0].test.mean[0] / gd.results[0].test.mean[0] - 1)).toBeGreaterThan(1e-4);
  });
});

// The spectrum of test/simulation/sgd.test.ts: few modes, so 400 seeds give tight paired differences.
const lambda = [1, 0.6, 0.35, 0.2, 0.1, 0.05];
const c = [0.9, 0.5, 0.3, 0.2, 0.08, 0.02];
const small = customSpectrum(lambda, c);

function seedTest(P: number, sampling: ReuseSampling | undefined, steps: number[], seed: number, index: number): Float64Array {
  const dynamics = makeDynamics({ optimizer: 'sgd', lr: 0.1, batch: 2 });
  const method = P === Infinity ? 'exact' : 'sampled';
  const { setup } = prepareSimulation(
    { spectrum: small, N: 3, P, sigma: sigmas, t: steps, seeds: index + 1, seed, dynamics },
    { ensemble: 1, sgdMethod: method, ...(sampling !== undefined ? { sgdSampling: sampling } : {}) },
  );
  return runSeed(setup, index).test;
}

/** Largest |mean| / s.e. over (sigma, time) of the paired differences reuse - exact one-pass (same A per seed index). */
function largestZ(P: number, sampling: ReuseSampling, steps: number[], seeds: number, seed: number): number {
  const T = steps.length;
  const diff = Array.from({ length: sigmas.length * T }, () => [] as number[]);
  for (let index = 0; index < seeds; index++) {
    const reuse = seedTest(P, sampling, steps, seed, index);
    const exact = seedTest(Infinity, undefined, steps, seed, index);
    for (let i = 0; i < diff.length; i++) diff[i].push(reuse[i] - exact[i]);
  }
  let z = 0;
  for (const d of diff) {
    const mean = d.reduce((s, x) => s + x, 0) / seeds;
    const sd = Math.sqrt(d.reduce((s, x) => s + (x - mean) ** 2, 0) / (seeds - 1));
    z = Math.max(z, Math.abs(mean) / (sd / Math.sqrt(seeds)));
  }
  return z;
}

describe('P -> infinity: one-pass SGD (the exact expected-loss recursion of sgd.ts, THEORY E28)', () => {
  const steps = [3, 15, 60];
  it('epochs with t B <= P: every sample is fresh, so the mean over 400 seeds is the exact one-pass loss within 3.5 s.e.', () => {
    expect(largestZ(120, 'epochs', steps, 400, 23)).toBeLessThan(3.5);
  });

  it('with replacement at P = 3000 (about two repeated draws per run) the same holds', () => {
    expect(largestZ(3000, 'replacement', steps, 400, 29)).toBeLessThan(3.5);
  });

  it('at P = 6 (each sample seen about 20 times) the reuse is visible: the check has power', () => {
    expect(largestZ(6, 'replacement', steps, 400, 23)).toBeGreaterThan(6);
  });
});

describe('statuses, validation, reproducibility', () => {
  const base = { spectrum: small, N: 3, P: 20, sigma: sigmas, t: [0, 10, 200], seeds: 4, seed: 5 };

  it("a diverging run is 'unstable' with the growth, without numbers", async () => {
    const bad = await simulate({ ...base, dynamics: makeDynamics({ optimizer: 'sgd', lr: 6, batch: 2 }) });
    expect(bad.status).toBe('unstable');
    expect(bad.message).toMatch(/growth of the sampled train loss/);
    expect(bad.results[1].test.mean.every(Number.isNaN)).toBe(true);
  });

  it('the cost estimate counts the run (no eigendecomposition) and a long run is refused naming t', () => {
    const problem = { spectrum: powerLawSpectrum({ a: 2, b: 1.5, M: 1000 }), N: 256, P: 512, sigma: 0, t: [20000], seeds: 16, seed: 1, dynamics: makeDynamics({ optimizer: 'sgd', lr: 0.5, batch: 8 }) };
    const estimate = estimateSimulation(problem, { ensemble: 1 });
    expect(estimate.parts.eigensolver ?? 0).toBe(0);
    // 2e4 steps x 8 rows x 256 features x 2.1e-8 s, per seed.
    expect(estimate.parts['sampled SGD']).toBeGreaterThan(0.8);
    expect(estimate.parts['sampled SGD']).toBeLessThan(1.2);
    expect(() => prepareSimulation({ ...problem, t: [2e9] }, { ensemble: 1 })).toThrow(/^t is too large for the simulation/);
  });

  it('testA is estimated at finite P (fixed data set), not NaN', async () => {
    const ok = await simulate({ ...base, dynamics: makeDynamics({ optimizer: 'sgd', lr: 0.2, batch: 2 }) });
    expect(ok.status).toBe('converged');
    expect(ok.results[0].testA.mean.every(Number.isFinite)).toBe(true);
    expect(ok.message ?? '').not.toMatch(/testA/);
  });

  it('invalid combinations throw naming the option', () => {
    const dynamics = makeDynamics({ optimizer: 'sgd', lr: 0.2, batch: 2 });
    expect(() => prepareSimulation({ ...base, dynamics }, { sgdMethod: 'exact' })).toThrow(InvalidArgumentError);
    expect(() => prepareSimulation({ ...base, dynamics }, { sgdMethod: 'exact' })).toThrow(/sgdMethod.*'sampled' with SGD at finite P/);
    expect(() => prepareSimulation({ ...base, dynamics }, { sgdSampling: 'shuffle' as ReuseSampling })).toThrow(/sgdSampling.*replacement, epochs/);
    expect(() => prepareSimulation({ ...base, P: Infinity, dynamics }, { sgdSampling: 'epochs' })).toThrow(/sgdSampling.*only applies to SGD at finite P/);
    expect(() => prepareSimulation({ ...base, dynamics: makeDynamics({ optimizer: 'gd', lr: 0.2 }) }, { sgdSampling: 'epochs' })).toThrow(/sgdSampling/);
  });

  it.each(['replacement', 'epochs'] as const)('%s: same seed, same numbers; one worker or two, bit-identical', async (sampling) => {
    const problem = { ...base, dynamics: makeDynamics({ optimizer: 'sgd', lr: 0.2, batch: 3 }) };
    const one = await simulate(problem, { sgdSampling: sampling });
    const two = await simulate(problem, { sgdSampling: sampling, workers: 2 });
    for (let s = 0; s < sigmas.length; s++) {
      expect(Array.from(two.results[s].test.mean)).toEqual(Array.from(one.results[s].test.mean));
      expect(Array.from(two.results[s].train.mean)).toEqual(Array.from(one.results[s].train.mean));
    }
  });
});

describe('the sampled train loss at fixed data against the exact second-moment recursion (THEORY E28b)', () => {
  // N = Infinity (phi = psi) and one draw of the data; only the batch stream r varies.
  // Exact, with replacement: E' = (1 - eta K) E (1 - eta K) + (eta^2/B) K [P Diag(E) - E] K, K = Psi Psi^T / P,
  // E_0 = y y^T, train = tr(E) / P: iterated here with plain arrays, independent of sgd-reuse.ts.
  const P = 10;
  const batch = 2;
  const eta = 0.3;
  const steps = [1, 4, 20, 80];
  const { setup } = prepareSimulation(
    { spectrum: small, N: Infinity, P, sigma: sigmas, t: steps, seeds: 1, seed: 41, dynamics: makeDynamics({ optimizer: 'sgd', lr: eta, batch }) },
    { ensemble: 1 },
  );
  const data = drawData(setup, 0);
  const M = lambda.length;

  function exactTrain(sigma: number): number[] {
    const y = Array.from({ length: P }, (_, p) => data.y0[p] + sigma * data.eps[p]);
    const K = Array.from({ length: P }, (_, i) => Array.from({ length: P }, (__, j) => {
      let s = 0;
      for (let k = 0; k < M; k++) s += data.Psi[i * M + k] * data.Psi[j * M + k];
      return s / P;
    }));
    const mul = (A: number[][], B: number[][]) => A.map((row) => B[0].map((_, j) => row.reduce((s, x, k) => s + x * B[k][j], 0)));
    const R = K.map((row, i) => row.map((x, j) => (i === j ? 1 : 0) - eta * x));
    let E = y.map((a) => y.map((b) => a * b));
    const out: number[] = [];
    let done = 0;
    for (const target of steps) {
      while (done < target) {
        const inner = E.map((row, i) => row.map((x, j) => (i === j ? P * x : 0) - x));
        const noise = mul(mul(K, inner), K);
        const drift = mul(mul(R, E), R);
        E = drift.map((row, i) => row.map((x, j) => x + ((eta * eta) / batch) * noise[i][j]));
        done++;
      }
      out.push(E.reduce((s, row, i) => s + row[i], 0) / P);
    }
    return out;
  }

  it('mean over 3000 batch streams within 3.5 s.e. of the exact recursion at every step and sigma', () => {
    const runs = 3000;
    const T = steps.length;
    const sum = new Float64Array(sigmas.length * T);
    const sum2 = new Float64Array(sigmas.length * T);
    for (let r = 0; r < runs; r++) {
      const { train } = reuseProjection({ ...data, M, P, sigmas: setup.sigmas, t: setup.t, seed: 41 }, { lr: eta, batch, sampling: 'replacement' }, null, 0, r);
      for (let i = 0; i < train.length; i++) {
        sum[i] += train[i];
        sum2[i] += train[i] * train[i];
      }
    }
    sigmas.forEach((sigma, s) => {
      const ref = exactTrain(sigma);
      steps.forEach((_, j) => {
        const i = s * T + j;
        const mean = sum[i] / runs;
        const se = Math.sqrt((sum2[i] / runs - mean * mean) / (runs - 1));
        expect(Math.abs(mean - ref[j])).toBeLessThan(3.5 * se);
      });
    });
    // Power: plain GD on the same data (no batch noise) is many s.e. away at t = 20.
    const gdTrain = (() => {
      const y = Array.from({ length: P }, (_, p) => data.y0[p]);
      const Kmat = (i: number, j: number) => {
        let s = 0;
        for (let k = 0; k < M; k++) s += data.Psi[i * M + k] * data.Psi[j * M + k];
        return s / P;
      };
      let e = y.slice();
      for (let step = 0; step < 20; step++) e = e.map((x, i) => x - eta * e.reduce((s, ej, j) => s + Kmat(i, j) * ej, 0));
      return e.reduce((s, x) => s + x * x, 0) / P;
    })();
    const mean = sum[2] / runs;
    const se = Math.sqrt((sum2[2] / runs - mean * mean) / (runs - 1));
    expect(Math.abs(mean - gdTrain)).toBeGreaterThan(6 * se);
  });
});

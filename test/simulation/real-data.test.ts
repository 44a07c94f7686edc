/**
 * The random-feature model trained on real data (src/simulation/real-data.ts):
 * reproducible from its seed, exact limits checked against closed forms
 * computed here another way (t = 0; the interpolating limit; the least-squares
 * fit when N >= D and P = n), and the guard on the work.
 */
import { describe, expect, it } from 'vitest';
import { drawTrainingSet, realDataMoments, runRealDataExperiment, STREAM_REAL_PROJECTION, type RealDataPopulation } from '../../src/simulation/real-data.js';
import { Xoshiro128 } from '../../src/simulation/index.js';

/** A small non-Gaussian data set: n = 300, D = 12 features (uniform, squared), y = nonlinear in x; centred. */
function smallData(): RealDataPopulation {
  const n = 300;
  const D = 12;
  const rng = new Xoshiro128([5, 5]);
  const psi = new Float64Array(n * D);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < D; j++) {
      const u = rng.nextDouble();
      psi[i * D + j] = u * u * (j + 1) ** -0.7;
      s += psi[i * D + j] * (j % 3 === 0 ? 1 : -0.5);
    }
    y[i] = Math.tanh(3 * s) + 0.1 * rng.nextNormal();
  }
  for (let j = 0; j < D; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += psi[i * D + j];
    for (let i = 0; i < n; i++) psi[i * D + j] -= m / n;
  }
  const ybar = y.reduce((s, v) => s + v, 0) / n;
  for (let i = 0; i < n; i++) y[i] -= ybar;
  return { n, D, psi, y };
}

describe('real-data experiment', () => {
  const data = smallData();
  const moments = realDataMoments(data);

  it('is reproducible: same seed, same numbers; seed s does not depend on how many seeds run', () => {
    const r1 = runRealDataExperiment(data, { N: 8, P: 40, t: [1, 100, Infinity], seeds: 3, seed: 11 });
    const r2 = runRealDataExperiment(data, { N: 8, P: 40, t: [1, 100, Infinity], seeds: 5, seed: 11 });
    for (let s = 0; s < 3; s++) expect(Array.from(r2.perSeedTest[s])).toEqual(Array.from(r1.perSeedTest[s]));
    const r3 = runRealDataExperiment(data, { N: 8, P: 40, t: [1, 100, Infinity], seeds: 3, seed: 12 });
    expect(r3.perSeedTest[0][0]).not.toBe(r1.perSeedTest[0][0]);
  });

  it('training samples are distinct (without replacement)', () => {
    const rows = drawTrainingSet(300, 250, 1, 0);
    expect(new Set(rows).size).toBe(250);
    expect(Math.max(...rows)).toBeLessThan(300);
  });

  it('t = 0: the test loss is mean(y^2) (w = 0)', () => {
    const r = runRealDataExperiment(data, { N: 16, P: 50, t: [0], seeds: 2, seed: 1 }, moments);
    expect(r.test.mean[0]).toBeCloseTo(moments.meanY2, 14);
  });

  it('over-parameterised (N > P), t = infinity: the train loss is 0 (interpolation)', () => {
    const r = runRealDataExperiment(data, { N: 64, P: 10, t: [Infinity], seeds: 2, seed: 1 }, moments);
    expect(r.form).toBe('sample');
    expect(r.train.mean[0]).toBeLessThan(1e-20 + 1e-10 * moments.meanY2);
  });

  it('N >= D, P = n, t = infinity: the least-squares fit on the population, whose loss is mean(y^2) - b^T Sigma^-1 b (computed here by Gaussian elimination)', () => {
    const D = data.D;
    // Solve Sigma w = b directly.
    const A = Array.from({ length: D }, (_, i) => [...Array.from(moments.sigma.subarray(i * D, i * D + D)), moments.b[i]]);
    for (let c = 0; c < D; c++) {
      let p = c;
      for (let r = c + 1; r < D; r++) if (Math.abs(A[r][c]) > Math.abs(A[p][c])) p = r;
      [A[c], A[p]] = [A[p], A[c]];
      for (let r = 0; r < D; r++) {
        if (r === c) continue;
        const f = A[r][c] / A[c][c];
        for (let k = c; k <= D; k++) A[r][k] -= f * A[c][k];
      }
    }
    const w = A.map((row, i) => row[D] / row[i]);
    const explained = w.reduce((s, wi, i) => s + wi * moments.b[i], 0);
    const r = runRealDataExperiment(data, { N: 40, P: data.n, t: [Infinity], seeds: 2, seed: 3 }, moments);
    expect(r.test.mean[0]).toBeCloseTo(moments.meanY2 - explained, 10);
    expect(r.test.stderr[0]).toBeLessThan(1e-10);
  });

  it('held-out loss: the loss over the samples not drawn, against a direct least-squares fit (N <= P, t = infinity) evaluated on them', () => {
    const N = 4;
    const P = 200;
    const seed = 7;
    const r = runRealDataExperiment(data, { N, P, t: [Infinity], seeds: 2, seed }, moments);
    const { n, D, psi, y } = data;
    for (let s = 0; s < 2; s++) {
      const rows = drawTrainingSet(n, P, seed, s);
      const At = new Xoshiro128([seed, s, STREAM_REAL_PROJECTION]).fillNormal(new Float64Array(D * N), 1 / Math.sqrt(N));
      const features = (i: number) => Array.from({ length: N }, (_, k) => {
        let v = 0;
        for (let j = 0; j < D; j++) v += psi[i * D + j] * At[j * N + k];
        return v;
      });
      // Normal equations Phi^T Phi w = Phi^T y by Gaussian elimination (the experiment uses an eigendecomposition).
      const A = Array.from({ length: N }, () => new Array<number>(N + 1).fill(0));
      for (const i of rows) {
        const f = features(i);
        for (let a = 0; a < N; a++) {
          for (let b = 0; b < N; b++) A[a][b] += f[a] * f[b];
          A[a][N] += f[a] * y[i];
        }
      }
      for (let c = 0; c < N; c++) {
        for (let q = 0; q < N; q++) {
          if (q === c) continue;
          const m = A[q][c] / A[c][c];
          for (let k = c; k <= N; k++) A[q][k] -= m * A[c][k];
        }
      }
      const w = A.map((row, i) => row[N] / row[i]);
      const train = new Set(rows);
      let sum = 0;
      for (let i = 0; i < n; i++) {
        if (train.has(i)) continue;
        const f = features(i).reduce((acc, v, k) => acc + v * w[k], 0);
        sum += (f - y[i]) ** 2;
      }
      expect(r.perSeedHeldOut[s][0]).toBeCloseTo(sum / (n - P), 10);
    }
    const all = runRealDataExperiment(data, { N, P: data.n, t: [Infinity], seeds: 2, seed }, moments);
    expect(Number.isNaN(all.heldOut.mean[0])).toBe(true);
  });

  it('invalid requests are refused naming the argument, before any work', () => {
    expect(() => runRealDataExperiment(data, { N: 8, P: 301, t: [1], seeds: 2, seed: 1 })).toThrow(/P must be at most the number of samples n = 300/);
    expect(() => runRealDataExperiment(data, { N: 8, P: 30, t: [1], seeds: 1, seed: 1 })).toThrow(/seeds must be an integer >= 2/);
    expect(() => runRealDataExperiment(data, { N: 8, P: 30, t: [-1], seeds: 2, seed: 1 })).toThrow(/t\[0\] must be a number >= 0/);
    const big: RealDataPopulation = { n: 10, D: 1e6, psi: new Float64Array(0), y: new Float64Array(10) };
    expect(() => runRealDataExperiment({ ...big, psi: new Float64Array(10 * 1e6) }, { N: 4096, P: 10, t: [1], seeds: 2, seed: 1 })).toThrow(/above the limit 2e\+10/);
  });
});

// Minibatch SGD on real samples (src/simulation/real-data-sgd.ts): batch = P by epochs is
// full-batch GD, checked against a direct GD loop written here (independent of the simulator's
// loops), and the seeding: same seed, same numbers; other seed, other numbers.
import { describe, expect, it } from 'vitest';
import { Xoshiro128 } from '../../src/simulation/random.js';
import { drawTrainingSet, liveFeatures, realDataMoments, STREAM_REAL_PROJECTION, type RealDataPopulation } from '../../src/simulation/real-data.js';
import { realDataSgdSeed, runRealDataSgd } from '../../src/simulation/real-data-sgd.js';

function population(n: number, D: number): RealDataPopulation {
  const rng = new Xoshiro128([7, 7, 7]);
  const psi = rng.fillNormal(new Float64Array(n * D), 1);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < D; j++) y[i] += psi[i * D + j] / (j + 1);
  // a part no linear model fits (acts as label noise)
  for (let i = 0; i < n; i++) y[i] += 0.3 * Math.sin(7 * psi[i * D]);
  return { n, D, psi, y };
}

describe('SGD on real samples', () => {
  const pop = population(60, 5);
  const moments = realDataMoments(pop);
  const problem = { N: 4, P: 12, t: [0, 3, 20], lr: 0.05, batch: 12, sampling: 'epochs' as const, seeds: 2, seed: 3 };
  it('batch = P by epochs equals a direct full-batch GD loop (test and train loss)', () => {
    const got = realDataSgdSeed(pop, moments, problem, 1);
    // the same samples and projection as the simulator draws (its documented streams)
    const rows = drawTrainingSet(pop.n, problem.P, problem.seed, 1);
    const features = liveFeatures(pop, moments);
    const D = features.columns.length;
    const A = new Xoshiro128([problem.seed, 1, STREAM_REAL_PROJECTION]).fillNormal(new Float64Array(pop.D * problem.N), 1 / Math.sqrt(problem.N));
    const phi = (x: number[]) => Array.from({ length: problem.N }, (_, i) => x.reduce((s, v, q) => s + v * A[features.columns[q] * problem.N + i], 0));
    const Phi = Array.from(rows, (r) => phi(Array.from(features.psi.subarray(r * D, r * D + D))));
    const y = Array.from(rows, (r) => pop.y[r]);
    let w = new Array(problem.N).fill(0);
    const loss = (w: number[]) => {
      const train = Phi.reduce((s, row, p) => s + (row.reduce((f, v, i) => f + v * w[i], 0) - y[p]) ** 2, 0) / problem.P;
      let test = 0;
      for (let k = 0; k < pop.n; k++) {
        const f = phi(Array.from(features.psi.subarray(k * D, k * D + D))).reduce((s, v, i) => s + v * w[i], 0);
        test += (f - pop.y[k]) ** 2 / pop.n;
      }
      return { train, test };
    };
    let step = 0;
    problem.t.forEach((target, j) => {
      for (; step < target; step++) {
        const r = Phi.map((row, p) => row.reduce((f, v, i) => f + v * w[i], 0) - y[p]);
        w = w.map((wi, i) => wi - (problem.lr / problem.P) * Phi.reduce((s, row, p) => s + r[p] * row[i], 0));
      }
      const ref = loss(w);
      expect(got.train[j]).toBeCloseTo(ref.train, 10);
      // the population loss from the moments (u^T Sigma u - 2 u^T b + mean y^2) is the mean squared error over all n
      expect(got.test[j]).toBeCloseTo(ref.test, 10);
    });
  });
  it('is reproducible per seed and differs across seeds (with replacement)', () => {
    const p = { ...problem, batch: 2, sampling: 'replacement' as const };
    const a = runRealDataSgd(pop, moments, p);
    const b = runRealDataSgd(pop, moments, p);
    expect(Array.from(a.perSeedTest[0])).toEqual(Array.from(b.perSeedTest[0]));
    expect(a.perSeedTest[0][2]).not.toBe(a.perSeedTest[1][2]);
  });
  it('refuses invalid input naming the argument', () => {
    expect(() => runRealDataSgd(pop, moments, { ...problem, t: [2.5] })).toThrow(/^t /);
    expect(() => runRealDataSgd(pop, moments, { ...problem, P: 1000 })).toThrow(/^P /);
    expect(() => runRealDataSgd(pop, moments, { ...problem, lr: 0 })).toThrow(/^lr /);
  });
});

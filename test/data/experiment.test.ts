/**
 * The experiment's statistic (src/data/experiment.ts): the median over seeds
 * with its distribution-free order-statistic interval, honest for the
 * heavy-tailed per-seed losses near interpolation where the mean and its
 * standard error are not; no verdict below six seeds; the held-out loss and
 * the DMFT train loss clamped at round-off.
 */
import { describe, expect, it } from 'vitest';
import { clampRoundoff, compareWithExperiment, computePopulation, makeDataset, medianInterval, MIN_SEEDS_FOR_VERDICT, seedVerdict } from '../../src/data/index.js';
import { compareSeries } from '../../src/reconcile/agreement.js';
import { Xoshiro128 } from '../../src/simulation/index.js';

/** P(Bin(S, 1/2) <= i) exactly, with BigInt binomial coefficients (an independent path to the coverage). */
function binomialCdf(S: number, i: number): number {
  let sum = 0n;
  let choose = 1n;
  for (let k = 0; k <= i; k++) {
    if (k > 0) choose = (choose * BigInt(S - k + 1)) / BigInt(k);
    sum += choose;
  }
  return Number(sum) / 2 ** S;
}

describe('median interval of the seeds', () => {
  it.each([6, 7, 9, 12, 20, 40, 101])('S = %i seeds: the widest-j interval with coverage >= 95%%, coverage exact', (S) => {
    const values = Array.from({ length: S }, (_, i) => (i * 7919) % S); // a permutation of 0..S-1: x_(r) = r - 1
    const m = medianInterval(values);
    // Largest j with 1 - 2 P(B <= j - 1) >= 0.95, by the exact binomial.
    let j = 0;
    while (2 * (j + 1) <= S && 1 - 2 * binomialCdf(S, j) >= 0.95) j++;
    expect(j).toBeGreaterThan(0);
    expect(m.low).toBe(j - 1);
    expect(m.high).toBe(S - j);
    expect(m.coverage).toBeCloseTo(1 - 2 * binomialCdf(S, j - 1), 12);
    expect(m.median).toBe((S - 1) / 2);
  });

  it('fewer than six seeds cannot give 95% (five give 1 - 2/32 = 94%): no interval', () => {
    expect(MIN_SEEDS_FOR_VERDICT).toBe(6);
    const m = medianInterval([1, 2, 3, 4, 5]);
    expect(m.median).toBe(3);
    expect(Number.isNaN(m.low)).toBe(true);
    expect(seedVerdict(3, [1, 2, 3, 4, 5]).verdict).toBe('too_few_seeds');
    expect(seedVerdict(3, [1, 2, 3, 4, 5]).agrees).toBeNull();
  });

  it('heavy tails: the mean +- 3 s.e. "agrees" with an 11x gap, the median does not', () => {
    // Per-seed losses shaped like MNIST N = 1024, P = 2048, t = infinity (median about 29, rare losses in the thousands).
    const perSeed = [11, 14, 19, 23, 26, 28, 30, 41, 57, 90, 1900, 6100];
    const theory = 0.51;
    const mean = perSeed.reduce((s, v) => s + v, 0) / perSeed.length;
    const se = Math.sqrt(perSeed.reduce((s, v) => s + (v - mean) ** 2, 0) / (perSeed.length - 1) / perSeed.length);
    expect(compareSeries([theory], [mean], [se]).points[0].agrees).toBe(true); // the old statistic
    const verdict = seedVerdict(theory, perSeed);
    expect(verdict.agrees).toBe(false);
    expect(verdict.median).toBe(29);
    expect(verdict.low).toBe(19);
    expect(verdict.high).toBe(90); // S = 12: [x_(3), x_(10)], coverage 1 - 2 * 79/4096 = 0.961
  });
});

describe('compareWithExperiment', () => {
  // A small data set: n = 200, d = 10, y nonlinear in x.
  const n = 200;
  const d = 10;
  const rng = new Xoshiro128([3, 17]);
  const x = new Float64Array(n * d);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      x[i * d + j] = rng.nextNormal() * (j + 1) ** -0.8;
      s += x[i * d + j];
    }
    y[i] = Math.tanh(s) + 0.2 * rng.nextNormal();
  }
  const dataset = makeDataset(x, y, n, d);
  const population = computePopulation(dataset);

  it('rows carry the median of the seeds (the verdict statistic), the held-out loss, and no verdict with too few seeds', () => {
    const few = compareWithExperiment(population, dataset, { N: [6], P: [150], t: [10, Infinity], seeds: 3, seed: 1 });
    for (const row of few.rows) {
      expect(row.agrees).toBeNull();
      expect(row.verdict).toBe('too_few_seeds');
    }
    const many = compareWithExperiment(population, dataset, { N: [6], P: [150], t: [10, Infinity], seeds: 7, seed: 1 });
    const row = many.rows[1];
    expect(row.agrees).not.toBeNull();
    expect(Number.isFinite(row.median)).toBe(true);
    expect(row.medianLow).toBeLessThanOrEqual(row.median);
    expect(row.medianHigh).toBeGreaterThanOrEqual(row.median);
    // P = 150 of n = 200: the population loss includes 150 fitted samples; held out, the loss is higher.
    expect(row.heldOut).toBeGreaterThan(row.median);
    expect(String(many.parameters.statistic)).toMatch(/median over seeds, 95% order-statistic interval/);
  }, 60_000);

  it('a DMFT train loss below zero by rounding is 0; beyond its error it is kept', () => {
    expect(clampRoundoff(-4.7e-19, 1e-14, 1)).toBe(0);
    expect(clampRoundoff(-4.7e-19, Number.NaN, 1)).toBe(0);
    expect(clampRoundoff(-1e-3, 1e-8, 1)).toBe(-1e-3);
    expect(clampRoundoff(0.25, 1e-8, 1)).toBe(0.25);
    const rows = compareWithExperiment(population, dataset, { N: [40], P: [20], t: [Infinity], seeds: 2, seed: 1 }).rows;
    expect(rows[0].theoryTrain).toBeGreaterThanOrEqual(0);
  }, 60_000);
});

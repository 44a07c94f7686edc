/**
 * Prediction against reality (THEORY E30): the DMFT on a data set's empirical
 * population (the real Lambda and c as a custom spectrum, sigma^2 from E30)
 * beside the random-feature model trained on the real samples
 * (src/simulation/real-data.ts), per (N, P, t).
 *
 * The verdict uses the MEDIAN over seeds, not the mean: near interpolation the
 * per-seed losses are heavy-tailed (N = 1024, P = 2048, t = infinity on MNIST:
 * 12 seeds have mean 698 and median 29), so the mean with its standard error
 * is dominated by rare huge losses and "agrees" with almost anything. The
 * median's interval is the distribution-free order-statistic interval
 * [x_(j), x_(S+1-j)] (the number of seeds below the median is Binomial(S, 1/2)),
 * with the largest j whose coverage 1 - 2 P(Bin(S, 1/2) < j) is at least 95%.
 * That needs S >= 6 seeds (S = 5 gives only 94%): with fewer, no verdict. A
 * point agrees when the DMFT lies in that interval widened by 2% of the median
 * (the project's relative criterion).
 */
import { InvalidArgumentError } from '../core/errors.js';
import type { Status } from '../core/solution.js';
import { solveCurve } from '../numeric/index.js';
import { runRealDataExperiment, type RealDataMoments, type RealDataPopulation } from '../simulation/real-data.js';
import { customSpectrum } from '../spectrum/index.js';
import type { Dataset } from './dataset.js';
import { centredCovariance, type Population } from './population.js';

export interface ExperimentGrid {
  readonly N: readonly number[];
  readonly P: readonly number[];
  /** Times (Infinity allowed); default 0, 1, 10, 100, 1e3, 1e4, Infinity. */
  readonly t?: readonly number[];
  readonly seeds: number;
  readonly seed: number;
}

export const DEFAULT_EXPERIMENT_TIMES: readonly number[] = [1, 10, 100, 1000, 10000, Infinity];

/** Confidence of the median's order-statistic interval (see the module comment). */
export const MEDIAN_INTERVAL_LEVEL = 0.95;
/** Fewest seeds whose [min, max] covers the median with probability >= MEDIAN_INTERVAL_LEVEL (1 - 2^(1-S) >= 0.95). */
export const MIN_SEEDS_FOR_VERDICT = 6;
/** Relative tolerance added to the interval (the project's 2% criterion). */
export const RELATIVE_TOLERANCE = 0.02;

/** Median of S values and its distribution-free interval; low/high NaN when S seeds cannot give the level. */
export function medianInterval(values: ArrayLike<number>, level = MEDIAN_INTERVAL_LEVEL): { median: number; low: number; high: number; coverage: number } {
  const x = Float64Array.from(values).sort();
  const S = x.length;
  if (S === 0) return { median: Number.NaN, low: Number.NaN, high: Number.NaN, coverage: 0 };
  const median = S % 2 === 1 ? x[(S - 1) / 2] : (x[S / 2 - 1] + x[S / 2]) / 2;
  // P(Bin(S, 1/2) <= i), accumulated in logs of binomial coefficients (S may be large).
  let best = 0;
  let coverage = 0;
  let cdf = 0;
  let logChoose = 0;
  for (let j = 1; 2 * j <= S; j++) {
    const i = j - 1;
    if (i > 0) logChoose += Math.log((S - i + 1) / i);
    cdf += Math.exp(logChoose - S * Math.LN2);
    const c = 1 - 2 * cdf;
    if (c >= level) {
      best = j;
      coverage = c;
    } else break;
  }
  if (best === 0) return { median, low: Number.NaN, high: Number.NaN, coverage: 0 };
  return { median, low: x[best - 1], high: x[S - best], coverage };
}

/**
 * The DMFT's train loss where rounding made it negative (a sum of squares
 * computed as a difference: -4.7e-19 at interpolation) is 0 within its error;
 * a negative value beyond its error estimate and rounding is kept, so that it shows.
 */
export function clampRoundoff(value: number, error: number, scale: number): number {
  return value < 0 && -value <= Math.max(Number.isFinite(error) ? error : 0, 1e-12 * Math.abs(scale)) ? 0 : value;
}

export type Verdict = 'agrees' | 'disagrees' | 'too_few_seeds';

/** The verdict on one point: the theory inside the median's interval widened by RELATIVE_TOLERANCE, or no verdict. */
export function seedVerdict(theory: number, perSeed: ArrayLike<number>): { median: number; low: number; high: number; agrees: boolean | null; verdict: Verdict } {
  const m = medianInterval(perSeed);
  const slack = RELATIVE_TOLERANCE * Math.abs(m.median);
  const agrees = Number.isNaN(m.low) ? null : Number.isFinite(theory) && theory >= m.low - slack && theory <= m.high + slack;
  return { median: m.median, low: m.low, high: m.high, agrees, verdict: agrees === null ? 'too_few_seeds' : agrees ? 'agrees' : 'disagrees' };
}

export interface AgreementRow {
  readonly N: number;
  readonly P: number;
  readonly t: number;
  readonly theory: number;
  readonly theoryError: number;
  readonly theoryStatus: Status;
  /** Median test loss over the seeds (the statistic of the verdict) and its order-statistic interval. */
  readonly median: number;
  readonly medianLow: number;
  readonly medianHigh: number;
  /** Mean and standard error over seeds (shown; not used for the verdict: heavy tails). */
  readonly experiment: number;
  readonly stderr: number;
  /** (theory - mean) / stderr, for reference. */
  readonly z: number;
  /** (theory - median) / |median|. */
  readonly relativeDifference: number;
  /** null when there are fewer than MIN_SEEDS_FOR_VERDICT seeds. */
  readonly agrees: boolean | null;
  readonly verdict: Verdict;
  /** Median loss over the samples not drawn for training (NaN when P = n). */
  readonly heldOut: number;
  /** Median train loss over seeds. */
  readonly experimentTrain: number;
  /** DMFT train loss, rounding below zero clamped to 0 (clampRoundoff). */
  readonly theoryTrain: number;
}

/** The result of compareWithExperiment. */
export interface RealDataComparison {
  readonly rows: AgreementRow[];
  readonly parameters: Record<string, unknown>;
  readonly timing: { theoryMs: number; experimentMs: number };
}

/** Centred features and targets of a data set, and its moments, for the experiment. */
export function experimentData(dataset: Dataset): { data: RealDataPopulation; moments: RealDataMoments } {
  const { n, d, features, targets } = dataset;
  const { covariance, mean } = centredCovariance(features, n, d);
  const psi = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) psi[i * d + j] = features[i * d + j] - mean[j];
  let ybar = 0;
  for (let i = 0; i < n; i++) ybar += targets[i];
  ybar /= n;
  const y = Float64Array.from(targets, (v) => v - ybar);
  const b = new Float64Array(d);
  let meanY2 = 0;
  for (let i = 0; i < n; i++) {
    meanY2 += y[i] * y[i];
    for (let j = 0; j < d; j++) b[j] += psi[i * d + j] * y[i];
  }
  for (let j = 0; j < d; j++) b[j] /= n;
  return { data: { n, D: d, psi, y }, moments: { sigma: covariance, b, meanY2: meanY2 / n } };
}

/** What one (N, P) cell of a comparison supplies: the theory at the grid's times and the per-seed trained losses. */
export interface ComparisonCell {
  readonly theory: { test: ArrayLike<number>; testError: ArrayLike<number>; testStatus: readonly Status[]; train: ArrayLike<number>; trainError: ArrayLike<number> };
  readonly perSeedTest: readonly Float64Array[];
  readonly perSeedTrain: readonly Float64Array[];
  /** Per-seed held-out losses; absent: `heldout` is NaN. */
  readonly perSeedHeldOut?: readonly Float64Array[];
  /** Mean and standard error over seeds when the experiment computed them; absent: from the per-seed losses. */
  readonly test?: { mean: ArrayLike<number>; stderr: ArrayLike<number> };
}

/** The inputs every cell needs: the population as a spectrum, sigma, and the centred data with its moments. */
export interface ComparisonContext {
  readonly spectrum: ReturnType<typeof customSpectrum>;
  readonly sigma: number;
  readonly data: RealDataPopulation;
  readonly moments: RealDataMoments;
}

/**
 * The comparison over a grid of (N, P) for any training (gradient flow here, SGD in sgd-experiment.ts): one
 * cell per (N, P) from `cell`, timed as theory and experiment, turned into rows with the median verdict.
 */
export function compareOverGrid(
  population: Population,
  dataset: Dataset,
  grid: ExperimentGrid,
  t: readonly number[],
  cell: (N: number, P: number, context: ComparisonContext, timing: { theoryMs: number; experimentMs: number }) => ComparisonCell,
): { rows: AgreementRow[]; timing: { theoryMs: number; experimentMs: number } } {
  if (grid.N.length === 0 || grid.P.length === 0) throw new InvalidArgumentError('N', 'and P must each list at least one size');
  const { data, moments } = experimentData(dataset);
  const context: ComparisonContext = { spectrum: customSpectrum(population.lambda, population.c, 'population (E30)'), sigma: Math.sqrt(population.sigma2), data, moments };
  const rows: AgreementRow[] = [];
  const timing = { theoryMs: 0, experimentMs: 0 };
  for (const N of grid.N) {
    for (const P of grid.P) {
      const c = cell(N, P, context, timing);
      for (let j = 0; j < t.length; j++) {
        const column = (perSeed: readonly Float64Array[]) => perSeed.map((row) => row[j]);
        const tests = column(c.perSeedTest);
        const value = c.theory.test[j];
        const m = seedVerdict(value, tests);
        const mean = c.test ? c.test.mean[j] : tests.reduce((x, y) => x + y, 0) / tests.length;
        const se = c.test ? c.test.stderr[j] : Math.sqrt(tests.reduce((x, y) => x + (y - mean) ** 2, 0) / (tests.length - 1) / tests.length);
        rows.push({
          N,
          P,
          t: t[j],
          theory: value,
          theoryError: c.theory.testError[j],
          theoryStatus: c.theory.testStatus[j],
          median: m.median,
          medianLow: m.low,
          medianHigh: m.high,
          experiment: mean,
          stderr: se,
          z: se > 0 ? (value - mean) / se : Number.NaN,
          relativeDifference: m.median !== 0 ? (value - m.median) / Math.abs(m.median) : Number.NaN,
          agrees: m.agrees,
          verdict: m.verdict,
          heldOut: c.perSeedHeldOut ? medianInterval(column(c.perSeedHeldOut)).median : Number.NaN,
          experimentTrain: medianInterval(column(c.perSeedTrain)).median,
          theoryTrain: clampRoundoff(c.theory.train[j], c.theory.trainError[j], population.meanY2),
        });
      }
    }
  }
  return { rows, timing };
}

/** The statistic's description, for the parameters of a comparison. */
export const STATISTIC_TEXT = `median over seeds, ${100 * MEDIAN_INTERVAL_LEVEL}% order-statistic interval, +-${100 * RELATIVE_TOLERANCE}%; no verdict below ${MIN_SEEDS_FOR_VERDICT} seeds`;

/** Theory beside experiment over a grid of (N, P). */
export function compareWithExperiment(population: Population, dataset: Dataset, grid: ExperimentGrid): RealDataComparison {
  const t = [...(grid.t ?? DEFAULT_EXPERIMENT_TIMES)];
  const { rows, timing } = compareOverGrid(population, dataset, grid, t, (N, P, { spectrum, sigma, data, moments }, clock) => {
    const t0 = performance.now();
    const theory = solveCurve({ spectrum, N, P, sigma, t });
    const t1 = performance.now();
    const exp = runRealDataExperiment(data, { N, P, t, seeds: grid.seeds, seed: grid.seed }, moments);
    clock.theoryMs += t1 - t0;
    clock.experimentMs += performance.now() - t1;
    return {
      theory: { test: theory.test, testError: theory.errorEstimate.test, testStatus: theory.statusPerTime, train: theory.train, trainError: theory.errorEstimate.train },
      perSeedTest: exp.perSeedTest,
      perSeedTrain: exp.perSeedTrain,
      perSeedHeldOut: exp.perSeedHeldOut,
      test: exp.test,
    };
  });
  return {
    rows,
    parameters: { N: [...grid.N], P: [...grid.P], t, seeds: grid.seeds, seed: grid.seed, statistic: STATISTIC_TEXT, sigma2: population.sigma2, modes: population.rank, n: population.n, d: population.d },
    timing,
  };
}

/**
 * Prediction against reality (THEORY E30): the DMFT on a data set's empirical
 * population (the real Lambda and c as a custom spectrum, sigma^2 from E30)
 * beside the random-feature model trained on the real samples
 * (src/simulation/real-data.ts), per (N, P, t), with the agreement of each
 * point (3 standard errors or 2% relative, the project's criterion).
 */
import { InvalidArgumentError } from '../core/errors.js';
import type { Status } from '../core/solution.js';
import { solveCurve } from '../numeric/index.js';
import { compareSeries, type PointAgreement } from '../reconcile/agreement.js';
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

export interface AgreementRow {
  readonly N: number;
  readonly P: number;
  readonly t: number;
  readonly theory: number;
  readonly theoryError: number;
  readonly theoryStatus: Status;
  readonly experiment: number;
  readonly stderr: number;
  readonly z: number;
  readonly relativeDifference: number;
  readonly agrees: boolean;
  readonly experimentTrain: number;
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

/** Theory beside experiment over a grid of (N, P). */
export function compareWithExperiment(population: Population, dataset: Dataset, grid: ExperimentGrid): RealDataComparison {
  if (grid.N.length === 0 || grid.P.length === 0) throw new InvalidArgumentError('N', 'and P must each list at least one size');
  const t = [...(grid.t ?? DEFAULT_EXPERIMENT_TIMES)];
  const { data, moments } = experimentData(dataset);
  const spectrum = customSpectrum(population.lambda, population.c, 'population (E30)');
  const sigma = Math.sqrt(population.sigma2);
  const rows: AgreementRow[] = [];
  let theoryMs = 0;
  let experimentMs = 0;
  for (const N of grid.N) {
    for (const P of grid.P) {
      const t0 = performance.now();
      const theory = solveCurve({ spectrum, N, P, sigma, t });
      const t1 = performance.now();
      const exp = runRealDataExperiment(data, { N, P, t, seeds: grid.seeds, seed: grid.seed }, moments);
      const t2 = performance.now();
      theoryMs += t1 - t0;
      experimentMs += t2 - t1;
      const agreement = compareSeries(theory.test, exp.test.mean, exp.test.stderr);
      agreement.points.forEach((point: PointAgreement, j) => {
        rows.push({
          N,
          P,
          t: t[j],
          theory: point.theory,
          theoryError: theory.errorEstimate.test[j],
          theoryStatus: theory.statusPerTime[j],
          experiment: point.mean,
          stderr: point.stderr,
          z: point.z,
          relativeDifference: point.relativeDifference,
          agrees: point.agrees,
          experimentTrain: exp.train.mean[j],
          theoryTrain: theory.train[j],
        });
      });
    }
  }
  return {
    rows,
    parameters: { N: [...grid.N], P: [...grid.P], t, seeds: grid.seeds, seed: grid.seed, sigma2: population.sigma2, modes: population.rank, n: population.n, d: population.d },
    timing: { theoryMs, experimentMs },
  };
}

/**
 * Prediction against reality for minibatch SGD on the real samples (THEORY
 * E28b, E30): the finite-P SGD DMFT (numeric solveSgdReuseCurve) on the data
 * set's population spectrum beside the random-feature model trained by SGD on
 * the real samples (src/simulation/real-data-sgd.ts), per (N, P, t), with the
 * statistic and verdict of the gradient-flow experiment (experiment.ts: the
 * median over seeds and its order-statistic interval widened by 2 %).
 */
import { InvalidArgumentError } from '../core/errors.js';
import { makeDynamics, type OnePassSgd } from '../dynamics/index.js';
import { solveSgdReuseCurve } from '../numeric/index.js';
import { realDataSgdWork, runRealDataSgd } from '../simulation/real-data-sgd.js';
import type { ReuseSampling } from '../dynamics/index.js';
import type { Dataset } from './dataset.js';
import { compareOverGrid, STATISTIC_TEXT, type ExperimentGrid, type RealDataComparison } from './experiment.js';
import { REAL_DATA_COST } from './cost.js';
import type { Population } from './population.js';

/** Default step counts of the SGD experiment. */
export const DEFAULT_SGD_EXPERIMENT_STEPS: readonly number[] = [10, 100, 1000, 10000];

/** SGD settings of the experiment. */
export interface SgdExperimentSettings {
  readonly lr: number;
  readonly batch: number;
  readonly sampling?: ReuseSampling;
}

/** Seconds of compareSgdWithExperiment's trained models (the cost model of real-data-sgd.ts at REAL_DATA_COST's rate). */
export function estimateSgdExperimentSeconds(grid: { readonly N: readonly number[]; readonly P: readonly number[]; readonly seeds: number; readonly t: readonly number[]; readonly batch: number }, D: number): number {
  let operations = 0;
  for (const N of grid.N) for (const P of grid.P) operations += realDataSgdWork(D, { N, P, t: grid.t, batch: grid.batch });
  return grid.seeds * operations * REAL_DATA_COST.secondsPerOperation;
}

/** Theory beside the SGD-trained model over a grid of (N, P); t in steps (default DEFAULT_SGD_EXPERIMENT_STEPS). */
export function compareSgdWithExperiment(population: Population, dataset: Dataset, grid: ExperimentGrid, sgd: SgdExperimentSettings): RealDataComparison {
  const t = [...(grid.t ?? DEFAULT_SGD_EXPERIMENT_STEPS)];
  for (const ti of t) if (!(Number.isInteger(ti) && (ti === 0 || ti >= 2))) throw new InvalidArgumentError('t', 'must list whole step counts, 0 or >= 2, with --optimizer sgd', ti);
  const dynamics = makeDynamics({ optimizer: 'sgd', lr: sgd.lr, batch: sgd.batch }) as OnePassSgd;
  const { rows, timing } = compareOverGrid(population, dataset, grid, t, (N, P, { spectrum, sigma, data, moments }, clock) => {
    const t0 = performance.now();
    const theory = solveSgdReuseCurve({ spectrum, N, P, sigma, t, dynamics, sampling: sgd.sampling });
    const t1 = performance.now();
    const exp = runRealDataSgd(data, moments, { N, P, t, lr: dynamics.lr, batch: dynamics.batch, sampling: sgd.sampling, seeds: grid.seeds, seed: grid.seed });
    clock.theoryMs += t1 - t0;
    clock.experimentMs += performance.now() - t1;
    return {
      // The test loss's own status (SGD on fixed samples does not derive L_A, which the time's status would carry).
      theory: { test: theory.test, testError: theory.errorEstimate.test, testStatus: theory.quantityStatus.test, train: theory.train, trainError: theory.errorEstimate.train },
      perSeedTest: exp.perSeedTest,
      perSeedTrain: exp.perSeedTrain,
    };
  });
  return {
    rows,
    parameters: {
      optimizer: 'sgd', lr: dynamics.lr, batch: dynamics.batch, sampling: sgd.sampling ?? 'replacement',
      N: [...grid.N], P: [...grid.P], t, seeds: grid.seeds, seed: grid.seed, statistic: STATISTIC_TEXT,
      sigma2: population.sigma2, modes: population.rank, n: population.n, d: population.d,
    },
    timing,
  };
}

/**
 * `experiment --optimizer sgd --lr --batch [--sampling]`: the random-feature
 * model trained by minibatch SGD on the real samples beside the finite-P SGD
 * DMFT on the population (src/data/sgd-experiment.ts). Flags and the cost
 * estimate are checked before any work, as for the gradient-flow experiment.
 */
import { checkEstimatedSeconds } from '../../core/limits.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { compareSgdWithExperiment, DEFAULT_SGD_EXPERIMENT_STEPS, estimateSgdExperimentSeconds } from '../../data/sgd-experiment.js';
import type { Dataset, DataSource, Population, RealDataComparison } from '../../data/index.js';
import { REUSE_SAMPLINGS } from '../../dynamics/index.js';
import { parseChoice, parseCount, parseReal, parseSeed } from '../parse.js';

type Grid = { N: number[]; P: number[]; seeds: number; seed: number; t: number[] };

/** The gradient-flow experiment's helpers (src/cli/commands/data.ts), passed in so that this file does not import that one. */
interface Helpers {
  readonly runExperiment: (source: DataSource, grid: Grid, format: 'md' | 'csv' | 'json', checkCost: (D: number) => void, compare: (population: Population, dataset: Dataset, g: Grid) => RealDataComparison) => string;
  readonly secondsLimit: (text: string | undefined) => number;
  readonly knownDimension: (source: DataSource) => number;
  readonly parseSizes: (flag: string, text: string) => number[];
}

/** Parses the SGD experiment's flags, checks the cost, runs it; returns the table text. */
export function runSgdExperimentCommand(
  source: DataSource,
  flags: { N: string; P: string; seeds?: string; seed?: string; t?: string; format?: string; maxSeconds?: string; lr?: string; batch?: string; sampling?: string },
  helpers: Helpers,
): string {
  const N = helpers.parseSizes('--N', flags.N);
  const P = helpers.parseSizes('--P', flags.P);
  if (flags.lr === undefined) throw new InvalidArgumentError('--lr', 'is required with --optimizer sgd');
  const lr = parseReal('--lr', flags.lr);
  if (!(lr > 0)) throw new InvalidArgumentError('--lr', 'must be > 0', flags.lr);
  const batch = parseCount('--batch', flags.batch ?? '1');
  const sampling = flags.sampling === undefined ? undefined : parseChoice('--sampling', flags.sampling, REUSE_SAMPLINGS);
  const seeds = parseCount('--seeds', flags.seeds ?? '8');
  if (seeds < 2) throw new InvalidArgumentError('--seeds', 'must be at least 2 (a standard error needs two seeds)', flags.seeds);
  const seed = parseSeed('--seed', flags.seed ?? '1');
  const t = flags.t === undefined ? [...DEFAULT_SGD_EXPERIMENT_STEPS] : flags.t.split(',').map((x) => (x.trim() === '0' ? 0 : parseCount('--t', x.trim()))); // step 0 is the initial loss
  for (const ti of t) if (ti === 1) throw new InvalidArgumentError('--t', 'must list step counts 0 or >= 2 with --optimizer sgd', ti);
  for (const p of P) {
    if (p < 2) throw new InvalidArgumentError('--P', 'must be at least 2 with --optimizer sgd', p);
    if (source.kind === 'mnist' && p > 10000) throw new InvalidArgumentError('--P', 'must be at most 10000 (the MNIST images, drawn without replacement)', p);
  }
  // The DMFT predicts epochs only where every step is full-batch GD (THEORY E28b: the epoch closure is not derived).
  if (sampling === 'epochs') for (const p of P) if (batch % p !== 0) throw new InvalidArgumentError('--sampling', `epochs is predicted only for a batch that is a multiple of P (full-batch GD); --batch ${batch} with --P ${p} is not`, flags.sampling);
  const format = parseChoice('--format', flags.format ?? 'md', ['md', 'csv', 'json'] as const);
  const maxSeconds = helpers.secondsLimit(flags.maxSeconds);
  const checkCost = (D: number) =>
    checkEstimatedSeconds('--seeds', seeds, estimateSgdExperimentSeconds({ N, P, seeds, t, batch }, D), maxSeconds, '--max-seconds', '--seeds, --N, --P or --t');
  checkCost(helpers.knownDimension(source));
  return helpers.runExperiment(source, { N, P, seeds, seed, t }, format, checkCost, (population, dataset, grid) => compareSgdWithExperiment(population, dataset, grid, { lr, batch, sampling }));
}

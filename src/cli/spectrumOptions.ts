/** Turning --a/--b/--M, --spectrum, or a data set (--dataset / --data --targets) into a validated Spectrum. */
import { InvalidArgumentError } from '../core/errors.js';
import { DEFAULT_MAX_INPUT_BYTES } from '../core/limits.js';
import { describeSource, parseTargetSpec, populationFromSource, MAX_RELU_WIDTH, type DataSource, type FeatureMap, type SourcedPopulation } from '../data/index.js';
import { customSpectrum, loadSpectrumFile, powerLawSpectrum, type Spectrum } from '../spectrum/index.js';
import { parseChoice, parseCount, parseReal, parseSeed, parseSize } from './parse.js';

export interface SpectrumFlags {
  a?: string;
  b?: string;
  M?: string;
  spectrum?: string;
  /** Built-in data set (mnist) or a user's files, with feature map and target (THEORY E30). */
  dataset?: string;
  data?: string;
  targets?: string;
  features?: string;
  width?: string;
  featureSeed?: string;
  target?: string;
  /** Largest input file (--data, --targets, --spectrum) read, MiB. */
  maxInputSize?: string;
}

/** How the input-file limit is raised, quoted in its refusal. */
export const RAISE_INPUT_LIMIT = '--max-input-size (MiB)';

/** The input-file limit in bytes: --max-input-size MiB, or DEFAULT_MAX_INPUT_BYTES. */
export function inputLimit(flags: SpectrumFlags): number {
  if (flags.maxInputSize === undefined) return DEFAULT_MAX_INPUT_BYTES;
  const mebibytes = parseReal('--max-input-size', flags.maxInputSize);
  if (!(mebibytes > 0)) throw new InvalidArgumentError('--max-input-size', 'must be > 0 (MiB)', flags.maxInputSize);
  return mebibytes * 2 ** 20;
}

export const DATASETS = ['mnist'] as const;

/** The data source the flags name, or undefined when they name none. Validates every data flag before any work. */
export function dataSourceFromFlags(flags: SpectrumFlags): DataSource | undefined {
  const hasData = flags.dataset !== undefined || flags.data !== undefined;
  const maxFileBytes = inputLimit(flags);
  if (flags.maxInputSize !== undefined && flags.data === undefined && flags.spectrum === undefined) {
    throw new InvalidArgumentError('--max-input-size', 'only applies with --data or --spectrum (files read whole)', flags.maxInputSize);
  }
  if (!hasData) {
    for (const flag of ['targets', 'features', 'width', 'featureSeed', 'target'] as const) {
      if (flags[flag] !== undefined) throw new InvalidArgumentError(flagName(flag), 'only applies with --dataset or --data', flags[flag]);
    }
    return undefined;
  }
  if (flags.dataset !== undefined && flags.data !== undefined) throw new InvalidArgumentError('--data', 'cannot be combined with --dataset', flags.data);
  for (const flag of ['a', 'b', 'M', 'spectrum'] as const) {
    if (flags[flag] !== undefined) throw new InvalidArgumentError(`--${flag}`, 'cannot be combined with a data set (the data set gives the spectrum)', flags[flag]);
  }
  const kind = parseChoice('--features', flags.features ?? 'pixels', ['pixels', 'relu'] as const);
  let features: FeatureMap = { kind: 'pixels' };
  if (kind === 'relu') {
    if (flags.width === undefined) throw new InvalidArgumentError('--width', 'is required with --features relu');
    const width = parseCount('--width', flags.width);
    if (width > MAX_RELU_WIDTH) throw new InvalidArgumentError('--width', `must be at most ${MAX_RELU_WIDTH} (the covariance is width x width)`, flags.width);
    features = { kind: 'relu', width, seed: parseSeed('--feature-seed', flags.featureSeed ?? '1') };
  } else {
    if (flags.width !== undefined) throw new InvalidArgumentError('--width', 'only applies with --features relu', flags.width);
    if (flags.featureSeed !== undefined) throw new InvalidArgumentError('--feature-seed', 'only applies with --features relu', flags.featureSeed);
  }
  if (flags.dataset !== undefined) {
    parseChoice('--dataset', flags.dataset, DATASETS);
    if (flags.targets !== undefined) throw new InvalidArgumentError('--targets', 'only applies with --data (mnist has its labels; use --target)', flags.targets);
    return { kind: 'mnist', features, target: parseTargetSpec('--target', flags.target ?? 'parity') };
  }
  if (flags.target !== undefined) throw new InvalidArgumentError('--target', 'only applies with --dataset mnist (--targets FILE gives the targets of --data)', flags.target);
  return { kind: 'files', data: flags.data as string, targets: flags.targets, features, maxFileBytes, raiseLimit: RAISE_INPUT_LIMIT };
}

function flagName(flag: string): string {
  return flag === 'featureSeed' ? '--feature-seed' : `--${flag}`;
}

/** The population of a data source, with CLI flag names in its errors. */
export function populationFromFlags(source: DataSource): SourcedPopulation {
  return populationFromSource(source);
}

export function spectrumFromFlags(flags: SpectrumFlags, defaultM = 'inf'): Spectrum {
  const source = dataSourceFromFlags(flags);
  if (source !== undefined) {
    const sourced = populationFromFlags(source);
    return customSpectrum(sourced.population.lambda, sourced.population.c, JSON.stringify(describeSource(source)));
  }
  if (flags.spectrum !== undefined) {
    for (const flag of ['a', 'b', 'M'] as const) {
      if (flags[flag] !== undefined) {
        throw new InvalidArgumentError(`--${flag}`, 'cannot be combined with --spectrum (the file gives the spectrum)', flags[flag]);
      }
    }
    return loadSpectrumFile(flags.spectrum, inputLimit(flags), RAISE_INPUT_LIMIT);
  }
  if (flags.a === undefined) throw new InvalidArgumentError('--a', 'is required (or give --spectrum FILE, --dataset mnist or --data FILE)');
  if (flags.b === undefined) throw new InvalidArgumentError('--b', 'is required (or give --spectrum FILE, --dataset mnist or --data FILE)');
  const a = parseReal('--a', flags.a);
  const b = parseReal('--b', flags.b);
  const M = parseSize('--M', flags.M ?? defaultM);
  try {
    return powerLawSpectrum({ a, b, M });
  } catch (error) {
    // Re-label API argument names as the flags the user typed.
    if (error instanceof InvalidArgumentError) {
      throw error.renamed(`--${error.argument}`);
    }
    throw error;
  }
}

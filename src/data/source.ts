/**
 * Where a population comes from: the built-in MNIST or a user's files, a
 * feature map and a target, and a cache of the computed population keyed by
 * all three (the content hash of the data, the feature map with its seed, the
 * target, and POPULATION_VERSION), so that the eigendecomposition (3.4 s at
 * d = 784) runs once per data set.
 *
 * Cache: one JSON file per key under `cacheDir`, by default
 * $SCALING_DMFT_CACHE, else $XDG_CACHE_HOME/scaling-dmft, else
 * ~/.cache/scaling-dmft (the OS cache directory on Linux). Numbers are
 * written by JSON.stringify, which round-trips doubles exactly, and files are
 * written whole (temporary file, then rename). `cacheDir: null` disables it.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { readInputFile } from '../core/files.js';
import { loadDataset, type Dataset } from './dataset.js';
import { describeFeatureMap, describeTarget, labelTargets, reluFeatures, type FeatureMap, type TargetSpec } from './features.js';
import { loadMnist, mnistContentHash, MNIST_PIXELS } from './mnist.js';
import { computePopulation, type Population } from './population.js';

/** Bumped whenever the population's definition or numerics change (invalidates old cache files). */
export const POPULATION_VERSION = 4;

/** A data source: the built-in MNIST or the user's files, with feature map and target. */
export type DataSource =
  | { readonly kind: 'mnist'; readonly features: FeatureMap; readonly target: TargetSpec }
  | {
      readonly kind: 'files';
      readonly data: string;
      readonly targets?: string;
      readonly features: FeatureMap;
      /** Largest file read, bytes (default DEFAULT_MAX_INPUT_BYTES); `raiseLimit` says how to lift it in messages. */
      readonly maxFileBytes?: number;
      readonly raiseLimit?: string;
    };

export function describeSource(source: DataSource): Record<string, unknown> {
  return source.kind === 'mnist'
    ? { dataset: 'mnist', features: describeFeatureMap(source.features), target: describeTarget(source.target) }
    : { data: source.data, targets: source.targets ?? null, features: describeFeatureMap(source.features) };
}

/** The data set a source gives: features after the feature map (not centred), targets (not centred). */
export function loadSourceDataset(source: DataSource): Dataset {
  let base: Dataset;
  if (source.kind === 'mnist') {
    const images = loadMnist();
    base = { n: images.n, d: MNIST_PIXELS, features: images.pixels, targets: labelTargets(images.labels, source.target), source: images.source };
  } else {
    base = loadDataset(source.data, source.targets, undefined, source.maxFileBytes, source.raiseLimit);
  }
  if (source.features.kind === 'pixels') return base;
  const { width, seed } = source.features;
  return {
    n: base.n,
    d: width,
    features: reluFeatures(base.features, base.n, base.d, width, seed),
    targets: base.targets,
    source: `${base.source}, ${describeFeatureMap(source.features)}`,
  };
}

/** The default cache directory (see the module comment). */
export function defaultCacheDir(): string {
  const explicit = process.env.SCALING_DMFT_CACHE;
  if (explicit !== undefined && explicit !== '') return explicit;
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.cache'), 'scaling-dmft');
}

function fileHash(source: { data: string; targets?: string; maxFileBytes?: number; raiseLimit?: string }): string {
  const hash = createHash('sha256');
  for (const [flag, path] of source.targets ? [['--data', source.data], ['--targets', source.targets]] : [['--data', source.data]]) {
    hash.update(readInputFile(flag, path, source.maxFileBytes, source.raiseLimit));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** The cache key: sha256 of (version, data content hash, feature map, target). */
export function populationKey(source: DataSource): string {
  const content = source.kind === 'mnist' ? `mnist:${mnistContentHash()}` : `files:${fileHash(source)}`;
  const spec = JSON.stringify({ version: POPULATION_VERSION, content, features: describeFeatureMap(source.features), target: source.kind === 'mnist' ? describeTarget(source.target) : 'given' });
  return createHash('sha256').update(spec).digest('hex').slice(0, 32);
}

export interface SourcedPopulation {
  readonly population: Population;
  readonly key: string;
  readonly cached: boolean;
  /** The cache file read or written (undefined when caching is off). */
  readonly cacheFile?: string;
  readonly source: string;
  readonly description: Record<string, unknown>;
  /** Wall time of this call (load + population, or the cache read). */
  readonly ms: number;
  /** The data set loaded to compute the population (absent on a cache hit), for a caller that needs it too. */
  readonly dataset?: Dataset;
}

interface CacheFile {
  version: number;
  key: string;
  source: string;
  population: Omit<Population, 'lambda' | 'c' | 'wstar'> & { lambda: number[]; c: number[]; wstar: number[] };
}

function readCache(file: string, key: string): { population: Population; source: string } | undefined {
  let parsed: CacheFile;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
  } catch {
    return undefined; // missing or unreadable: recompute
  }
  if (parsed.version !== POPULATION_VERSION || parsed.key !== key) return undefined;
  const p = parsed.population;
  return {
    source: parsed.source,
    population: { ...p, lambda: Float64Array.from(p.lambda), c: Float64Array.from(p.c), wstar: Float64Array.from(p.wstar) },
  };
}

function writeCache(dir: string, file: string, key: string, source: string, population: Population): void {
  const body: CacheFile = {
    version: POPULATION_VERSION,
    key,
    source,
    population: { ...population, lambda: Array.from(population.lambda), c: Array.from(population.c), wstar: Array.from(population.wstar) },
  };
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(temporary, JSON.stringify(body));
    renameSync(temporary, file);
  } catch {
    rmSync(temporary, { force: true }); // a cache that cannot be written only costs time
  }
}

/** The population of a source (THEORY E30), from the cache when present. */
export function populationFromSource(source: DataSource, options: { cacheDir?: string | null } = {}): SourcedPopulation {
  const t0 = performance.now();
  const cacheDir = options.cacheDir === undefined ? defaultCacheDir() : options.cacheDir;
  const key = populationKey(source);
  const description = describeSource(source);
  const file = cacheDir === null ? undefined : join(cacheDir, `population-${key}.json`);
  if (file !== undefined) {
    const hit = readCache(file, key);
    if (hit) return { population: hit.population, key, cached: true, cacheFile: file, source: hit.source, description, ms: performance.now() - t0 };
  }
  const dataset = loadSourceDataset(source);
  const population = computePopulation(dataset);
  if (file !== undefined && cacheDir !== null) writeCache(cacheDir, file, key, dataset.source, population);
  return { population, key, cached: false, cacheFile: file, source: dataset.source, description, ms: performance.now() - t0, dataset };
}

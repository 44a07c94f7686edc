/**
 * Feature maps and targets of a data set (THEORY E30): the raw features, or
 * ReLU random features psi(x) = relu(W x) / sqrt(M) of width M, the
 * infinite-width network features of [BAP24] built from raw inputs; targets
 * from labels (parity, one digit against the rest).
 */
import { InvalidArgumentError } from '../core/errors.js';
import { Xoshiro128 } from '../simulation/index.js';

/** Random stream of the ReLU feature weights: key (seed, STREAM_RELU_WEIGHTS). */
export const STREAM_RELU_WEIGHTS = 11;

export type FeatureMap = { readonly kind: 'pixels' } | { readonly kind: 'relu'; readonly width: number; readonly seed: number };

export type TargetSpec = { readonly kind: 'parity' } | { readonly kind: 'digit'; readonly digit: number } | { readonly kind: 'given' };

export const RAW_FEATURES: FeatureMap = Object.freeze({ kind: 'pixels' });

export function describeFeatureMap(map: FeatureMap): string {
  return map.kind === 'pixels' ? 'pixels' : `relu(width=${map.width},seed=${map.seed})`;
}

export function describeTarget(target: TargetSpec): string {
  return target.kind === 'parity' ? 'parity' : target.kind === 'digit' ? `digit:${target.digit}` : 'given';
}

/** `parity` or `digit:D` (D in 0..9). */
export function parseTargetSpec(flag: string, text: string): TargetSpec {
  if (text === 'parity') return { kind: 'parity' };
  const match = /^digit:(\d)$/.exec(text);
  if (match) return { kind: 'digit', digit: Number(match[1]) };
  throw new InvalidArgumentError(flag, 'must be parity or digit:D with D in 0..9', text);
}

/** Targets from digit labels: +1 even / -1 odd (parity), or +1 for digit D / -1 otherwise. Centring is the population's job (E30). */
export function labelTargets(labels: Uint8Array, target: TargetSpec): Float64Array {
  const y = new Float64Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    if (target.kind === 'parity') y[i] = labels[i] % 2 === 0 ? 1 : -1;
    else if (target.kind === 'digit') y[i] = labels[i] === target.digit ? 1 : -1;
    else throw new InvalidArgumentError('target', 'must be parity or digit:D for labelled data', 'given');
  }
  return y;
}

/** Largest ReLU width accepted (the population's covariance is width x width; see DATA_LIMITS). */
export const MAX_RELU_WIDTH = 2048;

/**
 * ReLU random features psi = relu(W x) / sqrt(M), W (M x d) with iid
 * N(0, 1/d) entries (so W x is O(1) for inputs of norm O(sqrt(d))), drawn
 * from Xoshiro128 key (seed, STREAM_RELU_WEIGHTS) in row-major order.
 * Returns the n x M feature matrix.
 */
export function reluFeatures(x: Float64Array, n: number, d: number, width: number, seed: number): Float64Array {
  if (!Number.isInteger(width) || width < 1 || width > MAX_RELU_WIDTH) {
    throw new InvalidArgumentError('width', `must be an integer in 1..${MAX_RELU_WIDTH}`, width);
  }
  if (!Number.isSafeInteger(seed) || seed < 0) throw new InvalidArgumentError('seed', 'must be an integer >= 0', seed);
  const W = new Xoshiro128([seed, STREAM_RELU_WEIGHTS]).fillNormal(new Float64Array(width * d), 1 / Math.sqrt(d));
  const out = new Float64Array(n * width);
  const scale = 1 / Math.sqrt(width);
  // Pixels are mostly zero: gather each row's non-zeros once, then one dot product per feature.
  const idx = new Int32Array(d);
  const val = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    let nnz = 0;
    const row = i * d;
    for (let j = 0; j < d; j++) {
      const v = x[row + j];
      if (v !== 0) {
        idx[nnz] = j;
        val[nnz++] = v;
      }
    }
    const o = i * width;
    for (let m = 0; m < width; m++) {
      const wm = m * d;
      let s = 0;
      for (let q = 0; q < nnz; q++) s += W[wm + idx[q]] * val[q];
      out[o + m] = s > 0 ? s * scale : 0;
    }
  }
  return out;
}

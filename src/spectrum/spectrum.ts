/**
 * Task spectra: eigenvalues lambda_k of the feature covariance and task powers
 * c_k = lambda_k (w*_k)^2 (THEORY E1, E2, E7). A spectrum is plain immutable
 * data, the "problem" half of every numeric and simulation call.
 */
import { InvalidArgumentError, requireFinite } from '../core/errors.js';

/** THEORY (E7): lambda_k = k^-b, c_k = lambda_k w_k^2 = k^-a, k = 1..M (M may be Infinity). */
export interface PowerLawSpectrum {
  readonly kind: 'power-law';
  readonly a: number;
  readonly b: number;
  readonly M: number;
}

/** A measured or user-given spectrum: finite arrays of eigenvalues and task powers. */
export interface CustomSpectrum {
  readonly kind: 'custom';
  readonly lambda: Float64Array;
  readonly c: Float64Array;
  /** Where it came from (file name or 'api'), for provenance in outputs. */
  readonly source: string;
  /** The header line of a CSV file, when it had one (recorded in provenance). */
  readonly header?: readonly string[];
}

/** The task: a power law (THEORY E7) or a custom list of eigenvalues and task powers. */
export type Spectrum = PowerLawSpectrum | CustomSpectrum;

/** Validated power-law spectrum; a > 1 is required when M is infinite (finite L(0), THEORY E7). */
export function powerLawSpectrum(params: { a: number; b: number; M?: number }): PowerLawSpectrum {
  const a = requireFinite('a', params.a);
  const b = requireFinite('b', params.b);
  const M = params.M ?? Infinity;
  if (b <= 0) throw new InvalidArgumentError('b', 'must be > 0', b);
  if (typeof M !== 'number' || Number.isNaN(M) || (M !== Infinity && (!Number.isInteger(M) || M < 1))) {
    throw new InvalidArgumentError('M', 'must be an integer >= 1 or Infinity', M);
  }
  if (M === Infinity && a <= 1) {
    throw new InvalidArgumentError('a', 'must be > 1 when M is infinite (the initial loss sum k^-a diverges)', a);
  }
  return Object.freeze({ kind: 'power-law', a, b, M });
}

/**
 * Validated custom spectrum. Eigenvalues must be positive and finite, task
 * powers non-negative and finite, and the arrays of equal length; errors name
 * the first bad row (1-based, as in a file).
 */
export function customSpectrum(
  lambda: ArrayLike<number>,
  c: ArrayLike<number>,
  source = 'api',
  header?: readonly string[],
): CustomSpectrum {
  if (lambda.length === 0) throw new InvalidArgumentError('lambda', 'must have at least one eigenvalue', lambda.length);
  if (lambda.length !== c.length) {
    throw new InvalidArgumentError('c', `must have the same length as lambda (${lambda.length})`, c.length);
  }
  const lam = new Float64Array(lambda.length);
  const pow = new Float64Array(c.length);
  for (let k = 0; k < lambda.length; k++) {
    const l = lambda[k];
    const ck = c[k];
    if (typeof l !== 'number' || !Number.isFinite(l) || l <= 0) {
      throw new InvalidArgumentError(`lambda (row ${k + 1})`, 'must be a positive finite number', l);
    }
    if (typeof ck !== 'number' || !Number.isFinite(ck) || ck < 0) {
      throw new InvalidArgumentError(`c (row ${k + 1})`, 'must be a non-negative finite number', ck);
    }
    lam[k] = l;
    pow[k] = ck;
  }
  return Object.freeze({ kind: 'custom', lambda: lam, c: pow, source, ...(header ? { header: Object.freeze([...header]) } : {}) });
}

/** Number of modes M (Infinity for an infinite power law). */
export function modeCount(spectrum: Spectrum): number {
  return spectrum.kind === 'power-law' ? spectrum.M : spectrum.lambda.length;
}

/**
 * Explicit arrays (lambda_k, c_k) for the first `count` modes (all of them by
 * default). Infinite spectra need an explicit count.
 */
export function modeArrays(spectrum: Spectrum, count?: number): { lambda: Float64Array; c: Float64Array } {
  const total = modeCount(spectrum);
  const n = count ?? total;
  if (!Number.isFinite(n)) {
    throw new InvalidArgumentError('count', 'must be given (finite) for a spectrum with infinitely many modes', n);
  }
  if (!Number.isInteger(n) || n < 1 || n > total) {
    throw new InvalidArgumentError('count', `must be an integer in 1..${total}`, n);
  }
  if (spectrum.kind === 'custom') {
    return { lambda: spectrum.lambda.slice(0, n), c: spectrum.c.slice(0, n) };
  }
  const lambda = new Float64Array(n);
  const c = new Float64Array(n);
  for (let k = 1; k <= n; k++) {
    lambda[k - 1] = Math.pow(k, -spectrum.b);
    c[k - 1] = Math.pow(k, -spectrum.a);
  }
  return { lambda, c };
}

/** A plain JSON-ready description for provenance in output files. */
export function describeSpectrum(spectrum: Spectrum): Record<string, unknown> {
  if (spectrum.kind === 'power-law') {
    return { kind: 'power-law', a: spectrum.a, b: spectrum.b, M: spectrum.M === Infinity ? 'inf' : spectrum.M };
  }
  return {
    kind: 'custom',
    source: spectrum.source,
    M: spectrum.lambda.length,
    ...(spectrum.header ? { header: spectrum.header.join(',') } : {}),
  };
}

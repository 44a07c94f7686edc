/**
 * Exponent fitting from curves: local log-log slopes, an
 * automatically found asymptotic window, and a least-squares power law on it.
 *
 * The window is the longest run of consecutive points (longest in decades of
 * x, ties broken toward large x, where asymptotic laws live) over which the
 * local slope stays within +-slopeTolerance of the run's midrange. A curve
 * that never holds its slope that steadily over `minDecades` has no
 * asymptotic window: that is a status, never a number.
 *
 * The reported standard error combines the regression's standard error with
 * half the drift of the local slope across the window (the systematic part:
 * a smooth curve has a tiny regression residual but may still be bending).
 */
import { InvalidArgumentError } from '../core/errors.js';
import type { ExponentFit, FitStatus } from './types.js';

/** Settings of fitExponent. */
export interface FitOptions {
  /** Half-width of the allowed band of local slopes in the window (default 0.01). */
  readonly slopeTolerance?: number;
  /** Minimum extent of the window in decades of x (default 1). */
  readonly minDecades?: number;
  /** Minimum number of points in the window (default 5). */
  readonly minPoints?: number;
  /** Restrict the search to x in [xMin, xMax] (e.g. the early-time window of a correction). */
  readonly xMin?: number;
  readonly xMax?: number;
}

export const FIT_DEFAULTS = { slopeTolerance: 0.01, minDecades: 1, minPoints: 5 } as const;

/** Local slopes d log y / d log x by centred differences on a non-uniform grid. */
export function localSlopes(logX: ArrayLike<number>, logY: ArrayLike<number>): Float64Array {
  const n = logX.length;
  const slopes = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const lo = Math.max(0, i - 1);
    const hi = Math.min(n - 1, i + 1);
    slopes[i] = (logY[hi] - logY[lo]) / (logX[hi] - logX[lo]);
  }
  return slopes;
}

interface Run {
  start: number;
  end: number; // inclusive
}

/** Longest run (in log-x extent) with all slopes inside a band of half-width tol; ties -> larger x. */
function longestStableRun(logX: Float64Array, slopes: Float64Array, tol: number): Run | null {
  let best: Run | null = null;
  let bestExtent = -1;
  const n = slopes.length;
  for (let start = 0; start < n; start++) {
    let lo = slopes[start];
    let hi = slopes[start];
    if (!Number.isFinite(lo)) continue;
    for (let end = start; end < n; end++) {
      const s = slopes[end];
      if (!Number.isFinite(s)) break;
      lo = Math.min(lo, s);
      hi = Math.max(hi, s);
      if (hi - lo > 2 * tol) break;
      const extent = logX[end] - logX[start];
      // >= so that a later run of equal extent wins (asymptotics live at large x).
      if (extent >= bestExtent) {
        bestExtent = extent;
        best = { start, end };
      }
    }
  }
  return best;
}

function noFit(status: FitStatus, message: string, slopes: { x: number[]; slope: number[] }): ExponentFit {
  return { exponent: Number.NaN, stderr: Number.NaN, prefactor: Number.NaN, window: null, status, message, localSlopes: slopes };
}

/** Fits y ~ prefactor * x^exponent on the automatically found asymptotic window. */
export function fitExponent(x: ArrayLike<number>, y: ArrayLike<number>, options: FitOptions = {}): ExponentFit {
  if (x.length !== y.length) throw new InvalidArgumentError('y', `must have the same length as x (${x.length})`, y.length);
  const tol = options.slopeTolerance ?? FIT_DEFAULTS.slopeTolerance;
  const minDecades = options.minDecades ?? FIT_DEFAULTS.minDecades;
  const minPoints = options.minPoints ?? FIT_DEFAULTS.minPoints;
  if (!(tol > 0)) throw new InvalidArgumentError('slopeTolerance', 'must be > 0', tol);
  const xMin = options.xMin ?? 0;
  const xMax = options.xMax ?? Infinity;

  const lx: number[] = [];
  const ly: number[] = [];
  let dropped = 0;
  for (let i = 0; i < x.length; i++) {
    if (!(x[i] >= xMin && x[i] <= xMax)) continue;
    if (x[i] > 0 && y[i] > 0 && Number.isFinite(x[i]) && Number.isFinite(y[i])) {
      lx.push(Math.log(x[i]));
      ly.push(Math.log(y[i]));
    } else {
      dropped++;
    }
  }
  // Sort by x (callers usually pass sorted grids; be safe).
  const order = lx.map((_, i) => i).sort((i, j) => lx[i] - lx[j]);
  const logX = Float64Array.from(order, (i) => lx[i]);
  const logY = Float64Array.from(order, (i) => ly[i]);
  const slopes = localSlopes(logX, logY);
  const slopeRecord = { x: Array.from(logX, Math.exp), slope: Array.from(slopes) };
  if (logX.length < Math.max(minPoints, 3)) {
    return noFit('too_few_points', `${logX.length} usable points (${dropped} non-positive or non-finite dropped); need ${minPoints}`, slopeRecord);
  }
  const run = longestStableRun(logX, slopes, tol);
  const decades = run ? (logX[run.end] - logX[run.start]) / Math.LN10 : 0;
  if (!run || decades < minDecades || run.end - run.start + 1 < minPoints) {
    return noFit(
      'no_asymptotic_window',
      `no run of ${minPoints}+ points over ${minDecades}+ decades with local slope within +-${tol}` +
        (run ? ` (longest: ${decades.toFixed(2)} decades, ${run.end - run.start + 1} points)` : ''),
      slopeRecord,
    );
  }
  // Least squares on the window: log y = log c + e log x.
  const n = run.end - run.start + 1;
  let mx = 0;
  let my = 0;
  for (let i = run.start; i <= run.end; i++) {
    mx += logX[i];
    my += logY[i];
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  for (let i = run.start; i <= run.end; i++) {
    sxx += (logX[i] - mx) ** 2;
    sxy += (logX[i] - mx) * (logY[i] - my);
  }
  const exponent = sxy / sxx;
  const intercept = my - exponent * mx;
  let rss = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = run.start; i <= run.end; i++) {
    rss += (logY[i] - intercept - exponent * logX[i]) ** 2;
    lo = Math.min(lo, slopes[i]);
    hi = Math.max(hi, slopes[i]);
  }
  const regression = n > 2 ? Math.sqrt(rss / (n - 2) / sxx) : 0;
  const drift = (hi - lo) / 2;
  const stderr = Math.hypot(regression, drift);
  if (!Number.isFinite(exponent) || !Number.isFinite(stderr)) return noFit('non_finite', 'fit produced a non-finite value', slopeRecord);
  return {
    exponent,
    stderr,
    prefactor: Math.exp(intercept),
    window: { from: Math.exp(logX[run.start]), to: Math.exp(logX[run.end]), points: n },
    status: 'converged',
    message: dropped > 0 ? `${dropped} non-positive or non-finite points dropped` : '',
    localSlopes: slopeRecord,
  };
}

/** n log-spaced points from lo to hi inclusive. */
export function logGrid(lo: number, hi: number, n: number): Float64Array {
  if (!(lo > 0 && hi > lo && n >= 2)) throw new InvalidArgumentError('logGrid', 'needs 0 < lo < hi and n >= 2', { lo, hi, n });
  const step = Math.log(hi / lo) / (n - 1);
  return Float64Array.from({ length: n }, (_, i) => (i === n - 1 ? hi : lo * Math.exp(step * i)));
}

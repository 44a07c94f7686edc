/**
 * Fitting (a, b) to a measured spectrum, THEORY (E31), with standard errors,
 * and the symbolic layer's laws at the fit as intervals.
 *
 * b: least squares of log lambda_k on log k over a window [k1, k2].
 * a: from the tail sums T_k = sum_{k < l <= k2} c_l over the same window,
 *    which for c_l = C l^-a are, by the midpoint rule,
 *      T_k = C ((k + 1/2)^{1-a} - (k2 + 1/2)^{1-a}) / (a - 1),
 *    the finite-M form of (E31) with M the window's end (k2 = M when the
 *    window reaches the last mode). A straight line through log T_k would
 *    read the bend of the second term as a steeper decay (a biased upwards
 *    near a = 1), so the whole expression is fitted: for each a, log C is the
 *    mean log residual, and a minimises the residual sum of squares (a
 *    bracketing grid, then golden-section search). Points k are spaced
 *    logarithmically from k1 to the middle of the window in log k (beyond it
 *    T_k holds too few modes to be smooth).
 *
 * Standard errors, hypot(statistical, systematic):
 *  - statistical: a bootstrap. With replicate spectra from a bootstrap over
 *    the samples (when the data set is at hand), their spread; otherwise a
 *    residual bootstrap over the modes: residuals of log lambda_k (for b) and
 *    log c_k (for a) about quadratic fits in log k on the window, resampled
 *    in blocks of neighbouring modes (blockResample) onto the fitted line;
 *  - systematic, the largest of: the window drift (half the range of the
 *    exponent over five sub-windows, each end moved inwards by
 *    (k2/k1)^(1/8)); the curvature (the exponents on the window's two halves,
 *    when they differ beyond the bootstrap's spread of that difference); and
 *    the other admissible windows (runs of steady slope the automatic rule
 *    could have chosen, when their exponent differs beyond the noise). On
 *    the curved spectra of scripts/data/fit-benchmark.ts the drift alone
 *    put the truth within 2 s.e. in 56% of fits; with curvature and windows
 *    in 94%.
 * The automatic window applies the reconcile layer's exponent-window rule
 * (fitExponent: the longest run of steady local slope) to log-binned
 * eigenvalues; c_k are too noisy for it, so a uses the same window unless
 * one is given.
 */
import { InvalidArgumentError } from '../core/errors.js';
import { fitExponent, localSlopes } from '../reconcile/fit.js';
import { Xoshiro128 } from '../simulation/index.js';
import { exponentTable, phaseOf } from '../symbolic/index.js';

export interface ModeWindow {
  /** First and last mode (1-based, inclusive). */
  readonly from: number;
  readonly to: number;
}

export interface SpectrumFitOptions {
  /** Window for b (default: automatic, see the module comment). */
  readonly windowB?: ModeWindow;
  /** Window for a (default: the window of b). */
  readonly windowA?: ModeWindow;
  /** Replicate spectra from a bootstrap over samples; when absent a residual bootstrap over modes is used. */
  readonly replicates?: readonly { lambda: Float64Array; c: Float64Array }[];
  /** Residual-bootstrap replicates (default 200). */
  readonly residualReplicates?: number;
  readonly seed?: number;
  /** Automatic window: half-width of the band of local slopes (default 0.1) and minimum extent in decades (default 0.5). */
  readonly slopeTolerance?: number;
  readonly minDecades?: number;
  /** Evaluate the symbolic laws at the fit (default true; the symbolic layer takes about a second for the five corners). */
  readonly laws?: boolean;
}

export const SPECTRUM_FIT_DEFAULTS = Object.freeze({
  residualReplicates: 200,
  seed: 1,
  slopeTolerance: 0.1,
  minDecades: 0.5,
  /** Log-bins per decade for the automatic window and the local-slope figure. */
  binsPerDecade: 12,
  /** Fewest modes a window may hold. */
  minModes: 8,
  /**
   * The automatic window starts at mode 10 or later: the first few modes of a
   * real spectrum are single large directions with slopes anywhere (MNIST's
   * modes 1-5 decay as k^-0.5, then k^-1.8 from about mode 50 on), and the
   * longest-run rule counts decades, which the head of a spectrum has cheaply.
   */
  autoWindowFromMode: 10,
});

/** Random stream of the residual bootstrap: key (seed, STREAM_FIT_BOOTSTRAP, which). */
export const STREAM_FIT_BOOTSTRAP = 31;

/** 'at_search_bound': the best a is an end of the searched range [A_SEARCH.lo, A_SEARCH.hi]: no power law on this window. */
export type FitStatus = 'converged' | 'no_asymptotic_window' | 'non_finite' | 'at_search_bound';

/** Range searched for a (c_k ~ k^-a; a <= 1 is allowed: finite spectra may have growing tails, E31 holds for any a). */
export const A_SEARCH = Object.freeze({ lo: -2, hi: 10 });

export interface ExponentEstimate {
  readonly value: number;
  readonly stderr: number;
  readonly window: ModeWindow | null;
  /**
   * The parts of the standard error: statistical (bootstrap; regression shown only) and systematic
   * (drift over sub-windows, curvature between the window's halves, spread over the other admissible windows);
   * stderr = hypot(bootstrap, max(drift, curvature, windows)).
   */
  readonly components: {
    readonly regression: number;
    readonly bootstrap: number;
    readonly drift: number;
    readonly curvature: number;
    readonly windows: number;
  };
  /** The other admissible windows that give a significantly different exponent, with their values. */
  readonly alternatives: readonly { readonly window: ModeWindow; readonly value: number }[];
  readonly bootstrapKind: 'samples' | 'residuals' | 'none';
  readonly status: FitStatus;
  readonly message: string;
  /** Prefactor: lambda_k ~ prefactor k^-b, or C in c_k ~ C k^-a. */
  readonly prefactor: number;
}

export interface LawInterval {
  readonly id: string;
  readonly quantity: string;
  readonly variable: string;
  /** Exponent at the fitted (a, b), and its range over the (a +- se, b +- se) box. */
  readonly exponent: number | null;
  readonly low: number | null;
  readonly high: number | null;
  readonly condition: string;
}

/** The result of fitSpectrum. */
export interface SpectrumFit {
  readonly a: ExponentEstimate;
  readonly b: ExponentEstimate;
  /** Phase at the fit and every phase met in the +-1 s.e. box (THEORY section 2). */
  readonly phase: string;
  readonly phases: string[];
  readonly laws: LawInterval[];
  readonly lawsNote: string;
  /** Local slopes over log-binned k, for the figure that shows where the window is. */
  readonly localSlopes: { k: number[]; lambda: number[]; tail: number[] };
  readonly modes: number;
  /**
   * Whether the input was out of descending order and was sorted (eigenvalues
   * descending, each c_k carried with its lambda_k): windows then count modes
   * in the sorted order, as the DMFT (which does not depend on the order) reads them.
   */
  readonly sortedInput: boolean;
  /** Warnings a reader must see beside the numbers (window choice that changes the answer, sorted input). */
  readonly notes: string[];
  readonly settings: Record<string, unknown>;
}

// ---------------------------------------------------------------------------
// Least squares pieces

function lineFit(x: ArrayLike<number>, y: ArrayLike<number>): { slope: number; intercept: number; se: number; residuals: Float64Array } {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i] - mx) ** 2;
    sxy += (x[i] - mx) * (y[i] - my);
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const residuals = new Float64Array(n);
  let rss = 0;
  for (let i = 0; i < n; i++) {
    residuals[i] = y[i] - intercept - slope * x[i];
    rss += residuals[i] ** 2;
  }
  return { slope, intercept, se: n > 2 ? Math.sqrt(rss / (n - 2) / sxx) : Number.NaN, residuals };
}

/**
 * log of ((k+1/2)^{1-a} - (m+1/2)^{1-a}) / (a-1), stable at a = 1 (where it is log((m+1/2)/(k+1/2))),
 * from lk = log(k + 1/2) and r = log((m + 1/2)/(k + 1/2)), which do not depend on a (the search
 * evaluates the shape at a few hundred a per window, so the caller computes them once).
 */
function logTailShape(lk: number, r: number, a: number): number {
  const e = 1 - a;
  // (k+1/2)^e (1 - ((m+1/2)/(k+1/2))^e) / (a - 1) = (k+1/2)^e expm1(e r) / e
  const factor = Math.abs(e) < 1e-12 ? r : Math.expm1(e * r) / e;
  return e * lk + Math.log(factor);
}

/** Tail-sum points of a window: log-spaced k from `from` to the middle of the window in log k. */
function tailPoints(window: ModeWindow): number[] {
  const lo = window.from;
  const mid = Math.max(lo + 2, Math.floor(Math.sqrt(window.from * window.to)));
  const hi = Math.min(mid, window.to - 1);
  const out: number[] = [];
  const count = Math.min(60, hi - lo + 1);
  for (let i = 0; i < count; i++) {
    const k = Math.round(lo * Math.pow(hi / lo, count === 1 ? 0 : i / (count - 1)));
    if (out.length === 0 || k > out[out.length - 1]) out.push(k);
  }
  return out;
}

/** Grid that brackets the best a before the golden-section search: A_SEARCH in TAIL_GRID steps. */
const TAIL_GRID = 120;

function tailGridPoint(i: number): number {
  return A_SEARCH.lo + ((A_SEARCH.hi - A_SEARCH.lo) * i) / TAIL_GRID;
}

/**
 * What the tail fit on one window needs that does not depend on c: the points
 * k, log(k + 1/2), log((m + 1/2)/(k + 1/2)), and the shape at every bracketing
 * grid point. The residual bootstrap fits the same window once per replicate,
 * so the shapes at the grid are computed once per window instead of once per
 * replicate (the same numbers, about three times less work).
 */
interface TailBasis {
  readonly ks: number[];
  readonly m: number;
  readonly logK: Float64Array;
  readonly logRatio: Float64Array;
  /** Shape at grid point i, point j: gridShape[i * ks.length + j]. */
  readonly gridShape: Float64Array;
}

function tailBasis(window: ModeWindow): TailBasis {
  const ks = tailPoints(window);
  const m = window.to;
  const n = ks.length;
  const logK = Float64Array.from(ks, (k) => Math.log(k + 0.5));
  const logRatio = Float64Array.from(ks, (k) => Math.log((m + 0.5) / (k + 0.5)));
  const gridShape = new Float64Array((TAIL_GRID + 1) * n);
  for (let i = 0; i <= TAIL_GRID; i++) {
    const a = tailGridPoint(i);
    for (let j = 0; j < n; j++) gridShape[i * n + j] = logTailShape(logK[j], logRatio[j], a);
  }
  return { ks, m, logK, logRatio, gridShape };
}

/** Fits a (and log C) to the window's tail sums of c; returns NaN when the tail is not positive. */
function fitTail(c: Float64Array, basis: TailBasis): { a: number; logC: number; se: number; atBound: boolean } {
  const { ks, m, logK, logRatio, gridShape } = basis;
  // T_k = sum_{k < l <= m} c_l, from the end.
  const cumulative = new Float64Array(m + 1);
  for (let l = m; l >= 1; l--) cumulative[l - 1] = cumulative[l] + (l <= m ? c[l - 1] : 0);
  // cumulative[k] = sum_{l > k}^{m} c_l (1-based l).
  const logT = ks.map((k) => Math.log(cumulative[k]));
  if (logT.some((v) => !Number.isFinite(v))) return { a: Number.NaN, logC: Number.NaN, se: Number.NaN, atBound: false };
  const n = ks.length;
  const shape = new Float64Array(n);
  /** Residual sum of squares and log C of the shape in `values` from `offset`. */
  const rssOf = (values: Float64Array, offset: number): { rss: number; logC: number } => {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += logT[i] - values[offset + i];
    mean /= n;
    let rss = 0;
    for (let i = 0; i < n; i++) rss += (logT[i] - values[offset + i] - mean) ** 2;
    return { rss, logC: mean };
  };
  const rssAt = (a: number): { rss: number; logC: number } => {
    for (let i = 0; i < n; i++) shape[i] = logTailShape(logK[i], logRatio[i], a);
    return rssOf(shape, 0);
  };
  // Bracket on a grid, then golden-section search.
  const lo = A_SEARCH.lo;
  const hi = A_SEARCH.hi;
  const grid = TAIL_GRID;
  let best = 0;
  let bestRss = Infinity;
  for (let i = 0; i <= grid; i++) {
    const r = rssOf(gridShape, i * n).rss;
    if (r < bestRss) {
      bestRss = r;
      best = i;
    }
  }
  let x0 = lo + ((hi - lo) * Math.max(0, best - 1)) / grid;
  let x3 = lo + ((hi - lo) * Math.min(grid, best + 1)) / grid;
  const g = (Math.sqrt(5) - 1) / 2;
  let x1 = x3 - g * (x3 - x0);
  let x2 = x0 + g * (x3 - x0);
  let f1 = rssAt(x1).rss;
  let f2 = rssAt(x2).rss;
  for (let it = 0; it < 80 && x3 - x0 > 1e-10; it++) {
    if (f1 < f2) {
      x3 = x2;
      x2 = x1;
      f2 = f1;
      x1 = x3 - g * (x3 - x0);
      f1 = rssAt(x1).rss;
    } else {
      x0 = x1;
      x1 = x2;
      f1 = f2;
      x2 = x0 + g * (x3 - x0);
      f2 = rssAt(x2).rss;
    }
  }
  const a = (x0 + x3) / 2;
  const { rss, logC } = rssAt(a);
  // Curvature-based regression error (residuals of tail sums are correlated: a lower bound only).
  const h = 1e-4;
  const curvature = (rssAt(a + h).rss - 2 * rss + rssAt(a - h).rss) / (h * h);
  const se = ks.length > 2 && curvature > 0 ? Math.sqrt((2 * rss) / (ks.length - 2) / curvature) : Number.NaN;
  const step = (hi - lo) / grid;
  return { a, logC, se, atBound: a < lo + 1e-3 * step || a > hi - 1e-3 * step };
}

/** Least squares of log lambda_k on log k over the window; logMode[k] = log k. */
function fitB(lambda: Float64Array, window: ModeWindow, logMode: Float64Array): { b: number; logPrefactor: number; se: number; residuals: Float64Array } {
  const x = logMode.subarray(window.from, window.to + 1);
  const y = new Float64Array(window.to - window.from + 1);
  for (let k = window.from; k <= window.to; k++) y[k - window.from] = Math.log(lambda[k - 1]);
  const f = lineFit(x, y);
  return { b: -f.slope, logPrefactor: f.intercept, se: f.se, residuals: f.residuals };
}

function subWindows(window: ModeWindow): ModeWindow[] {
  const f = Math.pow(window.to / window.from, 1 / 8);
  const up = Math.max(window.from + 1, Math.round(window.from * f));
  const down = Math.min(window.to - 1, Math.round(window.to / f));
  const mid = (w: ModeWindow) => w.to - w.from + 1 >= SPECTRUM_FIT_DEFAULTS.minModes;
  return [
    { from: up, to: window.to },
    { from: window.from, to: down },
    { from: up, to: down },
    { from: Math.round(window.from * Math.sqrt(f)), to: window.to },
    { from: window.from, to: Math.round(window.to / Math.sqrt(f)) },
  ].filter(mid);
}

/**
 * Moving-block bootstrap of a residual series (Kunsch 1989): blocks of
 * ceil(sqrt(n)) consecutive residuals at random starts, concatenated to length
 * n. Residuals of a sorted spectrum are correlated over neighbouring modes
 * (order statistics); resampling them one by one would understate the error
 * (measured: 75% coverage at two s.e. instead of 95%, scripts/data/fit-coverage.ts).
 */
function blockResample(res: Float64Array, rng: Xoshiro128): Float64Array {
  const n = res.length;
  const length = Math.max(1, Math.ceil(Math.sqrt(n)));
  const out = new Float64Array(n);
  let i = 0;
  while (i < n) {
    const start = Math.floor(rng.nextDouble() * (n - length + 1));
    for (let j = 0; j < length && i < n; j++) out[i++] = res[start + j];
  }
  return out;
}

function halfRange(values: number[]): number {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return 0;
  return (Math.max(...finite) - Math.min(...finite)) / 2;
}

function standardDeviation(values: number[]): number {
  const finite = values.filter(Number.isFinite);
  if (finite.length < 2) return Number.NaN;
  const mean = finite.reduce((s, v) => s + v, 0) / finite.length;
  return Math.sqrt(finite.reduce((s, v) => s + (v - mean) ** 2, 0) / (finite.length - 1));
}

// ---------------------------------------------------------------------------
// Windows and local slopes

/** Geometric means over log bins of k (binsPerDecade per decade): smooth enough for local slopes. */
export function logBinned(values: Float64Array, binsPerDecade = SPECTRUM_FIT_DEFAULTS.binsPerDecade): { k: number[]; value: number[]; from: number[]; to: number[] } {
  const M = values.length;
  const out = { k: [] as number[], value: [] as number[], from: [] as number[], to: [] as number[] };
  let start = 1;
  let edge = 1;
  while (start <= M) {
    edge *= Math.pow(10, 1 / binsPerDecade);
    const end = Math.min(M, Math.max(start, Math.floor(edge)));
    let sumLog = 0;
    let sumLogK = 0;
    let count = 0;
    for (let k = start; k <= end; k++) {
      if (values[k - 1] > 0) {
        sumLog += Math.log(values[k - 1]);
        sumLogK += Math.log(k);
        count++;
      }
    }
    if (count > 0) {
      out.k.push(Math.exp(sumLogK / count));
      out.value.push(Math.exp(sumLog / count));
      out.from.push(start);
      out.to.push(end);
    }
    start = end + 1;
  }
  return out;
}

/** The automatic window of b: the reconcile layer's rule (fitExponent) on log-binned eigenvalues. */
export function automaticWindow(lambda: Float64Array, options: SpectrumFitOptions = {}): { window: ModeWindow | null; message: string } {
  const binned = logBinned(lambda);
  const fit = fitExponent(binned.k, binned.value, {
    slopeTolerance: options.slopeTolerance ?? SPECTRUM_FIT_DEFAULTS.slopeTolerance,
    minDecades: options.minDecades ?? SPECTRUM_FIT_DEFAULTS.minDecades,
    minPoints: 5,
    xMin: SPECTRUM_FIT_DEFAULTS.autoWindowFromMode,
  });
  if (fit.status !== 'converged' || fit.window === null) return { window: null, message: fit.message };
  const first = binned.k.findIndex((k) => k >= fit.window!.from - 1e-9);
  let last = -1;
  binned.k.forEach((k, i) => {
    if (k <= fit.window!.to + 1e-9) last = i;
  });
  const window = { from: binned.from[first], to: binned.to[last] };
  if (window.to - window.from + 1 < SPECTRUM_FIT_DEFAULTS.minModes) return { window: null, message: `the steadiest run holds only ${window.to - window.from + 1} modes` };
  return { window, message: '' };
}

function checkWindow(name: string, window: ModeWindow, M: number): void {
  if (!Number.isInteger(window.from) || !Number.isInteger(window.to) || window.from < 1 || window.to > M || window.to - window.from + 1 < SPECTRUM_FIT_DEFAULTS.minModes) {
    throw new InvalidArgumentError(name, `must be integers 1 <= from < to <= ${M} spanning at least ${SPECTRUM_FIT_DEFAULTS.minModes} modes`, window);
  }
}

// ---------------------------------------------------------------------------

/** Exact rationals of 6 significant digits keep the symbolic layer fast. */
function round6(v: number): number {
  return Number(v.toPrecision(6));
}

function noEstimate(message: string, status: FitStatus = 'no_asymptotic_window'): ExponentEstimate {
  const none = Number.NaN;
  return { value: none, stderr: none, window: null, components: { regression: none, bootstrap: none, drift: none, curvature: none, windows: none }, alternatives: [], bootstrapKind: 'none', status, message, prefactor: none };
}

/**
 * Residuals of y about its least-squares quadratic in x: the noise about a
 * smooth trend. The bootstrap resamples these (not the residuals about the
 * straight line), so that a bend of the law, which the residuals about a line
 * would carry as long runs of one sign, counts once, as the curvature part of
 * the error, instead of blurring the statistical part and the curvature test.
 */
function quadraticResiduals(x: ArrayLike<number>, y: ArrayLike<number>): Float64Array {
  const n = x.length;
  let mx = 0;
  for (let i = 0; i < n; i++) mx += x[i];
  mx /= n;
  // Normal equations of y = c0 + c1 u + c2 u^2, u = x - mean(x), solved by Cramer's rule (3 x 3).
  const m = [0, 0, 0, 0, 0];
  const r = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const u = x[i] - mx;
    let p = 1;
    for (let j = 0; j < 5; j++) {
      m[j] += p;
      if (j < 3) r[j] += p * y[i];
      p *= u;
    }
  }
  const det3 = (a: number[][]) => a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0]) + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
  const A = [[m[0], m[1], m[2]], [m[1], m[2], m[3]], [m[2], m[3], m[4]]];
  const D = det3(A);
  const coef = [0, 1, 2].map((j) => det3(A.map((row, i) => row.map((v, k) => (k === j ? r[i] : v)))) / D);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = x[i] - mx;
    out[i] = y[i] - coef[0] - coef[1] * u - coef[2] * u * u;
  }
  return out;
}

/**
 * The window's lower and upper halves in log k (null when a half would hold
 * fewer than minModes modes): the exponent on each, compared, is the
 * curvature test.
 */
function windowHalves(window: ModeWindow): [ModeWindow, ModeWindow] | null {
  const mid = Math.round(Math.sqrt(window.from * window.to));
  const lower = { from: window.from, to: mid };
  const upper = { from: mid, to: window.to };
  const enough = (w: ModeWindow) => w.to - w.from + 1 >= SPECTRUM_FIT_DEFAULTS.minModes;
  return enough(lower) && enough(upper) ? [lower, upper] : null;
}

/**
 * The systematic part of an exponent's error, from what the fit on one window
 * cannot see by itself:
 *  - curvature: the exponents on the window's two halves differ by more than
 *    CURVATURE_Z times the bootstrap spread of that difference: the law bends
 *    inside the window, and the truth (the law underneath) may lie at either
 *    end, so the whole difference is the systematic error; 0 when it does not
 *    bend beyond the noise (straight laws keep their tight errors);
 *  - windows: the other admissible windows (runs of steady slope that the
 *    automatic rule could have chosen) whose exponent differs from this one by
 *    more than CURVATURE_Z standard errors: the largest such difference, and
 *    the windows listed (a broken power law gives b = 1.1 or 1.8 by the window).
 */
function systematic(
  main: number,
  halvesMain: [number, number] | null,
  halvesReplicates: number[],
  bootstrap: number,
  alternatives: { window: ModeWindow; value: number; relativeSe: number }[],
): { curvature: number; windows: number; significant: { window: ModeWindow; value: number }[] } {
  let curvature = 0;
  if (halvesMain !== null) {
    const difference = Math.abs(halvesMain[1] - halvesMain[0]);
    const spread = standardDeviation(halvesReplicates);
    if (Number.isFinite(difference) && Number.isFinite(spread) && difference > Math.max(CURVATURE_Z * spread, IMMATERIAL_DIFFERENCE)) curvature = difference;
  }
  const significant = alternatives.filter(
    (w) => Number.isFinite(w.value) && Math.abs(w.value - main) > Math.max(CURVATURE_Z * bootstrap * Math.hypot(1, w.relativeSe), IMMATERIAL_DIFFERENCE),
  );
  const windows = significant.reduce((m, w) => Math.max(m, Math.abs(w.value - main)), 0);
  return { curvature, windows, significant: significant.map(({ window, value }) => ({ window, value })) };
}

/**
 * Standard errors of the systematic tests: a difference beyond 2 of them counts (5% false alarms on a straight
 * law, which then carry the difference in their error; 3 missed the bend of an exponential cut-off in half the
 * benchmark's seeds, scripts/data/fit-benchmark.ts).
 */
const CURVATURE_Z = 2;

/**
 * Exponent differences below this are not reported as systematic, whatever the noise: on a noiseless power law the
 * tail-sum fits of the two halves differ by about 1e-3 (the midpoint rule), with a bootstrap spread near zero.
 */
const IMMATERIAL_DIFFERENCE = 0.01;

/**
 * Every admissible window of b: the maximal runs of log-binned local slope
 * within +-slopeTolerance over at least minDecades from mode 10 on (the
 * automatic rule picks the longest of them).
 */
export function admissibleWindows(lambda: Float64Array, options: SpectrumFitOptions = {}): ModeWindow[] {
  const tol = options.slopeTolerance ?? SPECTRUM_FIT_DEFAULTS.slopeTolerance;
  const minDecades = options.minDecades ?? SPECTRUM_FIT_DEFAULTS.minDecades;
  const binned = logBinned(lambda);
  const keep = binned.k.map((k) => k >= SPECTRUM_FIT_DEFAULTS.autoWindowFromMode);
  const idx = binned.k.map((_, i) => i).filter((i) => keep[i]);
  const lk = idx.map((i) => Math.log(binned.k[i]));
  const slopes = localSlopes(lk, idx.map((i) => Math.log(binned.value[i])));
  const out: ModeWindow[] = [];
  let lastEnd = -1;
  for (let start = 0; start < idx.length; start++) {
    let lo = slopes[start];
    let hi = slopes[start];
    let end = start;
    while (end + 1 < idx.length && Math.max(hi, slopes[end + 1]) - Math.min(lo, slopes[end + 1]) <= 2 * tol) {
      end++;
      lo = Math.min(lo, slopes[end]);
      hi = Math.max(hi, slopes[end]);
    }
    if (end <= lastEnd) continue; // contained in the previous run
    lastEnd = end;
    const window = { from: binned.from[idx[start]], to: binned.to[idx[end]] };
    if ((lk[end] - lk[start]) / Math.LN10 >= minDecades && end - start + 1 >= 5 && window.to - window.from + 1 >= SPECTRUM_FIT_DEFAULTS.minModes) out.push(window);
  }
  return out;
}

/** Windows among `candidates` that overlap `main` by less than half of the shorter one in log k. */
function otherWindows(main: ModeWindow, candidates: ModeWindow[]): ModeWindow[] {
  const span = (w: ModeWindow) => Math.log(w.to / w.from);
  return candidates.filter((w) => {
    const overlap = Math.log(Math.min(w.to, main.to) / Math.max(w.from, main.from));
    return !(overlap > 0.5 * Math.min(span(w), span(main)));
  });
}

/**
 * The modes in descending order of lambda, each c_k carried along (a stable
 * sort, so ties keep their file order). The fit reads k as the rank of
 * lambda_k (E31); the DMFT does not depend on the order at all, so a file in
 * ascending order (numpy's eigh) must give the same (a, b) as the same file
 * sorted, not a = -0.13.
 */
function sortedDescending(lambdaIn: ArrayLike<number>, cIn: ArrayLike<number>): { lambda: Float64Array; c: Float64Array; sorted: boolean } {
  const M = lambdaIn.length;
  let descending = true;
  for (let k = 1; k < M && descending; k++) if (lambdaIn[k] > lambdaIn[k - 1]) descending = false;
  if (descending) return { lambda: Float64Array.from(lambdaIn), c: Float64Array.from(cIn), sorted: false };
  const order = Array.from({ length: M }, (_, k) => k).sort((i, j) => lambdaIn[j] - lambdaIn[i] || i - j);
  return { lambda: Float64Array.from(order, (k) => lambdaIn[k]), c: Float64Array.from(order, (k) => cIn[k]), sorted: true };
}

/** THEORY (E31): fitted (a, b) with standard errors, the phase and the laws as intervals. */
export function fitSpectrum(lambdaIn: ArrayLike<number>, cIn: ArrayLike<number>, options: SpectrumFitOptions = {}): SpectrumFit {
  const M = lambdaIn.length;
  if (M !== cIn.length) throw new InvalidArgumentError('c', `must have the same length as lambda (${M})`, cIn.length);
  if (M < 2 * SPECTRUM_FIT_DEFAULTS.minModes) throw new InvalidArgumentError('lambda', `must have at least ${2 * SPECTRUM_FIT_DEFAULTS.minModes} modes to fit`, M);
  for (let k = 0; k < M; k++) {
    if (!(lambdaIn[k] > 0) || !Number.isFinite(lambdaIn[k])) throw new InvalidArgumentError(`lambda (mode ${k + 1})`, 'must be positive and finite', lambdaIn[k]);
    if (!(cIn[k] >= 0) || !Number.isFinite(cIn[k])) throw new InvalidArgumentError(`c (mode ${k + 1})`, 'must be non-negative and finite', cIn[k]);
  }
  const { lambda, c, sorted: sortedInput } = sortedDescending(lambdaIn, cIn);
  const notes: string[] = [];
  if (sortedInput) notes.push('the eigenvalues were not in descending order (numpy eigh gives ascending): sorted, each c_k kept with its lambda_k; windows count modes in that order');
  if (options.windowB) checkWindow('windowB', options.windowB, M);
  if (options.windowA) checkWindow('windowA', options.windowA, M);
  const B = options.residualReplicates ?? SPECTRUM_FIT_DEFAULTS.residualReplicates;
  /** log k for modes k = 1..M (index k), computed once for the bootstrap replicates. */
  const logMode = Float64Array.from({ length: M + 1 }, (_, k) => Math.log(k));
  const seed = options.seed ?? SPECTRUM_FIT_DEFAULTS.seed;

  let windowMessage = '';
  let windowB = options.windowB ?? null;
  if (windowB === null) {
    const auto = automaticWindow(lambda, options);
    windowB = auto.window;
    windowMessage = auto.message;
  }
  const windowA = options.windowA ?? windowB;

  // b
  const candidates = admissibleWindows(lambda, options);
  let bEst: ExponentEstimate;
  if (windowB === null) bEst = noEstimate(`no automatic window for b: ${windowMessage}`);
  else {
    const main = fitB(lambda, windowB, logMode);
    const drift = halfRange(subWindows(windowB).map((w) => fitB(lambda, w, logMode).b).concat(main.b));
    const halves = windowHalves(windowB);
    const halvesOf = (spectrum: Float64Array): number => (halves ? fitB(spectrum, halves[1], logMode).b - fitB(spectrum, halves[0], logMode).b : Number.NaN);
    const halvesReplicates: number[] = [];
    let bootstrap: number;
    let kind: ExponentEstimate['bootstrapKind'];
    if (options.replicates && options.replicates.length >= 2) {
      kind = 'samples';
      bootstrap = standardDeviation(options.replicates.map((r) => fitB(r.lambda, windowB!, logMode).b));
      for (const r of options.replicates) halvesReplicates.push(halvesOf(r.lambda));
    } else {
      kind = 'residuals';
      const rng = new Xoshiro128([seed, STREAM_FIT_BOOTSTRAP, 1]);
      const res = quadraticResiduals(logMode.subarray(windowB.from, windowB.to + 1), Float64Array.from({ length: windowB.to - windowB.from + 1 }, (_, i) => Math.log(lambda[windowB!.from - 1 + i])));
      const values: number[] = [];
      const replicate = new Float64Array(M);
      for (let r = 0; r < B; r++) {
        const e = blockResample(res, rng);
        for (let k = windowB.from; k <= windowB.to; k++) replicate[k - 1] = Math.exp(main.logPrefactor - main.b * logMode[k] + e[k - windowB.from]);
        values.push(fitB(replicate, windowB, logMode).b);
        halvesReplicates.push(halvesOf(replicate));
      }
      bootstrap = standardDeviation(values);
    }
    const alternatives = otherWindows(windowB, candidates).map((w) => {
      const alt = fitB(lambda, w, logMode);
      return { window: w, value: alt.b, relativeSe: alt.se / main.se };
    });
    const sys = systematic(main.b, halves ? [fitB(lambda, halves[0], logMode).b, fitB(lambda, halves[1], logMode).b] : null, halvesReplicates, bootstrap, alternatives);
    const stderr = Math.hypot(bootstrap, Math.max(drift, sys.curvature, sys.windows));
    bEst = {
      value: main.b,
      stderr,
      window: windowB,
      components: { regression: main.se, bootstrap, drift, curvature: sys.curvature, windows: sys.windows },
      alternatives: sys.significant,
      bootstrapKind: kind,
      status: Number.isFinite(main.b) && Number.isFinite(stderr) ? 'converged' : 'non_finite',
      message: '',
      prefactor: Math.exp(main.logPrefactor),
    };
  }

  // a
  let aEst: ExponentEstimate;
  let aInheritsBend = false;
  if (windowA === null) aEst = noEstimate(`no window for a (the window of b was not found: ${windowMessage})`);
  else {
    const basisA = tailBasis(windowA);
    const main = fitTail(c, basisA);
    const drift = halfRange(subWindows(windowA).map((w) => fitTail(c, tailBasis(w)).a).concat(main.a));
    const halves = windowHalves(windowA);
    const halfBases = halves ? [tailBasis(halves[0]), tailBasis(halves[1])] : null;
    const halvesOf = (power: Float64Array): number => (halfBases ? fitTail(power, halfBases[1]).a - fitTail(power, halfBases[0]).a : Number.NaN);
    const halvesReplicates: number[] = [];
    let bootstrap: number;
    let kind: ExponentEstimate['bootstrapKind'];
    if (options.replicates && options.replicates.length >= 2) {
      kind = 'samples';
      bootstrap = standardDeviation(options.replicates.map((r) => fitTail(r.c, basisA).a));
      for (const r of options.replicates) halvesReplicates.push(halvesOf(r.c));
    } else {
      kind = 'residuals';
      // Residuals of log c_k about a quadratic in log k on the window, resampled onto the fitted tail law.
      const xs: number[] = [];
      const ys: number[] = [];
      for (let k = windowA.from; k <= windowA.to; k++) {
        if (c[k - 1] > 0) {
          xs.push(Math.log(k));
          ys.push(Math.log(c[k - 1]));
        }
      }
      const res = quadraticResiduals(xs, ys);
      const rng = new Xoshiro128([seed, STREAM_FIT_BOOTSTRAP, 2]);
      const replicate = new Float64Array(M);
      const values: number[] = [];
      // Trend c_k = C' k^-a with the tail fit's a; C' so that E[exp(residual)] keeps the mean level (cancels in a).
      for (let r = 0; r < B; r++) {
        const e = blockResample(res, rng);
        for (let k = windowA.from; k <= windowA.to; k++) replicate[k - 1] = Math.exp(-main.a * logMode[k] + e[(k - windowA.from) % e.length]);
        values.push(fitTail(replicate, basisA).a);
        halvesReplicates.push(halvesOf(replicate));
      }
      bootstrap = standardDeviation(values);
    }
    // Other admissible windows of b, where a would be read had the rule chosen them (a uses b's window by default).
    const alternatives = options.windowA
      ? []
      : otherWindows(windowA, candidates).map((w) => {
          const alt = fitTail(c, tailBasis(w));
          return { window: w, value: alt.atBound ? Number.NaN : alt.a, relativeSe: alt.se / main.se };
        });
    const own = systematic(main.a, halfBases ? [fitTail(c, halfBases[0]).a, fitTail(c, halfBases[1]).a] : null, halvesReplicates, bootstrap, alternatives);
    // On b's window, a inherits b's bend: c_k is too noisy for the halves test to see a bend of the size lambda_k
    // shows, and what bends lambda_k there bends c_k alike (an offset of the mode index, k + k0, scales both local
    // exponents by k / (k + k0); a cut-off e^{-k/kc} adds k / kc to both).
    const inherited = !options.windowA && bEst.status === 'converged' && bEst.components.curvature > 0 ? bEst.components.curvature * Math.max(1, Math.abs(main.a / bEst.value)) : 0;
    const sys = { ...own, curvature: Math.max(own.curvature, inherited), inherited: inherited > own.curvature };
    aInheritsBend = sys.inherited;
    const stderr = Math.hypot(bootstrap, Math.max(drift, sys.curvature, sys.windows));
    aEst = {
      value: main.atBound ? Number.NaN : main.a,
      stderr: main.atBound ? Number.NaN : stderr,
      window: windowA,
      components: { regression: main.se, bootstrap, drift, curvature: sys.curvature, windows: sys.windows },
      alternatives: sys.significant,
      bootstrapKind: kind,
      status: main.atBound ? 'at_search_bound' : Number.isFinite(main.a) && Number.isFinite(stderr) ? 'converged' : 'non_finite',
      message: main.atBound
        ? `the best a (${main.a.toFixed(3)}) is an end of the searched range [${A_SEARCH.lo}, ${A_SEARCH.hi}]: the tail sums of c_k do not follow C k^(1-a) on modes ${windowA.from}-${windowA.to}`
        : Number.isFinite(main.a) ? '' : 'a tail sum of c_k on the window is zero',
      prefactor: Math.exp(main.logC),
    };
  }
  for (const [name, e] of [['b', bEst], ['a', aEst]] as const) {
    if (e.status !== 'converged' || e.window === null) continue;
    if (e.alternatives.length > 0) {
      const list = e.alternatives.map((w) => `${w.value.toFixed(3)} on modes ${w.window.from}-${w.window.to}`).join(', ');
      notes.push(`the window choice changes ${name}: ${e.value.toFixed(3)} on modes ${e.window.from}-${e.window.to}, but ${list}; the standard error includes the difference`);
    }
    if (e.components.curvature > 0) {
      notes.push(
        name === 'a' && aInheritsBend
          ? `a takes b's bend on the same window (${e.components.curvature.toFixed(3)}, b's halves difference times max(1, a/b)) into its standard error`
          : `${name} bends within its window (the halves of modes ${e.window.from}-${e.window.to} differ by ${e.components.curvature.toFixed(3)}, beyond ${CURVATURE_Z} bootstrap s.e.): not one power law there; the standard error includes the difference`,
      );
    }
  }

  const { phase, phases, laws, note } =
    options.laws === false ? { phase: aEst.status === 'converged' && bEst.status === 'converged' && aEst.value > 1 && bEst.value > 0 ? phaseOf(round6(aEst.value), round6(bEst.value)) : 'unknown', phases: [], laws: [], note: 'laws not evaluated (laws: false)' } : lawIntervals(aEst, bEst);
  const binned = logBinned(lambda);
  const lk = binned.k.map(Math.log);
  const lambdaSlopes = localSlopes(lk, binned.value.map(Math.log));
  // Local slope of the full tail sum T_k = sum_{l > k} c_l: -(a - 1) where c_k ~ k^-a (bends near M, E31).
  const tail = new Float64Array(M + 1);
  for (let l = M; l >= 1; l--) tail[l - 1] = tail[l] + c[l - 1];
  const tailK: number[] = [];
  const tailV: number[] = [];
  binned.k.forEach((k) => {
    const kk = Math.max(1, Math.min(M - 1, Math.round(k)));
    tailK.push(Math.log(kk));
    tailV.push(Math.log(tail[kk]));
  });
  const tailSlopes = localSlopes(tailK, tailV);
  return {
    a: aEst,
    b: bEst,
    phase,
    phases,
    laws,
    lawsNote: note,
    localSlopes: { k: binned.k, lambda: Array.from(lambdaSlopes), tail: Array.from(tailSlopes) },
    modes: M,
    sortedInput,
    notes,
    settings: {
      residualReplicates: B,
      seed,
      slopeTolerance: options.slopeTolerance ?? SPECTRUM_FIT_DEFAULTS.slopeTolerance,
      minDecades: options.minDecades ?? SPECTRUM_FIT_DEFAULTS.minDecades,
      sampleReplicates: options.replicates?.length ?? 0,
    },
  };
}

/**
 * Laws of the symbolic layer at the fitted (a, b), with each exponent's range
 * over the corners of the (a +- se, b +- se) box (the law exponents are
 * monotone in a and in b, so the corners bound them). Corners with a <= 1 or
 * b <= 0 are outside the laws' domain and are skipped, and the note says so.
 */
export function lawIntervals(a: ExponentEstimate, b: ExponentEstimate): { phase: string; phases: string[]; laws: LawInterval[]; note: string } {
  if (a.status !== 'converged' || b.status !== 'converged') {
    return { phase: 'unknown (no fit)', phases: [], laws: [], note: 'no laws: a or b was not fitted' };
  }
  if (!(a.value > 1) || !(b.value > 0)) {
    return {
      phase: `outside the laws' domain (a = ${a.value.toFixed(3)} <= 1: the initial loss diverges for M = infinity)`,
      phases: [],
      laws: [],
      note: 'the symbolic laws need a > 1 and b > 0 (THEORY section 2); for a finite spectrum use the DMFT on the measured spectrum instead',
    };
  }
  const round = round6;
  const corners: Array<[number, number]> = [[round(a.value), round(b.value)]];
  let skipped = 0;
  for (const da of [-1, 1]) {
    for (const db of [-1, 1]) {
      const ca = round(a.value + da * a.stderr);
      const cb = round(b.value + db * b.stderr);
      if (ca > 1 && cb > 0) corners.push([ca, cb]);
      else skipped++;
    }
  }
  const tables = corners.map(([ca, cb]) => exponentTable({ a: ca, b: cb }));
  const centre = tables[0];
  const laws: LawInterval[] = centre.laws.map((law, i) => {
    const values = tables.map((t) => t.laws[i]?.exponent).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    return {
      id: law.id,
      quantity: law.quantity,
      variable: law.variable,
      exponent: typeof law.exponent === 'number' ? law.exponent : null,
      low: values.length > 0 ? Math.min(...values) : null,
      high: values.length > 0 ? Math.max(...values) : null,
      condition: law.condition,
    };
  });
  const phases = [...new Set(corners.map(([ca, cb]) => phaseOf(ca, cb)))];
  const note = `intervals over the corners of the (a +- se, b +- se) box${skipped > 0 ? `; ${skipped} corner(s) with a <= 1 or b <= 0 skipped (outside the laws' domain)` : ''}`;
  return { phase: centre.phase, phases, laws, note };
}

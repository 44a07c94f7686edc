/**
 * Measured scaling laws: each law is read off the full DMFT
 * (src/numeric) with the other resources large enough not to bottleneck,
 * then fitted on an automatically found window (fit.ts).
 *
 * "Large enough" is exact where it can be: the time law uses N = P = inf,
 * the width laws P = inf and t = inf (static limits, THEORY E16b), the data
 * law N = inf and t = inf, the compute-optimal frontier P = inf. Only the
 * number of modes M can be a bottleneck: for b > 1 we use M = inf (analytic
 * tail, THEORY E8); for b <= 1 the trace sum k^-b diverges, the DMFT at finite
 * N or P needs a finite M, and we use MARGINAL_M modes and say so in the note.
 */
import { worstStatus, type Status } from '../core/solution.js';
import { NUMERIC_DEFAULTS, solveCurve, staticLimits, type CurveSolution } from '../numeric/index.js';
import { powerLawSpectrum, type PowerLawSpectrum } from '../spectrum/index.js';
import { fitExponent, logGrid, type FitOptions } from './fit.js';
import type { ExponentFit } from './types.js';

/**
 * Modes used when b <= 1 (tr Lambda = sum k^-b diverges as M -> inf). The
 * effective number of learned modes then carries a 1/log(M/N) correction, so
 * M is taken astronomically large; the mode quadrature makes this cheap.
 */
export const MARGINAL_M = 1e30;

/** Settings of the measurements behind reconciliation (grids, fit windows). */
export interface MeasureSettings {
  /** Time law: t range (N = P = inf). */
  readonly timeRange: readonly [number, number];
  /** Width laws: N range (P = t = inf). */
  readonly widthRange: readonly [number, number];
  /** Data law: P range (N = t = inf). */
  readonly dataRange: readonly [number, number];
  /** Points per decade of every grid. */
  readonly pointsPerDecade: number;
  /** Compute-optimal frontier: N grid range and C range (P = inf). */
  readonly computeN: readonly [number, number];
  readonly computeC: readonly [number, number];
  /** Grid steps per decade of N and C on the frontier (t = C/N lands on the same log grid). */
  readonly computeStepsPerDecade: number;
  readonly fit: FitOptions;
}

export const MEASURE_DEFAULTS: MeasureSettings = Object.freeze({
  timeRange: [1e1, 1e10] as const,
  widthRange: [1e1, 1e8] as const,
  dataRange: [1e1, 1e8] as const,
  pointsPerDecade: 6,
  computeN: [1, 1e9] as const,
  computeC: [1e2, 1e12] as const,
  computeStepsPerDecade: 8,
  fit: { slopeTolerance: 0.01, minDecades: 1.5, minPoints: 6 },
});

/** A measured curve and its fitted exponent. */
export interface Measurement {
  readonly id: string;
  readonly quantity: string;
  readonly variable: string;
  readonly x: number[];
  readonly y: number[];
  readonly fit: ExponentFit;
  /** Worst numeric status among the evaluations behind the curve. */
  readonly status: Status;
  /** What was held fixed and how large (the "not a bottleneck" statement). */
  readonly held: string;
}

/** The spectrum used for measurements at (a, b). */
export function measurementSpectrum(a: number, b: number): PowerLawSpectrum {
  return powerLawSpectrum({ a, b, M: b > 1 ? Infinity : MARGINAL_M });
}

function modesText(spectrum: PowerLawSpectrum): string {
  return spectrum.M === Infinity ? 'M = inf' : `M = ${spectrum.M.toExponential(0)} (b <= 1: finite trace needed)`;
}

function gridFor(range: readonly [number, number], perDecade: number): Float64Array {
  const decades = Math.log10(range[1] / range[0]);
  return logGrid(range[0], range[1], Math.max(2, Math.round(decades * perDecade) + 1));
}

/** THEORY (E17): L(t) at N = P = inf. */
export function measureTime(a: number, b: number, settings: MeasureSettings = MEASURE_DEFAULTS): Measurement {
  const spectrum = powerLawSpectrum({ a, b, M: Infinity });
  const t = gridFor(settings.timeRange, settings.pointsPerDecade);
  const curve = solveCurve({ spectrum, N: Infinity, P: Infinity, sigma: 0, t });
  return {
    id: 'time',
    quantity: 'L(t), N = P = inf',
    variable: 't',
    x: Array.from(t),
    y: Array.from(curve.test),
    fit: fitExponent(t, curve.test, settings.fit),
    status: statusOf(curve, ['test']),
    held: 'N = P = inf, M = inf, sigma = 0',
  };
}

/**
 * The status of the quantities a measurement reads (not of every quantity the
 * curve carries). A train loss below its own error estimate (an interpolating
 * run, THEORY E16) is known to be 0 within that error, which is what the gap
 * reads; it does not spoil the measurement.
 */
function statusOf(curve: CurveSolution, quantities: readonly ('test' | 'train')[]): Status {
  let status: Status = 'converged';
  for (const q of quantities) {
    for (const st of curve.quantityStatus[q]) status = worstStatus(status, q === 'train' && st === 'below_error_estimate' ? 'converged' : st);
  }
  return status;
}

type StaticQuantity = 'test' | 'bias';

function measureStatic(
  id: string,
  quantity: string,
  variable: 'N' | 'P',
  which: StaticQuantity,
  a: number,
  b: number,
  settings: MeasureSettings,
): Measurement {
  const spectrum = measurementSpectrum(a, b);
  const range = variable === 'N' ? settings.widthRange : settings.dataRange;
  const grid = gridFor(range, settings.pointsPerDecade);
  const y = new Float64Array(grid.length);
  let status: Status = 'converged';
  grid.forEach((size, i) => {
    const n = Math.round(size);
    const limits = staticLimits({ spectrum, N: variable === 'N' ? n : Infinity, P: variable === 'P' ? n : Infinity, sigma: 0 });
    y[i] = limits[which];
    status = worstStatus(status, limits.status);
  });
  const x = Array.from(grid, Math.round);
  return {
    id,
    quantity,
    variable,
    x,
    y: Array.from(y),
    fit: fitExponent(x, y, settings.fit),
    status,
    held: `${variable === 'N' ? 'P' : 'N'} = inf, t = inf (static limit E16b), ${modesText(spectrum)}, sigma = 0`,
  };
}

/** THEORY (E19): full test loss vs N at P = t = inf. */
export const measureWidth = (a: number, b: number, settings: MeasureSettings = MEASURE_DEFAULTS): Measurement =>
  measureStatic('width', 'L(inf), P = inf', 'N', 'test', a, b, settings);

/** THEORY (E19): bias (infinite ensemble) vs N at P = t = inf. */
export const measureWidthBias = (a: number, b: number, settings: MeasureSettings = MEASURE_DEFAULTS): Measurement =>
  measureStatic('width_bias', 'B(inf), P = inf', 'N', 'bias', a, b, settings);

/** THEORY (E18): full test loss vs P at N = t = inf. */
export const measureData = (a: number, b: number, settings: MeasureSettings = MEASURE_DEFAULTS): Measurement =>
  measureStatic('data', 'L(inf), N = inf', 'P', 'test', a, b, settings);

/** The measured compute-optimal frontier. */
export interface ComputeFrontier {
  readonly C: number[];
  readonly Lstar: number[];
  readonly Nstar: number[];
  readonly tstar: number[];
  /** Whether the minimum over N is interior to the N grid (boundary minima are not optima). */
  readonly interior: boolean[];
  /** Fixed-N curves L(t = C/N; N) for the envelope figure. */
  readonly curves: { N: number; C: number[]; L: number[] }[];
  readonly fits: { loss: ExponentFit; N: ExponentFit; t: ExponentFit };
  readonly status: Status;
  /** DMFT solves, (N, t) points evaluated, and the size of the full N x C grid. */
  readonly evaluations: { solves: number; points: number; gridPoints: number };
  readonly held: string;
}

/**
 * Minimum of a smooth function sampled on a unit grid, near the grid minimum
 * `best` (interior). A parabola through three points misplaces the argmin by
 * O(h^2 f'''/f''), which differentiating N*(C) turns into slope noise of
 * several hundredths; the interpolating quartic through five points (four
 * near the ends) cuts that to O(h^4). Returns the offset from `best` in grid
 * steps and the interpolated minimum value.
 */
export function refineMinimum(values: readonly number[], best: number): { offset: number; value: number } {
  const lo = Math.max(0, Math.min(best - 2, values.length - 5));
  const hi = Math.min(values.length - 1, lo + 4);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = lo; i <= hi; i++) {
    xs.push(i - best);
    ys.push(values[i]);
  }
  // Lagrange interpolant and its first two derivatives at x.
  const evaluate = (x: number): [number, number, number] => {
    let f = 0;
    let d1 = 0;
    let d2 = 0;
    for (let i = 0; i < xs.length; i++) {
      // l_i(x) = prod_{j != i} (x - x_j) / (x_i - x_j); derivatives by the product rule.
      let denom = 1;
      for (let j = 0; j < xs.length; j++) if (j !== i) denom *= xs[i] - xs[j];
      let p = 1;
      let p1 = 0;
      let p2 = 0;
      for (let j = 0; j < xs.length; j++) {
        if (j === i) continue;
        const u = x - xs[j];
        p2 = p2 * u + 2 * p1;
        p1 = p1 * u + p;
        p *= u;
      }
      f += (ys[i] * p) / denom;
      d1 += (ys[i] * p1) / denom;
      d2 += (ys[i] * p2) / denom;
    }
    return [f, d1, d2];
  };
  if (xs.length < 3) return { offset: 0, value: values[best] };
  let x = 0;
  for (let iteration = 0; iteration < 30; iteration++) {
    const [, d1, d2] = evaluate(x);
    if (!(d2 > 0)) break;
    const step = d1 / d2;
    x = Math.max(-1, Math.min(1, x - step));
    if (Math.abs(step) < 1e-12) break;
  }
  const [f] = evaluate(x);
  return f <= values[best] ? { offset: x, value: f } : { offset: 0, value: values[best] };
}

/**
 * One DMFT curve at `t`, with the mode quadrature of the same problem solved
 * up to `referenceTMax` instead of up to max(t). The numeric layer resolves
 * the mode sums down to lambdaMargin times the smallest scale among 1/t_max
 * and min(N, P)^-b (NUMERIC_DEFAULTS.lambdaMargin); scaling the margin keeps
 * that floor, hence the mode set, the same whichever subset of times is
 * asked for. Differences of two solves (L_N - L_inf at an early time) then
 * cancel to round-off as they do within one full-grid solve, and a value does
 * not depend on which other times were requested with it.
 */
function solveSubset(
  problem: { spectrum: PowerLawSpectrum; N: number; P: number },
  t: readonly number[],
  referenceTMax: number,
): CurveSolution {
  const finite = t.filter((x) => x > 0 && Number.isFinite(x));
  const tMax = finite.length > 0 ? Math.max(...finite) : 1;
  const nMin = Math.min(problem.N, problem.P);
  const floorScale = (tm: number) => (Number.isFinite(nMin) ? Math.min(1 / tm, Math.pow(nMin, -problem.spectrum.b)) : 1 / tm);
  const lambdaMargin = (NUMERIC_DEFAULTS.lambdaMargin * floorScale(referenceTMax)) / floorScale(tMax);
  return solveCurve({ ...problem, sigma: 0, t }, { modes: { lambdaMargin } });
}

/** Options of the compute-optimal frontier beyond the grid settings. */
export interface ComputeFrontierOptions {
  /**
   * Expected slope of log N*(C) against log C (the closed form, THEORY E21),
   * used only to predict where the next optimum lies; a wrong guess costs
   * evaluations, never accuracy (the band moves until the minimum is inside).
   */
  readonly nStarExponent?: number;
  /** Fixed-N curves L(C/N; N) for the envelope figure (default 7; 0: none). */
  readonly envelopeCurves?: number;
}

/** C steps per block of the band walk (one decade at 8 steps per decade). */
const BAND_BLOCK = 8;
/** Half-width of the predicted band in N steps: the refinement reads +-2, one more absorbs most prediction errors (measured: +-2 costs more solves in fix-ups than it saves). */
const BAND_HALF_WIDTH = 3;
/** C decades each side of the band over which an envelope curve is drawn. */
const ENVELOPE_DECADES = 1.5;

/**
 * THEORY (E21), measured: for each compute C = N t, minimise the full DMFT
 * loss L(t = C/N; N, P = inf) over N. N and C share one log grid of step h,
 * so t = C/N lies on the same grid; the minimum is refined by the quartic
 * through the five grid points around it (refineMinimum).
 *
 * Only a band of N around the optimum N*(C) is evaluated, not the whole N x C
 * grid: C is walked upwards one decade at a time, the band of the next block
 * is predicted from the last optimum and the slope of log N* (measured on the
 * previous block, the closed form before that), every fixed-N curve is solved
 * once per block for all the times it needs, and a band whose minimum is not
 * surrounded by two evaluated points on each side is widened until it is. The
 * first C is located by a coarse scan (one N per decade). The loss is
 * unimodal in log N at fixed C (a decreasing time factor against an
 * increasing width factor), so the local minimum found is the minimum over the
 * N grid; the grid-edge rule (boundary minima are not optima) is the same.
 */
export function measureComputeFrontier(
  a: number,
  b: number,
  settings: MeasureSettings = MEASURE_DEFAULTS,
  options: ComputeFrontierOptions = {},
): ComputeFrontier {
  const spectrum = measurementSpectrum(a, b);
  const h = 1 / settings.computeStepsPerDecade;
  const nLo = Math.round(Math.log10(settings.computeN[0]) / h);
  const nHi = Math.round(Math.log10(settings.computeN[1]) / h);
  const cLo = Math.round(Math.log10(settings.computeC[0]) / h);
  const cHi = Math.round(Math.log10(settings.computeC[1]) / h);
  const cIdx = Array.from({ length: cHi - cLo + 1 }, (_, i) => cLo + i);
  const values = new Map<number, Map<number, number>>(); // j -> i -> L(C_i / N_j; N_j)
  let status: Status = 'converged';
  let solves = 0;
  let points = 0;
  const clampN = (j: number) => Math.max(nLo, Math.min(nHi, j));
  const has = (j: number, i: number) => values.get(j)?.has(i) ?? false;
  const value = (j: number, i: number) => values.get(j)!.get(i)!;
  /** Evaluates the missing (j, i) pairs, one solve per N. */
  const evaluate = (pairs: Iterable<[number, number]>) => {
    const byN = new Map<number, Set<number>>();
    for (const [j, i] of pairs) {
      if (j < nLo || j > nHi || has(j, i)) continue;
      if (!byN.has(j)) byN.set(j, new Set());
      byN.get(j)!.add(i);
    }
    for (const [j, set] of [...byN].sort((x, y) => x[0] - y[0])) {
      const is = [...set].sort((x, y) => x - y);
      const N = Math.max(1, Math.round(Math.pow(10, j * h)));
      // The mode set of the full-grid solve of this N (times up to C_max / N).
      const curve = solveSubset({ spectrum, N, P: Infinity }, is.map((i) => Math.pow(10, (i - j) * h)), Math.pow(10, (cHi - j) * h));
      status = worstStatus(status, statusOf(curve, ['test']));
      solves++;
      points += is.length;
      if (!values.has(j)) values.set(j, new Map());
      const row = values.get(j)!;
      is.forEach((i, k) => row.set(i, curve.test[k]));
    }
  };
  /** The five N indices the quartic refinement reads around `best` (fewer at the grid edges). */
  const stencil = (best: number) => {
    const lo = Math.max(nLo, Math.min(best - 2, nHi - 4));
    const hi = Math.min(nHi, lo + 4);
    return Array.from({ length: hi - lo + 1 }, (_, k) => lo + k);
  };
  /** Minimum over the evaluated N of column i, widened until its stencil is evaluated. */
  const bestOf = new Map<number, number>();
  const settle = (columns: readonly number[]) => {
    for (;;) {
      const missing: [number, number][] = [];
      for (const i of columns) {
        let best: number | undefined;
        for (let j = nLo; j <= nHi; j++) if (has(j, i) && (best === undefined || value(j, i) < value(best, i))) best = j;
        if (best === undefined) throw new Error(`compute frontier: no evaluated N at C index ${i}`);
        bestOf.set(i, best);
        for (const j of [...stencil(best), clampN(best - 1), clampN(best + 1)]) if (!has(j, i)) missing.push([j, i]);
      }
      if (missing.length === 0) return;
      evaluate(missing);
    }
  };
  // The first C: one N per decade, then the band around the best of those.
  const coarse: [number, number][] = [];
  for (let j = nLo; j <= nHi; j += settings.computeStepsPerDecade) coarse.push([j, cLo]);
  coarse.push([nHi, cLo]);
  evaluate(coarse);
  settle([cLo]);
  let slope = Math.max(0, Math.min(1, options.nStarExponent ?? 0.5));
  let anchor = { i: cLo, j: bestOf.get(cLo)! };
  for (let i0 = cLo + 1; i0 <= cHi; i0 += BAND_BLOCK) {
    const block = cIdx.filter((i) => i >= i0 && i < i0 + BAND_BLOCK);
    const band: [number, number][] = [];
    for (const i of block) {
      const centre = Math.round(anchor.j + slope * (i - anchor.i));
      for (let j = centre - BAND_HALF_WIDTH; j <= centre + BAND_HALF_WIDTH; j++) band.push([clampN(j), i]);
    }
    evaluate(band);
    settle(block);
    const last = block[block.length - 1];
    if (last > anchor.i) slope = Math.max(0, Math.min(1, (bestOf.get(last)! - anchor.j) / (last - anchor.i)));
    anchor = { i: last, j: bestOf.get(last)! };
  }

  const C: number[] = [];
  const Lstar: number[] = [];
  const Nstar: number[] = [];
  const tstar: number[] = [];
  const interior: boolean[] = [];
  for (const i of cIdx) {
    const best = bestOf.get(i)!;
    const Cv = Math.pow(10, i * h);
    let logN = best * h;
    let L = value(best, i);
    const isInterior = best > nLo && best < nHi;
    if (isInterior) {
      const js = stencil(best);
      const refined = refineMinimum(js.map((j) => Math.log(value(j, i))), best - js[0]);
      logN += refined.offset * h;
      L = Math.exp(refined.value);
    }
    C.push(Cv);
    Lstar.push(L);
    Nstar.push(Math.pow(10, logN));
    tstar.push(Cv / Math.pow(10, logN));
    interior.push(isInterior);
  }

  // Envelope curves: N spread over the optima, each drawn ENVELOPE_DECADES of C beyond the band where it is optimal.
  const envelopeCount = options.envelopeCurves ?? 7;
  const optimalN = [...new Set(cIdx.map((i) => bestOf.get(i)!))].sort((x, y) => x - y);
  const chosen = envelopeCount > 0 ? [...new Set(pickEven(optimalN, envelopeCount))] : [];
  const reach = Math.round(ENVELOPE_DECADES / h);
  const extra: [number, number][] = [];
  for (const j of chosen) {
    const where = cIdx.filter((i) => bestOf.get(i) === j);
    for (let i = Math.max(cLo, where[0] - reach); i <= Math.min(cHi, where[where.length - 1] + reach); i++) extra.push([j, i]);
  }
  evaluate(extra);
  const curves = chosen.map((j) => {
    const is = [...values.get(j)!.keys()].sort((x, y) => x - y);
    return { N: Math.pow(10, j * h), C: is.map((i) => Math.pow(10, i * h)), L: is.map((i) => value(j, i)) };
  });

  const keep = (list: number[]) => list.map((v, k) => (interior[k] ? v : Number.NaN));
  const fitOptions = settings.fit;
  const gridPoints = (nHi - nLo + 1) * cIdx.length;
  return {
    C,
    Lstar,
    Nstar,
    tstar,
    interior,
    curves,
    fits: {
      loss: fitExponent(C, keep(Lstar), fitOptions),
      N: fitExponent(C, keep(Nstar), fitOptions),
      t: fitExponent(C, keep(tstar), fitOptions),
    },
    status,
    evaluations: { solves, points, gridPoints },
    held: `P = inf, ${modesText(spectrum)}, sigma = 0; N on ${settings.computeStepsPerDecade} points per decade in [${settings.computeN[0]}, ${settings.computeN[1]}], evaluated in a band around the optimum (${points} of ${gridPoints} grid points)`,
  };
}

/** `count` entries spread evenly over `values` (all of them if fewer). */
function pickEven<T>(values: readonly T[], count: number): T[] {
  if (values.length <= count) return [...values];
  if (count === 1) return [values[Math.floor(values.length / 2)]];
  return Array.from({ length: count }, (_, i) => values[Math.round((i * (values.length - 1)) / (count - 1))]);
}

/** The measured finite-width curves. */
export interface FiniteWidthMeasurement {
  readonly N: number[];
  readonly t: number[];
  /**
   * L_N(t) per N (rows) on the time grid, and L_inf(t). Only the times a law
   * or a figure reads are evaluated; the others are NaN (see figureRows and
   * figureTimes for the ones the figures read).
   */
  readonly curves: number[][];
  readonly infinite: number[];
  readonly plateau: number[];
  /** Rows of `curves` evaluated on the whole time grid, and time indices evaluated for every N (figures; empty without). */
  readonly figureRows: number[];
  readonly figureTimes: number[];
  readonly early: { t: number; delta: number[]; fit: ExponentFit };
  readonly late: { t: number; delta: number[]; fit: ExponentFit };
  readonly crossover: { tCross: number[]; fit: ExponentFit };
  readonly status: Status;
  readonly held: string;
}

/** Options of the finite-width and gap measurements. */
export interface CurveFamilyOptions {
  readonly earlyTime?: number;
  readonly perDecade?: number;
  readonly fit?: FitOptions;
  /** Also evaluate what the report's figures draw (default true; false: only what the laws read). */
  readonly figures?: boolean;
}

/** First time at which curve y(t) falls to `level` (log-log interpolation); NaN if never. */
function firstCrossing(t: readonly number[], y: readonly number[], level: number): number {
  for (let i = 1; i < t.length; i++) {
    if (y[i - 1] > level && y[i] <= level) {
      const f = Math.log(y[i - 1] / level) / Math.log(y[i - 1] / y[i]);
      return Math.exp(Math.log(t[i - 1]) + f * Math.log(t[i] / t[i - 1]));
    }
  }
  return Number.NaN;
}

/** Indices i with y[i - 1] > level >= y[i] for evaluated neighbours; -1 when not bracketed yet. */
function bracketIndex(y: readonly number[], level: number): number {
  for (let i = 1; i < y.length; i++) if (y[i - 1] > level && y[i] <= level) return i;
  return -1;
}

/** Grid index nearest to time x on the log grid t. */
function nearestIndex(t: readonly number[], x: number): number {
  let best = 0;
  for (let i = 1; i < t.length; i++) if (Math.abs(Math.log(t[i] / x)) < Math.abs(Math.log(t[best] / x))) best = i;
  return best;
}

/**
 * THEORY (E22, E23): |L_N(t) - L_inf(t)| vs N at an early time (t << 1/lambda_1,
 * expected 1/N) and late (t = inf: the width law), at P = inf; the crossover
 * time t_x(N) at which L_N(t) first comes within a factor 2 of its plateau
 * L_N(inf) (expected ~ N^b while the time law sets the early decay).
 *
 * Each width is solved once for the early time, t = inf and a bracket of the
 * crossover: at P = inf gradient flow descends the population loss itself, so
 * L_N(t) decreases monotonically and the first crossing of 2 L_N(inf) is the
 * only one. The bracket is predicted from the previous width (t_x ~ N^b) and
 * moved a decade at a time until the crossing lies inside it. The figures'
 * curves are added only when asked for.
 */
export function measureFiniteWidth(
  a: number,
  b: number,
  options: CurveFamilyOptions & { N?: readonly [number, number] } = {},
): FiniteWidthMeasurement {
  const spectrum = measurementSpectrum(a, b);
  const [nLo, nHi] = options.N ?? [1e1, 1e5];
  const perDecade = options.perDecade ?? 4;
  const earlyTime = options.earlyTime ?? 1e-2;
  const fitOptions = options.fit ?? { slopeTolerance: 0.01, minDecades: 1.5, minPoints: 5 };
  const figures = options.figures ?? true;
  const Ns = Array.from(gridFor([nLo, nHi], perDecade), Math.round);
  // Late enough that the largest N has reached its plateau: t >> N^b.
  const tMax = 1e3 * Math.pow(nHi, b);
  const t = Array.from(gridFor([earlyTime, tMax], 4));
  const T = t.length;
  const every = t.map((_, i) => i);
  const figureRows = figures ? pickEven(Ns.map((_, j) => j), 5) : [];
  const figureTimes = figures ? pickEven(every.filter((i) => t[i] >= 1), 4) : [];
  let status: Status = 'converged';
  /** Solves the curve of width N (Infinity: N = inf) at time indices `idx` and t = inf. */
  const solveAt = (N: number, idx: readonly number[]) => {
    const spec = N === Infinity ? powerLawSpectrum({ a, b, M: Infinity }) : spectrum;
    const curve = solveSubset({ spectrum: spec, N, P: Infinity }, [...idx.map((i) => t[i]), Infinity], tMax);
    status = worstStatus(status, statusOf(curve, ['test']));
    return { values: Array.from(curve.test.subarray(0, idx.length)), plateau: curve.test[idx.length] };
  };
  const infiniteIdx = figures ? every : [0];
  const infiniteSolved = solveAt(Infinity, infiniteIdx);
  const infinite = new Array<number>(T).fill(Number.NaN);
  infiniteIdx.forEach((i, k) => (infinite[i] = infiniteSolved.values[k]));
  const curves: number[][] = [];
  const plateau: number[] = [];
  const tCross: number[] = [];
  let previous: { N: number; tCross: number } | undefined;
  Ns.forEach((N, j) => {
    const row = new Array<number>(T).fill(Number.NaN);
    const wanted = new Set<number>([0, ...figureTimes]);
    if (figureRows.includes(j)) for (const i of every) wanted.add(i);
    // Predicted crossover: from the previous width with t_x ~ N^b, else t_x ~ N^b itself.
    const guess = previous && Number.isFinite(previous.tCross) ? previous.tCross * Math.pow(N / previous.N, b) : Math.pow(N, b);
    // One decade centred on the guess: one contour window when the guess is right.
    const centre = nearestIndex(t, guess);
    const half = Math.floor(perDecade / 2);
    for (let i = Math.max(0, centre - half); i <= Math.min(T - 1, centre + half); i++) wanted.add(i);
    let level = Number.NaN;
    let pending = [...wanted].sort((x, y) => x - y);
    for (;;) {
      const solved = solveAt(N, pending);
      pending.forEach((i, k) => (row[i] = solved.values[k]));
      level = 2 * solved.plateau;
      if (plateau.length === j) plateau.push(solved.plateau);
      if (bracketIndex(row, level) >= 0) break;
      // Not bracketed: the evaluated times are all above the level (move right) or all at or below (move left).
      const known = every.filter((i) => Number.isFinite(row[i]));
      const lastAbove = known.filter((i) => row[i] > level).pop();
      const firstBelow = known.find((i) => row[i] <= level);
      const next: number[] = [];
      if (firstBelow === undefined) {
        const from = (lastAbove ?? 0) + 1;
        for (let i = from; i < Math.min(T, from + 2 * perDecade); i++) next.push(i);
      } else {
        // The crossing lies between the last evaluated time above the level before firstBelow and firstBelow.
        const above = known.filter((i) => i < firstBelow && row[i] > level).pop() ?? -1;
        for (let i = Math.max(above + 1, firstBelow - 2 * perDecade); i < firstBelow; i++) next.push(i);
      }
      if (next.length === 0) break; // never crosses on the grid (or already below at the first time): NaN, as firstCrossing says
      pending = next;
    }
    curves.push(row);
    const crossing = bracketIndex(row, level);
    const tx = crossing >= 0 ? firstCrossing([t[crossing - 1], t[crossing]], [row[crossing - 1], row[crossing]], level) : Number.NaN;
    tCross.push(tx);
    previous = { N, tCross: tx };
  });
  const earlyDelta = curves.map((row) => Math.abs(row[0] - infinite[0]));
  const lateDelta = plateau.map((p) => Math.abs(p - infiniteSolved.plateau));
  return {
    N: Ns,
    t,
    curves,
    infinite,
    plateau,
    figureRows,
    figureTimes,
    early: { t: earlyTime, delta: earlyDelta, fit: fitExponent(Ns, earlyDelta, fitOptions) },
    late: { t: Infinity, delta: lateDelta, fit: fitExponent(Ns, lateDelta, fitOptions) },
    crossover: { tCross, fit: fitExponent(Ns, tCross, fitOptions) },
    status,
    held: `P = inf, ${modesText(spectrum)}, sigma = 0; early t = ${earlyTime}, late t = inf; crossover: L_N(t) = 2 L_N(inf)`,
  };
}

/** The measured train-test gap. */
export interface GapMeasurement {
  readonly P: number[];
  readonly t: number[];
  /** Test and train loss per P on the time grid; NaN where not evaluated (figureRows are whole). */
  readonly test: number[][];
  readonly train: number[][];
  readonly figureRows: number[];
  /** gap(t = earlyTime) vs P and gap(inf) vs P. */
  readonly early: { t: number; gap: number[]; fit: ExponentFit };
  readonly late: { gap: number[]; fit: ExponentFit };
  /** gap(t) at the largest P over 1 << t << P^b, where it grows (or decays) with data reuse (E24). */
  readonly growth: { P: number; window: [number, number]; fit: ExponentFit };
  readonly status: Status;
  readonly held: string;
}

/**
 * THEORY (E16, E24): the train-test gap at N = inf, sigma = 0, as a function
 * of t for several P and of P at an early time and at t = inf (where the
 * train loss of an interpolating model is 0 and the gap is the data law).
 * Each P is solved at the early time and t = inf only; the largest P also on
 * the growth window, and the figures' rows on the whole grid when asked for.
 */
export function measureGap(a: number, b: number, options: CurveFamilyOptions & { P?: readonly [number, number] } = {}): GapMeasurement {
  const spectrum = measurementSpectrum(a, b);
  const [pLo, pHi] = options.P ?? [1e1, 1e5];
  const perDecade = options.perDecade ?? 4;
  const earlyTime = options.earlyTime ?? 1e-2;
  const fitOptions = options.fit ?? { slopeTolerance: 0.01, minDecades: 1.5, minPoints: 5 };
  const figures = options.figures ?? true;
  const Ps = Array.from(gridFor([pLo, pHi], perDecade), Math.round);
  const tMax = 1e3 * Math.pow(pHi, b);
  const t = Array.from(gridFor([earlyTime, tMax], 4));
  const T = t.length;
  const every = t.map((_, i) => i);
  const last = Ps.length - 1;
  // First order in 1/P holds for t well below P^b, the time the P-th mode is learned (E23).
  const growthWindow: [number, number] = [10, Math.pow(Ps[last], b) / 100];
  const figureRows = figures ? pickEven(Ps.map((_, j) => j), 3) : [];
  let status: Status = 'converged';
  const test: number[][] = [];
  const train: number[][] = [];
  const early: number[] = [];
  const late: number[] = [];
  Ps.forEach((P, j) => {
    const idx = figureRows.includes(j)
      ? every
      : j === last
        ? every.filter((i) => i === 0 || (t[i] >= growthWindow[0] && t[i] <= growthWindow[1]))
        : [0];
    const curve = solveSubset({ spectrum, N: Infinity, P }, [...idx.map((i) => t[i]), Infinity], tMax);
    status = worstStatus(status, statusOf(curve, ['test', 'train']));
    const testRow = new Array<number>(T).fill(Number.NaN);
    const trainRow = new Array<number>(T).fill(Number.NaN);
    idx.forEach((i, k) => {
      testRow[i] = curve.test[k];
      trainRow[i] = curve.train[k];
    });
    test.push(testRow);
    train.push(trainRow);
    early.push(curve.gap[0]);
    late.push(curve.gap[idx.length]);
  });
  const gapCurve = test[last].map((v, i) => v - train[last][i]);
  return {
    P: Ps,
    t,
    test,
    train,
    figureRows,
    growth: {
      P: Ps[last],
      window: growthWindow,
      fit: fitExponent(t, gapCurve, { ...fitOptions, xMin: growthWindow[0], xMax: growthWindow[1] }),
    },
    early: { t: earlyTime, gap: early, fit: fitExponent(Ps, early, fitOptions) },
    late: { gap: late, fit: fitExponent(Ps, late, fitOptions) },
    status,
    held: `N = inf, ${modesText(spectrum)}, sigma = 0; early t = ${earlyTime}`,
  };
}

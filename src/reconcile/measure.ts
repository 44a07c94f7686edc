/**
 * Measured scaling laws (issue 4): each law is read off the full DMFT
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
import { solveCurve, staticLimits } from '../numeric/index.js';
import { powerLawSpectrum, type PowerLawSpectrum } from '../spectrum/index.js';
import { fitExponent, logGrid, type FitOptions } from './fit.js';
import type { ExponentFit } from './types.js';

/**
 * Modes used when b <= 1 (tr Lambda = sum k^-b diverges as M -> inf). The
 * effective number of learned modes then carries a 1/log(M/N) correction, so
 * M is taken astronomically large; the mode quadrature makes this cheap.
 */
export const MARGINAL_M = 1e30;

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
    status: curve.status,
    held: 'N = P = inf, M = inf, sigma = 0',
  };
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
 * THEORY (E21), measured: for each compute C = N t, minimise the full DMFT
 * loss L(t = C/N; N, P = inf) over N. N and C share one log grid of step h,
 * so t = C/N lies on the same grid and each fixed-N curve is solved once; the
 * minimum is refined by the quartic through the five grid points around it
 * (refineMinimum).
 */
export function measureComputeFrontier(a: number, b: number, settings: MeasureSettings = MEASURE_DEFAULTS): ComputeFrontier {
  const spectrum = measurementSpectrum(a, b);
  const h = 1 / settings.computeStepsPerDecade;
  const nLo = Math.round(Math.log10(settings.computeN[0]) / h);
  const nHi = Math.round(Math.log10(settings.computeN[1]) / h);
  const cLo = Math.round(Math.log10(settings.computeC[0]) / h);
  const cHi = Math.round(Math.log10(settings.computeC[1]) / h);
  const nIdx = Array.from({ length: nHi - nLo + 1 }, (_, j) => nLo + j);
  const cIdx = Array.from({ length: cHi - cLo + 1 }, (_, i) => cLo + i);
  const table: number[][] = []; // table[j][i] = L(C_i / N_j; N_j)
  let status: Status = 'converged';
  const curves: ComputeFrontier['curves'] = [];
  for (const j of nIdx) {
    const N = Math.pow(10, j * h);
    const t = Float64Array.from(cIdx, (i) => Math.pow(10, (i - j) * h));
    const curve = solveCurve({ spectrum, N: Math.max(1, Math.round(N)), P: Infinity, sigma: 0, t });
    status = worstStatus(status, curve.status);
    table.push(Array.from(curve.test));
    curves.push({ N, C: cIdx.map((i) => Math.pow(10, i * h)), L: Array.from(curve.test) });
  }
  const C: number[] = [];
  const Lstar: number[] = [];
  const Nstar: number[] = [];
  const tstar: number[] = [];
  const interior: boolean[] = [];
  cIdx.forEach((i, col) => {
    let best = 0;
    for (let r = 1; r < nIdx.length; r++) if (table[r][col] < table[best][col]) best = r;
    const Cv = Math.pow(10, i * h);
    let logN = nIdx[best] * h;
    let L = table[best][col];
    const isInterior = best > 0 && best < nIdx.length - 1;
    if (isInterior) {
      const refined = refineMinimum(nIdx.map((_, r) => Math.log(table[r][col])), best);
      logN += refined.offset * h;
      L = Math.exp(refined.value);
    }
    C.push(Cv);
    Lstar.push(L);
    Nstar.push(Math.pow(10, logN));
    tstar.push(Cv / Math.pow(10, logN));
    interior.push(isInterior);
  });
  const keep = (values: number[]) => values.map((v, k) => (interior[k] ? v : Number.NaN));
  const fitOptions = settings.fit;
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
    held: `P = inf, ${modesText(spectrum)}, sigma = 0; N on ${settings.computeStepsPerDecade} points per decade in [${settings.computeN[0]}, ${settings.computeN[1]}]`,
  };
}

export interface FiniteWidthMeasurement {
  readonly N: number[];
  readonly t: number[];
  /** L_N(t) per N (rows) on the time grid, and L_inf(t). */
  readonly curves: number[][];
  readonly infinite: number[];
  readonly plateau: number[];
  readonly early: { t: number; delta: number[]; fit: ExponentFit };
  readonly late: { t: number; delta: number[]; fit: ExponentFit };
  readonly crossover: { tCross: number[]; fit: ExponentFit };
  readonly status: Status;
  readonly held: string;
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

/**
 * THEORY (E22, E23): |L_N(t) - L_inf(t)| vs N at an early time (t << 1/lambda_1,
 * expected 1/N) and late (t = inf: the width law), at P = inf; the crossover
 * time t_x(N) at which L_N(t) first comes within a factor 2 of its plateau
 * L_N(inf) (expected ~ N^b while the time law sets the early decay).
 */
export function measureFiniteWidth(
  a: number,
  b: number,
  options: { N?: readonly [number, number]; earlyTime?: number; perDecade?: number; fit?: FitOptions } = {},
): FiniteWidthMeasurement {
  const spectrum = measurementSpectrum(a, b);
  const [nLo, nHi] = options.N ?? [1e1, 1e5];
  const perDecade = options.perDecade ?? 4;
  const earlyTime = options.earlyTime ?? 1e-2;
  const fitOptions = options.fit ?? { slopeTolerance: 0.01, minDecades: 1.5, minPoints: 5 };
  const Ns = Array.from(gridFor([nLo, nHi], perDecade), Math.round);
  // Late enough that the largest N has reached its plateau: t >> N^b.
  const tMax = 1e3 * Math.pow(nHi, b);
  const t = Array.from(gridFor([earlyTime, tMax], 4));
  const tWithInf = [...t, Infinity];
  let status: Status = 'converged';
  const infinite = solveCurve({ spectrum: powerLawSpectrum({ a, b, M: Infinity }), N: Infinity, P: Infinity, sigma: 0, t: tWithInf });
  status = worstStatus(status, infinite.status);
  const curves: number[][] = [];
  const plateau: number[] = [];
  for (const N of Ns) {
    const curve = solveCurve({ spectrum, N, P: Infinity, sigma: 0, t: tWithInf });
    status = worstStatus(status, curve.status);
    curves.push(Array.from(curve.test.subarray(0, t.length)));
    plateau.push(curve.test[t.length]);
  }
  const earlyDelta = curves.map((row) => Math.abs(row[0] - infinite.test[0]));
  const lateDelta = plateau.map((p) => Math.abs(p - infinite.test[t.length]));
  const tCross = curves.map((row, j) => firstCrossing(t, row, 2 * plateau[j]));
  return {
    N: Ns,
    t,
    curves,
    infinite: Array.from(infinite.test.subarray(0, t.length)),
    plateau,
    early: { t: earlyTime, delta: earlyDelta, fit: fitExponent(Ns, earlyDelta, fitOptions) },
    late: { t: Infinity, delta: lateDelta, fit: fitExponent(Ns, lateDelta, fitOptions) },
    crossover: { tCross, fit: fitExponent(Ns, tCross, fitOptions) },
    status,
    held: `P = inf, ${modesText(spectrum)}, sigma = 0; early t = ${earlyTime}, late t = inf; crossover: L_N(t) = 2 L_N(inf)`,
  };
}

export interface GapMeasurement {
  readonly P: number[];
  readonly t: number[];
  readonly test: number[][];
  readonly train: number[][];
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
 */
export function measureGap(
  a: number,
  b: number,
  options: { P?: readonly [number, number]; earlyTime?: number; perDecade?: number; fit?: FitOptions } = {},
): GapMeasurement {
  const spectrum = measurementSpectrum(a, b);
  const [pLo, pHi] = options.P ?? [1e1, 1e5];
  const perDecade = options.perDecade ?? 4;
  const earlyTime = options.earlyTime ?? 1e-2;
  const fitOptions = options.fit ?? { slopeTolerance: 0.01, minDecades: 1.5, minPoints: 5 };
  const Ps = Array.from(gridFor([pLo, pHi], perDecade), Math.round);
  const t = Array.from(gridFor([earlyTime, 1e3 * Math.pow(pHi, b)], 4));
  const tWithInf = [...t, Infinity];
  let status: Status = 'converged';
  const test: number[][] = [];
  const train: number[][] = [];
  const early: number[] = [];
  const late: number[] = [];
  for (const P of Ps) {
    const curve = solveCurve({ spectrum, N: Infinity, P, sigma: 0, t: tWithInf });
    status = worstStatus(status, curve.status);
    test.push(Array.from(curve.test.subarray(0, t.length)));
    train.push(Array.from(curve.train.subarray(0, t.length)));
    early.push(curve.gap[0]);
    late.push(curve.gap[t.length]);
  }
  // First order in 1/P holds for t well below P^b, the time the P-th mode is learned (E23).
  const last = Ps.length - 1;
  const growthWindow: [number, number] = [10, Math.pow(Ps[last], b) / 100];
  const gapCurve = test[last].map((v, i) => v - train[last][i]);
  return {
    P: Ps,
    t,
    test,
    train,
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

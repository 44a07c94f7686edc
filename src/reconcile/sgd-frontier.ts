/**
 * The compute-optimal frontier of one-pass SGD measured from the DMFT
 * (THEORY E28), and of gradient flow by the same search (E21), for the SGD
 * reconciliation (sgd.ts).
 *
 * Compute C = N t B at fixed batch B (t in steps, B samples per step). For
 * each C on a log grid the loss L(t = C/(N B); N) is minimised over the
 * width N:
 * - N runs over a log grid of step h = 1/stepsPerDecade (rounded to whole
 *   widths; the refinement uses the actual log N, so the rounding costs
 *   nothing). The step count C/(N B) is not whole in general: the loss is
 *   solved at the two whole step counts around it and interpolated linearly
 *   in t (error O(L'' ) ~ L / t^2, below 1e-8 relative for t >= 1e4).
 * - Banded search: at the first C the grid is scanned upward from the
 *   smallest width until the loss has risen for `band` points past its
 *   minimum (L(N) at fixed C falls, then rises: the time-limited and
 *   width-limited sides); at each next C only a band of +-band points
 *   around the previous optimum, shifted by the last measured slope of N*,
 *   is solved, and widened while the minimum sits within two points of its
 *   edge. A width is solved for a block of upcoming C values at once (one
 *   curve, many step counts). A solve has a fixed cost (about two cells'
 *   worth) plus a cost that grows with the decades of t it spans, so the
 *   block is the C values the width is predicted to stay in the band for:
 *   until the band's lower edge, moving by the last measured step of N*,
 *   passes it (plus one C for a widening), at most `lookahead` values. Which
 *   cells are solved changes only the work: the optimum of each C is taken
 *   from the same grid points whatever block they were solved in.
 * - The grid minimum is refined by the quartic through the five grid points
 *   around it, in the actual log N (a parabola misplaces the argmin by
 *   O(h^2 f'''/f''), which depends on where the minimum falls between grid
 *   points and turns into slope noise when N*(C) is differentiated; see
 *   refineMinimum in measure.ts for the same argument on a uniform grid).
 * - A minimum on the edge of the allowed widths (N below nMin or t below
 *   minSteps) is not an optimum: it is kept out of the fits, as is any point
 *   whose solves did not all converge.
 * Then the exponents of N*(C), t*(C), L*(C) are fitted on the automatic
 * asymptotic window of fit.ts (the project's window rules, standard errors
 * with the drift of the local slope).
 */
import { InvalidArgumentError } from '../core/errors.js';
import { worstStatus, type Status } from '../core/solution.js';
import { GRADIENT_FLOW, makeDynamics, type Dynamics, type OnePassSgd } from '../dynamics/index.js';
import { solveCurve, solveSgdCurve } from '../numeric/index.js';
import { powerLawSpectrum } from '../spectrum/index.js';
import { fitExponent, type FitOptions } from './fit.js';
import { MEASURE_DEFAULTS } from './measure.js';
import type { ExponentFit } from './types.js';

/** Settings of the banded compute-optimal search (defaults in SGD_FRONTIER_DEFAULTS). */
export interface SgdFrontierSettings {
  /** Compute range [C_min, C_max], C = N t B. */
  readonly computeC: readonly [number, number];
  /** Grid points per decade of N and of C. */
  readonly stepsPerDecade: number;
  /** Half-width of the band of widths solved around the previous optimum (>= 2: the refinement uses five points). */
  readonly band: number;
  /** Smallest width allowed (rounding to whole widths is coarse below ~10). */
  readonly nMin: number;
  /** Largest width allowed. */
  readonly nMax: number;
  /** Fewest steps allowed: the interpolation between whole step counts needs t >> 1. */
  readonly minSteps: number;
  /**
   * Most upcoming C values solved with a width in one curve: the scan at the
   * first C solves this many; later blocks end where the width is predicted
   * to leave the band, at most this many C values ahead.
   */
  readonly lookahead: number;
  /**
   * 'predicted' (default): blocks end where the width is predicted to leave
   * the band; 'fixed': every block is `lookahead` C values long (the earlier
   * rule, kept as the benchmark's baseline). Same optima either way.
   */
  readonly blocks?: 'predicted' | 'fixed';
  readonly fit: FitOptions;
}

/** Default search settings: C in [1e4, 1e13] (asymptotic windows of 1.5+ decades at the phase cases), 8 points per decade. */
export const SGD_FRONTIER_DEFAULTS: SgdFrontierSettings = Object.freeze({
  computeC: [1e4, 1e13] as const,
  stepsPerDecade: 8,
  band: 2,
  nMin: 8,
  nMax: 1e12,
  minSteps: 100,
  lookahead: 16,
  fit: MEASURE_DEFAULTS.fit,
});

/**
 * C values after the first solved with each width of the scan at the first C:
 * most of the scanned widths lie below the optimum and leave the band at once,
 * the few around it are solved again when the band reaches them (measured on
 * the phase cases: 4 costs least; 0 and 16 cost 5 % and 15 % more).
 */
const SCAN_BLOCK = 4;

interface Cell {
  /** ln L at t = C/(N B), interpolated between whole step counts. */
  logL: number;
  status: Status;
}

/**
 * Minimum of the interpolating polynomial through (x_i, y_i) (five points, or
 * fewer near an edge) around the sampled minimum x_best; Newton on the
 * derivative, confined to the neighbouring samples. Returns the refined x and
 * the value there; falls back to the sample when the polynomial is not convex
 * there or its value is not below the sample's.
 */
export function refineMinimumAt(xs: readonly number[], ys: readonly number[], best: number): { x: number; y: number } {
  if (xs.length !== ys.length) throw new InvalidArgumentError('ys', `must have the length of xs (${xs.length})`, ys.length);
  const n = xs.length;
  if (n < 3 || best <= 0 || best >= n - 1) return { x: xs[best], y: ys[best] };
  const lo = Math.max(0, Math.min(best - 2, n - 5));
  const hi = Math.min(n - 1, lo + 4);
  const px: number[] = [];
  const py: number[] = [];
  for (let i = lo; i <= hi; i++) {
    px.push(xs[i] - xs[best]);
    py.push(ys[i]);
  }
  const evaluate = (x: number): [number, number, number] => {
    let f = 0;
    let d1 = 0;
    let d2 = 0;
    for (let i = 0; i < px.length; i++) {
      let denom = 1;
      for (let j = 0; j < px.length; j++) if (j !== i) denom *= px[i] - px[j];
      let p = 1;
      let p1 = 0;
      let p2 = 0;
      for (let j = 0; j < px.length; j++) {
        if (j === i) continue;
        const u = x - px[j];
        p2 = p2 * u + 2 * p1;
        p1 = p1 * u + p;
        p *= u;
      }
      f += (py[i] * p) / denom;
      d1 += (py[i] * p1) / denom;
      d2 += (py[i] * p2) / denom;
    }
    return [f, d1, d2];
  };
  const left = xs[best - 1] - xs[best];
  const right = xs[best + 1] - xs[best];
  let x = 0;
  for (let iteration = 0; iteration < 30; iteration++) {
    const [, d1, d2] = evaluate(x);
    if (!(d2 > 0)) break;
    const step = d1 / d2;
    x = Math.max(left, Math.min(right, x - step));
    if (Math.abs(step) < 1e-12) break;
  }
  const [f] = evaluate(x);
  return f <= ys[best] ? { x: xs[best] + x, y: f } : { x: xs[best], y: ys[best] };
}

function validateSettings(s: SgdFrontierSettings): void {
  const [cLo, cHi] = s.computeC;
  if (!(cLo > 0 && cHi > cLo && Number.isFinite(cHi))) throw new InvalidArgumentError('computeC', 'must be [C_min, C_max] with 0 < C_min < C_max < inf', s.computeC);
  if (!(s.stepsPerDecade >= 2 && Number.isFinite(s.stepsPerDecade))) throw new InvalidArgumentError('stepsPerDecade', 'must be a number >= 2', s.stepsPerDecade);
  if (!Number.isInteger(s.band) || s.band < 2) throw new InvalidArgumentError('band', 'must be an integer >= 2 (five points around the minimum)', s.band);
  if (!(s.nMin >= 1 && s.nMax > s.nMin)) throw new InvalidArgumentError('nMin', 'must be >= 1 and below nMax', { nMin: s.nMin, nMax: s.nMax });
  if (!(s.minSteps >= 1)) throw new InvalidArgumentError('minSteps', 'must be >= 1', s.minSteps);
  if (!Number.isInteger(s.lookahead) || s.lookahead < 0) throw new InvalidArgumentError('lookahead', 'must be an integer >= 0', s.lookahead);
  if (s.blocks !== undefined && s.blocks !== 'predicted' && s.blocks !== 'fixed') throw new InvalidArgumentError('blocks', "must be 'predicted' or 'fixed'", s.blocks);
}


/**
 * The loss of one width at a block of computes: ln L at t = C/(N s) for each
 * C (s = samples per step), with the solver's status per value.
 */
export type BlockEvaluator = (N: number, C: readonly number[]) => { logL: number[]; status: Status[] };

/** The raw result of searchFrontier: optima per compute, the curves solved, and bookkeeping. */
export interface FrontierSearch {
  C: number[];
  Nstar: number[];
  tstar: number[];
  Lstar: number[];
  interior: boolean[];
  pointStatus: Status[];
  curves: { N: number; C: number[]; L: number[] }[];
  solves: number;
  cells: number;
  status: Status;
}

/**
 * The banded search of the file header for any loss evaluator (the SGD and
 * gradient-flow DMFT below; synthetic losses with a known argmin in tests).
 * samplesPerStep converts C into t = C/(N samplesPerStep) for the minSteps rule.
 */
export function searchFrontier(settings: SgdFrontierSettings, samplesPerStep: number, evaluate: BlockEvaluator): FrontierSearch {
  validateSettings(settings);
  const h = 1 / settings.stepsPerDecade;
  const cLo = Math.round(Math.log10(settings.computeC[0]) / h);
  const cHi = Math.round(Math.log10(settings.computeC[1]) / h);
  const Cs = Array.from({ length: cHi - cLo + 1 }, (_, i) => Math.pow(10, (cLo + i) * h));
  // Width grid: whole widths from a log grid, duplicates removed.
  const widths: number[] = [];
  for (let j = Math.floor(Math.log10(settings.nMin) / h); ; j++) {
    const N = Math.round(Math.pow(10, j * h));
    if (N > settings.nMax) break;
    if (N >= settings.nMin && N !== widths[widths.length - 1]) widths.push(N);
  }
  const logN = widths.map(Math.log);
  /** Largest width index with at least minSteps steps at C_i (-1 if none). */
  const jTop = (i: number): number => {
    let j = -1;
    while (j + 1 < widths.length && Cs[i] / (widths[j + 1] * samplesPerStep) >= settings.minSteps) j++;
    return j;
  };

  const cache = new Map<number, Cell>(); // key j * Cs.length + i
  const key = (j: number, i: number) => j * Cs.length + i;
  let solves = 0;
  let status: Status = 'converged';
  // Where the band is at the C being searched (set before its cells are asked for): its centre and the
  // predicted step of the centre per C; null during the scan at the first C.
  let band: { centre: number; shift: number } | null = null;
  /** Last C index width j is solved for when first needed at C_i (see the file header). */
  const blockEnd = (j: number, i: number): number => {
    if (settings.blocks === 'fixed') return i + settings.lookahead;
    if (band === null) return i + Math.min(settings.lookahead, SCAN_BLOCK);
    if (!(band.shift > 0)) return i + settings.lookahead;
    const lowerEdge = band.centre - settings.band;
    if (j < lowerEdge) return i + 1; // below the band (a widening): needed now and perhaps at the next C
    return i + Math.min(settings.lookahead, Math.ceil((j - lowerEdge) / band.shift) + 1);
  };
  const solveBlock = (j: number, iFirst: number): void => {
    const need: number[] = [];
    const iLast = blockEnd(j, iFirst);
    for (let i = iFirst; i < Cs.length && i <= iLast; i++) {
      if (!cache.has(key(j, i)) && jTop(i) >= j) need.push(i);
    }
    if (need.length === 0) return;
    const result = evaluate(widths[j], need.map((i) => Cs[i]));
    solves++;
    need.forEach((i, r) => {
      status = worstStatus(status, result.status[r]);
      cache.set(key(j, i), { logL: result.logL[r], status: result.status[r] });
    });
  };
  const cell = (j: number, i: number): Cell => {
    let c = cache.get(key(j, i));
    if (c === undefined) {
      solveBlock(j, i);
      c = cache.get(key(j, i)) as Cell;
    }
    return c;
  };

  const out: FrontierSearch = { C: [], Nstar: [], tstar: [], Lstar: [], interior: [], pointStatus: [], curves: [], solves: 0, cells: 0, status: 'converged' };
  let previousBest = -1;
  let predictedShift = 0;
  for (let i = 0; i < Cs.length; i++) {
    const top = jTop(i);
    out.C.push(Cs[i]);
    if (top < 2) {
      // Too little compute for even a few widths with minSteps steps: no point.
      out.Nstar.push(Number.NaN);
      out.tstar.push(Number.NaN);
      out.Lstar.push(Number.NaN);
      out.interior.push(false);
      out.pointStatus.push('converged');
      continue;
    }
    const value = (j: number) => cell(j, i).logL;
    // NaN (a failed solve) never wins a comparison.
    const better = (j: number, k: number) => value(j) < value(k) || (Number.isNaN(value(k)) && !Number.isNaN(value(j)));
    let lo: number;
    let hi: number;
    let best: number;
    if (previousBest < 0) {
      // First C: scan upward until the loss has risen for `band` points past its minimum.
      lo = 0;
      best = 0;
      hi = 0;
      for (let j = 0; j <= top; j++) {
        hi = j;
        if (better(j, best)) best = j;
        if (j - best >= settings.band) break;
      }
    } else {
      const centre = Math.min(top, Math.max(0, Math.round(previousBest + predictedShift)));
      band = { centre, shift: predictedShift };
      lo = Math.max(0, centre - settings.band);
      hi = Math.min(top, centre + settings.band);
      best = lo;
      for (let j = lo; j <= hi; j++) if (better(j, best)) best = j;
      // Widen while the minimum is within two points of an edge of the band.
      for (;;) {
        if (best - lo < 2 && lo > 0) {
          lo--;
          if (better(lo, best)) best = lo;
        } else if (hi - best < 2 && hi < top) {
          hi++;
          if (better(hi, best)) best = hi;
        } else break;
      }
    }
    const xs: number[] = [];
    const ys: number[] = [];
    let st: Status = 'converged';
    for (let j = lo; j <= hi; j++) {
      xs.push(logN[j]);
      ys.push(value(j));
      st = worstStatus(st, cell(j, i).status);
    }
    const isInterior = best > 0 && best < top && ys.every(Number.isFinite);
    const refined = isInterior ? refineMinimumAt(xs, ys, best - lo) : { x: logN[best], y: value(best) };
    const N = Math.exp(refined.x);
    out.Nstar.push(N);
    out.tstar.push(Cs[i] / (N * samplesPerStep));
    out.Lstar.push(Math.exp(refined.y));
    out.interior.push(isInterior);
    out.pointStatus.push(st);
    // Next band: the optimum moves by the last measured step of log N* (in grid points).
    const previous = out.Nstar[out.Nstar.length - 2];
    if (previousBest >= 0 && Number.isFinite(previous)) predictedShift = Math.log10(N / previous) / h;
    previousBest = best;
  }

  const byWidth = new Map<number, { C: number[]; L: number[] }>();
  for (const [k, c] of cache) {
    const j = Math.floor(k / Cs.length);
    const entry = byWidth.get(j) ?? { C: [], L: [] };
    entry.C.push(Cs[k % Cs.length]);
    entry.L.push(Math.exp(c.logL));
    byWidth.set(j, entry);
  }
  out.curves = [...byWidth.entries()]
    .sort(([x], [y]) => x - y)
    .map(([j, e]) => {
      const order = e.C.map((_, r) => r).sort((r, s) => e.C[r] - e.C[s]);
      return { N: widths[j], C: order.map((r) => e.C[r]), L: order.map((r) => e.L[r]) };
    });
  out.solves = solves;
  out.cells = cache.size;
  out.status = status;
  return out;
}

/** A measured compute-optimal frontier (SGD or gradient flow) with its fits, statuses and provenance. */
export interface FrontierMeasurement {
  readonly a: number;
  readonly b: number;
  readonly dynamics: Dynamics;
  readonly C: number[];
  readonly Nstar: number[];
  /** t at the optimum: C/(N* B) steps for SGD, C/N* time for gradient flow. */
  readonly tstar: number[];
  readonly Lstar: number[];
  /** Minimum interior to the allowed widths (an edge minimum is not an optimum). */
  readonly interior: boolean[];
  /** Worst solver status among the solves behind each point. */
  readonly pointStatus: Status[];
  /** Points the fits use: interior and every solve behind them converged. */
  readonly fitted: boolean[];
  /** The loss against C at each width solved (for the envelope figure). */
  readonly curves: { N: number; C: number[]; L: number[] }[];
  readonly fits: { loss: ExponentFit; N: ExponentFit; t: ExponentFit };
  readonly status: Status;
  /** SGD: the Volterra kernel norm (eta^2/B) sum K over the widths solved, and the largest eta E_max (E26, E28: both < 1). */
  readonly kernelNorm?: { min: number; max: number };
  readonly etaEMax?: number;
  readonly solves: number;
  readonly cells: number;
  readonly elapsedMs: number;
  readonly settings: SgdFrontierSettings;
  readonly held: string;
}

/** The points a fit may use: an interior minimum, and every solve behind it converged. */
export function fittedPoints(search: Pick<FrontierSearch, 'interior' | 'pointStatus'>): boolean[] {
  return search.interior.map((inside, k) => inside && search.pointStatus[k] === 'converged');
}

export function finishFrontier(
  a: number,
  b: number,
  dynamics: Dynamics,
  settings: SgdFrontierSettings,
  search: FrontierSearch,
  started: number,
  held: string,
  extra: Pick<FrontierMeasurement, 'kernelNorm' | 'etaEMax'> = {},
): FrontierMeasurement {
  const fitted = fittedPoints(search);
  const keep = (values: number[]) => values.map((v, k) => (fitted[k] ? v : Number.NaN));
  const { C } = search;
  // Why points are left out of the fits, in words (edge minima; solves that did not converge, by status).
  const reasons = new Map<string, number>();
  search.interior.forEach((inside, k) => {
    if (!Number.isFinite(search.Lstar[k])) return;
    const reason = !inside ? 'minimum on the edge of the allowed widths' : search.pointStatus[k] !== 'converged' ? `solver status ${search.pointStatus[k]}` : '';
    if (reason !== '') reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  });
  const excluded = [...reasons.entries()].map(([reason, count]) => `${count} points not fitted (${reason})`).join(', ');
  return {
    a,
    b,
    dynamics,
    C,
    Nstar: search.Nstar,
    tstar: search.tstar,
    Lstar: search.Lstar,
    interior: search.interior,
    pointStatus: search.pointStatus,
    fitted,
    curves: search.curves,
    fits: {
      loss: fitExponent(C, keep(search.Lstar), settings.fit),
      N: fitExponent(C, keep(search.Nstar), settings.fit),
      t: fitExponent(C, keep(search.tstar), settings.fit),
    },
    status: search.status,
    ...extra,
    solves: search.solves,
    cells: search.cells,
    elapsedMs: performance.now() - started,
    settings,
    held:
      `${held}; C on ${settings.stepsPerDecade} points per decade in [${settings.computeC[0].toExponential(0)}, ${settings.computeC[1].toExponential(0)}], ` +
      `widths ${settings.nMin}-${settings.nMax.toExponential(0)} (banded search +-${settings.band}), t >= ${settings.minSteps}` +
      (excluded !== '' ? `; ${excluded}` : ''),
  };
}

/**
 * THEORY (E28, E29), measured: the compute-optimal frontier of one-pass SGD
 * at (a, b) (M = inf, sigma = 0, P = inf) at the given learning rate and
 * batch, C = N t B. See the file header for the method.
 */
export function measureSgdComputeFrontier(
  a: number,
  b: number,
  sgd: { readonly lr: number; readonly batch: number },
  settingsIn: Partial<SgdFrontierSettings> = {},
): FrontierMeasurement {
  const started = performance.now();
  const settings: SgdFrontierSettings = { ...SGD_FRONTIER_DEFAULTS, ...settingsIn };
  validateSettings(settings);
  const dynamics = makeDynamics({ optimizer: 'sgd', lr: sgd.lr, batch: sgd.batch }) as OnePassSgd;
  const B = dynamics.batch;
  const spectrum = powerLawSpectrum({ a, b, M: Infinity });
  let kMin = Infinity;
  let kMax = 0;
  let etaEMax = 0;
  const search = searchFrontier(settings, B, (N, Cs) => {
    // Whole step counts around each target C/(N B), interpolated linearly in t.
    const targets = Cs.map((c) => c / (N * B));
    const t = targets.flatMap((x) => [Math.floor(x), Math.floor(x) + 1]);
    const sol = solveSgdCurve({ spectrum, N, P: Infinity, sigma: 0, t, dynamics });
    if (Number.isFinite(sol.diagnostics.kernelNorm)) {
      kMin = Math.min(kMin, sol.diagnostics.kernelNorm);
      kMax = Math.max(kMax, sol.diagnostics.kernelNorm);
    }
    etaEMax = Math.max(etaEMax, sol.diagnostics.etaEMax);
    return {
      logL: targets.map((x, r) => {
        const lo = sol.test[2 * r];
        const L = lo + (sol.test[2 * r + 1] - lo) * (x - t[2 * r]);
        return L > 0 && Number.isFinite(L) ? Math.log(L) : Number.NaN;
      }),
      status: targets.map((_, r) => worstStatus(sol.statusPerTime[2 * r], sol.statusPerTime[2 * r + 1])),
    };
  });
  const held =
    `one-pass SGD (E28), eta = ${dynamics.lr}, B = ${B}, P = inf, M = inf, sigma = 0, C = N t B (t in steps); ` +
    `kernel norm (eta^2/B) sum K ${kMin.toFixed(3)}-${kMax.toFixed(3)}, eta E_max <= ${etaEMax.toFixed(3)}`;
  return finishFrontier(a, b, dynamics, settings, search, started, held, { kernelNorm: { min: kMin, max: kMax }, etaEMax });
}

/**
 * THEORY (E21), measured by the same banded search: the gradient-flow
 * frontier at (a, b) (unit rate, C = N t, t continuous: no interpolation),
 * so that it stands beside the SGD frontier with the method unchanged. The
 * reconcile layer's full-table measurement (measureComputeFrontier in
 * measure.ts) is the independent check of this search.
 */
export function measureGradientFlowFrontier(a: number, b: number, settingsIn: Partial<SgdFrontierSettings> = {}): FrontierMeasurement {
  const started = performance.now();
  const settings: SgdFrontierSettings = { ...SGD_FRONTIER_DEFAULTS, ...settingsIn };
  validateSettings(settings);
  const spectrum = powerLawSpectrum({ a, b, M: Infinity });
  const search = searchFrontier(settings, 1, (N, Cs) => {
    const sol = solveCurve({ spectrum, N, P: Infinity, sigma: 0, t: Cs.map((c) => c / N), dynamics: GRADIENT_FLOW });
    return {
      logL: Array.from(sol.test, (L) => (L > 0 && Number.isFinite(L) ? Math.log(L) : Number.NaN)),
      // The status of the test loss itself: a time's status also carries the other quantities' (train,
      // bias, L_A), and one of them below its own error estimate says nothing about the test loss.
      status: sol.statusPerTime.map((st, r) => worstStatus(sol.quantityStatus.test[r], st === 'below_error_estimate' ? 'converged' : st)),
    };
  });
  return finishFrontier(a, b, GRADIENT_FLOW, settings, search, started, 'gradient flow (E5), unit rate, P = inf, M = inf, sigma = 0, C = N t');
}

/**
 * Reconciliation: every scaling law derived in closed form by the
 * symbolic layer, measured from the full DMFT (measure.ts), and compared:
 * difference, tolerance, verdict. Where they disagree the row says so with
 * both values; where the paper states a different formula (THEORY E19-E21)
 * the paper's value stands beside ours.
 */
import { exponentTable, type ExponentTable, type LawEntry } from '../symbolic/index.js';
import {
  MEASURE_DEFAULTS,
  measureComputeFrontier,
  measureData,
  measureFiniteWidth,
  measureGap,
  measureTime,
  measureWidth,
  measureWidthBias,
  type ComputeFrontier,
  type FiniteWidthMeasurement,
  type GapMeasurement,
  type Measurement,
  type MeasureSettings,
} from './measure.js';
import type { ExponentFit, ReconciliationRow } from './types.js';
import { worstStatus, type Status } from '../core/solution.js';
import { verdictOf } from './verdict.js';

/**
 * Exponent tolerance of a verdict. A fit window is the longest range over
 * which the local log-log slope stays within +-0.01 (fit.ts), so a fit can sit
 * up to 0.01 from the slope at either end of its window; 0.02 allows that drift
 * on both sides. Measured on the paper's grid away from the boundaries the
 * differences are at most 0.016 (docs/performance.md), and the negative control
 * (an exponent wrong by 0.2) lies ten tolerances away.
 */
export const EXPONENT_TOLERANCE = 0.02;

/**
 * b = 1 is marginal: tr Lambda diverges logarithmically, the symbolic layer
 * declines (static limits undefined at M = inf), and the measurement uses a
 * finite M (measure.ts MARGINAL_M). Exponents are continuous there, so the
 * closed form compared is the limit b -> 1+ (evaluated at b = 1 + MARGINAL_DELTA
 * and rounded to MARGINAL_DIGITS decimals).
 */
const MARGINAL_DELTA = 1e-9;
const MARGINAL_DIGITS = 6;

/** One law id of ALL_LAWS. */
export type LawId =
  | 'time'
  | 'width'
  | 'width_bias'
  | 'data'
  | 'compute_optimal_loss'
  | 'compute_optimal_N'
  | 'compute_optimal_t'
  | 'early_finite_N'
  | 'crossover_t'
  | 'early_finite_P'
  | 'gap_static'
  | 'gap_growth';

/** The ids of every reconciled law. */
export const ALL_LAWS: readonly LawId[] = [
  'time',
  'width',
  'width_bias',
  'data',
  'compute_optimal_loss',
  'compute_optimal_N',
  'compute_optimal_t',
  'early_finite_N',
  'crossover_t',
  'early_finite_P',
  'gap_static',
  'gap_growth',
];

/** The formulas as the paper states them (THEORY section 6, claim 1 and E21), for the `paper` column. */
export function paperExponent(id: LawId, a: number, b: number): { exponent: number; text: string } | undefined {
  const rt = (a - 1) / b;
  const rN = Math.min(a - 1, 2 * b);
  switch (id) {
    case 'time':
      return { exponent: -rt, text: '-(a-1)/b' };
    case 'width':
    case 'width_bias':
      return { exponent: -rN, text: '-min(a-1, 2b)' };
    case 'data':
      return { exponent: -rN, text: '-min(a-1, 2b)' };
    case 'compute_optimal_loss':
      return { exponent: -(rt * rN) / (rt + rN), text: '-r_t r_N/(r_t + r_N), r_t = (a-1)/b, r_N = min(a-1, 2b)' };
    case 'compute_optimal_N':
      return { exponent: rt / (rt + rN), text: 'r_t/(r_t + r_N)' };
    case 'compute_optimal_t':
      return { exponent: rN / (rt + rN), text: 'r_N/(r_t + r_N)' };
    default:
      return undefined;
  }
}

/** Settings of reconcileCase (laws, measurement settings, tolerance). */
export interface ReconcileOptions {
  readonly laws?: readonly LawId[];
  readonly settings?: MeasureSettings;
  readonly tolerance?: number;
  /** Replace a closed form (negative controls, what-if checks): (id, a, b) -> exponent or undefined. */
  readonly closedFormOverride?: (id: LawId, a: number, b: number) => number | undefined;
  /**
   * Also evaluate what the report's figures draw (default true). The tables
   * need only what the laws read; `reconcile` without figures is several times
   * cheaper, with the same rows.
   */
  readonly figures?: boolean;
}

/** All that was measured for one (a, b): the rows plus the raw curves (for figures). */
export interface CaseResult {
  readonly a: number;
  readonly b: number;
  readonly phase: string;
  readonly rows: ReconciliationRow[];
  readonly measurements: {
    time?: Measurement;
    width?: Measurement;
    widthBias?: Measurement;
    data?: Measurement;
    compute?: ComputeFrontier;
    finiteWidth?: FiniteWidthMeasurement;
    gap?: GapMeasurement;
  };
  readonly status: Status;
  readonly elapsedMs: number;
}

interface ClosedForm {
  value: number | null;
  text: string;
  note: string;
}

function closedFormOf(exact: ExponentTable, continued: ExponentTable | undefined, id: LawId): ClosedForm {
  // At b = 1 use the exact table where the symbolic layer supports the law
  // there (the time law), and the continuation b -> 1+ only where it declines.
  const exactLaw = exact.laws.find((entry) => entry.id === id);
  // b = 1: the symbolic layer states the static laws as their b -> 1+ limit (with a note); the continued table is the same limit.
  const marginal = continued !== undefined && (exactLaw === undefined || typeof exactLaw.exponent !== 'number' || /b -> 1\+ limit/.test(exactLaw.note ?? ''));
  const table = marginal ? continued : exact;
  const law: LawEntry | undefined = table.laws.find((entry) => entry.id === id);
  if (!law) return { value: null, text: 'none', note: `the symbolic layer has no law '${id}'` };
  if (typeof law.exponent !== 'number') {
    return { value: null, text: 'unsupported', note: law.unsupported ?? 'no closed form' };
  }
  const value = marginal ? Number(law.exponent.toFixed(MARGINAL_DIGITS)) : law.exponent;
  const text = law.exponentExact ?? String(law.exponent);
  return {
    value,
    text: marginal ? `${value} (limit b -> 1+)` : text,
    note: `${law.condition}${marginal ? '; b = 1 is marginal (tr Lambda ~ log M): closed form continued from b > 1, measured at finite M' : ''}`,
  };
}

/** Measures and reconciles every requested law at (a, b). */
export function reconcileCase(task: { readonly a: number; readonly b: number }, options?: ReconcileOptions): CaseResult;
/** The same with (a, b) as positional arguments (kept for existing callers; prefer the task object). */
export function reconcileCase(a: number, b: number, options?: ReconcileOptions): CaseResult;
export function reconcileCase(
  first: number | { readonly a: number; readonly b: number },
  second?: number | ReconcileOptions,
  third: ReconcileOptions = {},
): CaseResult {
  if (typeof first === 'object' && first !== null) return reconcileAt(first.a, first.b, (second as ReconcileOptions | undefined) ?? {});
  return reconcileAt(first, second as number, third);
}

function reconcileAt(a: number, b: number, options: ReconcileOptions): CaseResult {
  const started = performance.now();
  const laws = new Set(options.laws ?? ALL_LAWS);
  const settings = options.settings ?? MEASURE_DEFAULTS;
  const tolerance = options.tolerance ?? EXPONENT_TOLERANCE;
  const figures = options.figures ?? true;
  const table = exponentTable({ a, b });
  const continued = b === 1 ? exponentTable({ a, b: 1 + MARGINAL_DELTA }) : undefined;
  const measurements: CaseResult['measurements'] = {};
  let status: Status = 'converged';
  const rows: ReconciliationRow[] = [];

  const add = (id: LawId, quantity: string, variable: string, fit: ExponentFit | undefined, held: string, extraNote = '') => {
    if (!laws.has(id)) return;
    const closed = closedFormOf(table, continued, id);
    const override = options.closedFormOverride?.(id, a, b);
    const closedValue = override ?? closed.value;
    // A disagreement near a phase boundary: measured drift toward the closed form, or it stays DISAGREE (verdict.ts).
    const { verdict, difference, note: boundaryNote } = verdictOf({ a, b, closed: closedValue, fit, tolerance });
    const paper = paperExponent(id, a, b);
    const paperDiffers = paper !== undefined && closedValue !== null && Math.abs(paper.exponent - closedValue) > 1e-9;
    const notes = [
      override !== undefined ? `closed form overridden to ${override} (what-if)` : closed.note,
      `held: ${held}`,
      fit && fit.status !== 'converged' ? `fit: ${fit.message}` : '',
      boundaryNote,
      paperDiffers ? `the paper's formula ${paper.text} gives ${round(paper.exponent)}; the exact theory gives ${round(closedValue)}` : '',
      extraNote,
    ].filter((s) => s !== '');
    rows.push({
      id,
      a,
      b,
      quantity,
      variable,
      closedForm: closedValue,
      closedFormText: override !== undefined ? String(override) : closed.text,
      ...(paper ? { paper } : {}),
      fitted: fit && fit.status === 'converged' ? fit.exponent : null,
      stderr: fit && fit.status === 'converged' ? fit.stderr : null,
      window: fit?.window ?? null,
      difference,
      tolerance,
      verdict,
      fitStatus: fit?.status ?? 'too_few_points',
      note: notes.join('; '),
    });
  };

  // Laws read off one curve each (measure.ts): id, what is measured, variable, measurement, slot.
  const single: Array<[LawId, string, string, (a: number, b: number, s: MeasureSettings) => Measurement, 'time' | 'width' | 'widthBias' | 'data']> = [
    ['time', 'L(t) at N = P = inf', 't', measureTime, 'time'],
    ['width', 'full test loss L(inf) vs N, P = inf', 'N', measureWidth, 'width'],
    ['width_bias', 'bias B(inf) (infinite ensemble) vs N, P = inf', 'N', measureWidthBias, 'widthBias'],
    ['data', 'full test loss L(inf) vs P, N = inf', 'P', measureData, 'data'],
  ];
  for (const [id, quantity, variable, measure, slot] of single) {
    if (!laws.has(id)) continue;
    const measured = measure(a, b, settings);
    measurements[slot] = measured;
    status = worstStatus(status, measured.status);
    add(id, quantity, variable, measured.fit, measured.held);
  }
  if (laws.has('compute_optimal_loss') || laws.has('compute_optimal_N') || laws.has('compute_optimal_t')) {
    const nStar = table.laws.find((entry) => entry.id === 'compute_optimal_N')?.exponent;
    const frontier = measureComputeFrontier(a, b, settings, {
      nStarExponent: typeof nStar === 'number' ? nStar : undefined,
      envelopeCurves: figures ? undefined : 0,
    });
    measurements.compute = frontier;
    status = worstStatus(status, frontier.status);
    const held = `${frontier.held}; minimum over N of the full DMFT loss at t = C/N`;
    add('compute_optimal_loss', 'L* = min_N L(C/N; N)', 'C', frontier.fits.loss, held);
    add('compute_optimal_N', 'N* (argmin)', 'C', frontier.fits.N, held);
    add('compute_optimal_t', 't* = C/N*', 'C', frontier.fits.t, held);
  }
  if (laws.has('early_finite_N') || laws.has('crossover_t')) {
    const finite = measureFiniteWidth(a, b, { figures });
    measurements.finiteWidth = finite;
    status = worstStatus(status, finite.status);
    add('early_finite_N', `|L_N(t) - L_inf(t)| vs N at t = ${finite.early.t}`, 'N', finite.early.fit, finite.held);
    add('crossover_t', 'crossover time t_x(N): L_N(t_x) = 2 L_N(inf)', 'N', finite.crossover.fit, finite.held,
      'measured crossover: the time at which L_N(t) comes within a factor 2 of its plateau');
  }
  if (laws.has('early_finite_P') || laws.has('gap_static') || laws.has('gap_growth')) {
    const gap = measureGap(a, b, { figures });
    measurements.gap = gap;
    status = worstStatus(status, gap.status);
    add('early_finite_P', `train-test gap vs P at t = ${gap.early.t} (O(1/P) early, E22, E24)`, 'P', gap.early.fit, gap.held,
      'measured on the gap L - Lhat, whose early-time 1/P term has the same order as L_P - L_inf');
    add('gap_static', 'train-test gap at t = inf vs P, N = inf', 'P', gap.late.fit, gap.held);
    add('gap_growth', `train-test gap vs t at P = ${gap.growth.P}, N = inf, t in [${gap.growth.window[0]}, P^b/100]`, 't', gap.growth.fit, gap.held,
      'growth of the gap with data reuse while t << P^b (first order in 1/P)');
  }
  return { a, b, phase: table.phase, rows, measurements, status, elapsedMs: performance.now() - started };
}

function round(x: number | null): string {
  return x === null ? 'none' : String(Number(x.toFixed(4)));
}

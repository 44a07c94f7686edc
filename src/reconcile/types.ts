/**
 * Data shapes of the reconciliation layer: exponent fits from
 * curves, rows comparing them with closed forms, and figure specifications.
 * Plain JSON-ready data so that tables, figures and the CLI share them.
 */
import type { Status } from '../core/solution.js';

/** The range of the fit, in the curve's x variable (t, N, P or C). */
export interface FitWindow {
  readonly from: number;
  readonly to: number;
  readonly points: number;
}

/** The status of an exponent fit. */
export type FitStatus = 'converged' | 'no_asymptotic_window' | 'non_finite' | 'too_few_points';

/** A power law y ~ prefactor * x^exponent fitted on an automatically found window (STYLE 11). */
export interface ExponentFit {
  readonly exponent: number;
  /** Standard error of the exponent: regression error plus the drift of the local slope within the window. */
  readonly stderr: number;
  readonly prefactor: number;
  readonly window: FitWindow | null;
  readonly status: FitStatus;
  readonly message: string;
  /** Local log-log slopes at the interior points (for plots and diagnostics). */
  readonly localSlopes: { x: number[]; slope: number[] };
}

/**
 * 'boundary': outside the tolerance, near a - 1 = b or a - 1 = 2b, with the
 * row's local slopes measured drifting toward the closed form at the rate of
 * the known x^-delta or logarithmic correction (boundary.ts).
 */
export type Verdict = 'agree' | 'disagree' | 'boundary' | 'no_fit' | 'no_closed_form';

/** One law for one (a, b): closed form against the DMFT fit (and the simulation fit where run). */
export interface ReconciliationRow {
  /** Law id as in the exponents command: time, width, width_bias, data, compute_optimal_loss, ... */
  readonly id: string;
  readonly a: number;
  readonly b: number;
  /** What is measured, in words (e.g. "full test loss vs N at t = inf, P = inf"). */
  readonly quantity: string;
  readonly variable: string;
  /** Closed-form exponent (signed: a decaying loss has a negative exponent); null when unsupported. */
  readonly closedForm: number | null;
  /** The closed form as text, e.g. "-min(a-1, b)". */
  readonly closedFormText: string;
  /** The exponent the paper states, where it states one and it differs in form (THEORY E19-E21). */
  readonly paper?: { exponent: number; text: string };
  readonly fitted: number | null;
  readonly stderr: number | null;
  readonly window: FitWindow | null;
  readonly simulationFitted?: number | null;
  readonly simulationStderr?: number | null;
  readonly difference: number | null;
  readonly tolerance: number;
  readonly verdict: Verdict;
  readonly fitStatus: FitStatus;
  /** Plain-language note: regime, why a verdict, where the paper's formula departs. */
  readonly note: string;
}

/** Provenance of a reconciliation table. */
export interface Provenance {
  readonly tool: { name: string; version: string };
  readonly generated: string;
  readonly parameters: Record<string, unknown>;
  readonly solver: Record<string, unknown>;
  readonly seeds?: { seed: number; seeds: number } | null;
}

/** A reconciliation table: rows and provenance. */
export interface ReconciliationTable {
  readonly rows: ReconciliationRow[];
  readonly provenance: Provenance;
  readonly status: Status;
  /** Where a status other than converged comes from: '(a, b) measurement: status', one per measurement. */
  readonly statusSources?: readonly string[];
  /** The solver status of each (a, b) case (the table's status is the worst of them). */
  readonly caseStatuses?: readonly { readonly a: number; readonly b: number; readonly status: Status }[];
}

/** A series of a figure: a theory line, or points with optional error bars. */
export interface FigureSeries {
  readonly name: string;
  readonly x: readonly number[];
  readonly y: readonly number[];
  /** Symmetric error bars (points only). */
  readonly yErr?: readonly number[];
  readonly mark: 'line' | 'points' | 'dashed';
}

/** A figure: title, axes and series. */
export interface FigureSpec {
  readonly id: string;
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly xLog: boolean;
  readonly yLog: boolean;
  readonly series: readonly FigureSeries[];
  /** One line under the title: parameters and provenance. */
  readonly caption?: string;
}

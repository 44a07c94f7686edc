/**
 * SGD reconciliation (THEORY E28, E29): the compute-optimal exponents of
 * one-pass SGD measured from the DMFT frontier (sgd-frontier.ts) against the
 * closed forms of the [PPXP24] phases Ia, II, III, with the gradient-flow
 * frontier at the same (a, b) beside them.
 *
 * Each case carries its own learning rate and batch. They are chosen so that
 * the Volterra kernel norm (eta^2/B) sum K stays near 0.1-0.25, well below
 * its stability limit 1 (E28): the loss carries the factor 1/(1 - norm)
 * (its t = inf limit is (sigma^2 + L^GD)/(1 - norm)), and near the limit the
 * noise resolvent amplifies the transients, so the asymptotic power laws set
 * in later (a near-critical norm converges slowly, as do phase boundaries).
 * eta = 0.5 keeps eta E_max below 1 down to the smallest width solved
 * (E_max grows above lambda_1 = 1 at small N; 0.96 at N = 8, b = 1.5).
 *
 * Verdicts use the project's EXPONENT_TOLERANCE (0.02). The closed forms
 * come from the symbolic layer's exponentTable: with the SGD dynamics for the
 * SGD rows (phases and balances derived there, THEORY E29), without for the
 * gradient-flow rows (E21).
 */
import { worstStatus, type Status } from '../core/solution.js';
import { TOOL } from '../core/version.js';
import { exponentTable } from '../symbolic/index.js';
import { computeOptimalFrontier, type PowerLawFit } from './figures.js';
import { MEASURE_DEFAULTS, type ComputeFrontier, type MeasureSettings } from './measure.js';
import { EXPONENT_TOLERANCE, reconcileCase } from './reconcile.js';
import {
  measureGradientFlowFrontier,
  measureSgdComputeFrontier,
  SGD_FRONTIER_DEFAULTS,
  type FrontierMeasurement,
  type SgdFrontierSettings,
} from './sgd-frontier.js';
import type { ComputeOptimalLawId } from './sgd-laws.js';
import type { ReportSection } from './report.js';
import { tableToMarkdown } from './tables.js';
import { nearestBoundary, nearestSgdBoundary, type NearestBoundary } from './boundary.js';
import type { ExponentFit, FigureSpec, ReconciliationRow, ReconciliationTable, Verdict } from './types.js';
import { verdictOf } from './verdict.js';

export { measureGradientFlowFrontier, measureSgdComputeFrontier, refineMinimumAt, SGD_FRONTIER_DEFAULTS } from './sgd-frontier.js';
/** Frontier measurement types (sgd-frontier.ts). */
export type { FrontierMeasurement, SgdFrontierSettings } from './sgd-frontier.js';
export { distanceToSgdBoundary, gradientFlowComputeOptimalN, sgdComputeOptimalLaws, sgdPhase } from './sgd-laws.js';
/** Closed-form types (sgd-laws.ts). */
export type { ClosedFormExponent, ComputeOptimalLawId, SgdComputeOptimalLaws, SgdPhase } from './sgd-laws.js';

/** One (a, b) with the SGD settings it is measured at. */
export interface SgdCase {
  readonly a: number;
  readonly b: number;
  readonly lr: number;
  readonly batch: number;
}

/**
 * One case inside each SGD phase (b > 1, THEORY E29), each at least 0.5 from
 * the nearest boundary (a = b + 1, a = 2b), away from b -> 1 (where the noise
 * sum zeta(b) and the approach to the asymptotics blow up) and, for III, off
 * gradient flow's width-law boundary a - 1 = 2b:
 * - Ia (2, 1.5): a < b + 1 = 2.5;
 * - II (3.5, 2): b + 1 = 3 < a < 2b = 4;
 * - III (5, 1.5): a > 2b = 3 (gradient flow: a - 1 = 4 > 2b, N* ~ C^{(a-b)/a} = C^0.7).
 * Kernel norms (measured): 0.19-0.21, 0.13, 0.19-0.21.
 */
export const SGD_PHASE_CASES: readonly SgdCase[] = Object.freeze([
  { a: 2, b: 1.5, lr: 0.5, batch: 4 },
  { a: 3.5, b: 2, lr: 0.5, batch: 4 },
  { a: 5, b: 1.5, lr: 0.5, batch: 4 },
]);

/**
 * The banded gradient-flow frontier beside SGD: t is continuous (no whole
 * steps), so any width and t >= 1 are allowed; C up to 1e11, where the loss
 * stays above ~1e-9 L(0) (below it the DMFT value falls under its own error
 * estimate, e.g. from C ~ 5e11 at (5, 1.5), and those points are not fitted).
 */
export const GRADIENT_FLOW_FRONTIER_DEFAULTS: Partial<SgdFrontierSettings> = Object.freeze({ computeC: [1e3, 1e11] as const, nMin: 1, minSteps: 1 });

/** The compute-optimal law ids reconciled for SGD (as in the exponents command's JSON). */
export const COMPUTE_OPTIMAL_LAWS: readonly ComputeOptimalLawId[] = ['compute_optimal_N', 'compute_optimal_t', 'compute_optimal_loss'];

/**
 * How the gradient-flow frontier beside SGD is measured:
 * - 'banded': the same banded search as SGD with the gradient-flow DMFT (fast; the default);
 * - 'table': the reconcile layer's full-table measurement (measureComputeFrontier via
 *   reconcileCase; slower, an independent method);
 * - 'none': closed forms only.
 */
export type GradientFlowMethod = 'banded' | 'table' | 'none';

/** Settings of reconcileSgdCase. */
export interface SgdReconcileOptions {
  /** SGD frontier settings (and the banded gradient-flow one). */
  readonly settings?: Partial<SgdFrontierSettings>;
  /** Gradient-flow frontier settings for the banded search (over settings and GRADIENT_FLOW_FRONTIER_DEFAULTS). */
  readonly gradientFlowSettings?: Partial<SgdFrontierSettings>;
  /** Settings of the full-table gradient-flow measurement ('table'). */
  readonly tableSettings?: MeasureSettings;
  readonly gradientFlow?: GradientFlowMethod;
  readonly tolerance?: number;
}

/** Phase III against gradient flow: the SGD measurement against gradient flow's law at the same (a, b). */
export interface DynamicsContrast {
  readonly id: ComputeOptimalLawId;
  readonly sgdFitted: number | null;
  readonly sgdStderr: number | null;
  readonly sgdClosedForm: number | null;
  readonly gradientFlowClosedForm: number | null;
  readonly gradientFlowFitted: number | null;
  /** |SGD closed form - gradient-flow closed form|. */
  readonly closedFormGap: number | null;
  /** Verdict of the SGD measurement against the gradient-flow closed form (a negative control where the phases differ). */
  readonly sgdAgainstGradientFlow: Verdict;
}

/** Everything measured and reconciled at one SGD case (rows, frontiers, the contrast with gradient flow). */
export interface SgdCaseResult {
  readonly a: number;
  readonly b: number;
  readonly lr: number;
  readonly batch: number;
  /** SGD phase of (a, b) from the symbolic layer (Ia, II, III or a boundary, THEORY E29). */
  readonly phase: string;
  /** Gradient-flow regime of (a, b) from the symbolic layer. */
  readonly gradientFlowPhase: string;
  readonly rows: ReconciliationRow[];
  readonly gradientFlowRows: ReconciliationRow[];
  readonly contrast: DynamicsContrast[];
  readonly sgd: FrontierMeasurement;
  readonly gradientFlow?: { method: 'banded'; frontier: FrontierMeasurement } | { method: 'table'; frontier: ComputeFrontier };
  readonly status: Status;
  readonly elapsedMs: number;
}

const QUANTITY: Record<ComputeOptimalLawId, string> = {
  compute_optimal_N: 'N* (argmin over N)',
  compute_optimal_t: 't* = C/(N* B)',
  compute_optimal_loss: 'L* = min_N L(C/(N B); N)',
};

const FIT_KEY: Record<ComputeOptimalLawId, 'N' | 't' | 'loss'> = {
  compute_optimal_N: 'N',
  compute_optimal_t: 't',
  compute_optimal_loss: 'loss',
};

/**
 * One row. The verdict is the project's one rule (verdict.ts), with the
 * boundaries of the row's own dynamics: a = b + 1 and a = 2b for SGD (E29),
 * a - 1 = b and a - 1 = 2b for gradient flow.
 */
function row(
  id: ComputeOptimalLawId,
  a: number,
  b: number,
  quantity: string,
  closed: { value: number | null; text: string },
  fit: ExponentFit | undefined,
  tolerance: number,
  notes: string[],
  nearest: NearestBoundary,
): ReconciliationRow {
  const { verdict, difference, note: boundaryNote } = verdictOf({ a, b, closed: closed.value, fit, tolerance, nearest });
  const converged = fit !== undefined && fit.status === 'converged';
  return {
    id,
    a,
    b,
    quantity,
    variable: 'C',
    closedForm: closed.value,
    closedFormText: closed.text,
    fitted: converged ? fit.exponent : null,
    stderr: converged ? fit.stderr : null,
    window: fit?.window ?? null,
    difference,
    tolerance,
    verdict,
    fitStatus: fit?.status ?? 'too_few_points',
    note: [...notes, fit && !converged ? `fit: ${fit.message}` : '', boundaryNote].filter((s) => s !== '').join('; '),
  };
}

type ClosedForms = { phase: string; laws: Record<ComputeOptimalLawId, { value: number | null; text: string; condition: string }> };

/** Closed forms at (a, b) from the symbolic layer: gradient flow, or one-pass SGD at (eta, B). */
function closedForms(a: number, b: number, sgd?: { lr: number; batch: number }): ClosedForms {
  const table = exponentTable({ a, b }, sgd ? { dynamics: { kind: 'sgd', lr: sgd.lr, batch: sgd.batch } } : {});
  const laws = {} as ClosedForms['laws'];
  for (const id of COMPUTE_OPTIMAL_LAWS) {
    const law = table.laws.find((entry) => entry.id === id);
    const value = law !== undefined && typeof law.exponent === 'number' ? law.exponent : null;
    const unsupported = law?.unsupported ?? (law?.condition === 'no case' ? `no closed form at (a, b) = (${a}, ${b}) (${table.phase})` : 'unsupported');
    laws[id] = { value, text: law?.exponentExact ?? (value === null ? unsupported : String(value)), condition: law?.condition ?? '' };
  }
  return { phase: table.phase, laws };
}

/** Measures the SGD frontier at one case, reconciles it, and sets gradient flow beside it. */
export function reconcileSgdCase(sgdCase: SgdCase, options: SgdReconcileOptions = {}): SgdCaseResult {
  const started = performance.now();
  const { a, b, lr, batch } = sgdCase;
  const tolerance = options.tolerance ?? EXPONENT_TOLERANCE;
  const closed = closedForms(a, b, { lr, batch });
  const gf = closedForms(a, b);
  const sgd = measureSgdComputeFrontier(a, b, { lr, batch }, options.settings);
  const label = `one-pass SGD (eta = ${lr}, B = ${batch})`;
  const rows = COMPUTE_OPTIMAL_LAWS.map((id) => {
    const notes = [`SGD phase ${closed.phase} (THEORY E29)`, closed.laws[id].condition, `held: ${sgd.held}`];
    return row(id, a, b, `${label}: ${QUANTITY[id]}, C = N t B`, closed.laws[id], sgd.fits[FIT_KEY[id]], tolerance, notes, nearestSgdBoundary(a, b));
  });

  const method = options.gradientFlow ?? 'banded';
  let gradientFlow: SgdCaseResult['gradientFlow'];
  let gradientFlowRows: ReconciliationRow[] = [];
  let status: Status = sgd.status;
  if (method === 'banded') {
    const frontier = measureGradientFlowFrontier(a, b, { ...options.settings, ...GRADIENT_FLOW_FRONTIER_DEFAULTS, ...options.gradientFlowSettings });
    gradientFlow = { method, frontier };
    status = worstStatus(status, frontier.status);
    gradientFlowRows = COMPUTE_OPTIMAL_LAWS.map((id) =>
      row(id, a, b, `gradient flow: ${QUANTITY[id].replace('(N B)', 'N').replace('C/(N* B)', 'C/N*')}, C = N t`, gf.laws[id], frontier.fits[FIT_KEY[id]], tolerance, [
        gf.laws[id].condition,
        `held: ${frontier.held}`,
      ], nearestBoundary(a, b)),
    );
  } else if (method === 'table') {
    const result = reconcileCase({ a, b }, { laws: COMPUTE_OPTIMAL_LAWS, settings: options.tableSettings ?? MEASURE_DEFAULTS, tolerance });
    gradientFlow = { method, frontier: result.measurements.compute as ComputeFrontier };
    status = worstStatus(status, result.status);
    gradientFlowRows = result.rows.map((r) => ({ ...r, quantity: `gradient flow: ${r.quantity}` }));
  } else {
    gradientFlowRows = COMPUTE_OPTIMAL_LAWS.map((id) => row(id, a, b, `gradient flow: ${QUANTITY[id]}, C = N t (closed form only)`, gf.laws[id], undefined, tolerance, [gf.laws[id].condition], nearestBoundary(a, b)));
  }

  const contrast = COMPUTE_OPTIMAL_LAWS.map((id): DynamicsContrast => {
    const fit = sgd.fits[FIT_KEY[id]];
    const gfClosed = gf.laws[id].value;
    const gfRow = gradientFlowRows.find((r) => r.id === id);
    return {
      id,
      sgdFitted: fit.status === 'converged' ? fit.exponent : null,
      sgdStderr: fit.status === 'converged' ? fit.stderr : null,
      sgdClosedForm: closed.laws[id].value,
      gradientFlowClosedForm: gfClosed,
      gradientFlowFitted: gfRow?.fitted ?? null,
      closedFormGap: gfClosed === null || closed.laws[id].value === null ? null : Math.abs(closed.laws[id].value - gfClosed),
      sgdAgainstGradientFlow: verdictOf({ a, b, closed: gfClosed, fit, tolerance, nearest: nearestSgdBoundary(a, b) }).verdict,
    };
  });
  return {
    a,
    b,
    lr,
    batch,
    phase: closed.phase,
    gradientFlowPhase: gf.phase,
    rows,
    gradientFlowRows,
    contrast,
    sgd,
    gradientFlow,
    status,
    elapsedMs: performance.now() - started,
  };
}

/** The SGD rows (then the gradient-flow rows) of several cases as one table for tables.ts (markdown, LaTeX, CSV, JSON). */
export function sgdReconciliationTable(results: readonly SgdCaseResult[], tolerance = EXPONENT_TOLERANCE): ReconciliationTable {
  return {
    rows: results.flatMap((r) => [...r.rows, ...r.gradientFlowRows]),
    status: results.reduce<Status>((s, r) => worstStatus(s, r.status), 'converged'),
    provenance: {
      tool: TOOL,
      generated: 'scaling-dmft reconcile --optimizer sgd',
      parameters: { cases: results.map((r) => ({ a: r.a, b: r.b, lr: r.lr, batch: r.batch, phase: r.phase, gradientFlowPhase: r.gradientFlowPhase })) },
      solver: {
        sgdFrontier: results[0]?.sgd.settings ?? SGD_FRONTIER_DEFAULTS,
        gradientFlow: results.map((r) => r.gradientFlow?.method ?? 'none'),
        exponentTolerance: tolerance,
      },
    },
  };
}

function asPowerLaw(fit: ExponentFit): PowerLawFit | null {
  return fit.status === 'converged' ? { prefactor: fit.prefactor, exponent: fit.exponent, stderr: fit.stderr, window: fit.window } : null;
}

/**
 * The SGD frontier of one case as the project's frontier figure: fixed-N
 * curves L against C = N t B (a few of the widths solved), the lower envelope
 * and the fitted law.
 */
export function sgdFrontierFigure(result: SgdCaseResult, maxCurves = 6): FigureSpec {
  const { sgd } = result;
  const step = Math.max(1, Math.ceil(sgd.curves.length / maxCurves));
  const curves = sgd.curves.filter((_, k) => k % step === 0);
  const keep = sgd.fitted;
  const fit = asPowerLaw(sgd.fits.loss) ?? { prefactor: Number.NaN, exponent: Number.NaN };
  const spec = computeOptimalFrontier(
    sgd.C,
    curves,
    { C: sgd.C.filter((_, k) => keep[k]), L: sgd.Lstar.filter((_, k) => keep[k]) },
    fit,
    { a: result.a, b: result.b, optimizer: 'sgd', eta: result.lr, B: result.batch, phase: result.phase },
  );
  return {
    ...spec,
    id: `sgd_compute_optimal_frontier_a${result.a}_b${result.b}`,
    title: `One-pass SGD compute-optimal frontier (phase ${result.phase})`,
    xLabel: 'compute C = N t B',
  };
}

/**
 * The report's one-pass SGD section (THEORY E28, E29): the compute-optimal
 * exponents of each case against the [PPXP24] closed forms, gradient flow
 * beside them, the frontier of each case and the phase diagram with the
 * measured cases marked.
 */
export async function sgdReportSection(results: readonly SgdCaseResult[]): Promise<ReportSection> {
  const { renderPhaseDiagram, measuredCasesOf } = await import('./phase-diagram.js');
  const table = sgdReconciliationTable(results);
  const diagram = await renderPhaseDiagram({ measured: measuredCasesOf(results) });
  const contrast = results.flatMap((r) =>
    r.contrast
      .filter((c) => c.id === 'compute_optimal_N')
      .map(
        (c) =>
          `- (a, b) = (${r.a}, ${r.b}), eta = ${r.lr}, B = ${r.batch}: SGD N* ~ C^${c.sgdFitted === null ? 'n/a' : c.sgdFitted.toFixed(4)} (closed form ${c.sgdClosedForm === null ? 'n/a' : c.sgdClosedForm.toFixed(4)}); gradient flow ${c.gradientFlowClosedForm === null ? 'n/a' : c.gradientFlowClosedForm.toFixed(4)}`,
      ),
  );
  const markdown = [
    '## One-pass SGD: compute-optimal exponents by phase (THEORY E28, E29)',
    '',
    'The frontier min over N of L(t = C / (N B); N) of the one-pass SGD DMFT at compute C = N t B, fitted and compared with the [PPXP24] phases (Ia, II, III); the gradient-flow allocation at the same (a, b) beside it. The phase diagram (figures/' + diagram.id + '.svg) shows the N* exponent over the (a, b) plane, SGD beside gradient flow, with the measured cases marked.',
    '',
    ...contrast,
    '',
    tableToMarkdown(table),
  ].join('\n');
  return {
    markdown,
    figures: results.map((r) => sgdFrontierFigure(r)),
    rendered: [{ id: diagram.id, title: 'Compute-optimal N* exponent over (a, b): one-pass SGD beside gradient flow', svg: diagram.svg, vegaLite: diagram.vegaLite }],
  };
}

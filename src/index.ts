/**
 * Public API of scaling-dmft. The CLI (src/cli) is a thin shell over these
 * exports: everything it does, a script can do from here.
 *
 * Layers: spectrum (problems), numeric (DMFT curves, THEORY sections 3-5),
 * simulation (the finite model, the ground truth), symbolic (closed-form laws,
 * THEORY sections 6-7), reconcile (closed forms against DMFT fits, tables,
 * figures).
 */
export { InvalidArgumentError } from './core/errors.js';
export { isSuccess, worstStatus, type Solution, type Status } from './core/solution.js';
export { TOOL } from './core/version.js';

export * from './spectrum/index.js';
export * from './dynamics/index.js';

export {
  NUMERIC_DEFAULTS,
  solveCurve,
  staticLimits,
  solveKappa,
  transferFunctions,
  type CurveOptions,
  type CurveProblem,
  type CurveSolution,
  type KappaSolution,
  type ModelProblem,
  type StaticValues,
  type TransferSolution,
} from './numeric/index.js';
export {
  invertLaplace,
  invertLaplace2Diagonal,
  makePlan,
  invert1,
  invert2Diagonal,
  type InversionMethodName,
  type InversionPlan,
} from './numeric/inversion/index.js';

export {
  simulate,
  type SimulationOptions,
  type SimulationProblem,
  type SimulationResult,
} from './simulation/index.js';

export {
  exponentTable,
  lawsToLatex,
  lawsToMarkdown,
  listDerivations,
  renderDerivation,
  checkDerivation,
  toPPXP,
  fromPPXP,
  toSourceCapacity,
  fromSourceCapacity,
  type ExponentTable,
  type LawEntry,
} from './symbolic/index.js';

export { compareSeries, type SeriesAgreement } from './reconcile/agreement.js';
export { fitExponent, logGrid, type FitOptions } from './reconcile/fit.js';
export { reconcileCase, ALL_LAWS, EXPONENT_TOLERANCE, type CaseResult, type LawId, type ReconcileOptions } from './reconcile/reconcile.js';
export { reconcileSweep, DEFAULT_CASES, PAPER_GRID, type SweepCase } from './reconcile/sweep.js';
export { renderReport, writeReport, buildTable } from './reconcile/report.js';
export { tableToCsv, tableToJson, tableToLatex, tableToMarkdown, tableSummary } from './reconcile/tables.js';
export { renderFigure, figureToVegaLite } from './reconcile/figures.js';
export type { ExponentFit, FigureSpec, ReconciliationRow, ReconciliationTable } from './reconcile/types.js';

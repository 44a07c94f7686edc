/**
 * The data-constrained compute-optimal frontier: minibatch SGD on P fixed
 * samples (THEORY E28b) at compute C = N t B, the width N*, steps t* and epochs
 * E* = t* B / P minimising the test loss, beside the unlimited-data (one-pass,
 * P = infinity) frontier of the same dynamics, with the closed forms of
 * docs/theory.md "Data reuse laws":
 * - below the leave point the two frontiers coincide (repeated data is as good
 *   as fresh: the loss follows the one-pass law in steps while t is below the
 *   reuse horizon, symbolic/reuse-laws.ts);
 * - the frontier leaves the unlimited one where the unlimited frontier's loss
 *   L*(C) = c C^-l (E21, E29; symbolic computeOptimal) reaches the data floor
 *   c_P P^-d (E18): C_x = (c / (c_P P^-d))^{1/l} ~ P^{d/l};
 * - above it the loss settles on the data floor: at N >= P the model
 *   interpolates and SGD converges to GD's interpolator (E28b).
 * The search is the banded one of sgd-frontier.ts (searchFrontier), with two
 * evaluators: 'sgd' the finite-P SGD DMFT (numeric solveSgdReuseCurve), 'gd'
 * full-batch GD at the same rate (the mean dynamics of SGD, leading order in
 * eta/B; the SGD noise is a relative correction when a - 1 <= b, E29), whose
 * solves are ~10x cheaper: the report uses it.
 */
import { InvalidArgumentError } from '../core/errors.js';
import { worstStatus, type Status } from '../core/solution.js';
import { makeDynamics, type Dynamics, type OnePassSgd } from '../dynamics/index.js';
import { solveCurve, solveSgdCurve, solveSgdReuseCurve, type CurveSolution } from '../numeric/index.js';
import { powerLawSpectrum } from '../spectrum/index.js';
import { computeOptimal, expr, isUnsupported, type LeadingTerm } from '../symbolic/index.js';
import { selectCase } from '../symbolic/laws.js';
import { reuseHorizonLaw, reuseLimitLaw } from '../symbolic/reuse-laws.js';
import { rationalEnv } from '../symbolic/terms.js';
import { finishFrontier, searchFrontier, SGD_FRONTIER_DEFAULTS, type FrontierMeasurement, type SgdFrontierSettings } from './sgd-frontier.js';

/** Which DMFT evaluates the loss: the finite-P SGD DMFT, or GD at the same rate (its mean dynamics). */
export type ReuseEvaluator = 'sgd' | 'gd';

/** One frontier problem: task (a, b), training set size P (Infinity: one-pass), rate, batch. */
export interface DataConstrainedProblem {
  readonly a: number;
  readonly b: number;
  readonly P: number;
  readonly lr: number;
  readonly batch: number;
  readonly evaluator?: ReuseEvaluator;
}

/** A measured frontier at one P, with the epochs E* = t* B / P along it. */
export interface DataConstrainedFrontier extends FrontierMeasurement {
  readonly P: number;
  readonly evaluator: ReuseEvaluator;
  readonly epochs: number[];
}

function validateProblem(p: DataConstrainedProblem): void {
  if (!(p.P === Infinity || (Number.isInteger(p.P) && p.P >= 2))) throw new InvalidArgumentError('P', 'must be an integer >= 2 or Infinity', p.P);
  if (p.evaluator !== undefined && p.evaluator !== 'sgd' && p.evaluator !== 'gd') throw new InvalidArgumentError('evaluator', "must be 'sgd' or 'gd'", p.evaluator);
}

/** ln L from a curve solved at whole step counts [floor(x), floor(x) + 1] per target x, interpolated linearly in t. */
function interpolated(sol: Pick<CurveSolution, 'test' | 'statusPerTime'> & { quantityStatus?: CurveSolution['quantityStatus'] }, targets: readonly number[], t: readonly number[]): { logL: number[]; status: Status[] } {
  return {
    logL: targets.map((x, r) => {
      const lo = sol.test[2 * r];
      const L = lo + (sol.test[2 * r + 1] - lo) * (x - t[2 * r]);
      return L > 0 && Number.isFinite(L) ? Math.log(L) : Number.NaN;
    }),
    // The test loss's own status where the solver gives it (a time's status also carries train and L_A, which SGD on
    // fixed data does not derive); one-pass SGD reports one status per time.
    status: targets.map((_, r) => {
      const st = sol.quantityStatus?.test ?? sol.statusPerTime;
      return worstStatus(st[2 * r], st[2 * r + 1]);
    }),
  };
}

/**
 * The compute-optimal frontier at fixed P (or P = Infinity, the unlimited-data
 * frontier) by the banded search of sgd-frontier.ts, sigma = 0, M = infinity.
 */
export function measureDataConstrainedFrontier(problem: DataConstrainedProblem, settingsIn: Partial<SgdFrontierSettings> = {}): DataConstrainedFrontier {
  validateProblem(problem);
  const started = performance.now();
  const settings: SgdFrontierSettings = { ...SGD_FRONTIER_DEFAULTS, ...settingsIn };
  const evaluator = problem.evaluator ?? 'sgd';
  const sgd = makeDynamics({ optimizer: 'sgd', lr: problem.lr, batch: problem.batch }) as OnePassSgd;
  const dynamics: Dynamics = evaluator === 'sgd' ? sgd : makeDynamics({ optimizer: 'gd', lr: problem.lr });
  const B = sgd.batch;
  const { P } = problem;
  const spectrum = powerLawSpectrum({ a: problem.a, b: problem.b, M: Infinity });
  const search = searchFrontier(settings, B, (N, Cs) => {
    const targets = Cs.map((c) => c / (N * B));
    const t = targets.flatMap((x) => [Math.floor(x), Math.floor(x) + 1]);
    let sol: Parameters<typeof interpolated>[0];
    if (evaluator === 'gd') sol = solveCurve({ spectrum, N, P, sigma: 0, t, dynamics });
    else if (P === Infinity) sol = solveSgdCurve({ spectrum, N, P, sigma: 0, t, dynamics: sgd });
    else sol = solveSgdReuseCurve({ spectrum, N, P, sigma: 0, t, dynamics: sgd });
    return interpolated(sol, targets, t);
  });
  const what = evaluator === 'sgd' ? `minibatch SGD (E28${P === Infinity ? '' : 'b'}), eta = ${sgd.lr}, B = ${B}` : `full-batch GD at eta = ${sgd.lr} (the mean dynamics of SGD with B = ${B}, leading order in eta/B)`;
  const held = `${what}, P = ${P === Infinity ? 'inf (one pass)' : P}, M = inf, sigma = 0, C = N t B (t in steps)`;
  const measured = finishFrontier(problem.a, problem.b, dynamics, settings, search, started, held);
  return { ...measured, P, evaluator, epochs: measured.tstar.map((t) => (P === Infinity ? 0 : (t * B) / P)) };
}

/** Closed forms of the data-constrained frontier at one (a, b), eta, B (numbers; docs/theory.md "Data reuse laws"). */
export interface DataConstrainedClosedForms {
  /** Unlimited frontier L*(C) = coefficient C^exponent (E21/E29, symbolic computeOptimal with C = N t B). */
  readonly unlimited: { coefficient: number; exponent: number } | null;
  /** Data floor L(P) = coefficient P^exponent (E18). */
  readonly floor: { coefficient: number; exponent: number } | null;
  /** Reuse horizon t_x(P) = coefficient P^exponent in steps. */
  readonly horizon: { coefficient: number; exponent: number } | null;
  /** Leave point C_x(P) = coefficient P^exponent where the unlimited frontier meets the floor. */
  readonly leave: { coefficient: number; exponent: number } | null;
  readonly reason: string;
}

function numbers(t: LeadingTerm, env: Record<string, number>): { coefficient: number; exponent: number } {
  return { coefficient: expr.evaluate(t.coefficient, env), exponent: expr.evaluate(t.exponent, env) };
}

/** The closed forms above at numeric (a, b), eta, B. */
export function dataConstrainedClosedForms(a: number, b: number, lr: number, batch: number): DataConstrainedClosedForms {
  const env = { eta: lr, B: batch };
  const floorCase = selectCase(reuseLimitLaw(), a, b);
  const horizonCase = selectCase(reuseHorizonLaw(), a, b);
  const at = rationalEnv(a, b);
  const optimal = computeOptimal(expr.num(a), expr.num(b), { sgd: { eta: expr.num(lr), batch: expr.num(batch) }, at }).find((c) => !('unsupported' in c));
  const floor = floorCase && !isUnsupported(floorCase) ? numbers(floorCase, env) : null;
  const horizon = horizonCase && !isUnsupported(horizonCase) ? numbers(horizonCase, env) : null;
  const unlimited = optimal && !('unsupported' in optimal)
    ? { coefficient: expr.evaluate(optimal.balance.Lstar.coefficient, env), exponent: expr.evaluate(optimal.balance.Lstar.exponent, env) }
    : null;
  // c C^-l = c_P P^-d  ->  C = (c / c_P)^{1/l} P^{d/l}, with exponent = -l, floor.exponent = -d.
  const leave = unlimited && floor
    ? { coefficient: (unlimited.coefficient / floor.coefficient) ** (-1 / unlimited.exponent), exponent: floor.exponent / unlimited.exponent }
    : null;
  const reason = !floor ? 'no data law at (a, b)' : !unlimited ? 'no unlimited-data compute-optimal law at (a, b)' : '';
  return { unlimited, floor, horizon, leave, reason };
}

/** The compute where a measured frontier first exceeds the unlimited one by the factor `ratio` (log-interpolated), or NaN. */
export function leavePoint(limited: Pick<FrontierMeasurement, 'C' | 'Lstar'>, unlimited: Pick<FrontierMeasurement, 'C' | 'Lstar'>, ratio = 1.25): number {
  if (!(ratio > 1)) throw new InvalidArgumentError('ratio', 'must be > 1', ratio);
  const byC = new Map(unlimited.C.map((c, k) => [c, unlimited.Lstar[k]]));
  let prev: { logC: number; logR: number } | null = null;
  for (let k = 0; k < limited.C.length; k++) {
    const Lu = byC.get(limited.C[k]);
    const L = limited.Lstar[k];
    if (Lu === undefined || !(L > 0) || !(Lu > 0)) continue;
    const cur = { logC: Math.log(limited.C[k]), logR: Math.log(L / Lu) };
    if (cur.logR > Math.log(ratio)) {
      if (!prev) return Number.NaN;
      const f = (Math.log(ratio) - prev.logR) / (cur.logR - prev.logR);
      return Math.exp(prev.logC + f * (cur.logC - prev.logC));
    }
    prev = cur;
  }
  return Number.NaN;
}

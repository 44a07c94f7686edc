/**
 * Training dynamics as problem data (THEORY E5, E25-E29). Every layer reads
 * this one description: the numeric layer turns it into a time kernel and an
 * evaluation point for the Laplace-domain objects, the simulator into exact
 * propagators, the symbolic layer into the terms of the loss, the reconcile
 * layer into the compute C = N t B. Adding an optimizer means one new variant
 * here and one case per layer.
 *
 * Time: for gradient flow ('gf') t is continuous (unit learning rate, E5);
 * for the discrete optimizers ('gd', 'momentum', 'sgd') t counts steps.
 */
import { InvalidArgumentError, requireFinite } from '../core/errors.js';
import { ascendingOrder, checkedSchedule, peakFactor, rateFactors, scheduledPropagator, scheduleLabel, scheduleProvenance, type LearningRateSchedule } from './lr-schedule.js';

export * from './lr-schedule.js';

/** Gradient flow with unit rate (E5), optionally with a ridge penalty (E25). */
export interface GradientFlow {
  readonly kind: 'gf';
  /** Ridge penalty r >= 0 on (r/2)|w|^2 (E25); 0 is plain gradient flow. */
  readonly ridge: number;
}

/** Full-batch gradient descent with step eta (E26); t = steps. */
export interface GradientDescent {
  readonly kind: 'gd';
  readonly lr: number;
  readonly ridge: number;
  /** Rates eta_s = lr factor(s) (THEORY E28c); absent: the constant rate lr. */
  readonly schedule?: LearningRateSchedule;
}

/** Heavy-ball momentum w_{t+1} = w_t - eta grad + beta (w_t - w_{t-1}) (E27); t = steps. */
export interface Momentum {
  readonly kind: 'momentum';
  readonly lr: number;
  /** 0 <= beta < 1; beta = 0 is gradient descent. */
  readonly beta: number;
  readonly ridge: number;
  /** Rates eta_s = lr factor(s) (THEORY E28c); absent: the constant rate lr. */
  readonly schedule?: LearningRateSchedule;
}

/** One-pass minibatch SGD with batch B at P = infinity (E28); t = steps, compute C = N t B. */
export interface OnePassSgd {
  readonly kind: 'sgd';
  readonly lr: number;
  readonly batch: number;
  readonly ridge: number;
  /** Rates eta_s = lr factor(s) (THEORY E28c: a two-time Volterra kernel); absent: the constant rate lr. */
  readonly schedule?: LearningRateSchedule;
}

/** Training dynamics: gradient flow, gradient descent, momentum or one-pass SGD, each with a ridge. */
export type Dynamics = GradientFlow | GradientDescent | Momentum | OnePassSgd;
/** One of OPTIMIZERS. */
export type OptimizerName = Dynamics['kind'];
/** The optimizer names: gf, gd, momentum, sgd. */
export const OPTIMIZERS: readonly OptimizerName[] = ['gf', 'gd', 'momentum', 'sgd'];

/** Unit-rate gradient flow without ridge: the default of every layer. */
export const GRADIENT_FLOW: GradientFlow = Object.freeze({ kind: 'gf', ridge: 0 });

/** Loose input (API or CLI); `makeDynamics` checks it and fills defaults. */
export interface DynamicsInput {
  readonly optimizer?: OptimizerName;
  readonly lr?: number;
  readonly momentum?: number;
  readonly batch?: number;
  readonly ridge?: number;
  /** A learning-rate schedule (gd, momentum, sgd); undefined or constant: the rate lr at every step. */
  readonly schedule?: LearningRateSchedule;
}

/**
 * Argument names used in errors. The CLI passes its flag names so that an
 * error names what the user typed (`--lr`); the API default names the fields.
 */
export interface DynamicsArgumentNames {
  readonly optimizer: string;
  readonly lr: string;
  readonly momentum: string;
  readonly batch: string;
  readonly ridge: string;
  readonly schedule?: string;
}

const FIELD_NAMES: DynamicsArgumentNames = { optimizer: 'optimizer', lr: 'lr', momentum: 'momentum', batch: 'batch', ridge: 'ridge', schedule: 'schedule' };

/** Ridge penalties the DMFT represents in double precision (0 is no ridge). */
export const RIDGE_RANGE = Object.freeze({ min: 1e-150, max: 1e150 });

/** Smallest learning rate: one step is then eta = 1e-100 of gradient-flow time, the contour's lower time bound. */
export const MIN_LEARNING_RATE = 1e-100;

/**
 * Validated dynamics from loose input. Contradictory input throws
 * InvalidArgumentError (a learning rate for gradient flow, momentum without
 * the momentum optimizer, a batch without SGD, eta <= 0, B < 1, beta outside [0, 1)).
 */
export function makeDynamics(input: DynamicsInput = {}, names: DynamicsArgumentNames = FIELD_NAMES): Dynamics {
  const optimizer = input.optimizer ?? 'gf';
  if (!OPTIMIZERS.includes(optimizer)) {
    throw new InvalidArgumentError(names.optimizer, `must be one of ${OPTIMIZERS.join(', ')}`, optimizer);
  }
  const ridge = input.ridge ?? 0;
  requireFinite(names.ridge, ridge);
  if (ridge < 0) throw new InvalidArgumentError(names.ridge, 'must be >= 0', ridge);
  if (ridge !== 0 && !(ridge >= RIDGE_RANGE.min && ridge <= RIDGE_RANGE.max)) {
    throw new InvalidArgumentError(names.ridge, `must be 0 or within [${RIDGE_RANGE.min}, ${RIDGE_RANGE.max}] (beyond, the static solution's ridge^2 terms leave double range: NaN at 1e-155 and 1e155)`, ridge);
  }
  if (input.momentum !== undefined && optimizer !== 'momentum') {
    throw new InvalidArgumentError(names.momentum, `only applies with ${names.optimizer} momentum`, input.momentum);
  }
  if (input.batch !== undefined && optimizer !== 'sgd') {
    throw new InvalidArgumentError(names.batch, `only applies with ${names.optimizer} sgd`, input.batch);
  }
  if (input.schedule !== undefined && optimizer === 'gf') {
    throw new InvalidArgumentError(names.schedule ?? 'schedule', `only applies with ${names.optimizer} gd, momentum or sgd`, scheduleLabel(input.schedule));
  }
  const schedule = input.schedule === undefined ? {} : { schedule: checkedSchedule(input.schedule, names.schedule ?? 'schedule') };
  if (optimizer === 'gf') {
    if (input.lr !== undefined) {
      throw new InvalidArgumentError(names.lr, `does not apply to gradient flow (unit rate; use ${names.optimizer} gd)`, input.lr);
    }
    return ridge === 0 ? GRADIENT_FLOW : { kind: 'gf', ridge };
  }
  if (input.lr === undefined) throw new InvalidArgumentError(names.lr, `is required with ${names.optimizer} ${optimizer}`);
  const lr = requireFinite(names.lr, input.lr);
  if (!(lr > 0)) throw new InvalidArgumentError(names.lr, 'must be > 0', lr);
  if (lr < MIN_LEARNING_RATE) {
    throw new InvalidArgumentError(names.lr, `must be >= ${MIN_LEARNING_RATE} (eta t is the time the contour inversion sees; below 1e-100 its nodes overflow: all-NaN curves at 1e-200)`, lr);
  }
  if (optimizer === 'gd') return { kind: 'gd', lr, ridge, ...schedule };
  if (optimizer === 'momentum') {
    const beta = input.momentum ?? 0.9;
    requireFinite(names.momentum, beta);
    if (!(beta >= 0 && beta < 1)) throw new InvalidArgumentError(names.momentum, 'must be in [0, 1)', beta);
    return { kind: 'momentum', lr, beta, ridge, ...schedule };
  }
  const batch = input.batch ?? 1;
  if (!Number.isInteger(batch) || batch < 1) throw new InvalidArgumentError(names.batch, 'must be an integer >= 1', batch);
  if (ridge !== 0) throw new InvalidArgumentError(names.ridge, 'is not supported with one-pass SGD (E28 has no ridge)', ridge);
  return { kind: 'sgd', lr, batch, ridge, ...schedule };
}

/** True when t counts steps (integers) rather than continuous time. */
export function isDiscrete(dynamics: Dynamics): boolean {
  return dynamics.kind !== 'gf';
}

/** Samples processed per step (C = N t B): B for SGD, 1 otherwise (full-batch steps count once). */
export function samplesPerStep(dynamics: Dynamics): number {
  return dynamics.kind === 'sgd' ? dynamics.batch : 1;
}

/**
 * Gradient-flow-equivalent time of t steps: eta t for the discrete optimizers,
 * eta t / (1 - beta) for momentum (its effective step at slow modes), t for gf.
 * Used for plots and for the eta -> 0 limits (E26, E27).
 */
export function equivalentTime(dynamics: Dynamics, t: number): number {
  switch (dynamics.kind) {
    case 'gf':
      return t;
    case 'gd':
    case 'sgd':
      return dynamics.lr * t;
    case 'momentum':
      return (dynamics.lr * t) / (1 - dynamics.beta);
  }
}

/**
 * The bound on eMax (top of the spectrum of F G plus ridge) below which the
 * numeric layer's time kernels apply (E26, E27, E28): 2/eta for GD (it converges
 * up to there; the y-contour map of E26 needs eta eMax < 1, and for
 * 1 <= eta eMax < 2 the rules of momentum at beta = 0 serve every time),
 * 2 (1 + beta)/eta for momentum (its circle and keyhole rules, E27, E27a, cover
 * every convergent setting), and 2/(eta (1 + 1/B)) for SGD: the per-mode factor of the exact
 * second-moment recursion, rho(x) = (1 - eta x)^2 + (eta^2/B) x^2, is below 1
 * on (0, eMax] exactly there, and rho >= 1/(B + 1) > 0 keeps the Volterra
 * solver's y-contour map valid up to it. SGD has a second condition that is
 * not a bound on eMax alone: the kernel mass (eta/B) tr[T/(2 - eta (1 + 1/B) T)]
 * below 1 (E28; the numeric layer reports it as status 'unstable').
 */
export function stabilityLimit(dynamics: Dynamics): number {
  switch (dynamics.kind) {
    case 'gf':
      return Infinity;
    case 'gd':
      return 2 / peakRate(dynamics);
    case 'sgd':
      return 2 / (peakRate(dynamics) * (1 + 1 / dynamics.batch));
    case 'momentum':
      return (2 * (1 + dynamics.beta)) / peakRate(dynamics);
  }
}

/** The largest rate of any step: lr, or lr times the schedule's peak factor (it sets the stability bounds, E28c). */
export function peakRate(dynamics: GradientDescent | Momentum | OnePassSgd): number {
  return dynamics.schedule !== undefined ? dynamics.lr * peakFactor(dynamics.schedule) : dynamics.lr;
}

/** GD or momentum with a learning-rate schedule (E28c). */
export type ScheduledDynamics = (GradientDescent | Momentum) & { readonly schedule: LearningRateSchedule };

/** The schedule of GD or momentum, or undefined (none, or another optimizer). */
export function scheduledDynamics(dynamics: Dynamics): ScheduledDynamics | undefined {
  return (dynamics.kind === 'gd' || dynamics.kind === 'momentum') && dynamics.schedule !== undefined ? (dynamics as ScheduledDynamics) : undefined;
}

/** The rates eta_s = eta_0 f(s) of steps s < count (E28c). */
export function scheduledRates(dynamics: { readonly lr: number; readonly schedule: LearningRateSchedule }, count: number): Float64Array {
  const rates = rateFactors(dynamics.schedule, count);
  for (let s = 0; s < count; s++) rates[s] *= dynamics.lr;
  return rates;
}

/**
 * The exact per-eigenvalue factors of scheduled GD or momentum (E28c) at the times t (whole steps): for each
 * m[k] (an eigenvalue plus the ridge) the residual factor d = D_t(m) and the weight g with D = 1 - m g, at
 * [k * T + j]; one pass over the steps per eigenvalue (scheduledPropagator), shared over the times.
 */
export function scheduledResiduals(dynamics: ScheduledDynamics, m: ArrayLike<number>, t: ArrayLike<number>): { d: Float64Array; g: Float64Array } {
  const T = t.length;
  let tMax = 0;
  for (let j = 0; j < T; j++) tMax = Math.max(tMax, t[j]);
  const rates = scheduledRates(dynamics, tMax);
  const beta = dynamics.kind === 'momentum' ? dynamics.beta : 0;
  const order = ascendingOrder(t);
  const d = new Float64Array(m.length * T);
  const g = new Float64Array(m.length * T);
  for (let k = 0; k < m.length; k++) {
    scheduledPropagator(rates, beta, m[k], t, order, d.subarray(k * T, (k + 1) * T), g.subarray(k * T, (k + 1) * T), 0);
  }
  return { d, g };
}

/**
 * The bound on eMax beyond which the finite model's iteration diverges:
 * 2/eta for GD, 2 (1 + beta)/eta for momentum (E26, E27), and for SGD
 * 2/(eta (1 + 1/B)), where the expected loss of the top mode grows (E28; the
 * mean of SGD, which is GD, would still converge up to 2/eta). SGD also
 * diverges below this bound when the kernel mass reaches 1 (E28, see
 * stabilityLimit).
 */
export function divergenceLimit(dynamics: Dynamics): number {
  switch (dynamics.kind) {
    case 'gf':
      return Infinity;
    case 'gd':
      return 2 / peakRate(dynamics);
    case 'sgd':
      return 2 / (peakRate(dynamics) * (1 + 1 / dynamics.batch));
    case 'momentum':
      return (2 * (1 + dynamics.beta)) / peakRate(dynamics);
  }
}

/** Times for these dynamics: non-negative integers (steps) for discrete optimizers. */
export function checkTimes(dynamics: Dynamics, t: ArrayLike<number>, argument = 't'): void {
  if (!isDiscrete(dynamics)) return;
  const scheduled = dynamics.kind !== 'gf' && dynamics.schedule !== undefined;
  for (let i = 0; i < t.length; i++) {
    const ti = t[i];
    if (scheduled && ti === Infinity) {
      throw new InvalidArgumentError(argument, 'must be finite under a learning-rate schedule (its rates are applied step by step)', ti);
    }
    if (ti !== Infinity && !(Number.isInteger(ti) && ti >= 0)) {
      throw new InvalidArgumentError(argument, `must list whole step counts with ${dynamics.kind} (t counts steps)`, ti);
    }
  }
}

/** Provenance: every field, for output files. */
export function describeDynamics(dynamics: Dynamics): Record<string, number | string> {
  const { schedule, ...rest } = dynamics as Dynamics & { schedule?: LearningRateSchedule };
  return schedule === undefined ? { ...rest, optimizer: dynamics.kind } : { ...rest, optimizer: dynamics.kind, schedule: scheduleProvenance(schedule) };
}

/** Short label for tables and figures: "gf", "gd(eta=0.5)", "sgd(eta=0.5, B=4)", with ridge if any. */
export function dynamicsLabel(dynamics: Dynamics): string {
  const parts: string[] = [];
  if (dynamics.kind !== 'gf') parts.push(`eta=${dynamics.lr}`);
  if (dynamics.kind === 'momentum') parts.push(`beta=${dynamics.beta}`);
  if (dynamics.kind === 'sgd') parts.push(`B=${dynamics.batch}`);
  if (dynamics.kind !== 'gf' && dynamics.schedule !== undefined) parts.push(`schedule=${scheduleLabel(dynamics.schedule)}`);
  if (dynamics.ridge !== 0) parts.push(`ridge=${dynamics.ridge}`);
  return parts.length === 0 ? dynamics.kind : `${dynamics.kind}(${parts.join(', ')})`;
}

/**
 * Training dynamics as problem data (THEORY E5, E25-E29). Every layer reads
 * this one description: the numeric layer turns it into a time kernel and an
 * evaluation point for the Laplace-domain objects, the simulator into exact
 * propagators, the symbolic layer into the terms of the loss, the reconcile
 * layer into the compute C = N t B. Each optimizer is one module under
 * optimizers/ (registry.ts); the functions here ask the dynamics' module.
 *
 * Time: for gradient flow ('gf') t is continuous (unit learning rate, E5);
 * for the discrete optimizers t counts steps.
 */
import { InvalidArgumentError, requireFinite } from '../core/errors.js';
import { ascendingOrder, checkedSchedule, rateFactors, scheduledPropagator, scheduleLabel, scheduleProvenance, type LearningRateSchedule } from './lr-schedule.js';
import { isOptimizerName, OPTIMIZERS, optimizerModule, optimizerOf } from './registry.js';
import { peakOf } from './optimizers/common.js';
import type { Dynamics, DynamicsArgumentNames, DynamicsInput, GradientDescent, LawTerms, Momentum, OnePassSgd, OptimizerModule } from './types.js';

export * from './lr-schedule.js';
export * from './types.js';
export { OPTIMIZERS, OPTIMIZER_MODULES, isOptimizerName, optimizerModule, optimizerOf } from './registry.js';
export { GRADIENT_FLOW } from './optimizers/gradient-flow.js';
export { MIN_LEARNING_RATE } from './optimizers/common.js';
export { REUSE_SAMPLINGS, type ReuseSampling } from './sampling.js';
export { nesterovMap } from './optimizers/nesterov.js';
export { sgdMean } from './optimizers/sgd.js';

const FIELD_NAMES: DynamicsArgumentNames = { optimizer: 'optimizer', lr: 'lr', momentum: 'momentum', batch: 'batch', ridge: 'ridge', schedule: 'schedule' };

/** Ridge penalties the DMFT represents in double precision (0 is no ridge). */
export const RIDGE_RANGE = Object.freeze({ min: 1e-150, max: 1e150 });

/**
 * Validated dynamics from loose input. Contradictory input throws
 * InvalidArgumentError (a learning rate for gradient flow, momentum without
 * the momentum optimizer, a batch without SGD, eta <= 0, B < 1, beta outside [0, 1)).
 */
export function makeDynamics(input: DynamicsInput = {}, names: DynamicsArgumentNames = FIELD_NAMES): Dynamics {
  const optimizer = input.optimizer ?? 'gf';
  if (!isOptimizerName(optimizer)) {
    throw new InvalidArgumentError(names.optimizer, `must be one of ${OPTIMIZERS.join(', ')}`, optimizer);
  }
  const ridge = input.ridge ?? 0;
  requireFinite(names.ridge, ridge);
  if (ridge < 0) throw new InvalidArgumentError(names.ridge, 'must be >= 0', ridge);
  if (ridge !== 0 && !(ridge >= RIDGE_RANGE.min && ridge <= RIDGE_RANGE.max)) {
    throw new InvalidArgumentError(names.ridge, `must be 0 or within [${RIDGE_RANGE.min}, ${RIDGE_RANGE.max}] (beyond, the static solution's ridge^2 terms leave double range: NaN at 1e-155 and 1e155)`, ridge);
  }
  const module = optimizerModule(optimizer);
  if (input.schedule !== undefined && !module.supports.schedule) {
    const takers = OPTIMIZERS.filter((name) => optimizerModule(name).supports.schedule);
    const list = takers.length > 1 ? `${takers.slice(0, -1).join(', ')} or ${takers[takers.length - 1]}` : takers.join('');
    throw new InvalidArgumentError(names.schedule ?? 'schedule', `only applies with ${names.optimizer} ${list}`, scheduleLabel(input.schedule));
  }
  const schedule = input.schedule === undefined ? undefined : checkedSchedule(input.schedule, names.schedule ?? 'schedule');
  return module.make(input, names, ridge, schedule);
}

/** True when t counts steps (integers) rather than continuous time. */
export function isDiscrete(dynamics: Dynamics): boolean {
  return optimizerOf(dynamics).discrete;
}

/** True when the loss is a random quantity of sampled batches (one-pass SGD): the layers' separate stochastic paths. */
export function isStochastic(dynamics: Dynamics): dynamics is OnePassSgd {
  return optimizerOf(dynamics).supports.stochastic;
}

/** Samples processed per step (C = N t B): B for SGD, 1 otherwise (full-batch steps count once). */
export function samplesPerStep(dynamics: Dynamics): number {
  return optimizerOf(dynamics).samplesPerStep(dynamics);
}

/**
 * Gradient-flow-equivalent time of t steps: eta t for GD and SGD, eta t / (1 - beta) for momentum and
 * Nesterov (their effective step at slow modes), t for gf. Used for plots and for the eta -> 0 limits
 * (E26, E27, E28d).
 */
export function equivalentTime(dynamics: Dynamics, t: number): number {
  return optimizerOf(dynamics).equivalentTime(dynamics, t);
}

/** The laws of an optimizer that follows gradient flow in a rescaled time (E26-E28d). */
export type RescaledTimeLaws = Extract<LawTerms, { kind: 'rescaled-time' }>;

/**
 * The rescaled time these dynamics follow gradient flow in (its name, THEORY label and summed rate; its factor
 * per step is equivalentTime(dynamics, 1)), or undefined when their laws are gradient flow's own or their own.
 */
export function rescaledTimeLaws(dynamics: Dynamics): RescaledTimeLaws | undefined {
  const laws = optimizerOf(dynamics).laws;
  return laws.kind === 'rescaled-time' ? laws : undefined;
}

/** The optimizers whose module passes `test`, for messages ('gd, momentum, nesterov'). */
export function optimizersWith(test: (module: OptimizerModule) => boolean): string {
  return OPTIMIZERS.filter((name) => test(optimizerModule(name))).join(', ');
}

/** True for a module whose laws are gradient flow's in a rescaled time. */
export const followsRescaledTime = (module: OptimizerModule): boolean => module.laws.kind === 'rescaled-time';

/**
 * The bound on eMax (top of the spectrum of F G plus ridge) below which the numeric layer's time kernels
 * apply (E26, E27, E28, E28d); each module states and derives its own.
 */
export function stabilityLimit(dynamics: Dynamics): number {
  return optimizerOf(dynamics).stabilityLimit(dynamics);
}

/** The stability bound as a formula with its THEORY label, for messages. */
export function stabilityFormula(dynamics: Dynamics): string {
  return optimizerOf(dynamics).stabilityFormula(dynamics);
}

/** The largest rate of any step: lr, or lr times the schedule's peak factor (it sets the stability bounds, E28c). */
export function peakRate(dynamics: Exclude<Dynamics, { kind: 'gf' }>): number {
  return peakOf(dynamics as { lr: number; schedule?: LearningRateSchedule });
}

/** The learning-rate schedule of any dynamics, or undefined (none: the constant rate). */
export function scheduleOf(dynamics: Dynamics): LearningRateSchedule | undefined {
  return (dynamics as { schedule?: LearningRateSchedule }).schedule;
}

/** A deterministic (full-batch) optimizer with a learning-rate schedule (E28c): GD or momentum. */
export type ScheduledDynamics = (GradientDescent | Momentum) & { readonly schedule: LearningRateSchedule };

/**
 * The schedule of a deterministic optimizer, or undefined (none, or a stochastic one: one-pass SGD under a
 * schedule has its own two-time kernel, E28c, not the product kernel of the full-batch propagators).
 */
export function scheduledDynamics(dynamics: Dynamics): ScheduledDynamics | undefined {
  const module = optimizerOf(dynamics);
  return module.supports.schedule && !module.supports.stochastic && scheduleOf(dynamics) !== undefined ? (dynamics as ScheduledDynamics) : undefined;
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
  // The heavy-ball beta of the module's kernel (GD: 0); a schedule on any other kernel has no product form here.
  const kernel = optimizerOf(dynamics).timeKernel(dynamics);
  if (kernel.rule !== 'z-map' || kernel.map.heavyBall === undefined) throw new Error(`internal: ${dynamics.kind} under a schedule has no heavy-ball kernel (E28c)`);
  const beta = kernel.map.heavyBall.beta;
  const order = ascendingOrder(t);
  const d = new Float64Array(m.length * T);
  const g = new Float64Array(m.length * T);
  for (let k = 0; k < m.length; k++) {
    scheduledPropagator(rates, beta, m[k], t, order, d.subarray(k * T, (k + 1) * T), g.subarray(k * T, (k + 1) * T), 0);
  }
  return { d, g };
}

/**
 * The bound on eMax beyond which the finite model's iteration diverges (E26, E27, E28, E28d; each module
 * states its own). SGD also diverges below its bound when the kernel mass reaches 1 (E28, see stabilityLimit).
 */
export function divergenceLimit(dynamics: Dynamics): number {
  return optimizerOf(dynamics).divergenceLimit(dynamics);
}

/** Times for these dynamics: non-negative integers (steps) for discrete optimizers. */
export function checkTimes(dynamics: Dynamics, t: ArrayLike<number>, argument = 't'): void {
  if (!isDiscrete(dynamics)) return;
  const scheduled = scheduleOf(dynamics) !== undefined;
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

/** A hand-built dynamics re-validated through makeDynamics (the same checks as the CLI's), or InvalidArgumentError. */
export function checkedDynamics(dynamics: unknown, argument = 'dynamics'): Dynamics {
  if (dynamics === null || typeof dynamics !== 'object' || !isOptimizerName((dynamics as { kind?: unknown }).kind)) {
    throw new InvalidArgumentError(argument, 'must be a Dynamics (makeDynamics)', dynamics);
  }
  const d = dynamics as Dynamics & { lr?: number; beta?: number; batch?: number; schedule?: LearningRateSchedule };
  return makeDynamics({ optimizer: d.kind, lr: d.lr, momentum: d.beta, batch: d.batch, ridge: d.ridge, schedule: d.schedule });
}

/** Provenance: every field, for output files. */
export function describeDynamics(dynamics: Dynamics): Record<string, number | string> {
  const { schedule, ...rest } = dynamics as Dynamics & { schedule?: LearningRateSchedule };
  return schedule === undefined ? { ...rest, optimizer: dynamics.kind } : { ...rest, optimizer: dynamics.kind, schedule: scheduleProvenance(schedule) };
}

/** Short label for tables and figures: "gf", "gd(eta=0.5)", "sgd(eta=0.5, B=4)", with ridge if any. */
export function dynamicsLabel(dynamics: Dynamics): string {
  const parts = optimizerOf(dynamics).labelParts(dynamics);
  const schedule = scheduleOf(dynamics);
  if (schedule !== undefined) parts.push(`schedule=${scheduleLabel(schedule)}`);
  if (dynamics.ridge !== 0) parts.push(`ridge=${dynamics.ridge}`);
  return parts.length === 0 ? dynamics.kind : `${dynamics.kind}(${parts.join(', ')})`;
}

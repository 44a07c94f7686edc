/**
 * Pieces several optimizer modules share: the checks of a rate and a momentum coefficient, and the exact
 * two-step linear recursion of the heavy-ball family and Nesterov (THEORY E27, E28d).
 */
import { InvalidArgumentError, requireFinite } from '../../core/errors.js';
import type { DynamicsArgumentNames, DynamicsInput, ZDomainMap } from '../types.js';
import { peakFactor, type LearningRateSchedule } from '../lr-schedule.js';

/** Smallest learning rate: one step is then eta = 1e-100 of gradient-flow time, the contour's lower time bound. */
export const MIN_LEARNING_RATE = 1e-100;

/** The checked learning rate of a discrete optimizer (required, finite, in [MIN_LEARNING_RATE, inf)). */
export function checkedRate(input: DynamicsInput, names: DynamicsArgumentNames, optimizer: string): number {
  if (input.lr === undefined) throw new InvalidArgumentError(names.lr, `is required with ${names.optimizer} ${optimizer}`);
  const lr = requireFinite(names.lr, input.lr);
  if (!(lr > 0)) throw new InvalidArgumentError(names.lr, 'must be > 0', lr);
  if (lr < MIN_LEARNING_RATE) {
    throw new InvalidArgumentError(names.lr, `must be >= ${MIN_LEARNING_RATE} (eta t is the time the contour inversion sees; below 1e-100 its nodes overflow: all-NaN curves at 1e-200)`, lr);
  }
  return lr;
}

/** The checked momentum coefficient beta in [0, 1), default 0.9. */
export function checkedBeta(input: DynamicsInput, names: DynamicsArgumentNames): number {
  const beta = input.momentum ?? 0.9;
  requireFinite(names.momentum, beta);
  if (!(beta >= 0 && beta < 1)) throw new InvalidArgumentError(names.momentum, 'must be in [0, 1)', beta);
  return beta;
}

/** Throws when a field the optimizer does not take is given (`allowed` lists the ones it takes). */
export function rejectFields(input: DynamicsInput, names: DynamicsArgumentNames, optimizer: string, allowed: { momentum?: boolean; batch?: boolean }): void {
  if (input.momentum !== undefined && !allowed.momentum) {
    throw new InvalidArgumentError(names.momentum, `only applies with ${names.optimizer} momentum or nesterov`, input.momentum);
  }
  if (input.batch !== undefined && !allowed.batch) {
    throw new InvalidArgumentError(names.batch, `only applies with ${names.optimizer} sgd`, input.batch);
  }
}

const advanced = { s0: 0, s1: 0 };

/**
 * The state (s0, s1) advanced `steps` times by the affine map s -> Q s + c, Q = [[a, -b], [1, 0]], c = (e, 0):
 * the map raised to the step count by squaring (compositions (Q1, c1) o (Q2, c2) = (Q1 Q2, Q1 c2 + c1)),
 * O(log steps), no cancellation at the double root. Result in `advanced`.
 */
function advance(a: number, b: number, e: number, steps: number, s0: number, s1: number): void {
  // Accumulated map R (2 x 2) and offset d; base map B, f (the one-step map, squared as we go).
  let r00 = 1, r01 = 0, r10 = 0, r11 = 1, d0 = 0, d1 = 0;
  let b00 = a, b01 = -b, b10 = 1, b11 = 0, f0 = e, f1 = 0;
  let k = steps;
  while (k > 0) {
    if (k % 2 === 1) {
      // R <- B o R: (B R, B d + f)
      const n00 = b00 * r00 + b01 * r10;
      const n01 = b00 * r01 + b01 * r11;
      const n10 = b10 * r00 + b11 * r10;
      const n11 = b10 * r01 + b11 * r11;
      const m0 = b00 * d0 + b01 * d1 + f0;
      const m1 = b10 * d0 + b11 * d1 + f1;
      r00 = n00; r01 = n01; r10 = n10; r11 = n11; d0 = m0; d1 = m1;
    }
    k = Math.floor(k / 2);
    if (k > 0) {
      // B <- B o B
      const n00 = b00 * b00 + b01 * b10;
      const n01 = b00 * b01 + b01 * b11;
      const n10 = b10 * b00 + b11 * b10;
      const n11 = b10 * b01 + b11 * b11;
      const m0 = b00 * f0 + b01 * f1 + f0;
      const m1 = b10 * f0 + b11 * f1 + f1;
      b00 = n00; b01 = n01; b10 = n10; b11 = n11; f0 = m0; f1 = m1;
    }
  }
  advanced.s0 = r00 * s0 + r01 * s1 + d0;
  advanced.s1 = r10 * s0 + r11 * s1 + d1;
}

/** D_t for the recursion D_{s+1} = a D_s - b D_{s-1}, D_0 = D_{-1} = 1: (D_t, D_{t-1}) = Q^t (1, 1). */
export function twoStepPower(a: number, b: number, t: number): number {
  advance(a, b, 0, t, 1, 1);
  return advanced.s0;
}

/**
 * The weight factors of a two-step optimizer: g_{s+1} = a g_s - b g_{s-1} + eta, g_0 = g_{-1} = 0 (heavy ball:
 * a = 1 + beta - eta m, b = beta; Nesterov: a = (1 - eta m)(1 + beta), b = (1 - eta m) beta), advanced from one
 * requested time to the next (advance); h = 1 - x g. t = Infinity gives the fixed point g = 1/m (the run is
 * stable there).
 */
export function twoStepFactors(a: number, b: number, eta: number, m: number, x: number, t: Float64Array, g: Float64Array, h: Float64Array, row: number): void {
  let s0 = 0; // g_t
  let s1 = 0; // g_{t-1}
  let current = 0;
  for (let j = 0; j < t.length; j++) {
    if (t[j] === Infinity) {
      g[row + j] = m > 0 ? 1 / m : Infinity;
      h[row + j] = m > 0 ? 1 - x / m : 1;
      continue;
    }
    let steps = t[j] - current;
    if (steps < 0) {
      // Times need not be sorted: restart from t = 0.
      s0 = 0;
      s1 = 0;
      current = 0;
      steps = t[j];
    }
    advance(a, b, eta, steps, s0, s1);
    s0 = advanced.s0;
    s1 = advanced.s1;
    current = t[j];
    g[row + j] = s0;
    h[row + j] = 1 - x * s0;
  }
}

/** The heavy-ball family's Z-map (THEORY E27; GD is beta = 0): u = (z - 1)(z - beta)/(eta z), z k_t = z^t (z - beta)/eta. */
export function heavyBallMap(eta: number, beta: number, yContour: boolean): ZDomainMap {
  return {
    lr: eta,
    heavyBall: { beta, yContour },
    node(zr: number, zi: number, t: number, out: { ur: number; ui: number; kr: number; ki: number }): void {
      // u = (z - (1 + beta) + beta / z) / eta
      const izd = 1 / (zr * zr + zi * zi);
      out.ur = (zr - (1 + beta) + beta * zr * izd) / eta;
      out.ui = (zi - beta * zi * izd) / eta;
      // z^t (z - beta) / eta, z^t from modulus and angle
      const mag = Math.exp(0.5 * t * Math.log(zr * zr + zi * zi)) / eta;
      const th = t * Math.atan2(zi, zr);
      const pr = mag * Math.cos(th);
      const pi = mag * Math.sin(th);
      out.kr = pr * (zr - beta) - pi * zi;
      out.ki = pr * zi + pi * (zr - beta);
    },
    crossing(R: number): number {
      return ((R - 1) * (R - beta)) / (eta * R);
    },
  };
}

/** The largest rate of any step: lr, or lr times the schedule's peak factor (it sets the stability bounds, E28c). */
export function peakOf(d: { readonly lr: number; readonly schedule?: LearningRateSchedule }): number {
  return d.schedule !== undefined ? d.lr * peakFactor(d.schedule) : d.lr;
}

/**
 * Laws of full-batch GD and heavy-ball momentum under a learning-rate
 * schedule, in the summed rate (THEORY E26, E27, E28c).
 *
 * The residual of mode k after t steps is prod_{s<t} (1 - eta_s lambda_k)
 * (GD; momentum: a product of 2 x 2 transfer matrices). On the slow modes that
 * carry the loss at large t (eta_s lambda_k << 1) its logarithm is
 * -lambda_k S_t + O(lambda_k^2 sum_s eta_s^2), with the summed rate
 *   S_t = sum_{s<t} eta_s            (GD; the constant rate gives eta t, E26),
 *   S_t = sum_{s<t} eta_s / (1 - beta) (momentum: its slow-mode step, E27).
 * So at N = P = inf the gradient-flow time law (E17) holds in S_t:
 *   L(t) ~ L_GF(S_t) ~ C_t S_t^-(a-1)/b,  C_t = (1/b) Gamma((a-1)/b) 2^-(a-1)/b.
 * The correction lambda^2 sum eta_s^2 ~ S_t^-2 sum eta_s^2 vanishes whenever
 * sum eta_s^2 grows slower than S_t^2 (every schedule below).
 *
 * Power decay eta_s = eta_0 (1 + s/t0)^-gamma (SymPy and mpmath check in
 * scripts/symbolic/ridge_schedule_laws_sympy.py):
 *   gamma < 1: S_t = eta_0 t0 ((1 + t/t0)^(1-gamma) - 1)/(1 - gamma) ~ eta_0 t0^gamma t^(1-gamma)/(1-gamma),
 *              so L ~ C_t (eta_0 t0^gamma/(1-gamma))^-(a-1)/b t^-(1-gamma)(a-1)/b;
 *   gamma = 1: S_t ~ eta_0 t0 log t, L ~ C_t (eta_0 t0 log t)^-(a-1)/b (logarithmic: no power of t);
 *   gamma > 1: S_inf = eta_0 t0^gamma zeta(gamma, t0) is finite and L stops at the plateau L_GF(S_inf).
 *
 * WSD cool-down (wsd:T:F): the rate falls linearly to 0 over the last F T
 * steps, so the summed rate grows from S_before = eta_0 (1 - F) T to about
 * eta_0 (1 - F/2) T; in the summed-rate law the loss drops by the factor
 *   L(T) / L((1 - F) T) = (S_T / S_{(1-F)T})^-(a-1)/b -> ((1 - F/2)/(1 - F))^-(a-1)/b.
 * This is the deterministic (full-batch, N = P = inf) part; the noise term an
 * SGD cool-down removes (E28c) is not in it.
 */
import { InvalidArgumentError } from '../core/errors.js';
import { equivalentTime, rateFactors, followsRescaledTime, optimizersWith, rescaledTimeLaws, scheduledDynamics, scheduleLabel, scheduleOf, type Dynamics, type PowerDecay, type ScheduledDynamics } from '../dynamics/index.js';
import { evaluate } from './expr.js';
import { selectCase, timeLaw } from './laws.js';
import { ridgeLawEntries } from './ridge.js';
import type { LawEntry } from './table.js';
import { isUnsupported } from './terms.js';

/** The gradient-flow time law (E17) at numbers: L(t) ~ prefactor t^exponent at N = P = inf. */
export function gradientFlowTimeLaw(a: number, b: number): { exponent: number; prefactor: number } {
  const hit = selectCase(timeLaw(), a, b);
  if (!hit || isUnsupported(hit)) throw new InvalidArgumentError('a', 'has no time law (needs a > 1)', a);
  return { exponent: evaluate(hit.exponent), prefactor: evaluate(hit.coefficient) };
}

/**
 * THEORY (E28c): the summed rate S_t at the steps t (whole, ascending or not), for an optimizer that follows
 * gradient flow in a rescaled time (its module's laws), with or without a schedule: sum_{s<t} eta_s times the
 * time's factor per step (1 for GD, 1/(1 - beta) for momentum). Without a schedule it is the dynamics'
 * gradient-flow-equivalent time (eta t, eta t/(1 - beta)).
 */
export function summedRate(dynamics: Dynamics, t: ArrayLike<number>): Float64Array {
  if (rescaledTimeLaws(dynamics) === undefined) throw new InvalidArgumentError('optimizer', `the summed rate is defined for ${optimizersWith(followsRescaledTime)}`, dynamics.kind);
  // The dynamics' gradient-flow time of one step at the unit rate factor: eta (GD), eta/(1 - beta) (momentum, Nesterov).
  const factor = equivalentTime(dynamics, 1);
  const scheduled = scheduledDynamics(dynamics);
  let tMax = 0;
  for (let i = 0; i < t.length; i++) {
    if (!(Number.isInteger(t[i]) && t[i] >= 0)) throw new InvalidArgumentError('t', 'must list whole step counts', t[i]);
    tMax = Math.max(tMax, t[i]);
  }
  if (scheduled === undefined) return Float64Array.from(t, (ti) => factor * ti);
  const rates = rateFactors(scheduled.schedule, tMax);
  // Prefix sums with compensation: 1e6 terms of very different size.
  const prefix = new Float64Array(tMax + 1);
  let sum = 0;
  let carry = 0;
  for (let s = 0; s < tMax; s++) {
    const y = rates[s] - carry;
    const next = sum + y;
    carry = next - sum - y;
    sum = next;
    prefix[s + 1] = sum;
  }
  return Float64Array.from(t, (ti) => factor * prefix[ti]);
}

/** The summed-rate law of a power-decay schedule and the time law it gives (THEORY E17, E28c). */
export type PowerDecayLaw =
  | {
      readonly regime: 'power';
      /** S_t ~ summedPrefactor t^summedExponent. */
      readonly summedExponent: number;
      readonly summedPrefactor: number;
      /** L(t) ~ prefactor t^exponent at N = P = inf (t in steps). */
      readonly exponent: number;
      readonly prefactor: number;
      readonly text: string;
    }
  | { readonly regime: 'logarithmic'; readonly logPrefactor: number; readonly text: string }
  | { readonly regime: 'finite'; readonly summedLimit: number; readonly text: string };

/**
 * THEORY (E28c) for eta_s = eta_0 (1 + s/t0)^-gamma: gamma < 1 a power of t, gamma = 1 a logarithm,
 * gamma > 1 a finite S_inf (approximated by its integral bound here; the exact value is summedRate at large t).
 * `eta` is eta_0 in the optimizer's gradient-flow time, equivalentTime(dynamics, 1): eta_0 for GD, the
 * slow-mode step eta_0/(1 - beta) for momentum.
 */
export function powerDecayLaw(a: number, b: number, schedule: PowerDecay, eta: number): PowerDecayLaw {
  const { t0, gamma } = schedule;
  const time = gradientFlowTimeLaw(a, b);
  if (gamma < 1) {
    const summedPrefactor = (eta * t0 ** gamma) / (1 - gamma);
    return {
      regime: 'power',
      summedExponent: 1 - gamma,
      summedPrefactor,
      exponent: (1 - gamma) * time.exponent,
      prefactor: time.prefactor * summedPrefactor ** time.exponent,
      text: '(1-gamma) (-(a-1)/b)',
    };
  }
  if (gamma === 1) return { regime: 'logarithmic', logPrefactor: eta * t0, text: 'L ~ C_t (eta_0 t0 log t)^-(a-1)/b: no power of t' };
  // sum_{s>=0} (1 + s/t0)^-gamma lies between the integral t0/(gamma - 1) and it plus 1.
  return { regime: 'finite', summedLimit: (eta * t0) / (gamma - 1), text: 'S_inf finite (about eta_0 t0/(gamma - 1)): L stops at L_GF(S_inf)' };
}

/**
 * The WSD cool-down in the summed-rate law (THEORY E17, E28c): L(T)/L((1-F)T) =
 * (S_T / S_{(1-F)T})^-(a-1)/b with the exact summed rates of the schedule, and its
 * large-T limit ((1 - F/2)/(1 - F))^-(a-1)/b.
 */
export function wsdDropInSummedRate(a: number, b: number, fraction: number): number {
  if (!(fraction > 0 && fraction < 1)) throw new InvalidArgumentError('fraction', 'must be in (0, 1) (F = 1 has no stable phase)', fraction);
  const { exponent } = gradientFlowTimeLaw(a, b);
  return ((1 - fraction / 2) / (1 - fraction)) ** exponent;
}

/**
 * The rows and notes the `exponents` table gains for a ridge (E25) or a learning-rate schedule (E28c):
 * the ridge laws; under a schedule the note that the time laws hold in the summed rate S_t, and for power
 * decay with numbers the time law in steps (a power for gamma < 1; the logarithm or the finite S_inf otherwise).
 */
export function dynamicsLawEntries(a: number | undefined, b: number | undefined, dynamics: Dynamics, options: { rateKnown?: boolean } = {}): { laws: LawEntry[]; notes: string[] } {
  const laws: LawEntry[] = dynamics.ridge !== 0 ? ridgeLawEntries(a, b) : [];
  const notes: string[] = dynamics.ridge !== 0 ? [`ridge r = ${dynamics.ridge}: the ridge_* laws (THEORY E25); the other laws are ridgeless and hold while t << t_x(r) and r << r_x(min(N, P))`] : [];
  const given = scheduleOf(dynamics);
  if (given === undefined) return { laws, notes };
  const rescaled = rescaledTimeLaws(dynamics);
  // One-pass SGD takes a schedule (E28c) but its laws (E28, E29) are derived at one rate: refused, never the constant-rate laws.
  if (rescaled === undefined) throw new InvalidArgumentError('schedule', `has laws (the summed rate, E28c) for ${optimizersWith((m) => followsRescaledTime(m) && m.supports.schedule)} only, not for ${dynamics.kind}`, scheduleLabel(given));
  const scheduled = dynamics as ScheduledDynamics;
  notes.push(`schedule: t in the time laws is the summed rate S_t = ${rescaled.summedRate} (THEORY E28c), not eta t`);
  const schedule = scheduled.schedule;
  if (schedule.kind !== 'power') return { laws, notes };
  const quantity = `L(t) at N = P = inf under power decay eta_0 (1 + t/t0)^-gamma, t0 = ${schedule.t0}, gamma = ${schedule.gamma}, t in steps (THEORY E17, E28c)`;
  const base = { id: 'time_steps', quantity, variable: 't', condition: `gamma = ${schedule.gamma}` };
  if (a === undefined || b === undefined) {
    laws.push({ ...base, exponent: schedule.gamma < 1 ? `-(1 - ${schedule.gamma}) (a - 1)/b` : null, prefactor: null, latex: '', note: 'give --a and --b for the numbers', ...(schedule.gamma < 1 ? {} : { unsupported: 'gamma >= 1: no power of t (a logarithm at gamma = 1, a plateau beyond)' }) });
    return { laws, notes };
  }
  const law = powerDecayLaw(a, b, schedule, equivalentTime(scheduled, 1));
  if (law.regime === 'power') {
    // Without a rate (exponents keeps eta symbolic) only the exponent is claimed.
    const known = options.rateKnown ?? true;
    laws.push({
      ...base, exponent: law.exponent, prefactor: known ? law.prefactor : null,
      latex: `${known ? `${Number(law.prefactor.toPrecision(6))}\\, ` : ''}t^{${Number(law.exponent.toPrecision(12))}}`,
      note: known ? `S_t ~ ${Number(law.summedPrefactor.toPrecision(6))} t^${law.summedExponent}; ${law.text}` : `${law.text}; give --lr for the prefactor`,
    });
  } else {
    laws.push({ ...base, exponent: null, prefactor: null, latex: '\\text{unsupported}', unsupported: law.text });
  }
  return { laws, notes };
}

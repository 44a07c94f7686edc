/**
 * Learning-rate schedules for full-batch GD and heavy-ball momentum (THEORY E28c).
 *
 * Step s = 0, 1, 2, ... uses the rate eta_s = eta_0 factor(s) (w_{s+1} = w_s - eta_s grad); eta_0 is the
 * dynamics' lr. The factors:
 *  - step:T1:F     1 for s < T1, F from s = T1 on;
 *  - cosine:T      (1 + cos(pi min(s, T)/T)) / 2 (0 from s = T on);
 *  - wsd:T:F       1 for s < (1 - F) T, then 1 - (s - (1 - F) T)/(F T), 0 from s = T on;
 *  - power:T0:G    (1 + s/T0)^-G;
 *  - rates         an explicit list of factors, one per step (the last one holds after the list),
 *                  or breakpoints (s_k, f_k) interpolated linearly (the last f holds after the last s_k).
 * A constant rate is no schedule (the dynamics without this field).
 */
import { assertNever } from '../core/assert.js';
import { InvalidArgumentError } from '../core/errors.js';

export interface StepDecay {
  readonly kind: 'step';
  readonly at: number;
  readonly factor: number;
}
export interface CosineDecay {
  readonly kind: 'cosine';
  readonly total: number;
}
export interface WarmupStableDecay {
  readonly kind: 'wsd';
  readonly total: number;
  readonly fraction: number;
}
export interface PowerDecay {
  readonly kind: 'power';
  readonly t0: number;
  readonly gamma: number;
}
/** Factors by breakpoints: steps ascending from 0, linear in between, the last factor after the last step. */
export interface ExplicitRates {
  readonly kind: 'rates';
  readonly steps: readonly number[];
  readonly factors: readonly number[];
  /** Where the rates came from (a file path), for provenance. */
  readonly source: string;
}
export type LearningRateSchedule = StepDecay | CosineDecay | WarmupStableDecay | PowerDecay | ExplicitRates;

function requireSteps(argument: string, text: string, value: number, min: number): number {
  if (!(Number.isInteger(value) && value >= min)) throw new InvalidArgumentError(argument, `needs a whole step count >= ${min} in ${text}`, value);
  return value;
}

function requirePositive(argument: string, text: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) throw new InvalidArgumentError(argument, `needs a finite number > 0 in ${text}`, value);
  return value;
}

/**
 * The schedule of a spec `constant|step:T1:F|cosine:T|wsd:T:F|power:T0:GAMMA` (undefined for constant).
 * `file:PATH` is read by the caller (the CLI) into ExplicitRates with ratesFromText. Errors name `argument`.
 */
export function parseLearningRateSchedule(spec: string, argument = 'schedule'): LearningRateSchedule | undefined {
  const parts = spec.split(':');
  const numbers = parts.slice(1).map((p) => (p.trim() === '' ? NaN : Number(p)));
  const arity: Record<string, number> = { constant: 0, step: 2, cosine: 1, wsd: 2, power: 2 };
  const kind = parts[0];
  if (!(kind in arity)) {
    throw new InvalidArgumentError(argument, 'must be constant, step:T1:F, cosine:T, wsd:T:F, power:T0:GAMMA or file:PATH', spec);
  }
  if (numbers.length !== arity[kind]) throw new InvalidArgumentError(argument, `takes ${arity[kind]} number(s) after '${kind}'`, spec);
  switch (kind) {
    case 'step':
      return { kind, at: requireSteps(argument, spec, numbers[0], 0), factor: requirePositive(argument, spec, numbers[1]) };
    case 'cosine':
      return { kind, total: requireSteps(argument, spec, numbers[0], 1) };
    case 'wsd': {
      const total = requireSteps(argument, spec, numbers[0], 1);
      const fraction = numbers[1];
      if (!(fraction > 0 && fraction <= 1)) throw new InvalidArgumentError(argument, `needs a decay fraction F in (0, 1] in ${spec}`, fraction);
      return { kind, total, fraction };
    }
    case 'power': {
      const gamma = numbers[1];
      if (!(Number.isFinite(gamma) && gamma >= 0)) throw new InvalidArgumentError(argument, `needs GAMMA >= 0 in ${spec}`, gamma);
      return { kind, t0: requirePositive(argument, spec, numbers[0]), gamma };
    }
    default:
      return undefined;
  }
}

/**
 * Explicit rates from a file's text: one factor per line (step 0, 1, ...), or lines `s,f` (breakpoints,
 * steps strictly ascending from 0). Blank lines and lines starting with # are skipped. Factors must be
 * finite and >= 0, at least one > 0.
 */
export function ratesFromText(text: string, source: string, argument = 'schedule'): ExplicitRates {
  const steps: number[] = [];
  const factors: number[] = [];
  let columns = 0;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    const cells = line.split(/[,\s]+/).map(Number);
    if (columns === 0) columns = cells.length;
    const where = `${source} line ${i + 1}`;
    if (cells.length !== columns || columns > 2) throw new InvalidArgumentError(argument, `needs one factor, or 'step,factor', per line in ${where}`, line);
    const f = cells[columns - 1];
    if (!(Number.isFinite(f) && f >= 0)) throw new InvalidArgumentError(argument, `needs a finite factor >= 0 in ${where}`, line);
    const s = columns === 1 ? steps.length : cells[0];
    const previous = steps.length === 0 ? -1 : steps[steps.length - 1];
    if (!(Number.isInteger(s) && s > previous && (steps.length > 0 || s === 0))) {
      throw new InvalidArgumentError(argument, `needs whole steps ascending from 0 in ${where}`, line);
    }
    steps.push(s);
    factors.push(f);
  }
  if (factors.length === 0) throw new InvalidArgumentError(argument, `lists no rates in ${source}`);
  if (!factors.some((f) => f > 0)) throw new InvalidArgumentError(argument, `needs a factor > 0 in ${source}`);
  return { kind: 'rates', steps, factors, source };
}

/**
 * The schedule re-validated (a hand-built object gets the checks of a parsed one): the closed forms through
 * their spec (numbers print and parse back exactly), explicit rates as ratesFromText checks them.
 */
export function checkedSchedule(schedule: LearningRateSchedule, argument = 'schedule'): LearningRateSchedule {
  if (schedule === null || typeof schedule !== 'object') throw new InvalidArgumentError(argument, 'must be a LearningRateSchedule', schedule);
  if (schedule.kind !== 'rates') {
    const parsed = parseLearningRateSchedule(scheduleLabel(schedule), argument);
    if (parsed === undefined) throw new InvalidArgumentError(argument, 'must be a LearningRateSchedule', schedule);
    return parsed;
  }
  const { steps, factors, source } = schedule;
  if (!Array.isArray(steps) || !Array.isArray(factors) || steps.length !== factors.length) {
    throw new InvalidArgumentError(argument, 'needs equally long steps and factors', schedule);
  }
  return ratesFromText(steps.map((s, i) => `${s},${factors[i]}`).join('\n'), String(source), argument);
}

/** factor(s) with eta_s = eta_0 factor(s), for whole s >= 0 (see the file comment). */
export function rateFactor(schedule: LearningRateSchedule, s: number): number {
  switch (schedule.kind) {
    case 'step':
      return s < schedule.at ? 1 : schedule.factor;
    case 'cosine':
      return (1 + Math.cos((Math.PI * Math.min(s, schedule.total)) / schedule.total)) / 2;
    case 'wsd': {
      const start = (1 - schedule.fraction) * schedule.total;
      if (s < start) return 1;
      if (s >= schedule.total) return 0;
      return 1 - (s - start) / (schedule.fraction * schedule.total);
    }
    case 'power':
      return Math.pow(1 + s / schedule.t0, -schedule.gamma);
    case 'rates': {
      const { steps, factors } = schedule;
      const last = steps.length - 1;
      if (s >= steps[last]) return factors[last];
      let k = 0;
      while (steps[k + 1] <= s) k++;
      return factors[k] + ((factors[k + 1] - factors[k]) * (s - steps[k])) / (steps[k + 1] - steps[k]);
    }
    default:
      return assertNever(schedule, 'schedule');
  }
}

/** The largest factor over all steps (the peak rate eta_0 times it sets the stability bound). */
export function peakFactor(schedule: LearningRateSchedule): number {
  switch (schedule.kind) {
    case 'step':
      return Math.max(1, schedule.factor);
    case 'cosine':
    case 'wsd':
    case 'power':
      return 1;
    case 'rates':
      return Math.max(...schedule.factors);
    default:
      return assertNever(schedule, 'schedule');
  }
}

/** The factors of steps 0 .. count - 1 (the per-step loops of the simulator and the DMFT kernel). */
export function rateFactors(schedule: LearningRateSchedule, count: number): Float64Array {
  const out = new Float64Array(count);
  for (let s = 0; s < count; s++) out[s] = rateFactor(schedule, s);
  return out;
}

/** Short spec for labels and provenance: 'cosine:1000', 'file:rates.txt'. */
export function scheduleLabel(schedule: LearningRateSchedule): string {
  switch (schedule.kind) {
    case 'step':
      return `step:${schedule.at}:${schedule.factor}`;
    case 'cosine':
      return `cosine:${schedule.total}`;
    case 'wsd':
      return `wsd:${schedule.total}:${schedule.fraction}`;
    case 'power':
      return `power:${schedule.t0}:${schedule.gamma}`;
    case 'rates':
      return `file:${schedule.source}`;
    default:
      return assertNever(schedule, 'schedule');
  }
}

/**
 * Provenance of a schedule: its spec, and for explicit rates also how many breakpoints and an FNV-1a checksum of
 * them ('file:r.csv (3 breakpoints, fnv1a 9c2f...)'), so that an output records which rates it used, not only a path.
 */
export function scheduleProvenance(schedule: LearningRateSchedule): string {
  if (schedule.kind !== 'rates') return scheduleLabel(schedule);
  let hash = 0x811c9dc5;
  const text = schedule.steps.map((s, i) => `${s},${schedule.factors[i]}`).join(';');
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `${scheduleLabel(schedule)} (${schedule.steps.length} breakpoints, fnv1a ${hash.toString(16).padStart(8, '0')})`;
}

/**
 * The scalar propagator of GD/momentum under the schedule at one eigenvalue m (THEORY E28c), real m:
 * D_{s+1} = (1 + beta - eta_s m) D_s - beta D_{s-1}, D_0 = D_{-1} = 1 (the residual factor, prod_s (1 - eta_s m)
 * for beta = 0), and G_{s+1} = (1 + beta - eta_s m) G_s - beta G_{s-1} + eta_s, G_0 = G_{-1} = 0 (so that
 * 1 - m G = D, without the cancellation at small m). rates[s] = eta_s; for each requested time index j in
 * `order` (ascending times), writes D and G at t[j] into d[offset + j], g[offset + j]. O(max t) per call.
 */
export function scheduledPropagator(
  rates: Float64Array, beta: number, m: number, t: ArrayLike<number>, order: ArrayLike<number>, d: Float64Array, g: Float64Array, offset: number,
): void {
  let d0 = 1, d1 = 1, g0 = 0, g1 = 0;
  let s = 0;
  for (let k = 0; k < order.length; k++) {
    const j = order[k];
    const target = t[j];
    for (; s < target; s++) {
      const a = 1 + beta - rates[s] * m;
      const dn = a * d0 - beta * d1;
      const gn = a * g0 - beta * g1 + rates[s];
      d1 = d0; d0 = dn; g1 = g0; g0 = gn;
    }
    d[offset + j] = d0;
    g[offset + j] = g0;
  }
}

/** Indices of t in ascending order of t (the per-step loops visit each time once). */
export function ascendingOrder(t: ArrayLike<number>): Uint32Array {
  const order = Uint32Array.from({ length: t.length }, (_, i) => i);
  return order.sort((a, b) => t[a] - t[b]);
}

/**
 * Parsing of command-line values into validated numbers. Every failure throws
 * InvalidArgumentError naming the flag, so the CLI can print one line and exit 2.
 */
import { InvalidArgumentError } from '../core/errors.js';
import { checkTimeCount, DEFAULT_LIMITS } from '../core/limits.js';

const INFINITY_WORDS = new Set(['inf', 'infinity', '+inf', 'Infinity', 'INF']);

/** A finite real number ("1e-3", "0.3"); NaN, "inf" and empty strings are rejected. */
export function parseReal(flag: string, text: string): number {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value)) throw new InvalidArgumentError(flag, 'must be a finite number', text);
  return value;
}

/** A size (N, P, M): a positive integer, possibly in exponent form ("1e5"), or "inf". */
export function parseSize(flag: string, text: string): number {
  if (INFINITY_WORDS.has(text.trim())) return Infinity;
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new InvalidArgumentError(flag, 'must be an integer >= 1 or "inf"', text);
  }
  return value;
}

/** A positive integer count (seeds, ensemble size). */
export function parseCount(flag: string, text: string): number {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(flag, 'must be an integer >= 1', text);
  return value;
}

/** A non-negative integer (random seed). */
export function parseSeed(flag: string, text: string): number {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isSafeInteger(value) || value < 0) throw new InvalidArgumentError(flag, 'must be an integer >= 0', text);
  return value;
}

/**
 * A time grid: "start:stop:count" gives `count` log-spaced points from start to
 * stop inclusive (start > 0); otherwise a comma list of times >= 0 ("inf" for
 * the static limit). The result is sorted ascending and free of duplicates.
 * More than `maxTimes` times is refused before the grid is built, naming
 * `raise` (the flag that lifts the limit).
 */
export function parseTimeGrid(flag: string, text: string, maxTimes: number = DEFAULT_LIMITS.maxTimes, raise = '--max-times'): Float64Array {
  const trimmed = text.trim();
  let values: number[];
  if (trimmed.includes(':')) {
    const parts = trimmed.split(':');
    if (parts.length !== 3) throw new InvalidArgumentError(flag, 'must be start:stop:count or a comma list', text);
    const start = parseReal(`${flag} start`, parts[0]);
    const stop = parseReal(`${flag} stop`, parts[1]);
    const count = parseCount(`${flag} count`, parts[2]);
    if (start <= 0) throw new InvalidArgumentError(`${flag} start`, 'must be > 0 for a log-spaced grid', parts[0]);
    if (stop < start) throw new InvalidArgumentError(`${flag} stop`, `must be >= start (${parts[0]})`, parts[1]);
    checkTimeCount(flag, count, maxTimes, raise);
    if (count === 1) {
      values = [start];
    } else {
      // log(stop) - log(start), not log(stop / start): the quotient overflows for 1e-300:1e300.
      const ratio = (Math.log(stop) - Math.log(start)) / (count - 1);
      values = Array.from({ length: count }, (_, i) => (i === count - 1 ? stop : start * Math.exp(ratio * i)));
    }
  } else {
    const parts = trimmed.split(',');
    checkTimeCount(flag, parts.length, maxTimes, raise);
    values = parts.map((part) => {
      // "inf" asks for the static limit t -> infinity (THEORY E16b).
      if (INFINITY_WORDS.has(part.trim())) return Infinity;
      const t = parseReal(flag, part);
      if (t < 0) throw new InvalidArgumentError(flag, 'times must be >= 0', part.trim());
      return t;
    });
  }
  const sorted = [...new Set(values)].sort((x, y) => x - y);
  return Float64Array.from(sorted);
}

/** One of a fixed set of words. */
export function parseChoice<T extends string>(flag: string, text: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(text)) {
    throw new InvalidArgumentError(flag, `must be one of ${choices.join(', ')}`, text);
  }
  return text as T;
}

/**
 * Limits on the size of a request, in one place. A request beyond a limit is
 * refused before any work with a one-line message naming the limit and how to
 * raise it (an option of the call, a flag of the CLI); nothing is capped
 * silently except the worker count, which is capped at the core count and
 * reported.
 */
import { availableParallelism } from 'node:os';
import { InvalidArgumentError } from './errors.js';

/** Default limits; every one can be raised per call. */
export const DEFAULT_LIMITS = Object.freeze({
  /**
   * Times per curve. One time point costs about 0.5 ms of contour work on
   * this project's 2-core reference machine, and every point is a row of
   * output: 1e5 points took 50 s and 9 MB; 10,000 take about 5 s.
   */
  maxTimes: 10_000,
  /** Memory a simulation may claim, in bytes (4 GiB: a sixth of the 24 GiB reference machine). */
  maxSimulationBytes: 4 * 2 ** 30,
  /** Estimated wall time a simulation may take, in seconds. */
  maxSimulationSeconds: 600,
});

/**
 * Largest input file read whole (a data set's features or targets, a
 * spectrum), in bytes: 1 GiB, the memory limit of a data set's features and
 * covariance (src/data/dataset.ts). The CLI raises it with --max-input-size.
 */
export const DEFAULT_MAX_INPUT_BYTES = 2 ** 30;

/** Size limits of a call (see DEFAULT_LIMITS). */
export type Limits = { -readonly [K in keyof typeof DEFAULT_LIMITS]: number };

/** How a caller raises a limit: the API option and the CLI flag. */
export interface LimitNames {
  readonly maxTimes: string;
  readonly maxSimulationBytes: string;
  readonly maxSimulationSeconds: string;
}

/** Names of the API options (`limits: {maxTimes}`) used in messages by default. */
export const API_LIMIT_NAMES: LimitNames = Object.freeze({
  maxTimes: 'limits.maxTimes',
  maxSimulationBytes: 'limits.maxSimulationBytes',
  maxSimulationSeconds: 'limits.maxSimulationSeconds',
});

/**
 * Refuses more than `limit` times.
 * @param argument - the name the user gave the times ('t' in the API, '--t' on the CLI).
 * @param raise - how to raise the limit, quoted in the message.
 */
export function checkTimeCount(argument: string, count: number, limit: number, raise: string): void {
  if (count > limit) {
    throw new InvalidArgumentError(argument, `asks for ${count} times, more than the limit of ${limit} (raise it with ${raise})`, count);
  }
}

/** Worker threads actually used, with a note when the request was capped. */
export interface WorkerChoice {
  /** Threads used: min(requested, cores). */
  readonly used: number;
  readonly requested: number;
  /** Logical cores seen (os.availableParallelism). */
  readonly cores: number;
  /** Human-readable note when requested > cores; undefined otherwise. */
  readonly note?: string;
}

/**
 * Caps a worker request at the core count: more threads than cores only add
 * start-up cost and memory (1000 requested workers started 200 threads, took
 * 50 s and 2.4 GB for what 2 workers did in 3.6 s).
 */
export function capWorkers(requested: number, cores = availableParallelism()): WorkerChoice {
  const used = Math.max(1, Math.min(requested, cores));
  return used < requested
    ? { used, requested, cores, note: `workers: ${requested} requested, ${used} used (the core count)` }
    : { used, requested, cores };
}

/**
 * Refuses work estimated to take longer than `limit` seconds, before it starts.
 * @param argument - the flag or option that asked for the work (e.g. '--seeds').
 * @param raise - how to raise the limit; `lower` - what else the user may lower.
 */
export function checkEstimatedSeconds(argument: string, value: unknown, seconds: number, limit: number, raise: string, lower: string): void {
  if (!(seconds <= limit)) {
    throw new InvalidArgumentError(
      argument,
      `would take ${Number.isFinite(seconds) ? `about ${seconds.toPrecision(2)} s` : 'longer than any double can count'}, more than the limit of ${limit} s (raise it with ${raise}, or lower ${lower})`,
      value,
    );
  }
}

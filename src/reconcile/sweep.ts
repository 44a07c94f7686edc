/**
 * Sweeps of the reconciliation over grids of (a, b) on worker threads.
 * Each case is a pure function of its input, so the results are
 * identical for any number of workers.
 */
import { availableParallelism } from 'node:os';
import { InvalidArgumentError } from '../core/errors.js';
import { runTasks } from '../core/workers.js';
import { reconcileCase, type CaseResult, type LawId } from './reconcile.js';
import type { MeasureSettings } from './measure.js';
import { caseKey, loadCase, saveCase, shardCases, type Shard } from './store.js';

/** One (a, b) case of a sweep. */
export interface SweepCase {
  readonly a: number;
  readonly b: number;
}

/** Settings of reconcileSweep (laws, settings, workers, progress callback). */
export interface SweepOptions {
  readonly laws?: readonly LawId[];
  readonly settings?: MeasureSettings;
  /** Also evaluate what the report's figures draw (default true; see ReconcileOptions.figures). */
  readonly figures?: boolean;
  /** Worker threads; default: all cores. */
  readonly workers?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

/** The input of one worker task (structured-cloneable: no functions). */
export interface CaseTask {
  readonly a: number;
  readonly b: number;
  readonly laws?: readonly LawId[];
  readonly settings?: MeasureSettings;
  readonly figures?: boolean;
  /** Results folder: the task saves its result there as soon as it is computed (store.ts). */
  readonly saveTo?: string;
}

/** Worker entry point (see src/core/workers.ts). */
export function runCaseTask(task: CaseTask): CaseResult {
  const result = reconcileCase({ a: task.a, b: task.b }, { laws: task.laws, settings: task.settings, figures: task.figures });
  if (task.saveTo !== undefined) saveCase(task.saveTo, caseKey(task.a, task.b, task), result);
  return result;
}

/** The paper's synthetic grid (THEORY section 9): a in {1.5, 2}, b in {1, 1.25, 1.5, 2}. */
export const PAPER_GRID: readonly SweepCase[] = [1.5, 2].flatMap((a) => [1, 1.25, 1.5, 2].map((b) => ({ a, b })));

/**
 * The default report: the paper's grid, one case with b < a-1 < 2b,
 * one with a-1 > 2b, and the CIFAR-5M case a = 1.15, b = 2 (THEORY section 9).
 */
export const DEFAULT_CASES: readonly SweepCase[] = [...PAPER_GRID, { a: 3, b: 1.5 }, { a: 5, b: 1.25 }, { a: 1.15, b: 2 }];

/** Reconciles many (a, b) cases on worker threads, deterministically (results in input order). */
export async function reconcileSweep(cases: readonly SweepCase[], options: SweepOptions = {}): Promise<CaseResult[]> {
  if (cases.length === 0) throw new InvalidArgumentError('cases', 'must list at least one (a, b)', cases);
  const workers = options.workers ?? availableParallelism();
  if (!Number.isInteger(workers) || workers < 1) throw new InvalidArgumentError('workers', 'must be an integer >= 1', workers);
  const tasks: CaseTask[] = cases.map(({ a, b }) => ({ a, b, laws: options.laws, settings: options.settings, figures: options.figures }));
  return runTasks<CaseTask, CaseResult>(new URL(import.meta.url).href, 'runCaseTask', tasks, {
    workers,
    onProgress: options.onProgress,
  });
}

export interface StoredSweepOptions extends SweepOptions {
  /** Results folder: finished cases with the same parameters are reused, new ones saved as they finish. */
  readonly store?: string;
  /** Compute only shard i/n of the cases (k mod n = i - 1). */
  readonly shard?: Shard;
}

export interface StoredSweep {
  /** Indices (into `cases`) of the cases this run covers, and their results in that order. */
  readonly indices: number[];
  readonly results: CaseResult[];
  /** How many were read from the folder instead of computed. */
  readonly reused: number;
}

/**
 * A sweep that can be split into shards and resumed: the shard's cases are
 * read from `store` where a result with the same parameters exists, and the
 * others computed (each saved by its task as it finishes). The results are
 * the same numbers as reconcileSweep's, whichever were reused.
 */
export async function reconcileSweepStored(cases: readonly SweepCase[], options: StoredSweepOptions = {}): Promise<StoredSweep> {
  if (cases.length === 0) throw new InvalidArgumentError('cases', 'must list at least one (a, b)', cases);
  const indices = shardCases(cases.length, options.shard);
  const found = indices.map((k) =>
    options.store === undefined ? undefined : loadCase(options.store, caseKey(cases[k].a, cases[k].b, options)),
  );
  const todo = indices.filter((_, n) => found[n] === undefined);
  const reused = indices.length - todo.length;
  const workers = options.workers ?? availableParallelism();
  if (!Number.isInteger(workers) || workers < 1) throw new InvalidArgumentError('workers', 'must be an integer >= 1', workers);
  const tasks: CaseTask[] = todo.map((k) => ({
    a: cases[k].a,
    b: cases[k].b,
    laws: options.laws,
    settings: options.settings,
    figures: options.figures,
    saveTo: options.store,
  }));
  const computed =
    tasks.length === 0
      ? []
      : await runTasks<CaseTask, CaseResult>(new URL(import.meta.url).href, 'runCaseTask', tasks, {
          workers: Math.min(workers, tasks.length),
          onProgress: options.onProgress === undefined ? undefined : (done) => options.onProgress!(reused + done, indices.length),
        });
  let next = 0;
  const results = found.map((result) => result ?? computed[next++]);
  return { indices, results, reused };
}

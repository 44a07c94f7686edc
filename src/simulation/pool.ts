/**
 * Runs seeds in this thread or on worker_threads (src/core/workers.ts). Each
 * seed is a pure function of (setup, seed index) (seed.ts), and results are
 * placed by index, so the output is bit-identical for any worker count and
 * any completion order.
 */
import { runTasks } from '../core/workers.js';
import { runSeed, type SeedOutput, type SeedSetup } from './seed.js';

export interface SeedTask {
  readonly setup: SeedSetup;
  readonly index: number;
}

/** Worker entry point: one seed. */
export function runSeedTask(task: SeedTask): SeedOutput {
  return runSeed(task.setup, task.index);
}

export async function runSeeds(setup: SeedSetup, seeds: number, workers: number): Promise<SeedOutput[]> {
  const tasks: SeedTask[] = Array.from({ length: seeds }, (_, index) => ({ setup, index }));
  return runTasks<SeedTask, SeedOutput>(new URL(import.meta.url).href, 'runSeedTask', tasks, { workers });
}

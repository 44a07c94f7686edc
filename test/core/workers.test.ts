/**
 * The task pool starts at most one thread per core, whatever is asked, and
 * returns results in input order.
 */
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { runTasks } from '../../src/core/workers.js';

const TASK = new URL('./fixtures/thread-task.ts', import.meta.url).href;

describe('runTasks', () => {
  it('1000 requested workers run on at most the core count, results in input order', async () => {
    const inputs = Array.from({ length: 12 }, (_, i) => i);
    const out = await runTasks<number, { input: number; thread: number }>(TASK, 'whichThread', inputs, { workers: 1000 });
    expect(out.map((o) => o.input)).toEqual(inputs);
    const threads = new Set(out.map((o) => o.thread));
    expect(threads.size).toBeLessThanOrEqual(availableParallelism());
    expect(threads.has(0)).toBe(availableParallelism() === 1); // worker threads, not the main thread, when there are cores to use
  });
});

/**
 * A small deterministic task pool on worker_threads: each task is a pure
 * function of its input (a named export of a module), results are placed by
 * index, so the output does not depend on the worker count or on completion
 * order. Used for (a, b) sweeps and simulation seeds. At most one thread per
 * core is started.
 *
 * From TypeScript source (tsx, vitest) each worker first registers tsx's ESM
 * loader in its own thread (loader hooks are per thread in Node 20 and
 * execArgv --import is not honoured by workers); from the build, workers load
 * the compiled module directly.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

export interface TaskPoolOptions {
  /** Worker threads (1 = run in this thread). */
  readonly workers: number;
  /** Called after each finished task with (done, total). */
  readonly onProgress?: (done: number, total: number) => void;
}

type TaskFunction<I, O> = (input: I) => O | Promise<O>;

async function loadTask<I, O>(moduleUrl: string, exportName: string): Promise<TaskFunction<I, O>> {
  const module = (await import(moduleUrl)) as Record<string, unknown>;
  const fn = module[exportName];
  if (typeof fn !== 'function') throw new Error(`${moduleUrl} does not export a function ${exportName}`);
  return fn as TaskFunction<I, O>;
}

function createWorker(moduleUrl: string, exportName: string): Worker {
  const workerUrl = new URL(import.meta.url.endsWith('.ts') ? './taskWorker.ts' : './taskWorker.js', import.meta.url).href;
  const data = { moduleUrl, exportName };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(workerUrl), { workerData: data });
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(workerUrl)}); });`;
  return new Worker(boot, { eval: true, workerData: data });
}

/** Runs `exportName` of `moduleUrl` on every input; results in input order. */
export async function runTasks<I, O>(moduleUrl: string, exportName: string, inputs: readonly I[], options: TaskPoolOptions): Promise<O[]> {
  const total = inputs.length;
  // More threads than cores only add start-up time and memory (callers report the cap, see limits.ts).
  const count = Math.max(1, Math.min(options.workers, total, availableParallelism()));
  if (count === 1) {
    const fn = await loadTask<I, O>(moduleUrl, exportName);
    const out: O[] = [];
    for (let i = 0; i < total; i++) {
      out.push(await fn(inputs[i]));
      options.onProgress?.(i + 1, total);
    }
    return out;
  }
  const results: O[] = new Array<O>(total);
  return new Promise<O[]>((resolve, reject) => {
    let next = 0;
    let done = 0;
    let settled = false;
    const pool: Worker[] = [];
    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      for (const worker of pool) void worker.terminate();
      if (error === undefined) resolve(results);
      else reject(error instanceof Error ? error : new Error(String(error)));
    };
    for (let w = 0; w < count; w++) {
      const worker = createWorker(moduleUrl, exportName);
      pool.push(worker);
      const feed = () => {
        if (next < total) {
          const index = next++;
          worker.postMessage({ index, input: inputs[index] });
        }
      };
      worker.on('message', (message: { index: number; output?: O; error?: string }) => {
        if (message.error !== undefined) {
          finish(new Error(message.error));
          return;
        }
        results[message.index] = message.output as O;
        done++;
        options.onProgress?.(done, total);
        if (done === total) finish();
        else feed();
      });
      worker.on('error', (error) => finish(error));
      worker.on('exit', (code) => {
        if (!settled && code !== 0) finish(new Error(`worker exited with code ${code}`));
      });
      feed();
    }
  });
}

/**
 * Runs seeds in this thread or on worker_threads. Each seed is a pure function
 * of (setup, seed index) (seed.ts), and results are placed by index, so the
 * output is bit-identical for any worker count and any completion order.
 */
import { Worker } from 'node:worker_threads';
import { runSeed, type SeedOutput, type SeedSetup } from './seed.js';

export async function runSeeds(setup: SeedSetup, seeds: number, workers: number): Promise<SeedOutput[]> {
  const count = Math.min(workers, seeds);
  if (count <= 1) {
    const out: SeedOutput[] = [];
    for (let s = 0; s < seeds; s++) out.push(runSeed(setup, s));
    return out;
  }
  return runOnWorkers(setup, seeds, count);
}

/**
 * The worker module sits next to this file: worker.js in the build, loaded
 * directly. When running from TypeScript source (tsx, vitest) the worker
 * first registers tsx's ESM loader in its own thread (loader hooks are per
 * thread in Node 20, and execArgv --import is not honoured by workers), then
 * imports worker.ts.
 */
function createWorker(setup: SeedSetup): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./worker.js', import.meta.url), { workerData: setup });
  }
  const target = JSON.stringify(new URL('./worker.ts', import.meta.url).href);
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${target}); });`;
  return new Worker(boot, { eval: true, workerData: setup });
}

function runOnWorkers(setup: SeedSetup, seeds: number, count: number): Promise<SeedOutput[]> {
  const results: SeedOutput[] = new Array(seeds);
  return new Promise((resolve, reject) => {
    let next = 0;
    let done = 0;
    let failed = false;
    const pool: Worker[] = [];
    const finish = (error?: unknown) => {
      for (const w of pool) void w.terminate();
      if (error !== undefined) reject(error);
      else resolve(results);
    };
    for (let i = 0; i < count; i++) {
      const worker = createWorker(setup);
      pool.push(worker);
      const feed = () => {
        if (next < seeds) worker.postMessage(next++);
      };
      worker.on('message', (out: SeedOutput) => {
        results[out.index] = out;
        done++;
        if (done === seeds) finish();
        else feed();
      });
      worker.on('error', (error) => {
        if (!failed) {
          failed = true;
          finish(error);
        }
      });
      feed();
    }
  });
}

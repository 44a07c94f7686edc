/** Worker thread body for pool.ts: receives seed indices, returns SeedOutputs (buffers transferred). */
import { parentPort, workerData } from 'node:worker_threads';
import { runSeed, type SeedSetup } from './seed.js';

const setup = workerData as SeedSetup;
parentPort?.on('message', (index: number) => {
  const out = runSeed(setup, index);
  parentPort?.postMessage(out, [out.test.buffer, out.train.buffer, out.testA.buffer, out.vbar.buffer] as ArrayBuffer[]);
});

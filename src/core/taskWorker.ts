/** Worker-thread body of workers.ts: imports the task module once, then answers {index, input} messages. */
import { parentPort, workerData } from 'node:worker_threads';

const { moduleUrl, exportName } = workerData as { moduleUrl: string; exportName: string };
const module = (await import(moduleUrl)) as Record<string, (input: unknown) => unknown>;
const task = module[exportName];

parentPort?.on('message', async (message: { index: number; input: unknown }) => {
  try {
    if (typeof task !== 'function') throw new Error(`${moduleUrl} does not export a function ${exportName}`);
    const output = await task(message.input);
    parentPort?.postMessage({ index: message.index, output });
  } catch (error) {
    parentPort?.postMessage({ index: message.index, error: error instanceof Error ? error.message : String(error) });
  }
});

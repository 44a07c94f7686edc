/**
 * One realisation (one seed, one projection A) of today's simulator against
 * the simulator before the speed work (baseline.ts), in one process,
 * interleaved (old, new, old, new ...), CPU time of the main thread, best of
 * k each; then the largest relative difference of their losses and residuals.
 *
 * Rerun: npx tsx scripts/simulation/baseline-speed.ts [--n 1024] [--M 2000] [--repeats 3]
 * (N = P = n, 41 times, 2 sigmas, seed 1; figures in docs/simulation-performance.md).
 */
import { cpus, loadavg } from 'node:os';
import { powerLawSpectrum } from '../../src/spectrum/index.js';
import { prepareSimulation, runSeed } from '../../src/simulation/index.js';
import { largestRelativeDifference, loadBaselineSimulator } from './baseline.js';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const n = flag('--n', 1024);
const M = flag('--M', 2000);
const repeats = flag('--repeats', 3);

const baseline = await loadBaselineSimulator();
if (typeof baseline === 'string') throw new Error(baseline);
const t = [0];
for (let i = 0; i < 40; i++) t.push(10 ** (-1 + (6 * i) / 39));
const spectrum = powerLawSpectrum({ a: 1.5, b: 1, M });
const { setup } = prepareSimulation({ spectrum, N: n, P: n, sigma: [0, 0.3], t, seeds: 1, seed: 1 }, { ensemble: 1, workers: 1 });

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e3;
};
console.log(`node ${process.version}, ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log(`one realisation, M = ${M}, N = P = ${n}, ${t.length} times, 2 sigmas, seed 1; baseline ${baseline.commit.slice(0, 7)}; CPU ms of this thread`);
let oldBest = Infinity;
let newBest = Infinity;
let oldOut: ReturnType<typeof baseline.runSeed> | undefined;
let newOut: ReturnType<typeof runSeed> | undefined;
for (let r = 0; r < repeats; r++) {
  let c0 = cpuMs();
  oldOut = baseline.runSeed(setup, 0);
  const oldMs = cpuMs() - c0;
  c0 = cpuMs();
  newOut = runSeed(setup, 0);
  const newMs = cpuMs() - c0;
  oldBest = Math.min(oldBest, oldMs);
  newBest = Math.min(newBest, newMs);
  console.log(`repeat ${r + 1}: baseline ${oldMs.toFixed(0)} ms, today ${newMs.toFixed(0)} ms, ratio ${(oldMs / newMs).toFixed(2)}`);
}
const difference = largestRelativeDifference(newOut!, oldOut!);
console.log(`best of ${repeats}: baseline ${oldBest.toFixed(0)} ms, today ${newBest.toFixed(0)} ms, ${(oldBest / newBest).toFixed(2)}x faster; largest relative difference ${difference.toExponential(2)}; load average ${loadavg()[0].toFixed(2)}`);

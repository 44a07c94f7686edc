/**
 * Measures how the simulator's time per seed grows with min(N, P) (M = 2000,
 * 2 projections per seed, 41 times, 2 sigmas), for the figures in
 * docs/simulation-performance.md.
 *
 * Rerun: npx tsx scripts/simulation/scaling.ts [--seeds 3] [--full]
 * --full also times the two 50-seed target runs (N = P = 256 and
 * N = 256, P = 512) with 1 and 2 workers.
 */
import { cpus, loadavg } from 'node:os';
import { powerLawSpectrum } from '../../src/spectrum/index.js';
import { simulate } from '../../src/simulation/index.js';

const seeds = Number(process.argv[process.argv.indexOf('--seeds') + 1] || 3);
const full = process.argv.includes('--full');
const t = [0];
for (let i = 0; i < 40; i++) t.push(10 ** (-1 + (6 * i) / 39));
const spectrum = powerLawSpectrum({ a: 1.5, b: 1, M: 2000 });

console.log(`node ${process.version}, ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log('N\tP\tform\tsize\tms/seed');
const sizes: Array<[number, number]> = [];
for (const n of [64, 128, 256, 512]) sizes.push([n, n], [n, 2 * n], [2 * n, n]);
for (const [N, P] of sizes) {
  await simulate({ spectrum, N, P, sigma: [0, 0.3], t, seeds: 1, seed: 1 }); // warm-up (JIT)
  const r = await simulate({ spectrum, N, P, sigma: [0, 0.3], t, seeds, seed: 2 });
  console.log(`${N}\t${P}\t${r.timing.form}\t${r.timing.size}\t${r.timing.msPerSeed.toFixed(0)}`);
}
if (full) {
  for (const [N, P] of [
    [256, 256],
    [256, 512],
  ]) {
    for (const workers of [1, 2]) {
      const r = await simulate({ spectrum, N, P, sigma: [0, 0.3], t, seeds: 50, seed: 3 }, { workers });
      console.log(`50 seeds N=${N} P=${P} workers=${workers}: ${(r.timing.totalMs / 1000).toFixed(1)} s (load ${loadavg()[0].toFixed(2)})`);
    }
  }
}

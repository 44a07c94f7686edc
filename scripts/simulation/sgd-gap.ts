/**
 * How far the trace-term-only SGD recursion (what the Volterra equation of
 * THEORY E28 approximates) sits below the exact expected loss at finite N:
 * the relative gap (exact - trace-only) / exact averaged over draws of A,
 * with its standard error, on a power-law task. Figures in
 * docs/simulation-performance.md.
 *
 * Rerun: npx tsx scripts/simulation/sgd-gap.ts [--seeds 4]
 */
import { makeDynamics } from '../../src/dynamics/index.js';
import { powerLawSpectrum } from '../../src/spectrum/index.js';
import { prepareSimulation, runSeed } from '../../src/simulation/index.js';

const seedsArg = process.argv.indexOf('--seeds');
const seeds = seedsArg > 0 ? Number(process.argv[seedsArg + 1]) : 4;
const spectrum = powerLawSpectrum({ a: 2, b: 1.5, M: 1000 });
const steps = [10, 100, 1000, 10000];
console.log(`a = 2, b = 1.5, M = 1000, sigma = 0, ${seeds} draws of A; relative gap (exact - trace-only) / exact at t = ${steps.join(', ')} steps`);
for (const N of [64, 128, 256]) {
  for (const [lr, batch] of [
    [0.3, 4],
    [0.6, 4],
  ]) {
    const dynamics = makeDynamics({ optimizer: 'sgd', lr, batch });
    const gaps = steps.map(() => [] as number[]);
    for (let index = 0; index < seeds; index++) {
      const run = (sgdMethod: 'exact' | 'trace-only') =>
        runSeed(prepareSimulation({ spectrum, N, P: Infinity, sigma: 0, t: steps, seeds, seed: 3, dynamics }, { ensemble: 1, sgdMethod }).setup, index);
      const exact = run('exact');
      const trace = run('trace-only');
      if (exact.instability !== undefined) throw new Error(`unstable at N = ${N}, eta = ${lr}`);
      steps.forEach((_, j) => gaps[j].push((exact.test[j] - trace.test[j]) / exact.test[j]));
    }
    const cells = gaps.map((g) => {
      const mean = g.reduce((s, x) => s + x, 0) / g.length;
      const se = Math.sqrt(g.reduce((s, x) => s + (x - mean) ** 2, 0) / (g.length - 1) / g.length);
      return `${(100 * mean).toFixed(2)} +- ${(100 * se).toFixed(2)} %`;
    });
    console.log(`N = ${N}, eta = ${lr}, B = ${batch} (eta/B = ${(lr / batch).toFixed(3)}): ${cells.join(' | ')}`);
  }
}

/**
 * Measures the residual-bootstrap cost per replicate of fitSpectrum, for the
 * estimate that refuses `spectrum fit --replicates` beyond --max-seconds
 * (REAL_DATA_COST in src/data/cost.ts). Runs 50 and 1050 replicates,
 * interleaved, on power-law spectra of 500 and 5000 modes, and prints the
 * time per replicate (the difference over 1000 replicates).
 *
 *   npx tsx scripts/cli/replicate-cost.ts
 */
import { fitSpectrum } from '../../src/data/index.js';

for (const M of [500, 5000]) {
  const k = Float64Array.from({ length: M }, (_, i) => i + 1);
  const lambda = k.map((x) => x ** -1.3);
  const c = k.map((x) => x ** -1.6);
  const ms: Record<number, number[]> = { 50: [], 1050: [] };
  for (const R of [50, 1050, 50, 1050]) {
    const started = performance.now();
    fitSpectrum(lambda, c, { residualReplicates: R });
    ms[R].push(performance.now() - started);
  }
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  console.log(`M = ${M}: ${((mean(ms[1050]) - mean(ms[50])) / 1000).toFixed(2)} ms per replicate (50: ${mean(ms[50]).toFixed(0)} ms, 1050: ${mean(ms[1050]).toFixed(0)} ms)`);
}

/**
 * Re-measures, with an independent base seed and more seeds, the cells where
 * the E28b DMFT prototype missed the criterion against the 16-seed
 * simulation (docs/dynamics-validation.md): P = 512, N = 256, B = 4 and 8,
 * eta = 0.5, sigma 0 and 0.3, steps 300 and 1000. Prints the simulator's
 * means and s.e. beside the DMFT values of docs/data/reuse-dmft.json.
 *
 * Rerun: npx tsx scripts/reuse/recheck.ts [seeds]
 */
import { readFileSync } from 'node:fs';
import { makeDynamics } from '../../src/dynamics/index.js';
import { powerLawSpectrum } from '../../src/spectrum/index.js';
import { simulate } from '../../src/simulation/simulate.js';

const seeds = Number(process.argv[2] ?? 96);
const dmft = JSON.parse(readFileSync('docs/data/reuse-dmft.json', 'utf8')) as { rows: Array<Record<string, number>> };
const t = [300, 1000];
for (const batch of [4, 8]) {
  const result = await simulate(
    { spectrum: powerLawSpectrum({ a: 2, b: 1.5, M: 1000 }), N: 256, P: 512, sigma: [0, 0.3], t, seeds, seed: 4052, dynamics: makeDynamics({ optimizer: 'sgd', lr: 0.5, batch }) },
    { ensemble: 1, maxSeconds: Infinity },
  );
  for (const r of result.results) {
    t.forEach((tj, j) => {
      const row = dmft.rows.find((x) => x.P === 512 && x.B === batch && x.sigma === r.sigma && x.t === tj);
      const parts = (['test', 'train'] as const).map((q) => {
        const sim = r[q].mean[j];
        const se = r[q].stderr[j];
        const theory = row?.[q] ?? NaN;
        return `${q} DMFT ${theory.toPrecision(4)} sim ${sim.toPrecision(4)} +- ${se.toPrecision(2)} (${((100 * (theory - sim)) / sim).toFixed(2)} %, z ${((theory - sim) / se).toFixed(2)})`;
      });
      console.log(`P=512 B=${batch} sigma=${r.sigma} t=${tj} seeds=${seeds} seed=4052: ${parts.join(' | ')}`);
    });
  }
}

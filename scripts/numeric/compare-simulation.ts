/**
 * Compares DMFT curves (src/numeric) with the committed simulation fixtures
 * (test/fixtures/simulation/*.json): per case and quantity, the largest
 * |DMFT - MC| in standard errors and in percent, and whether every point is
 * within max(3 s.e., 2% relative). A debugging aid; the tests live in
 * test/numeric and test/reconciliation.
 *
 * Run: npx tsx scripts/numeric/compare-simulation.ts [--no-variance]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { solveCurve } from '../../src/numeric/index.js';
import { powerLawSpectrum } from '../../src/spectrum/index.js';

const dir = new URL('../../test/fixtures/simulation/', import.meta.url);
const varianceTerm = !process.argv.includes('--no-variance');
const parseSize = (x: string | number) => (x === 'inf' ? Infinity : Number(x));
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  const doc = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
  const { a, b, M } = doc.parameters.spectrum;
  const N = parseSize(doc.parameters.N);
  const P = parseSize(doc.parameters.P);
  for (const r of doc.results) {
    const sol = solveCurve(
      { spectrum: powerLawSpectrum({ a, b, M }), N, P, sigma: r.sigma, t: doc.t, ensembleSize: doc.parameters.ensemble },
      { varianceTerm },
    );
    const parts: string[] = [];
    for (const q of ['test', 'train', 'testA', 'bias'] as const) {
      let worstZ = 0;
      let worstPct = 0;
      let fails = 0;
      for (let i = 0; i < doc.t.length; i++) {
        const m = r[q].mean[i];
        const se = r[q].stderr[i];
        if (m === null || se === null) continue;
        const x = q === 'testA' ? sol.testA[i] : q === 'bias' ? sol.bias[i] : sol[q][i];
        const z = Math.abs(x - m) / Math.max(se, 1e-300);
        const pct = (100 * Math.abs(x - m)) / Math.abs(m);
        worstZ = Math.max(worstZ, Math.min(z, 999));
        worstPct = Math.max(worstPct, pct);
        if (!(Math.abs(x - m) <= Math.max(3 * se, 0.02 * Math.abs(m)))) fails++;
      }
      parts.push(`${q} ${worstZ.toFixed(1)}se ${worstPct.toFixed(1)}% fail ${fails}`);
    }
    console.log(`${doc.name.padEnd(20)} sigma ${r.sigma}  ${sol.status.padEnd(10)} ${parts.join(' | ')}`);
  }
}

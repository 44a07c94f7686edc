/**
 * Coverage of the spectrum fit's standard errors (THEORY E31) over seeds, on
 * the synthetic spectra of test/data/fit.test.ts: prints the fraction of
 * seeds with |fit - truth| <= 1 and 2 s.e., and the mean s.e.
 * Run: npx tsx scripts/data/fit-coverage.ts [seeds]
 */
import { fitSpectrum } from '../../src/data/index.js';
import { Xoshiro128 } from '../../src/simulation/index.js';

const seeds = Number(process.argv[2] ?? 200);
for (const [a, b, sorted] of [[1.25, 1.5, false], [2.0, 1.25, false], [1.25, 1.5, true]] as const) {
  let a1 = 0, a2 = 0, b1 = 0, b2 = 0, seA = 0, seB = 0, biasA = 0, biasB = 0;
  for (let s = 0; s < seeds; s++) {
    const rng = new Xoshiro128([s, 4242]);
    const lambda = new Float64Array(500);
    const c = new Float64Array(500);
    for (let k = 1; k <= 500; k++) {
      lambda[k - 1] = k ** -b * Math.exp(0.05 * rng.nextNormal());
      c[k - 1] = k ** -a * Math.exp(0.5 * rng.nextNormal());
    }
    if (sorted) lambda.sort().reverse();
    const f = fitSpectrum(lambda, c, { residualReplicates: 40, seed: s, laws: false });
    const za = Math.abs(f.a.value - a) / f.a.stderr;
    const zb = Math.abs(f.b.value - b) / f.b.stderr;
    a1 += za <= 1 ? 1 : 0; a2 += za <= 2 ? 1 : 0; b1 += zb <= 1 ? 1 : 0; b2 += zb <= 2 ? 1 : 0;
    seA += f.a.stderr; seB += f.b.stderr; biasA += f.a.value - a; biasB += f.b.value - b;
  }
  console.log(`a=${a} b=${b}${sorted ? ' (eigenvalues re-sorted: order-statistic noise)' : ''}: a coverage 1se ${(a1 / seeds).toFixed(3)} 2se ${(a2 / seeds).toFixed(3)} mean se ${(seA / seeds).toFixed(4)} bias ${(biasA / seeds).toFixed(4)}; b coverage 1se ${(b1 / seeds).toFixed(3)} 2se ${(b2 / seeds).toFixed(3)} mean se ${(seB / seeds).toFixed(5)} bias ${(biasB / seeds).toFixed(5)}`);
}

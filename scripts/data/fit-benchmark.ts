/**
 * The spectrum-fit benchmark (THEORY E31; cases in fit-benchmark-cases.ts):
 * per case, over seeds, the share of fits with the true exponent within 2
 * reported standard errors (coverage), the mean reported s.e., the mean
 * |error| and how many fits flag their window choice. Output committed as
 * scripts/data/fit-benchmark.out.txt.
 * Run: npx tsx scripts/data/fit-benchmark.ts [seeds = 10] [scale = 1]
 */
import { fitSpectrum } from '../../src/data/index.js';
import { benchmarkCases } from './fit-benchmark-cases.js';

const seeds = Number(process.argv[2] ?? 10);
const scale = Number(process.argv[3] ?? 1);
const totals = { curved: { hit: 0, all: 0, unfit: 0 }, straight: { hit: 0, all: 0, unfit: 0 } };
console.log(`# spectrum-fit benchmark: ${seeds} seeds per case, scale ${scale}; coverage = truth within 2 reported s.e.`);
console.log('| case | a: coverage | a: mean s.e. | a: mean abs error | b: coverage | b: mean s.e. | b: mean abs error | window flagged | not fitted |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const c of benchmarkCases(scale)) {
  const stats = { a: { hit: 0, se: 0, err: 0, n: 0 }, b: { hit: 0, se: 0, err: 0, n: 0 }, flagged: 0, unfit: 0 };
  for (let s = 0; s < seeds; s++) {
    const { lambda, c: power } = c.make(s);
    const fit = fitSpectrum(lambda, power, { seed: s, laws: false });
    if (fit.notes.some((n) => /window/.test(n))) stats.flagged++;
    for (const [key, truth] of [['a', c.a], ['b', c.b]] as const) {
      const e = fit[key];
      const bucket = c.family === 'straight' ? totals.straight : totals.curved;
      if (e.status !== 'converged') {
        stats.unfit++;
        bucket.unfit++;
        continue;
      }
      bucket.all++;
      const st = stats[key];
      st.n++;
      st.se += e.stderr;
      st.err += Math.abs(e.value - truth);
      if (Math.abs(e.value - truth) <= 2 * e.stderr) {
        st.hit++;
        bucket.hit++;
      }
    }
  }
  const f = (st: { hit: number; se: number; err: number; n: number }) =>
    `${st.hit}/${st.n} | ${(st.se / Math.max(1, st.n)).toFixed(4)} | ${(st.err / Math.max(1, st.n)).toFixed(4)}`;
  console.log(`| ${c.name} | ${f(stats.a)} | ${f(stats.b)} | ${stats.flagged}/${seeds} | ${stats.unfit} |`);
}
const pct = (t: { hit: number; all: number; unfit: number }) => `${t.hit}/${t.all} = ${((100 * t.hit) / Math.max(1, t.all)).toFixed(1)}% (${t.unfit} exponents not fitted, with a status)`;
console.log(`\ncurved spectra: coverage ${pct(totals.curved)}; straight power laws: ${pct(totals.straight)}`);

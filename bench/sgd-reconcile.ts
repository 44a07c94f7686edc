/**
 * SGD reconciliation benchmarks (THEORY E28, E29): the time to measure the
 * one-pass SGD compute-optimal frontier at the three phase cases
 * (SGD_PHASE_CASES, C in [1e4, 1e13], 8 points per decade), and, as the
 * baseline measured in the same process, the reconcile layer's full-table
 * gradient-flow frontier (measure.ts: every width for every compute) against
 * the banded search on gradient flow over the same range. One run each (a
 * frontier takes seconds; the spread between runs is a few per cent).
 * Run alone: `npx tsx bench/sgd-reconcile.ts` (prints the reconciliation
 * table too), or `npm run bench -- sgd-reconcile` once bench/run.ts lists it.
 */
import { MEASURE_DEFAULTS, measureComputeFrontier } from '../src/reconcile/measure.js';
import { measureGradientFlowFrontier, measureSgdComputeFrontier, reconcileSgdCase, SGD_PHASE_CASES, sgdReconciliationTable } from '../src/reconcile/sgd.js';
import { tableToMarkdown } from '../src/reconcile/tables.js';

interface BenchRecord {
  name: string;
  ms: number;
  note?: string;
}

function timed<T>(run: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = run();
  return { value, ms: performance.now() - t0 };
}

export async function benchSgdReconcile(): Promise<BenchRecord[]> {
  const records: BenchRecord[] = [];
  // Warm-up: V8 compiles the solvers' hot loops.
  measureSgdComputeFrontier(5, 1.5, { lr: 0.5, batch: 4 }, { computeC: [1e5, 1e7] });
  for (const c of SGD_PHASE_CASES) {
    const { value: f, ms } = timed(() => measureSgdComputeFrontier(c.a, c.b, { lr: c.lr, batch: c.batch }));
    records.push({
      name: `sgd frontier (a=${c.a}, b=${c.b}), C 1e4-1e13`,
      ms,
      note: `${f.solves} curve solves, ${f.cells} (N, C) cells, ${f.C.length} computes; N* exponent ${f.fits.N.exponent.toFixed(4)} ± ${f.fits.N.stderr.toFixed(4)}; ${f.status}`,
    });
  }
  // Baseline: the full table of measure.ts on gradient flow against the banded search, same range and grid.
  const [a, b] = [5, 1.5];
  const range = { computeC: [1e2, 1e10] as const };
  const table = timed(() => measureComputeFrontier(a, b, { ...MEASURE_DEFAULTS, computeN: [1, 1e7], computeC: range.computeC }));
  records.push({ name: `gf frontier (a=${a}, b=${b}) full table, C 1e2-1e10 (baseline)`, ms: table.ms, note: `measure.ts: ${table.value.curves.length} widths x ${table.value.C.length} computes; N* exponent ${table.value.fits.N.exponent.toFixed(4)}` });
  const banded = timed(() => measureGradientFlowFrontier(a, b, { ...range, nMin: 1, minSteps: 1 }));
  records.push({
    name: `gf frontier (a=${a}, b=${b}) banded search, C 1e2-1e10`,
    ms: banded.ms,
    note: `${banded.value.solves} solves; N* exponent ${banded.value.fits.N.exponent.toFixed(4)}; ${(table.ms / banded.ms).toFixed(1)}x faster than the full table`,
  });
  return records;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await benchSgdReconcile()) console.log(`${r.name.padEnd(62)} ${r.ms.toFixed(1).padStart(9)} ms  ${r.note ?? ''}`);
  const t0 = performance.now();
  const results = SGD_PHASE_CASES.map((c) => reconcileSgdCase(c));
  console.log(`\nreconcileSgdCase x 3 (SGD + banded gradient flow): ${(performance.now() - t0).toFixed(0)} ms\n`);
  console.log(tableToMarkdown(sgdReconciliationTable(results), {}));
}

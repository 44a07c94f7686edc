/**
 * SGD reconciliation benchmarks (THEORY E28, E29): the report's one-pass SGD
 * cases (SGD_PHASE_CASES: the SGD frontier, C in [1e4, 1e13], and the banded
 * gradient-flow frontier beside it, C in [1e3, 1e11]) with the default search
 * against, as the baseline in the same process, the earlier search settings
 * (band +-3, fixed blocks of 6 computes per solve); then the reconcile
 * layer's full-table gradient-flow frontier (measure.ts: every width for
 * every compute) against the banded search over the same range.
 * Times are CPU (process.cpuUsage: the machine is shared), best of two after
 * a warm-up (the numeric solvers' first calls in a process are dominated by
 * V8 compiling them, which no setting here changes).
 * Run alone: `npx tsx bench/sgd-reconcile.ts` (prints the reconciliation
 * table too), or `npm run bench -- sgd-reconcile`.
 */
import { MEASURE_DEFAULTS, measureComputeFrontier } from '../src/reconcile/measure.js';
import {
  measureGradientFlowFrontier,
  measureSgdComputeFrontier,
  reconcileSgdCase,
  SGD_PHASE_CASES,
  sgdReconciliationTable,
  type SgdCaseResult,
  type SgdFrontierSettings,
} from '../src/reconcile/sgd.js';
import { tableToMarkdown } from '../src/reconcile/tables.js';

interface BenchRecord {
  name: string;
  ms: number;
  note?: string;
}

/** CPU milliseconds of run (user + system, all threads of the process), best of `repeats`. */
function cpuTimed<T>(run: () => T, repeats = 1): { value: T; ms: number } {
  let best = Infinity;
  let value: T | undefined;
  for (let r = 0; r < repeats; r++) {
    const start = process.cpuUsage();
    value = run();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return { value: value as T, ms: best };
}

/** The search settings before the predicted blocks (band +-3, a solve per 6 upcoming computes). */
const EARLIER_SEARCH: Partial<SgdFrontierSettings> = Object.freeze({ band: 3, lookahead: 6, blocks: 'fixed' });

function work(results: readonly SgdCaseResult[]): { solves: number; cells: number } {
  let solves = 0;
  let cells = 0;
  for (const r of results) {
    solves += r.sgd.solves;
    cells += r.sgd.cells;
    if (r.gradientFlow?.method === 'banded') {
      solves += r.gradientFlow.frontier.solves;
      cells += r.gradientFlow.frontier.cells;
    }
  }
  return { solves, cells };
}

/** Largest |difference| of the fitted exponents of two runs of the same cases (SGD and gradient-flow rows). */
function largestExponentChange(x: readonly SgdCaseResult[], y: readonly SgdCaseResult[]): number {
  const rows = (rs: readonly SgdCaseResult[]) => rs.flatMap((r) => [...r.rows, ...r.gradientFlowRows]);
  const [rx, ry] = [rows(x), rows(y)];
  let worst = 0;
  rx.forEach((row, k) => {
    if (row.verdict !== ry[k].verdict) worst = Infinity;
    if (row.fitted !== null && ry[k].fitted !== null) worst = Math.max(worst, Math.abs(row.fitted - (ry[k].fitted as number)));
  });
  return worst;
}

export async function benchSgdReconcile(): Promise<BenchRecord[]> {
  const records: BenchRecord[] = [];
  // Warm-up: V8 compiles the solvers' hot loops (about 1.5 s of CPU in a fresh process).
  for (const c of SGD_PHASE_CASES) reconcileSgdCase(c, { settings: { computeC: [1e5, 1e8] }, gradientFlowSettings: { computeC: [1e3, 1e6] } });
  const earlierSettings = { settings: EARLIER_SEARCH, gradientFlowSettings: EARLIER_SEARCH };
  const earlier = cpuTimed(() => SGD_PHASE_CASES.map((c) => reconcileSgdCase(c, earlierSettings)), 2);
  const current = cpuTimed(() => SGD_PHASE_CASES.map((c) => reconcileSgdCase(c)), 2);
  const [we, wc] = [work(earlier.value), work(current.value)];
  records.push({ name: 'sgd section cases x 3, earlier search (baseline)', ms: earlier.ms, note: `${we.solves} curve solves, ${we.cells} (N, C) cells` });
  records.push({
    name: 'sgd section cases x 3, predicted blocks, band +-2',
    ms: current.ms,
    note:
      `${wc.solves} solves, ${wc.cells} cells; ${(earlier.ms / current.ms).toFixed(2)}x less CPU, ${(we.solves / wc.solves).toFixed(2)}x fewer solves; ` +
      `largest exponent change ${largestExponentChange(earlier.value, current.value).toExponential(1)}, verdicts ${largestExponentChange(earlier.value, current.value) < Infinity ? 'unchanged' : 'CHANGED'}`,
  });
  for (const r of current.value) {
    const f = r.sgd;
    records.push({
      name: `  sgd frontier (a=${r.a}, b=${r.b}), C 1e4-1e13`,
      ms: f.elapsedMs,
      note: `wall; ${f.solves} solves, ${f.cells} cells, ${f.C.length} computes; N* exponent ${f.fits.N.exponent.toFixed(4)} ± ${f.fits.N.stderr.toFixed(4)}; ${f.status}`,
    });
  }
  // Baseline: the full table of measure.ts on gradient flow against the banded search, same range and grid.
  const [a, b] = [5, 1.5];
  const range = { computeC: [1e2, 1e10] as const };
  const table = cpuTimed(() => measureComputeFrontier(a, b, { ...MEASURE_DEFAULTS, computeN: [1, 1e7], computeC: range.computeC }));
  records.push({ name: `gf frontier (a=${a}, b=${b}) full table, C 1e2-1e10 (baseline)`, ms: table.ms, note: `measure.ts: ${table.value.curves.length} widths x ${table.value.C.length} computes; N* exponent ${table.value.fits.N.exponent.toFixed(4)}` });
  const banded = cpuTimed(() => measureGradientFlowFrontier(a, b, { ...range, nMin: 1, minSteps: 1 }));
  records.push({
    name: `gf frontier (a=${a}, b=${b}) banded search, C 1e2-1e10`,
    ms: banded.ms,
    note: `${banded.value.solves} solves; N* exponent ${banded.value.fits.N.exponent.toFixed(4)}; ${(table.ms / banded.ms).toFixed(1)}x less CPU than the full table`,
  });
  // The SGD frontier alone, for a rate per solve.
  const one = cpuTimed(() => measureSgdComputeFrontier(5, 1.5, { lr: 0.5, batch: 4 }));
  records.push({ name: 'sgd frontier (a=5, b=1.5) alone', ms: one.ms, note: `${(one.ms / one.value.solves).toFixed(2)} ms per solve` });
  return records;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await benchSgdReconcile()) console.log(`${r.name.padEnd(62)} ${r.ms.toFixed(1).padStart(9)} ms  ${r.note ?? ''}`);
  console.log(`\n${tableToMarkdown(sgdReconciliationTable(SGD_PHASE_CASES.map((c) => reconcileSgdCase(c))), {})}`);
}

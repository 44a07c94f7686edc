/**
 * Reconciliation benchmarks (called by bench/run.ts): one (a, b) as the
 * `reconcile` command runs it (tables only), CPU time, against the exponents
 * recorded before the banded frontier (test/reconcile/fixtures/
 * baseline-exponents.json, written by bench/reconcile-baseline.ts from the
 * code it replaced); the default report's sweep with figures; and a 10 x 10
 * (a, b) grid on 2 workers.
 */
import { readFileSync } from 'node:fs';
import { reconcileSweep, DEFAULT_CASES, type SweepCase } from '../src/reconcile/sweep.js';
import { reconcileCase, type LawId } from '../src/reconcile/reconcile.js';
import { runReportWork } from '../src/reconcile/report-tasks.js';
import { REPORT_PANEL, simulationPanel } from '../src/reconcile/panel.js';
import { renderReport } from '../src/reconcile/report.js';

interface BenchRecord {
  name: string;
  ms: number;
  note?: string;
}

interface Recorded {
  cases: { a: number; b: number }[];
  rows: { a: number; b: number; id: string; fitted: number | null; verdict: string }[];
}

async function timeSweep(cases: readonly SweepCase[], workers: number, figures: boolean, laws?: readonly LawId[]): Promise<{ ms: number; verdicts: Record<string, number> }> {
  const t0 = performance.now();
  const results = await reconcileSweep(cases, { workers, laws, figures });
  const ms = performance.now() - t0;
  const verdicts: Record<string, number> = {};
  for (const row of results.flatMap((r) => r.rows)) verdicts[row.verdict] = (verdicts[row.verdict] ?? 0) + 1;
  return { ms, verdicts };
}

/** a in [1.2, 3.0], b in [1.1, 2.5], 10 values each (b > 1: infinite M is well defined). */
export function benchGrid(): SweepCase[] {
  const as = Array.from({ length: 10 }, (_, i) => Number((1.2 + 0.2 * i).toFixed(2)));
  const bs = Array.from({ length: 10 }, (_, j) => Number((1.1 + (1.4 * j) / 9).toFixed(3)));
  return as.flatMap((a) => bs.map((b) => ({ a, b })));
}

/** Every default case in this thread: CPU seconds per case, largest exponent change and verdict changes against the record. */
function againstBaseline(): BenchRecord {
  const recorded = JSON.parse(readFileSync(new URL('../test/reconcile/fixtures/baseline-exponents.json', import.meta.url), 'utf8')) as Recorded;
  let worst = 0;
  let worstAt = '';
  const changes: string[] = [];
  const cpu: number[] = [];
  const t0 = performance.now();
  // The first DMFT solves of a process run before V8 has optimised the numeric layer's loops: measured apart,
  // on the first case, so that the per-case figures below are those of a warm process (a sweep's every case but its first per worker).
  const coldStart = process.cpuUsage();
  reconcileCase(recorded.cases[0].a, recorded.cases[0].b, { figures: false });
  const coldUsed = process.cpuUsage(coldStart);
  const cold = (coldUsed.user + coldUsed.system) / 1e6;
  for (const { a, b } of recorded.cases) {
    const before = process.cpuUsage();
    const result = reconcileCase(a, b, { figures: false });
    const used = process.cpuUsage(before);
    cpu.push((used.user + used.system) / 1e6);
    for (const row of result.rows) {
      const old = recorded.rows.find((r) => r.a === a && r.b === b && r.id === row.id);
      if (!old) continue;
      // 'boundary' is a disagreement explained by a measured drift: a change of wording, not of the fit.
      const verdict = row.verdict === 'boundary' ? 'disagree' : row.verdict;
      if (old.verdict !== verdict) changes.push(`(${a}, ${b}) ${row.id}: ${old.verdict} -> ${row.verdict}`);
      if (old.fitted !== null && row.fitted !== null && Math.abs(old.fitted - row.fitted) > worst) {
        worst = Math.abs(old.fitted - row.fitted);
        worstAt = `(${a}, ${b}) ${row.id}`;
      } else if ((old.fitted === null) !== (row.fitted === null)) changes.push(`(${a}, ${b}) ${row.id}: fitted ${old.fitted} -> ${row.fitted}`);
    }
  }
  const mean = cpu.reduce((s, v) => s + v, 0) / cpu.length;
  return {
    name: `reconcile one (a, b), tables only: ${recorded.cases.length} default cases in turn`,
    ms: performance.now() - t0,
    note: `CPU per case in a warm process mean ${mean.toFixed(2)} s (max ${Math.max(...cpu).toFixed(2)} s; before: 15.4 s); the same first case in the fresh process ${cold.toFixed(2)} s (JIT warm-up ${(cold - cpu[0]).toFixed(2)} s); per case ${recorded.cases.map((c, k) => `(${c.a}, ${c.b}) ${cpu[k].toFixed(2)}`).join(', ')}; largest exponent change ${worst.toExponential(1)} at ${worstAt} (limit 1e-4); verdict changes: ${changes.length === 0 ? 'none' : changes.join('; ')}`,
  };
}

/** CPU seconds of this process (all threads, workers included) around `run`. */
async function withCpu<T>(run: () => Promise<T>): Promise<{ value: T; cpu: number }> {
  const before = process.cpuUsage();
  const value = await run();
  const used = process.cpuUsage(before);
  return { value, cpu: (used.user + used.system) / 1e6 };
}

/**
 * The default report's work as `report` schedules it: the pool of cases (with
 * their figures) and sections, longest first, beside the 20-seed panel, then
 * the assembly; a timeline of when each part finished.
 */
async function defaultReport(workers: number): Promise<BenchRecord> {
  const t0 = performance.now();
  const at = () => ((performance.now() - t0) / 1000).toFixed(1);
  const timeline: string[] = [];
  const { value: files, cpu } = await withCpu(async () => {
    const work = runReportWork(DEFAULT_CASES, {
      workers,
      sections: ['sgd', 'real-data'],
      onProgress: (done, total) => {
        if (done === total) timeline.push(`cases ${at()} s`);
      },
    }).then((w) => (timeline.push(`pool ${at()} s`), w));
    const panel = simulationPanel({ ...REPORT_PANEL, workers }).then((p) => (timeline.push(`panel ${at()} s`), p));
    const [run, simulation] = await Promise.all([work, panel]);
    const report = await renderReport({ cases: run.results, simulation, parameters: {}, sections: run.sections, prerendered: run.prerendered });
    timeline.push(`assembled ${at()} s`);
    return report.files.size;
  });
  return {
    name: `default report (${DEFAULT_CASES.length} cases with figures, SGD and real-data sections, ${REPORT_PANEL.seeds}-seed panel, figures rendered), ${workers} workers`,
    ms: performance.now() - t0,
    note: `${cpu.toFixed(1)} s CPU; ${files} files; finished: ${timeline.join(', ')} (before: 29.8 s wall, 50.8 s CPU idle, sweep then panel then sections then figures)`,
  };
}

export async function benchReconcile(emit: (record: BenchRecord) => void = () => undefined): Promise<BenchRecord[]> {
  const records: BenchRecord[] = [];
  const add = (record: BenchRecord) => {
    records.push(record);
    emit(record);
  };
  add(againstBaseline());
  add(await defaultReport(2));
  const sample = benchGrid().slice(0, 4);
  const one = await timeSweep(sample, 1, false);
  const two = await timeSweep(sample, 2, false);
  add({ name: '4 grid cases, every law, tables only, 1 worker (baseline)', ms: one.ms, note: `${(one.ms / 4 / 1000).toFixed(2)} s per case` });
  add({ name: '4 grid cases, every law, tables only, 2 workers', ms: two.ms, note: `speed-up ${(one.ms / two.ms).toFixed(2)}x over 1 worker` });
  const report = await withCpu(() => timeSweep(DEFAULT_CASES, 2, true));
  add({ name: `default report sweep (${DEFAULT_CASES.length} cases, every law, with figures' curves), 2 workers`, ms: report.value.ms, note: `${report.cpu.toFixed(1)} s CPU; ${JSON.stringify(report.value.verdicts)}` });
  const grid = await withCpu(() => timeSweep(benchGrid(), 2, false));
  add({ name: '10 x 10 (a, b) grid, every law, tables only, 2 workers', ms: grid.value.ms, note: `${grid.cpu.toFixed(1)} s CPU, ${(grid.value.ms / 100 / 1000).toFixed(2)} s wall per case; ${JSON.stringify(grid.value.verdicts)}` });
  return records;
}

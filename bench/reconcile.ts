/**
 * Reconciliation benchmarks (called by bench/run.ts, issue 4): the default
 * report's sweep (11 cases, every law) on all cores, and a 10 x 10 (a, b)
 * grid on 2 workers, with the 1-worker baseline measured in the same run on
 * the first cases so the parallel speed-up is a ratio, not a guess.
 */
import { reconcileSweep, DEFAULT_CASES, type SweepCase } from '../src/reconcile/sweep.js';
import type { LawId } from '../src/reconcile/reconcile.js';

interface BenchRecord {
  name: string;
  ms: number;
  note?: string;
}

async function timeSweep(cases: readonly SweepCase[], workers: number, laws?: readonly LawId[]): Promise<{ ms: number; verdicts: Record<string, number> }> {
  const t0 = performance.now();
  const results = await reconcileSweep(cases, { workers, laws });
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

export async function benchReconcile(): Promise<BenchRecord[]> {
  const records: BenchRecord[] = [];
  const sample = benchGrid().slice(0, 4);
  const one = await timeSweep(sample, 1);
  const two = await timeSweep(sample, 2);
  records.push({ name: '4 grid cases, every law, 1 worker (baseline)', ms: one.ms, note: `${(one.ms / 4 / 1000).toFixed(1)} s per case` });
  records.push({ name: '4 grid cases, every law, 2 workers', ms: two.ms, note: `speed-up ${(one.ms / two.ms).toFixed(2)}x over 1 worker` });
  const report = await timeSweep(DEFAULT_CASES, 2);
  records.push({ name: `default report sweep (${DEFAULT_CASES.length} cases, every law), 2 workers`, ms: report.ms, note: JSON.stringify(report.verdicts) });
  const grid = await timeSweep(benchGrid(), 2);
  records.push({ name: '10 x 10 (a, b) grid, every law, 2 workers', ms: grid.ms, note: `${(grid.ms / 100 / 1000).toFixed(2)} s per case; ${JSON.stringify(grid.verdicts)}` });
  return records;
}

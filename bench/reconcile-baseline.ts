/**
 * Records every fitted exponent and verdict of the default report's sweep
 * (`npx tsx bench/reconcile-baseline.ts OUT.json [a:b,...]`), so a faster
 * reconciliation can be checked against the exponents of the code it
 * replaces (test/reconcile/baseline.test.ts reads the committed file).
 */
import { writeFileSync } from 'node:fs';
import { reconcileSweep, DEFAULT_CASES, type SweepCase } from '../src/reconcile/sweep.js';

const out = process.argv[2] ?? 'baseline.json';
const cases: SweepCase[] = process.argv[3]
  ? process.argv[3].split(',').map((pair) => {
      const [a, b] = pair.split(':').map(Number);
      return { a, b };
    })
  : [...DEFAULT_CASES];
const started = performance.now();
const cpu0 = process.cpuUsage();
const results = await reconcileSweep(cases, { workers: 1 });
const cpu = process.cpuUsage(cpu0);
const rows = results.flatMap((r) =>
  r.rows.map((row) => ({ a: row.a, b: row.b, id: row.id, fitted: row.fitted, stderr: row.stderr, closedForm: row.closedForm, verdict: row.verdict, window: row.window })),
);
writeFileSync(out, `${JSON.stringify({ cases, rows, elapsedMs: results.map((r) => r.elapsedMs) }, null, 1)}\n`);
console.log(`wall ${((performance.now() - started) / 1000).toFixed(1)} s, main-thread cpu ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s; per case ${results.map((r) => (r.elapsedMs / 1000).toFixed(1)).join(' ')}`);

/**
 * Compares the reconciliation against recorded exponents
 * (`npx tsx bench/reconcile-compare.ts [baseline.json] [figures]`): the largest
 * exponent difference, verdict changes, and CPU time per case, one case at a
 * time in this process.
 */
import { readFileSync } from 'node:fs';
import { reconcileCase } from '../src/reconcile/reconcile.js';

interface Recorded {
  cases: { a: number; b: number }[];
  rows: { a: number; b: number; id: string; fitted: number | null; verdict: string }[];
}
const path = process.argv[2] ?? 'test/reconcile/fixtures/baseline-exponents.json';
const figures = process.argv[3] === 'figures';
const recorded = JSON.parse(readFileSync(path, 'utf8')) as Recorded;
let worst = 0;
let worstAt = '';
const changes: string[] = [];
let cpuTotal = 0;
for (const { a, b } of recorded.cases) {
  const cpu0 = process.cpuUsage();
  const result = reconcileCase(a, b, { figures });
  const cpu = process.cpuUsage(cpu0);
  const seconds = (cpu.user + cpu.system) / 1e6;
  cpuTotal += seconds;
  const frontier = result.measurements.compute?.evaluations;
  for (const row of result.rows) {
    const old = recorded.rows.find((r) => r.a === a && r.b === b && r.id === row.id);
    if (!old) continue;
    if (old.verdict !== row.verdict) changes.push(`(${a}, ${b}) ${row.id}: ${old.verdict} -> ${row.verdict} (${old.fitted} -> ${row.fitted})`);
    if (old.fitted !== null && row.fitted !== null) {
      const d = Math.abs(old.fitted - row.fitted);
      if (d > worst) {
        worst = d;
        worstAt = `(${a}, ${b}) ${row.id}`;
      }
    } else if (old.fitted !== row.fitted) changes.push(`(${a}, ${b}) ${row.id}: fitted ${old.fitted} -> ${row.fitted}`);
  }
  console.log(`(${a}, ${b}): ${seconds.toFixed(2)} s CPU${frontier ? `; frontier ${frontier.solves} solves, ${frontier.points} of ${frontier.gridPoints} points` : ''}`);
}
console.log(`total ${cpuTotal.toFixed(1)} s CPU; largest exponent change ${worst.toExponential(2)} at ${worstAt}; verdict changes: ${changes.length === 0 ? 'none' : changes.join('; ')}`);

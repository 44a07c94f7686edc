/**
 * The report's pool (report-tasks.ts): cases and sections run as one set of
 * worker tasks, longest first, and each case's figures are drawn in its task.
 * The report must not depend on that: the figures drawn by the workers are
 * the bytes renderReport draws from the same results, and the results come
 * back in input order, equal to the plain sweep's.
 */
import { describe, expect, it } from 'vitest';
import { runReportWork } from '../../src/reconcile/report-tasks.js';
import { renderReport } from '../../src/reconcile/report.js';
import { reconcileSweep } from '../../src/reconcile/sweep.js';
import type { LawId } from '../../src/reconcile/reconcile.js';

// One cheap law with figures (the gap's curves): the mechanics, not the physics, are under test.
const CASES = [
  { a: 2, b: 1.5 },
  { a: 1.5, b: 1.25 },
];
const LAWS: LawId[] = ['gap_static'];

describe('report pool', () => {
  it('figures drawn in the worker tasks are the bytes renderReport draws; results in input order, equal to the sweep', async () => {
    const work = await runReportWork(CASES, { laws: LAWS, workers: 2 });
    expect(work.results.map((r) => [r.a, r.b])).toEqual(CASES.map((c) => [c.a, c.b]));
    expect(work.reused).toBe(0);
    expect(work.prerendered.size).toBeGreaterThan(0);
    const parameters = { laws: LAWS };
    const pooled = await renderReport({ cases: work.results, parameters, prerendered: work.prerendered });
    const drawnHere = await renderReport({ cases: work.results, parameters });
    expect([...pooled.files.keys()].sort()).toEqual([...drawnHere.files.keys()].sort());
    for (const id of work.prerendered.keys()) expect(pooled.files.get(`figures/${id}.svg`)).toBe(drawnHere.files.get(`figures/${id}.svg`));
    for (const [path, text] of drawnHere.files) expect(pooled.files.get(path), path).toBe(text);
    const sweep = await reconcileSweep(CASES, { laws: LAWS, workers: 1, figures: true });
    expect(work.results.map((r) => r.rows)).toEqual(sweep.map((r) => r.rows));
  }, 120_000);
});

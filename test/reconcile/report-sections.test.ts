/**
 * The report's further sections and the SGD reconciliation through the CLI:
 * `report --sections sgd` adds the one-pass SGD table, the frontiers and the
 * phase diagram, and a shard run merged gives the same bytes; `reconcile
 * --optimizer sgd` reconciles the compute-optimal exponents (THEORY E29) in
 * phase III with N* ~ C^1/2; gd and momentum are refused there, naming the flag.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';
import { scratchDir } from '../scratch.js';


describe('report sections and SGD reconciliation from the CLI', () => {
  it('report --sections sgd: SGD table, frontiers and phase diagram; shard + merge gives the same bytes', async () => {
    const root = scratchDir('sections-');
    const common = ['--a', '1.5', '--b', '1.25', '--laws', 'time', '--seeds', '0', '--sections', 'sgd', '--workers', '1'];
    expect((await cli('report', ...common, '--out', join(root, 'single'))).code).toBe(0);
    const md = readFileSync(join(root, 'single', 'report.md'), 'utf8');
    expect(md).toContain('## One-pass SGD: compute-optimal exponents by phase');
    const figures = readdirSync(join(root, 'single', 'figures'));
    expect(figures).toContain('phase_diagram_compute_optimal_N.svg');
    expect(figures.filter((f) => f.startsWith('sgd_compute_optimal_frontier_') && f.endsWith('.svg'))).toHaveLength(3);
    expect((await cli('report', ...common, '--shard', '1/1', '--out', join(root, 's1'))).code).toBe(0);
    expect((await cli('merge', '--out', join(root, 'merged'), join(root, 's1'))).code).toBe(0);
    expect(readFileSync(join(root, 'merged', 'report.md'), 'utf8')).toBe(md);
  }, 120_000);

  it('reconcile --optimizer sgd in phase III: N* ~ C^1/2 agrees, gradient flow would be 0.7', async () => {
    const result = await cli('reconcile', '--optimizer', 'sgd', '--lr', '0.5', '--batch', '4', '--a', '5', '--b', '1.5', '--format', 'json');
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout).rows as { id: string; closedForm: number; fitted: number; verdict: string }[];
    const nStar = rows.find((r) => r.id === 'compute_optimal_N' && Math.abs(r.closedForm - 0.5) < 1e-12);
    expect(nStar?.verdict).toBe('agree');
    expect(Math.abs(nStar!.fitted - 0.5)).toBeLessThan(0.02);
    expect(Math.abs(nStar!.fitted - 0.7)).toBeGreaterThan(0.1);
  }, 120_000);

  it.each([
    [['reconcile', '--optimizer', 'gd', '--lr', '0.1', '--a', '2', '--b', '1.5', '--laws', 'time'], '--laws'],
    [['reconcile', '--optimizer', 'momentum', '--lr', '0.1', '--ridge', '1e-3'], '--ridge'],
    [['reconcile', '--ridge', '1e-3', '--shard', '1/2', '--out', join(tmpdir(), 'never-written')], '--shard'],
    [['reconcile', '--optimizer', 'sgd', '--lr', '0.5', '--laws', 'time'], '--laws'],
    [['report', '--optimizer', 'momentum', '--lr', '0.1', '--a', '2', '--b', '1.5', '--out', join(tmpdir(), 'never-written')], '--optimizer'],
    [['report', '--a', '2', '--b', '1.5', '--sections', 'sgd,x', '--out', join(tmpdir(), 'never-written')], '--sections'],
  ])('%j is one line naming %s, exit 2', async (argv, flag) => {
    const result = await cli(...argv);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(flag);
  });
});

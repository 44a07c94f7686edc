/**
 * Sweeps as independent tasks: `report --shard i/n` shards joined by `merge`
 * give the same bytes as one `report`; a rerun into the same folder reuses
 * finished cases, and never one computed with other parameters.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { caseFileName, decodeExact, encodeExact, parseShard, shardCases } from '../../src/reconcile/store.js';
import { REPORT_PANEL } from '../../src/reconcile/panel.js';
import { renderReport, REPORT_FILE_LIST, writeReport } from '../../src/reconcile/report.js';
import { reconcileSweep } from '../../src/reconcile/sweep.js';
import { cli } from '../cli/helpers.js';
import { scratchDir } from '../scratch.js';


/** Every report file (not the stored cases) as relative path -> bytes. */
function reportFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (path: string) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      if (statSync(full).isDirectory()) walk(full);
      else files.set(relative(dir, full), readFileSync(full, 'latin1'));
    }
  };
  walk(dir);
  for (const key of [...files.keys()]) if (key.startsWith('cases/') || key === 'manifest.json' || key === 'simulation.json') files.delete(key);
  return files;
}

// Cheap laws (a static limit, one time curve, the gap with its figure) on three cases: the mechanics, not the physics, are under test.
const GRID = '1.5:1.25,2:1.5,3:1.5';
const LAWS = 'time,width,gap_static';

let root: string;
beforeEach(() => {
  root = scratchDir('scaling-dmft-shards-');
});
afterEach(() => vi.restoreAllMocks());

describe('shards, merge and resume', () => {
  it('report --shard 1/2 and 2/2 joined by merge: byte-identical to one report run', async () => {
    const single = join(root, 'single');
    const common = ['--grid', '1.5:1.25,2:1.5', '--laws', LAWS, '--seeds', '0', '--workers', '1'];
    expect((await cli('report', ...common, '--out', single)).code).toBe(0);
    const s1 = await cli('report', ...common, '--shard', '1/2', '--out', join(root, 's1'));
    const s2 = await cli('report', ...common, '--shard', '2/2', '--out', join(root, 's2'));
    expect(s1.code).toBe(0);
    expect(s2.code).toBe(0);
    expect(s1.stdout).toMatch(/shard 1\/2: 1 case\(s\), 0 reused/);
    // Shard 1 holds case 0, shard 2 case 1.
    expect(readdirSync(join(root, 's1', 'cases'))).toEqual([caseFileName(1.5, 1.25)]);
    expect(readdirSync(join(root, 's2', 'cases'))).toEqual([caseFileName(2, 1.5)]);
    const merged = join(root, 'merged');
    const m = await cli('merge', '--out', merged, join(root, 's2'), join(root, 's1'));
    expect(m.code, m.stderr).toBe(0);
    const a = reportFiles(single);
    const b = reportFiles(merged);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    expect(a.size).toBeGreaterThan(4);
    for (const [path, bytes] of a) expect(b.get(path), path).toBe(bytes);
  });

  it('merge refuses a missing shard, a shard twice, and shards of another sweep, naming the folder', async () => {
    const common = ['--laws', 'width', '--seeds', '0', '--workers', '1'];
    await cli('report', '--grid', GRID, ...common, '--shard', '1/2', '--out', join(root, 's1'));
    await cli('report', '--grid', '1.5:1.25,2:1.5', ...common, '--shard', '2/2', '--out', join(root, 'other'));
    const missing = await cli('merge', '--out', join(root, 'm'), join(root, 's1'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing shard\(s\) 2\/2/);
    const twice = await cli('merge', '--out', join(root, 'm'), join(root, 's1'), join(root, 's1'));
    expect(twice.stderr).toMatch(/shard 1\/2 given twice/);
    const other = await cli('merge', '--out', join(root, 'm'), join(root, 's1'), join(root, 'other'));
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/is a shard of another sweep/);
    expect(existsSync(join(root, 'm'))).toBe(false);
  });

  it('a rerun reuses finished cases; a case stored with other parameters is recomputed, not reused', async () => {
    const dir = join(root, 'r');
    const common = ['--grid', GRID, '--seeds', '0', '--workers', '1', '--out', dir];
    expect((await cli('report', ...common, '--laws', 'width')).stdout).toMatch(/0 of 3 cases reused/);
    const before = readFileSync(join(dir, 'reconciliation.csv'), 'utf8');
    expect((await cli('report', ...common, '--laws', 'width')).stdout).toMatch(/3 of 3 cases reused/);
    expect(readFileSync(join(dir, 'reconciliation.csv'), 'utf8')).toBe(before);
    // Other laws: every stored case is stale.
    const rerun = await cli('report', ...common, '--laws', 'width,data');
    expect(rerun.stdout).toMatch(/0 of 3 cases reused/);
    expect(readFileSync(join(dir, 'reconciliation.csv'), 'utf8')).toMatch(/,data,/);
    // A tampered parameter in one stored file (as if written by other settings): that case alone is recomputed.
    const path = join(dir, 'cases', caseFileName(2, 1.5));
    const stored = decodeExact<{ key: { settings: { pointsPerDecade: number } } }>(readFileSync(path, 'utf8'));
    stored.key.settings.pointsPerDecade = 5;
    writeFileSync(path, encodeExact(stored));
    expect((await cli('report', ...common, '--laws', 'width,data')).stdout).toMatch(/2 of 3 cases reused/);
    // A figure an earlier report wrote (listed in report-files.json) and this one does not is stale and goes;
    // the user's own files stay, in figures/ too.
    mkdirSync(join(dir, 'figures'), { recursive: true });
    writeFileSync(join(dir, 'figures', 'a9_b9_old_figure.svg'), '<svg/>');
    const listed = JSON.parse(readFileSync(join(dir, REPORT_FILE_LIST), 'utf8')) as string[];
    writeFileSync(join(dir, REPORT_FILE_LIST), JSON.stringify([...listed, 'figures/a9_b9_old_figure.svg']));
    writeFileSync(join(dir, 'figures', 'my_own_figure.svg'), '<svg/>');
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    await cli('report', ...common, '--laws', 'width,data');
    expect(existsSync(join(dir, 'figures', 'a9_b9_old_figure.svg'))).toBe(false);
    expect(readFileSync(join(dir, 'figures', 'my_own_figure.svg'), 'utf8')).toBe('<svg/>');
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
    // A truncated file (a crash while writing) is recomputed too.
    writeFileSync(path, '{"key":');
    expect((await cli('report', ...common, '--laws', 'width,data')).stdout).toMatch(/2 of 3 cases reused/);
  });

  it('reconcile --shard writes case files; merge joins them into the same table as one reconcile run', async () => {
    const common = ['--grid', GRID, '--laws', 'width', '--workers', '1', '--format', 'csv'];
    const single = await cli('reconcile', ...common);
    await cli('reconcile', ...common, '--shard', '1/3', '--out', join(root, 'a'));
    await cli('reconcile', ...common, '--shard', '2/3', '--out', join(root, 'b'));
    await cli('reconcile', ...common, '--shard', '3/3', '--out', join(root, 'c'));
    const merged = await cli('merge', '--format', 'csv', '--out', join(root, 'table.csv'), join(root, 'a'), join(root, 'b'), join(root, 'c'));
    expect(merged.code, merged.stderr).toBe(0);
    expect(readFileSync(join(root, 'table.csv'), 'utf8')).toBe(single.stdout);
  });

  it('a script over the API writes the same report as the command (the panel and the sweep are API calls)', async () => {
    const byCli = join(root, 'cli');
    expect((await cli('report', '--grid', '1.5:1.25', '--laws', 'time,width', '--seeds', '0', '--workers', '1', '--out', byCli)).code).toBe(0);
    const byApi = join(root, 'api');
    const cases = await reconcileSweep([{ a: 1.5, b: 1.25 }], { laws: ['time', 'width'], workers: 1 });
    writeReport(byApi, await renderReport({ cases, parameters: { laws: ['time', 'width'] } }));
    const a = reportFiles(byCli);
    const b = reportFiles(byApi);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [path, bytes] of a) expect(b.get(path), path).toBe(bytes);
    // The panel's defaults are the report's: 20 seeds from seed 1 on the demo problem.
    expect(REPORT_PANEL).toMatchObject({ a: 1.5, b: 1.25, M: 2000, N: 256, P: 1024, sigma: 0, seeds: 20, seed: 1 });
    expect(REPORT_PANEL.t).toHaveLength(16);
  });

  it('--shard errors name the flag and the value', async () => {
    for (const bad of ['0/2', '3/2', '1', 'a/b', '1/0']) {
      const result = await cli('report', '--laws', 'width', '--shard', bad, '--out', join(root, 'x'));
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`--shard must be i/n with 1 <= i <= n (e.g. 2/8), got "${bad}"`);
    }
    expect(() => parseShard('--shard', '2/8')).not.toThrow();
    // Every case in exactly one shard.
    const all = [1, 2, 3, 4].flatMap((i) => shardCases(10, { index: i, count: 4 })).sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 10 }, (_, k) => k));
  });
});

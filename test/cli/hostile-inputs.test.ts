/**
 * Hostile inputs to every command: output targets checked once before any
 * work by every command that writes, input files that are streams or too
 * large, requests whose estimated cost is beyond the limit, inputs that cannot
 * give a finite curve, one Monte Carlo seed, and the smaller output defects
 * (report reruns, Markdown that was JSON, a corrupt shard manifest, per-case
 * LaTeX statuses, curve output that changed between runs). Each test fails
 * with its safeguard removed (docs/hostile-inputs.md lists them).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readInputFile } from '../../src/core/files.js';
import { makeDynamics } from '../../src/dynamics/index.js';
import { solveCurve } from '../../src/numeric/index.js';
import { REPORT_FILE_LIST } from '../../src/reconcile/report.js';
import { tableToLatex } from '../../src/reconcile/tables.js';
import type { ReconciliationTable } from '../../src/reconcile/types.js';
import { writeManifest, STORE_FORMAT } from '../../src/reconcile/store.js';
import { computeDemo, formatDemo } from '../../src/reconcile/curve-report.js';
import { powerLawSpectrum } from '../../src/spectrum/index.js';
import { scratchDir } from '../scratch.js';
import { cli, isOneLineError } from './helpers.js';

let dir: string;
let cache: string;
let previousCache: string | undefined;
beforeAll(() => {
  // Every population the CLI builds goes to a cache folder of this file: an empty one after a refusal shows no work was done.
  previousCache = process.env.SCALING_DMFT_CACHE;
});
afterAll(() => {
  if (previousCache === undefined) delete process.env.SCALING_DMFT_CACHE;
  else process.env.SCALING_DMFT_CACHE = previousCache;
});
beforeEach(() => {
  dir = scratchDir('scaling-dmft-hostile-');
  cache = scratchDir('scaling-dmft-hostile-cache-');
  process.env.SCALING_DMFT_CACHE = cache;
});

/** A small data set: 40 samples of 5 features and a target column (CSV). */
function dataFile(): string {
  const path = join(dir, 'data.csv');
  const rows: string[] = [];
  for (let i = 0; i < 40; i++) {
    const x = Array.from({ length: 5 }, (_, j) => Math.sin(1.3 * i + 2.1 * j * j + j).toFixed(6));
    rows.push([...x, (Number(x[0]) - 0.5 * Number(x[3])).toFixed(6)].join(','));
  }
  writeFileSync(path, `${rows.join('\n')}\n`);
  return path;
}

async function refusedAtOnce(argv: string[], message: RegExp, boundMs = 5000): Promise<void> {
  const result = await cli(...argv);
  expect(result.code, `${JSON.stringify(argv)}: ${result.stderr}`).toBe(2);
  expect(isOneLineError(result.stderr), result.stderr).toBe(true);
  expect(result.stderr).toMatch(message);
  expect(result.stdout).toBe('');
  expect(result.ms, `${JSON.stringify(argv)} took ${result.ms} ms`).toBeLessThan(boundMs);
}

/** Shard folders with a manifest only: enough for merge to know its output kind (report: folder, reconcile: file). */
function shardFolder(command: 'report' | 'reconcile'): string {
  const folder = join(scratchDir('scaling-dmft-hostile-shard-'), 's');
  writeManifest(folder, { format: STORE_FORMAT, tool: 'scaling-dmft', command, cases: [{ a: 1.5, b: 1.25 }], laws: ['width'], figures: command === 'report', seeds: 0, shard: { index: 1, count: 1 } });
  return folder;
}

describe('every command that writes checks its --out once, before any work', () => {
  // Valid requests that would take seconds or more (the experiment, the sweeps) or write a population cache.
  const writers: Array<[string, () => string[]]> = [
    ['curve', () => ['curve', '--a', '1.5', '--b', '1.25', '--N', '64', '--P', '64', '--t', '1,10']],
    ['curve --data', () => ['curve', '--data', dataFile(), '--N', '8', '--P', '16', '--t', '1,10']],
    ['exponents', () => ['exponents', '--a', '1.5', '--b', '1.25']],
    ['reconcile', () => ['reconcile', '--a', '1.5', '--b', '1.25', '--laws', 'width', '--workers', '1']],
    ['reconcile --shard', () => ['reconcile', '--a', '1.5', '--b', '1.25', '--laws', 'width', '--workers', '1', '--shard', '1/2']],
    ['report', () => ['report', '--a', '1.5', '--b', '1.25', '--laws', 'width', '--seeds', '0', '--workers', '1']],
    ['spectrum fit', () => ['spectrum', 'fit', '--data', dataFile()]],
    ['experiment', () => ['experiment', '--data', dataFile(), '--N', '8', '--P', '16', '--seeds', '2']],
    ['merge (report shards)', () => ['merge', shardFolder('report')]],
    ['merge (reconcile shards)', () => ['merge', shardFolder('reconcile')]],
  ];
  const targets: Array<[string, () => string, RegExp]> = [
    ['under /proc', () => '/proc/rep', /--out must not be under \/proc/],
    ['under /sys', () => '/sys/x', /--out must not be under \/sys/],
    ['an empty path', () => '', /--out must be a (file|folder) path, got ""/],
    ['below a file', () => join(dir, 'plain', 'x'), /--out (must be in a folder|cannot be created)/],
  ];
  it.each(writers.flatMap(([name, argv]) => targets.map(([label, target, message]) => [name, label, argv, target, message] as const)))(
    '%s --out %s: exit 2 at once, one line, nothing written, no population built',
    async (_name, _label, argv, target, message) => {
      writeFileSync(join(dir, 'plain'), 'a file');
      const request = argv();
      const before = readdirSync(dir).sort();
      await refusedAtOnce([...request, '--out', target()], message);
      expect(readdirSync(dir).sort()).toEqual(before);
      expect(readdirSync(cache)).toEqual([]);
    },
  );

  it('report --out into a folder that exists as a file, and a folder report into an unwritable place, never start', async () => {
    writeFileSync(join(dir, 'plain'), 'a file');
    await refusedAtOnce(['report', '--a', '1.5', '--b', '1.25', '--seeds', '0', '--out', join(dir, 'plain')], /--out is a file; give a folder path/);
    await refusedAtOnce(['curve', '--a', '1.5', '--b', '1.25', '--N', '64', '--P', '64', '--t', '1', '--out', dir], /--out is a folder; give a file path/);
  });
});

describe('input files: only regular files, within --max-input-size', () => {
  it.each([
    ['--data /dev/zero', () => ['curve', '--data', '/dev/zero', '--N', '8', '--P', '8', '--t', '1'], /--data must be a regular file \(this is a device/],
    ['--spectrum /dev/zero', () => ['curve', '--spectrum', '/dev/zero', '--N', '8', '--P', '8', '--t', '1'], /--spectrum must be a regular file \(this is a device/],
    ['--targets /dev/zero', () => ['spectrum', 'fit', '--data', dataFile(), '--targets', '/dev/zero'], /--targets must be a regular file/],
    ['experiment --data /dev/urandom', () => ['experiment', '--data', '/dev/urandom', '--N', '8', '--P', '8'], /--data must be a regular file/],
    ['a folder as --spectrum', () => ['spectrum', 'fit', '--spectrum', dir], /--spectrum must be a regular file \(this is a folder\)/],
  ])('%s: exit 2 at once, no memory growth', async (_label, argv, message) => {
    await refusedAtOnce(argv(), message);
  });

  it('a named pipe without a writer is refused at once (opening it does not wait for a writer)', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    await refusedAtOnce(['spectrum', 'fit', '--spectrum', fifo], /--spectrum must be a regular file \(this is a pipe/);
  });

  it('a file above --max-input-size is refused naming the limit and the flag; below it, it is read', async () => {
    const data = dataFile();
    await refusedAtOnce(['spectrum', 'fit', '--data', data, '--max-input-size', '0.001'], /--data file is .* MiB, above the limit of 0.00100 MiB for input files \(raise it with --max-input-size \(MiB\)\)/);
    const spectrum = join(dir, 'k.csv');
    writeFileSync(spectrum, Array.from({ length: 200 }, (_, k) => `${(k + 1) ** -1.3},${(k + 1) ** -1.6}`).join('\n'));
    await refusedAtOnce(['curve', '--spectrum', spectrum, '--N', '8', '--P', '8', '--t', '1', '--max-input-size', '0.001'], /--spectrum file is .* above the limit/);
    const fine = await cli('spectrum', 'fit', '--spectrum', spectrum, '--max-input-size', '1', '--replicates', '20');
    expect(fine.code, fine.stderr).toBe(0);
  });

  it('readInputFile (the API read step) refuses /dev/zero and reads a /proc file only to its reported size', () => {
    expect(() => readInputFile('--data', '/dev/zero')).toThrow(/must be a regular file/);
    expect(readInputFile('spectrum', '/proc/self/status').length).toBe(0);
  });
});

describe('requests beyond the time limit are estimated and refused before any work', () => {
  it.each([
    ['experiment --seeds 1e308', () => ['experiment', '--dataset', 'mnist', '--N', '8', '--P', '16', '--seeds', '1e308'], /--seeds would take .* more than the limit of 600 s \(raise it with --max-seconds/],
    ['experiment --seeds 1e6 (mnist, d = 784)', () => ['experiment', '--dataset', 'mnist', '--N', '8', '--P', '16', '--seeds', '1e6'], /--seeds would take about .* s, more than the limit of 600 s/],
    ['spectrum fit --replicates 1e9', () => ['spectrum', 'fit', '--dataset', 'mnist', '--replicates', '1e9'], /--replicates would take about .* more than the limit of 600 s/],
    ['spectrum fit --bootstrap 1e9', () => ['spectrum', 'fit', '--dataset', 'mnist', '--bootstrap', '1e9'], /--bootstrap would take about .* more than the limit of 600 s/],
    ['spectrum fit --bootstrap 1e9 on a small file', () => ['spectrum', 'fit', '--data', dataFile(), '--bootstrap', '1e9'], /--bootstrap would take about/],
    ['--max-seconds lowers the limit', () => ['experiment', '--data', dataFile(), '--N', '8', '--P', '16', '--seeds', '100', '--max-seconds', '1e-9'], /--seeds would take about .* more than the limit of 1e-9 s/],
  ])('%s', async (_label, argv, message) => {
    await refusedAtOnce(argv(), message);
    expect(readdirSync(cache)).toEqual([]);
  });
});

describe('inputs that cannot give a finite curve are refused up front; a non-finite value is never converged', () => {
  const base = ['curve', '--a', '1.5', '--b', '1.25', '--N', 'inf', '--P', '100', '--t', '1,inf'];
  it.each([
    ['--ridge 1e-160', [...base, '--ridge', '1e-160'], /--ridge must be 0 or within \[1e-150, 1e\+150\]/],
    ['--ridge 1e155', [...base, '--ridge', '1e155'], /--ridge must be 0 or within/],
    ['--b 200', ['curve', '--a', '1.5', '--b', '200', '--N', '100', '--P', '100', '--t', '1,10'], /--b must be at most 100 with infinitely many modes/],
    ['gd --lr 1e-308', ['curve', '--a', '1.5', '--b', '1.25', '--N', '100', '--P', '100', '--t', '1,10', '--optimizer', 'gd', '--lr', '1e-308'], /--lr must be >= 1e-100/],
  ])('curve %s: exit 2 naming the flag and the reason', async (_label, argv, message) => {
    await refusedAtOnce(argv, message);
  });

  it.each([
    ['reconcile --b 1e308', ['reconcile', '--a', '1.5', '--b', '1e308', '--laws', 'time', '--workers', '1'], /--b must be at most 1000 \(the closed forms' bound/],
    ['report --a 2000', ['report', '--a', '2000', '--b', '1.25', '--laws', 'time', '--seeds', '0', '--out', '/tmp/never-written-by-this-test'], /--a must be at most 1000/],
    ['reconcile --grid 1.5:1e308', ['reconcile', '--grid', '1.5:1e308', '--laws', 'time'], /--grid needs a and b at most 1000/],
  ])('%s: refused before any case starts (the closed forms\' bound)', async (_label, argv, message) => {
    await refusedAtOnce(argv, message, 2000);
  });

  it('the edges of the accepted ranges give finite, converged curves', async () => {
    for (const argv of [[...base, '--ridge', '1e-150'], [...base, '--ridge', '1e150'], ['curve', '--a', '1.5', '--b', '200', '--M', '50', '--N', '100', '--P', '100', '--t', '1,10']]) {
      const result = await cli(...argv, '--format', 'json');
      expect(result.code, result.stderr).toBe(0);
      const json = JSON.parse(result.stdout) as { test: (number | null)[]; status: string };
      expect(json.test.every((v) => typeof v === 'number' && Number.isFinite(v)), argv.join(' ')).toBe(true);
    }
  });

  it('solveCurve labels a NaN at t = inf non_finite, never converged (a ridge of 1e-160 made by hand, past the refusal)', () => {
    const dynamics = { ...makeDynamics({ ridge: 1e-3 }), ridge: 1e-160 };
    const curve = solveCurve({ spectrum: powerLawSpectrum({ a: 1.5, b: 1.25, M: Infinity }), N: Infinity, P: 100, sigma: 0, t: [1, Infinity], dynamics });
    expect(Number.isFinite(curve.test[1])).toBe(false);
    expect(curve.statusPerTime[1]).toBe('non_finite');
    expect(curve.quantityStatus.test[1]).toBe('non_finite');
    expect(curve.status).toBe('non_finite');
  });
});

describe('one Monte Carlo seed has no standard error: said, never a verdict', () => {
  it('curve --simulate --seeds 1: no s.e. or z columns, a note, every number finite', async () => {
    const result = await cli('curve', '--a', '1.5', '--b', '1.25', '--M', '50', '--N', '16', '--P', '16', '--t', '1,10', '--simulate', '--seeds', '1', '--format', 'csv');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/one seed has no standard error/);
    const table = result.stdout.split('\n').filter((line) => !line.startsWith('#') && line !== '');
    expect(table[0]).not.toMatch(/_se|z_test/);
    expect(table.join('\n')).not.toMatch(/NaN|inf/i);
  });

  it('demo --seeds 1: no z, no agree column, the verdict says none', async () => {
    const text = formatDemo(await computeDemo({ seeds: 1, workers: 1 }));
    expect(text).toMatch(/Verdict: none: one seed has no standard error/);
    expect(text).not.toMatch(/DISAGREEMENT|NaN|Infinity|\| z \|/);
  });
});

describe('report reruns, outputs and messages', () => {
  it('report: a rerun keeps the user\'s files in figures/; --workers 1000 says it was capped', async () => {
    const out = join(dir, 'r');
    const argv = ['report', '--a', '1.5', '--b', '1.25', '--laws', 'width', '--seeds', '0', '--out', out];
    const first = await cli(...argv, '--workers', '1000');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/note: workers: 1000 requested, \d+ used \(the core count\)/);
    expect(first.stdout).not.toMatch(/1000 worker\(s\)/);
    const listed = JSON.parse(readFileSync(join(out, REPORT_FILE_LIST), 'utf8')) as string[];
    expect(listed).toContain('report.md');
    mkdirSync(join(out, 'figures', 'drafts'), { recursive: true });
    writeFileSync(join(out, 'figures', 'mine.svg'), '<svg/>');
    writeFileSync(join(out, 'figures', 'drafts', 'x.txt'), 'draft');
    const second = await cli(...argv, '--workers', '1');
    expect(second.code, second.stderr).toBe(0);
    expect(readFileSync(join(out, 'figures', 'mine.svg'), 'utf8')).toBe('<svg/>');
    expect(existsSync(join(out, 'figures', 'drafts', 'x.txt'))).toBe(true);
  });

  it('spectrum fit --format md prints Markdown for a spectrum file, not JSON', async () => {
    const spectrum = join(dir, 'k.csv');
    writeFileSync(spectrum, Array.from({ length: 300 }, (_, k) => `${(k + 1) ** -1.3},${(k + 1) ** -1.6}`).join('\n'));
    const result = await cli('spectrum', 'fit', '--spectrum', spectrum, '--format', 'md', '--replicates', '20');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trimStart().startsWith('{')).toBe(false);
    expect(result.stdout).toMatch(/\| exponent \| value \| s\.e\. \|/);
    expect(result.stdout).not.toMatch(/Population \(THEORY E30\)/);
  });

  it('merge with a corrupt manifest.json: exit 2 naming the file', async () => {
    const shard = shardFolder('reconcile');
    writeFileSync(join(shard, 'manifest.json'), '{"command": "reconcile", ');
    await refusedAtOnce(['merge', '--out', join(dir, 't.md'), shard], new RegExp(`cannot read ${join(shard, 'manifest.json').replace(/[.]/g, '\\.')}`));
    writeFileSync(join(shard, 'manifest.json'), '[1, 2]');
    await refusedAtOnce(['merge', '--out', join(dir, 't.md'), shard], /manifest\.json is not a shard manifest/);
  });

  it('each LaTeX caption carries the status of its own case', () => {
    const row = (a: number) => ({ a, b: 1.5, id: 'width', closedForm: 0.5, closedFormText: '1/2', fitted: 0.5, stderr: 0.01, window: null, difference: 0, tolerance: 0.02, verdict: 'agree', fitStatus: 'converged', note: '' });
    const table = {
      rows: [row(2), row(3)],
      status: 'below_error_estimate',
      caseStatuses: [{ a: 2, b: 1.5, status: 'converged' }, { a: 3, b: 1.5, status: 'below_error_estimate' }],
      provenance: { tool: { name: 'scaling-dmft', version: '0' }, generated: 'test', parameters: {}, solver: {} },
    } as unknown as ReconciliationTable;
    const captions = tableToLatex(table).split('\n').filter((line) => line.includes('\\caption{'));
    expect(captions).toHaveLength(2);
    expect(captions[0]).not.toMatch(/below\\_error\\_estimate/);
    expect(captions[1]).toMatch(/Solver status: \\textbf\{below\\_error\\_estimate\}/);
  });

  it('curve --simulate prints the same bytes on every run (no wall time in the header)', async () => {
    const argv = ['curve', '--a', '1.5', '--b', '1.25', '--M', '40', '--N', '16', '--P', '16', '--t', '1,10', '--simulate', '--seeds', '2'];
    for (const format of ['md', 'json', 'csv']) {
      const first = await cli(...argv, '--format', format);
      const second = await cli(...argv, '--format', format);
      expect(first.code, first.stderr).toBe(0);
      expect(second.stdout, format).toBe(first.stdout);
    }
  });
});

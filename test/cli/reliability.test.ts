/**
 * Hostile inputs the CLI must refuse before any work, in one line naming the
 * user's flag and value, with exit code 2 and nothing written: output targets
 * (virtual file systems, missing folders, folders as files, read-only
 * folders), runaway sizes (time grids, simulations, worker counts), spectrum
 * files whose first row is a data row with a typo.
 */
import { mkdirSync, readdirSync, readFileSync, chmodSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/core/errors.js';
import { capWorkers, DEFAULT_LIMITS } from '../../src/core/limits.js';
import { checkOutputFile, checkOutputFolder, emit } from '../../src/cli/output.js';
import { withFlagName } from '../../src/cli/flag-names.js';
import { parseTimeGrid } from '../../src/cli/parse.js';
import { estimateSimulation } from '../../src/simulation/index.js';
import { powerLawSpectrum } from '../../src/spectrum/index.js';
import { parseSpectrumText } from '../../src/spectrum/index.js';
import { binary, cli, ensureBuilt, isOneLineError } from './helpers.js';
import { scratchDir } from '../scratch.js';

let dir: string;
beforeEach(() => {
  dir = scratchDir('scaling-dmft-reliability-');
});

const CHEAP = ['curve', '--a', '1.5', '--b', '1.25', '--N', '64', '--P', '64', '--t', '1,10'];

async function refused(argv: string[], message: RegExp): Promise<void> {
  const result = await cli(...argv);
  expect(result.code, result.stderr).toBe(2);
  expect(result.stdout).toBe('');
  expect(isOneLineError(result.stderr), result.stderr).toBe(true);
  expect(result.stderr).toMatch(message);
}

describe('--out is checked before any work and named as the user typed it', () => {
  it.each([
    ['a file under /proc', () => '/proc/x', /--out must not be under \/proc.*got "\/proc\/x"/],
    ['a file under /sys', () => '/sys/kernel/x.md', /--out must not be under \/sys/],
    ['a missing folder', () => join(dir, 'missing', 'x.md'), /--out must be in an existing folder .*missing does not exist/],
    ['a folder given as the file', () => dir, /--out is a folder; give a file path/],
    ['a file inside a file', () => join(dir, 'plain', 'x.md'), /--out must be in a folder \(.*plain is not a folder\)/],
    ['an empty path', () => '', /--out must be a file path/],
  ])('curve --out %s: exit 2, one line, no file, no temp file', async (_label, target, message) => {
    writeFileSync(join(dir, 'plain'), 'not a folder');
    const out = target();
    await refused([...CHEAP, '--out', out], message);
    expect(readdirSync(dir)).toEqual(['plain']);
  });

  it('checkOutputFolder refuses /proc at once (a recursive mkdir there never returns on Node 20)', () => {
    const started = performance.now();
    expect(() => checkOutputFolder('/proc/x')).toThrow(/--out must not be under \/proc/);
    expect(() => checkOutputFolder('/proc/self/fd/new')).toThrow(InvalidArgumentError);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('checkOutputFolder accepts a new folder under a writable one and an existing folder; refuses a file and a folder below a file', () => {
    expect(() => checkOutputFolder(join(dir, 'new', 'deeper'))).not.toThrow();
    expect(() => checkOutputFolder(dir)).not.toThrow();
    writeFileSync(join(dir, 'plain'), 'x');
    expect(() => checkOutputFolder(join(dir, 'plain'))).toThrow(/--out is a file; give a folder path/);
    expect(() => checkOutputFolder(join(dir, 'plain', 'sub'))).toThrow(/--out cannot be created/);
    expect(readdirSync(dir)).toEqual(['plain']); // the probes leave nothing behind
  });

  it('the flag name is the caller\'s (the report command passes its own)', () => {
    expect(() => checkOutputFile(join(dir, 'no', 'x.md'), '--table')).toThrow(/^--table must be in an existing folder/);
  });

  it('a write that fails after the check names the user\'s path, not the temporary file, and leaves nothing', () => {
    writeFileSync(join(dir, 'plain'), 'x');
    const target = join(dir, 'plain', 'x.md');
    let error: unknown;
    try {
      emit('body', target);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toBe(`--out cannot be written (ENOTDIR), got ${JSON.stringify(target)}`);
    expect((error as Error).message).not.toMatch(/\.tmp/);
    expect(readdirSync(dir)).toEqual(['plain']);
  });

  describe('a read-only folder (the built binary, without root\'s permission override when run as root)', () => {
    beforeAll(() => ensureBuilt());
    it('exits 2 naming the path before computing', () => {
      const readOnly = join(dir, 'ro');
      mkdirSync(readOnly);
      chmodSync(dir, 0o755);
      chmodSync(readOnly, 0o555);
      const asRoot = process.getuid?.() === 0;
      const result = binary([...CHEAP, '--out', join(readOnly, 'x.md')], { withoutFileOverride: asRoot, timeoutMs: 30_000 });
      expect(result.status, result.stderr).toBe(2);
      expect(result.stderr.trim()).toBe(`scaling-dmft: error: --out cannot be written: its folder ${readOnly} is not writable (EACCES), got "${join(readOnly, 'x.md')}"`);
      expect(readdirSync(readOnly)).toEqual([]);
    });
  });
});

describe('runaway sizes are refused with the limit and how to raise it', () => {
  it('a log grid of 1e7 times is refused before it is built', async () => {
    await refused([...CHEAP.slice(0, -2), '--t', '1:10:1e7'], /--t asks for 10000000 times, more than the limit of 10000 \(raise it with --max-times\)/);
  });

  it('a comma list longer than the limit is refused too, and --max-times raises the limit', async () => {
    const list = Array.from({ length: 12 }, (_, i) => String(i + 1)).join(',');
    await refused([...CHEAP.slice(0, -2), '--t', list, '--max-times', '10'], /--t asks for 12 times, more than the limit of 10/);
    const result = await cli(...CHEAP.slice(0, -2), '--t', '1:10:12', '--max-times', '12', '--format', 'csv');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.split('\n').filter((l) => /^\d/.test(l))).toHaveLength(12);
  });

  it('a log grid spanning 1e-300 to 1e300 is built without overflow', () => {
    const grid = Array.from(parseTimeGrid('--t', '1e-300:1e300:3'));
    expect(grid).toHaveLength(3);
    expect([grid[0], grid[2]]).toEqual([1e-300, 1e300]);
    expect(grid[1]).toBeCloseTo(1, 12);
  });

  it('parseTimeGrid refuses 1e9 points without allocating them', () => {
    expect(() => parseTimeGrid('--t', '1:10:1e9')).toThrow(/limit of 10000/);
    expect(parseTimeGrid('--t', '1:10:5', 5)).toHaveLength(5);
    expect(DEFAULT_LIMITS.maxTimes).toBe(10_000);
  });

  it.each([
    ['M = 1e9', ['--M', '1000000000', '--N', '256', '--P', '1024'], /--simulate needs about .* GiB, more than the limit of 4.00 GiB \(raise it with --max-memory/],
    ['N = P = M = 1e5', ['--M', '100000', '--N', '100000', '--P', '100000'], /--simulate needs about .* GiB, more than the limit/],
    ['a long run', ['--M', '4000', '--N', '4000', '--P', '4000', '--seeds', '1000'], /--simulate would take about .* s, more than the limit of 600 s \(raise it with --max-seconds/],
  ])('--simulate with %s is refused before any work', async (_label, sizes, message) => {
    const result = await cli('curve', '--a', '1.5', '--b', '1.25', '--t', '1', '--simulate', ...sizes);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.ms).toBeLessThan(5000);
  });

  it('the memory estimate grows with the array sizes the solver allocates', () => {
    const spectrum = powerLawSpectrum({ a: 1.5, b: 1.25, M: 2000 });
    const base = { spectrum, N: 256, P: 1024, sigma: 0, t: [1, 10], seeds: 20, seed: 1 };
    const estimate = (problem: typeof base) => estimateSimulation(problem, { workers: 2 });
    const small = estimate(base);
    // At least the data matrix Psi (P x M doubles) of each running seed.
    expect(small.bytes).toBeGreaterThanOrEqual(2 * 8 * 1024 * 2000);
    expect(estimate({ ...base, P: 4096 }).bytes).toBeGreaterThan(small.bytes);
    expect(estimate({ ...base, seeds: 40 }).seconds).toBeGreaterThan(small.seconds);
    // The default demo problem stays well inside the limits.
    expect(small.bytes).toBeLessThan(DEFAULT_LIMITS.maxSimulationBytes / 10);
    expect(small.seconds).toBeLessThan(DEFAULT_LIMITS.maxSimulationSeconds);
  });

  it('--max-memory raises the memory limit (checked by the estimate, not by running)', async () => {
    const args = ['curve', '--a', '1.5', '--b', '1.25', '--t', '1', '--simulate', '--M', '100000', '--N', '100000', '--P', '100000'];
    await refused([...args, '--max-memory', '100000'], /would take about .* s, more than the limit/);
  });

  it('workers are capped at the core count, with a note', () => {
    const choice = capWorkers(1000, 2);
    expect(choice).toEqual({ used: 2, requested: 1000, cores: 2, note: 'workers: 1000 requested, 2 used (the core count)' });
    expect(capWorkers(1, 2)).toEqual({ used: 1, requested: 1, cores: 2 });
  });

  it('curve --simulate --workers 1000 runs on the core count and says so in the output', async () => {
    const result = await cli(
      'curve', '--a', '1.5', '--b', '1.25', '--M', '40', '--N', '8', '--P', '16', '--t', '1,10',
      '--simulate', '--seeds', '3', '--workers', '1000', '--format', 'json',
    );
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout);
    const cores = availableParallelism();
    const used = Math.min(1000, cores);
    expect(json.parameters.simulation).toMatchObject({ workers: used, workersRequested: 1000 });
    // N = 8: the small-size note follows (src/reconcile/finite-gap.ts smallSizeNote).
    expect(json.notes).toEqual([`workers: 1000 requested, ${used} used (the core count)`, expect.stringMatching(/^min\(N, P\) = 8 <= 128: /)]);
  });
});

describe('spectrum CSV: a header only when every field is non-numeric', () => {
  it('a typo in the first data row is reported with its line, not dropped as a header', () => {
    expect(() => parseSpectrumText('1.0,0.5x\n0.5,0.25\n', 'k.csv', 'csv')).toThrow(
      'spectrum k.csv (line 1) is neither a header (every field non-numeric) nor a data row: field "0.5x" is not a number, got "1.0,0.5x"',
    );
    expect(() => parseSpectrumText('# comment\n\n1.o,0.5\n0.5,0.25\n', 'k.csv', 'csv')).toThrow(/line 3\) is neither a header/);
  });

  it('a real header is accepted and recorded', () => {
    const spectrum = parseSpectrumText('lambda,c\n1,1\n0.5,0.25\n', 'k.csv', 'csv');
    expect(Array.from(spectrum.lambda)).toEqual([1, 0.5]);
    expect(spectrum.header).toEqual(['lambda', 'c']);
    const bare = parseSpectrumText('1,1\n0.5,0.25\n', 'k.csv', 'csv');
    expect(bare.header).toBeUndefined();
    expect(bare.lambda).toHaveLength(2);
  });

  it('the header shows in the output provenance; the typo is a one-line error naming --spectrum', async () => {
    const good = join(dir, 'good.csv');
    writeFileSync(good, 'lambda,c\n1,1\n0.5,0.25\n');
    const ok = await cli('curve', '--spectrum', good, '--N', '10', '--P', '10', '--t', '1', '--format', 'json');
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).parameters.spectrum).toMatchObject({ kind: 'custom', M: 2, header: 'lambda,c' });
    const typo = join(dir, 'typo.csv');
    writeFileSync(typo, '1.0,1x\n0.5,0.25\n');
    await refused(['curve', '--spectrum', typo, '--N', '10', '--P', '10', '--t', '1'], /^scaling-dmft: error: --spectrum .*typo\.csv \(line 1\) is neither a header/);
  });
});

describe('every invalid input names the user\'s flag', () => {
  it('API argument names are re-labelled as flags', () => {
    expect(withFlagName(new InvalidArgumentError('b', 'must be > 1', 0.5)).message).toBe('--b must be > 1, got 0.5');
    expect(withFlagName(new InvalidArgumentError('t[3]', 'must be >= 0', -1)).message).toBe('--t must be >= 0, got -1');
    expect(withFlagName(new InvalidArgumentError('spectrum f.csv (line 2)', 'bad', 'x')).message).toBe('--spectrum f.csv (line 2) bad, got "x"');
    expect(withFlagName(new InvalidArgumentError('ensembleSize', 'must be >= 1', 0)).message).toBe('--ensemble must be >= 1, got 0');
    expect(withFlagName(new InvalidArgumentError('--grid a', 'x', 1)).message).toBe('--grid a x, got 1');
    expect(withFlagName(new InvalidArgumentError('name', 'must be one of x', 'y')).message).toBe('name must be one of x, got "y"');
  });

  it.each([
    ['b <= 1 with M = inf and N finite (a numeric-layer check)', ['curve', '--a', '1.5', '--b', '0.9', '--N', '10', '--P', '10', '--t', '1'], /^scaling-dmft: error: --b must be > 1/],
    ['an unreadable spectrum file', ['curve', '--spectrum', '/nonexistent/s.csv', '--N', '10', '--P', '10', '--t', '1'], /^scaling-dmft: error: --spectrum file cannot be read \(ENOENT\), got "\/nonexistent\/s.csv"/],
    ['--seeds without --simulate', [...CHEAP, '--seeds', '3'], /--seeds only applies with --simulate/],
    ['--max-memory without --simulate', [...CHEAP, '--max-memory', '3'], /--max-memory only applies with --simulate/],
    // O(t^2) theory (about 25 s at 5000 steps at load 10, THEORY E28c): refused by its estimate before any work.
    ['finite-N SGD under a schedule above --max-seconds', ['curve', '--a', '2', '--b', '1.5', '--N', '256', '--P', 'inf', '--t', '5000', '--optimizer', 'sgd', '--lr', '0.5', '--batch', '4', '--schedule', 'cosine:5000', '--max-seconds', '10'], /^scaling-dmft: error: --t would take about 25 s, more than the limit of 10 s \(raise it with --max-seconds, or lower the steps\), got 5000\n$/],
    ['--max-times 0', [...CHEAP, '--max-times', '0'], /--max-times must be an integer >= 1, got "0"/],
    ['--t with a bad count', [...CHEAP.slice(0, -2), '--t', '1:10:2.5'], /--t count must be an integer >= 1, got "2.5"/],
    ['--t inf with --simulate', ['curve', '--a', '1.5', '--b', '1.25', '--M', '40', '--N', '8', '--P', '8', '--t', '1,inf', '--simulate'], /--t must be finite with --simulate/],
    ['--sigma whose square overflows', [...CHEAP, '--sigma', '1e300'], /^scaling-dmft: error: --sigma must be >= 0 with a finite square .*got 1e\+300\n$/],
    ['demo --seeds 0', ['demo', '--seeds', '0'], /--seeds must be an integer >= 1, got "0"/],
    ['demo --seed -1', ['demo', '--seed', '-1'], /--seed must be an integer >= 0, got "-1"/],
    ['demo --workers x', ['demo', '--workers', 'x'], /--workers must be an integer >= 1, got "x"/],
  ])('%s', async (_label, argv, message) => {
    await refused(argv, message);
  });

  it('a message with a newline in the value stays on one line', async () => {
    await refused([...CHEAP.slice(0, -2), '--t', '1\n2'], /^scaling-dmft: error: --t must be a finite number, got "1\\n2"\n$/);
  });
});

describe('outputs are whole or absent', () => {
  it('a successful --out writes exactly the file, with the same bytes as stdout', async () => {
    const out = join(dir, 'c.csv');
    const written = await cli(...CHEAP, '--format', 'csv', '--out', out);
    expect(written.code).toBe(0);
    const printed = await cli(...CHEAP, '--format', 'csv');
    expect(readFileSync(out, 'utf8')).toBe(printed.stdout);
    expect(readdirSync(dir)).toEqual(['c.csv']);
  });
});

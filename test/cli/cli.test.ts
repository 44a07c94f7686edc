/**
 * The CLI as a user meets it: exit codes, one-line errors naming the argument,
 * no partial output files, and the JSON contract of the curve output.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cli } from './helpers.js';
import { scratchDir } from '../scratch.js';

let dir: string;
beforeEach(() => {
  dir = scratchDir('scaling-dmft-cli-');
});
afterEach(() => {
  vi.restoreAllMocks();
});

const BASE = ['curve', '--a', '1.5', '--b', '1.25', '--N', '256', '--P', '1024', '--M', '2000', '--t', '1e-1:1e3:5'];

describe('curve: bad input gives one line naming the argument and exit code 2', () => {
  it.each([
    ['a <= 1 with M = inf', ['curve', '--a', '1', '--b', '2', '--N', '10', '--P', '10', '--M', 'inf', '--t', '1'], /--a must be > 1/],
    ['b <= 0', ['curve', '--a', '1.5', '--b', '0', '--N', '10', '--P', '10', '--t', '1'], /--b must be > 0/],
    ['N < 1', ['curve', '--a', '1.5', '--b', '2', '--N', '0', '--P', '10', '--t', '1'], /--N must be an integer >= 1/],
    ['P not an integer', ['curve', '--a', '1.5', '--b', '2', '--N', '10', '--P', '2.5', '--t', '1'], /--P must be an integer >= 1/],
    ['t < 0', ['curve', '--a', '1.5', '--b', '2', '--N', '10', '--P', '10', '--t', '1,-2'], /--t times must be >= 0/],
    ['NaN', ['curve', '--a', 'NaN', '--b', '2', '--N', '10', '--P', '10', '--t', '1'], /--a must be a finite number/],
    ['sigma < 0', ['curve', '--a', '1.5', '--b', '2', '--N', '10', '--P', '10', '--t', '1', '--sigma', '-1'], /--sigma must be >= 0/],
    ['unknown flag', ['curve', '--a', '1.5', '--b', '2', '--N', '10', '--P', '10', '--t', '1', '--bogus', '3'], /unknown option '--bogus'/],
    ['missing --N', ['curve', '--a', '1.5', '--b', '2', '--P', '10', '--t', '1'], /--N/],
    ['bad format', ['curve', '--a', '1.5', '--b', '2', '--N', '10', '--P', '10', '--t', '1', '--format', 'xml'], /--format must be one of md, csv, json/],
    ['simulate with M = inf', ['curve', '--a', '1.5', '--b', '2', '--N', '10', '--P', '10', '--t', '1', '--simulate'], /--M must be finite with --simulate/],
  ])('%s', async (_label, argv, message) => {
    const result = await cli(...argv);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('a malformed spectrum file names the line, and no output file is written', async () => {
    const spectrum = join(dir, 'bad.csv');
    writeFileSync(spectrum, 'lambda,c\n1,1\n0.5,0.25\n-0.1,0.1\n');
    const outFile = join(dir, 'out.json');
    const result = await cli('curve', '--spectrum', spectrum, '--N', '10', '--P', '10', '--t', '1', '--out', outFile);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/line 4.*eigenvalue must be a positive finite number, got "-0.1"/);
    expect(readdirSync(dir)).toEqual(['bad.csv']);
  });
});

describe('curve output', () => {
  it('JSON has arrays t, test, train, bias, gap of equal length, error estimates, status and parameters', async () => {
    const outFile = join(dir, 'curve.json');
    const result = await cli(...BASE, '--sigma', '0.3', '--format', 'json', '--out', outFile);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    const json = JSON.parse(readFileSync(outFile, 'utf8'));
    for (const key of ['t', 'test', 'train', 'bias', 'gap']) {
      expect(json[key]).toHaveLength(5);
      expect(json[key].every((x: unknown) => typeof x === 'number' && Number.isFinite(x))).toBe(true);
    }
    expect(json.errorEstimate.test).toHaveLength(5);
    expect(json.status).toBe('converged');
    expect(json.parameters).toMatchObject({ N: 256, P: 1024, sigma: 0.3, spectrum: { a: 1.5, b: 1.25, M: 2000 } });
    expect(json.tool.name).toBe('scaling-dmft');
    // The gap column is test - train, and losses are at least the noise floor.
    json.t.forEach((_: number, i: number) => {
      expect(json.gap[i]).toBeCloseTo(json.test[i] - json.train[i], 12);
      expect(json.test[i]).toBeGreaterThanOrEqual(0.09);
    });
  });

  it('--N inf and --P inf, comma times, CSV with provenance comments', async () => {
    const result = await cli('curve', '--a', '2', '--b', '1.5', '--N', 'inf', '--P', 'inf', '--t', '0,1,10', '--format', 'csv');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('#')).length).toBeGreaterThanOrEqual(3);
    const data = lines.filter((l) => !l.startsWith('#'));
    expect(data[0].split(',')[0]).toBe('t');
    expect(data).toHaveLength(4);
    // t = 0: L(0) = zeta(2) = pi^2/6 (THEORY E7).
    expect(Number(data[1].split(',')[1])).toBeCloseTo(Math.PI ** 2 / 6, 5);
  });
});

describe('curve extras', () => {
  it('--modes adds transfer functions H_k(t): 1 at t = 0, kappa_c/(kappa_c + lambda_k) at t = inf, decreasing between', async () => {
    const result = await cli(...BASE.slice(0, -2), '--t', '0,1,100,inf', '--modes', '1,100', '--format', 'json');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.transfer.k).toEqual([1, 100]);
    for (const row of json.transfer.value) {
      expect(row[0]).toBe(1);
      expect(row[1]).toBeLessThan(1);
      expect(row[2]).toBeLessThan(row[1]);
      expect(row[3]).toBeGreaterThan(0);
      expect(row[3]).toBeLessThanOrEqual(row[2] + 1e-9);
    }
    // A slow mode (k = 100, lambda = 100^-1.25) keeps more of its residual than the fastest one.
    expect(json.transfer.value[1][3]).toBeGreaterThan(json.transfer.value[0][3]);
  });

  it('rejects a mode number beyond M', async () => {
    const result = await cli(...BASE, '--modes', '1,5000');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--modes must be mode numbers in 1..2000, got "5000"/);
  });
});

describe('exponents, reconcile and report: input errors and the JSON contract', () => {
  it('exponents --format json follows the contract', async () => {
    const result = await cli('exponents', '--a', '1.15', '--b', '2', '--format', 'json');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ a: 1.15, b: 2 });
    const ids = json.laws.map((l: { id: string }) => l.id);
    for (const id of ['time', 'data', 'width', 'width_bias', 'compute_optimal_loss', 'compute_optimal_N', 'compute_optimal_t']) expect(ids).toContain(id);
    for (const law of json.laws) for (const key of ['id', 'variable', 'exponent', 'prefactor', 'condition', 'latex']) expect(law).toHaveProperty(key);
    // THEORY section 9: the CIFAR-5M case gives L* ~ C^-0.05.
    expect(json.laws.find((l: { id: string }) => l.id === 'compute_optimal_loss').exponent).toBeCloseTo(-0.05, 12);
  });

  it.each([
    ['exponents with a <= 1', ['exponents', '--a', '0.5', '--b', '1'], /--a must be > 1/],
    ['exponents with only --a', ['exponents', '--a', '1.5'], /--b is required/],
    ['reconcile without --b', ['reconcile', '--a', '1.5'], /--b is required/],
    ['reconcile with an unknown law', ['reconcile', '--a', '1.5', '--b', '1.25', '--laws', 'time,bogus'], /--laws must be a comma list/],
    ['reconcile with b < 1', ['reconcile', '--a', '1.5', '--b', '0.5'], /--b must be >= 1/],
    ['derive of an unknown derivation', ['derive', 'no-such-thing'], /name must be one of/],
  ])('%s: one line, exit code 2', async (_label, argv, message) => {
    const result = await cli(...argv);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });

  it('report with a malformed grid writes nothing', async () => {
    const out = join(dir, 'report');
    const result = await cli('report', '--grid', '1.5:1.25,2', '--out', out);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--grid must be a comma list of a:b pairs/);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('the installed bin', () => {
  it('exits 2 with one line on bad input (real process, via tsx)', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'curve', '--a', '1.5'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});

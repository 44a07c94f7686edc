/**
 * Property test of every flag of every command (fast-check, fixed seed,
 * printed with the shrunk counterexample on failure). The flags are read from
 * the program itself, so a new flag is covered without editing this file.
 * Each run starts from a valid, cheap request of its command and gives one
 * flag a random hostile value (numbers at and beyond every edge of double
 * range, NaN, infinities, empty and control strings, paths to virtual file
 * systems and devices, random strings). Every run must either exit 0 with
 * finite numbers and honest statuses (a non-finite value never beside
 * `converged`, any NaN explained by a status), or exit 2 with one line on
 * stderr; within 10 s; and write nothing when it fails.
 *
 * Time box: up to six values per flag, the first always, the others while
 * the flag's share of a 12 s budget lasts. Valid requests whose cost
 * grows with a value (demo and report seeds, experiment sizes, residual
 * replicates) are tamed to small values here: their refusal when too large is
 * held by test/cli/hostile-inputs.test.ts, and a valid slow request is not a
 * defect.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/program.js';
import { scratchDir } from '../scratch.js';
import { cli, ROOT } from './helpers.js';

const SEED = 20_261_207;
const RUN_BOUND_MS = 10_000;
const BUDGET_MS = 12_000;
const STATUSES = ['converged', 'max_iter', 'non_finite', 'unverified', 'below_error_estimate', 'singularity_right_of_contour', 'unstable'];

/** Numbers at and beyond the edges of what each layer accepts (double range, the refusal bounds of ridge, lr, b, N, P, t). */
const EDGE_NUMBERS = ['0', '-1', '1e-300', '5e-324', '1e-160', '1e-100', '1e60', '1e100', '1e155', '1e308', '1e400', '200', '1e9', '1e13', 'NaN', 'inf', '-inf'];

const HOSTILE_WORDS = [
  '', ' ', '-', '--', '0', '-0', '1', '2', '0.5', '-1', '1e308', '-1e308', '1e-308', '5e-324', '1e-160', '1e155', '1e400', 'NaN', 'nan',
  'inf', '-inf', 'Infinity', '0x10', '1_000', '1e', '1,2', '1:2', '1:10:1e7', ',,', 'x', '%s%n', '"', "'", '\n', '\u0000', '\u202e1',
  '/proc/x', '/sys/x', '/dev/zero', '/dev/stdin', '/', '../../etc/passwd', 'a'.repeat(300), '9'.repeat(400),
];

/** A random hostile value for a flag. */
const hostileValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...EDGE_NUMBERS) },
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_WORDS) },
  { weight: 2, arbitrary: fc.double().map(String) },
  { weight: 1, arbitrary: fc.integer({ min: -1e9, max: 1e9 }).map(String) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

/** Values that are valid and only slow are replaced by a small one (see the module comment): [largest kept, replacement]. */
const TAME: Record<string, [number, string]> = {
  'demo --seeds': [1, '1'],
  'report --seeds': [0, '0'],
  'experiment --N': [256, '8'],
  'experiment --seeds': [8, '2'],
  'spectrum fit --replicates': [500, '20'],
};
function tame(command: string, flag: string, value: string): string {
  const rule = TAME[`${command} ${flag}`];
  return rule !== undefined && Number.isFinite(Number(value)) && Number(value) > rule[0] ? rule[1] : value;
}

/**
 * A hostile --out value, kept where it is hostile (empty, under /proc, /sys or
 * /dev) and otherwise moved into the run's folder with '..' and '/' taken out:
 * a valid run must never write into the checkout or anywhere else ('../../etc/passwd').
 */
function confinedOut(value: string, dir: string): string {
  if (value.trim() === '' || /^\/(proc|sys|dev)(\/|$)/.test(value)) return value;
  return join(dir, value.replace(/\.\.|[/\\]/g, '_'));
}

let root: string;
let spectrumFile: string;
let dataFile: string;
let shardDir: string;
let previousCache: string | undefined;

beforeAll(async () => {
  root = scratchDir('scaling-dmft-property-');
  previousCache = process.env.SCALING_DMFT_CACHE;
  process.env.SCALING_DMFT_CACHE = join(root, 'cache');
  spectrumFile = join(root, 'k.csv');
  writeFileSync(spectrumFile, Array.from({ length: 120 }, (_, k) => `${(k + 1) ** -1.3},${(k + 1) ** -1.6}`).join('\n'));
  dataFile = join(root, 'data.csv');
  writeFileSync(
    dataFile,
    Array.from({ length: 40 }, (_, i) => {
      const x = Array.from({ length: 5 }, (_, j) => Math.sin(1.3 * i + 2.1 * j * j + j));
      return [...x, x[0] - 0.5 * x[3]].map((v) => v.toFixed(6)).join(',');
    }).join('\n'),
  );
  shardDir = join(root, 'shard');
  const shard = await cli('reconcile', '--a', '1.5', '--b', '1.25', '--laws', 'time', '--workers', '1', '--shard', '1/1', '--out', shardDir);
  expect(shard.code, shard.stderr).toBe(0);
});
afterAll(() => {
  if (previousCache === undefined) delete process.env.SCALING_DMFT_CACHE;
  else process.env.SCALING_DMFT_CACHE = previousCache;
});

/** A valid, cheap request of each command (what a hostile flag is added to). */
function base(command: string): string[] {
  switch (command) {
    case 'curve':
      return ['curve', '--a', '1.5', '--b', '1.25', '--N', '16', '--P', '32', '--t', '1,10,inf'];
    case 'demo':
      return ['demo', '--seeds', '1', '--workers', '1'];
    case 'exponents':
      return ['exponents', '--a', '1.5', '--b', '1.25'];
    case 'derive':
      return ['derive', 'time-law'];
    case 'reconcile':
      return ['reconcile', '--a', '1.5', '--b', '1.25', '--laws', 'time', '--workers', '1'];
    case 'report':
      return ['report', '--a', '1.5', '--b', '1.25', '--laws', 'time', '--seeds', '0', '--workers', '1', '--sections', 'none'];
    case 'merge':
      return ['merge', shardDir];
    case 'spectrum fit':
      return ['spectrum', 'fit', '--spectrum', spectrumFile, '--replicates', '20'];
    case 'experiment':
      return ['experiment', '--data', dataFile, '--N', '8', '--P', '16', '--seeds', '2', '--t', '1,10'];
    default:
      throw new Error(`no base request for ${command}: add one`);
  }
}

/** Every (command, flag) of the program; `takesValue` false for switches such as --simulate. */
async function everyFlag(): Promise<{ command: string; flag: string; takesValue: boolean; writes: boolean }[]> {
  const program = await buildProgram();
  const out: { command: string; flag: string; takesValue: boolean; writes: boolean }[] = [];
  const walk = (command: Command, prefix: string) => {
    for (const sub of command.commands) {
      const name = `${prefix}${sub.name()}`;
      if (sub.commands.length > 0) walk(sub, `${name} `);
      const writes = sub.options.some((o) => o.long === '--out');
      for (const option of sub.options) {
        if (option.long === undefined || option.long === '--help') continue;
        out.push({ command: name, flag: option.long, takesValue: option.required || option.optional, writes });
      }
    }
  };
  walk(program, '');
  return out;
}

const NON_FINITE_CELL = /^(NaN|-?inf|-?Infinity)$/;

/** Exit 0: no NaN without a status that says so; no table row with a non-finite value (past its t) marked converged. */
function checkHonest(text: string, context: string): void {
  if (/\bNaN\b/.test(text)) expect(text, `${context}: NaN without a status`).toMatch(/non_finite|unstable|not finite/);
  let timeColumn = -1; // the time column of the last table header (t = inf is a time, not a result)
  for (const line of text.split('\n')) {
    const cells = (line.includes('|') ? line.split('|') : line.split(',')).map((c) => c.trim()).filter((c) => c !== '');
    if (cells.includes('t')) timeColumn = cells.indexOf('t');
    const status = cells[cells.length - 1];
    if (!STATUSES.includes(status)) continue;
    const results = cells.slice(0, -1).filter((_, i) => i !== timeColumn);
    if (results.some((c) => NON_FINITE_CELL.test(c))) expect(status, `${context}: ${line}`).not.toBe('converged');
  }
}

describe('property: every flag of every command, random hostile values', () => {
  it('exit 0 with finite numbers and honest statuses, or exit 2 with one line; within 10 s; nothing written on failure', async () => {
    const flags = await everyFlag();
    const commands = new Set(flags.map((f) => f.command));
    for (const command of ['curve', 'demo', 'exponents', 'derive', 'reconcile', 'report', 'merge', 'spectrum fit', 'experiment']) {
      expect(commands.has(command), command).toBe(true);
    }
    const checkout = readdirSync(ROOT).sort();
    const perFlagMs = BUDGET_MS / flags.length;
    let runs = 0;
    for (const { command, flag, takesValue, writes } of flags) {
      const flagStarted = performance.now();
      let flagRuns = 0;
      await fc.assert(
        fc.asyncProperty(takesValue ? hostileValue : fc.constant(''), async (raw) => {
          // The time box: the first value always runs, further ones while this flag's share of the budget lasts.
          if (flagRuns > 0 && performance.now() - flagStarted > perFlagMs) return;
          flagRuns++;
          const dir = scratchDir('scaling-dmft-property-run-');
          const value = flag === '--out' ? confinedOut(raw, dir) : tame(command, flag, raw);
          const target = command === 'report' ? join(dir, 'report') : join(dir, 'out.txt');
          // Our --out first, so a hostile --out given later wins (commander keeps the last value).
          const argv = [...base(command), ...(writes ? ['--out', target] : []), ...(takesValue ? [flag, value] : [flag])];
          const context = JSON.stringify(argv);
          const result = await cli(...argv);
          runs++;
          expect([0, 2], `${context}: exit ${result.code}: ${result.stderr}`).toContain(result.code);
          expect(result.ms, `${context} took ${result.ms} ms`).toBeLessThan(RUN_BOUND_MS);
          expect(result.stderr, context).not.toMatch(/\n\s+at |internal error/);
          const left = readdirSync(dir);
          expect(left.filter((name) => name.startsWith('.')), `${context}: temporary files`).toEqual([]);
          if (result.code === 2) {
            expect(result.stderr.trimEnd().split('\n'), `${context}: ${result.stderr}`).toHaveLength(1);
            expect(left, `${context}: written on failure`).toEqual([]);
            return;
          }
          checkHonest(result.stdout, context);
          if (existsSync(target) && !target.endsWith('report')) checkHonest(readFileSync(target, 'utf8'), context);
        }),
        { seed: SEED, numRuns: 6, endOnFailure: true },
      );
    }
    // Nothing was written into the checkout (the CLI's working folder).
    expect(readdirSync(ROOT).sort()).toEqual(checkout);
    // Every flag ran at least once (the time box cuts the second value, never the first).
    expect(runs).toBeGreaterThanOrEqual(flags.length);
    console.log(`property test: ${runs} runs over ${flags.length} flags of ${commands.size} commands`);
  });
});

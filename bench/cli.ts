/**
 * Command-line benchmarks (called by bench/run.ts): start-up of the built CLI
 * for `--version` and `exponents`, against a bare `node -e 0` started the same
 * way in the same run (the part of the start-up that is Node's own), and the
 * default report as `npm start` runs it after install on a fresh machine (the
 * incremental type check of the build, which finds nothing to do, then
 * `report` with an empty cache, so the MNIST population is computed).
 *
 * Each command runs in a child process under /usr/bin/time when it exists, so
 * both wall and CPU (user + system, children included) are printed; the least
 * of a few runs is reported, the figure least disturbed by other load.
 * Needs the build (`npm run build`, or the `prepare` step of `npm ci`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface BenchRecord {
  name: string;
  ms: number;
  note?: string;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(ROOT, 'dist/src/cli/main.js');
const TIME = '/usr/bin/time';

interface Timed {
  wallMs: number;
  cpuMs: number | null;
}

/** One child run: wall time here, CPU from /usr/bin/time's last stderr line when available. */
function run(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Timed {
  const withTime = existsSync(TIME);
  const dir = mkdtempSync(join(tmpdir(), 'dmft-bench-cli-'));
  const timeFile = join(dir, 'time');
  try {
    const [command, args] = withTime ? [TIME, ['-f', '%U %S', '-o', timeFile, ...argv]] : [argv[0], argv.slice(1)];
    const t0 = performance.now();
    const child = spawnSync(command, args, { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const wallMs = performance.now() - t0;
    if (child.status !== 0) throw new Error(`${argv.join(' ')} exited ${child.status}: ${(child.stderr ?? '').split('\n').slice(-3).join(' ')}`);
    let cpuMs: number | null = null;
    if (withTime) {
      const [user, system] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
      cpuMs = (user + system) * 1000;
    }
    return { wallMs, cpuMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function best(argv: readonly string[], reps: number, env?: NodeJS.ProcessEnv): Timed {
  let result = run(argv, env);
  for (let r = 1; r < reps; r++) {
    const next = run(argv, env);
    if (next.wallMs < result.wallMs) result = next;
  }
  return result;
}

function cpuNote(t: Timed): string {
  return t.cpuMs === null ? 'CPU not measured (no /usr/bin/time)' : `${(t.cpuMs / 1000).toFixed(2)} s CPU`;
}

/** The curve of the first-curve rows: the numeric bench's case (bench/numeric.ts), 40 times. */
const FIRST_CURVE = ['curve', '--a', '1.5', '--b', '1.25', '--N', '256', '--P', '1024', '--sigma', '0.3', '--t', '0.01:1e5:40', '--format', 'json'];

/**
 * In a fresh Node process (the built library, dist/src/index.js): the import
 * of the library, then the same curve twice, then 20 more (the least of the
 * last 10 is the warm solve); prints the CPU times (process CPU, ms) as JSON.
 * The first solve minus the warm one is the warm-up (V8 compiling and
 * optimising the solver's code), the part a first curve pays beyond the
 * import and the curve itself.
 */
const firstCurveScript = (root: string) => `
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1e3; };
const c0 = cpu();
const lib = await import(${JSON.stringify(join(root, 'dist/src/index.js'))});
const c1 = cpu();
const problem = { spectrum: lib.powerLawSpectrum({ a: 1.5, b: 1.25 }), N: 256, P: 1024, sigma: 0.3, t: Array.from({ length: 40 }, (_, i) => 10 ** (-2 + (7 * i) / 39)) };
lib.solveCurve(problem);
const c2 = cpu();
lib.solveCurve(problem);
const c3 = cpu();
let warmMs = Infinity;
for (let r = 0; r < 20; r++) {
  const a = cpu();
  lib.solveCurve(problem);
  if (r >= 10) warmMs = Math.min(warmMs, cpu() - a);
}
console.log(JSON.stringify({ importMs: c1 - c0, firstMs: c2 - c1, secondMs: c3 - c2, warmMs }));
`;

/**
 * The first curve of a fresh process: the CLI's `curve` (start-up, module
 * loading, warm-up and the solve) against Node alone, and, in a fresh process
 * running the library, the import, the first solve and a second solve of the
 * same curve (the least of 7 processes each).
 */
function firstCurve(node: string, bare: Timed, add: (record: BenchRecord) => void): BenchRecord[] {
  const cli = best([node, MAIN, ...FIRST_CURVE], 7);
  add({ name: `first curve, fresh process: scaling-dmft ${FIRST_CURVE.slice(0, -2).join(' ')}`, ms: cli.wallMs, note: `${cpuNote(cli)}; Node alone ${cpuNote(bare)}: ${(cli.wallMs / bare.wallMs).toFixed(1)}x Node alone (wall)` });
  const runs: FirstCurveRun[] = [];
  try {
    for (let r = 0; r < 7; r++) runs.push(firstCurveRun(node, ROOT));
  } catch (error) {
    return [{ name: 'first curve in process', ms: NaN, note: `failed: ${String(error)}` }];
  }
  const least = (key: keyof FirstCurveRun) => Math.min(...runs.map((x) => x[key]));
  const [importMs, firstMs, secondMs, warmMs] = [least('importMs'), least('firstMs'), least('secondMs'), least('warmMs')];
  add({ name: 'first curve, fresh process: import of the library (dist/src/index.js)', ms: importMs, note: 'CPU, least of 7 processes' });
  add({
    name: 'first curve, fresh process: first solve / second solve (same curve)',
    ms: firstMs,
    note: `CPU, least of 7; second ${secondMs.toFixed(1)} ms, warm ${warmMs.toFixed(1)} ms; warm-up beyond a warm solve ${(firstMs - warmMs).toFixed(1)} ms (first / second ${(firstMs / secondMs).toFixed(1)}x); target <= 50 ms`,
  });
  return [];
}

interface FirstCurveRun {
  importMs: number;
  firstMs: number;
  secondMs: number;
  /** The least of solves 13-22 of the same curve (warm). */
  warmMs: number;
}

/** One fresh process of the library built under `root` (dist/src/index.js): import, first and second solve (CPU ms). */
function firstCurveRun(node: string, root: string, flags: readonly string[] = []): FirstCurveRun {
  const child = spawnSync(node, [...flags, '--input-type=module', '-e', firstCurveScript(root)], { cwd: root, encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`first curve in ${root}: ${(child.stderr ?? '').split('\n').slice(-3).join(' ')}`);
  return JSON.parse(child.stdout.trim().split('\n').pop() as string) as FirstCurveRun;
}

/**
 * `npm run bench -- first-curve`: the first-curve rows alone. With BENCH_BASELINE set to a folder holding another
 * build (its dist/, with node_modules reachable from it; e.g. main's code built in a temporary copy), fresh processes
 * of the two builds alternate (15 each) and the medians and their ratios are printed: the load of a shared machine
 * hits both alike. Then the same under `node --single-threaded`, where V8 compiles on the main thread: the CPU of a
 * solve then holds all of its compile work, wherever the background compiler would have finished it.
 */
export async function benchFirstCurve(emit: (record: BenchRecord) => void): Promise<BenchRecord[]> {
  if (!existsSync(MAIN)) return [{ name: 'first-curve', ms: NaN, note: 'not run: build first (npm run build)' }];
  const node = process.execPath;
  const baseline = process.env.BENCH_BASELINE;
  if (baseline === undefined) return firstCurve(node, best([node, '-e', '0'], 7), emit);
  if (!existsSync(join(baseline, 'dist/src/index.js'))) return [{ name: 'first-curve', ms: NaN, note: `BENCH_BASELINE=${baseline} has no dist/src/index.js` }];
  const median = (runs: FirstCurveRun[], f: (x: FirstCurveRun) => number) => {
    const v = runs.map(f).sort((a, b) => a - b);
    return v[(v.length - 1) >> 1];
  };
  const rows: Array<[string, (x: FirstCurveRun) => number]> = [
    ['first solve', (x) => x.firstMs],
    ['second solve', (x) => x.secondMs],
    ['first + second solve', (x) => x.firstMs + x.secondMs],
    ['warm-up (first solve - warm solve)', (x) => x.firstMs - x.warmMs],
  ];
  for (const flags of [[], ['--single-threaded']]) {
    const ours: FirstCurveRun[] = [];
    const theirs: FirstCurveRun[] = [];
    for (let r = 0; r < 15; r++) {
      theirs.push(firstCurveRun(node, baseline, flags));
      ours.push(firstCurveRun(node, ROOT, flags));
    }
    for (const [label, f] of rows) {
      const a = median(ours, f);
      const b = median(theirs, f);
      const name = `first curve, fresh process${flags.length ? ` (${flags.join(' ')})` : ''}: ${label}, this build`;
      emit({ name, ms: a, note: `CPU, median of 15 processes alternating with the baseline's; baseline ${b.toFixed(1)} ms; ratio ${(a / b).toFixed(2)}` });
    }
  }
  return [];
}

export async function benchCli(emit: (record: BenchRecord) => void): Promise<BenchRecord[]> {
  if (!existsSync(MAIN)) return [{ name: 'cli', ms: NaN, note: 'not run: build first (npm run build)' }];
  const records: BenchRecord[] = [];
  const add = (record: BenchRecord) => {
    records.push(record);
    emit(record);
  };
  const node = process.execPath;
  const bare = best([node, '-e', '0'], 7);
  add({ name: 'node -e 0 (Node alone, the floor)', ms: bare.wallMs, note: cpuNote(bare) });
  for (const argv of [['--version'], ['exponents', '--a', '1.5', '--b', '1.25']]) {
    const t = best([node, MAIN, ...argv], 7);
    add({ name: `start-up: scaling-dmft ${argv.join(' ')}`, ms: t.wallMs, note: `${cpuNote(t)}; ${(t.wallMs / bare.wallMs).toFixed(1)}x Node alone; target < 300 ms wall` });
  }
  records.push(...firstCurve(node, bare, add));
  // The real-data experiment on the grid of docs/real-data.md, the population cached (the first run caches it).
  const experimentOut = mkdtempSync(join(tmpdir(), 'dmft-bench-experiment-'));
  try {
    const env = { ...process.env, SCALING_DMFT_CACHE: join(experimentOut, 'cache') };
    const argv = ['experiment', '--dataset', 'mnist', '--N', '64,256,1024', '--P', '128,512,2048', '--seeds', '4'];
    const first = best([node, MAIN, ...argv, '--out', join(experimentOut, 'first.md')], 1, env);
    const cached = best([node, MAIN, ...argv, '--out', join(experimentOut, 'cached.md')], 1, env);
    add({ name: `scaling-dmft ${argv.join(' ')}`, ms: cached.wallMs, note: `${cpuNote(cached)} with the population cached, ${cpuNote(first)} computing it; target <= 8 s CPU` });
  } finally {
    rmSync(experimentOut, { recursive: true, force: true });
  }
  // `npm start` after `npm ci`: prepare has built dist/, so the build step is the incremental check.
  const build = best([node, join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], 1);
  add({ name: 'npm start, step 1: incremental build check (nothing to do)', ms: build.wallMs, note: cpuNote(build) });
  const out = mkdtempSync(join(tmpdir(), 'dmft-bench-report-'));
  try {
    // A fresh machine has no MNIST population cached: an empty cache folder makes the report compute it, as there.
    const env = { ...process.env, SCALING_DMFT_CACHE: join(out, 'cache') };
    const report = best([node, MAIN, 'report', '--out', join(out, 'report')], 1, env);
    add({
      name: 'npm start, step 2: report (default sweep, panel, SGD, MNIST, figures)',
      ms: report.wallMs,
      note: `${cpuNote(report)}; with the build check ${((build.wallMs + report.wallMs) / 1000).toFixed(1)} s wall; target < 30 s; MNIST population not cached (computed, as on a fresh machine)`,
    });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  return records;
}

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

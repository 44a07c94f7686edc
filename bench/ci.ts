/**
 * The test job under load (called by bench/run.ts by name only: `npm run bench -- ci`, several minutes).
 * What `.ci/run` does after its install, `npm run typecheck` beside `npm test`, timed twice in the same run:
 * once as the machine is, then beside BENCH_LOAD (default 10) busy processes, which hold the load average
 * at about that number (a CI machine shared with other jobs). Wall and CPU (children included, from
 * /usr/bin/time) are printed with the load average sampled during the run; the ratio of the two walls is what
 * the load costs. The install (`npm ci`, apt) is not timed here: it is network- and disk-bound. BENCH_CI_JOB
 * replaces the job and BENCH_CI_SETTLE_MS the minute the load is given to build up (to try the bench quickly).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface BenchRecord {
  name: string;
  ms: number;
  note?: string;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The job timed; BENCH_CI_JOB replaces it (a shell command line), e.g. to try the bench on a few test files. */
const JOB =
  process.env.BENCH_CI_JOB ??
  // As .ci/run: the type check beside the tests, the job failing if either fails.
  'npm run typecheck --silent >/dev/null 2>&1 & tc=$!; npx vitest run --reporter=dot >/dev/null 2>&1; v=$?; wait $tc; t=$?; [ $v -eq 0 ] && [ $t -eq 0 ]';
const JOB_NAME = process.env.BENCH_CI_JOB === undefined ? 'typecheck + vitest' : `BENCH_CI_JOB (${JOB})`;

interface JobTime {
  wallMs: number;
  cpuS: number | null;
  meanLoad: number;
  ok: boolean;
}

/** Runs the job once; the load average is sampled every 5 s while it runs. */
function timeJob(): Promise<JobTime> {
  const dir = mkdtempSync(join(tmpdir(), 'dmft-bench-ci-'));
  const timeFile = join(dir, 'time');
  const withTime = existsSync('/usr/bin/time');
  const loads: number[] = [];
  const sampler = setInterval(() => loads.push(loadavg()[0]), 5000);
  const t0 = performance.now();
  return new Promise<JobTime>((resolve) => {
    const child = withTime
      ? spawn('/usr/bin/time', ['-f', '%U %S', '-o', timeFile, 'sh', '-c', JOB], { cwd: ROOT, stdio: 'ignore' })
      : spawn('sh', ['-c', JOB], { cwd: ROOT, stdio: 'ignore' });
    child.on('exit', (code) => {
      const wallMs = performance.now() - t0;
      clearInterval(sampler);
      let cpuS: number | null = null;
      if (withTime && existsSync(timeFile)) {
        const [user, system] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
        cpuS = user + system;
      }
      rmSync(dir, { recursive: true, force: true });
      const meanLoad = loads.length > 0 ? loads.reduce((s, x) => s + x, 0) / loads.length : loadavg()[0];
      resolve({ wallMs, cpuS, meanLoad, ok: code === 0 });
    });
  });
}

function describe(j: JobTime): string {
  return `CPU ${j.cpuS === null ? 'n/a' : `${j.cpuS.toFixed(1)} s`}, load average ${j.meanLoad.toFixed(1)} during the run${j.ok ? '' : '; THE JOB FAILED'}`;
}

export async function benchCi(emit: (record: BenchRecord) => void): Promise<BenchRecord[]> {
  const records: BenchRecord[] = [];
  const load = Number(process.env.BENCH_LOAD ?? 10);
  if (!(Number.isInteger(load) && load >= 0 && load <= 64)) throw new Error(`BENCH_LOAD must be an integer in 0..64, got ${process.env.BENCH_LOAD}`);
  const add = (r: BenchRecord) => {
    records.push(r);
    emit(r);
  };
  const quiet = await timeJob();
  add({ name: `${JOB_NAME}, the machine as it is`, ms: quiet.wallMs, note: describe(quiet) });
  const burners: ChildProcess[] = [];
  try {
    for (let i = 0; i < load; i++) burners.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
    // Let the load average (a 1-minute mean) climb before the job starts.
    await new Promise((r) => setTimeout(r, Number(process.env.BENCH_CI_SETTLE_MS ?? 60_000)));
    const loaded = await timeJob();
    add({
      name: `${JOB_NAME} beside ${load} busy processes`,
      ms: loaded.wallMs,
      note: `${describe(loaded)}; ${(loaded.wallMs / quiet.wallMs).toFixed(2)}x the first run's wall; target <= 120 s at load 10`,
    });
  } finally {
    for (const b of burners) b.kill('SIGKILL');
  }
  return records;
}

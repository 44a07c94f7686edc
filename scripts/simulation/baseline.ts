/**
 * The simulator as it was before the speed work (commit BASELINE_COMMIT: the
 * first simulator, whose seed.ts, linalg.ts and random.ts stayed unchanged
 * until the implicit eigensolver and the panelled matmul and Gram kernels
 * replaced them), loaded from git history into a temporary folder and
 * imported next to today's code, so one process can time both on the same
 * seed and sizes and compare their numbers.
 *
 * Why from git and not as a kept option: the old path differs in every hot
 * kernel (unpanelled matmul and Gram, tred2/tql2 with the full eigenvector
 * matrix, U^T X by rank-one updates); keeping all of it selectable in src/
 * would freeze dead code there, while `git show` gives the exact old files
 * byte for byte. Those three files import nothing else, so they run as they
 * were. Needs git and the commit in the history (a shallow clone lacks it):
 * `loadBaselineSimulator` then returns the reason as a string.
 *
 * Used by bench/simulation.ts, scripts/simulation/baseline-speed.ts and
 * test/simulation/baseline.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SeedOutput, SeedSetup } from '../../src/simulation/index.js';

/** The commit the baseline files are read from (the simulator's first version; its seed, linalg and random files were unchanged up to the speed work). */
export const BASELINE_COMMIT = '81f103c45ae0b9ec568bf7e316371919f619437b';

const FILES = ['seed.ts', 'linalg.ts', 'random.ts'];

/** The old runSeed. Its setup is today's minus the later fields (eigensolver, dynamics ...), which it ignores: gradient flow only. */
export interface BaselineSimulator {
  commit: string;
  runSeed(setup: SeedSetup, index: number): Pick<SeedOutput, 'test' | 'train' | 'testA' | 'vbar' | 'form' | 'size'>;
}

export async function loadBaselineSimulator(): Promise<BaselineSimulator | string> {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'scaling-dmft-baseline-'));
  try {
    for (const file of FILES) {
      const show = spawnSync('git', ['-C', root, 'show', `${BASELINE_COMMIT}:src/simulation/${file}`], { encoding: 'utf8', maxBuffer: 1 << 26 });
      if (show.status !== 0) return `baseline not loaded: git show ${BASELINE_COMMIT.slice(0, 7)}:src/simulation/${file} failed (${(show.error?.message ?? show.stderr ?? '').trim().split('\n').pop()})`;
      writeFileSync(join(dir, file), show.stdout);
    }
    // The module graph (seed -> linalg, random) is read whole at import, so the folder can go afterwards.
    const module = (await import(pathToFileURL(join(dir, 'seed.ts')).href)) as { runSeed?: BaselineSimulator['runSeed'] };
    if (typeof module.runSeed !== 'function') return 'baseline not loaded: the old seed.ts exports no runSeed';
    return { commit: BASELINE_COMMIT, runSeed: module.runSeed };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Largest |a - b| / max(|b|, floor) over the test and train losses and the mean residual of two seed outputs. */
export function largestRelativeDifference(a: Pick<SeedOutput, 'test' | 'train' | 'vbar'>, b: Pick<SeedOutput, 'test' | 'train' | 'vbar'>): number {
  let worst = 0;
  for (const key of ['test', 'train', 'vbar'] as const) {
    const x = a[key];
    const y = b[key];
    if (x.length !== y.length) return Infinity;
    let scale = 0;
    for (let i = 0; i < y.length; i++) scale = Math.max(scale, Math.abs(y[i]));
    // Residual entries cross zero: relative to the largest entry of the array, not entrywise.
    const floor = key === 'vbar' ? scale : 0;
    for (let i = 0; i < y.length; i++) {
      const d = Math.abs(x[i] - y[i]) / Math.max(Math.abs(y[i]), floor, Number.MIN_VALUE);
      worst = Number.isNaN(d) ? Infinity : Math.max(worst, d);
    }
  }
  return worst;
}

/**
 * `curve` with momentum and with GD past eta E_max = 1 answers 1e2..1e6 steps (THEORY E27a): every row
 * converged, exit code 0, and the CPU time of the whole command within 3x a gradient-flow `curve` with the
 * same times (measured in this process, interleaved, least of two runs: the machine is shared).
 */
import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

const BASE = ['curve', '--a', '1.5', '--b', '1.25', '--N', '512', '--P', '1024', '--sigma', '0.3', '--t', '100,1000,10000,100000,1000000', '--format', 'csv'];

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function timed(argv: string[]): Promise<{ ms: number; stdout: string; code: number }> {
  let best = Infinity;
  let last = { stdout: '', code: -1 };
  for (let r = 0; r < 2; r++) {
    const t0 = cpuMs();
    const out = await cli(...argv);
    best = Math.min(best, cpuMs() - t0);
    last = out;
  }
  return { ms: best, ...last };
}

describe('curve at 1e2..1e6 steps (keyhole rule)', () => {
  it.each([
    ['momentum beta 0.9', ['--optimizer', 'momentum', '--lr', '0.5', '--momentum', '0.9']],
    ['momentum beta 0.5', ['--optimizer', 'momentum', '--lr', '1', '--momentum', '0.5']],
    ['gd eta E_max = 1.46', ['--optimizer', 'gd', '--lr', '1.3']],
  ])('%s: every step converged, within 3x the gradient-flow curve', async (_, flags) => {
    const gf = await timed(BASE);
    const run = await timed([...BASE, ...flags]);
    expect(gf.code).toBe(0);
    expect(run.code).toBe(0);
    const rows = run.stdout.trim().split('\n').filter((l) => /^\d/.test(l));
    expect(rows.length).toBe(5);
    for (const row of rows) expect(row).toMatch(/,converged$/);
    expect(run.ms).toBeLessThanOrEqual(3 * gf.ms);
  }, 120_000);
});

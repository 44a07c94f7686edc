/**
 * `curve` with momentum and with GD past eta E_max = 1 answers 1e2..1e6 steps (THEORY E27a): every row
 * converged, exit code 0. The cost against a gradient-flow curve with the same times is a benchmark
 * (`npm run bench -- horizon`), not a timed test.
 */
import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

const BASE = ['curve', '--a', '1.5', '--b', '1.25', '--N', '512', '--P', '1024', '--sigma', '0.3', '--t', '100,1000,10000,100000,1000000', '--format', 'csv'];

describe('curve at 1e2..1e6 steps (keyhole rule)', () => {
  it.each([
    ['momentum beta 0.9', ['--optimizer', 'momentum', '--lr', '0.5', '--momentum', '0.9']],
    ['momentum beta 0.5', ['--optimizer', 'momentum', '--lr', '1', '--momentum', '0.5']],
    ['gd eta E_max = 1.46', ['--optimizer', 'gd', '--lr', '1.3']],
  ])('%s: every step converged', async (_, flags) => {
    const run = await cli(...BASE, ...flags);
    expect(run.code).toBe(0);
    const rows = run.stdout.trim().split('\n').filter((l) => /^\d/.test(l));
    expect(rows.length).toBe(5);
    for (const row of rows) expect(row).toMatch(/,converged$/);
  }, 120_000);
});

/**
 * examples/library.ts runs (as a script and as a module) and does what the
 * CLI does: its CSV has the values of `scaling-dmft curve` for the same
 * problem (to 1e-9: the API's log grid and the CLI's list differ in the last
 * bits of t).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../examples/library.js';
import { cli, ROOT } from './helpers.js';

describe('examples/library.ts', () => {
  it('runs as a script with tsx and prints the curve and its static limit', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'examples', 'library.ts')], { encoding: 'utf8', cwd: ROOT, timeout: 120_000 });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^t,test,test_err,train,bias,gap,test_A,status$/m);
    expect(result.stdout).toMatch(/^L\(t = inf\) = 0\.\d+ \+- /m);
  });

  it('its CSV has the columns and values the CLI prints for the same problem', async () => {
    const write = process.stdout.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    let text: string;
    try {
      text = await main();
    } finally {
      process.stdout.write = write;
    }
    const csv = text.split('\n\n')[0];
    const times = '1,10,100,1000,10000,inf';
    const fromCli = await cli('curve', '--a', '1.5', '--b', '1.25', '--N', '256', '--P', '1024', '--t', times, '--format', 'csv');
    expect(fromCli.code, fromCli.stderr).toBe(0);
    // The grid 1:1e4:5 and the list give the same doubles only where exp/log are exact; compare values, not the grid text.
    const rows = (s: string) => s.trim().split('\n').filter((l) => !l.startsWith('#')).map((l) => l.split(','));
    const a = rows(csv);
    const b = rows(fromCli.stdout);
    expect(a[0]).toEqual(b[0]);
    expect(a).toHaveLength(b.length);
    for (let i = 1; i < a.length; i++) {
      for (let j = 0; j < a[i].length - 1; j++) {
        const x = a[i][j] === 'inf' ? Infinity : Number(a[i][j]);
        const y = b[i][j] === 'inf' ? Infinity : Number(b[i][j]);
        if (x === y) continue;
        expect(Math.abs(x - y), `row ${i} col ${a[0][j]}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(y)));
      }
    }
  });
});

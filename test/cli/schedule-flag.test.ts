/**
 * `curve --schedule` (THEORY E28c): every spec form reaches the numeric layer as problem data, file:PATH is read
 * into explicit rates, and bad input is one line naming --schedule (or --t for the step cap), exit 2, before any work.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDir } from '../scratch.js';
import { parseCurveCommand, type CurveFlags } from '../../src/cli/commands/curve.js';
import { describeDynamics, rateFactor } from '../../src/dynamics/index.js';
import { cli, isOneLineError } from './helpers.js';

const BASE = ['curve', '--a', '1.5', '--b', '1.25', '--M', '100', '--N', '64', '--P', '128', '--t', '1,10,50', '--format', 'csv'];
const flags = (extra: Partial<CurveFlags>): CurveFlags => ({ a: '1.5', b: '1.25', N: '64', P: '128', t: '1,10,100', optimizer: 'gd', lr: '0.5', ...extra });
const dir = scratchDir('schedule-flag-');

describe('curve --schedule', () => {
  it('each spec becomes the schedule of the dynamics; constant is no schedule', () => {
    for (const [spec, s, f] of [['cosine:100', 50, 0.5], ['wsd:100:0.5', 75, 0.5], ['step:10:0.1', 10, 0.1], ['power:10:1', 10, 0.5]] as const) {
      const d = parseCurveCommand(flags({ schedule: spec })).problem.dynamics;
      expect(d?.kind === 'gd' && d.schedule !== undefined && rateFactor(d.schedule, s)).toBeCloseTo(f, 15);
    }
    const constant = parseCurveCommand(flags({ schedule: 'constant' })).problem.dynamics;
    expect(constant).toEqual({ kind: 'gd', lr: 0.5, ridge: 0 });
    const path = join(dir, 'rates.csv');
    writeFileSync(path, '0,1\n20,0.5\n');
    const file = parseCurveCommand(flags({ optimizer: 'momentum', momentum: '0.5', schedule: `file:${path}` })).problem.dynamics;
    expect(file?.kind === 'momentum' && file.schedule !== undefined && rateFactor(file.schedule, 10)).toBeCloseTo(0.75, 15);
    // Provenance records the rates themselves (count and checksum), not only the path.
    const recorded = String(describeDynamics(file!).schedule);
    expect(recorded).toMatch(/^file:.*rates\.csv \(2 breakpoints, fnv1a [0-9a-f]{8}\)$/);
    writeFileSync(path, '0,1\n20,0.25\n');
    const changed = parseCurveCommand(flags({ optimizer: 'momentum', momentum: '0.5', schedule: `file:${path}` })).problem.dynamics;
    expect(String(describeDynamics(changed!).schedule)).not.toBe(recorded);
  });

  it('a WSD curve runs, converged, and its provenance names the schedule', async () => {
    const run = await cli(...BASE, '--optimizer', 'gd', '--lr', '0.5', '--schedule', 'wsd:50:0.4');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('dynamics.schedule=wsd:50:0.4');
    const rows = run.stdout.trim().split('\n').filter((l) => /^\d/.test(l));
    expect(rows.length).toBe(3);
    for (const row of rows) expect(row).toMatch(/,converged$/);
  }, 60_000);

  it('one-pass SGD under a cosine schedule at N = inf runs, converged, with the schedule in its provenance', async () => {
    const argv = [...BASE, '--optimizer', 'sgd', '--lr', '0.5', '--batch', '2', '--schedule', 'cosine:50'];
    argv[argv.indexOf('--N') + 1] = 'inf';
    argv[argv.indexOf('--P') + 1] = 'inf';
    const run = await cli(...argv);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('dynamics.schedule=cosine:50');
    const rows = run.stdout.trim().split('\n').filter((l) => /^\d/.test(l));
    expect(rows.length).toBe(3);
    for (const row of rows) expect(row).toMatch(/,converged$/);
  }, 60_000);

  it.each([
    ['an unknown form', ['--optimizer', 'gd', '--lr', '0.5', '--schedule', 'linear:10'], /^scaling-dmft: error: --schedule must be constant, step:T1:F, cosine:T/],
    ['a bad number', ['--optimizer', 'gd', '--lr', '0.5', '--schedule', 'wsd:100:1.5'], /--schedule needs a decay fraction F in \(0, 1\] in wsd:100:1\.5, got 1\.5/],
    ['with sgd at finite N past 5000 steps', ['--optimizer', 'sgd', '--lr', '0.5', '--schedule', 'cosine:10', '--t', '10,6000'], /--t must be at most 5000 steps for one-pass SGD under a learning-rate schedule at finite N/],
    ['with gradient flow', ['--schedule', 'cosine:10'], /--schedule only applies with --optimizer gd, momentum or sgd/],
    ['an unreadable file', ['--optimizer', 'gd', '--lr', '0.5', '--schedule', 'file:/nonexistent/rates.txt'], /--schedule file cannot be read \(ENOENT\)/],
    ['a device', ['--optimizer', 'gd', '--lr', '0.5', '--schedule', 'file:/dev/zero'], /--schedule must be a regular file \(this is a device, a stream that may never end\)/],
    ['past the step limit', ['--optimizer', 'gd', '--lr', '0.5', '--schedule', 'cosine:1000', '--t', '10,2000000'], /--t must be at most 1000000 steps with a learning-rate schedule/],
  ])('%s: one line, exit 2', async (_, extra, message) => {
    const argv = [...BASE, ...extra];
    if (extra.includes('--optimizer') && extra[extra.indexOf('--optimizer') + 1] === 'sgd') argv[argv.indexOf('--P') + 1] = 'inf';
    const run = await cli(...argv);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stdout).toBe('');
    expect(isOneLineError(run.stderr), run.stderr).toBe(true);
    expect(run.stderr).toMatch(message);
  });
});

/**
 * The training-dynamics flags of `curve` (THEORY E25-E29): --optimizer,
 * --lr, --momentum, --batch, --ridge. Missing or contradictory flags are one
 * line naming the flag, exit 2, before any work; valid dynamics reach the
 * numeric layer and the simulator as problem data (never a gradient-flow
 * curve labelled with another optimizer).
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCurveCommand, type CurveFlags } from '../../src/cli/commands/curve.js';
import { makeDynamics } from '../../src/dynamics/index.js';
import { checkCurveReport } from '../../src/reconcile/curve-report.js';
import { powerLawSpectrum } from '../../src/spectrum/index.js';
import { cli, isOneLineError } from './helpers.js';

const BASE = ['curve', '--a', '1.5', '--b', '1.25', '--N', '64', '--P', '128', '--t', '1,10,100'];
const SGD_BASE = ['curve', '--a', '1.5', '--b', '1.25', '--N', '64', '--P', 'inf', '--t', '1,10,100'];

describe('curve: contradictory or missing dynamics flags', () => {
  it.each([
    ['--momentum without the momentum optimizer', [...BASE, '--optimizer', 'gd', '--lr', '0.5', '--momentum', '0.9'], /^scaling-dmft: error: --momentum only applies with --optimizer momentum or nesterov, got 0\.9\n$/],
    ['--momentum with gradient flow', [...BASE, '--momentum', '0.9'], /--momentum only applies with --optimizer momentum/],
    ['--batch with gradient flow', [...BASE, '--batch', '4'], /^scaling-dmft: error: --batch only applies with --optimizer sgd, got 4\n$/],
    ['--batch with gd', [...BASE, '--optimizer', 'gd', '--lr', '0.5', '--batch', '4'], /--batch only applies with --optimizer sgd/],
    ['eta = 0', [...BASE, '--optimizer', 'gd', '--lr', '0'], /^scaling-dmft: error: --lr must be > 0, got 0\n$/],
    ['eta < 0', [...BASE, '--optimizer', 'momentum', '--lr', '-0.1'], /--lr must be > 0, got -0\.1/],
    ['B < 1', [...SGD_BASE, '--optimizer', 'sgd', '--lr', '0.5', '--batch', '0'], /^scaling-dmft: error: --batch must be an integer >= 1, got "0"\n$/],
    ['B not an integer', [...SGD_BASE, '--optimizer', 'sgd', '--lr', '0.5', '--batch', '2.5'], /--batch must be an integer >= 1, got "2\.5"/],
    ['step 1 with sgd at finite P', [...BASE, '--optimizer', 'sgd', '--lr', '0.5'], /^scaling-dmft: error: --t must be a whole step count 0 or >= 2 for SGD on fixed samples .*got 1\n$/],
    ['--sampling epochs with a batch below P', [...BASE, '--t', '10,100', '--optimizer', 'sgd', '--lr', '0.5', '--batch', '4', '--sampling', 'epochs'], /^scaling-dmft: error: --sampling epochs is predicted only for a batch that is a multiple of P .*not derived.*got "epochs"\n$/],
    ['--sampling without sgd', [...BASE, '--sampling', 'epochs'], /^scaling-dmft: error: --sampling applies to --optimizer sgd with a finite --P only, got "epochs"\n$/],
    ['--sampling with P = inf', [...SGD_BASE, '--optimizer', 'sgd', '--lr', '0.5', '--sampling', 'replacement'], /--sampling applies to --optimizer sgd with a finite --P only/],
    ['--schedule with SGD on P fixed samples', [...BASE, '--t', '10', '--optimizer', 'sgd', '--lr', '0.5', '--schedule', 'cosine:100'], /^scaling-dmft: error: --schedule applies to one-pass SGD \(P = Infinity\) only, not to SGD on P fixed samples .*got "cosine:100"\n$/],
    ['an unknown --sampling', [...BASE, '--t', '10', '--optimizer', 'sgd', '--lr', '0.5', '--sampling', 'shuffle'], /^scaling-dmft: error: --sampling must be one of replacement, epochs, got "shuffle"\n$/],
    ['--lr with gradient flow', [...BASE, '--lr', '0.5'], /--lr does not apply to gradient flow/],
    ['a discrete optimizer without --lr', [...BASE, '--optimizer', 'gd'], /--lr is required with --optimizer gd/],
    ['an unknown optimizer', [...BASE, '--optimizer', 'adam'], /--optimizer must be one of gf, gd, momentum, sgd, nesterov, got "adam"/],
    ['beta = 1', [...BASE, '--optimizer', 'momentum', '--lr', '0.5', '--momentum', '1'], /--momentum must be in \[0, 1\), got 1/],
    ['nesterov without --lr', [...BASE, '--optimizer', 'nesterov'], /^scaling-dmft: error: --lr is required with --optimizer nesterov\n$/],
    ['nesterov with a schedule', [...BASE, '--optimizer', 'nesterov', '--lr', '0.5', '--schedule', 'cosine:10'], /--schedule only applies with --optimizer gd, momentum or sgd/],
    ['a negative ridge', [...BASE, '--ridge', '-1'], /--ridge must be >= 0, got -1/],
    ['ridge with sgd', [...SGD_BASE, '--optimizer', 'sgd', '--lr', '0.5', '--ridge', '0.1'], /--ridge is not supported with one-pass SGD/],
    ['fractional steps with gd', ['curve', '--a', '1.5', '--b', '1.25', '--N', '64', '--P', '128', '--t', '0.5,10', '--optimizer', 'gd', '--lr', '0.5'], /^scaling-dmft: error: --t must list whole step counts with gd .*got 0\.5\n$/],
    ['a log grid of non-integer steps with momentum', ['curve', '--a', '1.5', '--b', '1.25', '--N', '64', '--P', '128', '--t', '1:100:4', '--optimizer', 'momentum', '--lr', '0.5'], /--t must list whole step counts with momentum/],
    ['--modes with gd', [...BASE, '--optimizer', 'gd', '--lr', '0.5', '--modes', '1'], /--modes transfer functions are computed for gradient flow only/],
  ])('%s: one line, exit 2', async (_label, argv, message) => {
    const result = await cli(...argv);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout).toBe('');
    expect(isOneLineError(result.stderr), result.stderr).toBe(true);
    expect(result.stderr).toMatch(message);
  });
});

describe('curve: valid dynamics are problem data', () => {
  const flags = (extra: Partial<CurveFlags>): CurveFlags => ({ a: '1.5', b: '1.25', N: '64', P: '128', t: '1,10,100', ...extra });

  it('the flags become the Dynamics every layer reads', () => {
    expect(parseCurveCommand(flags({})).problem.dynamics).toEqual(makeDynamics({}));
    expect(parseCurveCommand(flags({ ridge: '0.1' })).problem.dynamics).toEqual({ kind: 'gf', ridge: 0.1 });
    expect(parseCurveCommand(flags({ optimizer: 'gd', lr: '0.5' })).problem.dynamics).toEqual({ kind: 'gd', lr: 0.5, ridge: 0 });
    expect(parseCurveCommand(flags({ optimizer: 'momentum', lr: '0.5', momentum: '0.8' })).problem.dynamics).toEqual({ kind: 'momentum', lr: 0.5, beta: 0.8, ridge: 0 });
    expect(parseCurveCommand(flags({ optimizer: 'sgd', lr: '0.5', batch: '4', P: 'inf' })).problem.dynamics).toEqual({ kind: 'sgd', lr: 0.5, batch: 4, ridge: 0 });
    expect(parseCurveCommand(flags({ optimizer: 'nesterov', lr: '0.5', momentum: '0.8' })).problem.dynamics).toEqual({ kind: 'nesterov', lr: 0.5, beta: 0.8, ridge: 0 });
  });

  it('the API checks the same rules (whole steps; sgd at finite P: steps 0 or >= 2, epochs only for a batch that is a multiple of P)', () => {
    const spectrum = powerLawSpectrum({ a: 1.5, b: 1.25 });
    const gd = makeDynamics({ optimizer: 'gd', lr: 0.5 });
    expect(() => checkCurveReport({ spectrum, N: 64, P: 128, t: [0.5], dynamics: gd })).toThrow(/^t must list whole step counts/);
    expect(() => checkCurveReport({ spectrum, N: 64, P: 128, t: [1, 10], dynamics: makeDynamics({ optimizer: 'sgd', lr: 0.5 }) })).toThrow(/^t\[0\] must be a whole step count 0 or >= 2/);
    expect(() => checkCurveReport({ spectrum, N: 64, P: 128, t: [10], dynamics: makeDynamics({ optimizer: 'sgd', lr: 0.5, batch: 4 }), sgdSampling: 'epochs' })).toThrow(/^sampling epochs is predicted only/);
    expect(() => checkCurveReport({ spectrum, N: 64, P: 128, t: [10], dynamics: gd, sgdSampling: 'epochs' })).toThrow(/^sgdSampling applies to SGD on a finite training set only/);
    expect(checkCurveReport({ spectrum, N: 64, P: 128, t: [1, 10, Infinity], dynamics: gd }).problem.dynamics).toBe(gd);
  });

  it.each([
    ['gd', ['--optimizer', 'gd', '--lr', '0.5'], { kind: 'gd', lr: 0.5 }],
    ['momentum', ['--optimizer', 'momentum', '--lr', '0.5', '--momentum', '0.5'], { kind: 'momentum', lr: 0.5, beta: 0.5 }],
    ['ridge', ['--ridge', '0.01'], { kind: 'gf', ridge: 0.01 }],
    ['nesterov', ['--optimizer', 'nesterov', '--lr', '0.5', '--momentum', '0.9'], { kind: 'nesterov', lr: 0.5, beta: 0.9 }],
  ])('%s reaches the numeric layer: computed and recorded, or refused by that layer naming --optimizer; never gradient flow in disguise', async (_label, extra, expected) => {
    const result = await cli(...BASE, ...extra, '--format', 'json');
    if (result.code === 0) {
      expect(JSON.parse(result.stdout).parameters.dynamics).toMatchObject(expected);
    } else {
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^scaling-dmft: error: --optimizer is not supported by the numeric layer yet/);
    }
  });
});

describe('nesterov through the other commands', () => {
  it('curve past the circle rule at finite N, P: answered by the keyhole (THEORY E28d), no refusal', async () => {
    const ok = await cli(...BASE.slice(0, -1), '1,5000,1e6', '--optimizer', 'nesterov', '--lr', '0.5', '--momentum', '0.9', '--format', 'json');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/keyhole/);
  });
  it('exponents: the gradient-flow laws in eta t/(1 - beta), and the stability bound 2 (1 + beta)/(1 + 2 beta) on lambda_1 = 1', async () => {
    const ok = await cli('exponents', '--a', '2', '--b', '1.5', '--optimizer', 'nesterov', '--lr', '0.5', '--momentum', '0.9', '--format', 'json');
    expect(ok.code, ok.stderr).toBe(0);
    const table = JSON.parse(ok.stdout);
    expect(table.optimizer).toBe('nesterov');
    expect(table.notes.join(' ')).toMatch(/gradient-flow time eta t\/\(1 - beta\) .*THEORY E28d/);
    const bad = await cli('exponents', '--a', '2', '--b', '1.5', '--optimizer', 'nesterov', '--lr', '1.5', '--momentum', '0.9');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^scaling-dmft: error: --lr must be < 2 \(1 \+ beta\)\/\(1 \+ 2 beta\) = 1\.357\d* \(nesterov diverges on lambda_1 = 1 beyond, THEORY E28d\), got 1\.5\n$/);
  });
  // reconcile measures its time law in eta t/(1 - beta) (test/cli/dynamics-laws-cli.test.ts); the report's sweeps do not.
  it('report refuses it in one line, naming what it measures', async () => {
    const out = join(tmpdir(), `scaling-dmft-nesterov-report-${process.pid}`);
    const result = await cli('report', '--a', '2', '--b', '1.5', '--optimizer', 'nesterov', '--lr', '0.5', '--out', out);
    expect(result.code).toBe(2);
    expect(isOneLineError(result.stderr)).toBe(true);
    expect(result.stderr).toMatch(/--optimizer report measures gf, sgd; nesterov follows gradient flow in eta t\/\(1 - beta\)/);
    expect(existsSync(out)).toBe(false);
  });
});

// One-pass SGD takes a schedule in curve (E28c); its laws (E28, E29) and the data-reuse closure (E28b) are at one
// rate, so exponents and reconcile refuse it rather than print the constant-rate laws.
describe('sgd with a schedule outside curve', () => {
  const SGD = ['--a', '3', '--b', '1.5', '--optimizer', 'sgd', '--lr', '0.3', '--batch', '4', '--schedule', 'cosine:100'];
  it.each([
    ['exponents', /^scaling-dmft: error: --schedule has laws \(the summed rate, E28c\) for gd, momentum only, not for sgd, got "cosine:100"\n$/],
    ['reconcile', /^scaling-dmft: error: --schedule is not measured with --optimizer sgd .*got "cosine:100"\n$/],
  ])('%s: one line, exit 2', async (command, message) => {
    const result = await cli(command, ...SGD);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
  });
});

/**
 * `exponents` and `derive` as a user meets them: the SGD contract (laws compute_optimal_N/t/loss and a
 * top-level phase), gd/momentum notes, one-line errors naming the flag for invalid and extreme input.
 */
import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';


interface Law { id: string; exponent: number | null; exponentExact?: string; prefactor: number | null; factor?: string; note?: string }

describe('exponents --optimizer sgd --P: the data-reuse laws printed (THEORY E28b)', () => {
  // Exponents from the closed forms written out here, not from the symbolic layer: horizon t_x ~ P^(b min(a-1, 2b)/(a-1)),
  // epochs one less, early stopping t* ~ P^(b/a) and L* - sigma^2 ~ P^(-(a-1)/a), noise gap ~ t^(1/b), limit P^-min(a-1, 2b).
  it.each([
    [1.5, 1.25],
    [6, 1.25],
  ])('(a, b) = (%s, %s): every reuse row with its exponent', async (a, b) => {
    const r = await cli('exponents', '--a', String(a), '--b', String(b), '--optimizer', 'sgd', '--lr', '0.5', '--batch', '4', '--P', '1000', '--format', 'json');
    expect(r.code).toBe(0);
    const laws = (JSON.parse(r.stdout) as { laws: Law[] }).laws;
    const get = (id: string): Law => laws.find((l) => l.id === id)!;
    const d = Math.min(a - 1, 2 * b);
    expect(get('reuse_horizon').exponent).toBeCloseTo((b * d) / (a - 1), 12);
    expect(get('reuse_horizon_epochs').exponent).toBeCloseTo((b * d) / (a - 1) - 1, 12);
    expect(get('reuse_epoch_loss').exponent).toBeCloseTo(-(a - 1) / b, 12);
    expect(get('reuse_noise_gap').exponent).toBeCloseTo(1 / b, 12);
    expect(get('reuse_early_stopping_steps').exponent).toBeCloseTo(b / a, 12);
    expect(get('reuse_early_stopping_loss').exponent).toBeCloseTo(-(a - 1) / a, 12);
    expect(get('reuse_limit').exponent).toBeCloseTo(-d, 12);
    // eta, B and P are given: the horizon's prefactor is a number, and its value at P = 1000 is in the note.
    expect(typeof get('reuse_horizon').prefactor).toBe('number');
    expect(get('reuse_horizon').note).toMatch(/at P = 1000: /);
    // sigma is not a flag of exponents: the label-noise laws keep it symbolic.
    expect(get('reuse_noise_gap').prefactor).toBeNull();
  });
});

describe('exponents --optimizer sgd: the JSON contract', () => {
  it.each([
    ['1.5', '2', 'Ia', '1/3', '-1/6'],
    ['4.5', '2.8', 'II', '17/45', '-7/9'],
    ['7', '2.5', 'III', '1/2', '-4/5'],
  ])('(a, b) = (%s, %s): phase %s, N* ~ C^%s, L* ~ C^%s', async (a, b, phase, nExp, lExp) => {
    const r = await cli('exponents', '--a', a, '--b', b, '--optimizer', 'sgd', '--lr', '0.3', '--batch', '4', '--format', 'json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { phase: string; optimizer: string; lr: number; batch: number; laws: Law[] };
    expect(json.phase).toBe(phase);
    expect(json.optimizer).toBe('sgd');
    expect([json.lr, json.batch]).toEqual([0.3, 4]);
    const get = (id: string): Law => json.laws.find((l) => l.id === id)!;
    expect(get('compute_optimal_N').exponentExact).toBe(nExp);
    expect(get('compute_optimal_loss').exponentExact).toBe(lExp);
    expect(get('compute_optimal_N').exponent! + get('compute_optimal_t').exponent!).toBeCloseTo(1, 14); // C = N t B at fixed B
    for (const id of ['compute_optimal_N', 'compute_optimal_t', 'compute_optimal_loss']) expect(typeof get(id).prefactor).toBe('number');
  });
  it('without --lr the learning rate stays symbolic (it shows in factor)', async () => {
    const r = await cli('exponents', '--a', '7', '--b', '2.5', '--optimizer', 'sgd', '--format', 'json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { lr: number | null; laws: Law[] };
    expect(json.lr).toBeNull();
    expect(json.laws.find((l) => l.id === 'compute_optimal_loss')!.factor).toMatch(/eta/);
  });
  it('md and latex show the phase and the compute-optimal laws', async () => {
    const md = await cli('exponents', '--a', '7', '--b', '2.5', '--optimizer', 'sgd', '--lr', '0.3');
    expect(md.stdout).toMatch(/phase III/);
    expect(md.stdout).toMatch(/\| compute_optimal_N \|.*C\^\{\\frac\{1\}\{2\}\}/);
    expect(md.stdout).toMatch(/\| sgd_noise \|/);
    const tex = await cli('exponents', '--a', '7', '--b', '2.5', '--optimizer', 'sgd', '--lr', '0.3', '--format', 'latex');
    expect(tex.stdout).toMatch(/\\text\{phase: III \(optimizer sgd\)\}/);
    expect(tex.stdout).toMatch(/N\^\{\*\}/);
  });
  it('gd and momentum: the gradient-flow laws in eta t, said in a note', async () => {
    for (const opt of ['gd', 'momentum']) {
      const r = await cli('exponents', '--a', '7', '--b', '2.5', '--optimizer', opt, '--format', 'json');
      expect(r.code).toBe(0);
      const json = JSON.parse(r.stdout) as { notes: string[]; laws: Law[] };
      expect(json.notes.join(' ')).toMatch(/same laws as gradient flow/);
      expect(json.laws.find((l) => l.id === 'compute_optimal_N')!.exponent).toBeCloseTo(4.5 / 7, 14);
    }
  });
});

describe('exponents: one-line errors naming the flag, exit 2', () => {
  it.each([
    ['--batch with gradient flow', ['--a', '2', '--b', '1.5', '--batch', '4'], /^scaling-dmft: error: --batch only applies with --optimizer sgd/],
    ['--lr with gradient flow', ['--a', '2', '--b', '1.5', '--lr', '0.1'], /^scaling-dmft: error: --lr does not apply to gradient flow/],
    ['--momentum without momentum', ['--a', '2', '--b', '1.5', '--optimizer', 'sgd', '--momentum', '0.5'], /^scaling-dmft: error: --momentum only applies/],
    ['a too small b', ['--a', '2', '--b', '1e-300'], /^scaling-dmft: error: --b must be in \[0.001, 1000\]/],
    ['a huge a', ['--a', '1e300', '--b', '2'], /^scaling-dmft: error: --a must be <= 1000/],
    ['an unstable rate', ['--a', '2', '--b', '1.5', '--optimizer', 'sgd', '--lr', '1.5'], /^scaling-dmft: error: --lr must be < 2\/\(1 \+ 1\/B\) = 1 /],
    ['a diverging SGD kernel', ['--a', '3', '--b', '1.05', '--optimizer', 'sgd', '--lr', '0.9'], /^scaling-dmft: error: --lr must keep the SGD kernel norm/],
    ['batch below 1', ['--a', '2', '--b', '1.5', '--optimizer', 'sgd', '--batch', '0'], /^scaling-dmft: error: --batch/],
  ])('%s', async (_, args, message) => {
    const r = await cli('exponents', ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
  });
  it('a = 1.0000001 gives a short answer, exact forms declined where too large (said in the output)', async () => {
    const r = await cli('exponents', '--a', '1.0000001', '--b', '1.25', '--format', 'json');
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBeLessThan(40000);
    expect(Math.max(...r.stdout.split('\n').map((l) => l.length))).toBeLessThan(3000);
  });
});

describe('derive', () => {
  it('lists the sgd derivation without running any', async () => {
    const r = await cli('derive', '--list');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^sgd\s+One-pass SGD/m);
  });
});

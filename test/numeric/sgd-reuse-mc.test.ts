/**
 * The SGD-on-P-samples DMFT (THEORY E28b, `curve --optimizer sgd` at finite P)
 * against the sampled finite model: minibatch SGD with replacement on P fixed
 * samples, N = 256, P = 256 and 512, B = 4 and 8, eta = 0.5, a = 2, b = 1.5,
 * M = 1000, sigma = 0 and 0.3, steps 10 to 2e4. The Monte Carlo means and
 * standard errors are a committed fixture (test/fixtures/sgd-reuse-mc.json,
 * produced by scripts/reuse/fixture.ts with its seed and parameters inside);
 * a small live simulation checks the same criterion at a smaller size.
 * Criterion: within 3 standard errors or 3 %, test loss and train loss.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeDynamics } from '../../src/dynamics/index.js';
import { solveCurve } from '../../src/numeric/index.js';
import { simulate } from '../../src/simulation/simulate.js';
import { powerLawSpectrum } from '../../src/spectrum/index.js';

interface Fixture {
  generated: string;
  parameters: { seeds: number; seed: number; N: number; M: number; a: number; b: number; eta: number; sigmas: number[]; t: number[]; configs: Array<{ P: number; batch: number }>; sampling: string };
  rows: Array<{ P: number; B: number; sigma: number; t: number; test: number; testSe: number; train: number; trainSe: number }>;
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/sgd-reuse-mc.json', import.meta.url), 'utf8')) as Fixture;

/** Within 3 s.e. or 3 % (the criterion). */
function agrees(theory: number, mean: number, se: number): boolean {
  return Math.abs(theory - mean) <= Math.max(3 * se, 0.03 * Math.abs(mean));
}

describe('SGD on P samples: DMFT against the sampled finite model (fixture)', () => {
  const { N, M, a, b, eta, sigmas, t, configs, sampling } = fixture.parameters;
  it('the fixture is the issue grid, with replacement and enough seeds', () => {
    expect(sampling).toBe('replacement');
    expect(N).toBe(256);
    expect(fixture.parameters.seeds).toBeGreaterThanOrEqual(64);
    expect(fixture.rows.length).toBe(configs.length * sigmas.length * t.length);
    expect(Math.min(...t)).toBe(10);
    expect(Math.max(...t)).toBe(20000);
  });
  for (const { P, batch } of configs) {
    for (const sigma of sigmas) {
      it(`P = ${P}, B = ${batch}, sigma = ${sigma}: test and train loss within 3 s.e. or 3 % at every step`, () => {
        const theory = solveCurve({ spectrum: powerLawSpectrum({ a, b, M }), N, P, sigma, t, dynamics: makeDynamics({ optimizer: 'sgd', lr: eta, batch }) });
        expect(theory.status).toBe('converged');
        const misses: string[] = [];
        t.forEach((x, i) => {
          const row = fixture.rows.find((r) => r.P === P && r.B === batch && r.sigma === sigma && r.t === x);
          if (!row) throw new Error(`fixture has no row P=${P} B=${batch} sigma=${sigma} t=${x}`);
          if (!agrees(theory.test[i], row.test, row.testSe)) misses.push(`test t=${x}: ${theory.test[i]} vs ${row.test} +- ${row.testSe}`);
          if (!agrees(theory.train[i], row.train, row.trainSe)) misses.push(`train t=${x}: ${theory.train[i]} vs ${row.train} +- ${row.trainSe}`);
        });
        expect(misses).toEqual([]);
      });
    }
  }
});

describe('SGD on P samples: live spot check against the simulator', () => {
  it('N = 96, P = 64, B = 4, sigma = 0.3, steps 10 and 60: within 3 s.e. or 3 % (24 seeds, seed 11)', async () => {
    const spectrum = powerLawSpectrum({ a: 2, b: 1.5, M: 200 });
    const t = [10, 60];
    const dynamics = makeDynamics({ optimizer: 'sgd', lr: 0.5, batch: 4 });
    const theory = solveCurve({ spectrum, N: 96, P: 64, sigma: 0.3, t, dynamics });
    const mc = await simulate({ spectrum, N: 96, P: 64, sigma: [0.3], t, seeds: 24, seed: 11, dynamics }, { ensemble: 1, maxSeconds: Infinity });
    const r = mc.results[0];
    t.forEach((_, i) => {
      expect(agrees(theory.test[i], r.test.mean[i], r.test.stderr[i])).toBe(true);
      expect(agrees(theory.train[i], r.train.mean[i], r.train.stderr[i])).toBe(true);
    });
    // The check has power: full-batch GD at the same rate is far outside it at step 60 (the batch noise).
    const full = solveCurve({ spectrum, N: 96, P: 64, sigma: 0.3, t, dynamics: makeDynamics({ optimizer: 'gd', lr: 0.5 }) });
    expect(agrees(full.train[1], r.train.mean[1], r.train.stderr[1])).toBe(false);
  });
});

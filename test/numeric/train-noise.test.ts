/**
 * The label-noise part of the train loss under discrete GD and heavy-ball
 * momentum (THEORY E16, E26, E27): sigma^2 int e_t(mu)^2 d rho(mu), rho the
 * spectral measure of the training kernel, against an independent reference
 * (test/fixtures/numeric/train-noise.json, scripts/numeric/train_noise_moments.py:
 * exact moments of rho from the resolvent series of E15a, the exact E27
 * recurrence, mpmath at 80 digits; no contour). The solver's noise part is
 * train(sigma) - train(0). For momentum e_t^2 != e_{2t}, so a single transform
 * at 2t (exact for GD and gradient flow) misses it by 0.1-1 %: the fixture's
 * twoT column records that value, and the test asserts the solver is far from it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeDynamics } from '../../src/dynamics/index.js';
import { powerLawSpectrum } from '../../src/spectrum/index.js';
import { circleStepLimit, solveCurve } from '../../src/numeric/index.js';

interface NoiseCase {
  kind: 'gd' | 'momentum';
  lr: number;
  beta?: number;
  M: number;
  b: number;
  N: number | 'Infinity';
  P: number;
  t: number[];
  noise: number[];
  twoT: number[];
}
const fixtures = JSON.parse(readFileSync(new URL('../fixtures/numeric/train-noise.json', import.meta.url), 'utf8')) as { cases: NoiseCase[] };

const SIGMA = 0.5;

describe('train-loss noise part against exact moments of the training-kernel spectrum (E16, E27)', () => {
  it.each(fixtures.cases.map((c) => [`${c.kind} N=${c.N} P=${c.P} M=${c.M} eta=${c.lr} beta=${c.beta ?? 0}`, c] as const))('%s', (_, c) => {
    const dynamics = c.kind === 'gd' ? makeDynamics({ optimizer: 'gd', lr: c.lr }) : makeDynamics({ optimizer: 'momentum', lr: c.lr, momentum: c.beta });
    const problem = { spectrum: powerLawSpectrum({ a: 1.5, b: c.b, M: c.M }), N: c.N === 'Infinity' ? Infinity : c.N, P: c.P, t: c.t, dynamics };
    const noisy = solveCurve({ ...problem, sigma: SIGMA });
    const clean = solveCurve({ ...problem, sigma: 0 });
    expect(noisy.status).toBe('converged');
    expect(clean.status).toBe('converged');
    c.t.forEach((_, i) => {
      const noise = (noisy.train[i] - clean.train[i]) / (SIGMA * SIGMA);
      // the signal part cancels in the difference; 1e-9 relative is far below the 2t route's 1e-3-1e-2
      expect(Math.abs(noise - c.noise[i])).toBeLessThanOrEqual(1e-9 * c.noise[i]);
      // the error estimate of the noisy train loss covers the noise part's error
      expect(Math.abs(noisy.train[i] - clean.train[i] - SIGMA * SIGMA * c.noise[i])).toBeLessThanOrEqual(noisy.errorEstimate.train[i] + clean.errorEstimate.train[i] + 1e-15);
      if (c.kind === 'momentum') expect(Math.abs(c.twoT[i] - c.noise[i])).toBeGreaterThan(5e-4 * c.noise[i]);
    });
  });
});

describe('momentum train noise needs no transform at 2t', () => {
  it('a momentum curve with label noise at finite P runs to 3/4 of the circle-rule step limit', () => {
    // The 2t route built a circle at 2t steps and refused anything past half the limit ("needs ... nodes at 2t").
    const t = Math.floor(0.75 * circleStepLimit());
    const sol = solveCurve({ spectrum: powerLawSpectrum({ a: 1.5, b: 1.25, M: 200 }), N: 64, P: 128, sigma: 0.3, t: [t], dynamics: makeDynamics({ optimizer: 'momentum', lr: 0.25, momentum: 0.5 }) });
    expect(sol.status).toBe('converged');
    for (const pass of sol.settings.inversion as { trainNoise: string }[]) expect(pass.trainNoise).toBe('two-point (same nodes)');
    expect(sol.train[0]).toBeGreaterThan(0);
    expect(sol.train[0]).toBeLessThan(sol.test[0]);
  }, 60_000);
});

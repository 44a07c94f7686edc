// THEORY (E25, E28c): the ridge laws and the summed rate against the SymPy/mpmath oracle
// (scripts/symbolic/ridge_schedule_laws_sympy.py -> fixtures/ridge-schedule-laws.json), and the DMFT against the same sums.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDynamics } from '../../src/dynamics/index.js';
import { solveCurve } from '../../src/numeric/index.js';
import { powerLawSpectrum } from '../../src/spectrum/index.js';
import { powerDecayLaw, ridgeLaws, summedRate } from '../../src/symbolic/index.js';

interface Fixture {
  ridge: { a: string; b: string; law: { exponent: string; prefactor: string }; loss: Record<string, string> }[];
  schedule: { t0: number; gamma: string; S_1e6_over_eta0: string; law: { exponent?: string; prefactor?: string; log_prefactor?: string; S_inf_over_eta0?: string } }[];
}
const fixture = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'ridge-schedule-laws.json'), 'utf8')) as Fixture;
const frac = (text: string) => text.split('/').map(Number).reduce((p, q) => p / q);

describe.each(fixture.ridge)('ridge (a, b) = ($a, $b)', (c) => {
  const a = frac(c.a);
  const b = frac(c.b);
  it('the plateau law is the SymPy Mellin / zeta leading term', () => {
    const law = ridgeLaws(a, b).find((l) => l.id === 'ridge_plateau')!;
    expect(law.exponent).toBeCloseTo(frac(c.law.exponent), 12);
    expect(law.prefactor! / Number(c.law.prefactor) - 1).toBeLessThan(1e-12);
  });
  it('the DMFT at t = inf matches the 30-digit mode sum at r = 1e-4 and 1e-6', () => {
    for (const r of ['1e-4', '1e-6']) {
      const curve = solveCurve({ spectrum: powerLawSpectrum({ a, b, M: Infinity }), N: Infinity, P: Infinity, sigma: 0, t: Float64Array.from([Infinity]), dynamics: makeDynamics({ ridge: Number(r) }) });
      const reference = Number(c.loss[r]);
      expect(Math.abs(curve.test[0] / reference - 1)).toBeLessThan(Math.max(1e-6, 3 * curve.errorEstimate.test[0] / curve.test[0]));
    }
  });
});

describe.each(fixture.schedule)('power decay t0 = $t0, gamma = $gamma', (c) => {
  const gamma = frac(c.gamma);
  const dynamics = makeDynamics({ optimizer: 'gd', lr: 0.5, schedule: { kind: 'power', t0: c.t0, gamma } });
  it('summedRate at 1e6 steps is the Hurwitz-zeta sum', () => {
    expect(Math.abs(summedRate(dynamics, [1e6])[0] / (0.5 * Number(c.S_1e6_over_eta0)) - 1)).toBeLessThan(1e-12);
  });
  it('the law of S_t: its power (gamma < 1), logarithm (gamma = 1) or finite limit (gamma > 1)', () => {
    const law = powerDecayLaw(1.5, 1.25, { kind: 'power', t0: c.t0, gamma }, 0.5);
    const S = 0.5 * Number(c.S_1e6_over_eta0);
    if (law.regime === 'power') {
      expect(law.summedExponent).toBeCloseTo(frac(c.law.exponent!), 12);
      expect(law.summedPrefactor).toBeCloseTo(0.5 * Number(c.law.prefactor), 10);
      // leading term against the exact sum at t = 1e6: the next term is -eta_0 t0/(1 - gamma) (a constant)
      expect(Math.abs((law.summedPrefactor * 1e6 ** law.summedExponent) / S - 1)).toBeLessThan(0.01);
      expect(law.exponent).toBeCloseTo(-(1 - gamma) * 0.4, 12);
    } else if (law.regime === 'logarithmic') {
      expect(law.logPrefactor).toBeCloseTo(0.5 * Number(c.law.log_prefactor), 12);
      expect(Math.abs((law.logPrefactor * Math.log(1e6 / c.t0)) / S - 1)).toBeLessThan(0.01);
    } else {
      const limit = 0.5 * Number(c.law.S_inf_over_eta0);
      // sum_{s>=0} (1 + s/t0)^-gamma lies in [t0/(gamma - 1), t0/(gamma - 1) + 1]
      expect(limit).toBeGreaterThanOrEqual(law.summedLimit);
      expect(limit).toBeLessThanOrEqual(law.summedLimit + 0.5);
      expect(S).toBeLessThan(limit);
    }
  });
});

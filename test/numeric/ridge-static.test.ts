// THEORY (E25): the t = inf ridge value at N = P = inf for ridges far below 1/t_max and the head's 1e-17
// (r = 1e-12 .. 1e-100), against 50-digit mpmath mode sums (scripts/numeric/ridge_tiny_reference.py) and the
// ridge-plateau law of the symbolic layer (src/symbolic/ridge.ts). A mode quadrature resolved only to
// lambda ~ 1e-4 and cut where the tail is 1e-17 of L(0) returned 0.2-1e-17 of these values as 'converged'.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeDynamics } from '../../src/dynamics/index.js';
import { solveCurve, staticLimits } from '../../src/numeric/index.js';
import { powerLawSpectrum } from '../../src/spectrum/index.js';
import { ridgeLaws } from '../../src/symbolic/ridge.js';

interface Row { a: number; b: number; ridge: number; loss: string; law: string }
const fixture = JSON.parse(readFileSync(new URL('./fixtures/ridge-tiny.json', import.meta.url), 'utf8')) as { cases: Row[] };

describe('ridge plateau at tiny ridges (E25), N = P = inf, t = inf', () => {
  it.each(fixture.cases.map((c) => [c.a, c.b, c.ridge, c] as const))('(a, b) = (%s, %s), r = %s: the value is the mode sum to its error estimate', (a, b, r, c) => {
    const spectrum = powerLawSpectrum({ a, b, M: Infinity });
    const dynamics = makeDynamics({ ridge: r });
    const truth = Number(c.loss);
    const curve = solveCurve({ spectrum, N: Infinity, P: Infinity, sigma: 0, t: Float64Array.from([1, Infinity]), dynamics });
    const value = curve.test[1];
    const err = curve.errorEstimate.test[1];
    expect(curve.quantityStatus.test[1]).toBe('converged');
    expect(Math.abs(value - truth)).toBeLessThanOrEqual(err);
    // The error estimate is relative to the value, not to L(0): an estimate of 1e-3 |value| would also be honest but useless.
    expect(err).toBeLessThan(1e-6 * truth);
    const st = staticLimits({ spectrum, N: Infinity, P: Infinity, sigma: 0, dynamics });
    expect(Math.abs(st.test - truth)).toBeLessThanOrEqual(st.errorEstimate);
    expect(st.errorEstimate).toBeLessThan(1e-6 * truth);
    // The symbolic layer's law is the leading term; its corrections are below 3e-12 relative at these r (fixture).
    const law = ridgeLaws(a, b).find((l) => l.id === 'ridge_plateau')!;
    const predicted = law.prefactor! * r ** law.exponent!;
    expect(Math.abs(value / predicted - 1)).toBeLessThan(1e-8);
  });
});

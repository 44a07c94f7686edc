/**
 * One-pass SGD laws exactly on the phase boundaries (THEORY E29: the
 * exponents are continuous across them). On a = 2b two balances of pure
 * powers tie and no logarithm enters: the table gives the exponent, the
 * common limit of both sides, checked here against the tables just off the
 * boundary (the ordinary cases, another path through the engine). On
 * a = b + 1 the width law carries a logarithm: no exponent, and a sentence
 * that says so and names the limit of both sides.
 */
import { describe, expect, it } from 'vitest';
import { exponentTable } from '../../src/symbolic/index.js';

const SGD = { kind: 'sgd' as const, lr: 0.3, batch: 4 };
const COMPUTE = ['compute_optimal_N', 'compute_optimal_t', 'compute_optimal_loss'] as const;
const lawAt = (a: number, b: number, id: string) => exponentTable({ a, b }, { dynamics: SGD }).laws.find((l) => l.id === id)!;

describe('SGD compute-optimal laws on a = 2b (no logarithm): the exponent is given', () => {
  it.each([
    [3, 1.5],
    [5, 2.5],
    [4, 2],
  ])('(a, b) = (%s, %s): N*, t*, L* equal the limit from both sides, with a note and no prefactor', (a, b) => {
    for (const id of COMPUTE) {
      const on = lawAt(a, b, id);
      const below = lawAt(a - 1e-6, b, id).exponent as number;
      const above = lawAt(a + 1e-6, b, id).exponent as number;
      expect(typeof on.exponent).toBe('number');
      expect(Math.abs((on.exponent as number) - below)).toBeLessThan(1e-5);
      expect(Math.abs((on.exponent as number) - above)).toBeLessThan(1e-5);
      expect(on.prefactor).toBeNull();
      expect(on.note).toMatch(/two balances of pure powers tie: both neighbouring regimes give .* no logarithm enters \(THEORY E29\)/);
    }
    // E29 phase III at a = 2b: N* = t* = C^(1/2), L* = C^-(1 - 1/(2b)).
    expect(lawAt(a, b, 'compute_optimal_N').exponentExact).toBe('1/2');
    expect(lawAt(a, b, 'compute_optimal_loss').exponent as number).toBeCloseTo(-(1 - 1 / (2 * b)), 14);
  });
});

describe('SGD compute-optimal laws on a = b + 1 (the width law\'s logarithm): a clear sentence', () => {
  it.each([
    [2.5, 1.5],
    [3, 2],
  ])('(a, b) = (%s, %s): no exponent; the sentence names the logarithm and the limit of both sides', (a, b) => {
    const limits = { compute_optimal_N: 1 / (1 + b), compute_optimal_t: b / (1 + b), compute_optimal_loss: -(a - 1) / (1 + b) };
    for (const id of COMPUTE) {
      const on = lawAt(a, b, id);
      expect(on.exponent).toBeNull();
      expect(on.unsupported).toMatch(/on the boundary Ia\/II \(a = b \+ 1\) the law is a power times a logarithmic factor, not a pure power, so no exponent is given; the exponent is continuous across the boundary: both neighbouring regimes give (\S+) here/);
      const given = /give (-?\d+)\/(\d+) here/.exec(on.unsupported!)!;
      expect(Number(given[1]) / Number(given[2])).toBeCloseTo(limits[id], 14);
    }
  });
});

describe('no table says "boundary boundary"', () => {
  it.each([
    [3, 1.5],
    [2.5, 1.5],
    [4, 1.5],
  ])('(a, b) = (%s, %s), sgd and gradient flow', (a, b) => {
    for (const dynamics of [SGD, undefined]) {
      const text = JSON.stringify(exponentTable({ a, b }, { dynamics }));
      expect(text).not.toMatch(/boundary boundary/);
    }
  });
});

// THEORY (E24): the train-test gap laws against the first-order expansion of (E16).
import { describe, expect, it } from 'vitest';
import { zeta as mzeta } from 'mathjs/number';
import { evaluate } from '../../src/symbolic/expr.js';
import { gapLaws, selectCase } from '../../src/symbolic/laws.js';
import { gapFirstOrder, logLogSlope } from '../../src/symbolic/numeric.js';
import { isUnsupported } from '../../src/symbolic/terms.js';

describe.each([[1.5, 1.5], [2.5, 1.5], [3, 2], [1.5, 1.25]])('gap at (a, b) = (%f, %f)', (a, b) => {
  it('early: P gap / t -> 2 zeta(b) zeta(a) (mathjs zeta)', () => {
    const law = selectCase(gapLaws().early, a, b);
    if (!law || isUnsupported(law)) throw new Error('no law');
    expect(evaluate(law.coefficient, { t: 1 })).toBeCloseTo(2 * (mzeta(b) as number) * (mzeta(a) as number), 10);
    const r = gapFirstOrder(1e-3, a, b, 1000, 1000) / (1e-3 * evaluate(law.coefficient, { t: 1 }));
    expect(Math.abs(r - 1)).toBeLessThan(3e-3);
  });
  it('intermediate: fitted slope over t = 100..1000 is (2-a)/b within 0.01', () => {
    const law = selectCase(gapLaws().growth, a, b);
    if (!law || isUnsupported(law)) throw new Error('no law');
    expect(law.coefficientUnsupported).toBeDefined();
    const ts = [100, 300, 1000];
    const { slope } = logLogSlope(ts, ts.map((t) => gapFirstOrder(t, a, b)));
    expect(Math.abs(slope - evaluate(law.exponent))).toBeLessThan(0.01);
    expect(evaluate(law.exponent)).toBeCloseTo((2 - a) / b, 12);
  });
});

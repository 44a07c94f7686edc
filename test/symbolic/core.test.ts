// Exact arithmetic, simplification and special functions of the symbolic layer.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { gamma as mgamma, zeta as mzeta } from 'mathjs/number';
import { InvalidArgumentError } from '../../src/core/errors.js';
import { Rational } from '../../src/symbolic/rational.js';
import { add, div, evaluate, gammaE, mul, num, ONE, pow, simplifyExpr, sub, sym, toText } from '../../src/symbolic/expr.js';
import { ratFuncEqual } from '../../src/symbolic/poly.js';
import { gamma, zeta } from '../../src/symbolic/special.js';

const a = sym('a');
const b = sym('b');

describe('Rational', () => {
  it('reads decimals as the decimal they print as (1.15 -> 23/20)', () => {
    expect(Rational.fromNumber(1.15).toString()).toBe('23/20');
    expect(Rational.fromNumber(1e-7).toString()).toBe('1/10000000');
    expect(Rational.fromNumber(2.5e3).toString()).toBe('2500');
  });
  it('throws InvalidArgumentError naming the argument for non-finite input', () => {
    expect(() => Rational.fromNumber(Number.NaN, 'a')).toThrow(InvalidArgumentError);
    expect(() => Rational.fromNumber(Infinity, 'b')).toThrow(/^b must be a finite number/);
  });
  it('does exact arithmetic', () => {
    expect(Rational.parse('3/20').div(Rational.of(3)).toString()).toBe('1/20');
    expect(Rational.parse('2/3').powInt(-2).toString()).toBe('9/4');
  });
});

describe('simplification (own rational-function arithmetic)', () => {
  it('cancels the common factor nerdamer-prime gets wrong: ((1-a)(a-1))/(a+ab-b-1) = (1-a)/(b+1)', () => {
    const e = div(mul(sub(ONE, a), sub(a, ONE)), add(a, mul(a, b), mul(num(-1), b), num(-1)));
    const s = simplifyExpr(e);
    expect(ratFuncEqual(s, div(sub(ONE, a), add(b, ONE)))).toBe(true);
    expect(toText(s)).toBe('-(a - 1)/(b + 1)');
  });
  it('time/width balance exponents: ((a-1)/b)/((a-1)/b + a - 1) = 1/(b+1)', () => {
    const s = div(sub(a, ONE), b);
    expect(toText(simplifyExpr(div(s, add(s, sub(a, ONE)))))).toBe('1/(b + 1)');
  });
  it('Gamma shift rule: Gamma(2 - 1/b)/Gamma(1 - 1/b) = 1 - 1/b', () => {
    const z = sub(ONE, div(ONE, b));
    const r = simplifyExpr(div(gammaE(add(z, ONE)), gammaE(z)));
    expect(ratFuncEqual(r, z)).toBe(true);
  });
  it('simplified forms evaluate equal to the input at random points (property)', () => {
    const leaf = fc.constantFrom(a, b, num(1), num(2), num(-1), num(1, 2));
    const expr = fc.letrec<{ e: ReturnType<typeof add> }>((tie) => ({
      e: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.tuple(tie('e'), tie('e')).map(([x, y]) => add(x, y)),
        fc.tuple(tie('e'), tie('e')).map(([x, y]) => mul(x, y)),
        fc.tuple(tie('e'), tie('e')).map(([x, y]) => div(x, add(mul(y, y), num(1)))),
        fc.tuple(tie('e'), fc.integer({ min: -2, max: 3 })).map(([x, k]) => pow(add(mul(x, x), num(1)), num(k))),
      ),
    })).e;
    fc.assert(
      fc.property(expr, fc.double({ min: 0.3, max: 3, noNaN: true }), fc.double({ min: 0.3, max: 3, noNaN: true }), (e, av, bv) => {
        const x = evaluate(e, { a: av, b: bv });
        const y = evaluate(simplifyExpr(e), { a: av, b: bv });
        if (!Number.isFinite(x)) return true;
        expect(Math.abs(x - y)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(x)));
        return true;
      }),
      { numRuns: 150, seed: 7 },
    );
  });
});

describe('special functions against mathjs', () => {
  it.each([0.05, 0.4, 0.5, 1, 1.5, 2.7, 7.3, 20.5, -0.3, -1.7])('gamma(%f)', (x) => {
    expect(Math.abs(gamma(x) / (mgamma(x) as number) - 1)).toBeLessThan(1e-12);
  });
  it.each([1.05, 1.5, 2, 2.5, 3, 4.3, 10, 30])('zeta(%f)', (s) => {
    expect(Math.abs(zeta(s) / (mzeta(s) as number) - 1)).toBeLessThan(1e-12);
  });
  it('zeta rejects s <= 1', () => {
    expect(() => zeta(1)).toThrow(/^s must be > 1/);
  });
});

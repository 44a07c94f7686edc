/**
 * Notation bridges (THEORY section 9):
 *   [PPXP24] (alpha, beta):       b = 2 alpha,  a = 2 alpha + 2 beta;
 *   source/capacity (alpha_c, r): b = alpha_c,  a = 1 + 2 alpha_c r.
 * Exact in rationals: decimal inputs are read as the decimals they print as.
 */
import { InvalidArgumentError } from '../core/errors.js';
import { Rational } from './rational.js';

/** Converted exponents as numbers and as exact rationals "p/q". */
export interface Converted<T extends string> {
  /** Values as numbers. */
  readonly values: Record<T, number>;
  /** The same values exactly, as "p/q". */
  readonly exact: Record<T, string>;
}

function out<T extends string>(pairs: Array<[T, Rational]>): Converted<T> {
  const values = {} as Record<T, number>;
  const exact = {} as Record<T, string>;
  for (const [k, v] of pairs) {
    values[k] = v.toNumber();
    exact[k] = v.toString();
  }
  return { values, exact };
}

const TWO = Rational.of(2);

/** (a, b) to the [PPXP24] notation (alpha, beta), exactly in rationals. */
export function toPPXP(a: number, b: number): Converted<'alpha' | 'beta'> {
  const ra = Rational.fromNumber(a, 'a');
  const rb = Rational.fromNumber(b, 'b');
  if (rb.sign() <= 0) throw new InvalidArgumentError('b', 'must be > 0', b);
  return out<'alpha' | 'beta'>([['alpha', rb.div(TWO)], ['beta', ra.sub(rb).div(TWO)]]);
}

/** [PPXP24] (alpha, beta) to (a, b), exactly in rationals. */
export function fromPPXP(alpha: number, beta: number): Converted<'a' | 'b'> {
  const ral = Rational.fromNumber(alpha, 'alpha');
  const rbe = Rational.fromNumber(beta, 'beta');
  if (ral.sign() <= 0) throw new InvalidArgumentError('alpha', 'must be > 0', alpha);
  return out<'a' | 'b'>([['a', TWO.mul(ral.add(rbe))], ['b', TWO.mul(ral)]]);
}

/** (a, b) to source/capacity (alpha_c, r), exactly in rationals. */
export function toSourceCapacity(a: number, b: number): Converted<'alpha_c' | 'r'> {
  const ra = Rational.fromNumber(a, 'a');
  const rb = Rational.fromNumber(b, 'b');
  if (rb.sign() <= 0) throw new InvalidArgumentError('b', 'must be > 0', b);
  return out<'alpha_c' | 'r'>([['alpha_c', rb], ['r', ra.sub(Rational.ONE).div(TWO.mul(rb))]]);
}

/** Source/capacity (alpha_c, r) to (a, b), exactly in rationals. */
export function fromSourceCapacity(alphaC: number, r: number): Converted<'a' | 'b'> {
  const rc = Rational.fromNumber(alphaC, 'alphaC');
  const rr = Rational.fromNumber(r, 'r');
  if (rc.sign() <= 0) throw new InvalidArgumentError('alphaC', 'must be > 0', alphaC);
  return out<'a' | 'b'>([['a', Rational.ONE.add(TWO.mul(rc).mul(rr))], ['b', rc]]);
}

/**
 * Exact rationals over bigint. Exponents derived from rational inputs (a, b)
 * stay exact; a decimal input such as
 * 1.15 is read as the decimal it prints as (23/20), not as its binary double.
 */
import { InvalidArgumentError } from '../core/errors.js';

function gcd(x: bigint, y: bigint): bigint {
  let p = x < 0n ? -x : x;
  let q = y < 0n ? -y : y;
  while (q !== 0n) [p, q] = [q, p % q];
  return p;
}

/**
 * Exact arithmetic stays exact only while it stays small: a result whose
 * numerator and denominator together exceed this many bits is refused
 * (ExactSizeError), and callers fall back to floating point, saying so. Inputs
 * near a boundary (a = 1.0000001) otherwise produced integers of tens of
 * thousands of digits and minutes of work.
 */
export const MAX_EXACT_BITS = 4096;

/** Thrown when exact rational arithmetic would exceed MAX_EXACT_BITS. */
export class ExactSizeError extends Error {
  constructor(readonly bits: number) {
    super(`exact arithmetic declined: a rational of ${bits} bits exceeds the limit of ${MAX_EXACT_BITS}`);
    this.name = 'ExactSizeError';
  }
}

function bitLength(x: bigint): number {
  return (x < 0n ? -x : x).toString(16).length * 4;
}

export class Rational {
  readonly num: bigint;
  readonly den: bigint;

  constructor(num: bigint, den: bigint = 1n) {
    if (den === 0n) throw new InvalidArgumentError('den', 'must be non-zero', 0);
    if (den < 0n) {
      num = -num;
      den = -den;
    }
    const g = gcd(num, den);
    this.num = g === 0n ? 0n : num / g;
    this.den = g === 0n ? 1n : den / g;
    const bits = bitLength(this.num) + bitLength(this.den);
    if (bits > MAX_EXACT_BITS) throw new ExactSizeError(bits);
  }

  /** Size of the exact form (numerator and denominator bits). */
  bits(): number {
    return bitLength(this.num) + bitLength(this.den);
  }

  static readonly ZERO = new Rational(0n);
  static readonly ONE = new Rational(1n);

  static of(num: number | bigint, den: number | bigint = 1): Rational {
    const n = typeof num === 'bigint' ? num : BigInt(num);
    const d = typeof den === 'bigint' ? den : BigInt(den);
    return new Rational(n, d);
  }

  /**
   * The decimal a double prints as, exactly: 1.15 -> 23/20. Throws for
   * non-finite input (the argument name is passed by the caller).
   */
  static fromNumber(x: number, argument = 'x'): Rational {
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new InvalidArgumentError(argument, 'must be a finite number', x);
    }
    const text = String(x);
    const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(text);
    if (!m) throw new InvalidArgumentError(argument, 'must be a finite decimal number', x);
    const sign = m[1] === '-' ? -1n : 1n;
    const frac = m[3] ?? '';
    const exp10 = Number(m[4] ?? '0') - frac.length;
    const digits = BigInt(m[2] + frac) * sign;
    return exp10 >= 0 ? new Rational(digits * 10n ** BigInt(exp10)) : new Rational(digits, 10n ** BigInt(-exp10));
  }

  /** Parses "p/q", "p" or a decimal string. */
  static parse(text: string): Rational {
    const m = /^\s*(-?\d+)\s*\/\s*(-?\d+)\s*$/.exec(text);
    if (m) return new Rational(BigInt(m[1]), BigInt(m[2]));
    return Rational.fromNumber(Number(text), 'text');
  }

  add(o: Rational): Rational { return new Rational(this.num * o.den + o.num * this.den, this.den * o.den); }
  sub(o: Rational): Rational { return new Rational(this.num * o.den - o.num * this.den, this.den * o.den); }
  mul(o: Rational): Rational { return new Rational(this.num * o.num, this.den * o.den); }
  div(o: Rational): Rational {
    if (o.num === 0n) throw new InvalidArgumentError('divisor', 'must be non-zero', 0);
    return new Rational(this.num * o.den, this.den * o.num);
  }
  neg(): Rational { return new Rational(-this.num, this.den); }
  sign(): -1 | 0 | 1 { return this.num === 0n ? 0 : this.num > 0n ? 1 : -1; }
  cmp(o: Rational): -1 | 0 | 1 { return this.sub(o).sign(); }
  equals(o: Rational): boolean { return this.num === o.num && this.den === o.den; }
  isInteger(): boolean { return this.den === 1n; }
  isZero(): boolean { return this.num === 0n; }
  isOne(): boolean { return this.num === 1n && this.den === 1n; }
  /** Integer power (exact). */
  powInt(k: number): Rational {
    if (!Number.isInteger(k)) throw new InvalidArgumentError('k', 'must be an integer', k);
    if (k < 0) return Rational.ONE.div(this).powInt(-k);
    // refuse before computing (a huge power would take minutes to build)
    if (k > 1 && (this.bits() - 2) * k > MAX_EXACT_BITS) throw new ExactSizeError((this.bits() - 2) * k);
    return new Rational(this.num ** BigInt(k), this.den ** BigInt(k));
  }
  toNumber(): number { return Number(this.num) / Number(this.den); }
  toString(): string { return this.den === 1n ? `${this.num}` : `${this.num}/${this.den}`; }
}

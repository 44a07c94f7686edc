/**
 * The asymptotics engine of THEORY section 6: sums over modes
 *
 *   S(x) = sum_{k >= 1} k^-p Phi(k^-b x),   x -> infinity,
 *
 * with Phi from the two families the theory produces,
 *   rational: Phi(u) = u^m (1 + u)^-n  (static limits, THEORY E16b; u = lambda_k / kappa, x = 1/kappa),
 *   exp:      Phi(u) = u^m e^{-c u}      (gradient flow, THEORY E14/E17; x = t).
 *
 * Mellin argument. Replacing the sum by an integral and substituting
 * u = k^-b x (k = (x/u)^{1/b}, dk = -(1/b) x^{1/b} u^{-1/b-1} du):
 *   integral_0^inf k^-p Phi(k^-b x) dk = (1/b) x^{-s} M[Phi](s),  s = (p-1)/b,
 * where M[Phi](s) = integral_0^inf u^{s-1} Phi(u) du. Phi ~ A0 u^alpha0 at u -> 0
 * and Phi ~ Ainf u^alphaInf at u -> inf, so M converges iff
 *   s + alpha0 > 0  (large-k end; otherwise the sum itself diverges) and
 *   s + alphaInf < 0 (small-k end).
 * If the small-k end diverges, the head of the sum wins: every fixed k has
 * Phi(k^-b x) ~ Ainf (k^-b x)^alphaInf, so S ~ Ainf zeta(p + b alphaInf) x^alphaInf
 * (a convergent zeta sum exactly when s + alphaInf > 0). The boundary
 * s + alphaInf = 0 gives a logarithm and is reported unsupported. This is where
 * the min() exponents of THEORY (E18, E19) come from: the leading exponent is
 * max(-s, alphaInf).
 *
 * Conditions are written multiplied by b > 0: p - 1 + b alpha > 0.
 */
import { InvalidArgumentError } from '../core/errors.js';
import { Rational } from './rational.js';
import { add, div, type Expr, gammaE, mul, num, ONE, pow, sub, sym, toLatex, toText, zetaE, neg } from './expr.js';
import { atom, type Case, type Condition } from './terms.js';

export type Kernel =
  | { readonly kind: 'rational'; readonly m: number; readonly n: number }
  | { readonly kind: 'exp'; readonly m: number; readonly c: Rational };

export interface ModeSum {
  /** Power of k in front of the kernel. */
  readonly p: Expr;
  /** Spectral exponent: the kernel's argument is k^-b x. */
  readonly b: Expr;
  readonly kernel: Kernel;
  /** Name of the large variable x. */
  readonly x: string;
}

export function validateKernel(kernel: Kernel): void {
  if (!Number.isInteger(kernel.m) || kernel.m < 0) throw new InvalidArgumentError('kernel.m', 'must be an integer >= 0', kernel.m);
  if (kernel.kind === 'rational' && (!Number.isInteger(kernel.n) || kernel.n < 0)) {
    throw new InvalidArgumentError('kernel.n', 'must be an integer >= 0', kernel.n);
  }
  if (kernel.kind === 'exp' && kernel.c.sign() <= 0) throw new InvalidArgumentError('kernel.c', 'must be > 0', kernel.c.toString());
}

/** Phi(u) as an expression in u. */
export function kernelExpr(kernel: Kernel, u: Expr): Expr {
  if (kernel.kind === 'rational') return mul(pow(u, num(kernel.m)), pow(add(ONE, u), num(-kernel.n)));
  return mul(pow(u, num(kernel.m)), { k: 'pow', base: { k: 'sym', name: 'e' }, exp: mul(num(kernel.c.neg()), u) });
}

export function kernelLatex(kernel: Kernel, u = 'u'): string {
  const um = kernel.m === 0 ? '' : kernel.m === 1 ? u : `${u}^{${kernel.m}}`;
  if (kernel.kind === 'rational') {
    if (kernel.n === 0) return um || '1';
    const den = kernel.n === 1 ? `1 + ${u}` : `(1 + ${u})^{${kernel.n}}`;
    return `\\frac{${um || '1'}}{${den}}`;
  }
  return `${um ? `${um}\\, ` : ''}e^{-${toLatex(num(kernel.c))} ${u}}`;
}

/** Numeric kernel (for tests and numeric checks). */
export function kernelValue(kernel: Kernel, u: number): number {
  if (kernel.kind === 'rational') return Math.pow(u, kernel.m) / Math.pow(1 + u, kernel.n);
  return Math.pow(u, kernel.m) * Math.exp(-kernel.c.toNumber() * u);
}

/** Small-argument power behaviour Phi ~ A0 u^alpha0 (u -> 0). */
export function smallArgument(kernel: Kernel): { A0: Expr; alpha0: number } {
  return { A0: ONE, alpha0: kernel.m };
}

/** Large-argument behaviour Phi ~ Ainf u^alphaInf (u -> inf); -Infinity for exponential decay. */
export function largeArgument(kernel: Kernel): { Ainf: Expr; alphaInf: number } {
  if (kernel.kind === 'rational') return { Ainf: ONE, alphaInf: kernel.m - kernel.n };
  return { Ainf: ONE, alphaInf: -Infinity };
}

/**
 * Mellin transform M[Phi](s) = integral_0^inf u^{s-1} Phi(u) du:
 *   rational: B(s+m, n-s-m) = Gamma(s+m) Gamma(n-s-m) / Gamma(n)   (-m < s < n-m)
 *   exp:      Gamma(s+m) c^{-(s+m)}                                 (s > -m)
 */
export function mellinTransform(kernel: Kernel, s: Expr): Expr {
  const z = add(s, num(kernel.m));
  if (kernel.kind === 'rational') return div(mul(gammaE(z), gammaE(sub(num(kernel.n), z))), gammaE(num(kernel.n)));
  return mul(gammaE(z), pow(num(kernel.c), neg(z)));
}

/**
 * Leading behaviour of S(x) as x -> infinity, as a list of cases whose
 * conditions partition b > 0 (the caller picks the one that holds, or keeps
 * all for symbolic a, b).
 */
export function modeSumAsymptotics(sum: ModeSum): Case[] {
  validateKernel(sum.kernel);
  const { p, b, kernel, x } = sum;
  const { alpha0 } = smallArgument(kernel);
  const { Ainf, alphaInf } = largeArgument(kernel);
  const pm1 = sub(p, ONE);
  const s = div(pm1, b);
  // Sum converges iff p + b alpha0 > 1, i.e. p - 1 > -alpha0 b.
  const convergent = atom(pm1, '>', mul(num(-alpha0), b));
  const divergent = atom(pm1, '<=', mul(num(-alpha0), b));
  const cases: Case[] = [
    {
      unsupported: `the sum over infinitely many modes diverges: its terms decay like k^-(${toText(add(p, mul(num(alpha0), b)))}), a power <= 1`,
      variable: x,
      condition: [divergent],
    },
  ];
  const mellinTerm = (condition: Condition): Case => ({
    coefficient: mul(div(ONE, b), mellinTransform(kernel, s)),
    exponent: neg(s),
    variable: x,
    condition,
    mechanism: 'mellin',
  });
  if (alphaInf === -Infinity) {
    cases.push(mellinTerm([convergent]));
    return cases;
  }
  const headBound = mul(num(-alphaInf), b); // Mellin converges at u -> inf iff p - 1 < -alphaInf b
  // Mellin window: -alpha0 b < p - 1 < -alphaInf b, non-empty iff alphaInf < alpha0.
  if (alphaInf < alpha0) cases.push(mellinTerm([convergent, atom(pm1, '<', headBound)]));
  cases.push({
    coefficient: mul(Ainf, zetaE(add(p, mul(num(alphaInf), b)))),
    exponent: num(alphaInf),
    variable: x,
    condition: [convergent, atom(pm1, '>', headBound)],
    mechanism: 'head',
  });
  cases.push({
    unsupported: `logarithmic boundary ${toText(pm1)} = ${toText(headBound)}: both ends of the sum contribute equally and S ~ (1/b) ${x}^${alphaInf} log ${x} (a log correction, not a pure power)`,
    variable: x,
    condition: [convergent, atom(pm1, '=', headBound)],
  });
  return cases;
}

export const X = sym('x');

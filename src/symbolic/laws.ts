/**
 * The scaling laws of THEORY sections 6-7, each obtained by applying the
 * mode-sum engine (mellin.ts) to the theory's expression; nothing here types
 * in a final exponent. Every function returns all cases (symbolic a, b);
 * `forNumbers` selects and folds the case that holds at numeric (a, b).
 */
import { InvalidArgumentError } from '../core/errors.js';
import { Rational } from './rational.js';
import {
  add, asRational, div, type Expr, mul, neg, num, ONE, pow, simplifyExpr, sub, substitute, sym, ZERO, zetaE,
} from './expr.js';
import { type Kernel, type ModeSum, modeSumAsymptotics } from './mellin.js';
import { and, atom, type Case, type Condition, decide, isUnsupported, type LeadingTerm, pruneCases, rationalEnv } from './terms.js';

export const A = sym('a');
export const B = sym('b');

/** Kernels of the theory's summands, written as k^-p Phi(u), u = lambda_k / kappa = k^-b / kappa. */
export const KERNELS = {
  /** lambda_k / (kappa + lambda_k) = u / (1 + u): the degrees of freedom g(kappa), THEORY (E15a). */
  dof: { kind: 'rational', m: 1, n: 1 } as Kernel,
  /** lambda_k^2 / (kappa + lambda_k)^2 = u^2 / (1 + u)^2: df2 of THEORY (E16b). */
  dof2: { kind: 'rational', m: 2, n: 2 } as Kernel,
  /** c_k kappa / (kappa + lambda_k) = k^-a / (1 + u): full loss at P = infinity, THEORY (E16b), (E19). */
  projection: { kind: 'rational', m: 0, n: 1 } as Kernel,
  /** c_k kappa^2 / (kappa + lambda_k)^2 = k^-a / (1 + u)^2: bias, THEORY (E16b), (E18), (E19). */
  bias: { kind: 'rational', m: 0, n: 2 } as Kernel,
  /** c_k exp(-2 lambda_k t) = k^-a e^{-2u}, u = k^-b t: THEORY (E14), (E17). */
  flow: { kind: 'exp', m: 0, c: Rational.of(2) } as Kernel,
  /** Phi = 1: plain zeta-type sums. */
  unit: { kind: 'rational', m: 0, n: 0 } as Kernel,
};

function simplifyTerm(t: LeadingTerm): LeadingTerm {
  return { ...t, coefficient: simplifyExpr(t.coefficient), exponent: simplifyExpr(t.exponent) };
}

/** THEORY (E17): L(t) = sum_k k^-a exp(-2 k^-b t) at N = P = infinity. */
export function timeLaw(a: Expr = A, b: Expr = B): Case[] {
  return pruneCases(modeSumAsymptotics({ p: a, b, kernel: KERNELS.flow, x: 't' })).map((c) => (isUnsupported(c) ? c : simplifyTerm(c)));
}

/**
 * The effective ridge at a size n (N or P): g(kappa) = n with g ~ A_g x^sigma,
 * x = 1/kappa (engine on the dof kernel). Returns the g cases.
 */
export function dofLaw(b: Expr = B): Case[] {
  return modeSumAsymptotics({ p: ZERO, b, kernel: KERNELS.dof, x: 'x' });
}

/**
 * Composition: a static sum S ~ A_S x^{e_S} (x = 1/kappa) and g(kappa) ~ A_g x^sigma = n
 * give x = (n / A_g)^{1/sigma} and S ~ A_S A_g^{-e_S/sigma} n^{e_S/sigma}.
 */
export function staticLaw(sum: ModeSum, size: string, factor?: (gTerm: LeadingTerm) => Expr | string): Case[] {
  const out: Case[] = [];
  for (const g of dofLaw(sum.b)) {
    if (isUnsupported(g)) {
      out.push({
        unsupported: `g(kappa) = sum_k lambda_k/(kappa + lambda_k) is infinite for every kappa when b <= 1 and M = infinity (tr Lambda = sum k^-b diverges), so kappa(${size}) and the static limit THEORY (E16b) are not defined; a finite-M law has M-dependent logs`,
        variable: size,
        condition: g.condition,
      });
      continue;
    }
    for (const s of modeSumAsymptotics(sum)) {
      const condition = and(g.condition, s.condition);
      if (isUnsupported(s)) {
        out.push({ unsupported: s.unsupported, variable: size, condition });
        continue;
      }
      const ratio = simplifyExpr(div(s.exponent, g.exponent));
      let coefficient = mul(s.coefficient, pow(g.coefficient, neg(ratio)));
      if (factor) {
        const f = factor(g);
        if (typeof f === 'string') {
          out.push({ unsupported: f, variable: size, condition });
          continue;
        }
        coefficient = mul(coefficient, f);
      }
      out.push(simplifyTerm({ coefficient, exponent: ratio, variable: size, condition, mechanism: s.mechanism }));
    }
  }
  return pruneCases(out);
}

/** THEORY (E19), full loss at P = infinity: sum_k c_k kappa/(kappa + lambda_k), g(kappa) = N. */
export function widthLaw(a: Expr = A, b: Expr = B): Case[] {
  return staticLaw({ p: a, b, kernel: KERNELS.projection, x: 'x' }, 'N');
}

/** THEORY (E19), bias (infinite ensemble) at P = infinity: kappa^2 sum_k c_k/(kappa + lambda_k)^2, g(kappa) = N. */
export function widthBiasLaw(a: Expr = A, b: Expr = B): Case[] {
  return staticLaw({ p: a, b, kernel: KERNELS.bias, x: 'x' }, 'N');
}

/**
 * The variance factor 1/(1 - df2/P) of the N = infinity static loss (THEORY E16b):
 * df2 and g have the same power of x, so df2/P = df2/g -> A_df2/A_g, a constant.
 */
export function varianceFactor(b: Expr, g: LeadingTerm): Expr | string {
  const df2 = modeSumAsymptotics({ p: ZERO, b, kernel: KERNELS.dof2, x: 'x' }).find((c) => !isUnsupported(c) && c.mechanism === 'mellin');
  if (!df2 || isUnsupported(df2)) return 'df2 has no Mellin leading term';
  const diff = simplifyExpr(sub(df2.exponent, g.exponent));
  if (!(diff.k === 'num' && diff.v.isZero())) return 'df2 and g(kappa) scale differently; the variance factor is not a constant';
  return simplifyExpr(div(ONE, sub(ONE, div(df2.coefficient, g.coefficient))));
}

/** THEORY (E18), full loss at N = infinity (sigma = 0): kappa^2 sum c_k/(kappa+lambda_k)^2 / (1 - df2/P), g(kappa) = P. */
export function dataLaw(a: Expr = A, b: Expr = B): Case[] {
  return staticLaw({ p: a, b, kernel: KERNELS.bias, x: 'x' }, 'P', (g) => varianceFactor(b, g));
}

/**
 * THEORY (E20): the first-order-in-1/N term of (E15) at P = infinity is
 * ILT2[S B1 / N](t, t) = (1/N) sum_{j,k} lambda_j lambda_k c_k
 * [(e^{-lambda_k t} - e^{-lambda_j t})/(lambda_j - lambda_k)]^2. When the
 * learned-mode sum converges, the leading part pairs learned modes k (lambda_k t >> 1,
 * bracket -> e^{-lambda_j t}/lambda_k) with unlearned modes j:
 *   (1/N) [sum_k c_k / lambda_k] [sum_j lambda_j e^{-2 lambda_j t}].
 * Both sums go through the engine: sum_k k^-(a-b) (unit kernel), sum_j j^-b e^{-2 j^-b t}.
 * Returned as a term in t; the coefficient carries the factor N^-1.
 */
export function crossTermLaw(a: Expr = A, b: Expr = B): Case[] {
  const out: Case[] = [];
  const kSum = modeSumAsymptotics({ p: sub(a, b), b, kernel: KERNELS.unit, x: 't' });
  const jSum = modeSumAsymptotics({ p: b, b, kernel: KERNELS.flow, x: 't' });
  for (const k of kSum) {
    for (const j of jSum) {
      const condition = and(j.condition, k.condition);
      if (isUnsupported(j)) {
        out.push({ unsupported: `sum_j lambda_j e^{-2 lambda_j t}: ${j.unsupported}`, variable: 't', condition });
        continue;
      }
      if (isUnsupported(k)) {
        out.push({
          unsupported: 'sum_k c_k/lambda_k over the learned modes grows with t when a - 1 <= b: the 1/N term is then of order N^-1 t^-(a-2)/b, part of the scaling function of t/N^b, not a separate cross term',
          variable: 't',
          condition,
        });
        continue;
      }
      out.push(simplifyTerm({
        coefficient: mul(k.coefficient, j.coefficient, pow(sym('N'), num(-1))),
        exponent: add(k.exponent, j.exponent),
        variable: 't',
        condition,
        mechanism: 'first order in 1/N of THEORY (E15) at P = infinity, valid for 1 << t << N^b: head of the k-sum times Mellin of the j-sum',
      }));
    }
  }
  return pruneCases(out);
}

/** Learning rate and batch size of one-pass SGD (THEORY E28), as symbols of the laws. */
export const ETA = sym('eta');
export const BATCH = sym('B');

/**
 * THEORY (E28), (E29): the SGD noise term of the one-pass Volterra equation
 *   L_t = L^GD_t + (eta^2/B) sum_{s<t} K_{t-1-s} L_s,   K_tau = sum_k lambda_k^2 (1 - eta lambda_k)^{2 tau},
 * at N = P = infinity, t in steps, to leading order in eta (eta lambda_k << 1 on
 * the modes that matter at large t, so (1 - eta lambda)^{2 tau} -> e^{-2 eta lambda tau}).
 * With K summable (sum_tau K_tau = tr(Lambda)/(2 eta) + O(1)) and L^GD summable, the
 * convolution splits into L_t sum_tau K_tau (a renormalisation of the
 * deterministic term, same power of t) and K_t sum_s L_s: the new power. Both
 * sums go through the engine:
 *   K_t ~ Mellin of sum_k k^-2b e^{-2 k^-b (eta t)}  ->  (1/b) Gamma(2 - 1/b) (2 eta t)^-(2 - 1/b),
 *   sum_s L^GD_s = sum_k c_k / (1 - (1 - eta lambda_k)^2) -> (1/(2 eta)) sum_k k^-(a-b) = zeta(a-b)/(2 eta)
 * (head of a unit-kernel sum, convergent iff a - 1 > b). The term is
 *   (eta^2/B) K_t sum_s L_s = (eta/(2B)) zeta(a-b) (1/b) Gamma(2 - 1/b) (2 eta t)^-(2 - 1/b).
 * The exact Volterra resolvent multiplies it by 1/(1 - rho)^2, rho = (eta^2/B) sum K
 * = eta tr(Lambda)/(2B) + O(eta^2): 1 + O(eta/B), beyond the leading order kept here.
 * For a - 1 <= b, sum_s L_s diverges and the convolution is of order
 * t^-(2-1/b) t^(1-(a-1)/b), smaller than the deterministic term by t^-(1-1/b):
 * a correction to it, not a separate term (as for the cross term, E20).
 * Verified against the direct double sum in derivations/sgd-noise.
 */
export function sgdNoiseLaw(a: Expr = A, b: Expr = B, eta: Expr = ETA, batch: Expr = BATCH): Case[] {
  const out: Case[] = [];
  const kernelSum = modeSumAsymptotics({ p: mul(num(2), b), b, kernel: KERNELS.flow, x: 't' });
  const lossSum = modeSumAsymptotics({ p: sub(a, b), b, kernel: KERNELS.unit, x: 't' });
  for (const k of kernelSum) {
    for (const l of lossSum) {
      const condition = and(k.condition, l.condition);
      if (isUnsupported(k)) {
        out.push({ unsupported: `the SGD kernel sum_k lambda_k^2 e^{-2 eta lambda_k t}: ${k.unsupported}`, variable: 't', condition });
        continue;
      }
      if (isUnsupported(l)) {
        out.push({
          unsupported: 'sum_s L_s of the deterministic loss diverges when a - 1 <= b: the noise convolution is then of order t^-(2-1/b) t^(1-(a-1)/b), a relative correction O(t^-(1-1/b)) to the time law, not a separate term',
          variable: 't',
          condition,
        });
        continue;
      }
      // K_t at GF time eta t: the engine's t^e with t -> eta t gives the factor eta^e.
      const kAtSteps = mul(k.coefficient, pow(eta, k.exponent));
      const sumL = mul(l.coefficient, pow(mul(num(2), eta), num(-1)));
      out.push(simplifyTerm({
        coefficient: mul(pow(eta, num(2)), pow(batch, num(-1)), kAtSteps, sumL),
        exponent: k.exponent,
        variable: 't',
        condition,
        mechanism: 'SGD noise (eta^2/B) K_t sum_s L_s of the Volterra equation (E28), leading order in eta: Mellin of the kernel sum times the head of sum_s L_s',
      }));
    }
  }
  return pruneCases(out);
}

/**
 * THEORY (E22): early-time finite-size terms, delta L ~ t^2 [coefN / N + coefP / P], with the
 * DMFT coefficients 2 tr(Lambda) sum lambda c / N and (tr Lambda sum lambda c + tr Lambda^2 sum c) / P.
 * For the power-law task tr Lambda = zeta(b), sum lambda c = zeta(a+b), tr Lambda^2 = zeta(2b), sum c = zeta(a)
 * (engine: unit-kernel sums). Both coefficients are checked against the first-order expansions
 * of (E15) in 1/N (P = infinity) and in 1/P (N = infinity) in derivations/early-finite-size.
 * The caveat (exact Taylor coefficient adds 2 zeta(a+2b)) is returned with it.
 */
/** THEORY (E22) caveat of the early-time coefficients. */
export const EARLY_FINITE_SIZE_CAVEAT = 'DMFT coefficient (exact in the proportional limit). The exact finite-size t^2 coefficient adds 2 zeta(a+2b) to both the 1/N and the 1/P coefficient (THEORY E22 caveat); for b > 1 tr Lambda = zeta(b) = O(lambda_1) and the DMFT 1/N coefficient is off by tens of percent (a = b = 2: 3.56 vs 5.59).';

export function earlyFiniteSize(a: Expr = A, b: Expr = B): { N: Case; P: Case; unsupported: Case; exactExtra: Expr; caveat: string } {
  const zs = (p: Expr): Expr => {
    const c = modeSumAsymptotics({ p, b, kernel: KERNELS.unit, x: 't' }).find((x) => !isUnsupported(x));
    return c && !isUnsupported(c) ? c.coefficient : zetaE(p);
  };
  const trL = zs(b);
  const lc = zs(add(a, b));
  const trL2 = zs(mul(num(2), b));
  const c0 = zs(a);
  const t2 = pow(sym('t'), num(2));
  const cond: Condition = [atom(b, '>', ONE), atom(a, '>', ONE)];
  return {
    N: { coefficient: mul(num(2), trL, lc, t2), exponent: num(-1), variable: 'N', condition: cond, mechanism: 'first order in 1/N of THEORY (E15), t << 1/lambda_1 (derivations/early-finite-size)' },
    P: { coefficient: mul(add(mul(trL, lc), mul(trL2, c0)), t2), exponent: num(-1), variable: 'P', condition: cond, mechanism: 'first order in 1/P of THEORY (E15) at N = infinity, t << 1/lambda_1 (derivations/early-finite-size)' },
    unsupported: { unsupported: 'tr Lambda = zeta(b) is infinite for b <= 1 (M = infinity): the early-time coefficients diverge', variable: 'N', condition: [atom(b, '<=', ONE)] },
    exactExtra: mul(num(2), zetaE(add(a, mul(num(2), b))), t2),
    caveat: EARLY_FINITE_SIZE_CAVEAT,
  };
}

/** Largest a and b the tables accept, and the smallest b. */
export const MAX_EXPONENT = 1000;
export const MIN_B = 1e-3;

/** Numbers (a, b) -> exact expressions, validated (THEORY section 2: a > 1, b > 0). */
export function exactAB(a: number, b: number): { a: Expr; b: Expr } {
  const env = rationalEnv(a, b);
  if (!(a > 1)) throw new InvalidArgumentError('a', 'must be > 1 (finite initial loss with infinitely many modes, THEORY section 2)', a);
  if (!(b > 0)) throw new InvalidArgumentError('b', 'must be > 0', b);
  // Beyond these the laws are degenerate (exponents like (a-1)/b of order 1e300, Gamma overflows)
  // and exact arithmetic on the inputs' decimals explodes.
  if (!(a <= MAX_EXPONENT)) throw new InvalidArgumentError('a', `must be <= ${MAX_EXPONENT} (larger task powers give degenerate laws)`, a);
  if (!(b >= MIN_B && b <= MAX_EXPONENT)) throw new InvalidArgumentError('b', `must be in [${MIN_B}, ${MAX_EXPONENT}] (outside, the exponents (a-1)/b and Gamma prefactors leave double range)`, b);
  return { a: env.a, b: env.b };
}

/** The case that holds at numeric (a, b), folded (exact exponent); undefined if none. */
export function selectCase(cases: readonly Case[], a: number, b: number): Case | undefined {
  const env = rationalEnv(a, b);
  const hit = cases.find((c) => decide(c.condition, env) === true);
  if (!hit) return undefined;
  if (isUnsupported(hit)) return hit;
  return {
    ...hit,
    coefficient: simplifyExpr(substitute(hit.coefficient, env)),
    exponent: simplifyExpr(substitute(hit.exponent, env)),
  };
}

export function exponentValue(t: LeadingTerm): Rational | undefined {
  return asRational(t.exponent);
}

/**
 * THEORY (E16), (E24): the train-test gap at N = infinity to first order in 1/P,
 *   P gap(t) = 2 sum_{j,k} lambda_j c_k e^{-lambda_k t} D_jk(t),  D_jk = (e^{-lambda_k t} - e^{-lambda_j t})/(lambda_j - lambda_k)
 * (numeric.ts gapFirstOrder). Early (t -> 0): D_jk -> t, so gap ~ 2 tr(Lambda) L(0) t / P = 2 zeta(b) zeta(a) t / P
 * (engine unit-kernel sums). The exact finite-P slope adds 2 sum lambda c = 2 zeta(a+b) (from E[G^2] of the
 * Gaussian sample covariance), which the DMFT drops, as in the caveat of (E22).
 * Intermediate (1 << t << P^b): substituting j, k = t^{1/b} (x, y) the double sum is t^{(2-a)/b} times a
 * two-dimensional integral that converges for a > 1, b > 1 (power counting); its constant has no closed form here.
 */
export function gapLaws(a: Expr = A, b: Expr = B): { early: Case[]; growth: Case[] } {
  const z = (p: Expr): Expr => {
    const c = modeSumAsymptotics({ p, b, kernel: KERNELS.unit, x: 't' }).find((x) => !isUnsupported(x));
    return c && !isUnsupported(c) ? c.coefficient : zetaE(p);
  };
  const cond: Condition = [atom(b, '>', ONE), atom(a, '>', ONE)];
  const bad: Case = { unsupported: 'tr Lambda = zeta(b) is infinite for b <= 1 (M = infinity)', variable: 'P', condition: [atom(b, '<=', ONE)] };
  return {
    early: [
      { coefficient: mul(num(2), z(b), z(a), sym('t')), exponent: num(-1), variable: 'P', condition: cond, mechanism: 'first order in 1/P of THEORY (E16) at N = infinity, t << 1/lambda_1' },
      bad,
    ],
    growth: [
      {
        coefficient: sym('G_gap'), exponent: simplifyExpr(div(sub(num(2), a), b)), variable: 't', condition: cond,
        mechanism: 'scaling of the first-order double sum, 1 << t << P^b', coefficientUnsupported: 'G_gap is a two-dimensional Mellin-type integral over (lambda_j t, lambda_k t); no closed form is derived here',
      },
      { ...bad, variable: 't' },
    ],
  };
}

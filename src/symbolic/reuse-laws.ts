/**
 * Data-reuse laws: minibatch SGD (or GD) on P fixed samples, THEORY (E28b),
 * section "Data reuse laws" of docs/theory.md. Leading terms (STYLE 9) built
 * from the gradient-flow laws of laws.ts; nothing here types in a final
 * exponent except through the composition written in each comment.
 *
 * Frame (N = infinity, t in steps at rate eta, small eta / B so that the mean
 * dynamics is GD in the gradient-flow time x = eta t and the SGD noise is a
 * relative correction, THEORY E29 for a - 1 <= b):
 * - Time law (E17) in steps: L_1(t) = c_t (eta t)^-s, s = (a-1)/b; the one-pass
 *   law in steps, which multi-pass SGD follows while t is below the horizon.
 * - Data law (E18): L(t -> infinity; P) = c_P P^-d, d = min(a-1, 2b). At N >= P
 *   the model interpolates; SGD's noise is multiplicative in the train residuals
 *   (E28b: the Volterra term is driven by the train loss), so it vanishes with
 *   them and SGD converges to the same min-norm interpolator as GD: the
 *   t -> infinity limit of multi-pass SGD is the gradient-flow data law.
 * - Reuse horizon (sigma = 0): repeated data is as good as fresh while the time
 *   law is above the data floor; the two cross at
 *   t_x = eta^-1 (c_t / c_P)^{1/s} P^{d/s},  d/s = b min(a-1, 2b)/(a-1)  (= b for a - 1 < 2b).
 *   The finite-P DMFT is a function of t / P^b in this regime (the learned
 *   modes, about (eta t)^{1/b}, reach P), measured in test/symbolic/reuse-laws.test.ts.
 * - Label noise sigma > 0, first order in 1/P (E16 at N = infinity): the
 *   test variance is (sigma^2/P) sum_k (1 - e^{-lambda_k x})^2 and the train
 *   loss loses (sigma^2/P) sum_k (1 - e^{-2 lambda_k x}), so the noise part of
 *   the gap is (2 sigma^2/P) sum_k (1 - e^{-lambda_k x}). Mellin (section 6)
 *   with p = 0, s = -1/b, continued to -1 < s < 0:
 *     M[1 - e^{-u}](s) = -Gamma(s),  M[(1 - e^{-u})^2](s) = Gamma(s) (2^{-s} - 2),
 *   so  sum_k (1 - e^{-lambda_k x}) ~ Gamma(1 - 1/b) x^{1/b}  and
 *   sum_k (1 - e^{-lambda_k x})^2 ~ (1/b) Gamma(-1/b) (2^{1/b} - 2) x^{1/b} = Gamma(1 - 1/b) (2 - 2^{1/b}) x^{1/b}.
 * - Early stopping under label noise (Lin, Wu, Bartlett 2025): the time law
 *   against the variance, c_t x^-s + sigma^2 V x^{1/b} / P, is minimal at
 *   x* = (s b c_t P / (sigma^2 V))^{b/a}, with excess loss a c_t x*^-s:
 *   t* ~ P^{b/a}, L* - sigma^2 ~ P^{-(a-1)/a}. In their notation (covariance
 *   degree a_L, source degree b_L, a_L > b_L > 1) a_L = b and b_L = a here:
 *   their horizon L <~ N^{a_L/b_L} is t* ~ P^{b/a}, their rate L^{(1-b_L)/a_L}
 *   is the time law t^-(a-1)/b, their M^{1-b_L} the width law N^-(a-1) (a - 1 < b).
 */
import { div, type Expr, gammaE, mul, neg, num, ONE, pow, simplifyExpr, sub, sym } from './expr.js';
import { A, B, dataLaw, gapLaws, timeLaw } from './laws.js';
import { and, atom, type Case, isUnsupported, type LeadingTerm } from './terms.js';

/** Symbols of the reuse laws: rate, batch, label noise, training-set size, epochs. */
export const REUSE_ETA = sym('eta');
export const REUSE_BATCH = sym('B');
export const SIGMA = sym('sigma');
export const SAMPLES = sym('P');

function simplify(t: LeadingTerm): LeadingTerm {
  return { ...t, coefficient: simplifyExpr(t.coefficient), exponent: simplifyExpr(t.exponent) };
}

/** The time law (E17) in steps at rate eta: c_t (eta t)^-s as a term in t (coefficient c_t eta^-s). */
export function stepTimeLaw(a: Expr = A, b: Expr = B, eta: Expr = REUSE_ETA): Case[] {
  return timeLaw(a, b).map((c) => (isUnsupported(c) ? c : simplify({ ...c, coefficient: mul(c.coefficient, pow(eta, c.exponent)), mechanism: `${c.mechanism}; in steps at rate eta (time eta t)` })));
}

/**
 * Reuse horizon (sigma = 0): the step count t_x where the one-pass time law in
 * steps meets the data law (E18), as a law in P. Below it multi-pass SGD on P
 * samples follows the one-pass law in steps; above it the loss settles on the data floor.
 */
export function reuseHorizonLaw(a: Expr = A, b: Expr = B, eta: Expr = REUSE_ETA): Case[] {
  const out: Case[] = [];
  const time = timeLaw(a, b).find((c) => !isUnsupported(c));
  for (const d of dataLaw(a, b)) {
    if (isUnsupported(d) || !time || isUnsupported(time)) {
      out.push({ unsupported: `reuse horizon: ${isUnsupported(d) ? d.unsupported : 'no time law'}`, variable: 'P', condition: d.condition });
      continue;
    }
    // c_t x^{-s} = c_P P^{-d}  ->  x = (c_t / c_P)^{1/s} P^{d/s}, with -s = time.exponent, -d = d.exponent.
    const s = neg(time.exponent);
    out.push(simplify({
      coefficient: mul(pow(div(time.coefficient, d.coefficient), div(ONE, s)), pow(eta, num(-1))),
      exponent: div(d.exponent, time.exponent),
      variable: 'P',
      condition: and(time.condition, d.condition),
      mechanism: 'crossing of the time law in steps (E17) with the data law (E18): repeated data stops being as good as fresh data',
    }));
  }
  return out;
}

/** The horizon in epochs E_x = t_x B / P (same cases as reuseHorizonLaw, exponent lowered by 1). */
export function epochHorizonLaw(a: Expr = A, b: Expr = B, eta: Expr = REUSE_ETA, batch: Expr = REUSE_BATCH): Case[] {
  return reuseHorizonLaw(a, b, eta).map((c) => (isUnsupported(c) ? c : simplify({ ...c, coefficient: mul(c.coefficient, batch), exponent: sub(c.exponent, ONE), mechanism: `${c.mechanism}; E = t B / P` })));
}

/**
 * Loss after E epochs at batch B (t = E P / B steps), below the horizon: the
 * one-pass time law at the same number of steps, c_t (eta E P / B)^-s, a law in E.
 */
export function epochLossLaw(a: Expr = A, b: Expr = B, eta: Expr = REUSE_ETA, batch: Expr = REUSE_BATCH, samples: Expr = SAMPLES): Case[] {
  return stepTimeLaw(a, b, eta).map((c) => (isUnsupported(c) ? { ...c, variable: 'E' } : simplify({
    ...c,
    coefficient: mul(c.coefficient, pow(div(samples, batch), c.exponent)),
    variable: 'E',
    mechanism: 'time law in steps at t = E P / B (E17), valid for E below the epoch horizon (reuse pays)',
  })));
}

/** Conditions of the label-noise laws: tr Lambda finite (b > 1) and a > 1. */
function noiseCondition(a: Expr, b: Expr) {
  return [atom(b, '>', ONE), atom(a, '>', ONE)];
}

/** The noise gap (2 sigma^2 / P) Gamma(1 - 1/b) (eta t)^{1/b}, first order in 1/P, 1 << eta t << P^b (file comment). */
export function noiseGapLaw(a: Expr = A, b: Expr = B, eta: Expr = REUSE_ETA, sigma: Expr = SIGMA, samples: Expr = SAMPLES): Case[] {
  const inv = div(ONE, b);
  return [
    simplify({
      coefficient: mul(num(2), pow(sigma, num(2)), pow(samples, num(-1)), gammaE(sub(ONE, inv)), pow(eta, inv)),
      exponent: inv,
      variable: 't',
      condition: noiseCondition(a, b),
      mechanism: 'label-noise part of the train-test gap, (2 sigma^2/P) sum_k (1 - e^{-lambda_k eta t}): Mellin with M[1 - e^{-u}](s) = -Gamma(s) at s = -1/b',
    }),
    { unsupported: 'tr Lambda is infinite for b <= 1 (M = infinity): the noise gap sum diverges', variable: 't', condition: [atom(b, '<=', ONE)] },
  ];
}

/**
 * The variance coefficient V of (sigma^2/P) V (eta t)^{1/b}: (1/b) Gamma(-1/b) (2^{1/b} - 2),
 * written with positive factors (-Gamma(-1/b) = b Gamma(1 - 1/b)) as Gamma(1 - 1/b) (2 - 2^{1/b}).
 */
export function varianceCoefficient(b: Expr = B): Expr {
  const inv = div(ONE, b);
  return simplifyExpr(mul(gammaE(sub(ONE, inv)), sub(num(2), pow(num(2), inv))));
}

/** The label-noise variance of the test loss, (sigma^2/P) V (eta t)^{1/b}, first order in 1/P. */
export function noiseVarianceLaw(a: Expr = A, b: Expr = B, eta: Expr = REUSE_ETA, sigma: Expr = SIGMA, samples: Expr = SAMPLES): Case[] {
  const inv = div(ONE, b);
  return [
    simplify({
      coefficient: mul(pow(sigma, num(2)), pow(samples, num(-1)), varianceCoefficient(b), pow(eta, inv)),
      exponent: inv,
      variable: 't',
      condition: noiseCondition(a, b),
      mechanism: 'label-noise variance (sigma^2/P) sum_k (1 - e^{-lambda_k eta t})^2: Mellin with M[(1 - e^{-u})^2](s) = Gamma(s)(2^{-s} - 2) at s = -1/b',
    }),
    { unsupported: 'tr Lambda is infinite for b <= 1 (M = infinity)', variable: 't', condition: [atom(b, '<=', ONE)] },
  ];
}

/**
 * Early stopping under label noise [Lin, Wu, Bartlett 2025]: the best step
 * count t* (a law in P) and the excess loss there L* - sigma^2 (a law in P).
 */
export function earlyStoppingLaws(a: Expr = A, b: Expr = B, eta: Expr = REUSE_ETA, sigma: Expr = SIGMA): { steps: Case[]; excess: Case[] } {
  const time = timeLaw(a, b).find((c) => !isUnsupported(c));
  const condition = noiseCondition(a, b);
  if (!time || isUnsupported(time)) {
    const bad: Case = { unsupported: 'no time law (a <= 1)', variable: 'P', condition };
    return { steps: [bad], excess: [bad] };
  }
  const s = neg(time.exponent);
  // x* = (s b c_t P / (sigma^2 V))^{b/a}: coefficient of P^{b/a}.
  const xCoefficient = pow(div(mul(s, b, time.coefficient), mul(pow(sigma, num(2)), varianceCoefficient(b))), div(b, a));
  const mechanism = 'time law (E17) against the label-noise variance (sigma^2/P) V (eta t)^{1/b}; s + 1/b = a/b';
  return {
    steps: [simplify({ coefficient: mul(xCoefficient, pow(eta, num(-1))), exponent: div(b, a), variable: 'P', condition, mechanism })],
    excess: [simplify({
      coefficient: mul(a, time.coefficient, pow(xCoefficient, neg(s))),
      exponent: neg(div(sub(a, ONE), a)),
      variable: 'P',
      condition,
      mechanism: `${mechanism}; stationarity gives sigma^2 V x^{1/b}/P = s b c_t x^-s = (a - 1) c_t x^-s, so the excess is a c_t x*^-s`,
    })],
  };
}

/** The sigma = 0 gap growth of (E24) in steps at rate eta: P gap ~ G_gap (eta t)^{(2-a)/b}. */
export function reuseGapGrowthLaw(a: Expr = A, b: Expr = B): Case[] {
  return gapLaws(a, b).growth;
}

/** The t -> infinity limit of multi-pass SGD at N >= P: the gradient-flow data law (E18), P^-min(a-1, 2b). */
export function reuseLimitLaw(a: Expr = A, b: Expr = B): Case[] {
  return dataLaw(a, b);
}

/**
 * Notation of [Lin, Wu, Bartlett 2025] (covariance degree aL, source degree bL,
 * lambda_i ~ i^-aL, lambda_i w_i^2 ~ i^-bL) to this tool's (a, b) and back.
 */
export function fromLinWuBartlett(aL: number, bL: number): { a: number; b: number } {
  return { a: bL, b: aL };
}
export function toLinWuBartlett(a: number, b: number): { aL: number; bL: number } {
  return { aL: b, bL: a };
}

/** THEORY (E22): the DMFT early-time 1/N coefficient from the first-order expansion of (E15). */
import { type Derivation, defineDerivation } from '../src/symbolic/derivation.js';
import { toLatex, zetaE } from '../src/symbolic/expr.js';
import { earlyFiniteSize } from '../src/symbolic/laws.js';
import { crossTermExact, gammaTermExact, oneCorrectionExact } from '../src/symbolic/numeric.js';
import { isUnsupported } from '../src/symbolic/terms.js';
import { a, add, b, mul, N, num, pow, t } from './common.js';

const META = {
  name: 'early-finite-size',
  title: 'Early-time finite-size corrections: delta L ~ t^2 [2 tr(Lambda) sum(lambda c)/N + (tr(Lambda) sum(lambda c) + tr(Lambda^2) sum(c))/P] (DMFT)',
  theory: '(E9), (E15), (E22)',
} as const;

/** Built on first use (listing the derivations must not run them). */
function build(): Derivation {
  const law = earlyFiniteSize().N;
  const lawP = earlyFiniteSize().P;
  if (isUnsupported(law) || isUnsupported(lawP)) throw new Error('early finite size: unsupported');

  const derivation: Derivation = {
    ...META,
    summary: 'At P = infinity, first order in 1/N: the one-point correction of H_k (R3 = 1 - Q/N in (E9)) and the two-point term S B1/N each contribute tr(Lambda) sum(lambda c) t^2 / N for t << 1/lambda_1; with the power-law task tr Lambda = zeta(b), sum lambda c = zeta(a+b). Caveat (THEORY E22): this is the DMFT coefficient; the exact finite-size Taylor coefficient adds 2 sum lambda^3 w^2 = 2 zeta(a+2b), which the DMFT drops, and for b > 1 (tr Lambda = O(lambda_1)) the difference is tens of percent (a = b = 2: 3.56 against 5.59). At N = infinity the 1/P term has the same one-point part (R1 = 1 - Q/P) plus the gP part of (E15c-d), ILT2[Gam B0]/P, which gives tr(Lambda^2) sum(c) t^2 / P.',
    parts: [
      {
        title: 'b > 1, a > 1, t -> 0 (shown times N)',
        params: { a: [1.5, 3], b: [1.25, 2] },
        limit: { variable: 't', values: [1e-1, 1e-2, 1e-3], tolerance: 3e-3 },
        steps: [
          {
            title: 'First-order term of (E15) at P = infinity',
            why: 'N (L_N - L_inf) = 2 sum_k c_k e^{-lambda_k t} N dH_k(t) + ILT2[S B1](t, t), both inverted exactly by partial fractions and summed directly (src/symbolic/numeric.ts).',
            latex: '2\\sum_k c_k e^{-\\lambda_k t}\\, \\mathcal{L}^{-1}\\!\\left[\\frac{\\lambda_k Q_0(s)}{(s+\\lambda_k)^2}\\right]\\! (t) + \\sum_{j,k} \\lambda_j \\lambda_k c_k \\left[\\frac{e^{-\\lambda_k t} - e^{-\\lambda_j t}}{\\lambda_j - \\lambda_k}\\right]^2',
            value: (p) => oneCorrectionExact(p.t, p.a, p.b) + crossTermExact(p.t, p.a, p.b),
          },
          {
            title: 'Small t',
            relation: '~',
            why: 'Each inverse transform is t^2/2 (times lambda_j) to leading order; both parts give tr(Lambda) sum(lambda c) t^2.',
            latex: '2\\, \\zeta(b)\\, \\zeta(a+b)\\, t^2',
            expr: mul(num(2), zetaE(b), zetaE(add(a, b)), pow(t, num(2))),
          },
          {
            title: 'The layer\'s early_finite_N law (times N)',
            why: 'earlyFiniteSize (src/symbolic/laws.ts), zeta values from the engine\'s unit-kernel sums.',
            latex: toLatex(mul(law.coefficient, N, pow(N, num(-1)))),
            expr: law.coefficient,
          },
        ],
      },
      {
        title: '1/P at N = infinity, t -> 0 (shown times P)',
        params: { a: [1.5, 3], b: [1.25, 2] },
        limit: { variable: 't', values: [1e-1, 1e-2, 1e-3, 1e-4], tolerance: 3e-3 },
        steps: [
          {
            title: 'First-order term of (E15) in 1/P',
            why: 'Lsig = B0/(1 - c1) with c1 = gP = R R\' Gam/P at N = infinity: the one-point correction of H_k (R1 = 1 - Q/P, the same expression as the first term of the 1/N part) plus ILT2[Gam B0].',
            latex: '2\\sum_k c_k e^{-\\lambda_k t}\\, \\mathcal{L}^{-1}\\!\\left[\\frac{\\lambda_k Q_0(s)}{(s+\\lambda_k)^2}\\right]\\! (t) + \\sum_{j,k} \\lambda_j^2 c_k \\left[\\frac{e^{-\\lambda_k t} - e^{-\\lambda_j t}}{\\lambda_j - \\lambda_k}\\right]^2',
            value: (p) => oneCorrectionExact(p.t, p.a, p.b) + gammaTermExact(p.t, p.a, p.b),
          },
          {
            title: 'Small t',
            relation: '~',
            why: 'tr(Lambda) sum(lambda c) + tr(Lambda^2) sum(c) = zeta(b) zeta(a+b) + zeta(2b) zeta(a).',
            latex: '\\left[\\zeta(b)\\,\\zeta(a+b) + \\zeta(2b)\\,\\zeta(a)\\right] t^2',
            expr: mul(add(mul(zetaE(b), zetaE(add(a, b))), mul(zetaE(mul(num(2), b)), zetaE(a))), pow(t, num(2))),
          },
          {
            title: 'The layer\'s early_finite_P law (times P)',
            why: 'earlyFiniteSize (src/symbolic/laws.ts).',
            latex: toLatex(lawP.coefficient),
            expr: lawP.coefficient,
          },
        ],
      },
    ],
  };
  return derivation;
}

export default defineDerivation(META, build);

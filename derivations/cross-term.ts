/** THEORY (E20): the finite-width cross term N^{-1} t^{-(1-1/b)} for a - 1 > b. */
import { type Derivation, defineDerivation } from '../src/symbolic/derivation.js';
import { toLatex } from '../src/symbolic/expr.js';
import { crossTermLaw, KERNELS } from '../src/symbolic/laws.js';
import { crossTermExact, modeSum } from '../src/symbolic/numeric.js';
import { zeta } from '../src/symbolic/special.js';
import { isUnsupported } from '../src/symbolic/terms.js';
import { b, div, gammaE, mul, num, ONE, pow, sub, t, a, N } from './common.js';
import { zetaE } from '../src/symbolic/expr.js';

const META = {
  name: 'cross-term',
  title: 'Finite-width cross term: (1/N) zeta(a-b) (1/b) Gamma(1-1/b) (2t)^{-(1-1/b)} for a - 1 > b',
  theory: '(E15), (E15b-d), (E20)',
} as const;

/** Built on first use (listing the derivations must not run them). */
function build(): Derivation {
  const engine = crossTermLaw().find((c) => !isUnsupported(c));
  if (!engine || isUnsupported(engine)) throw new Error('cross term: engine gave no case');
  const oneMinus = sub(ONE, div(ONE, b));

  const derivation: Derivation = {
    ...META,
    summary: 'Expanding (E15) at P = infinity to first order in 1/N (R = 1, c1 = 0, D = S/N) leaves L = B0 + S B1/N. The one-point correction inside B0 gives terms of order N^{-1} t^{-(a-2)/b}; the S B1/N term, inverted in both variables, pairs learned modes k with unlearned modes j. When sum_k c_k/lambda_k = zeta(a-b) converges (a - 1 > b) this is the term [PPXP24] call F_ac. Verified against the first-order double sum, not against the full (E15) (the two-point contour inversion belongs to the numeric layer).',
    parts: [
      {
        title: 'a - 1 > b, b > 1, 1 << t << N^b (shown times N)',
        params: { a: [4.5, 5.5], b: [1.3, 1.8] },
        limit: { variable: 't', values: [1e2, 1e3, 1e4], tolerance: 2e-3 },
        steps: [
          {
            title: 'First-order term of (E15)',
            why: 'ILT2[S B1/N](t, t) with H_k(s) = 1/(s + lambda_k): the inverse transform of 1/((s + lambda_j)(s + lambda_k)) is the divided difference of e^{-lambda t}. Direct double sum (j-tail expanded to first order in lambda_j).',
            latex: 'N\\,\\delta L = \\sum_{j,k} \\lambda_j \\lambda_k c_k \\left[\\frac{e^{-\\lambda_k t} - e^{-\\lambda_j t}}{\\lambda_j - \\lambda_k}\\right]^2',
            value: (p) => crossTermExact(p.t, p.a, p.b),
          },
          {
            title: 'Learned k, unlearned j',
            relation: '~',
            why: 'For lambda_k t >> 1 >> lambda_j t the bracket is e^{-lambda_j t}/lambda_k; the k-sum sum_k c_k/lambda_k = sum_k k^{-(a-b)} converges to zeta(a-b) iff a - b > 1 (engine: unit kernel, head case). The j-sum is evaluated numerically.',
            latex: '\\zeta(a-b) \\sum_j \\lambda_j e^{-2\\lambda_j t}',
            value: (p) => zeta(p.a - p.b) * modeSum(p.b, p.b, p.t, KERNELS.flow),
          },
          {
            title: 'Mellin on the j-sum',
            relation: '~',
            why: 'sum_j j^{-b} e^{-2 j^{-b} t}: p = b, s = (b-1)/b > 0 iff b > 1, Gamma integral as in derivations/time-law.',
            latex: '\\zeta(a-b)\\, \\frac{1}{b}\\, \\Gamma\\left(1 - \\frac{1}{b}\\right) (2t)^{-(1 - 1/b)}',
            expr: mul(zetaE(sub(a, b)), div(ONE, b), gammaE(oneMinus), pow(mul(num(2), t), mul(num(-1), oneMinus))),
          },
          {
            title: 'The engine\'s leading term (times N)',
            why: 'crossTermLaw (src/symbolic/laws.ts): both sums through modeSumAsymptotics.',
            latex: toLatex(mul(N, engine.coefficient, pow(t, engine.exponent))),
            expr: mul(N, engine.coefficient, pow(t, engine.exponent)),
          },
        ],
      },
    ],
  };
  return derivation;
}

export default defineDerivation(META, build);

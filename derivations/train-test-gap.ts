/** THEORY (E16), (E24): the train-test gap at N = infinity, first order in 1/P, early times. */
import { type Derivation, defineDerivation } from '../src/symbolic/derivation.js';
import { toLatex, zetaE } from '../src/symbolic/expr.js';
import { gapLaws } from '../src/symbolic/laws.js';
import { gapFirstOrder } from '../src/symbolic/numeric.js';
import { isUnsupported } from '../src/symbolic/terms.js';
import { a, b, mul, num, t } from './common.js';

const META = {
  name: 'train-test-gap',
  title: 'Train-test gap at N = infinity: P gap(t) ~ 2 zeta(b) zeta(a) t early, ~ t^{(2-a)/b} for 1 << t << P^b',
  theory: '(E16), (E24)',
} as const;

/** Built on first use (listing the derivations must not run them). */
function build(): Derivation {
  const early = gapLaws().early.find((c) => !isUnsupported(c));
  if (!early || isUnsupported(early)) throw new Error('gap: no early law');

  const derivation: Derivation = {
    ...META,
    summary: 'With R1 = 1 - Q/P the train loss ILT2[R1 R1\' Lsig] differs from the test loss ILT2[Lsig] at first order in 1/P by ILT2[(Q + Q\') B0]/P. Early, every divided difference is t, giving 2 tr(Lambda) L(0) t/P (DMFT; the exact finite-P slope adds 2 zeta(a+b)). For 1 << t << P^b the double sum scales as t^{(2-a)/b} (substitute j, k = t^{1/b} x, y; the integral converges for a > 1, b > 1): the gap grows with data reuse when a < 2 and decays when a > 2; its constant has no closed form here (the exponent is checked by a fitted slope in test/symbolic/gap.test.ts). At t -> infinity the gap tends to the static value L(infinity), the data law (Lhat(infinity) = 0 for the ridgeless interpolator).',
    parts: [
      {
        title: 'Early times (shown times P)',
        params: { a: [1.5, 3], b: [1.25, 2] },
        limit: { variable: 't', values: [1e-1, 1e-2, 1e-3], tolerance: 3e-3 },
        steps: [
          {
            title: 'First-order gap',
            why: 'ILT2[(Q(s) + Q(s\')) B0(s, s\')](t, t) with the N = P = infinity response H_k = 1/(s + lambda_k); direct double sum with tails (src/symbolic/numeric.ts).',
            latex: 'P\\,\\mathrm{gap}(t) = 2\\sum_{j,k} \\lambda_j c_k e^{-\\lambda_k t}\\, \\frac{e^{-\\lambda_k t} - e^{-\\lambda_j t}}{\\lambda_j - \\lambda_k}',
            value: (p) => gapFirstOrder(p.t, p.a, p.b, 1000, 1000),
          },
          {
            title: 'Small t',
            relation: '~',
            why: 'The divided difference tends to t; sum_j lambda_j = zeta(b), sum_k c_k = zeta(a) (engine, unit kernel).',
            latex: '2\\,\\zeta(b)\\,\\zeta(a)\\, t',
            expr: mul(num(2), zetaE(b), zetaE(a), t),
          },
          {
            title: 'The layer\'s gap_early law (times P)',
            why: 'gapLaws (src/symbolic/laws.ts).',
            latex: toLatex(early.coefficient),
            expr: early.coefficient,
          },
        ],
      },
    ],
  };
  return derivation;
}

export default defineDerivation(META, build);

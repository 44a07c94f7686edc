/** THEORY (E17): the time bottleneck at N = P = infinity. */
import { type Derivation, defineDerivation } from '../src/symbolic/derivation.js';
import { KERNELS, timeLaw } from '../src/symbolic/laws.js';
import { flowLoss, mellinNumeric } from '../src/symbolic/numeric.js';
import { isUnsupported } from '../src/symbolic/terms.js';
import { toLatex } from '../src/symbolic/expr.js';
import { a, b, div, gammaE, mul, num, ONE, pow, s, sub, t } from './common.js';

const META = {
  name: 'time-law',
  title: 'Time bottleneck: L(t) ~ (1/b) Gamma((a-1)/b) (2t)^{-(a-1)/b}',
  theory: '(E14), (E17)',
} as const;

/** Built on first use (listing the derivations must not run them). */
function build(): Derivation {
  const engine = timeLaw().find((c) => !isUnsupported(c) && c.mechanism === 'mellin');
  if (!engine || isUnsupported(engine)) throw new Error('time law: engine gave no Mellin case');

  const derivation: Derivation = {
    ...META,
    summary: 'At N = P = infinity the loss is a mode sum with an exponential cutoff; the Mellin argument turns it into a Gamma function.',
    parts: [
      {
        title: 'a > 1 (any b > 0)',
        params: { a: [1.1, 3], b: [0.8, 2.5] },
        limit: { variable: 't', values: [1e4, 1e6, 1e8], tolerance: 1e-3 },
        steps: [
          {
            title: 'Loss at N = P = infinity',
            why: 'THEORY (E14): H_k(t) = e^{-lambda_k t}, L = sum_k c_k H_k^2 with c_k = k^{-a}, lambda_k = k^{-b} (E7); evaluated by direct summation (exact head, Euler-Maclaurin, series tail).',
            latex: 'L(t) = \\sum_{k\\ge 1} k^{-a} e^{-2 k^{-b} t} = \\sum_k k^{-a}\\, \\Phi(k^{-b} t),\\quad \\Phi(u) = e^{-2u}',
            value: (p) => flowLoss(p.t, p.a, p.b),
          },
          {
            title: 'Sum to integral (Mellin)',
            relation: '~',
            why: 'k = (t/u)^{1/b}: the sum becomes (1/b) t^{-s} times the Mellin transform of Phi at s = (a-1)/b, which converges at u -> 0 since s > 0 and at infinity by the exponential; the integral is evaluated numerically here.',
            latex: '\\frac{1}{b}\\, t^{-s} \\int_0^\\infty u^{s-1} e^{-2u}\\, du,\\qquad s = \\frac{a-1}{b}',
            value: (p) => (1 / p.b) * Math.pow(p.t, -(p.a - 1) / p.b) * mellinNumeric(KERNELS.flow, (p.a - 1) / p.b),
          },
          {
            title: 'Gamma integral',
            why: 'integral_0^inf u^{s-1} e^{-2u} du = Gamma(s) 2^{-s}.',
            latex: '\\frac{1}{b}\\, \\Gamma\\left(\\frac{a-1}{b}\\right) 2^{-\\frac{a-1}{b}}\\, t^{-\\frac{a-1}{b}}',
            expr: mul(div(ONE, b), gammaE(s), pow(num(2), mul(num(-1), s)), pow(t, mul(num(-1), s))),
          },
          {
            title: 'The engine\'s leading term',
            why: 'modeSumAsymptotics (src/symbolic/mellin.ts) on the flow kernel, case "mellin"; must equal the hand computation.',
            latex: toLatex(mul(engine.coefficient, pow(t, engine.exponent))),
            expr: mul(engine.coefficient, pow(t, engine.exponent)),
          },
          {
            title: 'THEORY (E17) as stated',
            why: 'The closed form in THEORY (E17).',
            latex: '\\frac{1}{b}\\, \\Gamma\\left(\\frac{a-1}{b}\\right) (2t)^{-\\frac{a-1}{b}}',
            expr: mul(div(ONE, b), gammaE(div(sub(a, ONE), b)), pow(mul(num(2), t), mul(num(-1), div(sub(a, ONE), b)))),
          },
        ],
      },
    ],
  };
  return derivation;
}

export default defineDerivation(META, build);

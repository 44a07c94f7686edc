/** THEORY (E15a), (E12): the effective ridge kappa(n) from g(kappa) = n. */
import { type Derivation, defineDerivation } from '../src/symbolic/derivation.js';
import { toLatex } from '../src/symbolic/expr.js';
import { dofLaw, KERNELS } from '../src/symbolic/laws.js';
import { dof, mellinNumeric } from '../src/symbolic/numeric.js';
import { isUnsupported } from '../src/symbolic/terms.js';
import { b, Cg, CgReflection, div, mul, ONE, pow, x } from './common.js';

const META = {
  name: 'effective-ridge',
  title: 'Effective ridge: g(kappa) ~ kappa^{-1/b} (pi/b)/sin(pi/b), so kappa ~ (C_g/n)^b',
  theory: '(E12), (E15a)',
} as const;

/** Built on first use (listing the derivations must not run them). */
function build(): Derivation {
  const engine = dofLaw().find((c) => !isUnsupported(c) && c.mechanism === 'mellin');
  if (!engine || isUnsupported(engine)) throw new Error('effective ridge: engine gave no Mellin case');

  const derivation: Derivation = {
    ...META,
    // inverting the leading term: g(kappa) = n gives kappa = (C_g/n)^b with relative error O(1/n)
    summary: 'The degrees of freedom g(kappa) = sum_k lambda_k/(kappa + lambda_k) for lambda_k = k^{-b} as kappa -> 0 (x = 1/kappa -> infinity). For b <= 1 the sum is infinite for every kappa (tr Lambda = sum k^{-b} diverges): the Mellin integral diverges at u -> 0, and the engine reports the static limits as unsupported there. Inverting the leading term, g(kappa) = n gives kappa ~ (C_g/n)^b (relative error O(1/n) from the -1/2 Euler-Maclaurin constant of g).',
    parts: [
      {
        title: 'b > 1',
        params: { b: [1.1, 3] },
        limit: { variable: 'x', values: [1e6, 1e12, 1e18], tolerance: 1e-3 },
        steps: [
          {
            title: 'Degrees of freedom',
            why: 'THEORY (E15a) with lambda_k = k^{-b}; summand lambda/(kappa + lambda) = u/(1+u), u = k^{-b} x; direct numeric summation.',
            latex: 'g(\\kappa) = \\sum_k \\frac{\\lambda_k}{\\kappa + \\lambda_k} = \\sum_k \\frac{u_k}{1+u_k},\\quad u_k = k^{-b} x,\\ x = 1/\\kappa',
            value: (p) => dof(1 / p.x, p.b),
          },
          {
            title: 'Mellin integral',
            relation: '~',
            why: 'p = 0, s = -1/b; u^{s-1} u/(1+u) is integrable at 0 iff 1 - 1/b > 0 (b > 1) and at infinity since s < 0. Integral evaluated numerically.',
            latex: '\\frac{1}{b}\\, x^{1/b} \\int_0^\\infty \\frac{u^{-1/b}}{1+u}\\, du',
            value: (p) => (1 / p.b) * Math.pow(p.x, 1 / p.b) * mellinNumeric(KERNELS.dof, -1 / p.b),
          },
          {
            title: 'Beta integral',
            why: 'integral u^{-1/b}/(1+u) du = Gamma(1 - 1/b) Gamma(1/b).',
            latex: 'C_g\\, \\kappa^{-1/b},\\quad C_g = \\frac{1}{b}\\Gamma\\left(1 - \\frac{1}{b}\\right)\\Gamma\\left(\\frac{1}{b}\\right)',
            expr: mul(Cg, pow(x, div(ONE, b))),
          },
          {
            title: 'Reflection formula',
            why: 'Gamma(z) Gamma(1-z) = pi / sin(pi z) with z = 1/b.',
            latex: '\\frac{\\pi/b}{\\sin(\\pi/b)}\\, \\kappa^{-1/b}',
            expr: mul(CgReflection, pow(x, div(ONE, b))),
          },
          {
            title: 'The engine\'s leading term',
            why: 'dofLaw (src/symbolic/laws.ts): modeSumAsymptotics on the dof kernel.',
            latex: toLatex(mul(engine.coefficient, pow(x, engine.exponent))),
            expr: mul(engine.coefficient, pow(x, engine.exponent)),
          },
        ],
      },
    ],
  };
  return derivation;
}

export default defineDerivation(META, build);

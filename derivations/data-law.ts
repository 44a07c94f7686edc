/** THEORY (E18): data bottleneck at N = infinity, with the variance factor of (E16b). */
import { type Derivation, defineDerivation } from '../src/symbolic/derivation.js';
import { KERNELS, dataLaw, varianceFactor, dofLaw } from '../src/symbolic/laws.js';
import { modeSum, solveKappa, staticDataLoss } from '../src/symbolic/numeric.js';
import { isUnsupported } from '../src/symbolic/terms.js';
import { toLatex } from '../src/symbolic/expr.js';
import { b, div, mul, ONE, P, sub } from './common.js';
import { headPart, mellinPart, type StaticSpec, summandPart } from './static.js';

const META = {
  name: 'data-law',
  title: 'Data bottleneck of the full loss: L ~ b x bias ~ P^{-min(a-1, 2b)}',
  theory: '(E16b), (E18)',
} as const;

/** Built on first use (listing the derivations must not run them). */
function build(): Derivation {
  const g = dofLaw().find((c) => !isUnsupported(c));
  if (!g || isUnsupported(g)) throw new Error('data law: no dof case');
  const factorExpr = varianceFactor(b, g);
  if (typeof factorExpr === 'string') throw new Error(`data law: ${factorExpr}`);

  const df2Kernel = KERNELS.dof2;
  const spec: StaticSpec = {
    kernel: KERNELS.bias as StaticSpec['kernel'],
    size: 'P',
    sizeSym: P,
    exact: staticDataLoss,
    quantityLatex: 'L(\\infty)\\big|_{N=\\infty} = \\frac{\\kappa^2 \\sum_k c_k/(\\kappa + \\lambda_k)^2}{1 - df_2/P},\\quad g(\\kappa) = P',
    quantityWhy: 'THEORY (E16b), N = infinity, sigma = 0 (ridgeless kernel regression [CBP21]); numeric kappa, bias and df_2 = sum lambda^2/(kappa + lambda)^2.',
    factor: {
      value: (p, kappa) => 1 / (1 - modeSum(0, p.b, 1 / kappa, df2Kernel) / p.P),
      expr: factorExpr,
      latex: '\\frac{1}{1 - df_2/P}',
      limitLatex: toLatex(factorExpr),
      why: 'df_2 ~ (1/b) Gamma(2 - 1/b) Gamma(1/b) kappa^{-1/b} (engine, kernel u^2/(1+u)^2) and P = g ~ (1/b) Gamma(1 - 1/b) Gamma(1/b) kappa^{-1/b}, so df_2/P -> 1 - 1/b and 1/(1 - df_2/P) -> b.',
    },
    engine: dataLaw(),
  };

  const derivation: Derivation = {
    ...META,
    summary: 'The bias at kappa(P) scales like the width bias; the variance factor 1/(1 - df_2/P) tends to the constant b, which multiplies the prefactor.',
    parts: [
      {
        title: 'Variance factor',
        params: { b: [1.2, 3] },
        limit: { variable: 'P', values: [1e3, 1e5, 1e7], tolerance: 1e-3 },
        steps: [
          {
            title: 'df_2/P at kappa(P)',
            why: 'Numeric df_2 and kappa with g(kappa) = P.',
            latex: '\\frac{df_2}{P} = \\frac{1}{P}\\sum_k \\frac{\\lambda_k^2}{(\\kappa + \\lambda_k)^2}',
            value: (p) => modeSum(0, p.b, 1 / solveKappa(p.P, p.b).value, df2Kernel) / p.P,
          },
          {
            title: 'Ratio of Mellin coefficients',
            relation: '~',
            why: 'Both sums scale as kappa^{-1/b}; Gamma(2 - 1/b)/Gamma(1 - 1/b) = 1 - 1/b.',
            latex: '1 - \\frac{1}{b}',
            expr: sub(ONE, div(ONE, b)),
          },
        ],
      },
      {
        title: 'Variance factor, exactly',
        params: { b: [1.2, 3] },
        steps: [
          { title: 'Factor', why: '1/(1 - df_2/P) with df_2/P -> 1 - 1/b.', latex: '\\frac{1}{1 - (1 - 1/b)}', expr: div(ONE, sub(ONE, sub(ONE, div(ONE, b)))) },
          { title: 'Simplified by the engine', why: 'varianceFactor (src/symbolic/laws.ts), Gamma shift rule and rational simplification.', latex: toLatex(factorExpr), expr: factorExpr },
          { title: 'Value', why: 'The variance factor is b.', latex: 'b', expr: mul(b, ONE) },
        ],
      },
      summandPart(2),
      mellinPart(spec, { a: [1.2, 2.5], b: [1.5, 2.5] }, 'a - 1 < 2b: Mellin integral converges'),
      headPart(spec, { a: [5.5, 6.5], b: [1.2, 1.8] }, 'a - 1 > 2b: the head of the sum wins'),
    ],
  };
  return derivation;
}

export default defineDerivation(META, build);

/** THEORY (E19), full loss at P = infinity: N^{-min(a-1, b)}. */
import { type Derivation, defineDerivation } from '../src/symbolic/derivation.js';
import { KERNELS, widthLaw } from '../src/symbolic/laws.js';
import { staticWidthLoss } from '../src/symbolic/numeric.js';
import { N } from './common.js';
import { headPart, mellinPart, type StaticSpec, summandPart } from './static.js';

const META = {
  name: 'width-law',
  title: 'Width bottleneck of the full loss: L ~ N^{-min(a-1, b)}',
  theory: '(E16b), (E19)',
} as const;

/** Built on first use (listing the derivations must not run them). */
function build(): Derivation {
  const spec: StaticSpec = {
    kernel: KERNELS.projection as StaticSpec['kernel'],
    size: 'N',
    sizeSym: N,
    exact: staticWidthLoss,
    quantityLatex: 'L(\\infty)\\big|_{P=\\infty} = \\sum_k c_k \\frac{\\kappa}{\\kappa + \\lambda_k},\\quad g(\\kappa) = N',
    quantityWhy: 'THEORY (E16b), P = infinity, sigma = 0: projection onto a random N-dimensional subspace; kappa solved numerically from g(kappa) = N, sums by direct summation.',
    engine: widthLaw(),
  };

  const derivation: Derivation = {
    ...META,
    summary: 'The full loss at P = infinity carries one power of kappa, kappa/(kappa + lambda_k), so the head of the sum takes over at a - 1 = b, not at 2b. [BAP24] as reported states N^{-min(a-1, 2b)}; that exponent belongs to the bias (derivations/width-bias-law), not to this quantity.',
    parts: [
      summandPart(1),
      mellinPart(spec, { a: [1.2, 1.8], b: [1.5, 2.5] }, 'a - 1 < b: Mellin integral converges'),
      headPart(spec, { a: [3.6, 4.5], b: [1.2, 2] }, 'a - 1 > b: the head of the sum wins'),
    ],
  };
  return derivation;
}

export default defineDerivation(META, build);

/** THEORY (E19), bias (infinite ensemble) at P = infinity: N^{-min(a-1, 2b)}. */
import { type Derivation, defineDerivation } from '../src/symbolic/derivation.js';
import { KERNELS, widthBiasLaw } from '../src/symbolic/laws.js';
import { staticWidthBias } from '../src/symbolic/numeric.js';
import { N } from './common.js';
import { headPart, mellinPart, type StaticSpec, summandPart } from './static.js';

const META = {
  name: 'width-bias-law',
  title: 'Width bottleneck of the bias: B ~ N^{-min(a-1, 2b)}',
  theory: '(E14), (E16b), (E19)',
} as const;

/** Built on first use (listing the derivations must not run them). */
function build(): Derivation {
  const spec: StaticSpec = {
    kernel: KERNELS.bias as StaticSpec['kernel'],
    size: 'N',
    sizeSym: N,
    exact: staticWidthBias,
    quantityLatex: 'B(\\infty)\\big|_{P=\\infty} = \\kappa^2 \\sum_k \\frac{c_k}{(\\kappa + \\lambda_k)^2},\\quad g(\\kappa) = N',
    quantityWhy: 'THEORY (E14), (E16b): B = sum_k c_k H_k(infinity)^2 with H_k(infinity) = kappa/(kappa + lambda_k), the loss of an infinite ensemble over A; numeric kappa and sums.',
    engine: widthBiasLaw(),
  };

  const derivation: Derivation = {
    ...META,
    summary: 'Two powers of kappa: the head of the sum takes over at a - 1 = 2b. This is the exponent [BAP24] (as reported) states for the width bottleneck; it holds for the bias, i.e. the infinite-ensemble loss.',
    parts: [
      summandPart(2),
      mellinPart(spec, { a: [1.2, 2.5], b: [1.5, 2.5] }, 'a - 1 < 2b: Mellin integral converges'),
      headPart(spec, { a: [5.5, 6.5], b: [1.2, 1.8] }, 'a - 1 > 2b: the head of the sum wins'),
    ],
  };
  return derivation;
}

export default defineDerivation(META, build);

/** Public entry of the symbolic layer. */
export { Rational } from './rational.js';
export * as expr from './expr.js';
export { gamma, zeta } from './special.js';
export { type Kernel, type ModeSum, kernelValue, mellinTransform, modeSumAsymptotics } from './mellin.js';
export {
  type Atom, type Case, type Condition, conditionLatex, conditionText, isUnsupported, type LeadingTerm, type Unsupported,
} from './terms.js';
export {
  crossTermLaw, dataLaw, dofLaw, earlyFiniteSize, gapLaws, KERNELS, selectCase, timeLaw, varianceFactor, widthBiasLaw, widthLaw,
} from './laws.js';
export { balancePair, type Budget, computeOptimal, crossover, crossTermOnset, intersectionTime, type PowerTerm, selectPair } from './balance.js';
export { fromPPXP, fromSourceCapacity, toPPXP, toSourceCapacity } from './convert.js';
export { exponentTable, type ExponentTable, type LawEntry, lawsToLatex, lawsToMarkdown, phaseOf } from './table.js';
export { checkDerivation, type DerivationFormat, getDerivation, listDerivations, renderDerivation } from './derivations.js';
export { type Derivation, type DerivationCheck, type Step as DerivationStep, checkDerivationSteps } from './derivation.js';

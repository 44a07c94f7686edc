/** Public entry of the symbolic layer. */
export { ExactSizeError, MAX_EXACT_BITS, Rational } from './rational.js';
export * as expr from './expr.js';
export { gamma, zeta } from './special.js';
export { type Kernel, type ModeSum, kernelValue, mellinTransform, modeSumAsymptotics } from './mellin.js';
export {
  type Atom, type Case, type Condition, conditionLatex, conditionText, isUnsupported, type LeadingTerm, simplifyCondition, type Unsupported,
} from './terms.js';
export {
  BATCH, crossTermLaw, dataLaw, dofLaw, earlyFiniteSize, ETA, gapLaws, KERNELS, selectCase, sgdNoiseLaw, timeLaw, varianceFactor, widthBiasLaw, widthLaw,
} from './laws.js';
export {
  balancePair, type Budget, computeOptimal, type ComputeOptimalOptions, crossover, crossTermOnset, intersectionTime, positivity, type PowerTerm, selectPair,
} from './balance.js';
export { fromPPXP, fromSourceCapacity, toPPXP, toSourceCapacity } from './convert.js';
export {
  exponentTable, type ExponentTable, type ExponentTableOptions, type LawEntry, type LawSet, lawsToLatex, lawsToMarkdown, phaseOf, sgdPhaseOf, type TableDynamics,
} from './table.js';
export { checkDerivation, type DerivationFormat, getDerivation, listDerivations, renderDerivation } from './derivations.js';
export { type Derivation, type DerivationCheck, type Step as DerivationStep, checkDerivationSteps } from './derivation.js';
export { type RidgeLawEntry, ridgeCrossover, ridgeLawEntries, ridgeLaws, ridgePlateauLaw, ridgeTakeoverTime } from './ridge.js';
export { dynamicsLawEntries, gradientFlowTimeLaw, type PowerDecayLaw, powerDecayLaw, summedRate, wsdDropInSummedRate } from './schedule-laws.js';
export {
  earlyStoppingLaws, epochHorizonLaw, epochLossLaw, fromLinWuBartlett, noiseGapLaw, noiseVarianceLaw, reuseGapGrowthLaw, reuseHorizonLaw, reuseLimitLaw, stepTimeLaw, toLinWuBartlett, varianceCoefficient,
} from './reuse-laws.js';
export { type ReuseValues, reuseLawEntries } from './reuse-entries.js';

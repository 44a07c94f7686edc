/**
 * Numerical inverse Laplace transform layer (THEORY E13, E15, E16).
 *
 * Two steps (STYLE, after mpmath's inverselaplace): makePlan says where to
 * sample (contour nodes per group of times), invert1 / invert2Diagonal say how
 * to combine the caller's transform values. invertLaplace /
 * invertLaplace2Diagonal wrap both with a second method for the error
 * estimate, singularity checks and a status per time.
 *
 * Single transform at 2t (THEORY E16, Q(s)/s at 2t): build a second plan on
 * the array 2t (makePlan(method, t.map(x => 2 * x))) and combine with invert1;
 * it costs one more set of node evaluations of the scalar transform only.
 */
export type { InversionMethodName, InversionPlan, PlanGroup } from './types.js';
export { INVERSION_DEFAULTS, INVERT_LAPLACE_DEFAULTS, type InversionDefaults, type InvertLaplaceDefaults } from './defaults.js';
export {
  makePlan,
  crossingPoint,
  contourRealPartAt,
  hyperbolicParameters,
  parabolicParameters,
  validateTimes,
  type ContourParameters,
  type PlanOptions,
} from './contours.js';
export { invert1, invert2Diagonal, magnitude1, mirrorTriangle, nestedDiffs1, type ComplexArray, type PairValues } from './combine.js';
export {
  probeImaginaryAxis,
  probeRealAxis,
  type ComplexFunction,
  type ImaginaryAxisProbeResult,
  type RealAxisProbeResult,
  type RealFunction,
  type ResonancePeak,
} from './singularity.js';
export {
  invertLaplace,
  invertLaplace2Diagonal,
  sampleTransform,
  sampleTransform2,
  type InversionSolution,
  type InvertLaplaceOptions,
  type LaplaceFunction,
  type LaplaceFunction2,
  type SampledPairValues,
  type SampledValues,
} from './invert.js';
export { inversionError, nestedSpread, spreadError, sumOfErrors, verifiedStatus, ROUNDOFF_FACTOR } from './verify.js';

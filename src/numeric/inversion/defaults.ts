/**
 * Default settings of the contour-inversion layer, in one place (STYLE 1).
 * Every constant says where it comes from; the accuracies quoted were measured
 * by test/numeric/inversion.test.ts on the pairs of its problem library.
 */

import type { InversionMethodName } from './types.js';

export interface InversionDefaults {
  /** Upper-half-plane nodes per group for each method. */
  readonly nodes: Readonly<Record<InversionMethodName, number>>;
  /**
   * Window ratio Lambda = t1/t0 of one node set (hyperbolic, parabolic), [WT07]
   * section 3-4. Larger Lambda means fewer groups but a slower rate of
   * convergence per node and more cancellation (e^{mu Lambda t0 ...} growth).
   */
  readonly windowRatio: number;
  /**
   * Sector margin delta of [WT07]: the upper edge of the strip of analyticity is
   * kept this far from the collapse of the contour onto the negative real axis,
   * so a pole at s = 0 (THEORY E15a, the unlearnable part) stays off the edge.
   */
  readonly sectorMargin: number;
  /** Contour translated right by sigma0 (weights x e^{sigma0 t}). */
  readonly shift: number;
  /**
   * Fixed Talbot radius factor: r = talbotRadius * n / t. [AV04] use 2/5 (their
   * r = 2M/(5t)), chosen for multi-precision where the working precision grows
   * with M; we keep it (double precision limits n to about 24-32 anyway).
   */
  readonly talbotRadius: number;
  /** Unit roundoff used in the [WT07] error model (cancellation term). */
  readonly roundoff: number;
}

/**
 * Node counts measured on the problem library of test/numeric/inversion.test.ts
 * (t = 1e-3..1e6, Lambda = 10; worst error over 40 times, relative or absolute
 * vs max|f| as stated there):
 * - hyperbolic n = 32: <= 3.3e-14 (1D), 2.6e-14 (2D separable); the [WT07]
 *   model predicts 8e-14. n = 24 gives ~1e-10, n = 40 ~2e-15.
 * - parabolic n = 40: <= 5.5e-12 (1D), 1.3e-13 (2D); the parabola converges
 *   more slowly over a window ([WT07] section 3), so it needs more nodes.
 * - talbot n = 20: <= 2.8e-12 (1D), 3.7e-11 (2D). Fixed Talbot in double
 *   precision is roundoff-limited: the node at the crossing carries e^{r t} =
 *   e^{0.4 n}, so n = 16 gives ~3e-10 (truncation) and n = 28 ~8e-11
 *   (roundoff); 20 is the measured optimum.
 */
export const INVERSION_DEFAULTS: InversionDefaults = Object.freeze({
  nodes: Object.freeze({ hyperbolic: 32, parabolic: 40, talbot: 20 }),
  windowRatio: 10,
  sectorMargin: 0.1,
  shift: 0,
  talbotRadius: 0.4,
  roundoff: 2.220446049250313e-16,
});

export interface InvertLaplaceDefaults {
  /** Primary method whose value is returned. */
  readonly method: InversionMethodName;
  /** Independent second method; |primary - check| is the error estimate (THEORY E13). */
  readonly checkMethod: InversionMethodName;
  /** A time is 'converged' when errorEstimate <= rtol |f| + atol * max_t |f|. */
  readonly rtol: number;
  readonly atol: number;
  /**
   * Singularity probe: the relative disagreement between the plan and a plan
   * shifted right by probeShiftFactor x (its real-axis crossing) that flags a
   * residue between the two contours (see singularity.ts).
   */
  readonly probeShiftFactor: number;
  readonly probeTolerance: number;
  /** Real-axis probe: samples x_c * 2^k, k = 0..probePoints-1 (x_c the crossing). */
  readonly probePoints: number;
}

export const INVERT_LAPLACE_DEFAULTS: InvertLaplaceDefaults = Object.freeze({
  method: 'hyperbolic',
  checkMethod: 'parabolic',
  rtol: 1e-8,
  atol: 1e-10,
  probeShiftFactor: 1,
  probeTolerance: 1e-6,
  probePoints: 48,
});

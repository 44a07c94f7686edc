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

/** n: measured (test/numeric/inversion.test.ts) to give ~1e-12 on the smooth pairs. */
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

/**
 * Contract between the contour-inversion methods (this folder) and their
 * callers (the DMFT quantities). STYLE: a method has two steps, *where to
 * sample* (nodes) and *how to combine* (weights), so callers evaluate each
 * transform once per node and reuse it for every mode, quantity and time.
 *
 * THEORY (E13): f(t) = (1/2 pi i) \int_Gamma e^{st} F(s) ds over a contour
 * Gamma wrapping the negative real axis. All rules here are symmetric under
 * complex conjugation with no node on the real axis, so only the nodes with
 * Im s > 0 are stored; the lower half is implied (F(conj s) = conj F(s) for
 * the real-valued time functions we invert).
 */

/** The contour methods: hyperbolic, parabolic, talbot. */
export type InversionMethodName = 'hyperbolic' | 'parabolic' | 'talbot';

/** One node set and the times it serves. */
export interface PlanGroup {
  /** Index range [tStart, tEnd) into InversionPlan.t served by these nodes. */
  readonly tStart: number;
  readonly tEnd: number;
  /** Upper-half-plane nodes s_j = re[j] + i im[j], im[j] > 0, j = 0..n-1. */
  readonly re: Float64Array;
  readonly im: Float64Array;
  /**
   * Complex weights V_ij, row-major ((tEnd - tStart) x n): the quadrature of
   * (1/2 pi i) e^{s t} ds at node j for time t_{tStart+i}, so that over the
   * full (conjugate-symmetric) contour f(t) ~ sum_j V_j F(s_j) + conj(V_j) F(conj s_j).
   */
  readonly wRe: Float64Array;
  readonly wIm: Float64Array;
  /**
   * Nested rules (trapezoid grid only, THEORY E13): per node, the largest step multiple k in {1, 2, 4}
   * whose sub-rule contains it (the node's index on the grid u_j = j h is divisible by k). The sub-rule at
   * step k h is the nodes with nest >= k with weights k V_j (k^2 V_a V_b for a product rule). Absent:
   * the group has no nested sub-rules (midpoint grids, the circle rule).
   */
  readonly nest?: Uint8Array;
}

/** A contour plan: groups of times with their nodes and weights, and the settings used. */
export interface InversionPlan {
  readonly method: InversionMethodName;
  /** Times served: ascending, finite, > 0 (t = 0 and t = infinity are answered analytically by callers). */
  readonly t: Float64Array;
  readonly groups: readonly PlanGroup[];
  /** Method settings used (nodes per group, window ratio, shift ...), for provenance. */
  readonly settings: Readonly<Record<string, number | string>>;
}

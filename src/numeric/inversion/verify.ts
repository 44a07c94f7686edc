/**
 * The inversion engine's one meaning of an error estimate and a status, for every inversion in the numeric
 * layer (invertLaplace, invertLaplace2Diagonal, the DMFT curves of every dynamics, one-pass SGD, the transfer
 * functions): THEORY (E13). Rules supply nodes and weights (contours.ts, ../schedule.ts, the SGD circle);
 * this file owns what their values are worth (as mpmath's QuadratureRule owns estimate_error while its
 * subclasses supply nodes).
 *
 *   errorEstimate = max(spread, ROUNDOFF_FACTOR x magnitude) + independent,
 *
 * - spread: how far the primary value is from the truth, judged by an independent second value:
 *   |primary - estimate| for a second rule (another contour family, the same family at fewer nodes, a
 *   circle of another radius), or nestedSpread for the nested sub-rules of a trapezoid grid (the same nodes);
 * - magnitude: the size of the terms of the weighted sum (sum_j 2 |V_j F_j|, or its double-transform
 *   analogue), so an accidental agreement never claims more than the arithmetic delivers;
 * - independent: error sources the rules share and so cannot see (mode-sum tail, a dropped closure, missed
 *   residues), added.
 * A quantity computed from separately inverted parts (one-pass SGD's test loss = sigma^2 + signal + noise)
 * carries the sum of its parts' errors (sumOfErrors): their signs are unknown, so the max would not bound it.
 */
import type { Status } from '../../core/solution.js';

const EPS = 2.220446049250313e-16;
/** Round-off floor: 8 eps per unit of term magnitude (a few roundings per term, summed). */
export const ROUNDOFF_FACTOR = 8 * EPS;

/** The error estimate from a spread (see the file comment): max(spread, round-off floor) + independent. */
export function spreadError(spread: number, magnitude: number, independent = 0): number {
  return Math.max(spread, ROUNDOFF_FACTOR * magnitude) + independent;
}

/** The error estimate of `primary` judged by a second rule's value `estimate` (spreadError of |primary - estimate|). */
export function inversionError(primary: number, estimate: number, magnitude: number, extra = 0): number {
  return spreadError(Math.abs(primary - estimate), magnitude, extra);
}

/**
 * The spread of a nested rule (trapezoid grid, THEORY E13) from its own sub-rules: d2 = T(h) - T(2h),
 * d4 = T(h) - T(4h). The trapezoid rule on an analytic strip converges geometrically, E(h) ~ C q^(1/h), so
 * halving the step squares the relative error: |d2| ~ E(2h) and E(h) ~ E(2h)^2 / C. As mpmath's
 * QuadratureRule.estimate_error, the estimate is d2^2 / d4 (in the geometric regime it exceeds E(h) by the
 * factor C / E(4h) >= 1), at least d2^2 / magnitude (the squared relative spread); when the levels do not
 * converge (|d4| <= |d2|) it is |d2| itself, the 2h rule's own error. NaN when the rule has no sub-rules.
 * The sub-rules end where the primary ends, so they cannot see its truncation: `edge`, the size of the terms
 * of the last node (2 |V F| there; for a product rule the pairs with it), bounds the terms beyond, which decay
 * faster than geometrically along the contour (measured: at 20 nodes the truncation at a window's first time
 * was 7e-11 against a squared spread of 3e-14, and the edge 1e-8).
 */
export function nestedSpread(d2: number, d4: number, magnitude: number, edge: number): number {
  const a = Math.abs(d2);
  const b = Math.abs(d4);
  const discretization = b > a ? NESTED_SAFETY * Math.max((a * a) / b, (a * a) / magnitude) : a;
  return Math.max(discretization, edge);
}

/**
 * Safety factor on the extrapolated (squared) spread: the geometric model is asymptotic, and the one
 * measured miss without it was 0.8 (a transfer function at 20 nodes, test/numeric/curve.test.ts); over
 * scripts/numeric/nested-estimate.mts the estimate then bounds every error by a factor >= 8.
 */
const NESTED_SAFETY = 10;

/** The error of a sum of separately inverted parts: the sum of their errors (signs unknown). */
export function sumOfErrors(...errors: number[]): number {
  let e = 0;
  for (const x of errors) e += x;
  return e;
}

/**
 * Status of one verified value: 'converged' when the error is within
 * tolerance; for quantities known to be non-negative (losses), a value below
 * its own error estimate is 'below_error_estimate' (its size and sign are
 * not known), and a negative value beyond its error is 'unverified'.
 */
export function verifiedStatus(value: number, error: number, tolerance: number, nonNegative: boolean): Status {
  if (!Number.isFinite(value) || !Number.isFinite(error)) return 'non_finite';
  if (nonNegative) {
    if (Math.abs(value) < error || (value === 0 && error > 0)) return 'below_error_estimate';
    if (value < 0) return 'unverified';
  }
  return error <= tolerance ? 'converged' : 'unverified';
}

/**
 * One meaning of the error estimate for every inversion in the numeric layer
 * (invertLaplace, invertLaplace2Diagonal, the DMFT curves, the transfer
 * functions): THEORY (E13).
 *
 *   errorEstimate = max(|primary - estimate|, ROUNDOFF_FACTOR x magnitude) + extra,
 *
 * where `estimate` is an independent second value (a second contour family,
 * or the same family at fewer nodes: its error exceeds the primary's, so the
 * spread bounds the primary's error as long as the coarse rule's error is at
 * least twice the primary's, as for the geometric convergence of these
 * rules), `magnitude` is the size of the terms of the weighted sum
 * (sum_j 2 |V_j F_j|, or its double-transform analogue), so an accidental
 * agreement never claims more than the arithmetic delivers, and `extra`
 * holds independent error sources (mode-sum tail, missed residues).
 */
import type { Status } from '../../core/solution.js';

const EPS = 2.220446049250313e-16;
/** Round-off floor: 8 eps per unit of term magnitude (a few roundings per term, summed). */
export const ROUNDOFF_FACTOR = 8 * EPS;

export function inversionError(primary: number, estimate: number, magnitude: number, extra = 0): number {
  return Math.max(Math.abs(primary - estimate), ROUNDOFF_FACTOR * magnitude) + extra;
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

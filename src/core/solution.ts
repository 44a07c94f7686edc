/**
 * Result objects of iterative and numerical methods (STYLE 1-2, after SciPy's
 * tanh-sinh result and SciMLBase's return codes).
 */

/**
 * Why a numerical result is (or is not) trustworthy.
 * - converged: the method met its tolerance and every check passed.
 * - max_iter: the iteration budget ran out before the tolerance was met.
 * - non_finite: a NaN or infinity appeared (overflow, division by zero).
 * - unverified: a value was produced but a check (residual, spread between
 *   methods, Stieltjes sign) exceeded its tolerance.
 * - singularity_right_of_contour: the transform is not analytic right of the
 *   inversion contour, so the contour integral would be silently wrong.
 * - below_error_estimate: the value is smaller than its own error estimate
 *   (e.g. a loss that cancels to round-off): its sign and size are not known.
 * - unstable: the training dynamics diverge for these settings (step size
 *   beyond the stability bound, THEORY E26-E28); no value is given.
 */
export type Status =
  | 'converged'
  | 'max_iter'
  | 'non_finite'
  | 'unverified'
  | 'below_error_estimate'
  | 'singularity_right_of_contour'
  | 'unstable';

export const STATUS_SEVERITY: Record<Status, number> = {
  converged: 0,
  unverified: 1,
  below_error_estimate: 2,
  max_iter: 3,
  singularity_right_of_contour: 4,
  non_finite: 5,
  unstable: 6,
};

/** The worse of two statuses (for aggregating per-node statuses). */
export function worstStatus(a: Status, b: Status): Status {
  return STATUS_SEVERITY[a] >= STATUS_SEVERITY[b] ? a : b;
}

/** A numeric result: value, error estimate, status, iterations and a message (STYLE 2). */
export interface Solution<V> {
  value: V;
  /** Estimated absolute error of `value` (same shape, or a scalar bound). */
  errorEstimate: V | number;
  status: Status;
  iterations: number;
  /** Human-readable detail on the status (empty when converged). */
  message?: string;
}

/** True when a result's status is 'converged'. */
export function isSuccess(solution: { status: Status }): boolean {
  return solution.status === 'converged';
}

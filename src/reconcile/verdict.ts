/**
 * The verdict of one reconciliation row, the one rule for every dynamics
 * (gradient-flow laws in reconcile.ts, one-pass SGD compute-optimal laws in
 * sgd.ts): no fit -> 'no_fit'; no closed form -> 'no_closed_form'; within the
 * tolerance -> 'agree'; otherwise 'disagree', unless the row sits near a phase
 * boundary and its own local slopes are measured drifting toward the closed
 * form at the rate of the logarithmic or x^-delta correction (boundary.ts),
 * which makes it 'boundary'.
 */
import { BOUNDARY_MARGIN, boundaryEvidence, nearestBoundary, type BoundaryEvidence, type NearestBoundary } from './boundary.js';
import type { ExponentFit, Verdict } from './types.js';

/** What a verdict is decided from. */
export interface VerdictInput {
  readonly a: number;
  readonly b: number;
  /** Closed-form exponent, null when unsupported. */
  readonly closed: number | null;
  readonly fit: ExponentFit | undefined;
  readonly tolerance: number;
  /** The phase boundary nearest to (a, b) for this law's dynamics (default: the gradient-flow boundaries). */
  readonly nearest?: NearestBoundary;
}

/** A verdict with the difference it rests on and, near a boundary, the drift examined. */
export interface VerdictResult {
  readonly verdict: Verdict;
  /** fitted - closed form (null without a fit or a closed form). */
  readonly difference: number | null;
  /** The drift evidence, when a disagreement was examined. */
  readonly boundary?: BoundaryEvidence;
  /** One sentence for the row's note ('' when the row is not within BOUNDARY_MARGIN of a boundary). */
  readonly note: string;
}

/** The verdict of one row (see the file comment). */
export function verdictOf(input: VerdictInput): VerdictResult {
  const { a, b, closed, fit, tolerance } = input;
  if (!fit || fit.status !== 'converged') return { verdict: 'no_fit', difference: null, note: '' };
  if (closed === null) return { verdict: 'no_closed_form', difference: null, note: '' };
  const difference = fit.exponent - closed;
  if (Math.abs(difference) <= tolerance) return { verdict: 'agree', difference, note: '' };
  const boundary = boundaryEvidence(a, b, closed, fit, input.nearest ?? nearestBoundary(a, b));
  return {
    verdict: boundary.holds ? 'boundary' : 'disagree',
    difference,
    boundary,
    note: boundary.delta <= BOUNDARY_MARGIN ? boundary.text : '',
  };
}

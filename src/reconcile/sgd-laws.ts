/**
 * Closed forms of the compute-optimal N* exponent and the SGD phase map
 * (THEORY E29 for one-pass SGD, E21 for gradient flow) as plain arithmetic,
 * for the phase diagram, which evaluates them at thousands of cells of the
 * (a, b) plane.
 *
 * The authority is the symbolic layer (exponentTable, sgdPhaseOf: the
 * balances derived by its engine), which the reconciliation rows use; at
 * ~10-25 ms a table it is too slow per cell, so this file transcribes E29 and
 * tests hold it equal to the symbolic tables across all phases (and to the
 * E29 term model minimised numerically).
 *
 * E29, b > 1, compute C = N t B at fixed B (t in steps):
 *   Ia  (a < b + 1):       N* ~ C^{1/(1+b)},   t* ~ C^{b/(1+b)},  L* ~ C^{-(a-1)/(1+b)}
 *   II  (b + 1 < a < 2b):  N* ~ C^{(a-b)/a},   t* ~ C^{b/a},      L* ~ C^{-(a-1)/a}
 *   III (a > 2b):          N* ~ t* ~ C^{1/2},                    L* ~ C^{-(1 - 1/(2b))}
 * (t* = C/(N* B), so its exponent is 1 minus N*'s.) On a boundary two
 * balances tie and logarithmic corrections appear; the exponents are
 * continuous there, but a measurement on a boundary is not a clean test, so
 * boundaries are reported as such.
 */
import { InvalidArgumentError } from '../core/errors.js';

/** The [PPXP24] phase of (a, b) for one-pass SGD, b > 1 (THEORY E29), or the boundary it lies on. */
export type SgdPhase = 'Ia' | 'II' | 'III' | 'boundary Ia/II' | 'boundary II/III';

/** Ids of the compute-optimal laws (N*, t*, L*). */
export type ComputeOptimalLawId = 'compute_optimal_N' | 'compute_optimal_t' | 'compute_optimal_loss';

/** A closed-form exponent with its formula in a and b. */
export interface ClosedFormExponent {
  readonly exponent: number;
  /** The formula in a and b, e.g. "(a-b)/a". */
  readonly text: string;
}

/** The SGD compute-optimal exponents at (a, b) with the phase. */
export interface SgdComputeOptimalLaws {
  readonly a: number;
  readonly b: number;
  readonly phase: SgdPhase;
  readonly laws: Readonly<Record<ComputeOptimalLawId, ClosedFormExponent>>;
  /** Where the values come from (for notes and provenance). */
  readonly source: string;
}

/** The [PPXP24] phase of (a, b) for one-pass SGD, b > 1 (THEORY E29). */
export function sgdPhase(a: number, b: number): SgdPhase {
  validate(a, b);
  if (a < b + 1) return 'Ia';
  if (a === b + 1) return 'boundary Ia/II';
  if (a < 2 * b) return 'II';
  if (a === 2 * b) return 'boundary II/III';
  return 'III';
}

function validate(a: number, b: number): void {
  if (!Number.isFinite(a) || !(a > 1)) throw new InvalidArgumentError('a', 'must be a finite number > 1', a);
  if (!Number.isFinite(b) || !(b > 1)) {
    throw new InvalidArgumentError('b', 'must be a finite number > 1 (the SGD phases Ia, II, III of THEORY E29 need b > 1)', b);
  }
}

/**
 * THEORY (E29): the compute-optimal exponents of one-pass SGD at (a, b).
 * On a boundary the two neighbouring formulas agree and either is returned
 * (the one of the lower phase).
 */
export function sgdComputeOptimalLaws(a: number, b: number): SgdComputeOptimalLaws {
  const phase = sgdPhase(a, b);
  const source = 'THEORY (E29), transcribed in src/reconcile/sgd-laws.ts (held equal to the symbolic layer by tests)';
  if (phase === 'Ia' || phase === 'boundary Ia/II') {
    return {
      a, b, phase, source,
      laws: {
        compute_optimal_N: { exponent: 1 / (1 + b), text: '1/(1+b)' },
        compute_optimal_t: { exponent: b / (1 + b), text: 'b/(1+b)' },
        compute_optimal_loss: { exponent: -(a - 1) / (1 + b), text: '-(a-1)/(1+b)' },
      },
    };
  }
  if (phase === 'II' || phase === 'boundary II/III') {
    return {
      a, b, phase, source,
      laws: {
        compute_optimal_N: { exponent: (a - b) / a, text: '(a-b)/a' },
        compute_optimal_t: { exponent: b / a, text: 'b/a' },
        compute_optimal_loss: { exponent: -(a - 1) / a, text: '-(a-1)/a' },
      },
    };
  }
  return {
    a, b, phase, source,
    laws: {
      compute_optimal_N: { exponent: 1 / 2, text: '1/2' },
      compute_optimal_t: { exponent: 1 / 2, text: '1/2' },
      compute_optimal_loss: { exponent: -(1 - 1 / (2 * b)), text: '-(1-1/(2b))' },
    },
  };
}

/** Distance of (a, b) from the nearest SGD phase boundary, in units of a (a = b + 1, a = 2b). */
export function distanceToSgdBoundary(a: number, b: number): number {
  validate(a, b);
  return Math.min(Math.abs(a - (b + 1)), Math.abs(a - 2 * b));
}

/**
 * THEORY (E21) for gradient flow (no noise term), b > 1, C = N t: N* ~
 * C^{1/(1+b)} for a - 1 < b and C^{(a-b)/a} for a - 1 > b (continuous at
 * a = b + 1; phase II's allocation continuing into a > 2b, E29), for the
 * phase diagram; a test holds it equal to the symbolic layer's exponentTable.
 */
export function gradientFlowComputeOptimalN(a: number, b: number): ClosedFormExponent {
  validate(a, b);
  return a - 1 < b ? { exponent: 1 / (1 + b), text: '1/(1+b)' } : { exponent: (a - b) / a, text: '(a-b)/a' };
}

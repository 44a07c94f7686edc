/**
 * Theory against simulation, point by point: the DMFT value agrees with the
 * Monte Carlo mean when |theory - mc| <= max(k * s.e., rel * |mc|) (the
 * criterion of the simulation checks: 3 standard errors or 2% relative, whichever is larger), or, where
 * a caller marks a point as compared in absolute terms, when
 * |theory - mc| <= max(k * s.e., rel * reference) with reference L(0).
 */

/** The agreement criterion: standard errors and relative difference. */
export interface AgreementCriterion {
  /** Standard errors allowed (default 3). */
  readonly standardErrors?: number;
  /** Relative tolerance (default 0.02). */
  readonly relative?: number;
}

/** Agreement of one point: z-score, relative difference, verdict. */
export interface PointAgreement {
  readonly theory: number;
  readonly mean: number;
  readonly stderr: number;
  /** (theory - mean) / stderr. */
  readonly z: number;
  /** (theory - mean) / |mean|. */
  readonly relativeDifference: number;
  readonly tolerance: number;
  readonly agrees: boolean;
}

/** Per-point and summary agreement of a series. */
export interface SeriesAgreement {
  readonly points: PointAgreement[];
  readonly maxAbsZ: number;
  readonly maxRelativeDifference: number;
  readonly agrees: boolean;
  readonly failures: number;
}

export const DEFAULT_AGREEMENT = { standardErrors: 3, relative: 0.02 } as const;

/** Fewest Monte Carlo seeds with a standard error (the spread of one seed is unknown). */
export const MIN_SEEDS_FOR_ERROR = 2;

/** What every output says instead of z-scores and a verdict when the simulation has one seed. */
export const ONE_SEED_NOTE = 'one seed has no standard error: no z-scores and no verdict (run with 2 or more seeds)';

/** Relative size below which a difference or a standard error is floating-point rounding. */
const ROUNDOFF = 1e-12;

/**
 * Compares a theory series with a Monte Carlo mean and standard error.
 * `absoluteScale[i]`, when given and finite, replaces |mean| in the relative
 * tolerance at point i (comparison in absolute terms against that scale).
 */
export function compareSeries(
  theory: ArrayLike<number>,
  mean: ArrayLike<number>,
  stderr: ArrayLike<number>,
  criterion: AgreementCriterion = {},
  absoluteScale?: ArrayLike<number>,
): SeriesAgreement {
  const k = criterion.standardErrors ?? DEFAULT_AGREEMENT.standardErrors;
  const rel = criterion.relative ?? DEFAULT_AGREEMENT.relative;
  const points: PointAgreement[] = [];
  let maxAbsZ = 0;
  let maxRelativeDifference = 0;
  let failures = 0;
  for (let i = 0; i < theory.length; i++) {
    const difference = theory[i] - mean[i];
    const scale = absoluteScale !== undefined && Number.isFinite(absoluteScale[i]) ? absoluteScale[i] : Math.abs(mean[i]);
    const se = stderr[i];
    const tolerance = Math.max(Number.isFinite(se) ? k * se : 0, rel * scale);
    // Where the estimate is exact (t = 0: every seed has L(0) = sum c + sigma^2),
    // its standard error is rounding noise and a z-score would be meaningless.
    const roundoff = ROUNDOFF * Math.abs(mean[i]);
    const z =
      se > roundoff ? difference / se : Math.abs(difference) <= roundoff ? 0 : Infinity * Math.sign(difference);
    const relativeDifference = mean[i] !== 0 ? difference / Math.abs(mean[i]) : difference === 0 ? 0 : Infinity;
    const agrees = Number.isFinite(difference) && Math.abs(difference) <= tolerance;
    if (!agrees) failures++;
    maxAbsZ = Math.max(maxAbsZ, Math.abs(z));
    maxRelativeDifference = Math.max(maxRelativeDifference, Math.abs(relativeDifference));
    points.push({ theory: theory[i], mean: mean[i], stderr: se, z, relativeDifference, tolerance, agrees });
  }
  return { points, maxAbsZ, maxRelativeDifference, agrees: failures === 0, failures };
}

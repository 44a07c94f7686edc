/**
 * The population of a data set, THEORY (E30): for n samples with centred
 * features psi and centred targets y (uniform distribution on the n pairs),
 *   Lambda = eigenvalues of (1/n) sum psi psi^T   (descending),
 *   w*     = least-squares coefficients of y on psi (in the eigenbasis),
 *   c_k    = lambda_k w*_k^2,
 *   sigma^2 = mean(y^2) - sum_k c_k   (what no linear function of psi explains).
 * In the eigenbasis u_k, with beta_k = u_k . (1/n) sum psi y: w*_k = beta_k /
 * lambda_k and c_k = beta_k^2 / lambda_k. Directions with lambda_k at
 * round-off level (at most max(n, d) eps lambda_1: constant pixels, rank below
 * d when n <= d) are not modes of the population and are dropped; their
 * beta_k vanish with them (y's least-squares fit lives in the range).
 *
 * Eigensolver: the simulator's symmetricEigenOperator (Householder + QL,
 * eigenvalues and U^T b without forming U: E30 needs no eigenvector itself),
 * 18x faster than the dense tred2/tql2 at d' = 673 (bench/data.ts).
 */
import { InvalidArgumentError } from '../core/errors.js';
import { gramColumns, symmetricEigenOperator } from '../simulation/index.js';

export interface PopulationInput {
  readonly n: number;
  readonly d: number;
  /** n x d row-major (not centred: centring is done here). */
  readonly features: Float64Array;
  readonly targets: Float64Array;
}

/** The population of a data set (THEORY E30). */
export interface Population {
  /** Eigenvalues lambda_k, descending, round-off modes dropped. */
  readonly lambda: Float64Array;
  /** Task powers c_k = lambda_k w*_k^2 (E30). */
  readonly c: Float64Array;
  /** w*_k in the eigenbasis (sign as computed: eigenvector signs are arbitrary). */
  readonly wstar: Float64Array;
  /** sigma^2 = mean(y^2) - sum c_k (E30), clamped at 0 when rounding makes it negative (see sigma2Raw). */
  readonly sigma2: number;
  readonly sigma2Raw: number;
  /** mean(y^2) of the centred targets = L(0) of the predictor f = 0. */
  readonly meanY2: number;
  readonly n: number;
  readonly d: number;
  /** Number of modes kept (the numerical rank of the covariance). */
  readonly rank: number;
  /** Threshold below which eigenvalues were dropped. */
  readonly rankTolerance: number;
  /** Features with non-zero variance (the size of the eigenproblem solved). */
  readonly liveFeatures: number;
  /** Smallest eigenvalue the stored features' precision resolves (precisionFloor). */
  readonly precisionFloor: number;
  /** Kept modes with lambda_k below 100 x the floor (not resolved to 1%). */
  readonly unresolvedModes: number;
  /** How the features were centred: two-pass (centred rows) or one-pass (sparse, small offsets), and max mean^2/var. */
  readonly centring: { readonly twoPass: boolean; readonly offsetRatio: number };
  /** Warnings a reader must see beside the population (conditioning of the data). */
  readonly warnings: string[];
  readonly timing: { covarianceMs: number; eigenMs: number };
}

function maxAbs(values: Float64Array): number {
  let m = 0;
  for (const v of values) m = Math.max(m, Math.abs(v));
  return m;
}

/**
 * Largest ratio mean_j^2 / var_j of a feature for which the one-pass form
 * E[x x^T] - mean mean^T is used (on the sparse path): the subtraction then
 * loses at most log2(1 + 16) ~ 4 of 52 bits of a variance. Beyond it (a
 * feature with a large common offset: digits shifted by 1e8 have ratios near
 * 1e15) the features are centred first and the product taken of the centred
 * values (two-pass), which keeps full precision whatever the offset.
 */
export const ONE_PASS_OFFSET_RATIO = 16;

/**
 * Centred second moment (1/W) sum_i w_i (x_i - mean)(x_i - mean)^T and the
 * weighted mean, with integer weights w_i (all 1 by default; a bootstrap
 * passes multinomial counts). The mean is taken of the data shifted by its
 * first used row (exact for any common offset). Sparse rows with small
 * offsets (pixels are about 80% zeros; every ratio mean_j^2 / var_j at most
 * ONE_PASS_OFFSET_RATIO) are accumulated from their non-zeros only; otherwise
 * the centred rows go through the simulator's Gram kernel (two-pass).
 */
export function centredCovariance(
  x: Float64Array,
  n: number,
  d: number,
  weights?: ArrayLike<number>,
): CentredCovariance {
  // The population and the experiment both need the unweighted moments of one data set: computed once (read-only).
  const known = weights === undefined ? unweightedMoments.get(x) : undefined;
  if (known !== undefined && known.n === n && known.d === d) return known.moments;
  const moments = computeCentredCovariance(x, n, d, weights);
  if (weights === undefined) unweightedMoments.set(x, { n, d, moments });
  return moments;
}

/** What centredCovariance returns (shared between callers for unweighted data: not to be modified). */
export interface CentredCovariance {
  readonly covariance: Float64Array;
  readonly mean: Float64Array;
  readonly total: number;
  readonly twoPass: boolean;
  readonly offsetRatio: number;
}

/** Unweighted moments by feature array (kept while the array lives). */
const unweightedMoments = new WeakMap<Float64Array, { n: number; d: number; moments: CentredCovariance }>();

function computeCentredCovariance(x: Float64Array, n: number, d: number, weights?: ArrayLike<number>): CentredCovariance {
  let first = -1;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i] : 1;
    if (w === 0) continue;
    if (first < 0) first = i;
    total += w;
  }
  if (!(total > 0)) throw new InvalidArgumentError('weights', 'must not all be zero', total);
  // Pass 1: mean = shift + mean(x - shift), shift = the first used row; and the count of non-zeros.
  const shift = x.subarray(first * d, first * d + d);
  const mean = new Float64Array(d);
  let nonZeros = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i] : 1;
    if (w === 0) continue;
    const row = i * d;
    for (let j = 0; j < d; j++) {
      const v = x[row + j];
      if (v !== 0) nonZeros++;
      mean[j] += w * (v - shift[j]);
    }
  }
  for (let j = 0; j < d; j++) mean[j] = shift[j] + mean[j] / total;
  // Per-feature variance by two passes, for the offset ratio that picks the path.
  const variance = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i] : 1;
    if (w === 0) continue;
    const row = i * d;
    for (let j = 0; j < d; j++) variance[j] += w * (x[row + j] - mean[j]) ** 2;
  }
  let offsetRatio = 0;
  for (let j = 0; j < d; j++) {
    variance[j] /= total;
    if (variance[j] > 0) offsetRatio = Math.max(offsetRatio, (mean[j] * mean[j]) / variance[j]);
  }
  let S: Float64Array;
  const density = nonZeros / Math.max(1, n * d);
  const twoPass = !(density < 0.35 && offsetRatio <= ONE_PASS_OFFSET_RATIO);
  if (!twoPass) {
    S = new Float64Array(d * d);
    const idx = new Int32Array(d);
    const val = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      const w = weights ? weights[i] : 1;
      if (w === 0) continue;
      let nnz = 0;
      const row = i * d;
      for (let j = 0; j < d; j++) {
        const v = x[row + j];
        if (v !== 0) {
          idx[nnz] = j;
          val[nnz++] = v;
        }
      }
      for (let p = 0; p < nnz; p++) {
        const a = w * val[p];
        const base = idx[p] * d;
        for (let q = p; q < nnz; q++) S[base + idx[q]] += a * val[q];
      }
    }
    // Sigma = E[x x^T] - mean mean^T: with every mean_j^2 / var_j <= ONE_PASS_OFFSET_RATIO, a few bits at most.
    for (let i = 0; i < d; i++) {
      for (let j = i; j < d; j++) {
        const v = S[i * d + j] / total - mean[i] * mean[j];
        S[i * d + j] = v;
        S[j * d + i] = v;
      }
    }
  } else {
    // Pass 2: the product of the centred rows (each scaled by sqrt(w_i)).
    const centred = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const s = Math.sqrt(weights ? weights[i] : 1);
      if (s === 0) continue;
      const row = i * d;
      for (let j = 0; j < d; j++) centred[row + j] = s * (x[row + j] - mean[j]);
    }
    S = gramColumns(centred, n, d, 1 / total);
  }
  return { covariance: S, mean, total, twoPass, offsetRatio };
}

/**
 * Smallest eigenvalue the data's own precision resolves: features stored as
 * doubles carry a rounding of up to eps/2 |x_ij| each (eps the double
 * precision), an error matrix E with ||E||_F^2 / n <= (eps/2)^2 sum_j mean(x_j^2);
 * it moves the covariance by (Psi^T E + E^T Psi) / n, of norm at most
 * 2 sqrt(lambda_1) ||E||_F / sqrt(n), and every eigenvalue by as much (Weyl).
 * With a common offset of 1e8 on features of spread 4 this is about 1e-6
 * lambda_1^(1/2) d^(1/2), not the 1e-14 of the same data centred.
 */
export function precisionFloor(mean: Float64Array, covariance: Float64Array, d: number, lambda1: number): number {
  let meanSquare = 0;
  for (let j = 0; j < d; j++) meanSquare += mean[j] * mean[j] + Math.max(0, covariance[j * d + j]);
  return 2.220446049250313e-16 * Math.sqrt(Math.max(0, lambda1) * meanSquare);
}

/** A kept mode is unresolved when the precision floor exceeds this share of it (1%). */
export const UNRESOLVED_SHARE = 0.01;

/** THEORY (E30): the population (Lambda, w*, c, sigma^2) of a data set, optionally with sample weights (bootstrap). */
export function computePopulation(input: PopulationInput, weights?: ArrayLike<number>): Population {
  const { n, d, features, targets } = input;
  if (features.length !== n * d) throw new InvalidArgumentError('features', `must have n * d = ${n * d} entries`, features.length);
  if (targets.length !== n) throw new InvalidArgumentError('targets', `must have n = ${n} entries`, targets.length);
  const t0 = performance.now();
  const { covariance, mean, total, twoPass, offsetRatio } = centredCovariance(features, n, d, weights);
  // Centred targets (two passes: the mean of y, then y - ybar) and b = (1/n) sum (x_i - mean) (y_i - ybar) with the
  // features centred too: sum x_i (y_i - ybar) alone would carry mean * (the round-off of sum (y_i - ybar)), which a
  // large offset turns into an error of the size of b.
  let ybar = 0;
  for (let i = 0; i < n; i++) ybar += (weights ? weights[i] : 1) * targets[i];
  ybar /= total;
  let meanY2 = 0;
  const b = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i] : 1;
    if (w === 0) continue;
    const yc = targets[i] - ybar;
    meanY2 += w * yc * yc;
    const row = i * d;
    for (let j = 0; j < d; j++) b[j] += w * (features[row + j] - mean[j]) * yc;
  }
  meanY2 /= total;
  for (let j = 0; j < d; j++) b[j] /= total;
  // Constant features (zero variance: MNIST's 111 always-blank border pixels) have zero rows and columns in the
  // covariance and only add exact zero eigenvalues: leaving them out is exact and saves (d'/d)^3 of the eigensolver.
  const live: number[] = [];
  for (let j = 0; j < d; j++) if (covariance[j * d + j] > 0) live.push(j);
  const m = live.length;
  if (m === 0) throw new InvalidArgumentError('features', 'are constant over the samples (every feature has zero variance)');
  const reduced = new Float64Array(m * m);
  const bReduced = new Float64Array(m);
  for (let p = 0; p < m; p++) {
    bReduced[p] = b[live[p]];
    const row = live[p] * d;
    for (let q = 0; q < m; q++) reduced[p * m + q] = covariance[row + live[q]];
  }
  const t1 = performance.now();
  const eig = symmetricEigenOperator(reduced, m);
  if (!eig.converged) throw new Error(`internal: the QL iteration of the covariance eigenproblem (order ${m}) did not converge`);
  const betaAll = eig.project(bReduced); // beta_k = u_k . b, in the order of eig.values
  const t2 = performance.now();
  const values = eig.values; // ascending
  const top = Math.max(0, values[m - 1]);
  const rankTolerance = Math.max(n, d) * 2.220446049250313e-16 * top;
  const lambda: number[] = [];
  const c: number[] = [];
  const wstar: number[] = [];
  for (let r = m - 1; r >= 0; r--) {
    const l = values[r];
    if (!(l > rankTolerance)) break;
    const beta = betaAll[r];
    lambda.push(l);
    wstar.push(beta / l);
    c.push((beta * beta) / l);
  }
  // THEORY (E30) needs the covariance's spectrum; the data's precision resolves it only down to precisionFloor.
  const floor = precisionFloor(mean, covariance, d, top);
  const unresolved = lambda.filter((l) => floor > UNRESOLVED_SHARE * l).length;
  const warnings: string[] = [];
  if (unresolved > 0) {
    warnings.push(
      `the features' precision limits the spectrum: ${unresolved} of ${lambda.length} modes lie below 100 x the floor ${floor.toExponential(2)} ` +
        `that rounding of the stored values (largest |mean| ${maxAbs(mean).toExponential(2)}) leaves; their lambda_k and c_k are not resolved to 1% ` +
        '(subtract the offset before saving, or store the features with more precision)',
    );
  }
  let sumC = 0;
  for (const ck of c) sumC += ck;
  const sigma2Raw = meanY2 - sumC;
  // Rounding can make sigma^2 slightly negative when y is (nearly) linear in psi; more than that is a defect.
  if (sigma2Raw < -1e-8 * meanY2) {
    throw new Error(`internal: sigma^2 = mean(y^2) - sum c_k = ${sigma2Raw} is negative beyond rounding (mean(y^2) = ${meanY2})`);
  }
  return {
    lambda: Float64Array.from(lambda),
    c: Float64Array.from(c),
    wstar: Float64Array.from(wstar),
    sigma2: Math.max(0, sigma2Raw),
    sigma2Raw,
    meanY2,
    n,
    d,
    rank: lambda.length,
    rankTolerance,
    liveFeatures: m,
    precisionFloor: floor,
    unresolvedModes: unresolved,
    centring: { twoPass, offsetRatio },
    warnings,
    timing: { covarianceMs: t1 - t0, eigenMs: t2 - t1 },
  };
}

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
  readonly timing: { covarianceMs: number; eigenMs: number };
}

/**
 * Centred second moment (1/W) sum_i w_i (x_i - mean)(x_i - mean)^T and the
 * weighted mean, with integer weights w_i (all 1 by default; a bootstrap
 * passes multinomial counts). Sparse rows (pixels are about 80% zeros) are
 * accumulated from their non-zeros only; dense rows by the simulator's Gram
 * kernel.
 */
export function centredCovariance(
  x: Float64Array,
  n: number,
  d: number,
  weights?: ArrayLike<number>,
): { covariance: Float64Array; mean: Float64Array; total: number } {
  const mean = new Float64Array(d);
  let total = 0;
  let nonZeros = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i] : 1;
    if (w === 0) continue;
    total += w;
    const row = i * d;
    for (let j = 0; j < d; j++) {
      const v = x[row + j];
      if (v !== 0) {
        mean[j] += w * v;
        nonZeros++;
      }
    }
  }
  if (!(total > 0)) throw new InvalidArgumentError('weights', 'must not all be zero', total);
  for (let j = 0; j < d; j++) mean[j] /= total;
  let S: Float64Array;
  const density = nonZeros / Math.max(1, n * d);
  if (density < 0.35) {
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
    for (let i = 0; i < d; i++) {
      for (let j = i; j < d; j++) {
        const v = S[i * d + j] / total;
        S[i * d + j] = v;
        S[j * d + i] = v;
      }
    }
  } else if (weights) {
    const xw = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const s = Math.sqrt(weights[i]);
      for (let j = 0; j < d; j++) xw[i * d + j] = s * x[i * d + j];
    }
    S = gramColumns(xw, n, d, 1 / total);
  } else {
    S = gramColumns(x, n, d, 1 / total);
  }
  // Sigma = E[x x^T] - mean mean^T. Values are O(1) here (pixels in [0, 1], ReLU features O(1/sqrt(M))),
  // so the subtraction loses at most a few digits of the largest entries.
  for (let i = 0; i < d; i++) {
    const mi = mean[i];
    for (let j = 0; j < d; j++) S[i * d + j] -= mi * mean[j];
  }
  return { covariance: S, mean, total };
}

/** THEORY (E30): the population (Lambda, w*, c, sigma^2) of a data set, optionally with sample weights (bootstrap). */
export function computePopulation(input: PopulationInput, weights?: ArrayLike<number>): Population {
  const { n, d, features, targets } = input;
  if (features.length !== n * d) throw new InvalidArgumentError('features', `must have n * d = ${n * d} entries`, features.length);
  if (targets.length !== n) throw new InvalidArgumentError('targets', `must have n = ${n} entries`, targets.length);
  const t0 = performance.now();
  const { covariance, mean, total } = centredCovariance(features, n, d, weights);
  // Centred targets and b = (1/n) sum (x_i - mean) (y_i - ybar) = (1/n) sum x_i (y_i - ybar).
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
    for (let j = 0; j < d; j++) {
      const v = features[row + j];
      if (v !== 0) b[j] += w * v * yc;
    }
  }
  meanY2 /= total;
  for (let j = 0; j < d; j++) b[j] /= total;
  void mean;
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
    timing: { covarianceMs: t1 - t0, eigenMs: t2 - t1 },
  };
}

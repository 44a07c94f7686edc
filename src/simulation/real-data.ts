/**
 * The random-feature model trained on a real data set (THEORY E3-E6, E30):
 * the experiment the Gaussian-equivalent DMFT on the data set's population is
 * held against. Nothing here is Gaussian except the projection A.
 *
 * Per seed s, with the data set's centred features psi_i (D of them) and
 * centred targets y_i (i = 1..n, the population: uniform on the n pairs):
 *   - P training samples drawn WITHOUT replacement (partial Fisher-Yates on
 *     Xoshiro128 key (seed, s, STREAM_REAL_SAMPLES));
 *   - A, N x D with iid N(0, 1) entries (key (seed, s, STREAM_REAL_PROJECTION)),
 *     stored as A^T / sqrt(N) (D x N); student f(x) = w . A psi / sqrt(N);
 *   - exact gradient flow from w = 0 on (1/2P) |Phi w - y|^2, Phi = Psi_P A^T / sqrt(N),
 *     in eigen-form as in seed.ts: w(t) = U g_t(mu) U^T Phi^T y / P with
 *     g_t(x) = (1 - e^{-x t}) / x (feature form, N <= P; in the D live
 *     features' coordinates when there are fewer of them than N), or through
 *     the P x P kernel (sample form); t = infinity is the minimum-norm limit
 *     g(x) = 1/x on the range (numerically zero eigenvalues excluded);
 *   - the test loss over the WHOLE population (the n pairs, training samples
 *     included), exactly: with u = A^T w / sqrt(N),
 *       L = u^T Sigma u - 2 u^T b + mean(y^2),  Sigma = (1/n) sum psi psi^T, b = (1/n) sum psi y;
 *   - the train loss (1/P) sum over the training samples of (f - y)^2;
 *   - the held-out loss over the n - P samples not drawn, from the two above.
 * Seeds are independent streams, so seed s gives the same numbers whatever
 * the number of seeds.
 */
import { InvalidArgumentError } from '../core/errors.js';
import { cholesky, gramColumns, matmul, matmulTransA, transpose } from './linalg.js';
import { symmetricEigenOperator, type SpectralOperator } from './spectral.js';
import { Xoshiro128 } from './random.js';

export const STREAM_REAL_SAMPLES = 21;
export const STREAM_REAL_PROJECTION = 22;

/** The data of the experiment: centred features and targets of the population. */
export interface RealDataPopulation {
  readonly n: number;
  readonly D: number;
  /** Centred features, n x D row-major. */
  readonly psi: Float64Array;
  /** Centred targets, length n. */
  readonly y: Float64Array;
}

export interface RealDataProblem {
  readonly N: number;
  readonly P: number;
  /** Times t >= 0; Infinity gives the gradient-flow limit (minimum-norm interpolator). */
  readonly t: readonly number[];
  readonly seeds: number;
  readonly seed: number;
}

export interface RealDataEstimate {
  readonly mean: Float64Array;
  readonly stderr: Float64Array;
}

export interface RealDataResult {
  readonly N: number;
  readonly P: number;
  readonly t: Float64Array;
  readonly seeds: number;
  readonly seed: number;
  /** Test loss over the whole population, mean and standard error over seeds. */
  readonly test: RealDataEstimate;
  readonly train: RealDataEstimate;
  /**
   * Loss over the n - P samples not drawn for training (NaN when P = n): the
   * population loss counts the training samples too, which the model has
   * (nearly) fitted, so it reads low when P is a large share of n.
   */
  readonly heldOut: RealDataEstimate;
  /** Per-seed test losses [seed][time], for reproducibility checks and order statistics. */
  readonly perSeedTest: Float64Array[];
  readonly perSeedTrain: Float64Array[];
  readonly perSeedHeldOut: Float64Array[];
  readonly form: 'feature' | 'sample';
  readonly msPerSeed: number;
}

/** Population moments Sigma = psi^T psi / n and b = psi^T y / n, and mean(y^2): computed once per data set. */
export interface RealDataMoments {
  readonly sigma: Float64Array;
  readonly b: Float64Array;
  readonly meanY2: number;
}

export function realDataMoments(pop: RealDataPopulation): RealDataMoments {
  const { n, D, psi, y } = pop;
  const sigma = gramColumns(psi, n, D, 1 / n);
  const b = matmulTransA(psi, y, n, D, 1);
  let meanY2 = 0;
  for (let i = 0; i < n; i++) meanY2 += y[i] * y[i];
  for (let j = 0; j < D; j++) b[j] /= n;
  return { sigma, b, meanY2: meanY2 / n };
}

/** Largest N P D + min(N, P)^3 per seed the experiment agrees to (about 1e9 operations per second here: some 20 s a seed). */
export const REAL_DATA_MAX_WORK = 2e10;

function validate(pop: RealDataPopulation, problem: RealDataProblem): Float64Array {
  const { N, P, seeds, seed } = problem;
  if (!Number.isInteger(N) || N < 1) throw new InvalidArgumentError('N', 'must be an integer >= 1', N);
  if (!Number.isInteger(P) || P < 1) throw new InvalidArgumentError('P', 'must be an integer >= 1', P);
  if (P > pop.n) throw new InvalidArgumentError('P', `must be at most the number of samples n = ${pop.n} (drawn without replacement)`, P);
  if (!Number.isInteger(seeds) || seeds < 2) throw new InvalidArgumentError('seeds', 'must be an integer >= 2 (a standard error needs two seeds)', seeds);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new InvalidArgumentError('seed', 'must be an integer >= 0', seed);
  // Per seed: the product Psi_P A^T (N P D) and the eigendecomposition of the smaller kernel (about min(N, P)^3).
  const work = N * P * pop.D + Math.min(N, P) ** 3;
  if (work > REAL_DATA_MAX_WORK) {
    throw new InvalidArgumentError(
      'N',
      `with P = ${P} and D = ${pop.D} needs N P D + min(N, P)^3 = ${work.toExponential(2)} operations per seed (about ${(work / 1e9).toFixed(0)} s here), above the limit ${REAL_DATA_MAX_WORK.toExponential(0)}`,
      N,
    );
  }
  if (!Array.isArray(problem.t) || problem.t.length === 0) throw new InvalidArgumentError('t', 'must be a non-empty array', problem.t);
  return Float64Array.from(problem.t, (ti, i) => {
    if (typeof ti !== 'number' || Number.isNaN(ti) || ti < 0) throw new InvalidArgumentError(`t[${i}]`, 'must be a number >= 0 or Infinity', ti);
    return ti;
  });
}

/** g_t(x) = (1 - e^{-x t}) / x; t = Infinity gives 1/x on the range and 0 on the null space. */
function gFlow(x: number, t: number, zero: number): number {
  if (!(x > zero)) return t === Infinity ? 0 : t;
  return t === Infinity ? 1 / x : -Math.expm1(-x * t) / x;
}

/**
 * Eigenvalues of the kernel with U^T b and U X, never U itself (spectral.ts): gradient flow needs no more, and
 * forming every eigenvector cost about 20x as much at n = 1024 (bench/simulation.ts, eigen work).
 */
function kernelEigen(K: Float64Array, n: number): SpectralOperator {
  const eig = symmetricEigenOperator(K, n);
  if (!eig.converged) throw new Error(`internal: the QL iteration of the ${n} x ${n} kernel did not converge`);
  return eig;
}

/** The training indices of a seed: P distinct samples out of n (partial Fisher-Yates). */
export function drawTrainingSet(n: number, P: number, seed: number, seedIndex: number): Int32Array {
  const rng = new Xoshiro128([seed, seedIndex, STREAM_REAL_SAMPLES]);
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = 0; i < P; i++) {
    const j = i + Math.floor(rng.nextDouble() * (n - i));
    const tmp = perm[i];
    perm[i] = perm[j];
    perm[j] = tmp;
  }
  return perm.slice(0, P);
}

/**
 * The features that are not identically zero (after centring, MNIST's 111 always-blank pixels are exact zeros).
 * The others add exact zeros to every product (Psi_P A^T, A^T w, Sigma u, b . u), so the seed works on the live
 * ones only; the projection is still drawn D x N, so every seed's A is what it would be otherwise.
 */
export interface LiveFeatures {
  readonly columns: Int32Array;
  readonly psi: Float64Array;
  readonly sigma: Float64Array;
  readonly b: Float64Array;
}

/**
 * The live features found for each data set and its moments (an experiment runs one (N, P) pair per call on the same
 * data; the arrays are not modified after they are handed over, as everywhere here).
 */
const liveFeaturesSeen = new WeakMap<RealDataPopulation, { moments: RealDataMoments; features: LiveFeatures }>();

export function liveFeatures(pop: RealDataPopulation, moments: RealDataMoments): LiveFeatures {
  const seen = liveFeaturesSeen.get(pop);
  if (seen !== undefined && seen.moments === moments) return seen.features;
  const features = findLiveFeatures(pop, moments);
  liveFeaturesSeen.set(pop, { moments, features });
  return features;
}

function findLiveFeatures(pop: RealDataPopulation, moments: RealDataMoments): LiveFeatures {
  const { n, D, psi } = pop;
  const isLive = new Uint8Array(D);
  for (let i = 0; i < n; i++) for (let j = 0; j < D; j++) if (psi[i * D + j] !== 0) isLive[j] = 1;
  const columns = Int32Array.from({ length: D }, (_, j) => j).filter((j) => isLive[j] === 1);
  const m = columns.length;
  const live = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let q = 0; q < m; q++) live[i * m + q] = psi[i * D + columns[q]];
  const sigma = new Float64Array(m * m);
  for (let p = 0; p < m; p++) for (let q = 0; q < m; q++) sigma[p * m + q] = moments.sigma[columns[p] * D + columns[q]];
  return { columns, psi: live, sigma, b: Float64Array.from(columns, (j) => moments.b[j]) };
}

/** One seed: test and train loss at every time. */
export function realDataSeed(
  pop: RealDataPopulation,
  moments: RealDataMoments,
  problem: RealDataProblem,
  t: Float64Array,
  seedIndex: number,
  features: LiveFeatures = liveFeatures(pop, moments),
): { test: Float64Array; train: Float64Array; form: 'feature' | 'sample' } {
  const { n, y } = pop;
  const { psi, columns } = features;
  const D = columns.length;
  const { N, P, seed } = problem;
  const T = t.length;
  const rows = drawTrainingSet(n, P, seed, seedIndex);
  const X = new Float64Array(P * D);
  const yP = new Float64Array(P);
  for (let p = 0; p < P; p++) {
    X.set(psi.subarray(rows[p] * D, rows[p] * D + D), p * D);
    yP[p] = y[rows[p]];
  }
  const drawn = new Xoshiro128([seed, seedIndex, STREAM_REAL_PROJECTION]).fillNormal(new Float64Array(pop.D * N), 1 / Math.sqrt(N));
  const At = new Float64Array(D * N);
  for (let q = 0; q < D; q++) At.set(drawn.subarray(columns[q] * N, columns[q] * N + N), q * N);
  // Projected feature form when the D live features are fewer than N <= P: w(t) stays in the column space of
  // A^T (w(0) = 0 and every gradient Phi^T r lies there). With A / sqrt(N) = Q R (Q: N x D orthonormal columns),
  // At = R^T Q^T, so w = Q z gives Phi w = Psi_P L z with L = R^T, the Cholesky factor of At At^T = A^T A / N, and
  // u = At w = L z. The flow on z is the feature form with the D features Psi_P L (the same nonzero kernel
  // eigenvalues; |w| = |z|, so the same minimum-norm limit), and Q is never formed: D x D instead of N x N.
  const L = N <= P && D < N ? cholesky(gramColumns(transpose(At, D, N), N, D, 1), D) : null;
  const width = L === null ? N : D;
  const Phi = L === null ? matmul(X, At, P, D, N) : matmul(X, L, P, D, D); // THEORY (E3): Phi = Psi_P A^T / sqrt(N) (or Psi_P L)
  let W: Float64Array; // width x T: w(t) (or z(t))
  const train = new Float64Array(T);
  let form: 'feature' | 'sample';
  if (N <= P) {
    form = 'feature';
    const K = gramColumns(Phi, P, width, 1 / P);
    const bvec = matmulTransA(Phi, yP, P, width, 1);
    for (let i = 0; i < width; i++) bvec[i] /= P;
    const eig = kernelEigen(K, width);
    // The threshold of the N x N kernel (whose N - D other eigenvalues are zero), whichever form is solved.
    const zero = N * 2.220446049250313e-16 * Math.max(eig.values[width - 1], 0);
    const beta = eig.project(bvec);
    const G = new Float64Array(width * T);
    for (let i = 0; i < width; i++) for (let j = 0; j < T; j++) G[i * T + j] = gFlow(eig.values[i], t[j], zero) * beta[i];
    W = eig.apply(G, T);
  } else {
    form = 'sample';
    const Kp = gramColumns(transpose(Phi, P, N), N, P, 1 / P); // Phi Phi^T / P by the SIMD Gram kernel
    const eig = kernelEigen(Kp, P);
    const zero = P * 2.220446049250313e-16 * Math.max(eig.values[P - 1], 0);
    const gamma = eig.project(yP);
    const G = new Float64Array(P * T);
    for (let i = 0; i < P; i++) for (let j = 0; j < T; j++) G[i * T + j] = gFlow(eig.values[i], t[j], zero) * gamma[i];
    const Y = eig.apply(G, T);
    W = matmulTransA(Phi, Y, P, N, T);
    for (let i = 0; i < W.length; i++) W[i] /= P;
  }
  // Train loss: residuals Phi w(t) - y on the training samples.
  const F = matmul(Phi, W, P, width, T);
  for (let p = 0; p < P; p++) {
    for (let j = 0; j < T; j++) {
      const r = F[p * T + j] - yP[p];
      train[j] += (r * r) / P;
    }
  }
  // Test loss over the population: u = A^T w / sqrt(N) (D x T), L = u^T Sigma u - 2 u^T b + mean(y^2).
  const U = L === null ? matmul(At, W, D, N, T) : matmul(L, W, D, D, T);
  const SU = matmul(features.sigma, U, D, D, T);
  const test = new Float64Array(T).fill(moments.meanY2);
  for (let k = 0; k < D; k++) {
    const bk = features.b[k];
    for (let j = 0; j < T; j++) {
      const u = U[k * T + j];
      test[j] += u * SU[k * T + j] - 2 * u * bk;
    }
  }
  return { test, train, form };
}

/** The experiment over seeds: means and standard errors of the test and train losses. */
export function runRealDataExperiment(pop: RealDataPopulation, problem: RealDataProblem, moments?: RealDataMoments): RealDataResult {
  if (pop.psi.length !== pop.n * pop.D) throw new InvalidArgumentError('psi', `must have n * D = ${pop.n * pop.D} entries`, pop.psi.length);
  if (pop.y.length !== pop.n) throw new InvalidArgumentError('y', `must have n = ${pop.n} entries`, pop.y.length);
  const t = validate(pop, problem);
  const m = moments ?? realDataMoments(pop);
  const T = t.length;
  const S = problem.seeds;
  const perSeedTest: Float64Array[] = [];
  const perSeedTrain: Float64Array[] = [];
  const perSeedHeldOut: Float64Array[] = [];
  const { n } = pop;
  const { P } = problem;
  let form: 'feature' | 'sample' = 'feature';
  const features = liveFeatures(pop, m);
  const start = performance.now();
  for (let s = 0; s < S; s++) {
    const r = realDataSeed(pop, m, problem, t, s, features);
    perSeedTest.push(r.test);
    perSeedTrain.push(r.train);
    // The population loss is the mean over all n samples, the train loss over the P drawn ones: the rest is
    // their difference, n L_test = P L_train + (n - P) L_heldout.
    perSeedHeldOut.push(Float64Array.from(r.test, (test, j) => (P < n ? (n * test - P * r.train[j]) / (n - P) : Number.NaN)));
    form = r.form;
  }
  const msPerSeed = (performance.now() - start) / S;
  const estimate = (rows: Float64Array[]): RealDataEstimate => {
    const mean = new Float64Array(T);
    const stderr = new Float64Array(T);
    for (let j = 0; j < T; j++) {
      let sum = 0;
      for (const row of rows) sum += row[j];
      const mu = sum / S;
      let ss = 0;
      for (const row of rows) ss += (row[j] - mu) ** 2;
      mean[j] = mu;
      stderr[j] = Math.sqrt(ss / (S - 1) / S);
    }
    return { mean, stderr };
  };
  return {
    N: problem.N,
    P: problem.P,
    t,
    seeds: S,
    seed: problem.seed,
    test: estimate(perSeedTest),
    train: estimate(perSeedTrain),
    heldOut: estimate(perSeedHeldOut),
    perSeedTest,
    perSeedTrain,
    perSeedHeldOut,
    form,
    msPerSeed,
  };
}

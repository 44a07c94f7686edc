/**
 * One Monte Carlo seed of the finite random-feature model (THEORY E1-E6),
 * solved exactly in time (no Euler steps). A pure function of its plain-data
 * setup and the seed index, so it can run in any thread and in any order and
 * still give bit-identical numbers.
 *
 * Notation (THEORY E3-E5). A feature map B (n_f x M) with f(x) = w . B psi:
 *   - N finite, N <= M: B = A / sqrt(N), n_f = N;
 *   - N finite, N > M:  B = L^T with L L^T = F = A^T A / N (Cholesky), n_f = M.
 *     The flow never leaves the row space of A, which has dimension M, and the
 *     function class and the dynamics of v depend on A only through F, so
 *     this M x M form gives the same v(t) and losses as the N x M one;
 *   - N = Infinity: B = I (the kernel model f = w . psi, F = I), n_f = M.
 * We store Bt = B^T (M x n_f). Phi = Psi Bt (P x n_f) and the kernel
 * K = Phi^T Phi / P = B G B^T (G = Psi^T Psi / P, THEORY E4).
 *
 * Exact gradient flow (THEORY E5) from w(0) = 0 on (1/2P)|Phi w - y|^2:
 *   w(t) = K^+ (I - e^{-K t}) Phi^T y / P = U g_t(mu) U^T Phi^T y / P,
 *   g_t(x) = (1 - e^{-x t}) / x, g_t(0) = t,
 * with K = U diag(mu) U^T ("feature form", decomposing n_f x n_f), or by the
 * push-through identity Phi^T g(Phi Phi^T / P) = g(K) Phi^T,
 *   w(t) = Phi^T W g_t(nu) W^T y / P,  Kp = Phi Phi^T / P = W diag(nu) W^T
 * ("sample form", decomposing P x P). We decompose the smaller of n_f and P.
 * Residual v(t) = w* - Bt w(t); test loss L = v^T Lambda v + sigma^2 (E6).
 * Train residual: Phi w(t) - y = -e^{-Kp t} y, so
 *   train(t) = (1/P) sum_j (W_j . y)^2 e^{-2 nu_j t}  (sample form, all j
 * including zero eigenvalues), or in the feature form, with u_i = Phi U_i /
 * sqrt(P mu_i) and (u_i . y)^2 = P beta_i^2 / mu_i, beta = U^T Phi^T y / P:
 *   train(t) = |y_perp|^2 / P + sum_{mu_i > 0} (beta_i^2 / mu_i) e^{-2 mu_i t},
 *   |y_perp|^2 = |y|^2 - sum_{mu_i > 0} P beta_i^2 / mu_i (clamped at 0).
 * P = Infinity: population flow dv/dt = -F Lambda v (G = Lambda), i.e. the
 * feature form with K = B Lambda B^T and Phi^T y / P replaced by B Lambda w*;
 * the train loss is then the test loss. N = P = Infinity: v_k = w*_k e^{-lambda_k t}.
 *
 * Other dynamics (src/dynamics): ridge, discrete GD and heavy-ball momentum
 * replace g_t by their exact per-eigenvalue factors g(mu, t) and the train
 * residual factor e^{-mu t} by h(mu, t) = 1 - mu g (propagators.ts; THEORY
 * E25-E27), on the same decompositions; one-pass SGD at P = Infinity goes to
 * sgd.ts (THEORY E28). Diverging dynamics are flagged ('unstable').
 *
 * Sigma sweep: y = Psi w* + sigma eps is linear in sigma, so w(t) and v(t) are
 * computed once for the signal part and once for the noise part, and every
 * sigma reuses the same draws and the same decomposition:
 * v = w* - V0 - sigma Veps.
 */
import { cholesky, denseSpectralOperator, gramColumns, gramRows, matmul, matmulTransA, symmetricEigen, type ProductKernels } from './linalg.js';
import { Xoshiro128 } from './random.js';
import { symmetricEigenOperator, type SpectralOperator } from './spectral.js';
import { divergenceLimit, isDiscrete, isStochastic, peakRate, scheduledRates, type Dynamics } from '../dynamics/index.js';
import { propagatorFactors, type LinearDynamics } from './propagators.js';
import { sgdProjection, type Instability, type SgdMethod, type SgdSettings } from './sgd.js';
import { reuseProjection } from './sgd-reuse.js';
import type { ReuseSampling } from '../dynamics/index.js';

/** Stream identifiers inside a seed: key = (seed, seedIndex, stream, index). */
export const STREAM_DATA = 1;
export const STREAM_NOISE = 2;
export const STREAM_PROJECTION = 3;

/** Plain-data setup shared by all seeds (structured-clone friendly for workers). */
export interface SeedSetup {
  lambda: Float64Array;
  c: Float64Array;
  /** Teacher weights w*_k = +sqrt(c_k / lambda_k) (fixed positive sign). */
  wstar: Float64Array;
  M: number;
  N: number;
  P: number;
  sigmas: Float64Array;
  t: Float64Array;
  /** Independent projections A per seed (same data and noise). */
  ensemble: number;
  seed: number;
  /**
   * Eigensolver: 'implicit' (default; spectral.ts, eigenvectors never formed)
   * or 'dense' (linalg.ts symmetricEigen, the full eigenvector matrix). Both
   * give the same numbers to round-off; 'dense' is kept as the reference the
   * tests and the benchmark compare against.
   */
  eigensolver?: 'implicit' | 'dense';
  /**
   * Kernels of the products and of U X (linalg.ts ProductKernels): 'wasm'
   * (default; the SIMD kernels of wasm.ts where WebAssembly loads) or 'js'.
   * Same bits either way; 'js' is for the tests and the benchmark.
   */
  kernels?: ProductKernels;
  /** QL iterations allowed per eigenvalue in the implicit solver (default spectral.ts's; tests lower it to exercise the status). */
  qlMaxIterations?: number;
  /** Training dynamics (src/dynamics); t counts steps for the discrete optimizers. */
  dynamics: Dynamics;
  /** One-pass SGD only: the exact expected-loss recursion, its trace-term-only version, or sampled runs (sgd.ts). */
  sgdMethod: SgdMethod;
  /** SGD at finite P only: how the batch indices are drawn from the training rows (sgd-reuse.ts; default 'replacement'). */
  sgdSampling?: ReuseSampling;
}

/** Which matrix the simulator decomposed: feature, sample, or none. */
export type DecomposedForm = 'feature' | 'sample' | 'none';

/** Per-seed statistics; arrays are indexed [sigmaIndex * T + timeIndex]. */
export interface SeedOutput {
  index: number;
  /** Mean over the ensemble of the test loss v^T Lambda v + sigma^2. */
  test: Float64Array;
  /** Mean over the ensemble of the train loss. */
  train: Float64Array;
  /** Unbiased U-statistic of L_A at this seed's data (NaN if fewer than 2 distinct A). */
  testA: Float64Array;
  /** Ensemble-mean residual per sigma, [sigmaIndex][k * T + timeIndex] flattened (M x T per sigma). */
  vbar: Float64Array;
  /** Number of distinct projections actually solved (1 when N is infinite). */
  projections: number;
  form: DecomposedForm;
  size: number;
  ms: number;
  /** Set when the dynamics diverge at some projection of this seed (the numbers are then meaningless). */
  instability?: Instability;
  /** Decompositions of this seed whose QL iteration hit its cap (their eigenvalues are not converged). */
  eigenFailures?: number;
}


export interface Data {
  /** Psi = Z Lambda^{1/2}, P x M. */
  Psi: Float64Array;
  /** Signal labels Psi w*. */
  y0: Float64Array;
  /** Noise draws eps (labels y = y0 + sigma eps). */
  eps: Float64Array;
}

/** Result of one projection: V = [V0 | Veps] (M x 2T, or M x T when P is infinite) and train per sigma. */
interface ProjectionSolution {
  V: Float64Array;
  width: number;
  train: Float64Array;
  form: DecomposedForm;
  size: number;
  /** False when the eigensolver's QL iteration hit its cap. */
  eigenConverged?: boolean;
  /** E[v^T Lambda v] per sigma and time, when the solution gives it directly (SGD recursions) instead of v itself. */
  quad?: Float64Array;
  instability?: Instability;
}

export function runSeed(setup: SeedSetup, index: number): SeedOutput {
  const start = performance.now();
  const { lambda, wstar, M, N, P, sigmas, t } = setup;
  const T = t.length;
  const S = sigmas.length;
  const test = new Float64Array(S * T);
  const train = new Float64Array(S * T);
  const testA = new Float64Array(S * T);
  const vbar = new Float64Array(S * M * T);

  const dynamics = setup.dynamics;
  const sgd = isStochastic(dynamics);
  if (N === Infinity && P === Infinity && !sgd) {
    // THEORY (E14): both infinite, K = Lambda, v_k(t) = w*_k h(lambda_k, t) (e^{-lambda_k t} for
    // gradient flow; propagators.ts), deterministic.
    const h = propagatorFactors(dynamics, lambda, t).h;
    for (let k = 0; k < M; k++) {
      for (let j = 0; j < T; j++) {
        const v = wstar[k] * h[k * T + j];
        for (let s = 0; s < S; s++) vbar[s * M * T + k * T + j] = v;
      }
    }
    finishDeterministic(setup, vbar, test, train, testA);
    let top = 0;
    for (let k = 0; k < M; k++) top = Math.max(top, lambda[k]);
    const instability = checkStability(dynamics, top);
    return { index, test, train, testA, vbar, projections: 1, form: 'none', size: 0, ms: performance.now() - start, ...(instability ? { instability } : {}) };
  }

  const data = P === Infinity ? null : drawData(setup, index);
  const projections = N === Infinity ? 1 : setup.ensemble;
  const sumQuad = new Float64Array(S * T); // sum_r v_r^T Lambda v_r
  let form: DecomposedForm = 'none';
  let size = 0;
  let instability: Instability | undefined;
  let eigenFailures = 0;
  for (let r = 0; r < projections; r++) {
    const Bt = featureMap(setup, index, r);
    const sol = sgd ? (data === null ? sgdSolution(setup, Bt, index, r) : reuseSolution(setup, data, Bt, index, r)) : solveProjection(setup, data, Bt);
    form = sol.form;
    size = sol.size;
    if (sol.instability !== undefined && (instability === undefined || sol.instability.value > instability.value)) instability = sol.instability;
    if (sol.eigenConverged === false) eigenFailures++;
    const { V, width, quad } = sol;
    for (let s = 0; s < S; s++) {
      const sigma = sigmas[s];
      const vb = s * M * T;
      const row = s * T;
      for (let k = 0; k < M; k++) {
        const lk = lambda[k];
        const wk = wstar[k];
        const vk = k * width;
        const out = vb + k * T;
        for (let j = 0; j < T; j++) {
          // v = w* - V0 - sigma Veps (linear in sigma, module comment).
          const v = width === T ? wk - V[vk + j] : wk - V[vk + j] - sigma * V[vk + T + j];
          vbar[out + j] += v;
          if (quad === undefined) sumQuad[row + j] += lk * v * v;
        }
      }
      if (quad !== undefined) for (let j = 0; j < T; j++) sumQuad[row + j] += quad[row + j];
      for (let j = 0; j < T; j++) train[row + j] += sol.train[row + j] / projections;
    }
  }

  for (let s = 0; s < S; s++) {
    const sigma2 = sigmas[s] * sigmas[s];
    const vb = s * M * T;
    const row = s * T;
    // |sum_r v_r|_Lambda^2 per time, for the U-statistic over pairs r != r'.
    const sumSq = new Float64Array(T);
    for (let k = 0; k < M; k++) {
      const lk = lambda[k];
      const out = vb + k * T;
      for (let j = 0; j < T; j++) sumSq[j] += lk * vbar[out + j] * vbar[out + j];
    }
    for (let j = 0; j < T; j++) {
      test[row + j] = sumQuad[row + j] / projections + sigma2;
      if (sgd && P === Infinity) {
        testA[row + j] = NaN; // fresh samples every step: no fixed data set to condition on
      } else if (N === Infinity) {
        testA[row + j] = test[row + j]; // F = I: no randomness in A, L_A = L exactly
      } else if (projections >= 2) {
        // THEORY (E16a): L_A = sigma^2 + E[v_A^T Lambda v_A'] (same data and noise),
        // unbiased from the pairs r != r': (|sum v|^2 - sum |v|^2) / (R (R - 1)).
        testA[row + j] = (sumSq[j] - sumQuad[row + j]) / (projections * (projections - 1)) + sigma2;
      } else {
        testA[row + j] = NaN;
      }
      if (P === Infinity) train[row + j] = test[row + j]; // population loss: train = test
    }
    for (let i = vb; i < vb + M * T; i++) vbar[i] /= projections;
  }
  return {
    index,
    test,
    train,
    testA,
    vbar,
    projections,
    form,
    size,
    ms: performance.now() - start,
    ...(instability ? { instability } : {}),
    ...(eigenFailures > 0 ? { eigenFailures } : {}),
  };
}

/** 'unstable' information when the top of the spectrum (plus ridge) reaches the divergence bound (propagators.ts). */
function checkStability(dynamics: Dynamics, top: number): Instability | undefined {
  if (isStochastic(dynamics) || !isDiscrete(dynamics)) return undefined;
  const bound = divergenceLimit(dynamics); // the finite model's bound (src/dynamics: E26, E27, E28c)
  const value = top + dynamics.ridge;
  return value >= bound ? { quantity: 'mu_max + ridge (top of the spectrum of the gradient operator)', value, bound } : undefined;
}

/** One-pass SGD at one projection (sgd.ts), in the shape the seed loop accumulates. */
function sgdSolution(setup: SeedSetup, Bt: Float64Array | null, index: number, r: number): ProjectionSolution {
  const dynamics = setup.dynamics;
  if (!isStochastic(dynamics)) throw new Error('internal: sgdSolution without SGD dynamics');
  const sol = sgdProjection(setup, sgdSettings(dynamics, setup.sgdMethod, setup.t), Bt, index, r);
  const train = new Float64Array(setup.sigmas.length * setup.t.length); // P = Infinity: replaced by test
  return {
    V: sol.V,
    width: sol.width,
    train,
    form: Bt === null ? 'none' : 'feature',
    size: sol.size,
    ...(sol.quad ? { quad: sol.quad } : {}),
    ...(sol.eigenConverged === false ? { eigenConverged: false } : {}),
    ...(sol.instability ? { instability: sol.instability } : {}),
  };
}

/** The simulator's SGD settings: the peak rate, and under a schedule its per-step rates (THEORY E28c). */
function sgdSettings(dynamics: Dynamics & { kind: 'sgd' }, method: SgdMethod, t: Float64Array): SgdSettings {
  const base = { lr: peakRate(dynamics), batch: dynamics.batch, method };
  if (dynamics.schedule === undefined) return base;
  let tMax = 0;
  for (let j = 0; j < t.length; j++) tMax = Math.max(tMax, t[j]);
  const gd = { kind: 'gd' as const, lr: dynamics.lr, ridge: 0, schedule: dynamics.schedule };
  return { ...base, schedule: { rates: scheduledRates(gd, tMax), dynamics: gd } };
}

/** SGD on the seed's P training samples (sgd-reuse.ts, THEORY E28b), in the shape the seed loop accumulates. */
function reuseSolution(setup: SeedSetup, data: Data, Bt: Float64Array | null, index: number, r: number): ProjectionSolution {
  const dynamics = setup.dynamics;
  if (!isStochastic(dynamics)) throw new Error('internal: reuseSolution without SGD dynamics');
  const settings = { lr: dynamics.lr, batch: dynamics.batch, sampling: setup.sgdSampling ?? 'replacement' };
  const sol = reuseProjection({ ...data, M: setup.M, P: setup.P, sigmas: setup.sigmas, t: setup.t, seed: setup.seed }, settings, Bt, index, r);
  return { V: sol.V, width: sol.width, train: sol.train, form: 'none', size: sol.size, ...(sol.instability ? { instability: sol.instability } : {}) };
}

/** N = P = Infinity: fill test = train = testA from the deterministic residual. */
function finishDeterministic(setup: SeedSetup, vbar: Float64Array, test: Float64Array, train: Float64Array, testA: Float64Array): void {
  const { lambda, M, sigmas, t } = setup;
  const T = t.length;
  for (let s = 0; s < sigmas.length; s++) {
    const sigma2 = sigmas[s] * sigmas[s];
    for (let j = 0; j < T; j++) {
      let q = 0;
      for (let k = 0; k < M; k++) {
        const v = vbar[s * M * T + k * T + j];
        q += lambda[k] * v * v;
      }
      test[s * T + j] = q + sigma2;
      train[s * T + j] = q + sigma2;
      testA[s * T + j] = q + sigma2;
    }
  }
}

/** THEORY (E1, E2, E4): Psi = Z Lambda^{1/2} (Z iid N(0,1), P x M, row-major draw order), labels y0 = Psi w*, noise eps. */
export function drawData(setup: SeedSetup, index: number): Data {
  const { lambda, wstar, M, P, seed } = setup;
  const Psi = new Xoshiro128([seed, index, STREAM_DATA, 0]).fillNormal(new Float64Array(P * M)); // Z, row-major
  const y0 = new Float64Array(P);
  const sqrtLambda = new Float64Array(M);
  for (let k = 0; k < M; k++) sqrtLambda[k] = Math.sqrt(lambda[k]);
  for (let p = 0; p < P; p++) {
    let y = 0;
    const row = p * M;
    for (let k = 0; k < M; k++) {
      const x = Psi[row + k] * sqrtLambda[k];
      Psi[row + k] = x;
      y += x * wstar[k];
    }
    y0[p] = y;
  }
  const eps = new Xoshiro128([seed, index, STREAM_NOISE, 0]).fillNormal(new Float64Array(P));
  return { Psi, y0, eps };
}

/**
 * Bt = B^T (M x n_f) for projection r of this seed (module comment), or null
 * for N = Infinity (B = I). A is drawn as A^T, M x N row-major, which has the
 * same distribution (iid entries) and is the layout the products need.
 */
export function featureMap(setup: SeedSetup, index: number, r: number): Float64Array | null {
  const { M, N, seed } = setup;
  if (N === Infinity) return null;
  const rng = new Xoshiro128([seed, index, STREAM_PROJECTION, r]);
  const At = rng.fillNormal(new Float64Array(M * N), 1 / Math.sqrt(N)); // A^T / sqrt(N)
  if (N <= M) return At;
  // N > M: F = A^T A / N (M x M), B = L^T with F = L L^T, so Bt = L.
  const F = gramRows(At, M, N, 1);
  const L = cholesky(F, M);
  if (L === null) throw new Error('internal: A^T A / N is not positive definite although N > M');
  return L;
}

function solveProjection(setup: SeedSetup, data: Data | null, Bt: Float64Array | null): ProjectionSolution {
  const { lambda, wstar, M, N, P, sigmas, t } = setup;
  const T = t.length;
  const S = sigmas.length;
  const nf = N === Infinity || N > M ? M : N;
  const train = new Float64Array(S * T);
  if (isStochastic(setup.dynamics)) throw new Error('internal: SGD goes through sgdSolution');
  const linear: LinearDynamics = setup.dynamics;
  const kernels = setup.kernels ?? 'wasm';
  let instability: Instability | undefined;
  let eigenConverged = true;

  if (data === null) {
    // P = Infinity: K = B Lambda B^T, b = B Lambda w* (population flow, THEORY E5 with G = Lambda).
    const Bt1 = Bt as Float64Array; // N finite here (both infinite handled by the caller)
    const X = new Float64Array(M * nf);
    const lw = new Float64Array(M);
    for (let k = 0; k < M; k++) {
      const sl = Math.sqrt(lambda[k]);
      lw[k] = lambda[k] * wstar[k];
      for (let i = 0; i < nf; i++) X[k * nf + i] = sl * Bt1[k * nf + i];
    }
    const K = gramColumns(X, M, nf, 1, kernels);
    const b = matmulTransA(Bt1, lw, M, nf, 1);
    const eig = decompose(setup, K, nf);
    const { g } = propagatorFactors(linear, eig.values, t);
    const W = flowFromEigen(eig, [eig.project(b)], g, T);
    const instability = checkStability(linear, eig.values[nf - 1]);
    return { V: matmul(Bt1, W, M, nf, T, kernels), width: T, train, form: 'feature', size: nf, eigenConverged: eig.converged, ...(instability ? { instability } : {}) };
  }

  const { Psi, y0, eps } = data;
  const Phi = Bt === null ? Psi : matmul(Psi, Bt, P, M, nf, kernels); // THEORY (E3): Phi = Psi A^T / sqrt(N)
  const T2 = 2 * T;
  let Wflow: Float64Array; // n_f x 2T: w(t) for the signal labels, then for the noise labels
  let form: DecomposedForm;
  let size: number;
  if (nf <= P) {
    form = 'feature';
    size = nf;
    const K = gramColumns(Phi, P, nf, 1 / P, kernels);
    const b0 = matmulTransA(Phi, y0, P, nf, 1);
    const be = matmulTransA(Phi, eps, P, nf, 1);
    for (let i = 0; i < nf; i++) {
      b0[i] /= P;
      be[i] /= P;
    }
    const eig = decompose(setup, K, nf);
    eigenConverged = eig.converged;
    const beta0 = eig.project(b0);
    const betae = eig.project(be);
    const mu = eig.values;
    const { g, h } = propagatorFactors(linear, mu, t);
    instability = checkStability(linear, mu[nf - 1]);
    Wflow = flowFromEigen(eig, [beta0, betae], g, T);
    // Train loss in the feature form (module comment), h = 1 - mu g the residual factor.
    const tol = nf * 2.220446049250313e-16 * Math.max(mu[nf - 1], 0); // numerically-zero eigenvalues (rank-deficient K)
    for (let s = 0; s < S; s++) {
      const sigma = sigmas[s];
      let y2 = 0;
      for (let p = 0; p < P; p++) {
        const y = y0[p] + sigma * eps[p];
        y2 += y * y;
      }
      let proj = 0;
      for (let i = 0; i < nf; i++) {
        if (mu[i] > tol) {
          const beta = beta0[i] + sigma * betae[i];
          proj += (P * beta * beta) / mu[i];
        }
      }
      const perp = Math.max(0, y2 - proj) / P;
      for (let j = 0; j < T; j++) {
        let e = perp;
        for (let i = 0; i < nf; i++) {
          if (mu[i] > tol) {
            const beta = beta0[i] + sigma * betae[i];
            const hij = h[i * T + j];
            e += ((beta * beta) / mu[i]) * hij * hij;
          }
        }
        train[s * T + j] = e;
      }
    }
  } else {
    form = 'sample';
    size = P;
    const Kp = gramRows(Phi, P, nf, 1 / P);
    const eig = decompose(setup, Kp, P);
    eigenConverged = eig.converged;
    const nu = eig.values;
    const gamma0 = eig.project(y0);
    const gammae = eig.project(eps);
    const { g, h } = propagatorFactors(linear, nu, t);
    instability = checkStability(linear, nu[P - 1]);
    // X = g(nu, t) (W^T y) for both label parts, then Y = W X, w = Phi^T Y / P.
    const Y = flowFromEigen(eig, [gamma0, gammae], g, T);
    Wflow = matmulTransA(Phi, Y, P, nf, T2);
    for (let i = 0; i < Wflow.length; i++) Wflow[i] /= P;
    // Train residual -h(Kp, t) y (e^{-Kp t} y for gradient flow): all P eigenvalues, zeros included.
    for (let s = 0; s < S; s++) {
      const sigma = sigmas[s];
      for (let j = 0; j < T; j++) {
        let e = 0;
        for (let i = 0; i < P; i++) {
          const gm = gamma0[i] + sigma * gammae[i];
          const hij = h[i * T + j];
          e += gm * gm * hij * hij;
        }
        train[s * T + j] = e / P;
      }
    }
  }
  const V = Bt === null ? Wflow : matmul(Bt, Wflow, M, nf, T2, kernels);
  return { V, width: T2, train, form, size, eigenConverged, ...(instability ? { instability } : {}) };
}

/** The eigendecomposition of the symmetric K (n x n) by the solver the setup names. */
function decompose(setup: SeedSetup, K: Float64Array, n: number): SpectralOperator {
  return setup.eigensolver === 'dense' ? denseSpectralOperator(symmetricEigen(K, n)) : symmetricEigenOperator(K, n, setup.qlMaxIterations, setup.kernels);
}

/**
 * w(t) = U diag(g(mu, t)) U^T b for each right-hand side, given its
 * coordinates beta = U^T b and the propagator factors g (n x T,
 * propagators.ts), as an n x (T * rhs) matrix (columns: times of the first b,
 * then of the second ...). For gradient flow (THEORY E5) this is
 * w(t) = K^+ (I - e^{-K t}) b.
 */
function flowFromEigen(eig: SpectralOperator, betas: Float64Array[], g: Float64Array, T: number): Float64Array {
  const n = eig.n;
  const width = T * betas.length;
  const X = new Float64Array(n * width);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < T; j++) {
      const gij = g[i * T + j];
      for (let q = 0; q < betas.length; q++) X[i * width + q * T + j] = gij * betas[q][i];
    }
  }
  return eig.apply(X, width);
}

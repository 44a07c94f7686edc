/**
 * One-pass minibatch SGD at P = infinity on the finite random-feature model
 * (THEORY E28), at one projection A: the sampled run and the exact expected
 * loss.
 *
 * Model: each step draws B fresh samples psi ~ N(0, Lambda) and labels
 * y = w* . psi + sigma eps, features phi = B psi (n_f), and updates
 * w <- w - eta Phi^T (Phi w - y) / B. The residual v = w* - B^T w has
 * prediction error y - phi . w = psi . v + sigma eps.
 *
 * Exact expected loss at fixed A (derivation; THEORY E28 states the
 * recursion). C_t = E[v_t v_t^T] obeys
 *   C' = (1 - eta F Lambda) C (1 - eta Lambda F)
 *        + (eta^2/B) F [Lambda C Lambda + (tr(Lambda C) + sigma^2) Lambda] F
 * (Gaussian fourth moment E[psi psi^T C psi psi^T] = 2 Lambda C Lambda +
 * tr(Lambda C) Lambda). In whitened form D = Lambda^{1/2} C Lambda^{1/2},
 * T = Lambda^{1/2} F Lambda^{1/2}:
 *   D' = (1 - eta T) D (1 - eta T) + (eta^2/B) [T D T + (tr D + sigma^2) T^2],
 * and the loss is tr D + sigma^2. In the eigenbasis of T (tau_i) entry (i, j)
 * of D is multiplied by (1 - eta tau_i)(1 - eta tau_j) + (eta^2/B) tau_i tau_j
 * and only the diagonal receives the source (eta^2/B) tau_i^2 (tr D + sigma^2),
 * which depends on the diagonal alone. So the FULL recursion (with the
 * non-extensive T D T term, not only the trace term) closes on the diagonal:
 *   d_i' = a_i d_i + s_i (sum_j d_j + d_null + sigma^2),
 *   full:        a_i = (1 - eta tau_i)^2 + (eta^2/B) tau_i^2,
 *   trace only:  a_i = (1 - eta tau_i)^2,             s_i = (eta^2/B) tau_i^2,
 * O(n_f) per step. The nonzero tau_i are the eigenvalues of
 * K = B Lambda B^T (n_f x n_f; the same nonzero spectrum as A Lambda A^T / N
 * and as T), with eigenvectors V_i = Lambda^{1/2} B^T U_i / sqrt(tau_i), so
 * d_i(0) = (V_i . Lambda^{1/2} w*)^2 = beta_i^2 / tau_i, beta = U^T B Lambda w*.
 * The null space of T keeps d_null = sum_k c_k - sum_i d_i(0) for ever.
 * The trace-only recursion is what the Volterra equation of THEORY (E28)
 * approximates deterministically.
 *
 * Stability of the expected loss: the map d -> diag(a) d + s (1^T d) has
 * spectral radius < 1 iff every a_i < 1 and sum_i s_i / (1 - a_i) < 1 (the
 * secular equation of a positive diagonal plus rank-one matrix); otherwise
 * the loss grows geometrically and the run is reported 'unstable'.
 *
 * The mean residual E[v_t | A] follows the mean update, GD on the population
 * loss: v = w* - B^T U diag(g_GD(tau, t)) U^T B Lambda w* (propagators.ts),
 * which is what the cross-seed bias estimator receives for the recursions.
 */
import { symmetricEigenOperator } from './spectral.js';
import { propagatorFactors } from './propagators.js';
import { sgdMean } from '../dynamics/index.js';
import { gramColumns, matmul, matmulTransA } from './linalg.js';
import { Xoshiro128 } from './random.js';

/** Stream identifier of the SGD samples (seed.ts keeps 1-3). */
export const STREAM_SGD = 4;

/** One-pass SGD in the simulator: exact expected loss, trace-term-only recursion, or sampled runs. */
export type SgdMethod = 'exact' | 'trace-only' | 'sampled';

export interface SgdSettings {
  readonly lr: number;
  readonly batch: number;
  readonly method: SgdMethod;
}

export interface SgdInput {
  readonly lambda: Float64Array;
  readonly c: Float64Array;
  readonly wstar: Float64Array;
  readonly M: number;
  readonly N: number;
  readonly sigmas: Float64Array;
  readonly t: Float64Array;
  readonly seed: number;
  /** QL iteration cap of the eigensolver (spectral.ts default when absent). */
  readonly qlMaxIterations?: number;
}

export interface Instability {
  /** What exceeded its bound (for the message). */
  readonly quantity: string;
  readonly value: number;
  readonly bound: number;
}

export interface SgdProjection {
  /**
   * Residual parts, M x width: v = w* - V[:, j] - sigma V[:, T + j] (sampled,
   * width 2T) or the mean residual v = w* - V[:, j] (recursions, width T).
   */
  readonly V: Float64Array;
  readonly width: number;
  /** Recursions: E[v^T Lambda v | A] per sigma and time ([s * T + j], sigma^2 not included). */
  readonly quad?: Float64Array;
  readonly size: number;
  readonly instability?: Instability;
  /** False when the eigensolver's QL iteration hit its cap. */
  readonly eigenConverged?: boolean;
}

/** Nonzero-spectrum cut for K (rank-deficient K when N > M is impossible here, but rounding leaves tiny values). */
function zeroCut(mu: Float64Array): number {
  let max = 0;
  for (let i = 0; i < mu.length; i++) max = Math.max(max, mu[i]);
  return mu.length * 2.220446049250313e-16 * max;
}

/**
 * One projection (Bt = B^T, M x n_f, or null for N = infinity where B = I).
 * `index` and `r` key the sample stream of the sampled run.
 */
export function sgdProjection(input: SgdInput, settings: SgdSettings, Bt: Float64Array | null, index: number, r: number): SgdProjection {
  const { lambda, c, wstar, M, sigmas, t } = input;
  const T = t.length;
  const S = sigmas.length;
  const nf = Bt === null ? M : Bt.length / M;
  const { lr: eta, batch } = settings;

  // Spectrum tau of T and the initial diagonal d(0) (module comment).
  let tau: Float64Array;
  let beta: Float64Array | null = null;
  let op: ReturnType<typeof symmetricEigenOperator> | null = null;
  if (Bt === null) {
    tau = lambda;
  } else {
    const X = new Float64Array(M * nf);
    const lw = new Float64Array(M);
    for (let k = 0; k < M; k++) {
      const sl = Math.sqrt(lambda[k]);
      lw[k] = lambda[k] * wstar[k];
      for (let i = 0; i < nf; i++) X[k * nf + i] = sl * Bt[k * nf + i];
    }
    op = symmetricEigenOperator(gramColumns(X, M, nf, 1), nf, input.qlMaxIterations);
    tau = op.values;
    beta = op.project(matmulTransA(Bt, lw, M, nf, 1));
  }
  const cut = Bt === null ? 0 : zeroCut(tau);
  const full = settings.method !== 'trace-only';
  const a = new Float64Array(tau.length);
  const src = new Float64Array(tau.length);
  let kernelNorm = 0;
  let etaTauMax = 0;
  let divergentMode = false;
  for (let i = 0; i < tau.length; i++) {
    const x = tau[i] > cut ? tau[i] : 0;
    const q = 1 - eta * x;
    src[i] = ((eta * eta) / batch) * x * x;
    a[i] = q * q + (full ? src[i] : 0);
    etaTauMax = Math.max(etaTauMax, eta * x);
    if (x > 0) {
      if (a[i] >= 1) divergentMode = true;
      else kernelNorm += src[i] / (1 - a[i]);
    }
  }
  let instability: Instability | undefined;
  if (divergentMode) {
    const bound = full ? 2 / (1 + 1 / batch) : 2;
    instability = { quantity: 'eta * tau_max (top eigenvalue of A Lambda A^T / N)', value: etaTauMax, bound };
  } else if (kernelNorm >= 1) {
    instability = { quantity: '(eta^2/B) sum_i tau_i^2 / (1 - a_i) (SGD noise kernel norm)', value: kernelNorm, bound: 1 };
  }

  if (settings.method === 'sampled') {
    const W = sampledRun(input, settings, Bt, nf, index, r);
    return {
      V: Bt === null ? W : matmul(Bt, W, M, nf, 2 * T),
      width: 2 * T,
      size: nf,
      ...(op !== null && !op.converged ? { eigenConverged: false } : {}),
      ...(instability ? { instability } : {}),
    };
  }

  // Expected loss by the diagonal recursion, signal (d(0), no noise) and unit noise (d = 0, sigma^2 = 1) separately:
  // the map is affine in (d, sigma^2), so quad(sigma) = quadSignal + sigma^2 quadNoise.
  const d0 = new Float64Array(tau.length);
  let dNull = 0;
  if (Bt === null) {
    for (let k = 0; k < M; k++) d0[k] = c[k];
  } else {
    let total = 0;
    for (let k = 0; k < M; k++) total += c[k];
    let learnable = 0;
    const b = beta as Float64Array;
    for (let i = 0; i < nf; i++) {
      if (tau[i] > cut) {
        d0[i] = (b[i] * b[i]) / tau[i];
        learnable += d0[i];
      }
    }
    dNull = Math.max(0, total - learnable);
  }
  const { signal: quadSignal, noise: quadNoise } = diagonalRecursion(a, src, d0, dNull, t);
  const quad = new Float64Array(S * T);
  for (let s = 0; s < S; s++) {
    const s2 = sigmas[s] * sigmas[s];
    for (let j = 0; j < T; j++) quad[s * T + j] = quadSignal[j] + s2 * quadNoise[j];
  }

  // Mean residual: GD on the population loss (module comment).
  const gd = propagatorFactors(sgdMean({ lr: eta, batch: settings.batch }), tau, t).g;
  let V: Float64Array;
  if (Bt === null) {
    V = new Float64Array(M * T);
    for (let k = 0; k < M; k++) for (let j = 0; j < T; j++) V[k * T + j] = lambda[k] * gd[k * T + j] * wstar[k];
  } else {
    const b = beta as Float64Array;
    const X = new Float64Array(nf * T);
    for (let i = 0; i < nf; i++) for (let j = 0; j < T; j++) X[i * T + j] = gd[i * T + j] * b[i];
    V = matmul(Bt, (op as NonNullable<typeof op>).apply(X, T), M, nf, T);
  }
  return { V, width: T, quad, size: nf, ...(op !== null && !op.converged ? { eigenConverged: false } : {}), ...(instability ? { instability } : {}) };
}

/**
 * tr D_t = sum_i d_i(t) + dNull at each requested step count, for
 * d_i' = a_i d_i + src_i (sum_j d_j + dNull + sigma^2), O(n) per step: the
 * signal part (d(0), sigma = 0) and the unit-noise part (d(0) = 0, sigma = 1)
 * advanced in the same loop.
 */
function diagonalRecursion(a: Float64Array, src: Float64Array, d0: Float64Array, dNull: number, t: Float64Array): { signal: Float64Array; noise: Float64Array } {
  const n = a.length;
  const T = t.length;
  const signal = new Float64Array(T);
  const noise = new Float64Array(T);
  const order = Array.from({ length: T }, (_, j) => j).sort((x, y) => t[x] - t[y]);
  const d = Float64Array.from(d0);
  const e = new Float64Array(n);
  let traceSignal = dNull;
  for (let i = 0; i < n; i++) traceSignal += d[i];
  let traceNoise = 0;
  let step = 0;
  for (const j of order) {
    const target = t[j];
    while (step < target) {
      const driveSignal = traceSignal;
      const driveNoise = traceNoise + 1;
      let sumSignal = 0;
      let sumNoise = 0;
      for (let i = 0; i < n; i++) {
        const ai = a[i];
        const si = src[i];
        const di = ai * d[i] + si * driveSignal;
        const ei = ai * e[i] + si * driveNoise;
        d[i] = di;
        e[i] = ei;
        sumSignal += di;
        sumNoise += ei;
      }
      traceSignal = sumSignal + dNull;
      traceNoise = sumNoise;
      step++;
    }
    signal[j] = traceSignal;
    noise[j] = traceNoise;
  }
  return { signal, noise };
}

/**
 * The sampled minibatch run in weight space (n_f): returns W (n_f x 2T) with
 * columns w_signal(t_j) and w_noise(t_j), the parts of w driven by the
 * teacher and by unit label noise (w = w_signal + sigma w_noise; the update
 * is linear in (w, sigma)). Fresh samples from the stream (seed, index,
 * STREAM_SGD, r): per sample M normals z (psi = Lambda^{1/2} z) then one
 * normal eps.
 */
function sampledRun(input: SgdInput, settings: SgdSettings, Bt: Float64Array | null, nf: number, index: number, r: number): Float64Array {
  const { lambda, wstar, M, t, seed } = input;
  const T = t.length;
  const { lr: eta, batch } = settings;
  const rng = new Xoshiro128([seed, index, STREAM_SGD, r]);
  const sqrtLambda = new Float64Array(M);
  for (let k = 0; k < M; k++) sqrtLambda[k] = Math.sqrt(lambda[k]);
  const w0 = new Float64Array(nf);
  const we = new Float64Array(nf);
  const dw0 = new Float64Array(nf);
  const dwe = new Float64Array(nf);
  const psi = new Float64Array(batch * M); // the minibatch, B x M
  const y0 = new Float64Array(batch);
  const eps = new Float64Array(batch);
  const out = new Float64Array(nf * 2 * T);
  const order = Array.from({ length: T }, (_, j) => j).sort((x, y) => t[x] - t[y]);
  const scale = eta / batch;
  const batchRows = Int32Array.from({ length: batch }, (_, b) => b); // a fresh minibatch is rows 0..B-1
  let step = 0;
  for (const j of order) {
    const target = t[j];
    while (step < target) {
      for (let b = 0; b < batch; b++) {
        const row = b * M;
        rng.fillNormal(psi.subarray(row, row + M));
        eps[b] = rng.nextNormal();
        let y = 0;
        for (let k = 0; k < M; k++) {
          const x = psi[row + k] * sqrtLambda[k];
          psi[row + k] = x;
          y += x * wstar[k];
        }
        y0[b] = y;
      }
      // Features of the whole minibatch at once (B x n_f), by the blocked product.
      const phi = Bt === null ? psi : matmul(psi, Bt, batch, M, nf);
      minibatchStep(phi, nf, batchRows, y0, eps, w0, we, dw0, dwe, scale);
      step++;
    }
    for (let i = 0; i < nf; i++) {
      out[i * 2 * T + j] = w0[i];
      out[i * 2 * T + T + j] = we[i];
    }
  }
  return out;
}

/**
 * One SGD step on the signal and noise parts of w (THEORY E28, E28b): the
 * minibatch rows `rows` of the feature matrix phi (n_f columns) with labels
 * y0 (signal) and eps (noise), w <- w + (eta/B) phi^T (y - phi w) for both
 * parts. dw0 and dwe are scratch of length n_f. Shared by one-pass SGD (rows
 * 0..B-1 of a fresh batch) and SGD on P fixed samples (rows drawn from them).
 */
export function minibatchStep(
  phi: Float64Array, nf: number, rows: ArrayLike<number>, y0: Float64Array, eps: Float64Array,
  w0: Float64Array, we: Float64Array, dw0: Float64Array, dwe: Float64Array, scale: number,
): void {
  dw0.fill(0);
  dwe.fill(0);
  for (let b = 0; b < rows.length; b++) {
    const sample = rows[b];
    const row = sample * nf;
    let f0 = 0;
    let fe = 0;
    for (let i = 0; i < nf; i++) {
      f0 += phi[row + i] * w0[i];
      fe += phi[row + i] * we[i];
    }
    const e0 = y0[sample] - f0; // psi . v_signal
    const ee = eps[sample] - fe; // psi . v_noise + eps
    for (let i = 0; i < nf; i++) {
      dw0[i] += phi[row + i] * e0;
      dwe[i] += phi[row + i] * ee;
    }
  }
  for (let i = 0; i < nf; i++) {
    w0[i] += scale * dw0[i];
    we[i] += scale * dwe[i];
  }
}


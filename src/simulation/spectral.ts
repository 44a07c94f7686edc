/**
 * A symmetric eigendecomposition that never forms the eigenvector matrix.
 *
 * Why: exact gradient flow (and every other linear propagator of the
 * simulator) from w = 0 needs only the eigenvalues mu, the coordinates U^T b
 * of a few right-hand sides, and U applied to a thin matrix X (one column per
 * time and label part): w(t) = U diag(g_t(mu)) U^T b (seed.ts). Forming U
 * itself (tred2's accumulation plus every QL rotation applied to n-vectors)
 * costs about 2 n^3 + 6 R n flops, R ~ n^2 the number of QL rotations; here
 * the reduction costs 4/3 n^3, the QL iteration O(R), and each U^T b or U X
 * costs O(n^2) (reflectors) plus O(R) per column (rotations).
 *
 * Algorithm.
 *  1. Householder tridiagonalisation A = Q T Q^T with Q = H_0 H_1 ... H_{n-3},
 *     H_k = I - tau_k v_k v_k^T (the unblocked LAPACK DSYTD2, lower triangle;
 *     Golub & Van Loan, Matrix Computations, 4th ed., Alg. 8.3.1). The rank-2
 *     update of step k and the symmetric matrix-vector product of step k + 1
 *     are done in one pass over the trailing lower triangle, so the O(n^3)
 *     part reads the matrix once per step instead of twice. Each v_k is kept
 *     in row k right of the diagonal (unused: only the lower triangle is
 *     updated).
 *  2. The implicit QL iteration with Wilkinson-type shifts of EISPACK TQL2
 *     (Wilkinson & Reinsch, Handbook II/3; the JAMA structure, as in
 *     linalg.ts symmetricEigen) on (d, e), eigenvalues only, recording every
 *     Givens rotation (index, c, s) instead of applying it to n-vectors.
 *  3. U = Q G_1 ... G_R P (P the ascending sort). U^T b: reflectors then the
 *     recorded rotations forward; U X: rotations backward, then reflectors.
 *
 * The rotations take 20 bytes each (about n^2 of them: ~20 MB at n = 1024);
 * `rotationCount` reports how many.
 */

import type { ProductKernels } from './linalg.js';
import { wasmApply, wasmTridiagonalWorkspace } from './wasm.js';
import { qlRecord, RotationLog } from './ql.js';

/** The eigendecomposition A = U diag(values) U^T held as reflectors and rotations. */
export interface SpectralOperator {
  /** Order of A. */
  readonly n: number;
  /** Eigenvalues in ascending order. */
  readonly values: Float64Array;
  /** Number of recorded QL rotations (memory: 20 bytes each). */
  readonly rotationCount: number;
  /** False if some eigenvalue needed more than the QL iteration cap (values then unreliable). */
  readonly converged: boolean;
  /** U^T b: coordinate i multiplies the eigenvector of values[i]. b is not modified. */
  project(b: Float64Array): Float64Array;
  /**
   * U X for X (n x width, row-major; row i belongs to values[i]). Returns a
   * new n x width matrix; X is not modified.
   */
  apply(X: Float64Array, width: number): Float64Array;
}

/** QL iterations allowed per eigenvalue (LAPACK DSTEQR allows 30 per eigenvalue in total; TQL2 has no cap). */
const QL_MAX_ITERATIONS = 60;

/**
 * Eigenvalues and implicit eigenvectors of a symmetric A (n x n row-major, not
 * modified). See the module comment. `maxIterations` caps the QL iterations
 * per eigenvalue (`converged` is false when the cap is hit).
 */
export function symmetricEigenOperator(A: Float64Array, n: number, maxIterations = QL_MAX_ITERATIONS, kernels: ProductKernels = 'wasm'): SpectralOperator {
  const W = Float64Array.from(A.subarray(0, n * n));
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const tau = new Float64Array(Math.max(n, 1));
  tridiagonalize(W, d, e, tau, n, kernels);
  const rotations = new RotationLog(16 + Math.ceil(1.25 * n * n));
  const converged = qlRecord(d, e, n, rotations, maxIterations);
  const perm = ascendingOrder(d);
  const values = new Float64Array(n);
  for (let q = 0; q < n; q++) values[q] = d[perm[q]];

  const project = (b: Float64Array): Float64Array => {
    const y = Float64Array.from(b.subarray(0, n));
    for (let k = 0; k < n - 2; k++) reflect(W, tau[k], n, k, y);
    rotations.forward(y);
    const out = new Float64Array(n);
    for (let q = 0; q < n; q++) out[q] = y[perm[q]];
    return out;
  };
  const apply = (X: Float64Array, width: number): Float64Array => {
    if (kernels === 'wasm') {
      // The SIMD kernels work on Y (n x width) itself, lanes across columns (wasm.ts).
      const Y = new Float64Array(n * width);
      for (let q = 0; q < n; q++) Y.set(X.subarray(q * width, (q + 1) * width), perm[q] * width);
      if (wasmApply(W, tau, n, rotations.indices, rotations.pairs, rotations.count, Y, width)) return Y;
    }
    // Work on Yt = Y^T (width x n): every column of Y is a contiguous row.
    const Yt = new Float64Array(n * width);
    for (let q = 0; q < n; q++) {
      const row = perm[q];
      for (let c = 0; c < width; c++) Yt[c * n + row] = X[q * width + c];
    }
    rotations.backward(Yt, width, n);
    applyReflectors(W, tau, n, Yt, width);
    const Y = new Float64Array(n * width);
    for (let i = 0; i < n; i++) for (let c = 0; c < width; c++) Y[i * width + c] = Yt[c * n + i];
    return Y;
  };
  return { n, values, rotationCount: rotations.count, converged, project, apply };
}

/**
 * Householder reduction (module comment, step 1). On exit d is the diagonal of
 * T, e[k] couples k and k + 1 (e[n-1] = 0), and row k of W holds v_k at
 * columns k+1..n-1 (v_k[k+1] = 1) with tau[k].
 */
function tridiagonalize(W: Float64Array, d: Float64Array, e: Float64Array, tau: Float64Array, n: number, kernels: ProductKernels): void {
  if (n === 0) return;
  // With the SIMD kernel the reduction runs in the module's memory (wasm.ts), then W is copied back.
  const workspace = kernels === 'wasm' && n >= 3 ? wasmTridiagonalWorkspace(n) : null;
  if (workspace !== null) {
    workspace.W.set(W.subarray(0, n * n));
    reduce(workspace.W, d, e, tau, n, workspace.p, workspace.w, workspace.fused);
    W.set(workspace.W);
    return;
  }
  const p = new Float64Array(n);
  const w = new Float64Array(n);
  reduce(W, d, e, tau, n, p, w, (v, u, j0) => fusedUpdateProduct(W, n, v, u, j0, w, p));
}

/** The reduction on W with work vectors p and w; `fused(v, u, j0)` is fusedUpdateProduct on them (JS or SIMD). */
function reduce(
  W: Float64Array,
  d: Float64Array,
  e: Float64Array,
  tau: Float64Array,
  n: number,
  p: Float64Array,
  w: Float64Array,
  fused: (v: number, u: number, j0: number) => void,
): void {
  // Reflector of step 0 from the untouched column 0, and p = A22 v_0.
  let haveReflector = n >= 3 && makeReflector(W, e, tau, n, 0);
  if (haveReflector) symmetricProduct(W, n, 0, p);
  for (let k = 0; k < n - 2; k++) {
    d[k] = W[k * n + k];
    const v = k * n; // v_k lives in row k, columns k+1..n-1
    if (!haveReflector) {
      // tau = 0: nothing to update; the next reflector comes from the untouched column k + 1.
      haveReflector = k + 1 < n - 2 && makeReflector(W, e, tau, n, k + 1);
      if (haveReflector) symmetricProduct(W, n, k + 1, p);
      continue;
    }
    // w = tau p - (tau^2 / 2)(p . v) v, with p = A22 v (DSYTD2).
    const t = tau[k];
    let pv = 0;
    for (let i = k + 1; i < n; i++) {
      p[i] *= t;
      pv += p[i] * W[v + i];
    }
    const alpha = -0.5 * t * pv;
    for (let i = k + 1; i < n; i++) w[i] = p[i] + alpha * W[v + i];
    // Update column k + 1 (lower triangle, rows k+1..n-1) first: the next reflector is built from it.
    const k1 = k + 1;
    const vk1 = W[v + k1];
    const wk1 = w[k1];
    for (let i = k1; i < n; i++) W[i * n + k1] -= W[v + i] * wk1 + w[i] * vk1;
    haveReflector = k1 < n - 2 && makeReflector(W, e, tau, n, k1);
    if (!haveReflector) {
      // Plain rank-2 update of the rest of the trailing triangle.
      for (let i = k1 + 1; i < n; i++) {
        const ri = i * n;
        const vi = W[v + i];
        const wi = w[i];
        for (let j = k1 + 1; j <= i; j++) W[ri + j] -= vi * w[j] + wi * W[v + j];
      }
      continue;
    }
    // Fused: finish the rank-2 update of step k on rows k+2.. and accumulate p = A22 v_{k+1}.
    fused(v, k1 * n, k1 + 1);
  }
  if (n >= 2) {
    d[n - 2] = W[(n - 2) * n + n - 2];
    e[n - 2] = W[(n - 1) * n + n - 2];
  }
  d[n - 1] = W[(n - 1) * n + n - 1];
  e[n - 1] = 0;
}

/**
 * Rows and columns j0..n-1 of the lower triangle: A <- A - v w^T - w v^T (v in
 * W at offset v, the reflector of the previous step) and, in the same pass,
 * p = A u with the updated entries (u at offset u, the new reflector). Two rows
 * at a time, so every load of v_j, w_j, u_j and p_j serves both. The row sums
 * (A u)_i are split in two partial sums over j = j0, j0+2, ... and j0+1,
 * j0+3, ... (an odd last j into the first), added at the end: the order of
 * the two-lane SIMD kernel of wasm.ts, which therefore gives the same bits.
 */
function fusedUpdateProduct(W: Float64Array, n: number, v: number, u: number, j0: number, w: Float64Array, p: Float64Array): void {
  p.fill(0, j0);
  let i = j0;
  for (; i + 1 < n; i += 2) {
    const ra = i * n;
    const rb = ra + n;
    const va = W[v + i];
    const wa = w[i];
    const ua = W[u + i];
    const vb = W[v + i + 1];
    const wb = w[i + 1];
    const ub = W[u + i + 1];
    let sa0 = 0;
    let sa1 = 0;
    let sb0 = 0;
    let sb1 = 0;
    let j = j0;
    for (; j + 1 < i; j += 2) {
      const vj = W[v + j];
      const wj = w[j];
      const uj = W[u + j];
      const a = W[ra + j] - (va * wj + wa * vj);
      const b = W[rb + j] - (vb * wj + wb * vj);
      W[ra + j] = a;
      W[rb + j] = b;
      sa0 += a * uj;
      sb0 += b * uj;
      p[j] += a * ua + b * ub;
      const vj1 = W[v + j + 1];
      const wj1 = w[j + 1];
      const uj1 = W[u + j + 1];
      const a1 = W[ra + j + 1] - (va * wj1 + wa * vj1);
      const b1 = W[rb + j + 1] - (vb * wj1 + wb * vj1);
      W[ra + j + 1] = a1;
      W[rb + j + 1] = b1;
      sa1 += a1 * uj1;
      sb1 += b1 * uj1;
      p[j + 1] += a1 * ua + b1 * ub;
    }
    if (j < i) {
      const vj = W[v + j];
      const wj = w[j];
      const uj = W[u + j];
      const a = W[ra + j] - (va * wj + wa * vj);
      const b = W[rb + j] - (vb * wj + wb * vj);
      W[ra + j] = a;
      W[rb + j] = b;
      sa0 += a * uj;
      sb0 += b * uj;
      p[j] += a * ua + b * ub;
    }
    const sa = sa0 + sa1;
    const sb = sb0 + sb1;
    const diagA = W[ra + i] - 2 * va * wa;
    W[ra + i] = diagA;
    const b = W[rb + i] - (vb * wa + wb * va);
    W[rb + i] = b;
    const diagB = W[rb + i + 1] - 2 * vb * wb;
    W[rb + i + 1] = diagB;
    p[i] += sa + diagA * ua + b * ub;
    p[i + 1] += sb + b * ua + diagB * ub;
  }
  if (i < n) {
    const ra = i * n;
    const va = W[v + i];
    const wa = w[i];
    const ua = W[u + i];
    let sa0 = 0;
    let sa1 = 0;
    let j = j0;
    for (; j + 1 < i; j += 2) {
      const a = W[ra + j] - (va * w[j] + wa * W[v + j]);
      W[ra + j] = a;
      sa0 += a * W[u + j];
      p[j] += a * ua;
      const a1 = W[ra + j + 1] - (va * w[j + 1] + wa * W[v + j + 1]);
      W[ra + j + 1] = a1;
      sa1 += a1 * W[u + j + 1];
      p[j + 1] += a1 * ua;
    }
    if (j < i) {
      const a = W[ra + j] - (va * w[j] + wa * W[v + j]);
      W[ra + j] = a;
      sa0 += a * W[u + j];
      p[j] += a * ua;
    }
    const diagA = W[ra + i] - 2 * va * wa;
    W[ra + i] = diagA;
    p[i] += sa0 + sa1 + diagA * ua;
  }
}

/**
 * Householder vector for column k below the diagonal (rows k+1..n-1), stored in
 * row k at columns k+1..n-1 with v[k+1] = 1 (LAPACK DLARFG). Sets e[k] = beta
 * and tau[k]; returns false (tau = 0, no update needed) when the entries below
 * the sub-diagonal are already zero.
 */
function makeReflector(W: Float64Array, e: Float64Array, tau: Float64Array, n: number, k: number): boolean {
  const alpha = W[(k + 1) * n + k];
  let scale = 0;
  for (let i = k + 2; i < n; i++) scale = Math.max(scale, Math.abs(W[i * n + k]));
  const v = k * n;
  if (scale === 0) {
    tau[k] = 0;
    e[k] = alpha;
    return false;
  }
  scale = Math.max(scale, Math.abs(alpha));
  let ss = 0;
  for (let i = k + 1; i < n; i++) {
    const x = W[i * n + k] / scale;
    ss += x * x;
  }
  const norm = scale * Math.sqrt(ss);
  const beta = alpha >= 0 ? -norm : norm;
  tau[k] = (beta - alpha) / beta;
  const f = 1 / (alpha - beta);
  W[v + k + 1] = 1;
  for (let i = k + 2; i < n; i++) W[v + i] = W[i * n + k] * f;
  e[k] = beta;
  return true;
}

/** p[k+1..n-1] = A22 v_k from the lower triangle of the trailing block (rows and columns k+1..n-1). */
function symmetricProduct(W: Float64Array, n: number, k: number, p: Float64Array): void {
  const v = k * n;
  const j0 = k + 1;
  p.fill(0, j0);
  for (let i = j0; i < n; i++) {
    const ri = i * n;
    const vi = W[v + i];
    let s = 0;
    for (let j = j0; j < i; j++) {
      const a = W[ri + j];
      s += a * W[v + j];
      p[j] += a * vi;
    }
    p[i] += s + W[ri + i] * vi;
  }
}

/** y <- (I - tau v v^T) y on coordinates k+1..n-1 (v_k in row k of W). */
function reflect(W: Float64Array, t: number, n: number, k: number, y: Float64Array): void {
  if (t === 0) return;
  const v = k * n;
  let s = 0;
  for (let i = k + 1; i < n; i++) s += W[v + i] * y[i];
  s *= t;
  for (let i = k + 1; i < n; i++) y[i] -= s * W[v + i];
}

/**
 * Yt <- (Q Y)^T for Yt = Y^T (width x n): H_{n-3} first, H_0 last. Two
 * reflectors at a time: for H_a H_b y (b = a + 1 applied first) with
 * s_b = tau_b v_b . y and s_a = tau_a (v_a . y - s_b v_a . v_b), the result is
 * y - s_b v_b - s_a v_a, one pass to dot and one to update instead of two each.
 */
function applyReflectors(W: Float64Array, tau: Float64Array, n: number, Yt: Float64Array, width: number): void {
  for (let q0 = 0; q0 < width; q0 += COLUMN_BLOCK) {
    const q1 = Math.min(width, q0 + COLUMN_BLOCK);
    let k = n - 3;
    for (; k >= 1; k -= 2) {
      const a = k - 1; // applied second
      const ta = tau[a];
      const tb = tau[k];
      const va = a * n;
      const vb = k * n;
      // v_a has entries a+1..n-1 (v_a[a+1] = 1), v_b entries k+1..n-1 = a+2..n-1.
      let vab = 0;
      for (let i = k + 1; i < n; i++) vab += W[va + i] * W[vb + i];
      for (let q = q0; q < q1; q++) {
        const base = q * n;
        let da = Yt[base + k] * W[va + k]; // coordinate a+1 = k: only v_a reaches it
        let db = 0;
        for (let i = k + 1; i < n; i++) {
          const y = Yt[base + i];
          da += W[va + i] * y;
          db += W[vb + i] * y;
        }
        const sb = tb * db;
        const sa = ta * (da - sb * vab);
        if (sa === 0 && sb === 0) continue;
        Yt[base + k] -= sa * W[va + k];
        for (let i = k + 1; i < n; i++) Yt[base + i] -= sb * W[vb + i] + sa * W[va + i];
      }
    }
    if (k === 0) {
      for (let q = q0; q < q1; q++) reflect(W, tau[0], n, 0, Yt.subarray(q * n, q * n + n));
    }
  }
}

/** Columns of the thin matrix processed together: their slices stay in L1 while the reflectors or rotations stream past. */
const COLUMN_BLOCK = 8;

/** Indices of d in ascending order of value (stable). */
function ascendingOrder(d: Float64Array): Int32Array {
  const order = Array.from({ length: d.length }, (_, i) => i);
  order.sort((a, b) => d[a] - d[b] || a - b);
  return Int32Array.from(order);
}

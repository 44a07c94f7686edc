/**
 * Dense linear algebra for the Monte Carlo simulator, on flat row-major
 * Float64Arrays (STYLE 12).
 *
 * Why not ml-matrix here: its `mmul` is a plain scalar triple loop over
 * Matrix objects and its EigenvalueDecomposition stores rows as separate
 * arrays; on this machine the flat versions below are faster (figures in
 * docs/simulation-performance.md, reproduced by bench/simulation.ts). ml-matrix
 * stays the independent reference the tests compare the eigensolver against.
 *
 * Layout: an m x n matrix is a Float64Array of length m*n with entry (i, j) at
 * i*n + j.
 */
import type { SpectralOperator } from './spectral.js';
import { wasmProduct } from './wasm.js';
import { qlRecord, RotationLog } from './ql.js';

/**
 * Which kernel runs the products (matmul, gramColumns): 'wasm', the SIMD
 * kernel of wasm.ts when it loads in this thread (the JS kernel otherwise), or
 * 'js'. Both sum every entry in the same order and give the same bits; 'js'
 * is there for the tests and the benchmark.
 */
export type ProductKernels = 'wasm' | 'js';

/**
 * Fewest rows of C for the SIMD kernel: it copies the whole B into its memory
 * for every block of rows, which a product with a few rows (a sampled SGD
 * minibatch) would not repay.
 */
const WASM_MIN_ROWS = 16;

/**
 * C (m x n) = A (m x k) * B (k x n), all row-major. Loop order i-k-j so the
 * innermost loop streams rows of B and C (unit stride). Register block 4 x 4:
 * four rows of C are updated together with four k at a time, so each loaded
 * B element serves four multiply-adds and each load/store of C serves four;
 * the j range is blocked (256 columns: 4 B-row slices + 4 C-row slices = 16 KB)
 * so they stay in L1 while k advances. Measured 2-3 GFLOP-pairs/s here, about
 * twice the plain i-k-j loop and 3x ml-matrix mmul
 * (docs/simulation-performance.md). Every C entry is summed in the same order
 * (k ascending, groups of four), whatever the block sizes. With `kernels`
 * 'wasm' (the default) the same sums run in the SIMD kernel of wasm.ts
 * (3-4x faster, same bits) for products with at least 16 rows.
 */
export function matmul(A: Float64Array, B: Float64Array, m: number, k: number, n: number, kernels: ProductKernels = 'wasm'): Float64Array {
  return (kernels === 'wasm' && m >= WASM_MIN_ROWS ? wasmProduct(A, B, m, k, n, false, false) : null) ?? panelProduct(A, B, m, k, n, false);
}

/**
 * The kernel of matmul. With `upper` (square C, m = n) only the rows i < j1
 * of each column strip j0..j1 are computed: every entry on or above the
 * diagonal, plus part of the diagonal strip below it (about 5/8 of the work
 * at n = 4 strips); the caller mirrors.
 */
function panelProduct(A: Float64Array, B: Float64Array, m: number, k: number, n: number, upper: boolean): Float64Array {
  const C = new Float64Array(m * n);
  const JB = 256;
  const KB = 128; // k-panel: a 128 x 256 slice of B (256 KB) stays in L2 while every row block of A passes
  const m4 = m - (m % 4);
  const k4 = k - (k % 4);
  for (let j0 = 0; j0 < n; j0 += JB) {
    const j1 = Math.min(n, j0 + JB);
    for (let p0 = 0; p0 < k; p0 += KB) {
      // Groups of four k up to k4 inside the panel; the k % 4 leftovers once, with the last panel,
      // so every C entry is summed in the same order as without panels.
      const p4 = Math.min(k4, p0 + KB);
      const tail = p0 + KB >= k;
      const rows = upper ? Math.min(m, j1) : m;
      const rows4 = upper ? rows - (rows % 4) : m4;
      let i = 0;
      for (; i < rows4; i += 4) {
        const c0 = i * n;
        const c1 = c0 + n;
        const c2 = c1 + n;
        const c3 = c2 + n;
        const r0 = i * k;
        const r1 = r0 + k;
        const r2 = r1 + k;
        const r3 = r2 + k;
        for (let p = p0; p < p4; p += 4) {
          const a00 = A[r0 + p], a01 = A[r0 + p + 1], a02 = A[r0 + p + 2], a03 = A[r0 + p + 3];
          const a10 = A[r1 + p], a11 = A[r1 + p + 1], a12 = A[r1 + p + 2], a13 = A[r1 + p + 3];
          const a20 = A[r2 + p], a21 = A[r2 + p + 1], a22 = A[r2 + p + 2], a23 = A[r2 + p + 3];
          const a30 = A[r3 + p], a31 = A[r3 + p + 1], a32 = A[r3 + p + 2], a33 = A[r3 + p + 3];
          const b0 = p * n;
          const b1 = b0 + n;
          const b2 = b1 + n;
          const b3 = b2 + n;
          for (let j = j0; j < j1; j++) {
            const x0 = B[b0 + j];
            const x1 = B[b1 + j];
            const x2 = B[b2 + j];
            const x3 = B[b3 + j];
            C[c0 + j] += a00 * x0 + a01 * x1 + a02 * x2 + a03 * x3;
            C[c1 + j] += a10 * x0 + a11 * x1 + a12 * x2 + a13 * x3;
            C[c2 + j] += a20 * x0 + a21 * x1 + a22 * x2 + a23 * x3;
            C[c3 + j] += a30 * x0 + a31 * x1 + a32 * x2 + a33 * x3;
          }
        }
        if (tail) {
          for (let p = k4; p < k; p++) {
            const b0 = p * n;
            const a0 = A[r0 + p], a1 = A[r1 + p], a2 = A[r2 + p], a3 = A[r3 + p];
            for (let j = j0; j < j1; j++) {
              const x = B[b0 + j];
              C[c0 + j] += a0 * x;
              C[c1 + j] += a1 * x;
              C[c2 + j] += a2 * x;
              C[c3 + j] += a3 * x;
            }
          }
        }
      }
      for (; i < rows; i++) {
        const ci = i * n;
        const ri = i * k;
        for (let p = p0; p < p4; p += 4) {
          const a0 = A[ri + p], a1 = A[ri + p + 1], a2 = A[ri + p + 2], a3 = A[ri + p + 3];
          const b0 = p * n;
          const b1 = b0 + n;
          const b2 = b1 + n;
          const b3 = b2 + n;
          for (let j = j0; j < j1; j++) C[ci + j] += a0 * B[b0 + j] + a1 * B[b1 + j] + a2 * B[b2 + j] + a3 * B[b3 + j];
        }
        if (tail) {
          for (let p = k4; p < k; p++) {
            const a0 = A[ri + p];
            const b0 = p * n;
            for (let j = j0; j < j1; j++) C[ci + j] += a0 * B[b0 + j];
          }
        }
      }
    }
  }
  return C;
}

/**
 * The previous kernel (i-k-j, k unrolled by 4, one row of C at a time), kept
 * for the benchmark comparison in bench/simulation.ts only.
 */
export function matmulSimple(A: Float64Array, B: Float64Array, m: number, k: number, n: number): Float64Array {
  const C = new Float64Array(m * n);
  const k4 = k - (k % 4);
  for (let i = 0; i < m; i++) {
    const ai = i * k;
    const ci = i * n;
    let p = 0;
    for (; p < k4; p += 4) {
      const a0 = A[ai + p], a1 = A[ai + p + 1], a2 = A[ai + p + 2], a3 = A[ai + p + 3];
      const b0 = p * n;
      const b1 = b0 + n;
      const b2 = b1 + n;
      const b3 = b2 + n;
      for (let j = 0; j < n; j++) C[ci + j] += a0 * B[b0 + j] + a1 * B[b1 + j] + a2 * B[b2 + j] + a3 * B[b3 + j];
    }
    for (; p < k; p++) {
      const a0 = A[ai + p];
      const b0 = p * n;
      for (let j = 0; j < n; j++) C[ci + j] += a0 * B[b0 + j];
    }
  }
  return C;
}

/**
 * Gram matrix of the columns, C (n x n) = scale * X^T X for X (m x n)
 * row-major, upper triangle computed and mirrored. Three kernels with the
 * same summation order (rows of X ascending, four at a time), so the result is
 * the same bit for bit whichever runs: by default (n >= 16) the SIMD kernel of
 * wasm.ts on (X^T, X), upper blocks only; in JS, for n < 768 rank-four row
 * updates of C, from n = 768 on the panelled product of matmul on (X^T, X),
 * upper strips only, which keeps a panel of X in L2 instead of streaming the
 * whole n x n C once per four rows of X (about 1.4x faster at n = 1024; slower
 * below, where C fits in cache and the panels would compute the full square).
 */
export function gramColumns(X: Float64Array, m: number, n: number, scale: number, kernels: ProductKernels = 'wasm'): Float64Array {
  // The SIMD kernel on (X^T, X) reads X^T's panels straight from X (no transposed copy), at every n.
  const C =
    (kernels === 'wasm' && n >= WASM_MIN_ROWS ? wasmProduct(X, X, n, m, n, true, true) : null) ??
    (n < 768 ? gramColumnsByRows(X, m, n) : panelProduct(transpose(X, m, n), X, n, m, n, true));
  for (let i = 0; i < n; i++) {
    C[i * n + i] *= scale;
    for (let j = i + 1; j < n; j++) {
      const v = C[i * n + j] * scale;
      C[i * n + j] = v;
      C[j * n + i] = v;
    }
  }
  return C;
}

/** The rank-four row-update kernel of gramColumns (upper triangle, unscaled). */
function gramColumnsByRows(X: Float64Array, m: number, n: number): Float64Array {
  const C = new Float64Array(n * n);
  const m4 = m - (m % 4);
  let r = 0;
  for (; r < m4; r += 4) {
    const x0 = r * n;
    const x1 = x0 + n;
    const x2 = x1 + n;
    const x3 = x2 + n;
    for (let i = 0; i < n; i++) {
      const a0 = X[x0 + i];
      const a1 = X[x1 + i];
      const a2 = X[x2 + i];
      const a3 = X[x3 + i];
      const ci = i * n;
      for (let j = i; j < n; j++) {
        C[ci + j] += a0 * X[x0 + j] + a1 * X[x1 + j] + a2 * X[x2 + j] + a3 * X[x3 + j];
      }
    }
  }
  for (; r < m; r++) {
    const x0 = r * n;
    for (let i = 0; i < n; i++) {
      const a0 = X[x0 + i];
      const ci = i * n;
      for (let j = i; j < n; j++) C[ci + j] += a0 * X[x0 + j];
    }
  }
  return C;
}

/**
 * Gram matrix of the rows, C (m x m) = scale * X X^T for X (m x n) row-major:
 * dot products of contiguous rows, 2 x 2 register block (each loaded element
 * serves two products).
 */
export function gramRows(X: Float64Array, m: number, n: number, scale: number): Float64Array {
  const C = new Float64Array(m * m);
  for (let i = 0; i < m; i += 2) {
    const i1 = Math.min(i + 1, m - 1);
    const xi0 = i * n;
    const xi1 = i1 * n;
    for (let j = i; j < m; j += 2) {
      const j1 = Math.min(j + 1, m - 1);
      const xj0 = j * n;
      const xj1 = j1 * n;
      let s00 = 0;
      let s01 = 0;
      let s10 = 0;
      let s11 = 0;
      for (let p = 0; p < n; p++) {
        const a0 = X[xi0 + p];
        const a1 = X[xi1 + p];
        const b0 = X[xj0 + p];
        const b1 = X[xj1 + p];
        s00 += a0 * b0;
        s01 += a0 * b1;
        s10 += a1 * b0;
        s11 += a1 * b1;
      }
      C[i * m + j] = s00 * scale;
      C[i * m + j1] = s01 * scale;
      C[i1 * m + j] = s10 * scale;
      C[i1 * m + j1] = s11 * scale;
    }
  }
  for (let i = 0; i < m; i++) for (let j = 0; j < i; j++) C[i * m + j] = C[j * m + i];
  return C;
}

/** Transpose of an m x n row-major matrix (n x m). */
export function transpose(X: Float64Array, m: number, n: number): Float64Array {
  const T = new Float64Array(m * n);
  const B = 32;
  for (let i0 = 0; i0 < m; i0 += B) {
    const i1 = Math.min(m, i0 + B);
    for (let j0 = 0; j0 < n; j0 += B) {
      const j1 = Math.min(n, j0 + B);
      for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) T[j * m + i] = X[i * n + j];
    }
  }
  return T;
}

export interface SymmetricEigen {
  /** Eigenvalues in ascending order. */
  values: Float64Array;
  /** Eigenvectors as ROWS: vector i is vectors[i*n .. i*n + n). */
  vectors: Float64Array;
  n: number;
}

/**
 * Symmetric eigendecomposition A = V diag(d) V^T (A n x n row-major, not
 * modified).
 *
 * Algorithm: Householder tridiagonalisation (tred2) followed by the implicit
 * QL method with Wilkinson-type shifts (tql2), as in the EISPACK routines
 * TRED2 and TQL2 (Smith et al., Matrix Eigensystem Routines - EISPACK Guide,
 * 1976; Wilkinson & Reinsch, Handbook for Automatic Computation II, 1971,
 * contributions II/2 and II/3), following the structure of the public-domain
 * JAMA translation. Re-implemented here on one flat array; the only layout
 * change is that both stages work on the transpose of the reference's V, so
 * the inner loops of tred2 and every Givens rotation of tql2 run along
 * contiguous rows instead of strided columns (that and the flat storage give
 * the speed-up).
 */
export function symmetricEigen(A: Float64Array, n: number): SymmetricEigen {
  const V = Float64Array.from(A.subarray(0, n * n));
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tred2(V, d, e, n); // V now holds Q^T: rows are the columns of Q
  tql2(V, d, e, n);
  return { values: d, vectors: V, n };
}

/**
 * EISPACK TRED2 (via JAMA), written on the TRANSPOSE T = V^T: every V[x][y] of
 * the reference becomes T[y*n + x]. The input is symmetric, so T starts equal
 * to A; the inner loops of the reference walk down columns of V, which here
 * are contiguous rows of T. On exit the rows of T are the columns of Q, d holds
 * the diagonal and e the sub-diagonal (e[0] = 0).
 */
function tred2(T: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) d[j] = T[j * n + n - 1];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = T[j * n + i - 1];
        T[j * n + i] = 0;
        T[i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      // e = A d over the leading i x i block, from its lower triangle.
      for (let j = 0; j < i; j++) {
        f = d[j];
        T[i * n + j] = f;
        const rj = j * n;
        g = e[j] + T[rj + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          const vkj = T[rj + k];
          g += vkj * d[k];
          e[k] += vkj * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        const rj = j * n;
        for (let k = j; k <= i - 1; k++) T[rj + k] -= f * e[k] + g * d[k];
        d[j] = T[rj + i - 1];
        T[rj + i] = 0;
      }
    }
    d[i] = h;
  }
  // Accumulate the Householder transformations.
  for (let i = 0; i < n - 1; i++) {
    T[i * n + n - 1] = T[i * n + i];
    T[i * n + i] = 1;
    const h = d[i + 1];
    const ri1 = (i + 1) * n;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = T[ri1 + k] / h;
      for (let j = 0; j <= i; j++) {
        const rj = j * n;
        let g = 0;
        for (let k = 0; k <= i; k++) g += T[ri1 + k] * T[rj + k];
        for (let k = 0; k <= i; k++) T[rj + k] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) T[ri1 + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = T[j * n + n - 1];
    T[j * n + n - 1] = 0;
  }
  T[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/**
 * EISPACK TQL2 (via JAMA) on the tridiagonal (d, e); W holds the transformation
 * with its COLUMNS stored as rows, so the rotations below are row operations.
 * The QL sweep itself is ql.ts qlRecord (shared with the implicit solver); its
 * recorded rotations are then applied to the rows of W in the order TQL2
 * applies them as it goes, which gives the same bits. On exit d is sorted
 * ascending and row i of W is the eigenvector of d[i].
 */
function tql2(W: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  const rotations = new RotationLog(16 + Math.ceil(1.25 * n * n));
  qlRecord(d, e, n, rotations, Infinity); // TQL2 has no iteration cap
  rotations.replayOnRows(W, n);
  // Selection sort ascending, swapping rows of W.
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = d[i];
    for (let j = i + 1; j < n; j++) {
      if (d[j] < p) {
        k = j;
        p = d[j];
      }
    }
    if (k !== i) {
      d[k] = d[i];
      d[i] = p;
      const ri = i * n;
      const rk = k * n;
      for (let j = 0; j < n; j++) {
        const tmp = W[ri + j];
        W[ri + j] = W[rk + j];
        W[rk + j] = tmp;
      }
    }
  }
}

/**
 * C (m x n) = A^T B for A (k x m) and B (k x n), both row-major: a sum of
 * rank-one updates over the rows p of A and B (i-k-j order on A^T, so both
 * inner operands are contiguous rows). Used where the transposed operand is
 * only read once, which makes an explicit transpose pointless.
 */
export function matmulTransA(A: Float64Array, B: Float64Array, k: number, m: number, n: number): Float64Array {
  const C = new Float64Array(m * n);
  for (let p = 0; p < k; p++) {
    const ap = p * m;
    const bp = p * n;
    for (let i = 0; i < m; i++) {
      const a = A[ap + i];
      if (a === 0) continue;
      const ci = i * n;
      for (let j = 0; j < n; j++) C[ci + j] += a * B[bp + j];
    }
  }
  return C;
}

/**
 * Cholesky factor of a symmetric positive definite S (n x n row-major):
 * lower-triangular L with S = L L^T (Golub & Van Loan, Matrix Computations,
 * 4th ed., Alg. 4.2.1, row-oriented). Returns null if a pivot is not positive.
 *
 * Every entry is s = S_ij, s -= L_ik L_jk for k = 0..j-1 in turn, then
 * sqrt(s) or s / L_jj, as in the plain loop (choleskyRow); four rows go
 * through their columns j < i together, which are independent of each other,
 * so that four subtraction chains overlap instead of one waiting on the last
 * (2.0x at n = 673, the real-data experiment's projected form; the same
 * bits).
 */
export function cholesky(S: Float64Array, n: number): Float64Array | null {
  const L = new Float64Array(n * n);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const r0 = i * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    for (let j = 0; j < i; j++) {
      const rj = j * n;
      let s0 = S[r0 + j];
      let s1 = S[r1 + j];
      let s2 = S[r2 + j];
      let s3 = S[r3 + j];
      for (let k = 0; k < j; k++) {
        const l = L[rj + k];
        s0 -= L[r0 + k] * l;
        s1 -= L[r1 + k] * l;
        s2 -= L[r2 + k] * l;
        s3 -= L[r3 + k] * l;
      }
      const pivot = L[rj + j];
      L[r0 + j] = s0 / pivot;
      L[r1 + j] = s1 / pivot;
      L[r2 + j] = s2 / pivot;
      L[r3 + j] = s3 / pivot;
    }
    for (let row = i; row < i + 4; row++) if (!choleskyRow(S, L, n, row, i)) return null;
  }
  for (; i < n; i++) if (!choleskyRow(S, L, n, i, 0)) return null;
  return L;
}

/** Entries j = from..i of row i of the Cholesky factor (the plain loop); false if the pivot is not positive. */
function choleskyRow(S: Float64Array, L: Float64Array, n: number, i: number, from: number): boolean {
  const ri = i * n;
  for (let j = from; j <= i; j++) {
    const rj = j * n;
    let s = S[ri + j];
    for (let k = 0; k < j; k++) s -= L[ri + k] * L[rj + k];
    if (i === j) {
      if (!(s > 0)) return false;
      L[ri + i] = Math.sqrt(s);
    } else {
      L[ri + j] = s / L[rj + j];
    }
  }
  return true;
}

/**
 * The SpectralOperator view (spectral.ts) of a dense decomposition: U^T b and
 * U X from the explicit eigenvectors. The reference for the implicit solver.
 */
export function denseSpectralOperator(eig: SymmetricEigen): SpectralOperator {
  const { values, vectors, n } = eig;
  return {
    n,
    values,
    rotationCount: 0,
    converged: true,
    project(b: Float64Array): Float64Array {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        const ri = i * n;
        for (let k = 0; k < n; k++) s += vectors[ri + k] * b[k];
        out[i] = s;
      }
      return out;
    },
    apply(X: Float64Array, width: number): Float64Array {
      return matmulTransA(vectors, X, n, n, width);
    },
  };
}

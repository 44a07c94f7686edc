/**
 * Flat linear algebra of the simulator (src/simulation/linalg.ts): the
 * tred2/tql2 eigensolver against reconstruction A = V D V^T, orthogonality and
 * ml-matrix's EigenvalueDecomposition; the blocked products against naive
 * loops.
 */
import { describe, expect, it } from 'vitest';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { cholesky, gramColumns, gramRows, matmul, matmulSimple, matmulTransA, symmetricEigen, transpose } from '../../src/simulation/linalg.js';
import { Xoshiro128 } from '../../src/simulation/random.js';

function randomMatrix(m: number, n: number, key: number): Float64Array {
  return new Xoshiro128([99, key]).fillNormal(new Float64Array(m * n));
}

function randomSymmetric(n: number, key: number): Float64Array {
  const X = randomMatrix(n, n, key);
  const S = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) S[i * n + j] = (X[i * n + j] + X[j * n + i]) / 2;
  return S;
}

/** Q diag(d) Q^T with a random orthogonal Q (Gram-Schmidt): prescribed, possibly repeated or zero, eigenvalues. */
function withSpectrum(d: number[], key: number): Float64Array {
  const n = d.length;
  const X = randomMatrix(n, n, key);
  const Q: number[][] = [];
  for (let i = 0; i < n; i++) {
    const v = Array.from(X.subarray(i * n, i * n + n));
    for (const q of Q) {
      const dot = q.reduce((s, x, k) => s + x * v[k], 0);
      for (let k = 0; k < n; k++) v[k] -= dot * q[k];
    }
    const norm = Math.hypot(...v);
    Q.push(v.map((x) => x / norm));
  }
  const S = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) S[i * n + j] = Q.reduce((s, q, k) => s + q[i] * d[k] * q[j], 0);
  return S;
}

function checkDecomposition(S: Float64Array, n: number) {
  const { values, vectors } = symmetricEigen(S, n);
  const scale = Math.max(1, ...Array.from(values, Math.abs));
  let recon = 0;
  let orth = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let a = 0;
      let o = 0;
      for (let k = 0; k < n; k++) {
        a += vectors[k * n + i] * values[k] * vectors[k * n + j];
        o += vectors[i * n + k] * vectors[j * n + k];
      }
      recon = Math.max(recon, Math.abs(a - S[i * n + j]));
      orth = Math.max(orth, Math.abs(o - (i === j ? 1 : 0)));
    }
  }
  for (let i = 1; i < n; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]);
  return { values, vectors, recon: recon / scale, orth };
}

describe('symmetricEigen (EISPACK tred2 + tql2, flat)', () => {
  it.each([1, 2, 3, 7, 20, 64, 150])('random symmetric n = %i: reconstruction and orthogonality ~1e-12', (n) => {
    const S = randomSymmetric(n, n);
    const { recon, orth } = checkDecomposition(S, n);
    expect(recon).toBeLessThan(1e-12);
    expect(orth).toBeLessThan(1e-12);
  });

  it.each([
    ['repeated eigenvalues', [2, 2, 2, 1, 1, 0.5]],
    ['rank deficient (zeros)', [0, 0, 0, 3, 1, 0.25, 0]],
    ['widely scaled', [1e-10, 1e-6, 1e-3, 1, 1e3]],
    ['negative and positive', [-3, -1, 0, 1, 3]],
  ] as const)('%s', (_, d) => {
    const n = d.length;
    const S = withSpectrum([...d], n + 100);
    const { values, recon, orth } = checkDecomposition(S, n);
    expect(recon).toBeLessThan(1e-12);
    expect(orth).toBeLessThan(1e-12);
    const sorted = [...d].sort((x, y) => x - y);
    const scale = Math.max(...d.map(Math.abs));
    sorted.forEach((x, i) => expect(Math.abs(values[i] - x)).toBeLessThan(1e-12 * scale));
  });

  it('diagonal and zero matrices', () => {
    const D = new Float64Array([3, 0, 0, 0, 1, 0, 0, 0, 2]);
    expect(Array.from(symmetricEigen(D, 3).values)).toEqual([1, 2, 3]);
    const Z = new Float64Array(16);
    const { values, recon, orth } = checkDecomposition(Z, 4);
    expect(Array.from(values)).toEqual([0, 0, 0, 0]);
    expect(recon).toBe(0);
    expect(orth).toBe(0);
  });

  it.each([5, 40, 120])('agrees with ml-matrix EigenvalueDecomposition, n = %i', (n) => {
    const S = randomSymmetric(n, 1000 + n);
    const ours = symmetricEigen(S, n);
    const rows = Array.from({ length: n }, (_, i) => Array.from(S.subarray(i * n, i * n + n)));
    const ref = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
    const refValues = ref.realEigenvalues;
    const V = ref.eigenvectorMatrix;
    for (let i = 0; i < n; i++) {
      expect(Math.abs(ours.values[i] - refValues[i])).toBeLessThan(1e-12 * Math.max(1, Math.abs(refValues[i])));
      // Eigenvectors agree up to sign (random matrices: simple eigenvalues).
      let dot = 0;
      for (let k = 0; k < n; k++) dot += ours.vectors[i * n + k] * V.get(k, i);
      expect(Math.abs(Math.abs(dot) - 1)).toBeLessThan(1e-9);
    }
  });
});

function naive(A: Float64Array, B: Float64Array, m: number, k: number, n: number): Float64Array {
  const C = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += A[i * k + p] * B[p * n + j];
    C[i * n + j] = s;
  }
  return C;
}

function maxDiff(x: Float64Array, y: Float64Array): number {
  expect(x.length).toBe(y.length);
  let d = 0;
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i] - y[i]));
  return d;
}

describe('products', () => {
  // Sizes that are not multiples of the 4 x 4 register block or cross the 256-column block.
  it.each([
    [1, 1, 1],
    [3, 5, 7],
    [4, 4, 4],
    [9, 13, 300],
    [17, 6, 2],
    [9, 263, 300], // crosses two 128-row k-panels with a k % 4 tail
    [5, 128, 3],
  ])('matmul %i x %i x %i equals the naive triple loop', (m, k, n) => {
    const A = randomMatrix(m, k, 1);
    const B = randomMatrix(k, n, 2);
    expect(maxDiff(matmul(A, B, m, k, n), naive(A, B, m, k, n))).toBeLessThan(1e-12);
    expect(maxDiff(matmulSimple(A, B, m, k, n), naive(A, B, m, k, n))).toBeLessThan(1e-12);
    const At = transpose(A, m, k);
    expect(maxDiff(matmulTransA(At, B, k, m, n), naive(A, B, m, k, n))).toBeLessThan(1e-12);
  });

  it('gramColumns, gramRows and cholesky', () => {
    const m = 11;
    const n = 6;
    const X = randomMatrix(m, n, 3);
    const Xt = transpose(X, m, n);
    expect(maxDiff(gramColumns(X, m, n, 0.5), naive(Xt, X, n, m, n).map((x) => 0.5 * x))).toBeLessThan(1e-12);
    expect(maxDiff(gramRows(X, m, n, 2), naive(X, Xt, m, n, m).map((x) => 2 * x))).toBeLessThan(1e-12);
    // n >= 768 takes the panelled kernel (upper strips of X^T X, mirrored).
    const wide = randomMatrix(7, 800, 4);
    expect(maxDiff(gramColumns(wide, 7, 800, 0.25), naive(transpose(wide, 7, 800), wide, 800, 7, 800).map((x) => 0.25 * x))).toBeLessThan(1e-12);
    const S = gramColumns(X, m, n, 1); // positive definite (m > n)
    const L = cholesky(S, n) as Float64Array;
    expect(maxDiff(naive(L, transpose(L, n, n), n, n, n), S)).toBeLessThan(1e-12);
    expect(cholesky(new Float64Array([1, 2, 2, 1]), 2)).toBeNull();
  });
});

/**
 * The implicit eigensolver (src/simulation/spectral.ts): eigenvalues, U^T b
 * and U X without the eigenvector matrix, against the dense tred2/tql2
 * (linalg.ts) and ml-matrix, and a whole Monte Carlo seed with either solver
 * (same numbers to round-off).
 */
import { describe, expect, it } from 'vitest';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { symmetricEigenOperator } from '../../src/simulation/spectral.js';
import { symmetricEigen } from '../../src/simulation/linalg.js';
import { Xoshiro128 } from '../../src/simulation/random.js';
import { runSeed } from '../../src/simulation/seed.js';
import { prepareSimulation } from '../../src/simulation/simulate.js';
import { powerLawSpectrum } from '../../src/spectrum/index.js';

function randomSymmetric(n: number, key: number): Float64Array {
  const X = new Xoshiro128([41, key]).fillNormal(new Float64Array(n * n));
  const S = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) S[i * n + j] = (X[i * n + j] + X[j * n + i]) / 2;
  return S;
}

/** Q diag(d) Q^T, Q from a Householder-free Gram-Schmidt of a random matrix. */
function withSpectrum(d: number[], key: number): Float64Array {
  const n = d.length;
  const X = new Xoshiro128([42, key]).fillNormal(new Float64Array(n * n));
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

/** Residual max |A U - U D| / scale and orthogonality max |U^T U - I| of U = apply(I); and |project(b) - U^T b|. */
function check(A: Float64Array, n: number) {
  const op = symmetricEigenOperator(A, n);
  const I = new Float64Array(n * n);
  for (let i = 0; i < n; i++) I[i * n + i] = 1;
  const U = op.apply(I, n);
  const scale = Math.max(1e-300, ...Array.from(op.values, Math.abs));
  let residual = 0;
  let orth = 0;
  for (let i = 0; i < n; i++) {
    for (let q = 0; q < n; q++) {
      let s = 0;
      let o = 0;
      for (let j = 0; j < n; j++) {
        s += A[i * n + j] * U[j * n + q];
        o += U[j * n + i] * U[j * n + q];
      }
      residual = Math.max(residual, Math.abs(s - op.values[q] * U[i * n + q]));
      orth = Math.max(orth, Math.abs(o - (i === q ? 1 : 0)));
    }
  }
  const b = new Xoshiro128([43, n]).fillNormal(new Float64Array(n));
  const y = op.project(b);
  let projection = 0;
  for (let q = 0; q < n; q++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += U[i * n + q] * b[i];
    projection = Math.max(projection, Math.abs(s - y[q]));
  }
  for (let i = 1; i < n; i++) expect(op.values[i]).toBeGreaterThanOrEqual(op.values[i - 1]);
  expect(op.converged).toBe(true);
  return { op, residual: residual / scale, orth, projection };
}

describe('symmetricEigenOperator (Householder + QL with recorded rotations)', () => {
  it.each([1, 2, 3, 4, 7, 33, 150])('random symmetric n = %i: A U = U D, U^T U = I, project = U^T b to 1e-12', (n) => {
    const A = randomSymmetric(n, n);
    const { residual, orth, projection } = check(A, n);
    expect(residual).toBeLessThan(1e-12);
    expect(orth).toBeLessThan(1e-12);
    expect(projection).toBeLessThan(1e-12);
  });

  it.each([
    ['repeated eigenvalues', [2, 2, 2, 1, 1, 0.5]],
    ['rank deficient (zeros)', [0, 0, 0, 3, 1, 0.25, 0]],
    ['widely scaled', [1e-10, 1e-6, 1e-3, 1, 1e3]],
    ['negative and positive', [-3, -1, 0, 1, 3]],
    ['power law (a Gram matrix of the simulator)', Array.from({ length: 40 }, (_, k) => (k + 1) ** -1.5)],
  ] as const)('%s: exact eigenvalues', (_, d) => {
    const n = d.length;
    const A = withSpectrum([...d], n + 200);
    const { op, residual, orth } = check(A, n);
    expect(residual).toBeLessThan(1e-12);
    expect(orth).toBeLessThan(1e-12);
    const sorted = [...d].sort((x, y) => x - y);
    const scale = Math.max(...d.map(Math.abs));
    sorted.forEach((x, i) => expect(Math.abs(op.values[i] - x)).toBeLessThan(1e-12 * scale));
  });

  it('already tridiagonal, diagonal and zero matrices (reflectors skipped)', () => {
    const n = 6;
    const T = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      T[i * n + i] = i + 1;
      if (i + 1 < n) T[i * n + i + 1] = T[(i + 1) * n + i] = 0.5;
    }
    expect(check(T, n).residual).toBeLessThan(1e-13);
    const D = new Float64Array([3, 0, 0, 0, 1, 0, 0, 0, 2]);
    expect(Array.from(symmetricEigenOperator(D, 3).values)).toEqual([1, 2, 3]);
    const Z = new Float64Array(25);
    const { op, orth } = check(Z, 5);
    expect(Array.from(op.values)).toEqual([0, 0, 0, 0, 0]);
    expect(orth).toBe(0);
    // Block diagonal (3 + 5): steps 1 and 2 have nothing below the sub-diagonal, so their reflectors are
    // skipped and step 3's is built from a column no update has touched.
    const A = randomSymmetric(8, 9);
    for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) if (i < 3 !== j < 3) A[i * 8 + j] = 0;
    const blocks = check(A, 8);
    expect(blocks.residual).toBeLessThan(1e-12);
    expect(blocks.orth).toBeLessThan(1e-12);
  });

  it.each([5, 60, 200])('eigenvalues equal the dense tred2/tql2 and ml-matrix, n = %i', (n) => {
    const A = randomSymmetric(n, 500 + n);
    const op = symmetricEigenOperator(A, n);
    const dense = symmetricEigen(A, n);
    const rows = Array.from({ length: n }, (_, i) => Array.from(A.subarray(i * n, i * n + n)));
    const ref = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true }).realEigenvalues;
    const scale = Math.max(...ref.map(Math.abs));
    for (let i = 0; i < n; i++) {
      expect(Math.abs(op.values[i] - dense.values[i])).toBeLessThan(1e-13 * scale);
      expect(Math.abs(op.values[i] - ref[i])).toBeLessThan(1e-13 * scale);
    }
  });

  it('U diag(g) U^T b equals the dense product (what the flow needs)', () => {
    const n = 90;
    const A = randomSymmetric(n, 77);
    const b = new Xoshiro128([44]).fillNormal(new Float64Array(n));
    const op = symmetricEigenOperator(A, n);
    const dense = symmetricEigen(A, n);
    const width = 3;
    const g = (x: number, c: number) => Math.exp(-0.1 * (c + 1) * x);
    const beta = op.project(b);
    const X = new Float64Array(n * width);
    for (let i = 0; i < n; i++) for (let c = 0; c < width; c++) X[i * width + c] = g(op.values[i], c) * beta[i];
    const Y = op.apply(X, width);
    for (let k = 0; k < n; k++) {
      for (let c = 0; c < width; c++) {
        let s = 0;
        for (let i = 0; i < n; i++) {
          let u = 0;
          for (let j = 0; j < n; j++) u += dense.vectors[i * n + j] * b[j];
          s += dense.vectors[i * n + k] * g(dense.values[i], c) * u;
        }
        expect(Math.abs(Y[k * width + c] - s)).toBeLessThan(1e-11);
      }
    }
  });
});

describe('a Monte Carlo seed with the implicit solver equals the dense one to round-off', () => {
  // The three forms of seed.ts: feature (N <= P), sample (N > P), population (P = Infinity).
  it.each([
    [48, 96],
    [96, 40],
    [40, Infinity],
    [Infinity, 50],
  ])('N = %s, P = %s', (N, P) => {
    const problem = {
      spectrum: powerLawSpectrum({ a: 1.6, b: 1.2, M: 120 }),
      N,
      P,
      sigma: [0, 0.4],
      t: [0, 0.3, 3, 30, 300, 3e4],
      seeds: 1,
      seed: 11,
    };
    const { setup } = prepareSimulation(problem, { ensemble: 2 });
    const implicit = runSeed({ ...setup, eigensolver: 'implicit' }, 0);
    const dense = runSeed({ ...setup, eigensolver: 'dense' }, 0);
    expect(implicit.form).toBe(dense.form);
    for (const field of ['test', 'train', 'testA'] as const) {
      for (let i = 0; i < dense[field].length; i++) {
        const ref = dense[field][i];
        expect(Math.abs(implicit[field][i] - ref)).toBeLessThanOrEqual(1e-10 * Math.abs(ref) + 1e-14);
      }
    }
    let dv = 0;
    for (let i = 0; i < dense.vbar.length; i++) dv = Math.max(dv, Math.abs(implicit.vbar[i] - dense.vbar[i]));
    expect(dv).toBeLessThan(1e-10);
  });
});

/**
 * The real-data experiment and the data set's population use eigenvalues with
 * U^T b and U X only (spectral.ts), never the eigenvectors. Both are checked
 * here against the same quantities computed another way: every eigenvector
 * from ml-matrix's EigenvalueDecomposition, w(t) = U diag(g_t(mu)) U^T b and
 * the test loss written out (THEORY E3-E6, E30).
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { computePopulation } from '../../src/data/index.js';
import { Xoshiro128 } from '../../src/simulation/index.js';
import { drawTrainingSet, realDataMoments, runRealDataExperiment, STREAM_REAL_PROJECTION, type RealDataPopulation } from '../../src/simulation/real-data.js';

/**
 * n samples of D correlated, non-Gaussian features (cubes of normals with a decaying scale), y nonlinear in them;
 * centred. Feature 5 is always zero (like MNIST's blank pixels: the experiment skips it in its products).
 */
function data(n: number, D: number): RealDataPopulation {
  const rng = new Xoshiro128([9, 4]);
  const psi = new Float64Array(n * D);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const z = rng.nextNormal();
    for (let j = 0; j < D; j++) psi[i * D + j] = j === 5 ? 0 : ((rng.nextNormal() + 0.5 * z) ** 3) * (j + 1) ** -0.8;
    y[i] = Math.sin(psi[i * D] - psi[i * D + 1]) + 0.2 * rng.nextNormal();
  }
  for (let j = 0; j < D; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += psi[i * D + j];
    for (let i = 0; i < n; i++) psi[i * D + j] -= m / n;
  }
  const ybar = y.reduce((s, v) => s + v, 0) / n;
  return { n, D, psi, y: y.map((v) => v - ybar) };
}

/** Test loss of seed s at time t with every eigenvector of the N x N (feature form) or P x P (sample form) kernel from ml-matrix. */
function referenceTestLoss(pop: RealDataPopulation, N: number, P: number, t: number, seed: number, s: number): number {
  const { n, D, psi, y } = pop;
  const rows = drawTrainingSet(n, P, seed, s);
  const X = new Matrix(P, D);
  const yP = Matrix.columnVector(Array.from(rows, (r) => y[r]));
  rows.forEach((r, p) => {
    for (let j = 0; j < D; j++) X.set(p, j, psi[r * D + j]);
  });
  const At = new Matrix(D, N);
  const normals = new Xoshiro128([seed, s, STREAM_REAL_PROJECTION]).fillNormal(new Float64Array(D * N), 1 / Math.sqrt(N));
  for (let j = 0; j < D; j++) for (let k = 0; k < N; k++) At.set(j, k, normals[j * N + k]);
  const Phi = X.mmul(At);
  const g = (x: number, zero: number) => (x > zero ? -Math.expm1(-x * t) / x : t === Infinity ? 0 : t);
  let w: Matrix;
  if (N <= P) {
    const e = new EigenvalueDecomposition(Phi.transpose().mmul(Phi).div(P), { assumeSymmetric: true });
    const zero = N * 2.220446049250313e-16 * Math.max(...e.realEigenvalues);
    const beta = e.eigenvectorMatrix.transpose().mmul(Phi.transpose().mmul(yP).div(P));
    for (let i = 0; i < N; i++) beta.set(i, 0, beta.get(i, 0) * g(e.realEigenvalues[i], zero));
    w = e.eigenvectorMatrix.mmul(beta);
  } else {
    const e = new EigenvalueDecomposition(Phi.mmul(Phi.transpose()).div(P), { assumeSymmetric: true });
    const zero = P * 2.220446049250313e-16 * Math.max(...e.realEigenvalues);
    const gamma = e.eigenvectorMatrix.transpose().mmul(yP);
    for (let i = 0; i < P; i++) gamma.set(i, 0, gamma.get(i, 0) * g(e.realEigenvalues[i], zero));
    w = Phi.transpose().mmul(e.eigenvectorMatrix.mmul(gamma)).div(P);
  }
  // L = (1/n) sum_i (psi_i . u - y_i)^2 over the whole population, u = A^T w / sqrt(N).
  const u = At.mmul(w);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    let f = 0;
    for (let j = 0; j < D; j++) f += psi[i * D + j] * u.get(j, 0);
    loss += (f - y[i]) ** 2;
  }
  return loss / n;
}

describe('real data without eigenvectors', () => {
  const pop = data(200, 24);
  const moments = realDataMoments(pop);

  // N = 40 > 23 live features: the experiment solves the projected 23 x 23 form, the reference the 40 x 40 kernel.
  it.each([
    [16, 60, 'feature'],
    [40, 60, 'feature'],
    [50, 30, 'sample'],
  ])('N = %i, P = %i (%s form): per-seed test losses equal the dense ml-matrix computation', (N, P, form) => {
    const t = [0.3, 5, 200, Infinity];
    const r = runRealDataExperiment(pop, { N, P, t, seeds: 2, seed: 7 }, moments);
    expect(r.form).toBe(form);
    for (let s = 0; s < 2; s++) {
      t.forEach((ti, j) => {
        const ref = referenceTestLoss(pop, N, P, ti, 7, s);
        expect(Math.abs(r.perSeedTest[s][j] - ref)).toBeLessThan(1e-11 * ref);
      });
    }
  });

  it('population (E30): lambda_k and c_k = (u_k . b)^2 / lambda_k equal ml-matrix with every eigenvector', () => {
    const { n, D, psi, y } = pop;
    const targets = y.map((v, i) => v + 0.3 * psi[i * D + 2]);
    const p = computePopulation({ n, d: D, features: psi, targets });
    const S = new Matrix(D, D);
    const b = new Matrix(D, 1);
    const ybar = targets.reduce((s, v) => s + v, 0) / n;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < D; j++) {
        b.set(j, 0, b.get(j, 0) + (psi[i * D + j] * (targets[i] - ybar)) / n);
        for (let k = 0; k < D; k++) S.set(j, k, S.get(j, k) + (psi[i * D + j] * psi[i * D + k]) / n);
      }
    }
    const e = new EigenvalueDecomposition(S, { assumeSymmetric: true });
    const beta = e.eigenvectorMatrix.transpose().mmul(b);
    const order = e.realEigenvalues.map((l, k) => [l, k]).sort((x, z) => z[0] - x[0]);
    expect(p.rank).toBe(D - 1);
    order.slice(0, D - 1).forEach(([l, k], r) => {
      expect(Math.abs(p.lambda[r] - l)).toBeLessThan(1e-13 * order[0][0]);
      expect(Math.abs(p.c[r] - beta.get(k, 0) ** 2 / l)).toBeLessThan(1e-11 * p.c.reduce((s, v) => s + v, 0));
    });
  });
});

/**
 * The closure of THEORY (E28b) for minibatch SGD with replacement on P fixed
 * samples, evaluated at one draw of the data and of A: the closed recursions
 * in the eigenbasis of K = Phi^T Phi / P (mu_i, U),
 *   x_i(t+1) = A_ii x_i(t) + (eta^2/B) kappa' mu_i Lhat(t),   x_i(0) = 0,
 *   z_ij(t)  = beta_i beta_j (A_ij^t - c_ij^t) / (mu_i mu_j),
 *   c_ij = (1 - eta mu_i)(1 - eta mu_j), A_ij = c_ij + (eta^2/B) rho' mu_i mu_j,
 *   kappa' = P/(P+2), rho' = (P-2)/(P+2),
 *   Lhat(t) = Lhat_GD(t) + sum_i mu_i (x_i + z_ii),
 *   L(t)    = L_GD(t) + sum_i O_ii x_i + sum_ij O_ij z_ij,  O = U^T B Lambda B^T U,
 * with beta = U^T Phi^T y / P and GD's exact mean (the formulas of
 * src/simulation/seed.ts). A validation tool for the closure step, not part of
 * the API: see scripts/reuse/closure-check.ts and closure-exact.ts.
 */
import type { Data, SeedSetup } from '../../src/simulation/seed.js';
import { gramColumns, matmul, matmulTransA, symmetricEigen } from '../../src/simulation/linalg.js';

/**
 * The closure at one draw of the data and of A (Bt = B^T, M x n_f, or null for
 * N = Infinity): test and train per sigma and time, [s * T + j].
 */
export function closureAtData(setup: SeedSetup, data: Data, Bt: Float64Array | null, batch: number): { test: Float64Array; train: Float64Array } {
  const { lambda, wstar, M, P, sigmas: sg, t: times } = setup;
  if (setup.dynamics.kind !== 'sgd') throw new Error('closureAtData needs SGD dynamics');
  const eta = setup.dynamics.lr;
  const T = times.length;
  const S = sg.length;
  const nf = Bt === null ? M : Bt.length / M;
  const Phi = Bt === null ? data.Psi : matmul(data.Psi, Bt, P, M, nf);
  const K = gramColumns(Phi, P, nf, 1 / P);
  const eig = symmetricEigen(K, nf);
  const mu = eig.values;
  const U = eig.vectors; // rows are eigenvectors
  const project = (x: Float64Array) => {
    const out = new Float64Array(nf);
    for (let i = 0; i < nf; i++) {
      let s = 0;
      for (let k = 0; k < nf; k++) s += U[i * nf + k] * x[k];
      out[i] = s;
    }
    return out;
  };
  const b0 = matmulTransA(Phi, data.y0, P, nf, 1);
  const be = matmulTransA(Phi, data.eps, P, nf, 1);
  for (let i = 0; i < nf; i++) {
    b0[i] /= P;
    be[i] /= P;
  }
  const beta0 = project(b0);
  const betae = project(be);
  // h = B Lambda w* (nf) and O = U B Lambda B^T U^T in the eigenbasis.
  const lw = new Float64Array(M);
  for (let k = 0; k < M; k++) lw[k] = lambda[k] * wstar[k];
  const h = project(Bt === null ? lw : matmulTransA(Bt, lw, M, nf, 1));
  let q0 = 0;
  for (let k = 0; k < M; k++) q0 += lambda[k] * wstar[k] * wstar[k];
  const X = new Float64Array(M * nf);
  for (let k = 0; k < M; k++) {
    const sl = Math.sqrt(lambda[k]);
    for (let i = 0; i < nf; i++) X[k * nf + i] = sl * (Bt === null ? (i === k ? 1 : 0) : Bt[k * nf + i]);
  }
  const Ofeat = gramColumns(X, M, nf, 1); // B Lambda B^T
  const UO = matmul(U, Ofeat, nf, nf, nf);
  const Ut = new Float64Array(nf * nf);
  for (let i = 0; i < nf; i++) for (let k = 0; k < nf; k++) Ut[k * nf + i] = U[i * nf + k];
  const O = matmul(UO, Ut, nf, nf, nf);
  const tol = nf * 2.220446049250313e-16 * mu[nf - 1];
  const rhoP = (P - 2) / (P + 2);
  const kappaP = P / (P + 2);
  const noise = (eta * eta) / batch;
  const test = new Float64Array(S * T);
  const train = new Float64Array(S * T);
  const order = Array.from({ length: T }, (_, j) => j).sort((x, y) => times[x] - times[y]);
  for (let s = 0; s < S; s++) {
    const sigma = sg[s];
    const beta = new Float64Array(nf);
    for (let i = 0; i < nf; i++) beta[i] = beta0[i] + sigma * betae[i];
    let y2 = 0;
    for (let p = 0; p < P; p++) y2 += (data.y0[p] + sigma * data.eps[p]) ** 2;
    let proj = 0;
    for (let i = 0; i < nf; i++) if (mu[i] > tol) proj += (P * beta[i] * beta[i]) / mu[i];
    const perp = Math.max(0, y2 - proj) / P;
    const x = new Float64Array(nf);
    const Aii = new Float64Array(nf);
    for (let i = 0; i < nf; i++) {
      const m = mu[i] > tol ? mu[i] : 0;
      Aii[i] = (1 - eta * m) ** 2 + noise * rhoP * m * m;
    }
    const lhatGd = (step: number) => {
      let e = perp;
      for (let i = 0; i < nf; i++) if (mu[i] > tol) e += ((beta[i] * beta[i]) / mu[i]) * (1 - eta * mu[i]) ** (2 * step);
      return e;
    };
    const zDiag = (i: number, step: number) => (mu[i] > tol ? ((beta[i] * beta[i]) * (Aii[i] ** step - (1 - eta * mu[i]) ** (2 * step))) / (mu[i] * mu[i]) : 0);
    let step = 0;
    for (const j of order) {
      while (step < times[j]) {
        let lhat = lhatGd(step);
        for (let i = 0; i < nf; i++) lhat += mu[i] > tol ? mu[i] * (x[i] + zDiag(i, step)) : 0;
        for (let i = 0; i < nf; i++) x[i] = Aii[i] * x[i] + (mu[i] > tol ? noise * kappaP * mu[i] * lhat : 0);
        step++;
      }
      let lhat = lhatGd(step);
      for (let i = 0; i < nf; i++) lhat += mu[i] > tol ? mu[i] * (x[i] + zDiag(i, step)) : 0;
      train[s * T + j] = lhat;
      // Test: GD mean part, then the fluctuation sum_i O_ii x_i + sum_ij O_ij z_ij.
      let L = q0 + sigma * sigma;
      const mhat = new Float64Array(nf);
      // 1 - (1 - eta mu)^t, without cancellation for the slow modes (eta mu < 1) and valid for 1 <= eta mu < 2.
      for (let i = 0; i < nf; i++) {
        const q = 1 - eta * mu[i];
        mhat[i] = mu[i] > tol ? (beta[i] * (q > 0 ? -Math.expm1(step * Math.log1p(-eta * mu[i])) : 1 - q ** step)) / mu[i] : 0;
      }
      for (let i = 0; i < nf; i++) {
        L -= 2 * h[i] * mhat[i];
        let row = 0;
        for (let k = 0; k < nf; k++) row += O[i * nf + k] * mhat[k];
        L += mhat[i] * row;
      }
      for (let i = 0; i < nf; i++) {
        if (!(mu[i] > tol)) continue;
        L += O[i * nf + i] * x[i];
        const ci = 1 - eta * mu[i];
        for (let k = 0; k < nf; k++) {
          if (!(mu[k] > tol)) continue;
          const c = ci * (1 - eta * mu[k]);
          const A = c + noise * rhoP * mu[i] * mu[k];
          L += (O[i * nf + k] * beta[i] * beta[k] * (A ** step - c ** step)) / (mu[i] * mu[k]);
        }
      }
      test[s * T + j] = L;
    }
  }
  return { test, train };
}


/**
 * The closure of THEORY (E28b) against the EXACT expected loss at fixed data
 * (no sampling noise), at small P where the exact second-moment recursion is
 * affordable: N = Infinity (phi = psi, M features), w <- w - eta g - eta zeta
 * with g = K w - b (K = Psi^T Psi / P, b = Psi^T y / P) and the batch noise
 * zeta of B draws with replacement, E[zeta zeta^T | w] = (1/B)[(1/P) sum_m
 * psi_m psi_m^T e_m^2 - g g^T], e = Psi w - y. With m = E[w], S = E[w w^T]:
 *   m' = (1 - eta K) m + eta b,
 *   S' = E[(w - eta g)(w - eta g)^T] + (eta^2/B)[(1/P) sum_m psi_m psi_m^T E_mm - E[g g^T]],
 *   E_mm = psi_m^T S psi_m - 2 y_m psi_m . m + y_m^2,
 *   E[g g^T] = K S K - K m b^T - b m^T K + b b^T,
 * test = |w*|_Lambda^2 - 2 w*^T Lambda m + tr(Lambda S) + sigma^2, train = (1/P) sum_m E_mm.
 * O(P M^2 + M^3) per step. Prints the error of the closure
 * (scripts/reuse/closure.ts) averaged over draws of the data, relative to the
 * exact loss averaged over the same draws: mean(closure - exact) / mean(exact)
 * with the s.e. of the paired difference (the closure replaces a one-step map
 * by its average over the eigenvectors of K at fixed spectrum, so it is a
 * statement about averages over draws, not about each draw).
 *
 * Rerun: npx tsx scripts/reuse/closure-exact.ts > docs/data/reuse-closure-exact.json
 */
import { makeDynamics } from '../../src/dynamics/index.js';
import { powerLawSpectrum } from '../../src/spectrum/index.js';
import { prepareSimulation } from '../../src/simulation/simulate.js';
import { drawData, type Data, type SeedSetup } from '../../src/simulation/seed.js';
import { closureAtData } from './closure.js';

const M = 32;
const a = 2;
const b = 1.5;
const eta = 0.25;
const sigmas = [0, 0.3];
const t = [1, 3, 10, 30, 100];
const draws = Number(process.argv[2] ?? 12);
const seed = 7;
const configs = [
  { P: 16, batch: 4 },
  { P: 32, batch: 2 },
  { P: 32, batch: 4 },
  { P: 64, batch: 4 },
];

/** E_mm = psi_m^T S psi_m - 2 y_m psi_m . m + y_m^2 for every training row (module comment). */
function residualMoments(Psi: Float64Array, P: number, S: Float64Array, m: Float64Array, y: Float64Array): Float64Array {
  const Emm = new Float64Array(P);
  for (let p = 0; p < P; p++) {
    let quad = 0;
    let lin = 0;
    for (let i = 0; i < M; i++) {
      let row = 0;
      for (let k = 0; k < M; k++) row += S[i * M + k] * Psi[p * M + k];
      quad += Psi[p * M + i] * row;
      lin += Psi[p * M + i] * m[i];
    }
    Emm[p] = quad - 2 * y[p] * lin + y[p] * y[p];
  }
  return Emm;
}

function exactAtData(setup: SeedSetup, data: Data, batch: number): { test: Float64Array; train: Float64Array } {
  const { lambda, wstar, P, sigmas: sg, t: times } = setup;
  const T = times.length;
  const test = new Float64Array(sg.length * T);
  const train = new Float64Array(sg.length * T);
  const Psi = data.Psi;
  const K = new Float64Array(M * M);
  for (let p = 0; p < P; p++) for (let i = 0; i < M; i++) for (let j = 0; j < M; j++) K[i * M + j] += (Psi[p * M + i] * Psi[p * M + j]) / P;
  const mul = (A: Float64Array, B: Float64Array) => {
    const C = new Float64Array(M * M);
    for (let i = 0; i < M; i++) for (let k = 0; k < M; k++) {
      const x = A[i * M + k];
      if (x !== 0) for (let j = 0; j < M; j++) C[i * M + j] += x * B[k * M + j];
    }
    return C;
  };
  const R = new Float64Array(M * M);
  for (let i = 0; i < M * M; i++) R[i] = -eta * K[i];
  for (let i = 0; i < M; i++) R[i * M + i] += 1;
  let q0 = 0;
  for (let k = 0; k < M; k++) q0 += lambda[k] * wstar[k] * wstar[k];
  for (let s = 0; s < sg.length; s++) {
    const y = new Float64Array(P);
    for (let p = 0; p < P; p++) y[p] = data.y0[p] + sg[s] * data.eps[p];
    const bv = new Float64Array(M);
    for (let p = 0; p < P; p++) for (let i = 0; i < M; i++) bv[i] += (Psi[p * M + i] * y[p]) / P;
    let m = new Float64Array(M);
    let S = new Float64Array(M * M);
    let step = 0;
    for (let j = 0; j < T; j++) {
      while (step < times[j]) {
        // Per-sample residual second moments E_mm.
        const Emm = residualMoments(Psi, P, S, m, y);
        const Km = new Float64Array(M);
        for (let i = 0; i < M; i++) for (let k = 0; k < M; k++) Km[i] += K[i * M + k] * m[k];
        const KSK = mul(mul(K, S), K);
        const RSR = mul(mul(R, S), R);
        const Rm = new Float64Array(M);
        for (let i = 0; i < M; i++) Rm[i] = m[i] - eta * Km[i];
        const next = new Float64Array(M * M);
        const c = (eta * eta) / batch;
        for (let i = 0; i < M; i++) {
          for (let k = 0; k < M; k++) {
            let fourth = 0;
            for (let p = 0; p < P; p++) fourth += Psi[p * M + i] * Psi[p * M + k] * Emm[p];
            fourth /= P;
            const ggT = KSK[i * M + k] - Km[i] * bv[k] - bv[i] * Km[k] + bv[i] * bv[k];
            // E[(w - eta g)(w - eta g)^T] with w - eta g = R w + eta b.
            const drift = RSR[i * M + k] + eta * (Rm[i] * bv[k] + bv[i] * Rm[k]) + eta * eta * bv[i] * bv[k];
            next[i * M + k] = drift + c * (fourth - ggT);
          }
        }
        S = next;
        const mNext = new Float64Array(M);
        for (let i = 0; i < M; i++) mNext[i] = Rm[i] + eta * bv[i];
        m = mNext;
        step++;
      }
      let L = q0 + sg[s] * sg[s];
      for (let k = 0; k < M; k++) L += -2 * lambda[k] * wstar[k] * m[k] + lambda[k] * S[k * M + k];
      test[s * T + j] = L;
      train[s * T + j] = residualMoments(Psi, P, S, m, y).reduce((acc, x) => acc + x, 0) / P;
    }
  }
  return { test, train };
}

const rows: Array<Record<string, number>> = [];
for (const config of configs) {
  const { setup } = prepareSimulation(
    { spectrum: powerLawSpectrum({ a, b, M }), N: Infinity, P: config.P, sigma: sigmas, t, seeds: draws, seed, dynamics: makeDynamics({ optimizer: 'sgd', lr: eta, batch: config.batch }) },
    { ensemble: 1 },
  );
  const T = t.length;
  const rel: number[][][] = sigmas.map(() => t.map(() => [] as number[]));
  const relTrain: number[][][] = sigmas.map(() => t.map(() => [] as number[]));
  const exactMean = sigmas.map(() => t.map(() => [0, 0]));
  for (let index = 0; index < draws; index++) {
    const data = drawData(setup, index);
    const exact = exactAtData(setup, data, config.batch);
    const closed = closureAtData(setup, data, null, config.batch);
    sigmas.forEach((_, s) =>
      t.forEach((__, j) => {
        const i = s * T + j;
        rel[s][j].push(closed.test[i] - exact.test[i]);
        relTrain[s][j].push(closed.train[i] - exact.train[i]);
        exactMean[s][j][0] += exact.test[i] / draws;
        exactMean[s][j][1] += exact.train[i] / draws;
      }),
    );
  }
  const stats = (v: number[]) => {
    const mean = v.reduce((p, x) => p + x, 0) / v.length;
    const se = Math.sqrt(v.reduce((p, x) => p + (x - mean) ** 2, 0) / (v.length - 1) / v.length);
    return [mean, se];
  };
  sigmas.forEach((sigma, s) =>
    t.forEach((tj, j) => {
      const [tm, ts] = stats(rel[s][j]).map((x) => x / exactMean[s][j][0]);
      const [rm, rs] = stats(relTrain[s][j]).map((x) => x / exactMean[s][j][1]);
      rows.push({ P: config.P, B: config.batch, sigma, t: tj, exactTest: exactMean[s][j][0], exactTrain: exactMean[s][j][1], testRelError: tm, testRelErrorSe: ts, trainRelError: rm, trainRelErrorSe: rs });
      process.stderr.write(
        `P=${config.P} B=${config.batch} sigma=${sigma} t=${tj}: test ${exactMean[s][j][0].toPrecision(4)} closure rel ${(100 * tm).toFixed(2)} +- ${(100 * ts).toFixed(2)} % | train ${exactMean[s][j][1].toPrecision(4)} closure rel ${(100 * rm).toFixed(2)} +- ${(100 * rs).toFixed(2)} %\n`,
      );
    }),
  );
}
process.stdout.write(JSON.stringify({ generated: 'scripts/reuse/closure-exact.ts', parameters: { M, a, b, eta, sigmas, t, draws, seed, N: 'Infinity', configs }, rows }, null, 1) + '\n');

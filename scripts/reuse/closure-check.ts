/**
 * The closure of THEORY (E28b) at fixed data and A against the sampled finite
 * model (src/simulation/sgd-reuse.ts), paired on the same draws.
 *
 * For each seed index (data Psi, labels, projection A exactly as the simulator
 * draws them, ensemble 1) this evaluates the closed recursions of E28b in the
 * eigenbasis of K = Phi^T Phi / P (mu_i, U):
 *   x_i(t+1) = A_ii x_i(t) + (eta^2/B) kappa' mu_i Lhat(t),   x_i(0) = 0,
 *   z_ij(t)  = beta_i beta_j (A_ij^t - c_ij^t) / (mu_i mu_j),
 *   c_ij = (1 - eta mu_i)(1 - eta mu_j), A_ij = c_ij + (eta^2/B) rho' mu_i mu_j,
 *   kappa' = P/(P+2), rho' = (P-2)/(P+2),
 *   Lhat(t) = Lhat_GD(t) + sum_i mu_i (x_i + z_ii),
 *   L(t)    = L_GD(t) + sum_i O_ii x_i + sum_ij O_ij z_ij,  O = U^T B Lambda B^T U,
 * with beta = U^T Phi^T y / P, and GD's exact mean (seed.ts's formulas), and
 * compares with the sampled run of the same seed (runSeed). Prints, per
 * configuration, sigma and step: the simulator's mean and s.e. over seeds,
 * the closure's mean, and the paired mean difference with its s.e.; beside
 * them the exact expected loss of one-pass SGD (P = Infinity, sgd.ts) at the
 * same draws of A, to show where the reuse of the P samples departs from it.
 *
 * Rerun: npx tsx scripts/reuse/closure-check.ts [seeds] > docs/data/reuse-closure.json
 * (progress on stderr; the table is also printed to stderr).
 */
import { makeDynamics } from '../../src/dynamics/index.js';
import { powerLawSpectrum } from '../../src/spectrum/index.js';
import { prepareSimulation } from '../../src/simulation/simulate.js';
import { drawData, featureMap, runSeed, type SeedSetup } from '../../src/simulation/seed.js';
import { gramColumns, matmul, matmulTransA, symmetricEigen } from '../../src/simulation/linalg.js';

interface Config {
  readonly P: number;
  readonly batch: number;
}

const seeds = Number(process.argv[2] ?? 12);
const N = 256;
const M = 1000;
const a = 2;
const b = 1.5;
const eta = 0.5;
const sigmas = [0, 0.3];
const t = (process.env.TMAX ? [10, 30, 100, 300, 1000].filter((x) => x <= Number(process.env.TMAX)) : [10, 30, 100, 300, 1000, 3000, 10000, 20000]);
const configs: Config[] = [
  { P: 256, batch: 4 },
  { P: 256, batch: 8 },
  { P: 512, batch: 4 },
  { P: 512, batch: 8 },
];
const seed = 2026;

/** The closure of E28b at one seed's data and A (module comment): test and train per sigma and time, [s * T + j]. */
function closure(setup: SeedSetup, index: number, batch: number): { test: Float64Array; train: Float64Array } {
  const { lambda, wstar, P, sigmas: sg, t: times } = setup;
  const T = times.length;
  const S = sg.length;
  const data = drawData(setup, index);
  const Bt = featureMap(setup, index, 0) as Float64Array;
  const nf = Bt.length / M;
  const Phi = matmul(data.Psi, Bt, P, M, nf);
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
  const h = project(matmulTransA(Bt, lw, M, nf, 1));
  let q0 = 0;
  for (let k = 0; k < M; k++) q0 += lambda[k] * wstar[k] * wstar[k];
  const X = new Float64Array(M * nf);
  for (let k = 0; k < M; k++) {
    const sl = Math.sqrt(lambda[k]);
    for (let i = 0; i < nf; i++) X[k * nf + i] = sl * Bt[k * nf + i];
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
      for (let i = 0; i < nf; i++) mhat[i] = mu[i] > tol ? (beta[i] * -Math.expm1(step * Math.log1p(-eta * mu[i]))) / mu[i] : 0;
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

const rows: Array<Record<string, number | string>> = [];
for (const config of configs) {
  const { setup } = prepareSimulation(
    { spectrum: powerLawSpectrum({ a, b, M }), N, P: config.P, sigma: sigmas, t, seeds, seed, dynamics: makeDynamics({ optimizer: 'sgd', lr: eta, batch: config.batch }) },
    { ensemble: 1, maxSeconds: Infinity },
  );
  const onePass = prepareSimulation(
    { spectrum: powerLawSpectrum({ a, b, M }), N, P: Infinity, sigma: sigmas, t, seeds, seed, dynamics: makeDynamics({ optimizer: 'sgd', lr: eta, batch: config.batch }) },
    { ensemble: 1, maxSeconds: Infinity },
  ).setup;
  const T = t.length;
  const fresh: Float64Array[] = [];
  const sim: Float64Array[][] = [[], []];
  const clo: Float64Array[][] = [[], []];
  for (let index = 0; index < seeds; index++) {
    const out = runSeed(setup, index);
    if (out.instability !== undefined) throw new Error(`unstable at seed ${index}`);
    const c = closure(setup, index, config.batch);
    fresh.push(runSeed(onePass, index).test);
    sim[0].push(out.test);
    sim[1].push(out.train);
    clo[0].push(c.test);
    clo[1].push(c.train);
    process.stderr.write(`P=${config.P} B=${config.batch} seed ${index}\n`);
  }
  for (let s = 0; s < sigmas.length; s++) {
    for (let j = 0; j < T; j++) {
      const row: Record<string, number | string> = { P: config.P, B: config.batch, sigma: sigmas[s], t: t[j] };
      row.onePassTest = fresh.reduce((p, v) => p + v[s * T + j], 0) / seeds;
      for (const [q, name] of [[0, 'test'], [1, 'train']] as const) {
        const x = sim[q].map((v) => v[s * T + j]);
        const y = clo[q].map((v) => v[s * T + j]);
        const mean = (v: number[]) => v.reduce((p, z) => p + z, 0) / v.length;
        const se = (v: number[]) => {
          const m = mean(v);
          return Math.sqrt(v.reduce((p, z) => p + (z - m) ** 2, 0) / (v.length - 1) / v.length);
        };
        const d = x.map((xi, i) => y[i] - xi);
        row[`${name}Sim`] = mean(x);
        row[`${name}SimSe`] = se(x);
        row[`${name}Closure`] = mean(y);
        row[`${name}PairedDiff`] = mean(d);
        row[`${name}PairedSe`] = se(d);
      }
      rows.push(row);
      const f = (v: number) => v.toPrecision(4);
      process.stderr.write(
        `P=${config.P} B=${config.batch} sigma=${sigmas[s]} t=${t[j]}: test sim ${f(row.testSim as number)} +- ${f(row.testSimSe as number)} closure ${f(row.testClosure as number)} (${f((100 * (row.testPairedDiff as number)) / (row.testSim as number))} % , z ${f((row.testPairedDiff as number) / (row.testPairedSe as number))}) one-pass ${f(row.onePassTest as number)} | train sim ${f(row.trainSim as number)} +- ${f(row.trainSimSe as number)} closure ${f(row.trainClosure as number)} (${f((100 * (row.trainPairedDiff as number)) / (row.trainSim as number))} %, z ${f((row.trainPairedDiff as number) / (row.trainPairedSe as number))})\n`,
      );
    }
  }
}
process.stdout.write(JSON.stringify({ generated: 'scripts/reuse/closure-check.ts', parameters: { seeds, seed, N, M, a, b, eta, sigmas, t, configs }, rows }, null, 1) + '\n');

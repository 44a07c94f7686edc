/**
 * The random-feature model trained by minibatch SGD on real samples (THEORY
 * E28b on a data set, E30): per seed, P distinct samples drawn from the n
 * (drawTrainingSet, as the gradient-flow experiment), the projection A drawn
 * as there (same streams, so a seed's data and A are those of the GD
 * experiment), then w <- w - (eta/B) phi^T (phi w - y) over B rows drawn
 * uniformly with replacement from the P (stream STREAM_REAL_SGD), or by epochs
 * of a random permutation. Test loss over the population
 * (u^T Sigma u - 2 u^T b + mean(y^2), u = A^T w / sqrt(N)), train loss over the P.
 * Cost per seed: N P D (the features) + t B N (the steps) + (D^2 + D N + P N) per recorded time.
 */
import { InvalidArgumentError } from '../core/errors.js';
import { matmul } from './linalg.js';
import { Xoshiro128 } from './random.js';
import { drawTrainingSet, liveFeatures, STREAM_REAL_PROJECTION, type RealDataMoments, type RealDataPopulation } from './real-data.js';
import type { ReuseSampling } from '../dynamics/index.js';

/** Stream of the minibatch draws (distinct from the samples' and the projection's). */
export const STREAM_REAL_SGD = 23;

export interface RealDataSgdProblem {
  readonly N: number;
  readonly P: number;
  /** Whole step counts, ascending order not required. */
  readonly t: readonly number[];
  readonly lr: number;
  readonly batch: number;
  readonly sampling?: ReuseSampling;
  readonly seeds: number;
  readonly seed: number;
}

/** Largest operation count per seed accepted (as REAL_DATA_MAX_WORK of the GD experiment). */
export const REAL_DATA_SGD_MAX_WORK = 2e10;

/**
 * Operations charged per (step, batch row, width) of the SGD loop, against the matrix kernels' rate of the
 * features (REAL_DATA_COST's 1e9 per second): a dot product, an axpy, the index draw and loop overhead in plain
 * JS. Measured on MNIST pixels, N = 256, P = 512, B = 8, 6 seeds: 0.56 s at t = 10 (the features) and 5.31 s at
 * t = 3e4, i.e. 0.79 s a seed for 6.1e7 row-widths = 13 operations each (load 7-14 on two cores); 15 for margin.
 */
const SGD_STEP_OPERATIONS = 15;

/** Operations of one seed (the cost model of the file comment, the step term weighted by SGD_STEP_OPERATIONS). */
export function realDataSgdWork(D: number, problem: Pick<RealDataSgdProblem, 'N' | 'P' | 't' | 'batch'>): number {
  const tMax = Math.max(0, ...problem.t);
  return problem.N * problem.P * D + SGD_STEP_OPERATIONS * tMax * problem.batch * problem.N + problem.t.length * (D * D + D * problem.N + problem.P * problem.N);
}

function validate(pop: RealDataPopulation, p: RealDataSgdProblem): void {
  if (!Number.isInteger(p.N) || p.N < 1) throw new InvalidArgumentError('N', 'must be an integer >= 1', p.N);
  if (!Number.isInteger(p.P) || p.P < 1 || p.P > pop.n) throw new InvalidArgumentError('P', `must be an integer in [1, n = ${pop.n}] (drawn without replacement)`, p.P);
  if (!Number.isInteger(p.batch) || p.batch < 1) throw new InvalidArgumentError('batch', 'must be an integer >= 1', p.batch);
  if (!(p.lr > 0 && Number.isFinite(p.lr))) throw new InvalidArgumentError('lr', 'must be a finite number > 0', p.lr);
  if (p.sampling !== undefined && p.sampling !== 'replacement' && p.sampling !== 'epochs') throw new InvalidArgumentError('sampling', "must be 'replacement' or 'epochs'", p.sampling);
  if (!Number.isInteger(p.seeds) || p.seeds < 2) throw new InvalidArgumentError('seeds', 'must be an integer >= 2', p.seeds);
  if (!Number.isSafeInteger(p.seed) || p.seed < 0) throw new InvalidArgumentError('seed', 'must be an integer >= 0', p.seed);
  if (p.t.length === 0) throw new InvalidArgumentError('t', 'must list at least one step count', p.t);
  for (const ti of p.t) if (!(Number.isInteger(ti) && ti >= 0)) throw new InvalidArgumentError('t', 'must list whole step counts >= 0 (SGD counts steps)', ti);
  const work = realDataSgdWork(pop.D, p);
  if (work > REAL_DATA_SGD_MAX_WORK) throw new InvalidArgumentError('t', `needs ${work.toExponential(2)} operations per seed, above the limit ${REAL_DATA_SGD_MAX_WORK.toExponential(0)}`, Math.max(...p.t));
}

/** One seed: test and train loss at every requested step count (a diverged run shows as non-finite values). */
export function realDataSgdSeed(pop: RealDataPopulation, moments: RealDataMoments, problem: RealDataSgdProblem, seedIndex: number): { test: Float64Array; train: Float64Array } {
  const features = liveFeatures(pop, moments);
  const { psi, columns } = features;
  const D = columns.length;
  const { N, P, seed, lr, batch } = problem;
  const rows = drawTrainingSet(pop.n, P, seed, seedIndex);
  const X = new Float64Array(P * D);
  const yP = new Float64Array(P);
  for (let p = 0; p < P; p++) {
    X.set(psi.subarray(rows[p] * D, rows[p] * D + D), p * D);
    yP[p] = pop.y[rows[p]];
  }
  const drawn = new Xoshiro128([seed, seedIndex, STREAM_REAL_PROJECTION]).fillNormal(new Float64Array(pop.D * N), 1 / Math.sqrt(N));
  const At = new Float64Array(D * N);
  for (let q = 0; q < D; q++) At.set(drawn.subarray(columns[q] * N, columns[q] * N + N), q * N);
  const Phi = matmul(X, At, P, D, N); // THEORY (E3): Phi = Psi_P A^T / sqrt(N)
  const order = problem.t.map((_, j) => j).sort((x, y) => problem.t[x] - problem.t[y]);
  const T = problem.t.length;
  const test = new Float64Array(T);
  const train = new Float64Array(T);
  const w = new Float64Array(N);
  const rng = new Xoshiro128([seed, seedIndex, STREAM_REAL_SGD]);
  const perm = Int32Array.from({ length: P }, (_, i) => i);
  let cursor = P; // epochs: position in the current permutation (P: draw a new one)
  const draw = (): number => {
    if (problem.sampling !== 'epochs') return Math.floor(rng.nextDouble() * P);
    if (cursor === P) {
      for (let i = P - 1; i > 0; i--) {
        const j = Math.floor(rng.nextDouble() * (i + 1));
        const tmp = perm[i];
        perm[i] = perm[j];
        perm[j] = tmp;
      }
      cursor = 0;
    }
    return perm[cursor++];
  };
  const grad = new Float64Array(N);
  const u = new Float64Array(D);
  const record = (j: number) => {
    // train: (1/P) sum_p (phi_p w - y_p)^2; test over the population via u = A^T w / sqrt(N) = At w.
    let tr = 0;
    for (let p = 0; p < P; p++) {
      let f = 0;
      const row = p * N;
      for (let i = 0; i < N; i++) f += Phi[row + i] * w[i];
      const r = f - yP[p];
      tr += r * r;
    }
    train[j] = tr / P;
    for (let q = 0; q < D; q++) {
      let s = 0;
      const row = q * N;
      for (let i = 0; i < N; i++) s += At[row + i] * w[i];
      u[q] = s;
    }
    let L = moments.meanY2;
    for (let q = 0; q < D; q++) {
      let s = 0;
      const row = q * D;
      for (let r = 0; r < D; r++) s += features.sigma[row + r] * u[r];
      L += u[q] * s - 2 * u[q] * features.b[q];
    }
    test[j] = L;
  };
  let step = 0;
  const scale = lr / batch;
  for (const j of order) {
    const target = problem.t[j];
    for (; step < target; step++) {
      grad.fill(0);
      for (let k = 0; k < batch; k++) {
        const sample = draw();
        const row = sample * N;
        let f = 0;
        for (let i = 0; i < N; i++) f += Phi[row + i] * w[i];
        const r = f - yP[sample];
        for (let i = 0; i < N; i++) grad[i] += r * Phi[row + i];
      }
      for (let i = 0; i < N; i++) w[i] -= scale * grad[i];
    }
    record(j);
  }
  return { test, train };
}

/** Every seed: per-seed test and train losses [seed][time]. */
export function runRealDataSgd(pop: RealDataPopulation, moments: RealDataMoments, problem: RealDataSgdProblem): { perSeedTest: Float64Array[]; perSeedTrain: Float64Array[]; msPerSeed: number } {
  validate(pop, problem);
  const perSeedTest: Float64Array[] = [];
  const perSeedTrain: Float64Array[] = [];
  const start = performance.now();
  for (let s = 0; s < problem.seeds; s++) {
    const r = realDataSgdSeed(pop, moments, problem, s);
    perSeedTest.push(r.test);
    perSeedTrain.push(r.train);
  }
  return { perSeedTest, perSeedTrain, msPerSeed: (performance.now() - start) / problem.seeds };
}

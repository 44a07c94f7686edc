/**
 * Size estimate of a simulation before anything is allocated: peak memory and
 * wall time from (M, N, P, seeds, times, sigmas, ensemble, workers, dynamics),
 * so that a big request is refused with the limit named instead of ending in
 * "Array buffer allocation failed" after minutes.
 *
 * Memory: the arrays seed.ts, spectral.ts and sgd.ts hold at once for one
 * seed (per worker), plus the per-seed outputs every seed keeps until the
 * aggregation (the residual means are S x M x T each), plus the setup. Counted
 * in doubles, rounded up; the largest single array is reported too (a typed
 * array cannot exceed buffer.constants.MAX_LENGTH bytes).
 *
 * Time: counts of the operations that dominate (normals drawn, matmul
 * multiply-adds, Gram multiply-adds, n^3 of the tridiagonal reduction, n^2
 * per column for U X, SGD per sample and mode, recursion per step and mode,
 * per mode and time), each times a constant measured on the development
 * machine by scripts/simulation/calibrate-estimate.ts (TIME_CONSTANTS below).
 * The machine was shared (load average 12-16 on 2 cores), so the constants are
 * pessimistic for an idle machine by about 2-3x; they are meant to separate a
 * minute from an hour, not to predict a run to 10 %.
 */

import { wasmScratchBytes } from './wasm.js';

/**
 * Seconds per unit, from `npx tsx scripts/simulation/calibrate-estimate.ts`
 * (Node 20.20, 2-core AMD EPYC dev VM, 2026-11-27): the smallest of four
 * runs at load averages 11.9-16.3 (other jobs on both cores), so an idle
 * machine is faster by roughly 2-3x. multiplyAdd, gram and applyColumn were
 * re-measured for the WebAssembly SIMD kernels (wasm.ts): the larger of two
 * runs at load average 8.5-8.8. Checked against whole runs in
 * bench/simulation.ts, which prints the estimate beside the measured time.
 */
export const TIME_CONSTANTS = Object.freeze({
  /** One N(0, 1) draw (polar method). */
  normal: 4.1e-8,
  /** One multiply-add of the blocked matmul (SIMD kernel; the JS fallback is about 3-4x slower). */
  multiplyAdd: 3.9e-10,
  /** One multiply-add of a Gram matrix (upper triangle, SIMD kernel). */
  gram: 6.7e-10,
  /** n^3 of the implicit eigensolver (Householder + QL with recorded rotations). */
  tridiagonal: 1.1e-9,
  /** n^2 per column of U X or U^T b (rotations and reflectors; U X in the SIMD kernels). */
  applyColumn: 1.7e-9,
  /** Per step, sample and mode of the sampled SGD run (M (n_f + 2)). */
  sgdSampleMode: 5.6e-9,
  /**
   * Per step, sample and feature of the sampled SGD run on P fixed rows (signal and noise parts together; sgd-reuse.ts).
   * Measured 4.69e-8 on 2026-12-07 at load average 17.7, where the constants above re-measured at 1.6-6x their
   * values (median 2.2x): 4.69e-8 / 2.2.
   */
  reuseSampleFeature: 2.1e-8,
  /** Per step and mode of the SGD recursion (signal and noise parts together count 2). */
  recursionStep: 6.1e-9,
  /** Per mode, time and sigma of the residual bookkeeping (loss sums, means). */
  modeTime: 6.2e-8,
});

/** Defaults of SimulationOptions.maxBytes / maxSeconds. */
export const DEFAULT_MAX_BYTES = 8 * 2 ** 30;
export const DEFAULT_MAX_SECONDS = 3600;

export interface SimulationSize {
  readonly M: number;
  readonly N: number;
  readonly P: number;
  readonly seeds: number;
  /** Number of times. */
  readonly T: number;
  /** Largest time (steps for the discrete optimizers; drives the SGD loops and the momentum powering). */
  readonly tMax: number;
  /** Number of sigmas. */
  readonly S: number;
  readonly ensemble: number;
  readonly workers: number;
  /** One-pass SGD and the like: sampled runs (src/dynamics: supports.stochastic). */
  readonly stochastic: boolean;
  /** The optimizer's propagator cost per eigenvalue and time (src/dynamics: supports.propagatorCost). */
  readonly propagatorCost: 'closed-form' | 'log-steps' | 'sampled';
  readonly batch: number;
  readonly sgdMethod: 'exact' | 'trace-only' | 'sampled';
}

/** The estimate returned by estimateSimulation. */
export interface SimulationEstimate {
  /** Peak bytes (all workers' working sets, every seed's outputs, the setup). */
  readonly bytes: number;
  /** The largest single array in bytes. */
  readonly largestArrayBytes: number;
  /** Estimated wall seconds on this machine class (module comment). */
  readonly seconds: number;
  readonly secondsPerSeed: number;
  /** Seconds per seed by part. */
  readonly parts: Readonly<Record<string, number>>;
  /** The dimension that contributes most to the memory (for the refusal message). */
  readonly dominant: { readonly argument: 'M' | 'N' | 'P' | 'seeds' | 't'; readonly value: number };
  /** How the seconds were obtained. */
  readonly calibration: string;
}

const D = 8; // bytes per double

/** The estimate for validated sizes (no allocation). */
export function estimateFromSize(size: SimulationSize, cores: number): SimulationEstimate {
  const { M, N, P, seeds, T, tMax, S, ensemble, workers, stochastic, propagatorCost, batch, sgdMethod } = size;
  const c = TIME_CONSTANTS;
  const finiteN = Number.isFinite(N);
  const finiteP = Number.isFinite(P);
  const nf = finiteN ? Math.min(N, M) : M;
  const projections = finiteN ? ensemble : 1;
  const width = finiteP || (stochastic && sgdMethod === 'sampled') ? 2 * T : T;
  const arrays: Array<[string, number, 'M' | 'N' | 'P' | 't']> = [];
  const parts: Record<string, number> = {};
  const add = (part: string, seconds: number) => {
    parts[part] = (parts[part] ?? 0) + seconds;
  };

  // Per-seed outputs kept for every seed: vbar (S M T) plus test/train/testA.
  const outputDoubles = S * M * T + 3 * S * T;
  arrays.push(['vbar', S * M * T, M >= T ? 'M' : 't']);
  add('residual bookkeeping', c.modeTime * S * M * T * projections);

  let working = 0;
  if (!finiteN && !finiteP && !stochastic) {
    working = 2 * M * T;
    add('closed form', c.modeTime * M * T);
  } else {
    // Feature map: A^T (M x N) drawn, plus F and its Cholesky factor when N > M.
    let mapDoubles = 0;
    if (finiteN) {
      mapDoubles = M * N + (N > M ? 2 * M * M : 0);
      arrays.push(['A', M * N, M >= N ? 'M' : 'N']);
      add('normals', c.normal * M * N * projections);
      if (N > M) add('feature Gram and Cholesky', c.gram * (M * M * N) / 2 * projections + c.gram * (M ** 3) / 3 * projections);
    }
    const reuse = stochastic && finiteP; // sgd-reuse.ts: no decomposition, the run itself
    let decomposed: number;
    let dataDoubles = 0;
    let productDoubles = 0;
    if (finiteP) {
      dataDoubles = P * M + 2 * P;
      arrays.push(['Psi', P * M, P >= M ? 'P' : 'M']);
      add('normals', c.normal * (P * M + P));
      if (finiteN) {
        productDoubles = P * nf;
        arrays.push(['Phi', P * nf, P >= nf ? 'P' : N <= M ? 'N' : 'M']);
        add('Phi = Psi B^T', c.multiplyAdd * P * M * nf * projections);
      }
      decomposed = reuse ? 0 : Math.min(nf, P);
      if (reuse) {
        add('sampled SGD', c.reuseSampleFeature * tMax * batch * nf * projections + c.multiplyAdd * 2 * P * nf * T * projections);
      } else add('kernel Gram', c.gram * (nf <= P ? (P * nf * nf) / 2 : (P * P * nf) / 2) * projections);
      if (nf > P && !reuse) add('w = Phi^T Y', c.multiplyAdd * P * nf * width * projections);
    } else {
      decomposed = nf;
      productDoubles = M * nf;
      arrays.push(['Lambda^1/2 B^T', M * nf, M >= nf ? 'M' : 'N']);
      if (!(stochastic && !finiteN)) add('kernel Gram', c.gram * ((M * nf * nf) / 2) * projections);
    }
    const n = stochastic && !finiteN ? 0 : decomposed;
    // Eigensolver: the matrix, its working copy, the rotation log (about 1.02 n^2 rotations x 20 bytes, capacity 1.25 n^2).
    const eigenDoubles = 2 * n * n + Math.ceil((1.25 * n * n * 20) / D);
    arrays.push(['kernel', n * n, finiteP && nf > P ? 'P' : N <= M ? 'N' : 'M']);
    add('eigensolver', c.tridiagonal * n ** 3 * projections + c.applyColumn * n * n * (width + 2) * projections);
    // Thin matrices: X, Y^T, Y (n x width), w (n_f x width), V (M x width).
    const thinDoubles = 3 * n * width + nf * width + M * width;
    add('V = B^T w', finiteN ? c.multiplyAdd * M * nf * width * projections : 0);
    if (propagatorCost === 'log-steps') add('momentum powering', 2e-8 * n * T * Math.max(1, Math.log2(tMax + 1)) * projections);
    if (stochastic && !reuse) {
      if (sgdMethod === 'sampled') add('sampled SGD', c.sgdSampleMode * tMax * batch * M * (nf + 2) * projections);
      else add('SGD recursion', c.recursionStep * 2 * tMax * (finiteN ? nf : M) * projections);
    }
    // The SIMD kernels' memory (wasm.ts), grown once per thread and kept.
    const scratchDoubles = Math.ceil(wasmScratchBytes(n, width) / D);
    working = dataDoubles + mapDoubles + productDoubles + eigenDoubles + thinDoubles + scratchDoubles + 4 * M;
  }

  const setupDoubles = 3 * M + T + S;
  const parallel = Math.max(1, Math.min(workers, cores, seeds));
  const bytes = D * (setupDoubles + parallel * working + seeds * outputDoubles);
  let largest = arrays[0];
  for (const a of arrays) if (a[1] > largest[1]) largest = a;
  const secondsPerSeed = Object.values(parts).reduce((s, x) => s + x, 0);
  // The dominant dimension of the memory: seeds when the kept outputs dominate, otherwise that of the largest array.
  const dominant =
    seeds * outputDoubles > parallel * working
      ? seeds >= M * T * S
        ? { argument: 'seeds' as const, value: seeds }
        : { argument: (M >= T ? 'M' : 't') as 'M' | 't', value: M >= T ? M : T }
      : { argument: largest[2], value: largest[2] === 'M' ? M : largest[2] === 'N' ? N : largest[2] === 'P' ? P : T };
  return {
    bytes,
    largestArrayBytes: D * largest[1],
    seconds: (secondsPerSeed * seeds) / parallel,
    secondsPerSeed,
    parts,
    dominant,
    calibration:
      'operation counts times per-operation seconds measured by scripts/simulation/calibrate-estimate.ts on the 2-core development VM (shared, load average 12-16; pessimistic for an idle machine by about 2-3x)',
  };
}

/** "1.5 GB", "820 MB", "12 kB" (decimal units). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let u = 0;
  while (value >= 1000 && u < units.length - 1) {
    value /= 1000;
    u++;
  }
  return `${value.toPrecision(value >= 100 ? 3 : 2)} ${units[u]}`;
}

/** "45 s", "12 min", "3.1 h", "40 days". */
export function formatSeconds(seconds: number): string {
  if (seconds < 120) return `${seconds.toPrecision(2)} s`;
  if (seconds < 7200) return `${(seconds / 60).toPrecision(2)} min`;
  if (seconds < 172800) return `${(seconds / 3600).toPrecision(2)} h`;
  return `${(seconds / 86400).toPrecision(2)} days`;
}

/**
 * Estimated wall time of the real-data work, so that a request too large is
 * refused before it starts (as the simulator's estimate refuses --simulate):
 * the trained-model experiment over seeds, the residual bootstrap of a
 * spectrum fit and the bootstrap over samples. The estimates are upper-side
 * (measured on the 2-core reference machine under load); they are there to
 * refuse 1e9 replicates at once, not to predict a run to the second.
 */
import { DATA_LIMITS } from './dataset.js';

export const REAL_DATA_COST = Object.freeze({
  /**
   * Seconds per operation of one experiment seed: N P D (the features
   * Psi_P A^T) + min(N, P)^3 (the kernel's eigendecomposition) + D^2 T + D N T
   * (the population test loss at T times); 1e9 operations per second, the
   * rate src/simulation/real-data.ts quotes for its own work limit.
   */
  secondsPerOperation: 1e-9,
  /**
   * Seconds per residual-bootstrap replicate and mode (at least 2000 modes
   * counted): measured 2.0 ms per replicate at M = 500 and 4.0 ms at M = 5000
   * on the reference machine at load ~10 (1.7 and 2.5 ms at load 17;
   * fitSpectrum with 50 and 1050 replicates, interleaved; rerun:
   * npx tsx scripts/cli/replicate-cost.ts).
   */
  secondsPerReplicateMode: 1e-6,
  minimumModes: 2000,
});

/** Seconds of `compareWithExperiment` (the trained model only; the DMFT curves are cheap beside it). */
export function estimateExperimentSeconds(grid: { readonly N: readonly number[]; readonly P: readonly number[]; readonly seeds: number; readonly times: number }, D: number): number {
  let operations = 0;
  for (const N of grid.N) {
    for (const P of grid.P) operations += N * P * D + Math.min(N, P) ** 3 + D * D * grid.times + D * N * grid.times;
  }
  return grid.seeds * operations * REAL_DATA_COST.secondsPerOperation;
}

/** Seconds of fitting `replicates` bootstrap spectra of `modes` modes (each replicate is refitted). */
export function estimateReplicateFitSeconds(replicates: number, modes: number): number {
  return replicates * Math.max(modes, REAL_DATA_COST.minimumModes) * REAL_DATA_COST.secondsPerReplicateMode;
}

/**
 * Seconds of the bootstrap over samples: per replicate a d x d covariance of
 * n samples (n d^2 operations), its eigendecomposition (DATA_LIMITS'
 * measured d^3 rate) and a refit of the d modes.
 */
export function estimateSampleBootstrapSeconds(replicates: number, n: number, d: number): number {
  const perReplicate = n * d * d * REAL_DATA_COST.secondsPerOperation + DATA_LIMITS.eigenSecondsPerCube * d ** 3;
  return replicates * perReplicate + estimateReplicateFitSeconds(replicates, d);
}

/** Monte Carlo simulator of the finite random-feature model (THEORY E1-E6, E14, E16a) under every training dynamics (E25-E28). */
export {
  simulate,
  prepareSimulation,
  estimateSimulation,
  PRNG_DESCRIPTION,
  SIMULATOR_VERSION,
  type Estimate,
  type SigmaResult,
  type SimulationOptions,
  type SimulationParameters,
  type SimulationProblem,
  type SimulationResult,
  type SimulationTiming,
} from './simulate.js';
export { propagatorFactors, type LinearDynamics } from './propagators.js';
export { runSeed, type SeedOutput, type SeedSetup, type DecomposedForm } from './seed.js';
export { Xoshiro128 } from './random.js';
export { symmetricEigen, denseSpectralOperator, matmul, gramColumns, gramRows, matmulTransA, cholesky, transpose, type SymmetricEigen, type ProductKernels } from './linalg.js';
export { wasmAvailable } from './wasm.js';
export { symmetricEigenOperator, type SpectralOperator } from './spectral.js';
export { TIME_CONSTANTS, DEFAULT_MAX_BYTES, DEFAULT_MAX_SECONDS, type SimulationEstimate } from './estimate.js';
export type { SgdMethod } from './sgd.js';
export { runRealDataSgd, realDataSgdSeed, realDataSgdWork, REAL_DATA_SGD_MAX_WORK, STREAM_REAL_SGD, type RealDataSgdProblem } from './real-data-sgd.js';

/**
 * Monte Carlo simulator of the finite random-feature model (THEORY E1-E6):
 * the ground truth the DMFT (E9-E16) must match. See seed.ts for the exact
 * gradient-flow solution of one seed, propagators.ts for ridge, GD and
 * momentum (E25-E27), sgd.ts for one-pass SGD (E28), sgd-reuse.ts for SGD on
 * P fixed samples (E28b); this module validates
 * the problem, refuses runs whose estimated size exceeds the limits
 * (estimate.ts), runs the seeds (in order, or on worker threads) and turns
 * per-seed numbers into means and standard errors. A run whose dynamics
 * diverge reports status 'unstable' and one whose eigensolver did not
 * converge 'max_iter', both without numbers.
 *
 * Estimators (THEORY E14, E16a), for each sigma and time:
 *  - test, train: mean over seeds of the per-seed ensemble mean; gap = test -
 *    train per seed, then averaged (so its s.e. accounts for the correlation).
 *  - testA (L_A, infinite ensemble over A at fixed data): per seed, the
 *    unbiased U-statistic sigma^2 + mean_{r != r'} v_r^T Lambda v_r' over the
 *    `ensemble` independent projections trained on the same data and noise;
 *    then mean and s.e. over seeds (seeds are independent).
 *  - bias B (infinite ensemble over A and data): the cross-seed U-statistic
 *    B = mean_{s != s'} vbar_s^T Lambda vbar_s', vbar_s the ensemble-mean
 *    residual of seed s. Seeds have independent A, data and noise, so every
 *    term has expectation E[v]^T Lambda E[v] = B exactly (unbiased). Its s.e.
 *    is the jackknife over seeds (delete-one U-statistics, Efron & Stein
 *    1981), which is consistent for U-statistics (Arvesen 1969); it needs at
 *    least 3 seeds (NaN otherwise), and B itself needs 2.
 * The s.e. of the per-seed quantities is the sample standard deviation over
 * seeds / sqrt(seeds) (NaN for one seed).
 */
import { InvalidArgumentError, requireSize } from '../core/errors.js';
import { worstStatus, type Status } from '../core/solution.js';
import { checkedDynamics, checkTimes, describeDynamics, dynamicsLabel, GRADIENT_FLOW, isStochastic, optimizerOf, samplesPerStep, type Dynamics } from '../dynamics/index.js';
import type { SgdMethod } from './sgd.js';
import { REUSE_SAMPLINGS, type ReuseSampling } from '../dynamics/index.js';
import { availableParallelism } from 'node:os';
import { constants as bufferConstants } from 'node:buffer';
import {
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_SECONDS,
  estimateFromSize,
  formatBytes,
  formatSeconds,
  type SimulationEstimate,
  type SimulationSize,
} from './estimate.js';

/** The largest typed array this Node allows (bytes). */
const MAX_ARRAY_BYTES = bufferConstants.MAX_LENGTH;
import { describeSpectrum, modeArrays, modeCount, type Spectrum } from '../spectrum/index.js';
import { runSeeds } from './pool.js';
import type { ProductKernels } from './linalg.js';
import { releaseWasmKernel, wasmAvailable } from './wasm.js';
import type { DecomposedForm, SeedOutput, SeedSetup } from './seed.js';

export const SIMULATOR_VERSION = '1.0.0';

/** A simulation problem: spectrum (finite M), N, P, sigma, times, seeds and base seed. */
export interface SimulationProblem {
  readonly spectrum: Spectrum;
  /** Model size (rows of A); Infinity for the kernel model f = w . psi. */
  readonly N: number;
  /** Training samples; Infinity for population gradient flow. */
  readonly P: number;
  /** Label-noise level(s), >= 0; all values share every random draw. */
  readonly sigma: number | readonly number[];
  /** Times t >= 0 (finite) at which the losses are evaluated. */
  readonly t: ArrayLike<number>;
  /** Number of independent seeds (>= 1). */
  readonly seeds: number;
  /** Base seed (safe integer >= 0); seed index s uses the streams keyed by (seed, s). */
  readonly seed: number;
  /** Training dynamics (src/dynamics); default unit-rate gradient flow (THEORY E5). */
  readonly dynamics?: Dynamics;
}

/** Settings of simulate: the ensemble of projections per seed and the worker threads. */
export interface SimulationOptions {
  /** Independent projections A per seed on the same data (>= 1, default 2; >= 2 for testA). */
  readonly ensemble?: number;
  /** Worker threads across seeds (default 1 = in this thread). Results do not depend on it. */
  readonly workers?: number;
  /**
   * 'implicit' (default): eigenvalues with U^T b and U X from reflectors and
   * recorded rotations (spectral.ts); 'dense': the full eigenvector matrix
   * (linalg.ts), the slower reference. Same numbers to round-off.
   */
  readonly eigensolver?: 'implicit' | 'dense';
  /**
   * 'wasm' (default): the products and U X in the WebAssembly SIMD kernels
   * (wasm.ts) where WebAssembly loads, the JS kernels otherwise; 'js': the JS
   * kernels. Both sum in the same order: the same numbers bit for bit.
   */
  readonly kernels?: ProductKernels;
  /**
   * One-pass SGD only (THEORY E28; sgd.ts): 'exact' (default) the exact
   * expected loss at each draw of A by the diagonal recursion, 'trace-only'
   * the same without the non-extensive Lambda C Lambda term (what the
   * Volterra equation approximates), 'sampled' seeded minibatch runs.
   */
  readonly sgdMethod?: SgdMethod;
  /**
   * SGD at finite P only (THEORY E28b; sgd-reuse.ts): how each step's B
   * indices are drawn from the P training rows, 'replacement' (default) or
   * 'epochs' (random permutations read B at a time). Such runs are always
   * sampled (sgdMethod 'sampled').
   */
  readonly sgdSampling?: ReuseSampling;
  /**
   * Refuse (InvalidArgumentError, before allocating) a run whose estimated
   * peak memory exceeds this many bytes (default 8 GiB; estimateSimulation).
   */
  readonly maxBytes?: number;
  /** Refuse a run whose estimated wall time exceeds this many seconds (default 3600). */
  readonly maxSeconds?: number;
}

/** A Monte Carlo estimate: means and standard errors per time. */
export interface Estimate {
  readonly mean: Float64Array;
  readonly stderr: Float64Array;
}

/** Estimates (mean and standard error) for one noise level: test, train, gap, L_A, bias. */
export interface SigmaResult {
  readonly sigma: number;
  /** Test loss L(t) = E[v^T Lambda v] + sigma^2 (THEORY E6). */
  readonly test: Estimate;
  /** Train loss (1/P)|Phi w - y|^2 (THEORY E6). */
  readonly train: Estimate;
  /** test - train (THEORY E16). */
  readonly gap: Estimate;
  /** L_A: infinite ensemble over A at fixed data (THEORY E16a). */
  readonly testA: Estimate;
  /** B(t): infinite ensemble over A and data (THEORY E14). */
  readonly bias: Estimate;
}

/** The parameters a simulation ran with, for provenance. */
export interface SimulationParameters {
  readonly spectrum: Record<string, unknown>;
  readonly M: number;
  readonly N: number;
  readonly P: number;
  readonly sigma: number[];
  readonly ensemble: number;
  readonly workers: number;
  readonly eigensolver: 'implicit' | 'dense';
  /** The training dynamics (describeDynamics) and, for SGD, the method. */
  readonly dynamics: Record<string, number | string>;
  readonly sgdMethod?: SgdMethod;
  readonly sgdSampling?: ReuseSampling;
  readonly teacherSign: 'positive';
  readonly prng: string;
  readonly version: string;
}

/** Timing of a simulation: per seed, total, and the decomposed matrix. */
export interface SimulationTiming {
  /** Mean wall time per seed (ms), measured inside the thread that ran it. */
  readonly msPerSeed: number;
  /** Total wall time of the call (ms). */
  readonly totalMs: number;
  /** Which matrix was eigendecomposed: n_f x n_f ('feature'), P x P ('sample'), or none (N = P = Infinity). */
  readonly form: DecomposedForm;
  readonly size: number;
  /** Decompositions per seed (one per projection A). */
  readonly decompositionsPerSeed: number;
  /** The kernels that ran the products and U X: 'wasm' only when asked for and WebAssembly loaded. */
  readonly kernels: ProductKernels;
}

/** The result of simulate: estimates per sigma, seeds, parameters, timing and status. */
export interface SimulationResult {
  readonly t: Float64Array;
  readonly results: SigmaResult[];
  readonly seeds: number;
  readonly seed: number;
  readonly parameters: SimulationParameters;
  readonly timing: SimulationTiming;
  /** 'converged' when every reported mean is finite; 'non_finite' otherwise. Undefined-by-design NaNs are listed in `message`. */
  readonly status: Status;
  readonly message?: string;
}

export const PRNG_DESCRIPTION =
  'xoshiro128** 1.1 seeded by splitmix64 of (seed, seedIndex, stream, index); normals by the Marsaglia polar method';

/** Validates a problem and builds the plain-data setup every seed uses. */
export function prepareSimulation(problem: SimulationProblem, options: SimulationOptions = {}): { setup: SeedSetup; workers: number } {
  const checked = validate(problem, options);
  const estimate = estimateFromSize(checked.size, availableParallelism());
  const maxBytes = checked.maxBytes;
  const maxSeconds = checked.maxSeconds;
  const { M, N, P, T, seeds } = checked.size;
  const shape = `M = ${M}, N = ${N}, P = ${P}, ${T} times, ${seeds} seeds`;
  if (estimate.bytes > maxBytes || estimate.largestArrayBytes > MAX_ARRAY_BYTES) {
    const { argument, value } = estimate.dominant;
    const limit =
      estimate.largestArrayBytes > MAX_ARRAY_BYTES
        ? `one array alone would take ${formatBytes(estimate.largestArrayBytes)}, above the ${formatBytes(MAX_ARRAY_BYTES)} a typed array can hold`
        : `above the limit of ${formatBytes(maxBytes)} (option maxBytes)`;
    throw new InvalidArgumentError(argument, `is too large for the simulation (${shape}): it needs about ${formatBytes(estimate.bytes)} of memory, ${limit}`, value);
  }
  if (estimate.seconds > maxSeconds) {
    const { argument, value } = largestTimeDriver(checked.size, estimate);
    throw new InvalidArgumentError(
      argument,
      `is too large for the simulation (${shape}): it would take about ${formatSeconds(estimate.seconds)}, above the limit of ${formatSeconds(maxSeconds)} (option maxSeconds)`,
      value,
    );
  }
  const { spectrum, dynamics, sigmas, t, ensemble, seed, eigensolver, kernels, sgdMethod, sgdSampling } = checked;
  const { lambda, c } = modeArrays(spectrum);
  const wstar = new Float64Array(M);
  // Teacher: w*_k = +sqrt(c_k / lambda_k) (THEORY E2, E7). Only c_k = lambda_k w*_k^2 is
  // given; the sign is fixed positive. The law of the losses does not depend on the
  // signs (Z -> Z D and A -> A D with D = diag(+-1) leave it invariant).
  for (let k = 0; k < M; k++) wstar[k] = Math.sqrt(c[k] / lambda[k]);
  const reuse = isStochastic(dynamics) && P !== Infinity;
  return { setup: { lambda, c, wstar, M, N, P, sigmas, t, ensemble, seed, eigensolver, kernels, dynamics, sgdMethod, ...(reuse ? { sgdSampling } : {}) }, workers: checked.workers };
}

/**
 * The memory and time a simulation will need, before anything is allocated
 * (estimate.ts: operation counts times constants calibrated on the
 * development machine). Validates the problem like `simulate` does, but does
 * not apply the limits.
 */
export function estimateSimulation(problem: SimulationProblem, options: SimulationOptions = {}): SimulationEstimate {
  return estimateFromSize(validate(problem, options).size, availableParallelism());
}

/** The argument whose growth drives the time most (for the refusal message). */
function largestTimeDriver(size: SimulationSize, estimate: SimulationEstimate): { argument: string; value: number } {
  const parts = estimate.parts;
  let top = '';
  let topSeconds = -1;
  for (const [part, seconds] of Object.entries(parts)) {
    if (seconds > topSeconds) {
      top = part;
      topSeconds = seconds;
    }
  }
  if (top === 'sampled SGD' || top === 'SGD recursion' || top === 'momentum powering') return { argument: 't', value: size.tMax };
  if (top === 'residual bookkeeping' || top === 'closed form') return size.M >= size.T ? { argument: 'M', value: size.M } : { argument: 't', value: size.T };
  if (estimate.secondsPerSeed < 60 && size.seeds > 1) return { argument: 'seeds', value: size.seeds };
  const candidates: Array<[string, number]> = [
    ['N', size.N],
    ['P', size.P],
    ['M', size.M],
  ];
  let best = candidates[2];
  for (const x of candidates) if (Number.isFinite(x[1]) && x[1] > best[1]) best = x;
  return { argument: best[0], value: best[1] };
}

interface CheckedProblem {
  readonly spectrum: Spectrum;
  readonly dynamics: Dynamics;
  readonly sigmas: Float64Array;
  readonly t: Float64Array;
  readonly ensemble: number;
  readonly seed: number;
  readonly workers: number;
  readonly eigensolver: 'implicit' | 'dense';
  readonly kernels: ProductKernels;
  readonly sgdMethod: SgdMethod;
  readonly sgdSampling: ReuseSampling;
  readonly maxBytes: number;
  readonly maxSeconds: number;
  readonly size: SimulationSize;
}

/** Every check of the input that allocates nothing proportional to M, N or P. */
function validate(problem: SimulationProblem, options: SimulationOptions): CheckedProblem {
  if (problem === null || typeof problem !== 'object') throw new InvalidArgumentError('problem', 'must be an object', problem);
  const spectrum = problem.spectrum;
  if (spectrum === null || typeof spectrum !== 'object' || (spectrum.kind !== 'power-law' && spectrum.kind !== 'custom')) {
    throw new InvalidArgumentError('spectrum', 'must be a Spectrum (powerLawSpectrum or customSpectrum)', spectrum);
  }
  const M = modeCount(spectrum);
  if (!Number.isFinite(M)) {
    throw new InvalidArgumentError('spectrum', 'must have finitely many modes M for the simulation (give M to powerLawSpectrum)', M);
  }
  const N = requireSize('N', problem.N);
  const P = requireSize('P', problem.P);
  const dynamics = checkedDynamics(problem.dynamics ?? GRADIENT_FLOW);
  const sigmaList = typeof problem.sigma === 'number' ? [problem.sigma] : problem.sigma;
  if (sigmaList === null || typeof sigmaList !== 'object' || typeof sigmaList.length !== 'number' || sigmaList.length < 1) {
    throw new InvalidArgumentError('sigma', 'must be a number >= 0 or a non-empty list of them', problem.sigma);
  }
  const sigmas = new Float64Array(sigmaList.length);
  for (let i = 0; i < sigmaList.length; i++) {
    const s = sigmaList[i];
    if (typeof s !== 'number' || !Number.isFinite(s) || s < 0) {
      throw new InvalidArgumentError(sigmaList.length === 1 ? 'sigma' : `sigma[${i}]`, 'must be a finite number >= 0', s);
    }
    sigmas[i] = s;
  }
  const tIn = problem.t;
  if (tIn === null || typeof tIn !== 'object' || typeof tIn.length !== 'number' || tIn.length < 1) {
    throw new InvalidArgumentError('t', 'must be a non-empty array of times >= 0', tIn);
  }
  const t = new Float64Array(tIn.length);
  for (let j = 0; j < tIn.length; j++) {
    const tj = tIn[j];
    if (typeof tj !== 'number' || !Number.isFinite(tj) || tj < 0) {
      throw new InvalidArgumentError(`t[${j}]`, 'must be a finite number >= 0', tj);
    }
    t[j] = tj;
  }
  checkTimes(dynamics, t);
  const seeds = problem.seeds;
  if (typeof seeds !== 'number' || !Number.isSafeInteger(seeds) || seeds < 1) {
    throw new InvalidArgumentError('seeds', 'must be an integer >= 1', seeds);
  }
  const seed = problem.seed;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
    throw new InvalidArgumentError('seed', 'must be a safe integer >= 0', seed);
  }
  const ensemble = options.ensemble ?? 2;
  if (typeof ensemble !== 'number' || !Number.isSafeInteger(ensemble) || ensemble < 1) {
    throw new InvalidArgumentError('ensemble', 'must be an integer >= 1', ensemble);
  }
  const workers = options.workers ?? 1;
  if (typeof workers !== 'number' || !Number.isSafeInteger(workers) || workers < 1) {
    throw new InvalidArgumentError('workers', 'must be an integer >= 1', workers);
  }
  const eigensolver = options.eigensolver ?? 'implicit';
  if (eigensolver !== 'implicit' && eigensolver !== 'dense') {
    throw new InvalidArgumentError('eigensolver', "must be 'implicit' or 'dense'", eigensolver);
  }
  const kernels = options.kernels ?? 'wasm';
  if (kernels !== 'wasm' && kernels !== 'js') {
    throw new InvalidArgumentError('kernels', "must be 'wasm' or 'js'", kernels);
  }
  const reuse = isStochastic(dynamics) && P !== Infinity;
  const sgdMethod = options.sgdMethod ?? (reuse ? 'sampled' : 'exact');
  if (sgdMethod !== 'exact' && sgdMethod !== 'trace-only' && sgdMethod !== 'sampled') {
    throw new InvalidArgumentError('sgdMethod', "must be 'exact', 'trace-only' or 'sampled'", sgdMethod);
  }
  if (reuse && sgdMethod !== 'sampled') {
    // THEORY (E28b): at fixed data the expected-loss recursion needs the empirical fourth moments (O(P^2) per step); not provided.
    throw new InvalidArgumentError('sgdMethod', "must be 'sampled' with SGD at finite P (the recursions are for one-pass SGD, P = Infinity)", sgdMethod);
  }
  if (reuse && dynamics.schedule !== undefined) {
    // sgd-reuse.ts applies one rate (THEORY E28b); a schedule there is not implemented.
    throw new InvalidArgumentError('schedule', 'applies to one-pass SGD (P = Infinity) only, not to SGD on P fixed samples', dynamics.schedule.kind);
  }
  const sgdSampling = options.sgdSampling ?? 'replacement';
  if (!REUSE_SAMPLINGS.includes(sgdSampling)) throw new InvalidArgumentError('sgdSampling', `must be one of ${REUSE_SAMPLINGS.join(', ')}`, sgdSampling);
  if (options.sgdSampling !== undefined && !reuse) {
    throw new InvalidArgumentError('sgdSampling', 'only applies to SGD at finite P (one-pass SGD draws fresh samples)', options.sgdSampling);
  }
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (typeof maxBytes !== 'number' || !(maxBytes > 0)) throw new InvalidArgumentError('maxBytes', 'must be a number > 0 (Infinity allowed)', maxBytes);
  const maxSeconds = options.maxSeconds ?? DEFAULT_MAX_SECONDS;
  if (typeof maxSeconds !== 'number' || !(maxSeconds > 0)) throw new InvalidArgumentError('maxSeconds', 'must be a number > 0 (Infinity allowed)', maxSeconds);
  let tMax = 0;
  for (let j = 0; j < t.length; j++) tMax = Math.max(tMax, t[j]);
  const size: SimulationSize = {
    M,
    N,
    P,
    seeds,
    T: t.length,
    tMax,
    S: sigmas.length,
    ensemble,
    workers,
    stochastic: isStochastic(dynamics),
    propagatorCost: optimizerOf(dynamics).supports.propagatorCost,
    batch: samplesPerStep(dynamics),
    sgdMethod,
  };
  return { spectrum, dynamics, sigmas, t, ensemble, seed, workers, eigensolver, kernels, sgdMethod, sgdSampling, maxBytes, maxSeconds, size };
}

/** Runs the Monte Carlo simulation (see the module comment for the estimators). */
export async function simulate(problem: SimulationProblem, options: SimulationOptions = {}): Promise<SimulationResult> {
  const started = performance.now();
  const { setup, workers } = prepareSimulation(problem, options);
  const outputs = await runSeeds(setup, problem.seeds, workers);
  const kernels: ProductKernels = (setup.kernels ?? 'wasm') === 'wasm' && wasmAvailable() ? 'wasm' : 'js';
  releaseWasmKernel(); // the kernels' memory (up to n^2 doubles) is not kept past the call
  return aggregate(problem, setup, outputs, workers, performance.now() - started, kernels);
}

/** Turns per-seed outputs (in seed order) into the result object. Exported for tests. */
export function aggregate(
  problem: SimulationProblem,
  setup: SeedSetup,
  outputs: SeedOutput[],
  workers: number,
  totalMs: number,
  kernels: ProductKernels = (setup.kernels ?? 'wasm') === 'wasm' && wasmAvailable() ? 'wasm' : 'js',
): SimulationResult {
  const { lambda, M, sigmas, t } = setup;
  const T = t.length;
  const n = outputs.length;
  const results: SigmaResult[] = [];
  let status: Status = 'converged';
  const notes: string[] = [];
  for (let s = 0; s < sigmas.length; s++) {
    const pick = (field: 'test' | 'train' | 'testA') => outputs.map((o) => o[field].subarray(s * T, (s + 1) * T));
    const test = meanAndStderr(pick('test'), T);
    const train = meanAndStderr(pick('train'), T);
    const gapPerSeed = outputs.map((o) => {
      const g = new Float64Array(T);
      for (let j = 0; j < T; j++) g[j] = o.test[s * T + j] - o.train[s * T + j];
      return g;
    });
    const gap = meanAndStderr(gapPerSeed, T);
    const testA = meanAndStderr(pick('testA'), T);
    const bias = crossSeedBias(outputs, s, lambda, M, T);
    results.push({ sigma: sigmas[s], test, train, gap, testA, bias });
    for (const est of [test, train, gap]) {
      for (let j = 0; j < T; j++) if (!Number.isFinite(est.mean[j])) status = worstStatus(status, 'non_finite');
    }
  }
  const unstable = outputs.find((o) => o.instability !== undefined);
  if (unstable?.instability !== undefined) {
    // THEORY (E26-E28): diverging dynamics give no number (status 'unstable' with the bound).
    const { quantity, value, bound } = unstable.instability;
    blank(results);
    status = 'unstable';
    notes.length = 0;
    notes.push(`${dynamicsLabel(setup.dynamics)} diverges at seed ${unstable.index}: ${quantity} = ${value.toPrecision(6)} >= ${bound.toPrecision(6)}`);
  } else if (outputs.some((o) => (o.eigenFailures ?? 0) > 0)) {
    // A decomposition whose QL iteration hit its cap: the eigenvalues, so every loss, are not converged.
    const failures = outputs.reduce((acc, o) => acc + (o.eigenFailures ?? 0), 0);
    blank(results);
    status = worstStatus(status, 'max_iter');
    notes.length = 0;
    notes.push(`${failures} eigendecomposition(s) hit the QL iteration cap: the losses are not converged`);
  } else if (n < 2) notes.push('bias needs >= 2 seeds and every standard error >= 2 seeds (3 for bias): those entries are NaN');
  else if (n < 3) notes.push('the jackknife standard error of bias needs >= 3 seeds: NaN');
  if (status !== 'unstable' && isStochastic(setup.dynamics) && setup.P === Infinity) notes.push('testA is not defined for one-pass SGD (no fixed data set): NaN');
  else if (status !== 'unstable' && setup.N !== Infinity && setup.ensemble < 2) notes.push('testA needs ensemble >= 2 when N is finite: NaN');
  if (status === 'non_finite') notes.unshift('a test, train or gap mean is not finite');
  const first = outputs[0];
  const msPerSeed = outputs.reduce((acc, o) => acc + o.ms, 0) / n;
  return {
    t: Float64Array.from(t),
    results,
    seeds: problem.seeds,
    seed: problem.seed,
    parameters: {
      spectrum: describeSpectrum(problem.spectrum),
      M,
      N: setup.N,
      P: setup.P,
      sigma: Array.from(sigmas),
      ensemble: setup.ensemble,
      workers,
      eigensolver: setup.eigensolver ?? 'implicit',
      dynamics: describeDynamics(setup.dynamics),
      ...(isStochastic(setup.dynamics) ? { sgdMethod: setup.sgdMethod } : {}),
      ...(setup.sgdSampling !== undefined ? { sgdSampling: setup.sgdSampling } : {}),
      teacherSign: 'positive',
      prng: PRNG_DESCRIPTION,
      version: SIMULATOR_VERSION,
    },
    timing: {
      msPerSeed,
      totalMs,
      form: first.form,
      size: first.size,
      decompositionsPerSeed: first.form === 'none' ? 0 : first.projections,
      kernels,
    },
    status,
    ...(notes.length > 0 ? { message: notes.join('; ') } : {}),
  };
}

/** Every mean and standard error NaN: the run has no trustworthy number (its status says why). */
function blank(results: SigmaResult[]): void {
  for (const r of results) {
    for (const est of [r.test, r.train, r.gap, r.testA, r.bias]) {
      est.mean.fill(NaN);
      est.stderr.fill(NaN);
    }
  }
}

/** Mean over seeds and s.e. = sample s.d. / sqrt(n) (NaN for n = 1). */
function meanAndStderr(perSeed: Float64Array[], T: number): Estimate {
  const n = perSeed.length;
  const mean = new Float64Array(T);
  const stderr = new Float64Array(T);
  for (const x of perSeed) for (let j = 0; j < T; j++) mean[j] += x[j];
  for (let j = 0; j < T; j++) mean[j] /= n;
  for (const x of perSeed) {
    for (let j = 0; j < T; j++) {
      const d = x[j] - mean[j];
      stderr[j] += d * d;
    }
  }
  for (let j = 0; j < T; j++) stderr[j] = n > 1 ? Math.sqrt(stderr[j] / (n - 1) / n) : NaN;
  return { mean, stderr };
}

/**
 * Cross-seed U-statistic for B(t) (THEORY E14) and its jackknife s.e. (module
 * comment). With x_i = vbar_i, S = sum x_i, q_i = |x_i|^2, d_i = <S, x_i>
 * (Lambda inner product): U = (|S|^2 - sum q) / (n (n - 1)); deleting seed i
 * gives U_(-i) = (|S|^2 - sum q - 2 (d_i - q_i)) / ((n - 1)(n - 2)).
 */
function crossSeedBias(outputs: SeedOutput[], s: number, lambda: Float64Array, M: number, T: number): Estimate {
  const n = outputs.length;
  const mean = new Float64Array(T).fill(NaN);
  const stderr = new Float64Array(T).fill(NaN);
  if (n < 2) return { mean, stderr };
  const base = s * M * T;
  const Ssum = new Float64Array(M * T);
  for (const o of outputs) for (let i = 0; i < M * T; i++) Ssum[i] += o.vbar[base + i];
  const S2 = new Float64Array(T);
  const Q = new Float64Array(T);
  const dq = outputs.map(() => new Float64Array(T)); // d_i - q_i
  for (let k = 0; k < M; k++) {
    const lk = lambda[k];
    for (let j = 0; j < T; j++) {
      const sv = Ssum[k * T + j];
      S2[j] += lk * sv * sv;
    }
  }
  outputs.forEach((o, i) => {
    const x = o.vbar;
    const row = dq[i];
    for (let k = 0; k < M; k++) {
      const lk = lambda[k];
      const off = base + k * T;
      for (let j = 0; j < T; j++) {
        const xv = x[off + j];
        const q = lk * xv * xv;
        Q[j] += q;
        row[j] += lk * xv * Ssum[k * T + j] - q;
      }
    }
  });
  for (let j = 0; j < T; j++) mean[j] = (S2[j] - Q[j]) / (n * (n - 1));
  if (n < 3) return { mean, stderr };
  for (let j = 0; j < T; j++) {
    let avg = 0;
    const loo = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      loo[i] = (S2[j] - Q[j] - 2 * dq[i][j]) / ((n - 1) * (n - 2));
      avg += loo[i];
    }
    avg /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (loo[i] - avg) * (loo[i] - avg);
    stderr[j] = Math.sqrt(((n - 1) / n) * v);
  }
  return { mean, stderr };
}

/**
 * Simulator benchmarks (called by bench/run.ts). Figures and their
 * interpretation: docs/simulation-performance.md.
 *
 * - One realisation (one seed, one projection A) at M = 2000, N = P = 1024,
 *   41 times, 2 sigmas: the simulator before the speed work (loaded from git
 *   history, scripts/simulation/baseline.ts) against today's with the SIMD
 *   kernels and with the JS kernels, CPU time, interleaved, best of 3, and
 *   the largest relative difference of their results.
 * - The eigen work alone at n = 512 and 1024 (what one flow needs: the
 *   decomposition, U^T b for two right-hand sides and U X for 82 columns),
 *   both solvers, against numpy.linalg.eigh / eigvalsh timed in the same run
 *   by scripts/simulation/numpy-eigh.py with one BLAS thread (our solver is
 *   single-threaded). OPENBLAS_CORETYPE is passed through unchanged.
 * - One realisation per dynamics (M = 2000, N = 256, P = 512 or infinity),
 *   with the time estimateSimulation predicted beside the measured one.
 * - The matmul kernels against ml-matrix.
 * - One realisation at n = N = P = 256, 512, 1024 against the same computation
 *   in numpy (scripts/simulation/numpy-realisation.py), and the product
 *   1024 x 2000 x 1024 and 4e6 normal draws (WebAssembly and JS loops) against numpy
 *   (scripts/simulation/numpy-kernels.py); numpy on one BLAS thread and with
 *   its default threads, both printed; and the SIMD128 ceiling those products
 *   run against (bench/simd-ceiling.ts).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Matrix } from 'ml-matrix';
import { powerLawSpectrum } from '../src/spectrum/index.js';
import { makeDynamics, type Dynamics } from '../src/dynamics/index.js';
import { estimateSimulation, prepareSimulation, runSeed, simulate, type SgdMethod } from '../src/simulation/index.js';
import { largestRelativeDifference, loadBaselineSimulator } from '../scripts/simulation/baseline.js';
import { denseSpectralOperator, matmul, matmulSimple, symmetricEigen } from '../src/simulation/linalg.js';
import { Xoshiro128 } from '../src/simulation/random.js';
import { symmetricEigenOperator, type SpectralOperator } from '../src/simulation/spectral.js';
import { simdCeiling } from './simd-ceiling.js';

interface BenchRecord {
  name: string;
  ms: number;
  note?: string;
}

interface NumpyTimes {
  numpy: string;
  blas: string[];
  sizes: Array<{ n: number; eigh_ms: number; eigvalsh_ms: number }>;
}

function time<T>(f: () => T): { ms: number; value: T } {
  const t0 = performance.now();
  const value = f();
  return { ms: performance.now() - t0, value };
}

/** CPU time of this thread (the machine is shared: wall time would count other jobs' slices). */
function cpuTime<T>(f: () => T): { ms: number; value: T } {
  const c0 = process.cpuUsage();
  const value = f();
  const c = process.cpuUsage(c0);
  return { ms: (c.user + c.system) / 1e3, value };
}

function randomSymmetric(n: number): Float64Array {
  const X = new Xoshiro128([7, n]).fillNormal(new Float64Array(n * n));
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) X[i * n + j] = X[j * n + i];
  return X;
}

/** What one gradient flow needs from a decomposition: U^T b twice and U X with 82 columns (41 times x 2 label parts). */
function flowWork(op: SpectralOperator, b: Float64Array): void {
  op.project(b);
  op.project(b);
  op.apply(new Float64Array(op.n * 82).fill(1), 82);
}

function numpyTimes(sizes: number[]): NumpyTimes | string {
  const script = fileURLToPath(new URL('../scripts/simulation/numpy-eigh.py', import.meta.url));
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  const run = spawnSync('python3', [script, ...sizes.map(String)], { env, encoding: 'utf8', timeout: 120_000 });
  if (run.status !== 0) return `numpy baseline not run: ${(run.error?.message ?? run.stderr ?? '').trim().split('\n').pop()}`;
  return JSON.parse(run.stdout) as NumpyTimes;
}

export async function benchSimulation(): Promise<BenchRecord[]> {
  const records: BenchRecord[] = [];
  const t = [0];
  for (let i = 0; i < 40; i++) t.push(10 ** (-1 + (6 * i) / 39));
  const spectrum = powerLawSpectrum({ a: 1.5, b: 1, M: 2000 });

  // One realisation against the simulator before the speed work (scripts/simulation/baseline.ts: its seed, linalg and
  // random files from git history), same setup and seed, in this thread: CPU time, interleaved, best of 3. Today's
  // code runs with the SIMD kernels and with kernels 'js' (the fallback), so both speed-ups are in the same run.
  const baseline = await loadBaselineSimulator();
  const label = 'one realisation M=2000 N=P=1024 (1 A), 41 t, 2 sigma';
  if (typeof baseline === 'string') {
    records.push({ name: `${label}: baseline`, ms: NaN, note: baseline });
  } else {
    const { setup } = prepareSimulation({ spectrum, N: 1024, P: 1024, sigma: [0, 0.3], t, seeds: 1, seed: 1 }, { ensemble: 1, workers: 1 });
    const best = { baseline: Infinity, wasm: Infinity, js: Infinity };
    let difference = 0;
    for (let repeat = 0; repeat < 3; repeat++) {
      const old = cpuTime(() => baseline.runSeed(setup, 0));
      const now = cpuTime(() => runSeed(setup, 0));
      const js = cpuTime(() => runSeed({ ...setup, kernels: 'js' }, 0));
      best.baseline = Math.min(best.baseline, old.ms);
      best.wasm = Math.min(best.wasm, now.ms);
      best.js = Math.min(best.js, js.ms);
      difference = Math.max(difference, largestRelativeDifference(now.value, old.value), largestRelativeDifference(js.value, old.value));
    }
    const agreement = `largest relative difference to the baseline ${difference.toExponential(1)}`;
    records.push({ name: `${label}: baseline ${baseline.commit.slice(0, 7)}`, ms: best.baseline, note: 'CPU, best of 3 (dense tred2/tql2, unpanelled products)' });
    records.push({ name: `${label}: today, JS kernels`, ms: best.js, note: `CPU, best of 3, ${(best.baseline / best.js).toFixed(2)}x faster than the baseline` });
    records.push({ name: `${label}: today, SIMD kernels`, ms: best.wasm, note: `CPU, best of 3, ${(best.baseline / best.wasm).toFixed(2)}x faster than the baseline, ${(best.js / best.wasm).toFixed(2)}x the JS kernels; ${agreement}` });
  }

  const sizes = [512, 1024];
  const numpy = numpyTimes(sizes);
  const numpyInfo = typeof numpy === 'string' ? undefined : numpy;
  if (typeof numpy === 'string') records.push({ name: 'numpy eigh baseline', ms: NaN, note: numpy });
  for (const n of sizes) {
    const S = randomSymmetric(n);
    const b = new Xoshiro128([8, n]).fillNormal(new Float64Array(n));
    symmetricEigenOperator(S, 64); // warm-up (JIT)
    const implicitEigen = time(() => symmetricEigenOperator(S, n));
    const implicitFlow = time(() => flowWork(implicitEigen.value, b));
    const denseEigen = time(() => symmetricEigen(S, n));
    const denseFlow = time(() => flowWork(denseSpectralOperator(denseEigen.value), b));
    const np = numpyInfo?.sizes.find((x) => x.n === n);
    const vsNumpy = (ms: number) => (np === undefined ? '' : `, ${(ms / np.eigh_ms).toFixed(1)}x numpy eigh, ${(ms / np.eigvalsh_ms).toFixed(1)}x eigvalsh`);
    const implicitMs = implicitEigen.ms + implicitFlow.ms;
    const denseMs = denseEigen.ms + denseFlow.ms;
    records.push({ name: `eigen work n=${n}: dense tred2/tql2 + U^T X`, ms: denseMs, note: `decomposition ${denseEigen.ms.toFixed(0)} ms${vsNumpy(denseMs)}` });
    records.push({
      name: `eigen work n=${n}: implicit (reflectors + rotations, U X in SIMD)`,
      ms: implicitMs,
      note: `decomposition ${implicitEigen.ms.toFixed(0)} ms, ${(denseMs / implicitMs).toFixed(2)}x faster than dense${vsNumpy(implicitMs)}`,
    });
    if (np !== undefined && numpyInfo !== undefined) {
      records.push({ name: `eigen n=${n}: numpy.linalg.eigh (1 BLAS thread)`, ms: np.eigh_ms, note: `numpy ${numpyInfo.numpy}, ${numpyInfo.blas.join('; ')}` });
      records.push({ name: `eigen n=${n}: numpy.linalg.eigvalsh (1 BLAS thread)`, ms: np.eigvalsh_ms });
    }
  }

  // Cost per realisation of each dynamics, and the size estimate against it.
  const steps = [0, ...Array.from({ length: 40 }, (_, i) => Math.round(10 ** ((4 * (i + 1)) / 40)))];
  const cases: Array<[string, number, Dynamics, number[], SgdMethod | undefined]> = [
    ['gf', 512, makeDynamics(), t, undefined],
    ['gf + ridge 1e-3', 512, makeDynamics({ ridge: 1e-3 }), t, undefined],
    ['gd eta=1, 41 step counts to 1e4', 512, makeDynamics({ optimizer: 'gd', lr: 1 }), steps, undefined],
    ['momentum eta=0.5 beta=0.9, to 1e4 steps', 512, makeDynamics({ optimizer: 'momentum', lr: 0.5, momentum: 0.9 }), steps, undefined],
    ['sgd eta=0.2 B=4 exact recursion, P=inf, to 1e4 steps', Infinity, makeDynamics({ optimizer: 'sgd', lr: 0.2, batch: 4 }), steps, 'exact'],
    ['sgd eta=0.2 B=4 exact recursion, P=inf, to 1e6 steps', Infinity, makeDynamics({ optimizer: 'sgd', lr: 0.2, batch: 4 }), [0, 10, 1000, 1e6], 'exact'],
    ['sgd eta=0.2 B=4 trace-only recursion, to 1e4 steps', Infinity, makeDynamics({ optimizer: 'sgd', lr: 0.2, batch: 4 }), steps, 'trace-only'],
    ['sgd eta=0.2 B=4 sampled, to 1e3 steps', Infinity, makeDynamics({ optimizer: 'sgd', lr: 0.2, batch: 4 }), steps.filter((x) => x <= 1000), 'sampled'],
  ];
  for (const [label, P, dynamics, times, sgdMethod] of cases) {
    const problem = { spectrum, N: 256, P, sigma: [0, 0.3], t: times, seeds: 1, seed: 1, dynamics };
    const options = { ensemble: 1, workers: 1, ...(sgdMethod ? { sgdMethod } : {}) };
    const estimate = estimateSimulation(problem, options);
    const run = await simulate(problem, options);
    records.push({
      name: `realisation M=2000 N=256 P=${P === Infinity ? 'inf' : P}: ${label}`,
      ms: run.timing.totalMs,
      note: `${run.status}; estimated ${(estimate.seconds * 1e3).toFixed(0)} ms`,
    });
  }

  const [m, k, n] = [512, 2000, 256];
  const A = new Xoshiro128([8]).fillNormal(new Float64Array(m * k));
  const B = new Xoshiro128([9]).fillNormal(new Float64Array(k * n));
  matmul(A, B, m, k, n); // warm-up (JIT)
  matmul(A, B, m, k, n, 'js');
  // SIMD against JS: CPU time, interleaved, best of 3.
  const simd = { ms: Infinity };
  const blocked = { ms: Infinity };
  for (let repeat = 0; repeat < 3; repeat++) {
    simd.ms = Math.min(simd.ms, cpuTime(() => matmul(A, B, m, k, n)).ms);
    blocked.ms = Math.min(blocked.ms, cpuTime(() => matmul(A, B, m, k, n, 'js')).ms);
  }
  matmulSimple(A, B, m, k, n);
  const simple = time(() => matmulSimple(A, B, m, k, n));
  const Am = new Matrix(Array.from({ length: m }, (_, i) => Array.from(A.subarray(i * k, i * k + k))));
  const Bm = new Matrix(Array.from({ length: k }, (_, i) => Array.from(B.subarray(i * n, i * n + n))));
  const ml = time(() => Am.mmul(Bm));
  const rate = (ms: number) => `${((m * k * n) / ms / 1e6).toFixed(2)} G multiply-adds/s`;
  records.push({ name: `matmul ${m}x${k}x${n}: WebAssembly SIMD kernel`, ms: simd.ms, note: `${rate(simd.ms)}, ${(blocked.ms / simd.ms).toFixed(2)}x the JS kernel, same bits` });
  records.push({ name: `matmul ${m}x${k}x${n}: flat 4x4-blocked i-k-j (JS)`, ms: blocked.ms, note: rate(blocked.ms) });
  records.push({ name: `matmul ${m}x${k}x${n}: flat plain i-k-j`, ms: simple.ms, note: rate(simple.ms) });
  records.push({ name: `matmul ${m}x${k}x${n}: ml-matrix mmul`, ms: ml.ms, note: rate(ml.ms) });
  records.push(...realisationsAgainstNumpy(spectrum, t));
  records.push(...kernelsAgainstNumpy());
  records.push(...(await simdCeiling()));
  return records;
}

/**
 * Runs a numpy baseline script twice, first on one BLAS thread (as ours) and then with numpy's default thread pool,
 * calling `ours` before each run (our timings interleaved with numpy's); each result is the script's JSON, or why it
 * did not run.
 */
function numpyOneThreadAndPool<T>(script: string, args: string[], input: string | undefined, ours: () => void): [T | string, T | string] {
  const path = fileURLToPath(new URL(`../scripts/simulation/${script}`, import.meta.url));
  const oneThread = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  const results = [oneThread, process.env].map((env) => {
    ours();
    const run = spawnSync('python3', [path, ...args], { input, env, encoding: 'utf8', timeout: 300_000 });
    return run.status === 0 ? (JSON.parse(run.stdout) as T) : `numpy not run: ${(run.error?.message ?? run.stderr ?? '').trim().split('\n').pop()}`;
  });
  return [results[0], results[1]];
}

interface NumpyRealisationTimes {
  numpy: string;
  sizes: Array<{ n: number; wall_ms: number; cpu_ms: number }>;
}

/**
 * One realisation at n = N = P = 256, 512, 1024 (M = 2000, 41 times, 2 sigmas, gradient flow) against the same
 * computation in numpy (scripts/simulation/numpy-realisation.py: same spectrum, target, times and sigmas, numpy's
 * own draws), CPU time, best of 3: numpy once on one BLAS thread (as ours) and once with its default thread pool,
 * each interleaved with a run of ours.
 */
function realisationsAgainstNumpy(spectrum: ReturnType<typeof powerLawSpectrum>, t: number[]): BenchRecord[] {
  const sizes = [256, 512, 1024];
  const setups = sizes.map((n) => prepareSimulation({ spectrum, N: n, P: n, sigma: [0, 0.3], t, seeds: 1, seed: 1 }, { ensemble: 1, workers: 1 }).setup);
  const ours = sizes.map(() => Infinity);
  setups.forEach((setup) => runSeed(setup, 0)); // warm-up (JIT)
  const first = setups[0];
  const input = JSON.stringify({ lambda: Array.from(first.lambda), wstar: Array.from(first.wstar), t, sigmas: Array.from(first.sigmas), sizes, repeats: 3 });
  const [one, pool] = numpyOneThreadAndPool<NumpyRealisationTimes>('numpy-realisation.py', [], input, () => {
    for (let repeat = 0; repeat < 2; repeat++) setups.forEach((setup, i) => (ours[i] = Math.min(ours[i], cpuTime(() => runSeed(setup, 0)).ms)));
  });
  return sizes.map((n, i) => {
    const a = typeof one === 'string' ? undefined : one.sizes.find((x) => x.n === n);
    const b = typeof pool === 'string' ? undefined : pool.sizes.find((x) => x.n === n);
    const note =
      a === undefined || b === undefined
        ? String(typeof one === 'string' ? one : pool)
        : `CPU, best of 4; ${(ours[i] / a.cpu_ms).toFixed(2)}x numpy on one BLAS thread (${a.cpu_ms.toFixed(0)} ms), ${(ours[i] / b.cpu_ms).toFixed(2)}x numpy with its default threads (${b.cpu_ms.toFixed(0)} ms CPU, ${b.wall_ms.toFixed(0)} ms wall); target <= 1x`;
    return { name: `one realisation M=2000 N=P=${n}, 41 t, 2 sigma, against numpy`, ms: ours[i], note };
  });
}

interface NumpyKernelTimes {
  numpy: string;
  matmul: { wall_ms: number; cpu_ms: number };
  normals: { wall_ms: number; cpu_ms: number };
}

/**
 * The product 1024 x 2000 x 1024 and 4e6 normal draws against numpy (scripts/simulation/numpy-kernels.py), CPU
 * times, best of 3: numpy run once on one BLAS thread (as ours) and once with its default thread pool, each run
 * interleaved with ours.
 */
function kernelsAgainstNumpy(): BenchRecord[] {
  const [m, k, n] = [1024, 2000, 1024];
  const count = 4_000_000;
  const A = new Xoshiro128([10]).fillNormal(new Float64Array(m * k));
  const B = new Xoshiro128([11]).fillNormal(new Float64Array(k * n));
  const normals = new Float64Array(count);
  const rng = new Xoshiro128([12]);
  matmul(A, B, m, k, n);
  rng.fillNormal(normals);
  rng.fillNormal(normals, 1, 'js');
  const ours = { matmul: Infinity, normals: Infinity, normalsJs: Infinity };
  const [one, pool] = numpyOneThreadAndPool<NumpyKernelTimes>('numpy-kernels.py', ['--matmul', String(m), String(k), String(n), '--normals', String(count)], undefined, () => {
    ours.matmul = Math.min(ours.matmul, cpuTime(() => matmul(A, B, m, k, n)).ms);
    ours.normals = Math.min(ours.normals, cpuTime(() => rng.fillNormal(normals)).ms);
    ours.normalsJs = Math.min(ours.normalsJs, cpuTime(() => rng.fillNormal(normals, 1, 'js')).ms);
  });
  const versus = (ms: number, part: 'matmul' | 'normals') =>
    typeof one === 'string' || typeof pool === 'string' ? String(one) : `${(ms / one[part].cpu_ms).toFixed(2)}x numpy on one BLAS thread (${one[part].cpu_ms.toFixed(0)} ms), ${(ms / pool[part].cpu_ms).toFixed(2)}x numpy with its default threads (${pool[part].cpu_ms.toFixed(0)} ms CPU, ${pool[part].wall_ms.toFixed(0)} ms wall)`;
  const rate = ((m * k * n) / ours.matmul / 1e6).toFixed(2);
  return [
    { name: `matmul ${m}x${k}x${n}: SIMD kernel against numpy`, ms: ours.matmul, note: `CPU, best of 2; ${rate} G multiply-adds/s; ${versus(ours.matmul, 'matmul')}; target <= 1.5x` },
    { name: `${count} normal draws (Xoshiro128, Marsaglia polar) against numpy`, ms: ours.normals, note: `CPU, best of 2; ${versus(ours.normals, 'normals')} (numpy: default_rng().standard_normal, ziggurat); target <= 1x` },
    { name: `${count} normal draws, the JS loop (kernels 'js', Math.log; the same bits) against numpy`, ms: ours.normalsJs, note: `CPU, best of 2; ${versus(ours.normalsJs, 'normals')}; ${(ours.normalsJs / ours.normals).toFixed(2)}x the WebAssembly loop` },
  ];
}

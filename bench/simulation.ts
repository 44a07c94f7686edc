/**
 * Simulator benchmarks (called by bench/run.ts): one seed of the M = 2000,
 * N = P = 512 model, and the two kernels that dominate it, flat against
 * ml-matrix. Figures and their interpretation: docs/simulation-performance.md.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { powerLawSpectrum } from '../src/spectrum/index.js';
import { simulate } from '../src/simulation/index.js';
import { matmul, matmulSimple, symmetricEigen } from '../src/simulation/linalg.js';
import { Xoshiro128 } from '../src/simulation/random.js';

interface BenchRecord {
  name: string;
  ms: number;
  note?: string;
}

function time<T>(f: () => T): { ms: number; value: T } {
  const t0 = performance.now();
  const value = f();
  return { ms: performance.now() - t0, value };
}

function randomSymmetric(n: number): Float64Array {
  const X = new Xoshiro128([7, n]).fillNormal(new Float64Array(n * n));
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) X[i * n + j] = X[j * n + i];
  return X;
}

export async function benchSimulation(): Promise<BenchRecord[]> {
  const records: BenchRecord[] = [];
  const t = [0];
  for (let i = 0; i < 40; i++) t.push(10 ** (-1 + (6 * i) / 39));
  const run = await simulate(
    { spectrum: powerLawSpectrum({ a: 1.5, b: 1, M: 2000 }), N: 512, P: 512, sigma: [0, 0.3], t, seeds: 1, seed: 1 },
    { ensemble: 2, workers: 1 },
  );
  records.push({
    name: 'simulate M=2000 N=P=512, 1 seed, 2 projections, 41 t, 2 sigma',
    ms: run.timing.totalMs,
    note: `${run.timing.form} ${run.timing.size}x${run.timing.size}, ${run.timing.decompositionsPerSeed} decompositions`,
  });

  for (const n of [256, 512]) {
    const S = randomSymmetric(n);
    const flat = time(() => symmetricEigen(S, n));
    const rows = Array.from({ length: n }, (_, i) => Array.from(S.subarray(i * n, i * n + n)));
    const ml = time(() => new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true }));
    records.push({ name: `symmetric eigen n=${n}: flat tred2/tql2`, ms: flat.ms });
    records.push({ name: `symmetric eigen n=${n}: ml-matrix EigenvalueDecomposition`, ms: ml.ms, note: `${(ml.ms / flat.ms).toFixed(2)}x flat` });
  }

  const [m, k, n] = [512, 2000, 256];
  const A = new Xoshiro128([8]).fillNormal(new Float64Array(m * k));
  const B = new Xoshiro128([9]).fillNormal(new Float64Array(k * n));
  matmul(A, B, m, k, n); // warm-up (JIT)
  const blocked = time(() => matmul(A, B, m, k, n));
  matmulSimple(A, B, m, k, n);
  const simple = time(() => matmulSimple(A, B, m, k, n));
  const Am = new Matrix(Array.from({ length: m }, (_, i) => Array.from(A.subarray(i * k, i * k + k))));
  const Bm = new Matrix(Array.from({ length: k }, (_, i) => Array.from(B.subarray(i * n, i * n + n))));
  const ml = time(() => Am.mmul(Bm));
  const rate = (ms: number) => `${((m * k * n) / ms / 1e6).toFixed(2)} G multiply-adds/s`;
  records.push({ name: `matmul ${m}x${k}x${n}: flat 4x4-blocked i-k-j`, ms: blocked.ms, note: rate(blocked.ms) });
  records.push({ name: `matmul ${m}x${k}x${n}: flat plain i-k-j`, ms: simple.ms, note: rate(simple.ms) });
  records.push({ name: `matmul ${m}x${k}x${n}: ml-matrix mmul`, ms: ml.ms, note: rate(ml.ms) });
  return records;
}

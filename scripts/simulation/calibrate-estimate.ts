/**
 * Calibrates the time constants of estimateSimulation (src/simulation/estimate.ts)
 * on this machine: times each kernel the cost model counts, at sizes where it
 * dominates, best of 3, and prints the seconds per unit with the load average.
 * Copy the printed constants into TIME_CONSTANTS of estimate.ts (with the date
 * and load) when the machine or the kernels change.
 *
 * Rerun: npx tsx scripts/simulation/calibrate-estimate.ts
 */
import { cpus, loadavg } from 'node:os';
import { makeDynamics } from '../../src/dynamics/index.js';
import { powerLawSpectrum } from '../../src/spectrum/index.js';
import { gramColumns, matmul } from '../../src/simulation/linalg.js';
import { Xoshiro128 } from '../../src/simulation/random.js';
import { runSeed } from '../../src/simulation/seed.js';
import { prepareSimulation } from '../../src/simulation/simulate.js';
import { symmetricEigenOperator } from '../../src/simulation/spectral.js';

function best(f: () => void, repeats = 3): number {
  let ms = Infinity;
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    f();
    ms = Math.min(ms, performance.now() - t0);
  }
  return ms / 1e3;
}

const load = loadavg().map((x) => x.toFixed(2)).join(' ');
const out: Record<string, number> = {};

const normals = new Float64Array(4_000_000);
const rng = new Xoshiro128([1]);
out.normal = best(() => rng.fillNormal(normals)) / normals.length;

const [m, k, n] = [512, 1000, 256];
const A = new Xoshiro128([2]).fillNormal(new Float64Array(m * k));
const B = new Xoshiro128([3]).fillNormal(new Float64Array(k * n));
matmul(A, B, 64, k, 64);
out.multiplyAdd = best(() => matmul(A, B, m, k, n)) / (m * k * n);
out.gram = best(() => gramColumns(A, m, k > 600 ? 600 : k, 1)) / ((m * 600 * 600) / 2);

const size = 512;
const S = new Xoshiro128([4]).fillNormal(new Float64Array(size * size));
for (let i = 0; i < size; i++) for (let j = 0; j < i; j++) S[i * size + j] = S[j * size + i];
symmetricEigenOperator(S, 64);
let op = symmetricEigenOperator(S, size);
out.tridiagonal = best(() => {
  op = symmetricEigenOperator(S, size);
}) / size ** 3;
const width = 82;
const X = new Float64Array(size * width).fill(1);
out.applyColumn = best(() => op.apply(X, width)) / (size * size * width);

const spectrum = powerLawSpectrum({ a: 1.5, b: 1.2, M: 400 });
const sgdSampled = prepareSimulation(
  { spectrum, N: 100, P: Infinity, sigma: 0, t: [300], seeds: 1, seed: 1, dynamics: makeDynamics({ optimizer: 'sgd', lr: 0.05, batch: 1 }) },
  { ensemble: 1, sgdMethod: 'sampled' },
).setup;
out.sgdSampleMode = best(() => runSeed(sgdSampled, 0), 2) / (300 * 400 * 102);
const sgdExact = prepareSimulation(
  { spectrum, N: 200, P: Infinity, sigma: 0, t: [40000], seeds: 1, seed: 1, dynamics: makeDynamics({ optimizer: 'sgd', lr: 0.05, batch: 1 }) },
  { ensemble: 1 },
).setup;
out.recursionStep = best(() => runSeed(sgdExact, 0), 2) / (2 * 40000 * 200);
// SGD on P fixed rows (sgd-reuse.ts): the difference of two run lengths removes the data, Phi and train-loss costs.
const reuseSetup = (steps: number) =>
  prepareSimulation(
    { spectrum, N: 256, P: 512, sigma: 0, t: [steps], seeds: 1, seed: 1, dynamics: makeDynamics({ optimizer: 'sgd', lr: 0.05, batch: 8 }) },
    { ensemble: 1 },
  ).setup;
const [reuseShort, reuseLong] = [reuseSetup(1000), reuseSetup(11000)];
out.reuseSampleFeature = Math.max(0, best(() => runSeed(reuseLong, 0), 2) - best(() => runSeed(reuseShort, 0), 2)) / (10000 * 8 * 256);

const big = powerLawSpectrum({ a: 1.5, b: 1.2, M: 100000 });
const tGrid = Array.from({ length: 40 }, (_, i) => i);
const elementwise = prepareSimulation({ spectrum: big, N: Infinity, P: Infinity, sigma: [0, 0.1], t: tGrid, seeds: 1, seed: 1 }).setup;
out.modeTime = best(() => runSeed(elementwise, 0)) / (100000 * 40 * 2);

console.log(`node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), load average ${load}, ${new Date().toISOString()}`);
for (const [key, value] of Object.entries(out)) console.log(`  ${key}: ${value.toPrecision(3)},`);

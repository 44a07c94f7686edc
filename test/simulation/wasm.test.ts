/**
 * The WebAssembly SIMD kernels (src/simulation/wasm.ts): the committed binary
 * is what the committed WAT source assembles to; each kernel gives the same
 * bits as the JS kernel it replaces, on odd sizes that cross every block
 * boundary (16-row minimum, 128-k panels, 256-column blocks, 65,536-rotation
 * chunks, 8/2/1-column lanes, odd and even reduction orders); the realisation is the same with either; and
 * without WebAssembly (node --jitless) the simulator falls back to the JS
 * kernels with the same numbers.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { assembleKernels, KERNELS_MODULE_PATH, kernelsModuleText } from '../../scripts/simulation/build-wasm.js';
import { powerLawSpectrum } from '../../src/spectrum/index.js';
import { InvalidArgumentError } from '../../src/core/errors.js';
import { simulate } from '../../src/simulation/index.js';
import { denseSpectralOperator, gramColumns, matmul, symmetricEigen } from '../../src/simulation/linalg.js';
import { Xoshiro128 } from '../../src/simulation/random.js';
import { symmetricEigenOperator } from '../../src/simulation/spectral.js';
import { estimateSimulation, prepareSimulation, runSeed } from '../../src/simulation/index.js';
import { SCRATCH_BYTES, wasmAvailable, wasmMemoryBytes, wasmScratchBytes, wasmTridiagonalWorkspace } from '../../src/simulation/wasm.js';

/** Indices where two arrays differ in any bit (Object.is: -0 and NaN count). */
function differingBits(a: Float64Array, b: Float64Array): number {
  expect(a.length).toBe(b.length);
  let count = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) count++;
  return count;
}

const normals = (key: number[], length: number) => new Xoshiro128(key).fillNormal(new Float64Array(length));

describe('the committed kernel binary', () => {
  it('is what scripts/simulation/build-wasm.ts assembles from the WAT source', async () => {
    const built = kernelsModuleText(await assembleKernels());
    expect(readFileSync(KERNELS_MODULE_PATH, 'utf8')).toBe(built);
  });

  it('loads here (Node 20 has WebAssembly SIMD)', () => {
    expect(wasmAvailable()).toBe(true);
  });

  it('declines, without throwing, a workspace its memory (at most 4 GiB) cannot hold, so the JS loops run', () => {
    expect(wasmTridiagonalWorkspace(30_000)).toBeNull(); // 7.2 GB
    expect(wasmTridiagonalWorkspace(40)).not.toBeNull();
  });
});

describe('SIMD kernels against the JS kernels, bit for bit', () => {
  // m >= 16 (the SIMD minimum), odd and even; k across the 128-panels with k % 4 leftovers; n across the 256-column blocks.
  const shapes: Array<[number, number, number]> = [
    [16, 1, 1],
    [17, 3, 2],
    [19, 5, 7],
    [21, 131, 3],
    [33, 129, 259],
    [64, 260, 513],
    [2049, 9, 5],
  ];
  it.each(shapes)('matmul %i x %i x %i', (m, k, n) => {
    const A = normals([1, m, k], m * k);
    const B = normals([2, k, n], k * n);
    const js = matmul(A, B, m, k, n, 'js');
    expect(differingBits(matmul(A, B, m, k, n, 'wasm'), js)).toBe(0);
    // And the JS kernel itself against a plain triple loop (same values to round-off).
    let worst = 0;
    for (let i = 0; i < m; i += Math.max(1, m >> 3)) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += A[i * k + p] * B[p * n + j];
        worst = Math.max(worst, Math.abs(s - js[i * n + j]) / (Math.sqrt(k) + 1));
      }
    }
    expect(worst).toBeLessThan(1e-13);
  });

  it.each([
    [16, 5],
    [17, 3],
    [33, 130],
    [300, 7],
    [257, 1031],
  ])('gramColumns n = %i, m = %i', (n, m) => {
    const X = normals([3, n, m], m * n);
    expect(differingBits(gramColumns(X, m, n, 1 / m, 'wasm'), gramColumns(X, m, n, 1 / m, 'js'))).toBe(0);
  });

  it.each([
    [3, 1],
    [4, 3],
    [5, 2],
    [7, 9],
    [33, 17],
    [34, 8],
    [300, 11],
  ])('the implicit eigensolver (reduction and U X), n = %i, %i columns', (n, width) => {
    const K = gramColumns(normals([4, n], (n + 3) * n), n + 3, n, 1 / n, 'js');
    const wasm = symmetricEigenOperator(K, n, undefined, 'wasm');
    const js = symmetricEigenOperator(K, n, undefined, 'js');
    if (n === 300) expect(wasm.rotationCount).toBeGreaterThan(65_536); // crosses a rotation chunk
    // The reduction (fused update in SIMD) and the QL iteration give the same eigenvalues bit for bit.
    expect(differingBits(wasm.values, js.values)).toBe(0);
    expect(wasm.rotationCount).toBe(js.rotationCount);
    const R = normals([5, n, width], n * width);
    expect(differingBits(wasm.apply(R, width), js.apply(R, width))).toBe(0);
    expect(differingBits(wasm.project(R.subarray(0, n)), js.project(R.subarray(0, n)))).toBe(0);
    // Independent check (sign-free): U diag(mu) U^T R from the operator against K R computed directly.
    const scaled = new Float64Array(n * width);
    for (let c = 0; c < width; c++) {
      const beta = wasm.project(Float64Array.from({ length: n }, (_, i) => R[i * width + c]));
      for (let i = 0; i < n; i++) scaled[i * width + c] = wasm.values[i] * beta[i];
    }
    const KR = wasm.apply(scaled, width);
    let worst = 0;
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < width; c++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += K[i * n + j] * R[j * width + c];
        worst = Math.max(worst, Math.abs(s - KR[i * width + c]));
      }
    }
    expect(worst).toBeLessThan(1e-11 * n);
  });
});

describe('a whole realisation', () => {
  const t = [0, 0.5, 3, 40, 1e3];
  const problem = { spectrum: powerLawSpectrum({ a: 1.5, b: 1, M: 150 }), N: 40, P: 70, sigma: [0, 0.3], t, seeds: 2, seed: 9 };

  it("gives the same bits with kernels 'wasm' and 'js', and says which ran", async () => {
    const wasm = await simulate(problem, { ensemble: 2 });
    const js = await simulate(problem, { ensemble: 2, kernels: 'js' });
    expect(wasm.timing.kernels).toBe('wasm');
    expect(js.timing.kernels).toBe('js');
    for (let s = 0; s < 2; s++) {
      for (const q of ['test', 'train', 'testA'] as const) {
        expect(differingBits(wasm.results[s][q].mean, js.results[s][q].mean)).toBe(0);
      }
    }
  });

  it("keeps the kernels' memory within what the size estimate counts for it, and simulate releases it", async () => {
    const big = { ...problem, spectrum: powerLawSpectrum({ a: 1.5, b: 1, M: 900 }), N: 300, P: 2100, seeds: 1, t: Array.from({ length: 60 }, (_, i) => i) };
    const { setup } = prepareSimulation(big, { ensemble: 1 });
    runSeed(setup, 0);
    // Products with more than 2048 rows, the reduction and U X of order 300 with 120 columns all ran in this thread.
    expect(wasmMemoryBytes()).toBeGreaterThan(SCRATCH_BYTES / 2);
    expect(wasmMemoryBytes()).toBeLessThanOrEqual(wasmScratchBytes(300, 120));
    await simulate(big, { ensemble: 1 });
    expect(wasmMemoryBytes()).toBe(0);
    // A tiny problem's arrays take kilobytes: its estimate is the kernels' memory and little else.
    const tiny = { ...problem, spectrum: powerLawSpectrum({ a: 1.5, b: 1, M: 20 }), N: 4, P: 6, seeds: 1 };
    expect(estimateSimulation(tiny).bytes).toBeGreaterThanOrEqual(SCRATCH_BYTES);
    expect(estimateSimulation(tiny).bytes).toBeLessThan(SCRATCH_BYTES + 100_000);
  });

  it('rejects an unknown kernels option before any work', async () => {
    await expect(simulate(problem, { kernels: 'gpu' as never })).rejects.toThrow(InvalidArgumentError);
    await expect(simulate(problem, { kernels: 'gpu' as never })).rejects.toThrow(/kernels must be 'wasm' or 'js', got "gpu"/);
  });

  it('falls back to the JS kernels, same numbers, where WebAssembly is missing (node --jitless)', async () => {
    const script = `
      import { simulate } from './src/simulation/index.ts';
      import { powerLawSpectrum } from './src/spectrum/index.ts';
      const problem = { ...${JSON.stringify({ ...problem, spectrum: undefined })}, spectrum: powerLawSpectrum({ a: 1.5, b: 1, M: 150 }) };
      const r = await simulate(problem, { ensemble: 2 });
      console.log(JSON.stringify({ webAssembly: typeof WebAssembly, kernels: r.timing.kernels, test: Array.from(r.results[1].test.mean) }));
    `;
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const run = spawnSync(process.execPath, ['--jitless', '--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    const child = JSON.parse(run.stdout.trim().split('\n').pop() as string) as { webAssembly: string; kernels: string; test: number[] };
    expect(child.webAssembly).toBe('undefined');
    expect(child.kernels).toBe('js');
    const here = await simulate(problem, { ensemble: 2 });
    expect(here.timing.kernels).toBe('wasm');
    expect(child.test).toEqual(Array.from(here.results[1].test.mean));
  }, 120_000);
});

/**
 * The numeric layer's WebAssembly SIMD kernels (src/numeric/wasm.ts): the committed binary is what the WAT
 * source assembles to, the kernels load here, and a curve computed with them is bit for bit the curve of the JS
 * loops (every value, error estimate, status and diagnostic) over the dynamics, mode rules, estimates and
 * corner cases below: each kernel does its JS loop's arithmetic lane by lane in the same order.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { NUMERIC_KERNELS_MODULE_PATH, numericKernelsModuleText } from '../../scripts/numeric/build-wasm.js';
import { makeDynamics } from '../../src/dynamics/index.js';
import { solveCurve, type CurveOptions, type CurveSolution } from '../../src/numeric/index.js';
import { passMemoryBytes, setNumericKernelsEnabled, wasmGSeries, wasmPassKernel } from '../../src/numeric/wasm.js';
import { powerLawSpectrum } from '../../src/spectrum/index.js';

const spectrum = powerLawSpectrum({ a: 1.5, b: 1.25 });
const times = Array.from({ length: 30 }, (_, i) => 1e-2 * Math.pow(1e7, i / 29));
type Problem = Parameters<typeof solveCurve>[0];

/** Both paths on one problem; the number of elements (all numeric arrays of the solution) that differ in any bit. */
function differingBits(problem: Problem, options: CurveOptions = {}): { differing: number; compared: number; status: string } {
  setNumericKernelsEnabled(false);
  const js = solveCurve(problem, options);
  setNumericKernelsEnabled(true);
  const simd = solveCurve(problem, options);
  let differing = 0;
  let compared = 0;
  const visit = (a: unknown, b: unknown) => {
    if (a instanceof Float64Array && b instanceof Float64Array) {
      expect(b.length).toBe(a.length);
      for (let i = 0; i < a.length; i++) {
        compared++;
        if (!Object.is(a[i], b[i])) differing++;
      }
    } else if (typeof a === 'number') {
      compared++;
      if (!Object.is(a, b)) differing++;
    } else if (a !== null && typeof a === 'object' && !Array.isArray(a)) {
      for (const key of Object.keys(a)) visit((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]);
    } else {
      expect(b).toEqual(a); // statuses, messages
    }
  };
  const fields = (s: CurveSolution) => ({ ...s, parameters: undefined });
  visit(fields(js), fields(simd));
  return { differing, compared, status: simd.status };
}

describe('the numeric kernels', () => {
  afterAll(() => setNumericKernelsEnabled(true));

  it('the committed binary is what scripts/numeric/build-wasm.ts assembles from the WAT source', async () => {
    expect(readFileSync(NUMERIC_KERNELS_MODULE_PATH, 'utf8')).toBe(await numericKernelsModuleText());
  });

  it('load here (Node 20 has WebAssembly SIMD), so the comparisons below compare two paths', () => {
    setNumericKernelsEnabled(true);
    expect(wasmGSeries({ lambda: Float64Array.of(1, 0.5, 0.25), weight: Float64Array.of(1, 1, 1) } as never, 1, 0.5)).not.toBeNull();
  });

  it('do not keep a large pass memory after a curve (WebAssembly memory never shrinks; the JS arrays would be collected)', () => {
    setNumericKernelsEnabled(true);
    // a pass scratch as long node groups need it (about 80 MB: 1200 nodes)
    const one = Float64Array.of(1);
    expect(wasmPassKernel(one, one, one, one, one, 1200, 16 * 720_600, 20 * 720_600, 5 * 720_600)).not.toBeNull();
    expect(passMemoryBytes()).toBeGreaterThan(64e6);
    solveCurve({ spectrum, N: 64, P: 64, sigma: 0.3, t: [1, 10] });
    expect(passMemoryBytes()).toBe(0);
    solveCurve({ spectrum, N: 64, P: 64, sigma: 0.3, t: [1, 10] });
    expect(passMemoryBytes()).toBeGreaterThan(0); // a small one is kept for the next pass
  });

  const gdTop = solveCurve({ spectrum, N: 256, P: 1024, sigma: 0.3, t: [1], dynamics: makeDynamics({ optimizer: 'gd', lr: 0.5 }) }).diagnostics.spectrumTop;
  const cases: Array<[string, Problem, CurveOptions?]> = [
    ['gradient flow, N = 256, P = 1024 (near pairs by series and direct sums)', { spectrum, N: 256, P: 1024, sigma: 0.3, t: times }],
    ['the two-pass estimate (midpoint grids)', { spectrum, N: 256, P: 1024, sigma: 0.3, t: times }, { errorEstimate: 'coarse' }],
    ['ridge 1e-3', { spectrum, N: 256, P: 1024, sigma: 0.3, t: times, dynamics: makeDynamics({ ridge: 1e-3 }) }],
    ['GD at eta E_max = 0.5 (circle rule, then contours)', { spectrum, N: 256, P: 1024, sigma: 0.3, t: [1, 3, 30, 1e3, 1e5], dynamics: makeDynamics({ optimizer: 'gd', lr: 0.5 / gdTop }) }],
    ['GD at eta E_max = 1.5 (keyhole rule)', { spectrum, N: 256, P: 1024, sigma: 0.3, t: [1, 3, 30, 1e3, 1e5], dynamics: makeDynamics({ optimizer: 'gd', lr: 1.5 / gdTop }) }],
    ['momentum', { spectrum, N: 256, P: 1024, sigma: 0.3, t: [1, 5, 50, 400], dynamics: makeDynamics({ optimizer: 'momentum', lr: 0.2, momentum: 0.5 }) }],
    ['Nesterov', { spectrum, N: 256, P: 1024, sigma: 0.3, t: [1, 5, 50], dynamics: makeDynamics({ optimizer: 'nesterov', lr: 0.2, momentum: 0.5 }) }],
    ['one-pass SGD', { spectrum, N: 256, P: Infinity, sigma: 0.3, t: [1, 10, 100, 1e3], dynamics: makeDynamics({ optimizer: 'sgd', lr: 0.5, batch: 4 }) }],
    ['M = 2000 (exact modes, odd and even counts), P < N', { spectrum: powerLawSpectrum({ a: 1.5, b: 1.25, M: 2000 }), N: 1024, P: 257, sigma: 0.3, t: times }],
    ['M = 999, sigma = 0, P = infinity', { spectrum: powerLawSpectrum({ a: 2, b: 1.5, M: 999 }), N: 100, P: Infinity, sigma: 0, t: times }],
    ['N = P = infinity (kappa = s)', { spectrum, N: Infinity, P: Infinity, sigma: 0.3, t: times }],
    ['direct pair sums and the parabolic check', { spectrum, N: 64, P: 128, sigma: 0.3, t: times }, { pairSums: 'direct', errorEstimate: 'check' }],
    ['without the variance term', { spectrum, N: 256, P: 1024, sigma: 0.3, t: times }, { varianceTerm: false }],
  ];
  for (const [label, problem, options] of cases) {
    it(`give the JS path's bits: ${label}`, () => {
      const { differing, compared, status } = differingBits(problem, options);
      expect(compared).toBeGreaterThanOrEqual(10 * problem.t.length);
      expect(status).not.toBe('non_finite');
      expect(differing).toBe(0);
    });
  }
});

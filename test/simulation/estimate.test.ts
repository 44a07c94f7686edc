/**
 * Size estimate and refusal of big simulations before anything is allocated
 * (src/simulation/estimate.ts, prepareSimulation): the error names the
 * argument, the estimate and the limit with the option that raises it.
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/core/errors.js';
import { makeDynamics } from '../../src/dynamics/index.js';
import { powerLawSpectrum } from '../../src/spectrum/index.js';
import { DEFAULT_MAX_BYTES, estimateSimulation, prepareSimulation, type SimulationProblem } from '../../src/simulation/index.js';

const t41 = [0, ...Array.from({ length: 40 }, (_, i) => 10 ** (-1 + (6 * i) / 39))];
const problem = (M: number, N: number, P: number, extra: Partial<SimulationProblem> = {}): SimulationProblem => ({
  spectrum: powerLawSpectrum({ a: 1.5, b: 1, M }),
  N,
  P,
  sigma: [0, 0.3],
  t: t41,
  seeds: 2,
  seed: 1,
  ...extra,
});

function refusal(p: SimulationProblem, options = {}): InvalidArgumentError {
  try {
    prepareSimulation(p, options);
  } catch (error) {
    if (error instanceof InvalidArgumentError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('refusal before allocation', () => {
  it('M = 1e9: named, with the memory needed and the typed-array limit (not "Array buffer allocation failed")', () => {
    const error = refusal(problem(1e9, 100, 100));
    expect(error.argument).toBe('M');
    expect(error.message).toMatch(/^M is too large for the simulation \(M = 1000000000, N = 100, P = 100, 41 times, 2 seeds\): it needs about [0-9.]+ TB of memory, one array alone would take [0-9.]+ GB, above the [0-9.]+ GB a typed array can hold, got 1000000000$/);
  });

  it('N = P = M = 1e5 is refused naming M and the memory', () => {
    const error = refusal(problem(1e5, 1e5, 1e5));
    expect(error.message).toMatch(/^M is too large .* of memory/);
  });

  it('a 100,000-point time grid: the per-seed residual means exceed maxBytes (named t); raising maxBytes accepts the estimate', () => {
    const t = Array.from({ length: 100000 }, (_, i) => i / 10);
    const big = problem(2000, 64, 128, { t, seeds: 20 });
    const error = refusal(big);
    expect(error.argument).toBe('t');
    expect(error.message).toMatch(/needs about [0-9.]+ GB of memory, above the limit of 8\.6 GB \(option maxBytes\), got 100000$/);
    expect(estimateSimulation(big).bytes).toBeGreaterThan(DEFAULT_MAX_BYTES);
  });

  it('a long sampled SGD run is refused by time naming t and maxSeconds; a larger maxSeconds accepts it', () => {
    const sgd = problem(2000, 256, Infinity, { t: [0, 10, 1e5], seeds: 10, dynamics: makeDynamics({ optimizer: 'sgd', lr: 0.05, batch: 4 }) });
    const error = refusal(sgd, { sgdMethod: 'sampled' });
    expect(error.argument).toBe('t');
    expect(error.message).toMatch(/it would take about [0-9.]+ (min|h|days), above the limit of 60 min \(option maxSeconds\), got 100000$/);
    const seconds = estimateSimulation(sgd, { sgdMethod: 'sampled' }).seconds;
    expect(() => prepareSimulation(sgd, { sgdMethod: 'sampled', maxSeconds: 2 * seconds })).not.toThrow();
  });

  it('invalid limits are themselves refused', () => {
    expect(() => prepareSimulation(problem(20, 5, 6), { maxBytes: 0 })).toThrow(/^maxBytes must be a number > 0/);
    expect(() => prepareSimulation(problem(20, 5, 6), { maxSeconds: NaN })).toThrow(/^maxSeconds must be a number > 0/);
  });
});

describe('the estimate follows the cost model', () => {
  it('memory grows with M, T and seeds as the kept outputs S x M x T per seed', () => {
    const base = estimateSimulation(problem(2000, 64, 128, { seeds: 10 }));
    const moreSeeds = estimateSimulation(problem(2000, 64, 128, { seeds: 20 }));
    // Ten more seeds keep ten more S x M x T residual means (2 x 2000 x 41 doubles) and test/train/testA.
    expect(moreSeeds.bytes - base.bytes).toBe(10 * 8 * (2 * 2000 * 41 + 3 * 2 * 41));
    expect(moreSeeds.seconds / base.seconds).toBeCloseTo(2, 10);
  });

  it('time: the n^3 eigen term takes over from min(N, P) ~ 1000 at M = 2000', () => {
    const small = estimateSimulation(problem(2000, 128, 128));
    const large = estimateSimulation(problem(2000, 2048, 2048));
    expect(small.parts.eigensolver).toBeLessThan(small.parts['Phi = Psi B^T']);
    expect(large.parts.eigensolver).toBeGreaterThan(large.parts['kernel Gram']);
    expect(large.calibration).toMatch(/calibrate-estimate/);
  });

  it('SGD: the recursion is linear in the step count; momentum pays a logarithm', () => {
    const sgd = (steps: number) =>
      estimateSimulation(problem(500, 100, Infinity, { t: [0, steps], dynamics: makeDynamics({ optimizer: 'sgd', lr: 0.1, batch: 2 }) })).parts['SGD recursion'];
    expect(sgd(2e5) / sgd(1e5)).toBeCloseTo(2, 10);
    const hb = (steps: number) =>
      estimateSimulation(problem(500, 100, 200, { t: [0, steps], dynamics: makeDynamics({ optimizer: 'momentum', lr: 0.1, momentum: 0.9 }) })).parts['momentum powering'];
    expect(hb(2 ** 20 - 1) / hb(2 ** 10 - 1)).toBeCloseTo(2, 10);
  });
});

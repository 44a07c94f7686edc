/**
 * solveCurve dispatches one-pass SGD (THEORY E28) to the Volterra solver and
 * fills the CurveSolution: test from sgd.ts, train = test (fresh samples),
 * gap = 0, bias of the mean residual = discrete GD at P = infinity (E14, E26),
 * L_A undefined. Checked against closed forms at N = infinity.
 */
import { describe, expect, it } from 'vitest';
import { makeDynamics } from '../../src/dynamics/index.js';
import { solveCurve, solveSgdCurve } from '../../src/numeric/index.js';
import { customSpectrum, powerLawSpectrum } from '../../src/spectrum/index.js';

const M = 200;
const lambda = Float64Array.from({ length: M }, (_, i) => Math.pow(i + 1, -1.5));
const c = Float64Array.from({ length: M }, (_, i) => Math.pow(i + 1, -3));
const spectrum = customSpectrum(lambda, c, 'k^-1.5, k^-3, M = 200');
const dynamics = makeDynamics({ optimizer: 'sgd', lr: 0.5, batch: 4 });
const t = [0, 1, 10, 100, 1000, 10000];

describe('solveCurve with one-pass SGD', () => {
  it('test equals the Volterra solver, train = test, gap = 0, L_A not defined', () => {
    const curve = solveCurve({ spectrum, N: Infinity, P: Infinity, sigma: 0.1, t, dynamics });
    const direct = solveSgdCurve({ spectrum, N: Infinity, sigma: 0.1, t, dynamics });
    expect(Array.from(curve.test)).toEqual(Array.from(direct.test));
    expect(Array.from(curve.train)).toEqual(Array.from(curve.test));
    expect(Array.from(curve.gap)).toEqual(t.map(() => 0));
    expect(curve.testA.every(Number.isNaN)).toBe(true);
    expect(curve.quantityStatus.testA.every((s) => s === 'non_finite')).toBe(true);
    expect(curve.message).toContain('not defined for one-pass SGD');
    expect(curve.sgd?.noise.length).toBe(t.length);
  });

  it('bias is the GD bias at P = infinity: sum_k c_k (1 - eta lambda_k)^(2t) at N = infinity (closed form)', () => {
    const curve = solveCurve({ spectrum, N: Infinity, P: Infinity, sigma: 0, t, dynamics });
    t.forEach((steps, i) => {
      let exact = 0;
      for (let k = 0; k < M; k++) exact += c[k] * Math.pow(1 - 0.5 * lambda[k], 2 * steps);
      expect(Math.abs(curve.bias[i] - exact)).toBeLessThanOrEqual(1e-12 * exact + 1e-15);
    });
    // SGD noise makes the loss exceed the bias after the first step.
    expect(curve.test[3]).toBeGreaterThan(curve.bias[3] * 1.0001);
  });

  it('an unstable setting prints no number in any column (the issue example: (a, b) = (3, 1.5), M = 1000, eta = 0.6, B = 1)', () => {
    const bad = solveCurve({ spectrum: powerLawSpectrum({ a: 3, b: 1.5, M: 1000 }), N: Infinity, P: Infinity, sigma: 0, t: [1, 10, 100, 1000], dynamics: makeDynamics({ optimizer: 'sgd', lr: 0.6, batch: 1 }) });
    expect(bad.status).toBe('unstable');
    expect(bad.message).toMatch(/kernel norm .* >= 1/);
    for (const key of ['test', 'train', 'bias', 'gap'] as const) expect([...bad[key]].every(Number.isNaN), key).toBe(true);
  });

  it('finite P is SGD on P samples (sgd-reuse.ts, steps 0 or >= 2); ensembles are refused with the argument named', () => {
    expect(() => solveCurve({ spectrum, N: 64, P: 128, sigma: 0, t: [1], dynamics })).toThrow(/^t\[0\] must be a whole step count 0 or >= 2 for SGD on fixed samples/);
    expect(() => solveCurve({ spectrum, N: 64, P: 128, sigma: 0, t: [10], dynamics, ensembleSize: 2 })).toThrow(/^ensembleSize/);
    expect(() => solveCurve({ spectrum, N: 64, P: Infinity, sigma: 0, t, dynamics, ensembleSize: 2 })).toThrow(/^ensembleSize/);
  });
});

describe('curve options an SGD solve does not use', () => {
  it('are refused naming the option, not silently ignored (one-pass and on P samples)', () => {
    const onePass = { spectrum, N: Infinity, P: Infinity, sigma: 0.1, t: [10], dynamics };
    // varianceTerm: false is the negative control of the gradient-flow curve; SGD would print the full loss under it.
    expect(() => solveCurve(onePass, { varianceTerm: false })).toThrow(/^options\.varianceTerm is not used by the one-pass SGD solver/);
    expect(() => solveCurve(onePass, { errorEstimate: 'check' })).toThrow(/^options\.errorEstimate/);
    expect(() => solveCurve(onePass, { methods: ['talbot', 'hyperbolic'] })).toThrow(/^options\.methods/);
    expect(() => solveCurve(onePass, { modes: { exactHead: 50 } })).toThrow(/^options\.modes\.exactHead/);
    const reuse = { spectrum, N: 64, P: 128, sigma: 0.1, t: [10], dynamics };
    expect(() => solveCurve(reuse, { windowRatio: 10 })).toThrow(/^options\.windowRatio is not used by the SGD-on-P solver/);
    expect(() => solveCurve(reuse, { nodes: [40, undefined] })).toThrow(/^options\.nodes/);
    // The options each solver does take still pass.
    expect(solveCurve(onePass, { relTol: 1e-6, windowRatio: 10, modes: { lambdaMargin: 1e-4 } }).status).toBe('converged');
    expect(solveCurve(reuse, { relTol: 1e-6, modes: { lambdaMargin: 1e-4 } }).test.length).toBe(1);
  });
});

describe('sizes', () => {
  it('a finite N or P above 1e12 is refused naming it (both at 1e100 ran for minutes)', () => {
    const power = powerLawSpectrum({ a: 1.5, b: 1.25 });
    expect(() => solveCurve({ spectrum: power, N: 1e100, P: 1e100, sigma: 0, t: [1] })).toThrow(/^N must be at most 1e\+12/);
    expect(() => solveCurve({ spectrum: power, N: Infinity, P: 1e13, sigma: 0, t: [1] })).toThrow(/^P must be at most 1e\+12/);
    expect(solveCurve({ spectrum: power, N: 1e12, P: Infinity, sigma: 0, t: [1] }).status).toBe('converged');
  });
});

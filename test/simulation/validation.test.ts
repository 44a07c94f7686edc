/** Invalid input throws InvalidArgumentError naming the argument and the value (STYLE 3). */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/core/errors.js';
import { powerLawSpectrum } from '../../src/spectrum/index.js';
import { simulate, type SimulationProblem, type SimulationOptions } from '../../src/simulation/index.js';
import { makeDynamics } from '../../src/dynamics/index.js';

const good: SimulationProblem = { spectrum: powerLawSpectrum({ a: 1.5, b: 1, M: 20 }), N: 5, P: 6, sigma: 0, t: [0, 1], seeds: 2, seed: 0 };

const bad: Array<[string, Partial<Record<keyof SimulationProblem, unknown>>, SimulationOptions, RegExp]> = [
  ['N = 0', { N: 0 }, {}, /^N must be an integer >= 1 or Infinity, got 0$/],
  ['N = 2.5', { N: 2.5 }, {}, /^N must be an integer >= 1 or Infinity, got 2.5$/],
  ['P = NaN', { P: NaN }, {}, /^P must be an integer >= 1 or Infinity, got NaN$/],
  ['P = -3', { P: -3 }, {}, /^P must be an integer >= 1 or Infinity, got -3$/],
  ['infinite M', { spectrum: powerLawSpectrum({ a: 1.5, b: 1 }) }, {}, /^spectrum must have finitely many modes M/],
  ['not a spectrum', { spectrum: { kind: 'x' } }, {}, /^spectrum must be a Spectrum/],
  ['t < 0', { t: [0, -1] }, {}, /^t\[1\] must be a finite number >= 0, got -1$/],
  ['t NaN', { t: [NaN] }, {}, /^t\[0\] must be a finite number >= 0, got NaN$/],
  ['t Infinity', { t: [Infinity] }, {}, /^t\[0\] must be a finite number >= 0, got Infinity$/],
  ['t empty', { t: [] }, {}, /^t must be a non-empty array/],
  ['sigma < 0', { sigma: -0.1 }, {}, /^sigma must be a finite number >= 0, got -0.1$/],
  ['sigma list with NaN', { sigma: [0, NaN] }, {}, /^sigma\[1\] must be a finite number >= 0, got NaN$/],
  ['sigma empty list', { sigma: [] }, {}, /^sigma must be a number >= 0 or a non-empty list/],
  ['seeds = 0', { seeds: 0 }, {}, /^seeds must be an integer >= 1, got 0$/],
  ['seeds = 1.5', { seeds: 1.5 }, {}, /^seeds must be an integer >= 1, got 1.5$/],
  ['seed < 0', { seed: -1 }, {}, /^seed must be a safe integer >= 0, got -1$/],
  ['seed not an integer', { seed: 0.5 }, {}, /^seed must be a safe integer >= 0, got 0.5$/],
  ['ensemble = 0', {}, { ensemble: 0 }, /^ensemble must be an integer >= 1, got 0$/],
  ['workers = 0', {}, { workers: 0 }, /^workers must be an integer >= 1, got 0$/],
  ['eigensolver unknown', {}, { eigensolver: 'lapack' as 'dense' }, /^eigensolver must be 'implicit' or 'dense', got "lapack"$/],
  ['sgdMethod unknown', {}, { sgdMethod: 'volterra' as 'exact' }, /^sgdMethod must be 'exact', 'trace-only' or 'sampled', got "volterra"$/],
  ['gd with fractional steps', { dynamics: { kind: 'gd', lr: 0.1, ridge: 0 }, t: [0, 2.5] }, {}, /^t must list whole step counts with gd \(t counts steps\), got 2.5$/],
  ['hand-built dynamics with lr <= 0', { dynamics: { kind: 'momentum', lr: -1, beta: 0.5, ridge: 0 } }, {}, /^lr must be > 0, got -1$/],
  ['hand-built dynamics with beta = 1', { dynamics: { kind: 'momentum', lr: 0.1, beta: 1, ridge: 0 } }, {}, /^momentum must be in \[0, 1\), got 1$/],
  ['unknown dynamics kind', { dynamics: { kind: 'adam' } }, {}, /^dynamics must be a Dynamics/],
  ['sgd recursion with finite P', { dynamics: { kind: 'sgd', lr: 0.1, batch: 2, ridge: 0 } }, { sgdMethod: 'trace-only' }, /^sgdMethod must be 'sampled' with SGD at finite P/],
];

describe('simulate: invalid input', () => {
  it.each(bad)('%s', async (_, patch, options, message) => {
    const problem = { ...good, ...patch } as SimulationProblem;
    const promise = simulate(problem, options);
    await expect(promise).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(simulate(problem, options)).rejects.toThrow(message);
  });

  it('ensemble = 1 is valid but leaves testA undefined (NaN) for finite N, and says so', async () => {
    const r = await simulate(good, { ensemble: 1 });
    expect(r.results[0].testA.mean.every(Number.isNaN)).toBe(true);
    expect(r.message).toMatch(/testA needs ensemble >= 2/);
    expect(r.status).toBe('converged');
  });
});

describe('status', () => {
  it.each([
    ['feature form', 6, 9, undefined],
    ['sample form', 9, 6, undefined],
    ['population form', 6, Infinity, undefined],
    ['SGD recursion', 6, Infinity, makeDynamics({ optimizer: 'sgd', lr: 0.05 })],
  ] as const)("'max_iter' when a QL iteration hits its cap (%s), never a converged number", async (_, N, P, dynamics) => {
    const { aggregate, prepareSimulation } = await import('../../src/simulation/simulate.js');
    const { runSeed } = await import('../../src/simulation/seed.js');
    const problem = { ...good, N, P, ...(dynamics ? { dynamics } : {}) };
    const { setup } = prepareSimulation(problem);
    const capped = { ...setup, qlMaxIterations: 1 };
    const outputs = [runSeed(capped, 0), runSeed(capped, 1)];
    expect(outputs[0].eigenFailures).toBeGreaterThan(0);
    const result = aggregate(problem, capped, outputs, 1, 0);
    expect(result.status).toBe('max_iter');
    expect(result.message).toMatch(/hit the QL iteration cap/);
    expect(result.results[0].test.mean.every(Number.isNaN)).toBe(true);
    expect(runSeed(setup, 0).eigenFailures).toBeUndefined();
  });

  it("'converged' for a normal run", async () => {
    const r = await simulate({ ...good, seeds: 3 });
    expect(r.status).toBe('converged');
    expect(r.message).toBeUndefined();
  });

  it("'non_finite' when the losses overflow (w*^2 = c / lambda = 1e318 is not representable)", async () => {
    const { customSpectrum } = await import('../../src/spectrum/index.js');
    const r = await simulate({ ...good, spectrum: customSpectrum([1e-10], [1e308]), N: Infinity, P: Infinity });
    expect(r.status).toBe('non_finite');
    expect(r.message).toMatch(/not finite/);
  });
});

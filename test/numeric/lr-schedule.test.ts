/**
 * The DMFT under a learning-rate schedule (THEORY E28c): the circle rule with the product kernel (and, past the
 * first steps, the keyhole with the same kernel: test/numeric/schedule-keyhole.test.ts)
 * prod_s (1 + eta_s u) (momentum: the two-term recursion at the complex eigenvalue -u). References that do
 * not share that code path:
 *  - a factor-1 schedule against the tool's own GD / momentum without schedule (y-contour, keyhole or circle
 *    with the kernel z^t): equal to round-off;
 *  - at N = P = infinity and at N = P = 1e9 (the circle rule, O(1/N) from the limit): the scalar product
 *    sum_k c_k prod_s (1 - eta_s lambda_k)^2, with the rates written out here from the formulas;
 *  - the simulator's propagators against an explicit per-step loop of the optimizer.
 * The finite model (Monte Carlo, N = 256, P = 512) is in test/reconcile/schedules-vs-simulation.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { makeDynamics, parseLearningRateSchedule, ratesFromText, type Dynamics } from '../../src/dynamics/index.js';
import { circleStepLimit, solveCurve } from '../../src/numeric/index.js';
import { propagatorFactors } from '../../src/simulation/propagators.js';
import { customSpectrum, powerLawSpectrum } from '../../src/spectrum/index.js';

const QUANTITIES = ['test', 'train', 'bias', 'testA'] as const;
const model = { spectrum: powerLawSpectrum({ a: 1.5, b: 1.25, M: 200 }), N: 64, P: 128, sigma: 0.3 };
const schedule = (spec: string) => parseLearningRateSchedule(spec);

/** The rates of the definitions, written out independently of src/dynamics. */
const cosineRate = (eta: number, T: number) => (s: number) => (eta * (1 + Math.cos((Math.PI * Math.min(s, T)) / T))) / 2;
const wsdRate = (eta: number, T: number, F: number) => (s: number) =>
  s < (1 - F) * T ? eta : s >= T ? 0 : eta * (1 - (s - (1 - F) * T) / (F * T));

/** The residual of one mode after t steps: the optimizer iterated step by step (w_{-1} = w_0 = 0, target 1). */
function residualByIteration(rate: (s: number) => number, beta: number, lambda: number, t: number): number {
  let w = 0;
  let wPrev = 0;
  for (let s = 0; s < t; s++) {
    const next = w - rate(s) * lambda * (w - 1) + beta * (w - wPrev);
    wPrev = w;
    w = next;
  }
  return 1 - w;
}

describe('a factor-1 schedule equals the tool without schedule (different rules and kernels)', () => {
  const cases: Array<[string, Dynamics, Dynamics]> = [
    ['GD eta = 0.5', makeDynamics({ optimizer: 'gd', lr: 0.5 }), makeDynamics({ optimizer: 'gd', lr: 0.5, schedule: schedule('step:7:1') })],
    ['momentum eta = 0.25, beta = 0.5', makeDynamics({ optimizer: 'momentum', lr: 0.25, momentum: 0.5 }), makeDynamics({ optimizer: 'momentum', lr: 0.25, momentum: 0.5, schedule: ratesFromText('1\n1\n', 'ones') })],
  ];
  it.each(cases)('%s', (_, plain, scheduled) => {
    const t = [1, 10, 100, 300];
    const a = solveCurve({ ...model, t, dynamics: plain });
    const b = solveCurve({ ...model, t, dynamics: scheduled });
    expect(a.status).toBe('converged');
    expect(b.status).toBe('converged');
    // The circle with the product kernel for the first steps, the scheduled keyhole beyond (schedule-keyhole.ts).
    for (const pass of b.settings.inversion as { rule: string }[]) expect(pass.rule).toMatch(/^circle( for t < \d+, keyhole \(scheduled\) above)?$/);
    for (const q of QUANTITIES) {
      t.forEach((_, i) => {
        expect(Math.abs(a[q][i] - b[q][i])).toBeLessThanOrEqual(1e-10 * Math.abs(a[q][i]));
        expect(Math.abs(a[q][i] - b[q][i])).toBeLessThanOrEqual(a.errorEstimate[q][i] + b.errorEstimate[q][i]);
      });
    }
  });
});

describe('N = P = infinity and N = P = 1e9: the scalar product sum_k c_k prod_s (1 - eta_s lambda_k)^2', () => {
  const lambda = Array.from({ length: 60 }, (_, k) => (k + 1) ** -1.25);
  const c = Array.from({ length: 60 }, (_, k) => (k + 1) ** -1.5);
  const spectrum = customSpectrum(lambda, c);
  const cases: Array<[string, Dynamics, (s: number) => number, number]> = [
    ['GD cosine:300', makeDynamics({ optimizer: 'gd', lr: 1.5, schedule: schedule('cosine:300') }), cosineRate(1.5, 300), 0],
    ['GD wsd:300:0.3', makeDynamics({ optimizer: 'gd', lr: 1.5, schedule: schedule('wsd:300:0.3') }), wsdRate(1.5, 300, 0.3), 0],
    ['GD step:100:1.25 (the rate rises: the circle at the peak rate)', makeDynamics({ optimizer: 'gd', lr: 1, schedule: schedule('step:100:1.25') }), (s: number) => (s < 100 ? 1 : 1.25), 0],
    ['momentum power:20:0.5, beta 0.5', makeDynamics({ optimizer: 'momentum', lr: 1, momentum: 0.5, schedule: schedule('power:20:0.5') }), (s: number) => (1 + s / 20) ** -0.5, 0.5],
    ['momentum wsd:200:0.5, beta 0.9', makeDynamics({ optimizer: 'momentum', lr: 0.3, momentum: 0.9, schedule: schedule('wsd:200:0.5') }), wsdRate(0.3, 200, 0.5), 0.9],
  ];
  const t = [1, 10, 100, 150, 200, 250, 300];
  it.each(cases)('%s', (_, dynamics, rate, beta) => {
    const exact = t.map((ti) => lambda.reduce((sum, l, k) => sum + c[k] * residualByIteration(rate, beta, l, ti) ** 2, 0));
    const free = solveCurve({ spectrum, N: Infinity, P: Infinity, sigma: 0, t, dynamics });
    expect(free.status).toBe('converged');
    // The reference's own round-off: 1 - w after t steps carries ~t eps absolute, i.e. ~1e-13 L(0) here.
    const referenceRoundOff = 1e-13 * c.reduce((a, b) => a + b, 0);
    t.forEach((ti, i) => expect(Math.abs(free.bias[i] - exact[i]), `t = ${ti}`).toBeLessThanOrEqual(free.errorEstimate.bias[i] + referenceRoundOff));
    // The circle rule at N = P = 1e8 and 1e9: the DMFT's own O(1/N) term (measured: a coefficient stable to 5 digits
    // from N = 1e7 to 1e9, 22 L at 10 steps, 1e3 L at 300) removed by Richardson extrapolation; what remains is
    // O(1/N^2) ~ 1e-11 L, beside the two error estimates.
    const [coarse, fine] = [1e8, 1e9].map((size) => solveCurve({ spectrum, N: size, P: size, sigma: 0, t, dynamics }));
    expect([coarse.status, fine.status]).toEqual(['converged', 'converged']);
    t.forEach((ti, i) => {
      const extrapolated = (10 * fine.bias[i] - coarse.bias[i]) / 9;
      const bound = (10 * fine.errorEstimate.bias[i] + coarse.errorEstimate.bias[i]) / 9 + 1e-10 * exact[i];
      expect(Math.abs(extrapolated - exact[i]), `t = ${ti}`).toBeLessThanOrEqual(bound);
    });
  });
  it('the WSD cool-down is read: constant rate differs from WSD far beyond the error estimate', () => {
    const wsd = solveCurve({ spectrum, N: 1e9, P: 1e9, sigma: 0, t: [300], dynamics: cases[1][1] });
    const constant = solveCurve({ spectrum, N: 1e9, P: 1e9, sigma: 0, t: [300], dynamics: makeDynamics({ optimizer: 'gd', lr: 1.5 }) });
    expect(Math.abs(wsd.bias[0] - constant.bias[0])).toBeGreaterThan(1e6 * wsd.errorEstimate.bias[0]);
  });
});

describe('limits', () => {
  it('past the circle rule cost limit a finite-size schedule takes the scheduled keyhole; every size is capped at 1e6 steps', () => {
    const dynamics = makeDynamics({ optimizer: 'gd', lr: 0.5, schedule: schedule('cosine:2000') });
    const limit = circleStepLimit();
    const finite = solveCurve({ ...model, t: [limit + 1, 2000], dynamics });
    expect(finite.status).toBe('converged');
    expect(() => solveCurve({ ...model, t: [2e6], dynamics })).toThrow(/at most 1000000 steps/);
    const free = solveCurve({ ...model, N: Infinity, P: Infinity, t: [2000], dynamics });
    expect(free.status).toBe('converged');
    expect(() => solveCurve({ ...model, N: Infinity, P: Infinity, t: [2e6], dynamics })).toThrow(/at most 1000000 steps/);
    expect(() => solveCurve({ ...model, t: [Infinity], dynamics })).toThrow(/finite under a learning-rate schedule/);
  });
});

describe('simulator propagators under a schedule', () => {
  const mu = new Float64Array([0, 1e-9, 0.01, 0.3, 1.2, 2.5]);
  const t = new Float64Array([300, 0, 1, 17, 150]);
  it.each([
    ['GD wsd', makeDynamics({ optimizer: 'gd', lr: 0.7, schedule: schedule('wsd:200:0.4') }), wsdRate(0.7, 200, 0.4), 0],
    ['momentum cosine', makeDynamics({ optimizer: 'momentum', lr: 0.5, momentum: 0.8, schedule: schedule('cosine:250') }), cosineRate(0.5, 250), 0.8],
  ] as const)('%s: h = the per-step iteration (unsorted times)', (_, dynamics, rate, beta) => {
    const { h, g } = propagatorFactors(dynamics as Exclude<Dynamics, { kind: 'sgd' }>, mu, t);
    mu.forEach((m, i) =>
      t.forEach((tj, j) => {
        const r = residualByIteration(rate, beta, m, tj);
        expect(Math.abs(h[i * t.length + j] - r)).toBeLessThanOrEqual(1e-12);
        if (m > 1e-3) expect(Math.abs(1 - m * g[i * t.length + j] - r)).toBeLessThanOrEqual(1e-11);
      }),
    );
  });
  it('a factor-1 schedule equals the closed forms (binary powering, q^t) to round-off', () => {
    for (const [plain, one] of [
      [makeDynamics({ optimizer: 'gd', lr: 0.7 }), makeDynamics({ optimizer: 'gd', lr: 0.7, schedule: schedule('power:10:0') })],
      [makeDynamics({ optimizer: 'momentum', lr: 0.5, momentum: 0.8, ridge: 0.1 }), makeDynamics({ optimizer: 'momentum', lr: 0.5, momentum: 0.8, ridge: 0.1, schedule: schedule('step:3:1') })],
    ] as const) {
      const a = propagatorFactors(plain as Exclude<Dynamics, { kind: 'sgd' }>, mu, t);
      const b = propagatorFactors(one as Exclude<Dynamics, { kind: 'sgd' }>, mu, t);
      a.h.forEach((v, i) => expect(Math.abs(v - b.h[i])).toBeLessThanOrEqual(1e-12));
      a.g.forEach((v, i) => expect(Math.abs(v - b.g[i])).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(v))));
    }
  });
});

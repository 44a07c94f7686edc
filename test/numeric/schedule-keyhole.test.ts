/**
 * The keyhole rule under a learning-rate schedule (THEORY E28c, E27a; src/numeric/schedule-keyhole.ts): GD and
 * heavy-ball momentum with rates eta_s past the circle rule's 634 steps at finite N and P.
 * References that do not share the scheduled keyhole's contour or kernel code:
 *  - the circle rule with the product kernel (schedule.ts scheduleKernel, a per-step recursion on the circle),
 *    where both apply, with the keyhole forced onto every time (keyholeMaxDrop 1) or only the circle (-1);
 *  - at N = P = 1e8 and 1e9 (Richardson-extrapolated, the DMFT's O(1/N) removed) the scalar product
 *    sum_k c_k D_t(lambda_k)^2, D_t by the optimizer's per-step iteration written out here, to 2e4 steps for
 *    cosine and 1e6 steps for a piecewise-constant schedule.
 * The finite model (Monte Carlo, N = 512, P = 1024, 1e4 and 2e4 steps) is in test/reconcile/schedules-vs-simulation.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { makeDynamics, parseLearningRateSchedule, ratesFromText, type Dynamics } from '../../src/dynamics/index.js';
import { solveCurve } from '../../src/numeric/index.js';
import { customSpectrum, powerLawSpectrum } from '../../src/spectrum/index.js';
import { expectKeyholeMatchesCircle } from './helpers.js';

const QUANTITIES = ['test', 'train', 'bias', 'testA'] as const;
const model = { spectrum: powerLawSpectrum({ a: 1.5, b: 1.25, M: 200 }), N: 64, P: 128, sigma: 0.3 };
const schedule = (spec: string) => parseLearningRateSchedule(spec);
const rules = (sol: ReturnType<typeof solveCurve>) => (sol.settings.inversion as { rule: string }[]).map((p) => p.rule);
const eMax = solveCurve({ ...model, t: [1], dynamics: makeDynamics({ optimizer: 'gd', lr: 0.1 }) }).diagnostics.spectrumTop;

describe('scheduled keyhole against the circle rule with the product kernel (N = 64, P = 128, sigma = 0.3)', () => {
  const cases: Array<[string, Dynamics, number[]]> = [
    ['GD eta E_max = 0.8 (no closure), cosine:400', makeDynamics({ optimizer: 'gd', lr: 0.8 / eMax, schedule: schedule('cosine:300') }), [150, 280, 300]],
    ['GD eta E_max = 1.5 (closure), wsd:400:0.3', makeDynamics({ optimizer: 'gd', lr: 1.5 / eMax, schedule: schedule('wsd:300:0.3') }), [150, 280, 300]],
    ['momentum beta = 0.5, cosine:400', makeDynamics({ optimizer: 'momentum', lr: 0.25, momentum: 0.5, schedule: schedule('cosine:250') }), [150, 240, 300]],
    ['momentum beta = 0.5, no fast part (closure between sqrt(beta) and the slow root), step:100:0.5', makeDynamics({ optimizer: 'momentum', lr: 0.05, momentum: 0.5, schedule: schedule('step:100:0.5') }), [200, 400]],
    ['momentum beta = 0.5, file breakpoints (linear segments)', makeDynamics({ optimizer: 'momentum', lr: 0.3, momentum: 0.5, schedule: ratesFromText('0,0.2\n20,1\n150,1\n250,0.05', 'breakpoints') }), [200, 300]],
  ];
  it.each(cases)('%s: agree to 1e-9 relative and within the error estimates', (_, dynamics, t) => {
    const keyhole = solveCurve({ ...model, t, dynamics }, { keyholeMaxDrop: 1 });
    const circle = solveCurve({ ...model, t, dynamics }, { keyholeMaxDrop: -1 });
    expect(rules(keyhole)).toEqual(['keyhole (scheduled)', 'keyhole (scheduled)']);
    expectKeyholeMatchesCircle(keyhole, circle, t);
  }, 120_000);

  it("the dropped closure's bound uses the schedule's own kernel: forced onto early steps the error is real and the estimate bounds it", () => {
    // GD at eta E_max = 1.5 (r0 = 0.54): after 8 steps at the peak the closure carries ~1e-2 of |K|; both passes
    // drop the same closure, so only its bound (the kernel sampled on the closure) can cover the error.
    const dynamics = makeDynamics({ optimizer: 'gd', lr: 1.5 / eMax, schedule: schedule('step:5:0.5') });
    const t = [8, 12];
    const keyhole = solveCurve({ ...model, t, dynamics }, { keyholeMaxDrop: 1 });
    const circle = solveCurve({ ...model, t, dynamics }, { keyholeMaxDrop: -1 });
    expect(rules(keyhole)[0]).toBe('keyhole (scheduled)');
    for (const q of QUANTITIES) {
      t.forEach((ti, i) => {
        const error = Math.abs(keyhole[q][i] - circle[q][i]);
        expect(error, `${q} t = ${ti}`).toBeGreaterThan(1e-9);
        expect(error, `${q} t = ${ti}`).toBeLessThanOrEqual(keyhole.errorEstimate[q][i]);
        expect(keyhole.quantityStatus[q][i]).not.toBe('converged');
      });
    }
  }, 60_000);
});

describe('long horizons at N = P = 1e8, 1e9: the scalar product sum_k c_k D_t(lambda_k)^2', () => {
  // 400 modes with b = 2 (lambda down to 6e-6): the loss still falls at 1e6 steps.
  const K = 400;
  const lambda = Array.from({ length: K }, (_, k) => (k + 1) ** -2);
  const c = Array.from({ length: K }, (_, k) => (k + 1) ** -1.5);
  const spectrum = customSpectrum(lambda, c);
  /** sum_k c_k D_t^2 with D by the iteration D_{s+1} = (1 + beta - eta_s lambda) D_s - beta D_{s-1}, D_0 = D_{-1} = 1. */
  function exact(rate: ((s: number) => number) | undefined, beta: number, t: number[], closedForm?: (l: number, t: number) => number): number[] {
    if (closedForm !== undefined) return t.map((ti) => lambda.reduce((sum, l, k) => sum + c[k] * closedForm(l, ti) ** 2, 0));
    if (rate === undefined) throw new Error('a rate or a closed form');
    const out = new Array<number>(t.length).fill(0);
    const rates = Float64Array.from({ length: t[t.length - 1] }, (_, s) => rate(s));
    for (let k = 0; k < K; k++) {
      let d0 = 1, d1 = 1, s = 0;
      t.forEach((ti, i) => {
        for (; s < ti; s++) {
          const next = (1 + beta - rates[s] * lambda[k]) * d0 - beta * d1;
          d1 = d0;
          d0 = next;
        }
        out[i] += c[k] * d0 * d0;
      });
    }
    return out;
  }
  const cosine = (eta: number, T: number) => (s: number) => (eta * (1 + Math.cos((Math.PI * Math.min(s, T)) / T))) / 2;
  // GD step:T1:F: D_t = (1 - eta lambda)^T1 (1 - F eta lambda)^(t - T1) for t >= T1 (no per-step loop to 1e6).
  const stepDecay = (eta: number, T1: number, F: number) => (l: number, t: number) => (1 - eta * l) ** Math.min(t, T1) * (1 - F * eta * l) ** Math.max(0, t - T1);
  const cases: Array<[string, Dynamics, ((s: number) => number) | undefined, number, number[], ((l: number, t: number) => number)?]> = [
    ['GD eta = 1.5 cosine:20000', makeDynamics({ optimizer: 'gd', lr: 1.5, schedule: schedule('cosine:20000') }), cosine(1.5, 20000), 0, [1000, 10000, 17000, 19000, 20000]],
    ['momentum eta = 0.5, beta = 0.5, cosine:20000', makeDynamics({ optimizer: 'momentum', lr: 0.5, momentum: 0.5, schedule: schedule('cosine:20000') }), cosine(0.5, 20000), 0.5, [1000, 10000, 17000, 20000]],
    ['GD eta = 1.5 step:1000:0.1 to 1e6 steps', makeDynamics({ optimizer: 'gd', lr: 1.5, schedule: schedule('step:1000:0.1') }), undefined, 0, [1000, 1e4, 1e5, 1e6], stepDecay(1.5, 1000, 0.1)],
  ];
  it.each(cases)('%s', (_, dynamics, rate, beta, t, closedForm) => {
    const reference = exact(rate, beta, t, closedForm);
    const [coarse, fine] = [1e8, 1e9].map((size) => solveCurve({ spectrum, N: size, P: size, sigma: 0, t, dynamics }));
    expect([coarse.status, fine.status]).toEqual(['converged', 'converged']);
    expect(rules(fine)[0]).toMatch(/keyhole \(scheduled\)/);
    t.forEach((ti, i) => {
      const extrapolated = (10 * fine.bias[i] - coarse.bias[i]) / 9;
      // The O(1/N^2) remainder of the extrapolation and the reference's own t eps round-off: 1e-10 relative.
      const bound = (10 * fine.errorEstimate.bias[i] + coarse.errorEstimate.bias[i]) / 9 + 1e-10 * reference[i];
      expect(Math.abs(extrapolated - reference[i]), `t = ${ti}`).toBeLessThanOrEqual(bound);
    });
  }, 120_000);
});

/**
 * The keyhole rule (THEORY E27a): heavy-ball momentum and GD at eta E_max >= 1 at any horizon.
 * References, none of which shares the keyhole's contour:
 *  - the circle rule of (E27), itself checked against numpy fixtures (dynamics.test.ts), where both apply;
 *  - at N = P = infinity the DMFT transfer function of mode k is exactly the scalar propagator, computed
 *    here by the recursion e_{s+1} = (1 + beta - eta lambda) e_s - beta e_{s-1}, e_0 = e_{-1} = 1;
 *  - the static limits t = infinity (E16b, static.ts: no contour), which a curve at 1e6 steps must reach;
 *  - the roots of z^2 - (1 + beta - eta mu) z + beta by the quadratic formula for the fast radius.
 * The finite model (simulation, N = 512, P = 1024, to 1e6 steps) is in test/reconcile/dynamics-vs-simulation.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { makeDynamics, type Dynamics } from '../../src/dynamics/index.js';
import { powerLawSpectrum } from '../../src/spectrum/index.js';
import { fastRadius, solveCurve, staticLimits, transferFunctions } from '../../src/numeric/index.js';

const spectrum = powerLawSpectrum({ a: 1.5, b: 1.25, M: 200 });
const model = { spectrum, N: 64, P: 128, sigma: 0.3 };
const QUANTITIES = ['test', 'train', 'bias', 'testA'] as const;
const topOf = () => solveCurve({ ...model, t: [1], dynamics: makeDynamics({ optimizer: 'gd', lr: 0.1 }) }).diagnostics.spectrumTop;

/** The rule of each pass (primary and error estimate). */
function rules(sol: ReturnType<typeof solveCurve>): string[] {
  return (sol.settings.inversion as { rule: string }[]).map((p) => p.rule);
}

describe('fast radius of the singular set (E27a)', () => {
  it('is the largest |z| of the roots off the positive real axis, over mu in [0, E_max]', () => {
    for (const [eta, beta, eMax] of [[0.5, 0.9, 1.2], [1, 0.5, 3.5], [0.05, 0.5, 1], [1.5, 0, 1.1], [0.8, 0, 1], [1.2, 0.3, 2.5]]) {
      let worst = 0;
      for (let i = 0; i <= 20000; i++) {
        const mu = (eMax * i) / 20000;
        const b = 1 + beta - eta * mu;
        const disc = b * b - 4 * beta;
        if (disc < 0) worst = Math.max(worst, Math.sqrt(beta));
        else for (const z of [(b + Math.sqrt(disc)) / 2, (b - Math.sqrt(disc)) / 2]) if (z < 0) worst = Math.max(worst, -z);
      }
      expect(fastRadius(eta, beta, eMax)).toBeCloseTo(worst, 6);
    }
  });
});

describe('keyhole against the circle rule where both apply (N = 64, P = 128, sigma = 0.3)', () => {
  const eMax = topOf();
  const cases: Array<[string, Dynamics, number[]]> = [
    ['momentum beta = 0.5', makeDynamics({ optimizer: 'momentum', lr: 0.25, momentum: 0.5 }), [100, 200]],
    ['GD eta E_max = 1.5', makeDynamics({ optimizer: 'gd', lr: 1.5 / eMax }), [100, 200]],
    ['momentum beta = 0.5, eta E_max below (1 - sqrt beta)^2 (no fast part, no closure)', makeDynamics({ optimizer: 'momentum', lr: 0.05, momentum: 0.5 }), [60, 200]],
  ];
  it.each(cases)('%s: agree to 1e-9 relative, both converged', (_, dynamics, t) => {
    const keyhole = solveCurve({ ...model, t, dynamics }, { keyholeMaxDrop: 1 });
    const circle = solveCurve({ ...model, t, dynamics }, { keyholeMaxDrop: -1 });
    expect(rules(keyhole)).toEqual(['keyhole']); // one pass: the nested estimate reuses its nodes
    expect(rules(circle)).toEqual(['circle', 'circle']);
    expect(keyhole.status).toBe('converged');
    expect(circle.status).toBe('converged');
    for (const q of QUANTITIES) {
      t.forEach((_, i) => {
        expect(Math.abs(keyhole[q][i] - circle[q][i])).toBeLessThanOrEqual(1e-9 * Math.abs(circle[q][i]));
        expect(Math.abs(keyhole[q][i] - circle[q][i])).toBeLessThanOrEqual(keyhole.errorEstimate[q][i] + circle.errorEstimate[q][i]);
      });
    }
  }, 60_000);

  it('the dropped closure is in the error estimate: forced onto early steps, the keyhole is off by far more than its nested sub-rules differ, and its estimate still bounds the error', () => {
    // beta = 0.5: r0 = 0.732, so r0^t is 2e-3 and 2e-5 at t = 20 and 35. The nested sub-rules drop the same closure as the primary,
    // so only the bound of the dropped part (curve.ts groupDropBound) can cover the error here.
    const dynamics = makeDynamics({ optimizer: 'momentum', lr: 0.25, momentum: 0.5 });
    const t = [20, 35];
    const keyhole = solveCurve({ ...model, t, dynamics }, { keyholeMaxDrop: 1 });
    const circle = solveCurve({ ...model, t, dynamics }, { keyholeMaxDrop: -1 });
    expect(rules(keyhole)).toEqual(['keyhole']); // one pass: the nested estimate reuses its nodes
    for (const q of QUANTITIES) {
      t.forEach((_, i) => {
        const error = Math.abs(keyhole[q][i] - circle[q][i]);
        expect(error).toBeGreaterThan(1e-8); // a real error, far above the two passes' spread (~1e-12)
        expect(error).toBeLessThanOrEqual(keyhole.errorEstimate[q][i]);
        expect(keyhole.quantityStatus[q][i]).not.toBe('converged');
      });
    }
  }, 60_000);

  it('beta = 0.9 forced onto 200 steps: the estimate bounds the error (r0^t = 8e-5)', () => {
    const dynamics = makeDynamics({ optimizer: 'momentum', lr: 0.25, momentum: 0.9 });
    const keyhole = solveCurve({ ...model, t: [200], dynamics }, { keyholeMaxDrop: 1 });
    const circle = solveCurve({ ...model, t: [200], dynamics }, { keyholeMaxDrop: -1 });
    for (const q of QUANTITIES) expect(Math.abs(keyhole[q][0] - circle[q][0])).toBeLessThanOrEqual(keyhole.errorEstimate[q][0]);
  }, 60_000);
});

describe('any horizon: 1 to 1e6 steps, no refusal, cost flat in t', () => {
  const t = [1, 7, 52, 373, 2683, 19307, 138950, 1e6];
  const eMax = topOf();
  const cases: Array<[string, Dynamics]> = [
    ['momentum beta = 0.9', makeDynamics({ optimizer: 'momentum', lr: 0.5, momentum: 0.9 })],
    ['momentum beta = 0.5', makeDynamics({ optimizer: 'momentum', lr: 1, momentum: 0.5 })],
    ['GD eta E_max = 1.5', makeDynamics({ optimizer: 'gd', lr: 1.5 / eMax })],
    ['GD eta E_max = 1.9', makeDynamics({ optimizer: 'gd', lr: 1.9 / eMax })],
  ];
  it.each(cases)('%s: converged at every time, and 1e6 steps reach the static limit (E16b)', (_, dynamics) => {
    const sol = solveCurve({ ...model, t: [...t, 1e6 - 1, Infinity], dynamics });
    expect(sol.status).toBe('converged');
    expect(rules(sol)[0]).toMatch(/keyhole/);
    const stat = staticLimits({ ...model, dynamics });
    const last = t.length - 1;
    for (const q of ['test', 'train', 'bias'] as const) {
      expect(Math.abs(sol[q][last] - stat[q])).toBeLessThanOrEqual(sol.errorEstimate[q][last] + stat.errorEstimate + 1e-9 * Math.abs(stat[q]));
    }
  }, 60_000);

  it('cost does not grow with t: the same nodes serve 1e3-1e4 and 1e5-1e6 steps', () => {
    const dynamics = makeDynamics({ optimizer: 'momentum', lr: 0.5, momentum: 0.9 });
    const early = solveCurve({ ...model, t: [1e3, 5e3], dynamics });
    const late = solveCurve({ ...model, t: [1e5, 5e5], dynamics });
    expect(late.diagnostics.nodes).toBe(early.diagnostics.nodes);
    expect(late.diagnostics.pairs).toBe(early.diagnostics.pairs);
  });
});

describe('N = P = infinity: the transfer function is the scalar propagator (exact recursion)', () => {
  function propagator(eta: number, beta: number, lambda: number, steps: number): number {
    let prev = 1;
    let cur = 1;
    for (let s = 0; s < steps; s++) {
      const next = (1 + beta - eta * lambda) * cur - beta * prev;
      prev = cur;
      cur = next;
    }
    return cur;
  }
  const free = powerLawSpectrum({ a: 1.5, b: 1.25 });
  it.each([
    [0.5, 0.9],
    [1.5, 0],
    [1.9, 0],
    [2.5, 0.5],
  ])('eta = %s, beta = %s at 1e3-1e6 steps, within the error estimate', (eta, beta) => {
    const dynamics = beta > 0 ? makeDynamics({ optimizer: 'momentum', lr: eta, momentum: beta }) : makeDynamics({ optimizer: 'gd', lr: eta });
    const steps = [1000, 30000, 1000000];
    const ks = [30, 300, 3000];
    const r = transferFunctions({ spectrum: free, N: Infinity, P: Infinity, dynamics }, ks, steps);
    expect(r.status).toBe('converged');
    ks.forEach((k, m) =>
      steps.forEach((s, i) => {
        const exact = propagator(eta, beta, Math.pow(k, -1.25), s);
        expect(Math.abs(r.value[m][i] - exact)).toBeLessThanOrEqual(r.errorEstimate[m][i] + 1e-12);
        expect(r.errorEstimate[m][i]).toBeLessThan(1e-8);
      }),
    );
  });
  it('beta = 0.99 past the circle limit, before r0^t is small (E27a): answered, unverified, and the estimate still bounds the error', () => {
    const eta = 0.5;
    const beta = 0.99;
    const steps = [700, 1500, 3000, 1e6];
    const ks = [1, 30, 300];
    const r = transferFunctions({ spectrum: free, N: Infinity, P: Infinity, dynamics: makeDynamics({ optimizer: 'momentum', lr: eta, momentum: beta }) }, ks, steps);
    expect(r.statusPerTime).toEqual(['unverified', 'unverified', 'unverified', 'converged']);
    ks.forEach((k, m) =>
      steps.forEach((s, i) => expect(Math.abs(r.value[m][i] - propagator(eta, beta, Math.pow(k, -1.25), s))).toBeLessThanOrEqual(r.errorEstimate[m][i] + 1e-12)),
    );
  });
});

/**
 * Nesterov at any horizon at finite N and P (THEORY E28d, "Any horizon"): the keyhole of (E27a) in y = log z of
 * Nesterov's own Z-map, with the kernel z^t f_t(z) (both roots) and the closure outside the disc |(1 + beta) z - beta| < beta.
 * References, none of which shares the keyhole's contour or its kernel code:
 *  - the circle rule of (E27) with the module's map (nesterov.ts node, itself checked against the scalar
 *    propagator in test/dynamics/nesterov.test.ts) where both apply, keyhole forced onto every time or none;
 *  - at N = P = 1e8, 1e9, 1e10 (Richardson-extrapolated to second order, the DMFT's O(1/N) removed) the scalar sum
 *    sum_k c_k D_t(lambda_k)^2 in 40 digits (scripts/numeric/nesterov_long_reference.py), to 1e6 steps;
 *  - at N = P = infinity the transfer function of mode k (through the contour) against the scalar recursion;
 *  - the static limit t = infinity (E16b, static.ts: no contour), which 1e6 steps must reach;
 *  - the roots of z^2 - a (1 + beta) z + a beta by the quadratic formula, for the geometry the closure is placed by.
 * The finite model (Monte Carlo, N = P = 512, to 1e4 steps) is in test/reconcile/nesterov-vs-simulation.test.ts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeDynamics, nesterovMap, type Dynamics } from '../../src/dynamics/index.js';
import { solveCurve, staticLimits, transferFunctions } from '../../src/numeric/index.js';
import { customSpectrum, powerLawSpectrum } from '../../src/spectrum/index.js';
import { expectKeyholeMatchesCircle } from './helpers.js';

interface LongCase { eta: number; beta: number; t: number[]; loss: string[] }
const reference = JSON.parse(readFileSync(new URL('./fixtures/nesterov-long.json', import.meta.url), 'utf8')) as { modes: number; cases: LongCase[] };

const QUANTITIES = ['test', 'train', 'bias', 'testA'] as const;
const model = { spectrum: powerLawSpectrum({ a: 1.5, b: 1.25, M: 200 }), N: 64, P: 128, sigma: 0.3 };
const rules = (sol: ReturnType<typeof solveCurve>) => (sol.settings.inversion as { rule: string }[]).map((p) => p.rule);
const eMax = solveCurve({ ...model, t: [1], dynamics: makeDynamics({ optimizer: 'gd', lr: 0.1 }) }).diagnostics.spectrumTop;
const nesterov = (lr: number, momentum: number) => makeDynamics({ optimizer: 'nesterov', lr, momentum });

describe('the singular set of the Nesterov map (E28d): fast radius, slow root, inner disc', () => {
  it('fastRadius is the largest |z| of the dominant roots off (0, 1]; slowRoot the dominant root of E_max; the second roots lie in the inner disc', () => {
    for (const [eta, beta, top] of [[0.5, 0.9, 1.2], [1.2, 0.5, 1], [0.05, 0.5, 1], [1.5, 0, 1.1], [0.8, 0, 1], [0.9, 0.3, 1.5], [0.2, 0.9, 1]]) {
      const keyhole = nesterovMap(eta, beta).keyhole!;
      let fast = 0;
      let secondMax = 0;
      for (let i = 0; i <= 20000; i++) {
        const a = 1 - (eta * top * i) / 20000;
        const b = a * (1 + beta);
        const disc = b * b - 4 * a * beta;
        if (disc < 0) {
          fast = Math.max(fast, Math.sqrt(a * beta));
          continue;
        }
        const roots = [(b + Math.sqrt(disc)) / 2, (b - Math.sqrt(disc)) / 2].sort((x, y) => Math.abs(y) - Math.abs(x));
        if (roots[0] < 0) fast = Math.max(fast, -roots[0]);
        // The second root sits in the closed disc |(1 + beta) z - beta| <= beta, inside |z| <= innerRadius.
        if (beta > 0) expect(Math.abs((1 + beta) * roots[1] - beta)).toBeLessThanOrEqual(beta * (1 + 1e-9));
        secondMax = Math.max(secondMax, Math.abs(roots[1]));
      }
      // The complex pair approaches the real axis at the double root 2 beta/(1 + beta) = innerRadius (the sup, not reached on the grid).
      expect(keyhole.fastRadius(top)).toBeCloseTo(fast, 2);
      expect(keyhole.fastRadius(top)).toBeGreaterThanOrEqual(fast);
      expect(secondMax).toBeLessThanOrEqual(keyhole.innerRadius + 1e-12);
      const a = 1 - eta * top;
      if (keyhole.fastRadius(top) === 0) {
        const b = a * (1 + beta);
        expect(keyhole.slowRoot(top)).toBeCloseTo((b + Math.sqrt(b * b - 4 * a * beta)) / 2, 12);
        expect(keyhole.slowRoot(top)).toBeGreaterThan(keyhole.innerRadius);
      }
    }
  });

  it('z^t f_t(z) is D_t(-u(z)) z u\'(z), D_t by the step recursion at the complex point and u\' by differences (both roots: the second matters near the inner disc)', () => {
    const [eta, beta] = [0.5, 0.9];
    const keyhole = nesterovMap(eta, beta).keyhole!;
    const out = { ur: 0, ui: 0, kr: 0, ki: 0 };
    const u = (zr: number, zi: number): [number, number] => {
      keyhole.node(zr - 1, zi, 0, out);
      return [out.ur, out.ui];
    };
    for (const [r, th] of [[0.96, 0.4], [0.99, 1.5], [1.1, 0.2], [0.97, 3]]) {
      const zr = r * Math.cos(th);
      const zi = r * Math.sin(th);
      // u'(z) by a central difference along the real direction (u is analytic); z u'.
      const h = 1e-6;
      const [ur1, ui1] = u(zr + h, zi);
      const [ur0, ui0] = u(zr - h, zi);
      const dr = (ur1 - ur0) / (2 * h);
      const di = (ui1 - ui0) / (2 * h);
      const jr = zr * dr - zi * di;
      const ji = zr * di + zi * dr;
      const [vr, vi] = u(zr, zi);
      for (const t of [1, 5, 40]) {
        // D_{s+1} = a [(1 + beta) D_s - beta D_{s-1}], a = 1 + eta u (complex), D_0 = D_{-1} = 1
        const ar = 1 + eta * vr;
        const ai = eta * vi;
        let d0r = 1, d0i = 0, d1r = 1, d1i = 0;
        for (let s = 0; s < t; s++) {
          const br = (1 + beta) * d0r - beta * d1r;
          const bi = (1 + beta) * d0i - beta * d1i;
          d1r = d0r; d1i = d0i;
          d0r = ar * br - ai * bi;
          d0i = ar * bi + ai * br;
        }
        const er = d0r * jr - d0i * ji;
        const ei = d0r * ji + d0i * jr;
        keyhole.node(zr - 1, zi, t, out);
        // times z^t
        const m = r ** t;
        const gr = m * (out.kr * Math.cos(t * th) - out.ki * Math.sin(t * th));
        const gi = m * (out.kr * Math.sin(t * th) + out.ki * Math.cos(t * th));
        expect(Math.hypot(gr - er, gi - ei), `r = ${r}, theta = ${th}, t = ${t}`).toBeLessThanOrEqual(1e-7 * Math.hypot(er, ei));
      }
    }
  });

  it('factorBound bounds |f_t| for every t outside the inner disc', () => {
    const keyhole = nesterovMap(0.5, 0.9).keyhole!;
    const out = { ur: 0, ui: 0, kr: 0, ki: 0 };
    for (const r of [0.95, 0.97, 1.2]) {
      for (let k = 1; k < 64; k++) {
        const th = (Math.PI * k) / 64;
        const dr = r * Math.cos(th) - 1;
        const di = r * Math.sin(th);
        for (const t of [0, 1, 10, 100, 1000]) {
          keyhole.node(dr, di, t, out);
          expect(Math.hypot(out.kr, out.ki)).toBeLessThanOrEqual(keyhole.factorBound(dr, di) * (1 + 1e-12));
        }
      }
    }
  });
});

describe('Nesterov keyhole against the circle rule where both apply (N = 64, P = 128, sigma = 0.3)', () => {
  const cases: Array<[string, Dynamics, number[]]> = [
    ['beta = 0.9, complex pairs (fast radius = inner radius 0.947)', nesterov(0.5, 0.9), [450, 600]],
    ['beta = 0.3, eta E_max = 1.2: negative roots', nesterov(1.2 / eMax, 0.3), [60, 200]],
    ['beta = 0.5, eta E_max = 0.07: no fast part (closure between the inner disc and the slow root)', nesterov(0.05, 0.5), [100, 300]],
    ['beta = 0, eta E_max = 1.5 (GD)', nesterov(1.5 / eMax, 0), [60, 200]],
  ];
  it.each(cases)('%s: agree to 1e-9 relative and within the error estimates', (_, dynamics, t) => {
    const keyhole = solveCurve({ ...model, t, dynamics }, { keyholeMaxDrop: 1 });
    const circle = solveCurve({ ...model, t, dynamics }, { keyholeMaxDrop: -1 });
    expect(rules(keyhole)).toEqual(['keyhole']); // one pass: the nested estimate reuses its nodes
    expectKeyholeMatchesCircle(keyhole, circle, t);
  }, 120_000);

  it('forced onto early steps (beta = 0.9, r0^t = 7e-3 and 5e-5): the dropped closure is a real error, its bound covers it, the status says so', () => {
    const dynamics = nesterov(0.5, 0.9);
    const t = [100, 200];
    const keyhole = solveCurve({ ...model, t, dynamics }, { keyholeMaxDrop: 1 });
    const circle = solveCurve({ ...model, t, dynamics }, { keyholeMaxDrop: -1 });
    expect(rules(keyhole)).toEqual(['keyhole']);
    for (const q of QUANTITIES) {
      t.forEach((ti, i) => {
        const error = Math.abs(keyhole[q][i] - circle[q][i]);
        expect(error, `${q} t = ${ti}`).toBeGreaterThan(1e-9);
        expect(error, `${q} t = ${ti}`).toBeLessThanOrEqual(keyhole.errorEstimate[q][i]);
        expect(keyhole.quantityStatus[q][i], `${q} t = ${ti}`).not.toBe('converged');
      });
    }
    // By default those steps take the circle (exact there).
    expect(rules(solveCurve({ ...model, t, dynamics }))).toEqual(['circle', 'circle']);
  }, 60_000);
});

describe('any horizon at finite N and P: 1 to 1e6 steps, no refusal', () => {
  const t = [1, 7, 52, 373, 2683, 19307, 138950, 1e6];
  it.each([
    ['beta = 0.9', nesterov(0.5, 0.9)],
    ['beta = 0.5, eta E_max = 1.2', nesterov(1.2 / eMax, 0.5)],
  ])('%s: converged at every time, circle first and keyhole beyond, and 1e6 steps reach the static limit (E16b)', (_, dynamics) => {
    const sol = solveCurve({ ...model, t: [...t, Infinity], dynamics });
    expect(sol.status).toBe('converged');
    expect(rules(sol)[0]).toMatch(/^circle for t < \d+, keyhole above$/);
    const stat = staticLimits({ ...model, dynamics });
    const last = t.length - 1;
    for (const q of ['test', 'train', 'bias'] as const) {
      expect(Math.abs(sol[q][last] - stat[q]), q).toBeLessThanOrEqual(sol.errorEstimate[q][last] + stat.errorEstimate + 1e-9 * Math.abs(stat[q]));
    }
  }, 60_000);

  it('the error estimate bounds the error against a denser rule past the circle (1e3 to 1e5 steps)', () => {
    const dynamics = nesterov(0.5, 0.9);
    const times = [1000, 1e4, 1e5];
    const primary = solveCurve({ ...model, t: times, dynamics });
    const dense = solveCurve({ ...model, t: times, dynamics }, { nodes: [64, undefined] });
    expect(rules(primary)).toEqual(['keyhole']);
    expect(primary.status).toBe('converged');
    for (const q of QUANTITIES) {
      times.forEach((ti, i) => expect(Math.abs(primary[q][i] - dense[q][i]), `${q} t = ${ti}`).toBeLessThanOrEqual(primary.errorEstimate[q][i] + dense.errorEstimate[q][i]));
    }
  }, 60_000);
});

describe('N = P = infinity: the transfer function through the keyhole is the scalar propagator', () => {
  /**
   * D_t of D_{s+1} = a [(1 + beta) D_s - beta D_{s-1}], a = 1 - eta lambda, D_0 = D_{-1} = 1. Real roots: the closed
   * form A z1^t + B z2^t with 1 - z1 = 2 eta lambda/(2 - b + sqrt(b^2 - 4 a beta)), b = a (1 + beta), and z1^t =
   * exp(t log1p(z1 - 1)) (a step-by-step recursion loses t eps, 3e-12 at 3e4 steps, more than the keyhole); complex
   * roots (|z| = sqrt(a beta), decayed to nothing here): step by step.
   */
  function propagator(eta: number, beta: number, lambda: number, steps: number): number {
    const x = eta * lambda;
    const a = 1 - x;
    const b = a * (1 + beta);
    const disc = b * b - 4 * a * beta;
    const delta = disc > 0 ? (2 * x) / (2 - b + Math.sqrt(disc)) : NaN;
    const z1 = 1 - delta;
    const z2 = (a * beta) / z1;
    if (!(disc > 0) || z1 - z2 < 1e-3) {
      let prev = 1;
      let cur = 1;
      for (let s = 0; s < steps; s++) {
        const next = a * ((1 + beta) * cur - beta * prev);
        prev = cur;
        cur = next;
      }
      return cur;
    }
    return (z1 * (1 - z2) * Math.exp(steps * Math.log1p(-delta)) - z2 * delta * z2 ** steps) / (z1 - z2);
  }
  const free = powerLawSpectrum({ a: 1.5, b: 1.25 });
  const ks = [1, 30, 300, 3000];
  it.each([
    [0.5, 0.9, [1000, 30000, 1e6]],
    [1.2, 0.5, [1000, 30000, 1e6]],
    [0.1, 0.3, [1000, 30000, 1e6]],
  ])('eta = %s, beta = %s at 1e3-1e6 steps, within the error estimate', (eta, beta, steps) => {
    const r = transferFunctions({ spectrum: free, N: Infinity, P: Infinity, dynamics: nesterov(eta, beta) }, ks, steps);
    expect(r.status).toBe('converged');
    ks.forEach((k, m) =>
      steps.forEach((s, i) => {
        expect(Math.abs(r.value[m][i] - propagator(eta, beta, k ** -1.25, s)), `k = ${k}, t = ${s}`).toBeLessThanOrEqual(r.errorEstimate[m][i] + 1e-12);
        expect(r.errorEstimate[m][i]).toBeLessThan(1e-8);
      }),
    );
  });
  it('beta = 0.99 past the circle limit, before r0^t is small: answered, unverified, and the estimate still bounds the error', () => {
    const steps = [700, 1500, 3000, 1e6];
    const r = transferFunctions({ spectrum: free, N: Infinity, P: Infinity, dynamics: nesterov(0.5, 0.99) }, ks, steps);
    expect(r.statusPerTime).toEqual(['unverified', 'unverified', 'unverified', 'converged']);
    ks.forEach((k, m) =>
      steps.forEach((s, i) => expect(Math.abs(r.value[m][i] - propagator(0.5, 0.99, k ** -1.25, s)), `k = ${k}, t = ${s}`).toBeLessThanOrEqual(r.errorEstimate[m][i] + 1e-12)),
    );
  });
});

describe('long horizons at N = P = 1e8, 1e9, 1e10: the scalar sum sum_k c_k D_t(lambda_k)^2 (40-digit reference)', () => {
  // 400 modes with b = 2 (lambda down to 6e-6): the loss still falls at 1e6 steps for the small effective rates.
  // A double-precision step-by-step recursion is off by t eps/(1 - beta) (2e-10 at 1e5 steps, beta = 0.9), more than the
  // keyhole: the reference is 2 x 2 powering in 40 digits (scripts/numeric/nesterov_long_reference.py).
  const K = reference.modes;
  const spectrum = customSpectrum(
    Array.from({ length: K }, (_, k) => (k + 1) ** -2),
    Array.from({ length: K }, (_, k) => (k + 1) ** -1.5),
  );
  it.each(reference.cases.map((c) => [`eta = ${c.eta}, beta = ${c.beta}, t = ${c.t.join(', ')}`, c] as const))('%s', (_, c) => {
    const dynamics = nesterov(c.eta, c.beta);
    const [s1, s2, s3] = [1e8, 1e9, 1e10].map((size) => solveCurve({ spectrum, N: size, P: size, sigma: 0, t: c.t, dynamics }));
    expect([s1.status, s2.status, s3.status]).toEqual(['converged', 'converged', 'converged']);
    expect(rules(s3)).toEqual(['keyhole']);
    c.t.forEach((ti, i) => {
      const exact = Number(c.loss[i]);
      // Second-order Richardson in 1/N: the first-order one leaves its O(1/N^2) remainder, 5e-12 relative at 1e5 steps
      // (measured: 5e-10, 5e-12, 5e-14 for the size pairs 1e7/1e8, 1e8/1e9, 1e9/1e10; second order 3e-15).
      const extrapolated = (1000 * s3.bias[i] - 110 * s2.bias[i] + s1.bias[i]) / 891;
      const bound = (1000 * s3.errorEstimate.bias[i] + 110 * s2.errorEstimate.bias[i] + s1.errorEstimate.bias[i]) / 891 + 1e-13 * exact;
      expect(Math.abs(extrapolated - exact), `t = ${ti}`).toBeLessThanOrEqual(bound);
    });
  }, 120_000);
});

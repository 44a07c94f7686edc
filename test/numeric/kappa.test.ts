/**
 * The effective ridge kappa(s) and the one-point functions (THEORY E9-E12,
 * E15a): residuals, branch, Stieltjes signs, limits, N <-> P symmetry.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyTest } from '../property-test.js';
import { powerLawSpectrum } from '../../src/spectrum/index.js';
import { gReal, makeKappaContext, solveKappaNodes, solveKappaReal } from '../../src/numeric/kappa.js';
import { modeQuadrature } from '../../src/numeric/modes.js';
import { numericContext, solveKappa } from '../../src/numeric/index.js';
import { InvalidArgumentError } from '../../src/core/errors.js';

const size = fc.oneof(fc.constant(Infinity), fc.integer({ min: 16, max: 4096 }));

describe('kappa_c (E12, E15a)', () => {
  it('solves g(kappa_c) = min(N, P) when min(N, P) < M, else 0', () => {
    const ctx = numericContext({ spectrum: powerLawSpectrum({ a: 1.5, b: 1.25 }), N: 256, P: 1024 });
    expect(ctx.kappaCStatus).toBe('converged');
    expect(Math.abs(gReal(ctx.modes, ctx.kappaC).g / 256 - 1)).toBeLessThan(1e-12);
    const full = numericContext({ spectrum: powerLawSpectrum({ a: 1.5, b: 1.25, M: 100 }), N: 256, P: 1024 });
    expect(full.kappaC).toBe(0);
  });
});

describe('real axis: the unique physical root kappa > kappa_c', () => {
  const ctx = numericContext({ spectrum: powerLawSpectrum({ a: 1.5, b: 1.5 }), N: 200, P: 300 });
  it('is above kappa_c, below s + tr(Lambda)(1/N + 1/P) + s, with residual ~ eps', () => {
    for (const s of [1e-12, 1e-8, 1e-4, 1e-1, 10, 1e4]) {
      const r = solveKappaReal(ctx, s);
      expect(r.status).toBe('converged');
      expect(r.kappa).toBeGreaterThan(ctx.kappaC);
      expect(r.kappa).toBeGreaterThanOrEqual(s);
      expect(r.residual).toBeLessThan(1e-13);
    }
  });
  it('phi(kappa) = kappa (1 - g/P)(1 - g/N) is increasing above kappa_c (so the root is unique)', () => {
    let prev = 0;
    for (let x = ctx.kappaC * (1 + 1e-9); x < 100; x *= 1.3) {
      const { g } = gReal(ctx.modes, x);
      const phi = x * (1 - g / 300) * (1 - g / 200);
      expect(phi).toBeGreaterThan(prev);
      prev = phi;
    }
  });
  it('as s -> 0, kappa -> kappa_c and R = s/kappa -> 0 (E12)', () => {
    const r = solveKappaReal(ctx, 1e-14);
    expect(Math.abs(r.kappa / ctx.kappaC - 1)).toBeLessThan(1e-9);
  });
});

describe('complex s: continuation off the axis', () => {
  propertyTest([fc.double({ min: -6, max: 4, noNaN: true }), fc.double({ min: 0.01, max: Math.PI - 0.01, noNaN: true }), size, size], { numRuns: 40, seed: 20261127 })(
    'random s = 10^x e^{i theta}: converged, residual < 1e-12, Stieltjes signs, conjugate symmetry',
    (x, theta, N, P) => {
      const spectrum = powerLawSpectrum({ a: 1.5, b: 1.5 });
      const s = { re: Math.pow(10, x) * Math.cos(theta), im: Math.pow(10, x) * Math.sin(theta) };
      const r = solveKappa({ spectrum, N, P }, s);
      expect(r.status).toBe('converged');
      expect(r.errorEstimate).toBeLessThan(1e-12);
      // Stieltjes: Im H_1 = Im 1/(s + lambda_1 R) < 0 and Im(s + lambda R) > 0.
      expect(s.im + r.value.R.im).toBeGreaterThan(0);
      const c = solveKappa({ spectrum, N, P }, { re: s.re, im: -s.im });
      expect(c.value.kappa.re).toBeCloseTo(r.value.kappa.re, 12);
      expect(c.value.kappa.im).toBeCloseTo(-r.value.kappa.im, 12);
    },
  );

  it('large |s| gives kappa ~ s and R ~ 1 (E15a: g/N, g/P -> 0)', () => {
    const spectrum = powerLawSpectrum({ a: 1.5, b: 1.5 });
    for (const theta of [0.3, 1.5, 3.0]) {
      const s = { re: 1e8 * Math.cos(theta), im: 1e8 * Math.sin(theta) };
      const r = solveKappa({ spectrum, N: 64, P: 128 }, s);
      expect(Math.hypot(r.value.kappa.re - s.re, r.value.kappa.im - s.im) / 1e8).toBeLessThan(1e-6);
      expect(Math.abs(r.value.R.re - 1)).toBeLessThan(1e-6);
    }
  });

  it('continuation along a contour-like path agrees with the point solver (same branch)', () => {
    const modes = modeQuadrature(powerLawSpectrum({ a: 1.5, b: 1.25 }), { lambdaMin: 1e-9 });
    const ctx = makeKappaContext(modes, 100, 400);
    const n = 30;
    const re = new Float64Array(n);
    const im = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const u = (j + 0.5) * 0.12;
      re[j] = 0.5 * (1 - Math.sin(1.1) * Math.cosh(u));
      im[j] = 0.5 * Math.cos(1.1) * Math.sinh(u);
    }
    const nodes = solveKappaNodes(ctx, 0.5 * (1 - Math.sin(1.1)), re, im);
    expect(nodes.worst).toBe('converged');
    for (let j = 0; j < n; j += 7) {
      const p = solveKappa({ spectrum: powerLawSpectrum({ a: 1.5, b: 1.25 }), N: 100, P: 400 }, { re: re[j], im: im[j] });
      expect(Math.abs(p.value.kappa.re - nodes.kRe[j])).toBeLessThan(1e-10 * Math.hypot(nodes.kRe[j], nodes.kIm[j]));
      expect(Math.abs(p.value.kappa.im - nodes.kIm[j])).toBeLessThan(1e-10 * Math.hypot(nodes.kRe[j], nodes.kIm[j]));
    }
  });
});

describe('one-point functions are symmetric under N <-> P (E10, E15a)', () => {
  propertyTest([fc.double({ min: -4, max: 2, noNaN: true }), fc.double({ min: 0.05, max: 3, noNaN: true }), size, size], { numRuns: 20, seed: 20261128 })(
    'kappa, R and Q at complex s; R1(N,P) = R3(P,N)',
    (x, theta, N, P) => {
      const spectrum = powerLawSpectrum({ a: 1.8, b: 1.3 });
      const s = { re: Math.pow(10, x) * Math.cos(theta), im: Math.pow(10, x) * Math.sin(theta) };
      const u = solveKappa({ spectrum, N, P }, s).value;
      const v = solveKappa({ spectrum, N: P, P: N }, s).value;
      const scale = Math.hypot(u.kappa.re, u.kappa.im);
      expect(Math.abs(u.kappa.re - v.kappa.re)).toBeLessThan(1e-11 * scale);
      expect(Math.abs(u.kappa.im - v.kappa.im)).toBeLessThan(1e-11 * scale);
      expect(Math.abs(u.R1.re - v.R3.re)).toBeLessThan(1e-9);
      expect(Math.abs(u.R1.im - v.R3.im)).toBeLessThan(1e-9);
    },
  );
});

describe('N = P = infinity (E12): R = 1, kappa = s', () => {
  it('returns kappa = s exactly', () => {
    const r = solveKappa({ spectrum: powerLawSpectrum({ a: 1.5, b: 0.8 }), N: Infinity, P: Infinity }, { re: -2, im: 0.5 });
    expect(r.value.kappa).toEqual({ re: -2, im: 0.5 });
    expect(r.value.R.re).toBeCloseTo(1, 15);
  });
});

describe('invalid input', () => {
  it('rejects s on the cut and sizes below 1', () => {
    const spectrum = powerLawSpectrum({ a: 1.5, b: 1.5 });
    expect(() => solveKappa({ spectrum, N: 10, P: 10 }, -1)).toThrow(InvalidArgumentError);
    expect(() => solveKappa({ spectrum, N: 10, P: 10 }, -1)).toThrow(/^s must not lie on the cut/);
    expect(() => solveKappa({ spectrum, N: 0, P: 10 }, 1)).toThrow(/^N must be an integer >= 1/);
    expect(() => solveKappa({ spectrum, N: 10, P: 0.5 }, 1)).toThrow(/^P must be an integer >= 1/);
    expect(() => solveKappa({ spectrum: powerLawSpectrum({ a: 1.5, b: 0.9 }), N: 10, P: 10 }, 1)).toThrow(/^b must be > 1 when M is infinite/);
  });
});

describe('wrong-branch safeguards of the continuation (E15a)', () => {
  // s = -0.05 + 1e-4 i lies just above the cut, inside the spectrum of F G; reached in one jump from s = 30
  // (from s = 10 the third-order predictor happens to land on the physical root; from 30 Newton lands on the other).
  const ctx = numericContext({ spectrum: powerLawSpectrum({ a: 1.5, b: 1.5 }), N: 200, P: 300 }, 1e4);
  const sRe = Float64Array.from([-0.05]);
  const sIm = Float64Array.from([1e-4]);
  it('Stieltjes sign: a Newton that lands on the wrong branch (no step halving) is flagged, not converged', () => {
    const jump = { ...ctx, options: { ...ctx.options, continuationMaxDepth: 0, continuationNewtonIterations: 60 } };
    const r = solveKappaNodes(jump, 30, sRe, sIm);
    expect(r.kIm[0]).toBeLessThan(0); // the wrong root: Im kappa < 0 above the cut
    expect(r.worst).toBe('unverified');
    expect(r.messages.join(' ')).toMatch(/Stieltjes sign violated/);
  });
  it.each([10, 30])('the default continuation (predictor, Newton, step halving) from s = %d reaches the physical root, as the arc path does', (start) => {
    const r = solveKappaNodes(ctx, start, sRe, sIm);
    expect(r.worst).toBe('converged');
    expect(r.kIm[0]).toBeGreaterThan(0);
    const arc = solveKappa({ spectrum: powerLawSpectrum({ a: 1.5, b: 1.5 }), N: 200, P: 300 }, { re: -0.05, im: 1e-4 });
    expect(Math.abs(arc.value.kappa.re - r.kRe[0])).toBeLessThan(1e-10);
    expect(Math.abs(arc.value.kappa.im - r.kIm[0])).toBeLessThan(1e-10);
  });
});

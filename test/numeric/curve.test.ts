/**
 * Loss curves (THEORY E13-E16b): closed forms, static limits, error
 * estimates, statuses, a negative control and input validation.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/core/errors.js';
import { customSpectrum, powerLawSpectrum } from '../../src/spectrum/index.js';
import { solveCurve, staticLimits, transferFunctions, numericContext } from '../../src/numeric/index.js';
import { expectConverged } from './helpers.js';

const fixtures = JSON.parse(readFileSync(new URL('../fixtures/numeric/powerlaw-sums.json', import.meta.url), 'utf8')) as {
  cases: Array<{ a: number; b: number; zeta_a: number; bias: Array<{ t: number; value: number }> }>;
};
const rel = (x: number, y: number) => Math.abs(x / y - 1);
/** Gamma(0.075) by mpmath (30 digits). */
const GAMMA_0_075 = 12.825577585792599;

describe('N = P = infinity: L(t) = B(t) = sum_k c_k exp(-2 lambda_k t) (E12, E14)', () => {
  describe.each(fixtures.cases)('a = $a, b = $b, M = inf (mpmath reference)', (fx) => {
    const t = fx.bias.map((r) => r.t);
    const sol = solveCurve({ spectrum: powerLawSpectrum({ a: fx.a, b: fx.b }), N: Infinity, P: Infinity, sigma: 0, t: [0, ...t] });
    it('test, train, bias, L_A agree with the reference to 1e-10 relative, and the error estimate bounds the error', () => {
      expect(sol.status).toBe('converged');
      expect(rel(sol.test[0], fx.zeta_a)).toBeLessThan(1e-10);
      fx.bias.forEach((r, j) => {
        const i = j + 1;
        for (const q of ['test', 'train', 'bias', 'testA'] as const) {
          expect(rel(sol[q][i], r.value)).toBeLessThan(1e-10);
          expect(Math.abs(sol[q][i] - r.value)).toBeLessThanOrEqual(sol.errorEstimate[q][i]);
        }
        expect(Math.abs(sol.gap[i])).toBeLessThan(1e-10 * r.value);
      });
    });
  });

  it('a = 1.15, b = 2 at t = 1e5, 1e6 matches the Gamma term of E17 (exact there, see modes.test.ts) to 1e-10', () => {
    const a = 1.15;
    const b = 2;
    const z = (a - 1) / b;
    const gammaZ = GAMMA_0_075;
    const sol = solveCurve({ spectrum: powerLawSpectrum({ a, b }), N: Infinity, P: Infinity, sigma: 0, t: [1e5, 1e6] });
    [1e5, 1e6].forEach((t, i) => expect(rel(sol.test[i], (gammaZ / b) * Math.pow(2 * t, -z))).toBeLessThan(1e-10));
  });

  it('label noise adds sigma^2 to test and train, nothing to the bias', () => {
    const t = [0.5, 50];
    const s0 = solveCurve({ spectrum: powerLawSpectrum({ a: 1.5, b: 1.25 }), N: Infinity, P: Infinity, sigma: 0, t });
    const s1 = solveCurve({ spectrum: powerLawSpectrum({ a: 1.5, b: 1.25 }), N: Infinity, P: Infinity, sigma: 0.3, t });
    for (let i = 0; i < 2; i++) {
      expect(s1.test[i] - s0.test[i]).toBeCloseTo(0.09, 12);
      expect(s1.train[i] - s0.train[i]).toBeCloseTo(0.09, 12);
      expect(s1.bias[i]).toBeCloseTo(s0.bias[i], 14);
    }
  });
});

describe('static limits (E16b) equal the curve at t = 1e9', () => {
  const cases: Array<[number, number, number, number]> = [
    // [N, P, M, sigma]
    [128, 512, Infinity, 0.3],
    [512, 128, Infinity, 0.3],
    [64, Infinity, Infinity, 0.2],
    [Infinity, 64, Infinity, 0.2],
    [100, 300, 2000, 0.3],
    [300, 100, 1e5, 0],
  ];
  it.each(cases)('N = %s, P = %s, M = %s, sigma = %s', (N, P, M, sigma) => {
    const problem = { spectrum: powerLawSpectrum({ a: 1.6, b: 1.4, M }), N, P, sigma, t: [1e9, Infinity], ensembleSize: 3 };
    const sol = solveCurve(problem);
    const st = staticLimits(problem);
    expectConverged(sol);
    expect(st.status).toBe('converged');
    for (const q of ['test', 'train', 'bias', 'testA', 'testE'] as const) {
      // Absolute, against L(0): the train loss of an interpolating fit tends to 0.
      expect(Math.abs(sol[q]![0] - st[q]!) / sol.test[0]).toBeLessThan(1e-7);
      expect(Math.abs(sol[q]![1] - st[q]!) / sol.test[0]).toBeLessThan(1e-12);
    }
  });

  it('the closed forms of E16b: N < P, P = inf, N = inf', () => {
    const spectrum = powerLawSpectrum({ a: 1.5, b: 1.5 });
    const sigma = 0.3;
    const sumOf = (N: number, P: number, f: (l: number, c: number, kappa: number) => number) => {
      const ctx = numericContext({ spectrum, N, P });
      let s = 0;
      for (let k = 0; k < ctx.modes.weight.length; k++) s += ctx.modes.weight[k] * f(ctx.modes.lambda[k], ctx.modes.c[k], ctx.kappaC);
      return s;
    };
    // N < P: [sum c kappa/(kappa+lambda) + sigma^2] / (1 - N/P)
    const a = staticLimits({ spectrum, N: 100, P: 400, sigma });
    expect(rel(a.test, (sumOf(100, 400, (l, c, k) => (c * k) / (k + l)) + sigma ** 2) / (1 - 100 / 400))).toBeLessThan(1e-10);
    // P = inf: sum c kappa/(kappa+lambda) + sigma^2
    const b = staticLimits({ spectrum, N: 100, P: Infinity, sigma });
    expect(rel(b.test, sumOf(100, Infinity, (l, c, k) => (c * k) / (k + l)) + sigma ** 2)).toBeLessThan(1e-10);
    // N = inf: [kappa^2 sum c/(kappa+lambda)^2 + sigma^2 df2/P] / (1 - df2/P) + sigma^2 (ridgeless KRR)
    const df2 = sumOf(Infinity, 100, (l, _c, k) => (l * l) / ((k + l) * (k + l)));
    const bias = sumOf(Infinity, 100, (l, c, k) => (c * k * k) / ((k + l) * (k + l)));
    const c = staticLimits({ spectrum, N: Infinity, P: 100, sigma });
    expect(rel(c.test, (bias + (sigma ** 2 * df2) / 100) / (1 - df2 / 100) + sigma ** 2)).toBeLessThan(1e-10);
    expect(rel(c.bias, bias)).toBeLessThan(1e-12);
  });

  it('N = P < M: double descent is reported as a divergence, not a number', () => {
    const st = staticLimits({ spectrum: powerLawSpectrum({ a: 1.5, b: 1.5 }), N: 128, P: 128, sigma: 0.1 });
    expect(st.status).toBe('non_finite');
    expect(st.test).toBe(Infinity);
    expect(st.message).toMatch(/double descent/);
    const sol = solveCurve({ spectrum: powerLawSpectrum({ a: 1.5, b: 1.5 }), N: 128, P: 128, sigma: 0.1, t: [1, Infinity] });
    expect(sol.statusPerTime[1]).toBe('non_finite');
    expect(sol.status).toBe('non_finite');
  });

  it('min(N, P) >= M: every mode learned, only noise is left', () => {
    const st = staticLimits({ spectrum: powerLawSpectrum({ a: 1.5, b: 1.5, M: 100 }), N: Infinity, P: 400, sigma: 0.5 });
    expect(st.kappa).toBe(0);
    expect(st.bias).toBe(0);
    expect(st.test).toBeCloseTo(0.25 / (1 - 100 / 400), 12);
    expect(st.train).toBeCloseTo(0.25 * (1 - 100 / 400), 12);
  });
});

describe('finite N, P curves', () => {
  const t = [0, 1e-2, 0.3, 3, 30, 300, 3e3, 3e4, Infinity];
  const problem = { spectrum: powerLawSpectrum({ a: 1.5, b: 1.25 }), N: 256, P: 1024, sigma: 0.3, t, ensembleSize: 4 };
  const sol = solveCurve(problem);

  it('L(0) = sum c_k + sigma^2 and every loss starts there (E6, E12)', () => {
    expect(sol.test[0]).toBeCloseTo(2.612375348685488 + 0.09, 10);
    expect(sol.train[0]).toBe(sol.test[0]);
    expect(sol.testA[0]).toBe(sol.test[0]);
    expect(sol.testE![0]).toBe(sol.test[0]);
    expect(sol.bias[0]).toBeCloseTo(2.612375348685488, 10);
  });

  it('converges, with method spread and tail error small, and the result carries parameters and settings', () => {
    expect(sol.status).toBe('converged');
    expect(sol.statusPerTime.every((s) => s === 'converged')).toBe(true);
    // The spread is the nested estimate (conservative by design, inversion/verify.ts: 1.7e-10 here); it must stay
    // below absTol (1e-9 of L(0) + sigma^2), or small losses could not be verified. The two-pass spread is below 1e-10.
    expect(sol.diagnostics.methodSpread).toBeLessThan(1e-9);
    expect(solveCurve(problem, { errorEstimate: 'coarse' }).diagnostics.methodSpread).toBeLessThan(1e-10);
    expect(sol.diagnostics.maxKappaResidual).toBeLessThan(1e-13);
    expect(sol.diagnostics.biasConsistency).toBeLessThan(1e-10);
    expect(sol.diagnostics.modesQuadrature).toBeGreaterThan(0);
    expect(sol.parameters).toMatchObject({ N: 256, P: 1024, sigma: 0.3, ensembleSize: 4 });
    expect(sol.settings.methods).toEqual(['hyperbolic', 'parabolic']);
    expect(sol.iterations).toBeGreaterThan(0);
  });

  it('ordering of the losses: bias <= L_A - sigma^2, L_A <= L_E <= L, train <= test', () => {
    for (let i = 1; i < t.length; i++) {
      expect(sol.bias[i] + 0.09).toBeLessThanOrEqual(sol.testA[i] + 1e-12);
      expect(sol.testA[i]).toBeLessThanOrEqual(sol.testE![i] + 1e-12);
      expect(sol.testE![i]).toBeLessThanOrEqual(sol.test[i] + 1e-12);
      expect(sol.train[i]).toBeLessThanOrEqual(sol.test[i] + 1e-12);
      expect(sol.gap[i]).toBeCloseTo(sol.test[i] - sol.train[i], 14);
    }
  });

  it('negative control: dropping the variance term (L = sigma^2 + B) changes L by more than 10% at late times', () => {
    const control = solveCurve(problem, { varianceTerm: false });
    expect(control.settings.varianceTerm).toBe(false);
    for (const i of [5, 6, 7, 8]) {
      expect(control.test[i]).toBeCloseTo(sol.bias[i] + 0.09, 12);
      expect(sol.test[i] / control.test[i] - 1).toBeGreaterThan(0.1);
    }
  });

  it('L_E (E16a): E = 1 gives L, large E tends to L_A', () => {
    const one = solveCurve({ ...problem, ensembleSize: 1 });
    const many = solveCurve({ ...problem, ensembleSize: 1e6 });
    for (let i = 0; i < t.length; i++) {
      expect(one.testE![i]).toBeCloseTo(one.test[i], 12);
      expect(Math.abs(many.testE![i] - many.testA[i])).toBeLessThan(1e-5 * many.test[i]);
    }
  });

  it('the full loss is not N <-> P symmetric although B(t) is (E15d)', () => {
    const swapped = solveCurve({ ...problem, N: 1024, P: 256 });
    for (const i of [3, 5, 7]) {
      expect(rel(swapped.bias[i], sol.bias[i])).toBeLessThan(1e-10);
      expect(rel(swapped.test[i], sol.test[i])).toBeGreaterThan(1e-3);
    }
  });
});

describe('the nested error estimate (THEORY E13, inversion/verify.ts nestedSpread): one pass, judged by its own sub-rules', () => {
  // A deliberately coarse primary (20 trapezoid nodes: errors 1e-11..2e-9) against a 64-node midpoint contour (another grid, ~1e-15).
  const t = [0.05, 0.3, 1, 3, 20, 100, 800, 5000];
  const problem = { spectrum: powerLawSpectrum({ a: 1.5, b: 1.25, M: Infinity }), N: 128, P: 512, sigma: 0.3, t };
  const reference = solveCurve(problem, { errorEstimate: 'coarse', nodes: [64, undefined] });
  it('bounds the error of every quantity at every time, and the errors are real', () => {
    const sol = solveCurve(problem, { nodes: [20, undefined] });
    expect(sol.settings.inversion).toHaveLength(1);
    let worst = 0;
    for (const q of ['test', 'train', 'bias', 'testA', 'gap'] as const) {
      t.forEach((_, i) => {
        const error = Math.abs(sol[q][i] - reference[q][i]);
        worst = Math.max(worst, error);
        expect(error, `${q} at t = ${t[i]}`).toBeLessThanOrEqual(sol.errorEstimate[q][i]);
      });
    }
    expect(worst).toBeGreaterThan(1e-9);
  });
  it('the transfer functions too (single transforms, inversion/combine.ts nestedDiffs1)', () => {
    const ks = [1, 10, 100];
    const coarse = transferFunctions(problem, ks, t, { nodes: [20, undefined] });
    const ref = transferFunctions(problem, ks, t, { errorEstimate: 'coarse', nodes: [64, undefined] });
    let worst = 0;
    ks.forEach((_, m) => t.forEach((_, i) => {
      const error = Math.abs(coarse.value[m][i] - ref.value[m][i]);
      worst = Math.max(worst, error);
      expect(error).toBeLessThanOrEqual(coarse.errorEstimate[m][i]);
    }));
    expect(worst).toBeGreaterThan(1e-11);
  });
});

describe('transfer functions H_k(t) (E9, E12, E13)', () => {
  it('N = P = inf: H_k(t) = exp(-lambda_k t)', () => {
    const t = [0, 0.1, 1, 10, 100, Infinity];
    const r = transferFunctions({ spectrum: powerLawSpectrum({ a: 1.5, b: 1.5 }), N: Infinity, P: Infinity }, [1, 4, 30], t);
    expect(r.status).toBe('converged');
    r.k.forEach((k, m) => t.forEach((ti, i) => expect(r.value[m][i]).toBeCloseTo(Math.exp(-Math.pow(k, -1.5) * ti), 11)));
  });
  it('finite N, P: H_k(infinity) = kappa_c / (kappa_c + lambda_k), reached by the curve', () => {
    const problem = { spectrum: powerLawSpectrum({ a: 1.5, b: 1.5 }), N: 50, P: 200 };
    const r = transferFunctions(problem, [1, 10, 100], [1e8, Infinity]);
    const kc = numericContext(problem).kappaC;
    [1, 10, 100].forEach((k, m) => {
      expect(r.value[m][1]).toBeCloseTo(kc / (kc + Math.pow(k, -1.5)), 12);
      expect(r.value[m][0]).toBeCloseTo(r.value[m][1], 7);
    });
  });
});

describe('custom spectrum: all modes exact', () => {
  it('N = P = inf equals the direct sum', () => {
    const lambda = [1, 0.5, 0.2, 0.05, 0.01];
    const c = [0.3, 0.2, 0.2, 0.1, 0.1];
    const sol = solveCurve({ spectrum: customSpectrum(lambda, c), N: Infinity, P: Infinity, sigma: 0, t: [0.5, 5, 50] });
    [0.5, 5, 50].forEach((t, i) => {
      const ref = lambda.reduce((s, l, k) => s + c[k] * Math.exp(-2 * l * t), 0);
      expect(rel(sol.test[i], ref)).toBeLessThan(1e-10);
    });
    expect(sol.diagnostics.modesQuadrature).toBe(0);
  });
  it('min(N, P) below the number of modes: finite, converged', () => {
    const sol = solveCurve({ spectrum: customSpectrum([1, 0.5, 0.2, 0.05, 0.01], [0.3, 0.2, 0.2, 0.1, 0.1]), N: 3, P: 4, sigma: 0.1, t: [1, 100, Infinity] });
    expect(sol.status).toBe('converged');
    expect(sol.test.every(Number.isFinite)).toBe(true);
  });
});

describe('invalid input names the argument (STYLE 3)', () => {
  const spectrum = powerLawSpectrum({ a: 1.5, b: 1.5 });
  const base = { spectrum, N: 10, P: 10, sigma: 0, t: [1] };
  it.each([
    [{ ...base, t: [1, -1] }, /^t\[1\] must be >= 0, got -1/],
    [{ ...base, t: [NaN] }, /^t\[0\] must be a number >= 0, got NaN/],
    [{ ...base, t: [] }, /^t must be non-empty/],
    [{ ...base, sigma: -0.1 }, /^sigma must be >= 0, got -0.1/],
    [{ ...base, sigma: NaN }, /^sigma must be a finite number/],
    [{ ...base, N: 0 }, /^N must be an integer >= 1/],
    [{ ...base, P: 2.5 }, /^P must be an integer >= 1/],
    [{ ...base, ensembleSize: 0 }, /^ensembleSize must be an integer >= 1/],
    [{ ...base, spectrum: powerLawSpectrum({ a: 1.5, b: 1 }) }, /^b must be > 1 when M is infinite/],
    [{ ...base, spectrum: { kind: 'other' } }, /^spectrum must be a power-law or custom spectrum/],
  ])('%#', (problem, message) => {
    expect(() => solveCurve(problem as never)).toThrow(InvalidArgumentError);
    expect(() => solveCurve(problem as never)).toThrow(message);
  });
});

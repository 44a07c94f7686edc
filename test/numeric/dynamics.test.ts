/**
 * Training dynamics in the numeric layer (THEORY E25-E27): ridge, discrete GD,
 * heavy-ball momentum, against an independent reference
 * (test/fixtures/numeric/dynamics.json, scripts/numeric/dynamics_fixtures.py:
 * mpmath sums at N = P = infinity, numpy on other contours at finite N, P) to
 * 1e-6 relative above a floor of 1e-9 L(0), GD at 1 <= eta E_max < 2 (circle
 * rule at every step) within the error estimate, and the limits between them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/core/errors.js';
import { GRADIENT_FLOW, makeDynamics, type Dynamics } from '../../src/dynamics/index.js';
import { powerLawSpectrum } from '../../src/spectrum/index.js';
import { circleStepLimit, solveCurve, staticLimits, transferFunctions } from '../../src/numeric/index.js';

interface FixtureCase {
  kind: 'gd' | 'momentum' | 'gf';
  lr?: number;
  beta?: number;
  ridge?: number;
  a: number;
  b: number;
  M: number;
  N?: number;
  P?: number;
  sigma?: number;
  t: number[];
  test: number[];
  train?: number[];
  bias?: number[];
  testA?: number[];
  /** gdWide: the numpy reference's own error (spread between two u-circles) per quantity. */
  referenceSpread?: Record<'test' | 'train' | 'bias' | 'testA', number[]>;
}
const fixtures = JSON.parse(readFileSync(new URL('../fixtures/numeric/dynamics.json', import.meta.url), 'utf8')) as {
  free: FixtureCase[];
  finite: FixtureCase[];
  gdWide: FixtureCase[];
};

function dynamicsOf(c: FixtureCase): Dynamics {
  if (c.kind === 'gd') return makeDynamics({ optimizer: 'gd', lr: c.lr });
  if (c.kind === 'momentum') return makeDynamics({ optimizer: 'momentum', lr: c.lr, momentum: c.beta });
  return makeDynamics({ ridge: c.ridge });
}

/** 1e-6 relative above a floor of 1e-9 L(0) (the agreement the dynamics must reach). */
function expectAgree(value: number, ref: number, L0: number): void {
  expect(Math.abs(value - ref)).toBeLessThanOrEqual(1e-6 * Math.abs(ref) + 1e-9 * L0);
}

describe('N = P = infinity against mpmath sums (E25-E27)', () => {
  it.each(fixtures.free.map((c) => [`${c.kind} ${JSON.stringify({ lr: c.lr, beta: c.beta, ridge: c.ridge })}`, c] as const))('%s', (_, c) => {
    const sol = solveCurve({ spectrum: powerLawSpectrum({ a: c.a, b: c.b, M: c.M }), N: Infinity, P: Infinity, sigma: 0, t: [0, ...c.t], dynamics: dynamicsOf(c) });
    expect(sol.status).toBe('converged');
    c.t.forEach((_, i) => {
      expectAgree(sol.test[i + 1], c.test[i], sol.test[0]);
      // the error estimate bounds the error
      expect(Math.abs(sol.test[i + 1] - c.test[i])).toBeLessThanOrEqual(sol.errorEstimate.test[i + 1] + 1e-15 * c.test[i]);
    });
  });
});

describe('finite N, P against numpy on other contours (u-circle for GD, |z| = 1.25 for momentum)', () => {
  it.each(fixtures.finite.map((c) => [c.kind, c] as const))('%s', (_, c) => {
    const sol = solveCurve({ spectrum: powerLawSpectrum({ a: c.a, b: c.b, M: c.M }), N: c.N!, P: c.P!, sigma: c.sigma!, t: [0, ...c.t], dynamics: dynamicsOf(c) });
    expect(sol.status).toBe('converged');
    for (const q of ['test', 'train', 'bias', 'testA'] as const) c.t.forEach((_, i) => expectAgree(sol[q][i + 1], c[q]![i], sol.test[0]));
  });
});

describe('GD with 1 <= eta E_max < 2 (past the y-map of E26, still convergent) against numpy on u-circles', () => {
  const gdWideRules = new Set<string>();
  it.each(fixtures.gdWide.map((c) => [`lr ${c.lr}`, c] as const))('%s: the circle rule at early steps, the keyhole rule (E27a) later, within the error estimate', (_, c) => {
    const sol = solveCurve({ spectrum: powerLawSpectrum({ a: c.a, b: c.b, M: c.M }), N: c.N!, P: c.P!, sigma: c.sigma!, t: [0, ...c.t], dynamics: dynamicsOf(c) });
    const etaEMax = c.lr! * sol.diagnostics.spectrumTop;
    expect(etaEMax).toBeGreaterThan(1.3);
    expect(etaEMax).toBeLessThan(1.95); // the reference's circle encloses z in [1 - eta E_max, 1] up to 1.95
    expect(sol.status).toBe('converged');
    for (const pass of sol.settings.inversion as { rule: string }[]) {
      expect(pass.rule).toMatch(/^(circle|circle for t < \d+, keyhole above)$/);
      gdWideRules.add(pass.rule);
    }
    for (const q of ['test', 'train', 'bias', 'testA'] as const) {
      c.t.forEach((_, i) => {
        const ref = c[q]![i];
        expectAgree(sol[q][i + 1], ref, sol.test[0]);
        // the solver's error estimate (plus the reference's own spread) bounds the difference
        expect(Math.abs(sol[q][i + 1] - ref)).toBeLessThanOrEqual(sol.errorEstimate[q][i + 1] + c.referenceSpread![q][i] + 1e-15 * Math.abs(ref));
      });
    }
  });
  it('the keyhole rule served some of these steps', () => expect([...gdWideRules].some((r) => r.includes('keyhole'))).toBe(true));
});

describe('GD transfer functions at 1 <= eta E_max < 2', () => {
  it.each([
    // r_fast = |1 - 1.5| = 0.5, r0 = 0.5^0.9 = 0.54: the keyhole's closure factor r0^t is 2e-11 at 40 steps.
    ['the circle rule', -1, 1, 1e-12],
    ['the keyhole rule (E27a), its dropped closure in the estimate', 1, 40, 1e-8],
  ])('N = P = inf, eta = 1.5 (eta lambda_1 = 1.5): %s gives (1 - eta lambda)^t, sign changes included, within the error estimate', (_, keyholeMaxDrop, from, estimate) => {
    const spectrum = powerLawSpectrum({ a: 1.5, b: 1.25 });
    const r = transferFunctions({ spectrum, N: Infinity, P: Infinity, dynamics: makeDynamics({ optimizer: 'gd', lr: 1.5 }) }, [1, 3], [1, 7, 20, 40], { keyholeMaxDrop });
    [1, 3].forEach((k, m) =>
      [1, 7, 20, 40].forEach((s, i) => {
        const exact = Math.pow(1 - 1.5 * Math.pow(k, -1.25), s);
        expect(Math.abs(r.value[m][i] - exact)).toBeLessThanOrEqual(r.errorEstimate[m][i] + 1e-15 * Math.abs(exact));
        if (s >= from) expect(r.errorEstimate[m][i]).toBeLessThan(estimate);
      }),
    );
  });
});

describe('limits between the dynamics', () => {
  const spectrum = powerLawSpectrum({ a: 1.5, b: 1.25 });
  const base = { spectrum, N: 128, P: 512, sigma: 0.3 };

  it('eta -> 0: GD at t steps tends to gradient flow at eta t, with an O(eta) difference', () => {
    const steps = [10, 100, 1000];
    const gf = solveCurve({ ...base, t: steps.map((s) => s * 0.01) });
    const diffs = [0.01, 0.005].map((lr) => {
      const gd = solveCurve({ ...base, t: steps.map((s) => (s * 0.01) / lr), dynamics: makeDynamics({ optimizer: 'gd', lr }) });
      expect(gd.status).toBe('converged');
      return Math.max(...steps.map((_, i) => Math.abs(gd.test[i] - gf.test[i])));
    });
    expect(diffs[0]).toBeLessThan(5e-3);
    // first order in eta: halving eta halves the difference
    expect(diffs[1] / diffs[0]).toBeGreaterThan(0.4);
    expect(diffs[1] / diffs[0]).toBeLessThan(0.6);
  });

  it('beta = 0: momentum equals GD (circle rule against the y-contour of E26 at t >= 30)', () => {
    const t = [1, 5, 30, 120];
    const gd = solveCurve({ ...base, t, dynamics: makeDynamics({ optimizer: 'gd', lr: 0.3 }) });
    const mom = solveCurve({ ...base, t, dynamics: makeDynamics({ optimizer: 'momentum', lr: 0.3, momentum: 0 }) });
    expect(gd.status).toBe('converged');
    expect(mom.status).toBe('converged');
    expect(gd.settings.inversion).toBeDefined();
    for (const q of ['test', 'train', 'bias', 'testA'] as const) t.forEach((_, i) => expectAgree(mom[q][i], gd[q][i], 2.7));
  });

  it('ridge -> 0 is gradient flow; the ridge static limit (E25) equals the curve at late times and is finite at N = P', () => {
    const t = [0.1, 10, 1000, 1e7, Infinity];
    const gf = solveCurve({ ...base, t });
    const tiny = solveCurve({ ...base, t, dynamics: makeDynamics({ ridge: 1e-10 }) });
    for (const q of ['test', 'train', 'bias', 'testA'] as const) for (let i = 0; i < 4; i++) expectAgree(tiny[q][i], gf[q][i], 2.7);
    for (const [N, P] of [[128, 512], [256, 256], [512, 128]]) {
      const ridge = makeDynamics({ ridge: 1e-2 });
      const sol = solveCurve({ ...base, N, P, t: [1e7, Infinity], dynamics: ridge });
      const st = staticLimits({ ...base, N, P, dynamics: ridge });
      expect(sol.quantityStatus.test).toEqual(['converged', 'converged']);
      for (const q of ['test', 'train', 'bias', 'testA'] as const) {
        expect(Number.isFinite(st[q])).toBe(true);
        expectAgree(sol[q][0], st[q], 2.7);
        expectAgree(sol[q][1], st[q], 2.7);
      }
    }
  });

  it('ridge train noise (two-point form of E25) at r -> 0 equals gradient flow at r = 0', () => {
    const t = [0.5, 50, 5000];
    const gf = solveCurve({ ...base, t });
    const tiny = solveCurve({ ...base, t, dynamics: makeDynamics({ ridge: 1e-12 }) });
    t.forEach((_, i) => expectAgree(tiny.train[i], gf.train[i], 2.7));
  });

  it('transfer functions under GD: N = P = inf gives (1 - eta lambda)^t', () => {
    const r = transferFunctions({ spectrum, N: Infinity, P: Infinity, dynamics: makeDynamics({ optimizer: 'gd', lr: 0.5 }) }, [1, 3], [1, 7, 20, 40]);
    expect(r.status).toBe('converged');
    [1, 3].forEach((k, m) => [1, 7, 20, 40].forEach((s, i) => expect(r.value[m][i]).toBeCloseTo(Math.pow(1 - 0.5 * Math.pow(k, -1.25), s), 12)));
  });
});

describe("stability limits; no cost limit past the circle rule", () => {
  const spectrum = powerLawSpectrum({ a: 1.5, b: 1.25 });
  it("'unstable' with the bound in the message and no number when eta E_max >= 2 (GD) or 2 (1 + beta) (momentum)", () => {
    const gd = solveCurve({ spectrum, N: 128, P: 512, sigma: 0, t: [0, 1, 10, Infinity], dynamics: makeDynamics({ optimizer: 'gd', lr: 2 }) });
    expect(gd.statusPerTime).toEqual(['converged', 'unstable', 'unstable', 'unstable']);
    expect(gd.test.slice(1).every(Number.isNaN)).toBe(true);
    expect(gd.message).toMatch(/E_max = 1\.2\d+ .* must be below 1\.0+ \(2 \/ eta: GD diverges beyond/);
    expect(gd.diagnostics.spectrumTop).toBeGreaterThan(1);
    // N = P = inf: E_max = lambda_1 = 1, so eta = 1.99 converges (oscillating) and 2.01 does not.
    const free = (lr: number) => solveCurve({ spectrum, N: Infinity, P: Infinity, sigma: 0, t: [5], dynamics: makeDynamics({ optimizer: 'gd', lr }) });
    expect(free(1.99).status).toBe('converged');
    expect(free(2.01).status).toBe('unstable');
    const mom = solveCurve({ spectrum, N: Infinity, P: Infinity, sigma: 0, t: [5], dynamics: makeDynamics({ optimizer: 'momentum', lr: 2.5, momentum: 0.2 }) });
    expect(mom.status).toBe('unstable');
  });

  it('GD at finite N, P: eta E_max just below 2 gives values, just above 2 is unstable (the circle alone would still give a number)', () => {
    const problem = { spectrum: powerLawSpectrum({ a: 1.5, b: 1.25, M: 200 }), N: 64, P: 128, sigma: 0.3 };
    const eMax = solveCurve({ ...problem, t: [1], dynamics: makeDynamics({ optimizer: 'gd', lr: 0.1 }) }).diagnostics.spectrumTop;
    const below = solveCurve({ ...problem, t: [0, 1, 20], dynamics: makeDynamics({ optimizer: 'gd', lr: 1.98 / eMax }) });
    expect(below.status).toBe('converged');
    expect(below.test.every(Number.isFinite)).toBe(true);
    // 1 <= eta E_max: no longer 'unstable' anywhere in [1, 2)
    for (const x of [1, 1.2, 1.6]) expect(solveCurve({ ...problem, t: [3], dynamics: makeDynamics({ optimizer: 'gd', lr: x / eMax }) }).status).toBe('converged');
    const above = solveCurve({ ...problem, t: [0, 1, 20], dynamics: makeDynamics({ optimizer: 'gd', lr: 2.02 / eMax }) });
    expect(above.statusPerTime).toEqual(['converged', 'unstable', 'unstable']);
    expect(above.test.slice(1).every(Number.isNaN)).toBe(true);
    expect(above.message).toMatch(/must be below .*2 \/ eta/);
  });

  it('GD with eta E_max >= 1 and momentum beyond the circle-rule cost limit take the keyhole rule (E27a): answered, converged', () => {
    const limit = circleStepLimit();
    expect(limit).toBeGreaterThan(100);
    const problem = { spectrum: powerLawSpectrum({ a: 1.5, b: 1.25, M: 200 }), N: 64, P: 128, sigma: 0, t: [limit + 10, 1e6] };
    for (const dynamics of [makeDynamics({ optimizer: 'gd', lr: 1 }), makeDynamics({ optimizer: 'momentum', lr: 0.2, momentum: 0.5 })]) {
      const sol = solveCurve({ ...problem, dynamics });
      expect(sol.status).toBe('converged');
      for (const pass of sol.settings.inversion as { rule: string }[]) expect(pass.rule).toBe('keyhole');
    }
  });

  it('discrete optimizers take whole steps; SGD at finite P takes steps 0 or >= 2', () => {
    expect(() => solveCurve({ spectrum, N: 128, P: 512, sigma: 0, t: [1.5], dynamics: makeDynamics({ optimizer: 'gd', lr: 0.1 }) })).toThrow(/whole step counts/);
    expect(() => solveCurve({ spectrum, N: 128, P: 512, sigma: 0, t: [1], dynamics: makeDynamics({ optimizer: 'sgd', lr: 0.1, batch: 4 }) })).toThrow(InvalidArgumentError);
    expect(solveCurve({ spectrum, N: 128, P: 512, sigma: 0, t: [1], dynamics: GRADIENT_FLOW }).status).toBe('converged');
  });
});

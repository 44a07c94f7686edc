// Data-reuse laws (docs/theory.md "Data reuse laws", THEORY E28b) against the
// finite-P DMFT of the numeric layer (discrete GD at N = infinity: the mean
// dynamics of SGD on P samples at small eta / B), an independent code path
// (contour inversion of E15-E16 vs the Mellin leading terms).
import { describe, expect, it } from 'vitest';
import { makeDynamics } from '../../src/dynamics/index.js';
import { solveCurve } from '../../src/numeric/index.js';
import { powerLawSpectrum } from '../../src/spectrum/index.js';
import { evaluate } from '../../src/symbolic/expr.js';
import { selectCase } from '../../src/symbolic/laws.js';
import {
  earlyStoppingLaws, epochHorizonLaw, epochLossLaw, fromLinWuBartlett, noiseGapLaw, noiseVarianceLaw, reuseHorizonLaw, reuseLimitLaw, stepTimeLaw, toLinWuBartlett,
} from '../../src/symbolic/reuse-laws.js';
import { isUnsupported, type LeadingTerm } from '../../src/symbolic/terms.js';

const a = 2;
const b = 1.5;
const eta = 0.5;
const spectrum = powerLawSpectrum({ a, b, M: Infinity });
const gd = makeDynamics({ optimizer: 'gd', lr: eta });

function law(cases: ReturnType<typeof reuseHorizonLaw>): LeadingTerm {
  const c = selectCase(cases, a, b);
  if (!c || isUnsupported(c)) throw new Error('no law');
  return c;
}
const value = (t: LeadingTerm, x: number, env: Record<string, number> = {}): number => evaluate(t.coefficient, { eta, ...env }) * x ** evaluate(t.exponent);

describe('reuse laws: closed forms', () => {
  it('horizon exponent is b min(a-1, 2b)/(a-1) in each regime of the data law', () => {
    for (const [aa, bb] of [[2, 1.5], [2.5, 2], [5, 1.5]]) {
      const c = selectCase(reuseHorizonLaw(), aa, bb) as LeadingTerm;
      expect(evaluate(c.exponent)).toBeCloseTo((bb * Math.min(aa - 1, 2 * bb)) / (aa - 1), 12);
      const e = selectCase(epochHorizonLaw(), aa, bb) as LeadingTerm;
      expect(evaluate(e.exponent)).toBeCloseTo(evaluate(c.exponent) - 1, 12);
    }
  });
  it('the time law meets the data law at the horizon (both evaluated from laws.ts)', () => {
    const P = 1e4;
    const tx = value(law(reuseHorizonLaw()), P);
    expect(value(law(stepTimeLaw()), tx)).toBeCloseTo(value(law(reuseLimitLaw()), P), 12);
  });
  it('Lin-Wu-Bartlett mapping: their horizon N^(aL/bL) and rate L^((1-bL)/aL) are t* ~ P^(b/a) and the time law', () => {
    const [aL, bL] = [2, 1.5];
    const ours = fromLinWuBartlett(aL, bL);
    expect(toLinWuBartlett(ours.a, ours.b)).toEqual({ aL, bL });
    const steps = selectCase(earlyStoppingLaws().steps, ours.a, ours.b) as LeadingTerm;
    expect(evaluate(steps.exponent)).toBeCloseTo(aL / bL, 12);
    const time = selectCase(stepTimeLaw(), ours.a, ours.b) as LeadingTerm;
    expect(evaluate(time.exponent)).toBeCloseTo((1 - bL) / aL, 12);
  });
  it('epoch loss at E epochs is the step law at t = E P / B', () => {
    const env = { P: 5000, B: 4 };
    expect(value(law(epochLossLaw()), 3, env)).toBeCloseTo(value(law(stepTimeLaw()), (3 * 5000) / 4), 14);
  });
});

describe('reuse laws against the finite-P DMFT (N = infinity, GD at rate eta)', () => {
  it('noise gap and variance: the relative error falls with eta t (a leading term), to < 0.5 % at t = 1e4, P = 1e6; larger at small P', () => {
    const sigma = 0.3;
    const ts = [100, 1000, 10000];
    const relErr = (P: number) => {
      const clean = solveCurve({ spectrum, N: Infinity, P, sigma: 0, t: ts, dynamics: gd });
      const noisy = solveCurve({ spectrum, N: Infinity, P, sigma, t: ts, dynamics: gd });
      const env = { sigma, P };
      return {
        gap: ts.map((t, i) => Math.abs((noisy.gap[i] - clean.gap[i]) / value(law(noiseGapLaw()), t, env) - 1)),
        variance: ts.map((t, i) => Math.abs((noisy.test[i] - clean.test[i] - sigma ** 2) / value(law(noiseVarianceLaw()), t, env) - 1)),
      };
    };
    const big = relErr(1e6);
    for (const errors of [big.gap, big.variance]) {
      expect(errors[0]).toBeGreaterThan(errors[1]);
      expect(errors[1]).toBeGreaterThan(errors[2]);
      expect(errors[2]).toBeLessThan(0.005);
    }
    // measured: 3.0 % and 1.3 % at t = 100 (the O((eta t)^-1/b) correction of the Mellin term)
    expect(big.variance[0]).toBeLessThan(0.04);
    // first order in 1/P: at P = 1e3 and t = 1e4 (near P^b) the law no longer holds
    expect(relErr(1e3).gap[2]).toBeGreaterThan(0.1);
  });
  it('horizon: the step where the finite-P loss leaves the one-pass law by 25 % scales as P^b', () => {
    const grid: number[] = [];
    for (let e = 0; e <= 40; e++) grid.push(Math.round(10 ** (1 + e * 0.2)));
    const inf = solveCurve({ spectrum, N: Infinity, P: Infinity, sigma: 0, t: grid, dynamics: gd });
    const leave = (P: number) => {
      const s = solveCurve({ spectrum, N: Infinity, P, sigma: 0, t: grid, dynamics: gd });
      const i = grid.findIndex((_, j) => s.test[j] / inf.test[j] > 1.25);
      // log-linear interpolation of the ratio between grid points
      const r0 = Math.log(s.test[i - 1] / inf.test[i - 1]);
      const r1 = Math.log(s.test[i] / inf.test[i]);
      const f = (Math.log(1.25) - r0) / (r1 - r0);
      return Math.exp(Math.log(grid[i - 1]) + f * (Math.log(grid[i]) - Math.log(grid[i - 1])));
    };
    const slope = Math.log(leave(1e5) / leave(1e4)) / Math.log(10);
    expect(Math.abs(slope - evaluate(law(reuseHorizonLaw()).exponent))).toBeLessThan(0.03);
    // and the ratio there is within an order one factor of the asymptotes' crossing
    const ratio = leave(1e5) / value(law(reuseHorizonLaw()), 1e5);
    expect(ratio).toBeGreaterThan(0.05);
    expect(ratio).toBeLessThan(2);
  });
  it('early stopping under label noise: t* and the excess loss against the DMFT minimum at P = 1e5', () => {
    const sigma = 0.3;
    const P = 1e5;
    const grid: number[] = [];
    for (let e = 0; e <= 60; e++) grid.push(Math.round(10 ** (3 + e * 0.05)));
    const s = solveCurve({ spectrum, N: Infinity, P, sigma, t: grid, dynamics: gd });
    let best = 0;
    for (let i = 1; i < grid.length; i++) if (s.test[i] < s.test[best]) best = i;
    expect(best).toBeGreaterThan(0);
    expect(best).toBeLessThan(grid.length - 1);
    const env = { sigma };
    const tStar = value(law(earlyStoppingLaws().steps), P, env);
    const excess = value(law(earlyStoppingLaws().excess), P, env);
    expect(Math.abs(Math.log(grid[best] / tStar))).toBeLessThan(Math.log(1.4));
    expect(Math.abs((s.test[best] - sigma ** 2) / excess - 1)).toBeLessThan(0.05);
  });
});

/**
 * One-pass SGD at finite N (THEORY E28): how far the DMFT (the deterministic
 * equivalent of the exact Volterra equation) is from its finite-N truth, the
 * exact expected-loss recursion at fixed A averaged over A, at N = 64..1024.
 *
 * Two references:
 * - t = 1 in closed form, exact in N (no sampling): with F = A^T A / N,
 *   E[F] = I and E[F Lambda F] = Lambda (1 + 1/N) + tr(Lambda) I / N (Gaussian A),
 *   E L_1 = L0 - 2 eta sum lambda c + eta^2 gamma [sum lambda^2 c (1 + 1/N) + tr Lambda sum lambda c / N]
 *           + (eta^2/B) L0 [tr Lambda^2 (1 + 1/N) + (tr Lambda)^2 / N]   (sigma = 0, E28 at t = 1).
 *   The deterministic equivalent keeps the (tr Lambda)/N parts and misses the Lambda^2/N ones, so
 *   E L_1 - DMFT = [eta^2 gamma sum lambda^2 c + (eta^2/B) L0 tr Lambda^2] / N exactly: the O(1/N) law, slope -1.
 * - every t: the simulator's exact recursion averaged over draws of A
 *   (test/fixtures/sgd/finite-n-gap.json, scripts/simulation/sgd-finite-n.ts), which
 *   must match the closed form at t = 1 and whose gap to the DMFT must be
 *   consistent with c(t)/N (weighted fit in 1/N, residuals within 3 s.e.).
 * Numbers: docs/dynamics-validation.md.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeDynamics } from '../../src/dynamics/index.js';
import { solveSgdCurve } from '../../src/numeric/sgd.js';
import { powerLawSpectrum } from '../../src/spectrum/index.js';

interface GapFixture {
  parameters: { spectrum: { a: number; b: number; M: number }; lr: number; batch: number };
  t: number[];
  rows: Array<{ N: number; seeds: number; mean: number[]; stderr: number[] }>;
}
const fx = JSON.parse(readFileSync(new URL('../fixtures/sgd/finite-n-gap.json', import.meta.url), 'utf8')) as GapFixture;
const { a, b, M } = fx.parameters.spectrum;
const eta = fx.parameters.lr;
const B = fx.parameters.batch;
const gamma = 1 + 1 / B;
const spectrum = powerLawSpectrum({ a, b, M });
const dynamics = makeDynamics({ optimizer: 'sgd', lr: eta, batch: B });

/** The moments of the task (direct sums over the M modes). */
function moments() {
  let L0 = 0;
  let trL = 0;
  let trL2 = 0;
  let lc = 0;
  let l2c = 0;
  for (let k = M; k >= 1; k--) {
    const l = k ** -b;
    const c = k ** -a;
    L0 += c;
    trL += l;
    trL2 += l * l;
    lc += l * c;
    l2c += l * l * c;
  }
  return { L0, trL, trL2, lc, l2c };
}

/** E_A L_1 at width N (closed form above). */
function exactFirstStep(N: number): number {
  const { L0, trL, trL2, lc, l2c } = moments();
  return L0 - 2 * eta * lc + eta * eta * gamma * (l2c * (1 + 1 / N) + (trL * lc) / N) + ((eta * eta) / B) * L0 * (trL2 * (1 + 1 / N) + (trL * trL) / N);
}

const dmft = (N: number, t: number[]) => solveSgdCurve({ spectrum, N, sigma: 0, t, dynamics });

/** Least-squares slope of log y against log x. */
function slope(x: number[], y: number[]): number {
  const lx = x.map(Math.log);
  const ly = y.map(Math.log);
  const mx = lx.reduce((s, v) => s + v, 0) / lx.length;
  const my = ly.reduce((s, v) => s + v, 0) / ly.length;
  let num = 0;
  let den = 0;
  lx.forEach((v, i) => {
    num += (v - mx) * (ly[i] - my);
    den += (v - mx) ** 2;
  });
  return num / den;
}

describe('SGD at finite N: the DMFT against the exact expected loss averaged over A (E28)', () => {
  const widths = [64, 128, 256, 512, 1024, 4096, 16384];

  it('t = 1 in closed form: E_A L_1 - DMFT = [eta^2 gamma sum lambda^2 c + (eta^2/B) L0 tr Lambda^2] / N exactly (to 1e-6); log-log slope -1', () => {
    const { L0, trL2, l2c } = moments();
    const predicted = eta * eta * gamma * l2c + ((eta * eta) / B) * L0 * trL2;
    const gaps = widths.map((N) => {
      const sol = dmft(N, [1]);
      expect(sol.status).toBe('converged');
      return exactFirstStep(N) - sol.test[0];
    });
    for (let i = 0; i < widths.length; i++) {
      expect(gaps[i]).toBeGreaterThan(0);
      // The deterministic equivalent is exact in the (tr Lambda)/N parts of the first two moments: the gap is c/N to the solver error.
      expect(Math.abs((gaps[i] * widths[i]) / predicted - 1), `N = ${widths[i]}`).toBeLessThan(1e-6);
    }
    expect(Math.abs(slope(widths, gaps) + 1)).toBeLessThan(0.01);
  });

  it('the simulator (exact recursion averaged over A) matches the closed form at t = 1 within 3 s.e. at every N', () => {
    const j = fx.t.indexOf(1);
    expect(j).toBeGreaterThanOrEqual(0);
    for (const row of fx.rows) {
      const z = (row.mean[j] - exactFirstStep(row.N)) / row.stderr[j];
      expect(Math.abs(z), `N = ${row.N}`).toBeLessThan(3);
    }
  });

  it('every step: the relative gap (mean - DMFT) / DMFT is consistent with c(t)/N (weighted fit, every residual within 3 s.e.), and |c(t)| / N < 2.5 % at N = 64', () => {
    expect(fx.rows.map((r) => r.N)).toEqual([64, 128, 256, 512, 1024]);
    const sols = new Map(fx.rows.map((r) => [r.N, dmft(r.N, fx.t)]));
    fx.t.forEach((t, j) => {
      const g = fx.rows.map((r) => r.mean[j] / (sols.get(r.N) as ReturnType<typeof dmft>).test[j] - 1);
      const e = fx.rows.map((r) => r.stderr[j] / (sols.get(r.N) as ReturnType<typeof dmft>).test[j]);
      // Weighted least squares of g = c / N.
      let num = 0;
      let den = 0;
      fx.rows.forEach((r, i) => {
        num += g[i] / r.N / e[i] ** 2;
        den += 1 / (r.N * r.N * e[i] ** 2);
      });
      const c = num / den;
      fx.rows.forEach((r, i) => expect(Math.abs(g[i] - c / r.N) / e[i], `t = ${t}, N = ${r.N}`).toBeLessThan(3));
      expect(Math.abs(c) / 64, `t = ${t}`).toBeLessThan(0.025);
    });
  });
});

/**
 * The ensemble estimators (THEORY E14, E16a).
 *  - Per seed with two projections: test - testA = |v_1 - v_2|^2_Lambda / 2 >= 0,
 *    so L_A <= L seed by seed (and on average).
 *  - E models on the same data: L_E = L_A + (L - L_A) / E in expectation. The
 *    loss of the ensemble mean |vbar|^2_Lambda + sigma^2 from one run is checked
 *    against L_A + (L - L_A) / E estimated from an independent run.
 *  - P = Infinity: the data are not random, so E_A[v] is deterministic and
 *    L_A - sigma^2 = B exactly in expectation; both unbiased estimators agree.
 *  - B <= L_A - sigma^2 (Jensen over the data), N = Infinity: L_A = L.
 */
import { describe, expect, it } from 'vitest';
import { customSpectrum, modeArrays } from '../../src/spectrum/index.js';
import { prepareSimulation, simulate } from '../../src/simulation/simulate.js';
import { runSeed } from '../../src/simulation/seed.js';

const spectrum = customSpectrum([1, 0.5, 0.3, 0.2, 0.12, 0.08, 0.05, 0.03], [0.5, 0.4, 0.25, 0.2, 0.1, 0.05, 0.03, 0.02]);
const { lambda } = modeArrays(spectrum);
const M = lambda.length;
const times = [0.5, 3, 30];
const sigma = 0.3;

function meanSe(x: number[]): { mean: number; se: number } {
  const n = x.length;
  const mean = x.reduce((s, v) => s + v, 0) / n;
  const v = x.reduce((s, y) => s + (y - mean) ** 2, 0) / (n - 1);
  return { mean, se: Math.sqrt(v / n) };
}

describe('L_A <= L seed by seed (ensemble of 2)', () => {
  it.each([
    { N: 4, P: 6 },
    { N: 6, P: 3 },
    { N: 3, P: Infinity },
  ])('N = $N, P = $P', ({ N, P }) => {
    const { setup } = prepareSimulation({ spectrum, N, P, sigma, t: times, seeds: 20, seed: 1 });
    for (let s = 0; s < 20; s++) {
      const out = runSeed(setup, s);
      for (let j = 0; j < times.length; j++) expect(out.testA[j]).toBeLessThanOrEqual(out.test[j] + 1e-15);
    }
  });
});

describe('L_E = L_A + (L - L_A) / E in expectation (THEORY E16a)', () => {
  it.each([2, 4])('E = %i', (E) => {
    const N = 4;
    const P = 6;
    const seeds = 1500;
    // Run 1: L and L_A.
    const r1 = prepareSimulation({ spectrum, N, P, sigma, t: times, seeds, seed: 21 }).setup;
    // Run 2 (independent base seed): the ensemble-mean residual of E members on the same data.
    const r2 = prepareSimulation({ spectrum, N, P, sigma, t: times, seeds, seed: 22 }, { ensemble: E }).setup;
    const o1 = Array.from({ length: seeds }, (_, s) => runSeed(r1, s));
    const o2 = Array.from({ length: seeds }, (_, s) => runSeed(r2, s));
    for (let j = 0; j < times.length; j++) {
      const pred = o1.map((o) => o.testA[j] + (o.test[j] - o.testA[j]) / E);
      const direct = o2.map((o) => {
        let q = 0;
        for (let k = 0; k < M; k++) q += lambda[k] * o.vbar[k * times.length + j] ** 2;
        return q + sigma ** 2;
      });
      const a = meanSe(pred);
      const b = meanSe(direct);
      expect(Math.abs(a.mean - b.mean)).toBeLessThan(4 * Math.hypot(a.se, b.se));
      // The check has power: the ensemble effect (L - L_A)(1 - 1/E) is many standard errors.
      const effect = meanSe(o1.map((o) => (o.test[j] - o.testA[j]) * (1 - 1 / E)));
      expect(effect.mean).toBeGreaterThan(4 * Math.hypot(a.se, b.se));
    }
  });
});

describe('bias and L_A', () => {
  it('P = Infinity: L_A - sigma^2 = B in expectation (no data randomness)', async () => {
    const r = await simulate({ spectrum, N: 3, P: Infinity, sigma, t: times, seeds: 400, seed: 31 });
    const res = r.results[0];
    for (let j = 0; j < times.length; j++) {
      const d = res.testA.mean[j] - sigma ** 2 - res.bias.mean[j];
      expect(Math.abs(d)).toBeLessThan(4 * Math.hypot(res.testA.stderr[j], res.bias.stderr[j]));
      expect(res.bias.stderr[j]).toBeGreaterThan(0);
    }
  });

  it('finite P: B <= L_A - sigma^2 <= L - sigma^2 on average; N = Infinity: L_A = L', async () => {
    const r = await simulate({ spectrum, N: 4, P: 5, sigma, t: times, seeds: 400, seed: 32 });
    const res = r.results[0];
    for (let j = 0; j < times.length; j++) {
      expect(res.bias.mean[j]).toBeLessThan(res.testA.mean[j] - sigma ** 2 + 3 * Math.hypot(res.bias.stderr[j], res.testA.stderr[j]));
      expect(res.testA.mean[j]).toBeLessThanOrEqual(res.test.mean[j]);
    }
    const k = await simulate({ spectrum, N: Infinity, P: 5, sigma, t: times, seeds: 20, seed: 33 });
    expect(Array.from(k.results[0].testA.mean)).toEqual(Array.from(k.results[0].test.mean));
    expect(k.timing.decompositionsPerSeed).toBe(1);
  });

  it('the cross-seed bias equals the plain average over pairs s != s\u2032 of vbar_s . Lambda vbar_s\u2032', async () => {
    const seeds = 6;
    const r = await simulate({ spectrum, N: 4, P: 6, sigma, t: times, seeds, seed: 41 });
    const { setup } = prepareSimulation({ spectrum, N: 4, P: 6, sigma, t: times, seeds, seed: 41 });
    const outs = Array.from({ length: seeds }, (_, s) => runSeed(setup, s));
    const T = times.length;
    for (let j = 0; j < T; j++) {
      let sum = 0;
      const loo: number[] = new Array(seeds).fill(0);
      for (let a = 0; a < seeds; a++) {
        for (let b = 0; b < seeds; b++) {
          if (a === b) continue;
          let q = 0;
          for (let k = 0; k < M; k++) q += lambda[k] * outs[a].vbar[k * T + j] * outs[b].vbar[k * T + j];
          sum += q;
          for (let i = 0; i < seeds; i++) if (i !== a && i !== b) loo[i] += q;
        }
      }
      const B = sum / (seeds * (seeds - 1));
      expect(Math.abs(r.results[0].bias.mean[j] - B)).toBeLessThan(1e-13);
      // Jackknife: sqrt((n-1)/n sum (U_(-i) - mean)^2) with U_(-i) over the other n-1 seeds.
      const U = loo.map((x) => x / ((seeds - 1) * (seeds - 2)));
      const ubar = U.reduce((s, x) => s + x, 0) / seeds;
      const jack = Math.sqrt(((seeds - 1) / seeds) * U.reduce((s, x) => s + (x - ubar) ** 2, 0));
      expect(Math.abs(r.results[0].bias.stderr[j] - jack)).toBeLessThan(1e-12);
    }
  });
});

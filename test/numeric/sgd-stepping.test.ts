/**
 * The Z-domain SGD solver (sgd.ts) against the time-domain product-integration
 * rule on a geometric step grid (sgd-stepping.ts), which uses only K and
 * L^GD as functions of time, at horizons no O(T^2) loop reaches (THEORY E28);
 * and the stepping rule itself against the brute force where both run.
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/core/errors.js';
import { makeDynamics } from '../../src/dynamics/index.js';
import { sgdOnePoint, solveSgdCurve } from '../../src/numeric/sgd.js';
import { solveVolterraStepping } from '../../src/numeric/sgd-stepping.js';
import { powerLawSpectrum } from '../../src/spectrum/index.js';

const rel = (x: number, y: number) => Math.abs(x / y - 1);

function steppingFor(N: number, eta: number, B: number, sigma: number, t: number[], pointsPerOctave: number) {
  const problem = { spectrum: powerLawSpectrum({ a: 3, b: 1.5 }), N, sigma, t: [0], dynamics: makeDynamics({ optimizer: 'sgd', lr: eta, batch: B }) };
  const s2 = sigma * sigma;
  let exactCache: { K: Float64Array; F: Float64Array } | undefined;
  return solveVolterraStepping(
    {
      eps: (eta * eta) / B,
      exact: (n) => {
        // Steps <= 64 by the circle (solveSgdCurve), above by the contour alone; cached (the estimate runs twice).
        if (exactCache?.K.length !== n + 1) {
          const head = solveSgdCurve({ ...problem, t: Array.from({ length: 65 }, (_, i) => i) });
          const tail = sgdOnePoint(problem, Array.from({ length: n - 64 }, (_, i) => i + 65));
          exactCache = { K: Float64Array.from([...head.kernel, ...tail.kernel]), F: Float64Array.from([...head.signal, ...tail.signal], (x) => x + s2) };
        }
        return exactCache;
      },
      real: (times) => {
        const s = sgdOnePoint(problem, times);
        return { K: s.kernel, F: s.signal.map((x) => x + s2) };
      },
    },
    t,
    { pointsPerOctave },
  );
}

describe('time-domain product integration on a geometric grid vs the Z-domain contour solver', () => {
  const t = [5000, 1e5, 1e6, 1e7, 1e8];
  it.each([
    [Infinity, 0.5, 2, 0],
    [4096, 0.5, 1, 0.05],
  ])('N = %s, eta = %s, B = %s, sigma = %s, a = 3, b = 1.5, M = inf: agree to 1e-8 up to 1e8 steps (test loss above 1e-9 L(0))', (N, eta, B, sigma) => {
    const stepping = steppingFor(N, eta, B, sigma, t, 8);
    const direct = solveSgdCurve({ spectrum: powerLawSpectrum({ a: 3, b: 1.5 }), N, sigma, t, dynamics: makeDynamics({ optimizer: 'sgd', lr: eta, batch: B }) });
    const floor = 1e-9 * 1.2020569031595942; // 1e-9 L(0), L(0) = zeta(3) for a = 3
    expect(stepping.errorEstimate).toBeDefined();
    t.forEach((_, i) => {
      // The grid-refinement estimate of the rule bounds its distance to the contour solver (plus that solver's own estimate).
      expect(Math.abs(stepping.L[i] - direct.test[i])).toBeLessThanOrEqual((stepping.errorEstimate as Float64Array)[i] + direct.errorEstimate.test[i]);
      // Below ~1e-9 L(0) the mode-sum tail estimate (absolute, in units of L(0)) exceeds the value itself.
      if (direct.test[i] > 1e-8 * 1.2020569031595942) expect(direct.statusPerTime[i]).toBe('converged');
      expect(Math.abs(stepping.L[i] - direct.test[i])).toBeLessThan(1e-8 * direct.test[i] + 1e-3 * floor);
    });
  });
});

describe('the stepping rule itself', () => {
  it('equals exact summation inside its exact region and rejects fractional steps', () => {
    const K = (n: number) => Float64Array.from({ length: n + 1 }, (_, i) => 0.5 * 0.9 ** i);
    const F = (n: number) => Float64Array.from({ length: n + 1 }, (_, i) => 1 / (1 + i));
    const input = {
      eps: 0.5,
      exact: (n: number) => ({ K: K(n), F: F(n) }),
      real: (x: Float64Array) => ({ K: x.map((y) => 0.5 * 0.9 ** y), F: x.map((y) => 1 / (1 + y)) }),
    };
    const res = solveVolterraStepping(input, [0, 7, 4096], { estimate: false });
    // Brute force.
    const L = new Float64Array(4097);
    const Kx = K(4096);
    for (let t = 0; t <= 4096; t++) {
      let s = 0;
      for (let q = 0; q < t; q++) s += Kx[t - 1 - q] * L[q];
      L[t] = 1 / (1 + t) + 0.5 * s;
    }
    expect(res.L[0]).toBe(L[0]);
    expect(rel(res.L[1], L[7])).toBeLessThan(1e-14);
    expect(rel(res.L[2], L[4096])).toBeLessThan(1e-12);
    expect(() => solveVolterraStepping(input, [2.5])).toThrow(InvalidArgumentError);
  });

  it('beyond its exact region matches the brute force for a power-law kernel (grid and interpolation error below 1e-9)', () => {
    // K_tau = (1 + tau)^-1.6 / 4 (sum ~ 0.84 / 4 ... < 1), F_t = (1 + t)^-0.5: smooth in log t, like E28's.
    const k = (y: number) => 0.25 * (1 + y) ** -1.6;
    const f = (y: number) => (1 + y) ** -0.5;
    const input = {
      eps: 1,
      exact: (n: number) => ({ K: Float64Array.from({ length: n + 1 }, (_, i) => k(i)), F: Float64Array.from({ length: n + 1 }, (_, i) => f(i)) }),
      real: (x: Float64Array) => ({ K: x.map(k), F: x.map(f) }),
    };
    const T = 12000;
    const L = new Float64Array(T + 1);
    const Kx = input.exact(T).K;
    for (let t = 0; t <= T; t++) {
      let s = 0;
      for (let q = 0; q < t; q++) s += Kx[t - 1 - q] * L[q];
      L[t] = f(t) + s;
    }
    const steps = [5000, 9999, 12000];
    const res = solveVolterraStepping(input, steps, { pointsPerOctave: 16 });
    steps.forEach((t, i) => {
      expect(rel(res.L[i], L[t])).toBeLessThan(1e-9);
      expect(Math.abs(res.L[i] - L[t])).toBeLessThanOrEqual((res.errorEstimate as Float64Array)[i] + 1e-14 * L[t]);
    });
  });
});

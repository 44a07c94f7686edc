/**
 * Minibatch SGD on P fixed samples (THEORY E28b), the DMFT of sgd-reuse.ts:
 * its limits against other code paths (P = infinity is one-pass SGD, sgd.ts;
 * B -> infinity with replacement and B = P by epochs are full-batch GD, curve.ts),
 * the mean-gradient transform against its closed form at N = P = infinity,
 * stability and input errors. The comparison with the sampled finite model is
 * test/numeric/sgd-reuse-mc.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/core/errors.js';
import { makeDynamics, type OnePassSgd } from '../../src/dynamics/index.js';
import { solveCurve, solveSgdCurve, solveSgdReuseCurve } from '../../src/numeric/index.js';
import { modeQuadrature } from '../../src/numeric/modes.js';
import { powerLawSpectrum } from '../../src/spectrum/index.js';

const sgd = (lr: number, batch: number) => makeDynamics({ optimizer: 'sgd', lr, batch }) as OnePassSgd;
const gd = (lr: number) => makeDynamics({ optimizer: 'gd', lr });
const rel = (x: number, y: number) => Math.abs(x / y - 1);
const spectrum = powerLawSpectrum({ a: 2, b: 1.5, M: 1000 });

describe('SGD on P samples: P = infinity is one-pass SGD (sgd.ts)', () => {
  const t = [2, 10, 100, 1000, 10000];
  for (const N of [Infinity, 256]) {
    it(`N = ${N}: train loss equals one-pass SGD to the solvers' error; test within its first-order term`, () => {
      const dynamics = sgd(0.5, 4);
      const reuse = solveSgdReuseCurve({ spectrum, N, P: Infinity, sigma: 0.3, t, dynamics });
      const onePass = solveSgdCurve({ spectrum, N, sigma: 0.3, t, dynamics });
      expect(reuse.status).toBe('converged');
      t.forEach((x, i) => {
        // Train: exact within the closure, and the closure is exact at P = infinity (E28).
        const tol = reuse.errorEstimate.train[i] + onePass.errorEstimate.test[i] + 1e-12 * onePass.test[i];
        expect(Math.abs(reuse.train[i] - onePass.test[i])).toBeLessThan(tol);
        // Test: the mean-gradient term is first order in eps; what it leaves out is smaller than itself.
        const Z = Math.abs(reuse.reuse.meanGradientTerm[i]);
        expect(Z).toBeGreaterThan(0);
        expect(Math.abs(reuse.test[i] - onePass.test[i])).toBeLessThan(0.2 * Z + reuse.errorEstimate.test[i] + onePass.errorEstimate.test[i]);
        if (x >= 100) expect(rel(reuse.test[i], onePass.test[i])).toBeLessThan(1e-6);
      });
    });
  }
});

describe('SGD on P samples: stability at P = infinity is that of one-pass SGD', () => {
  it('the kernel norm c K(1) equals one-pass SGD\'s (E28), and both call lr 0.9, B = 1 unstable', () => {
    for (const [lr, B] of [[0.5, 4], [1.2, 8]]) {
      const dynamics = sgd(lr, B);
      const reuse = solveSgdReuseCurve({ spectrum, N: 256, P: Infinity, sigma: 0, t: [10], dynamics });
      const onePass = solveSgdCurve({ spectrum, N: 256, sigma: 0, t: [10], dynamics });
      expect(rel(reuse.reuse.kernelNorm, onePass.diagnostics.kernelNorm)).toBeLessThan(1e-8);
    }
    expect(solveSgdReuseCurve({ spectrum, N: 256, P: Infinity, sigma: 0, t: [10], dynamics: sgd(0.9, 1) }).status).toBe('unstable');
    expect(solveSgdCurve({ spectrum, N: 256, sigma: 0, t: [10], dynamics: sgd(0.9, 1) }).status).toBe('unstable');
  });
});

describe('SGD on P samples: eta E_max >= 1 (the circle rule at every affordable step)', () => {
  it('P = infinity, lr 0.9 (eta E_max = 1.05): train equals one-pass SGD; a step past the circle limit is unverified', () => {
    const dynamics = sgd(0.9, 8);
    const t = [10, 120, 1000];
    const reuse = solveSgdReuseCurve({ spectrum, N: 256, P: Infinity, sigma: 0.3, t, dynamics });
    const onePass = solveSgdCurve({ spectrum, N: 256, sigma: 0.3, t, dynamics });
    expect(reuse.quantityStatus.train.slice(0, 2)).toEqual(['converged', 'converged']);
    for (const i of [0, 1]) expect(Math.abs(reuse.train[i] - onePass.test[i])).toBeLessThan(reuse.errorEstimate.train[i] + onePass.errorEstimate.test[i] + 1e-12);
    expect(reuse.quantityStatus.train[2]).toBe('unverified');
    expect(reuse.message).toMatch(/keyhole rule .* not validated/);
  });
});

describe('SGD on P samples: full-batch limits are GD (curve.ts)', () => {
  const t = [2, 10, 100, 1000, 10000];
  const base = { spectrum, N: 256, P: 512, sigma: 0.3, t };
  it('with replacement, B -> infinity: test, train and bias equal GD to the solvers error', () => {
    const reuse = solveSgdReuseCurve({ ...base, dynamics: sgd(0.5, 1e12) });
    const full = solveCurve({ ...base, dynamics: gd(0.5) });
    expect(reuse.status).toBe('converged');
    t.forEach((_, i) => {
      for (const q of ['test', 'train', 'bias'] as const) {
        const tol = reuse.errorEstimate[q][i] + full.errorEstimate[q][i] + 1e-10 * full[q][i];
        expect(Math.abs(reuse[q][i] - full[q][i])).toBeLessThan(tol);
      }
    });
  });
  it('by epochs, B = P and B = 2P: GD; with replacement B = P is not GD (negative control)', () => {
    const full = solveCurve({ ...base, dynamics: gd(0.5) });
    for (const B of [512, 1024]) {
      const epochs = solveSgdReuseCurve({ ...base, dynamics: sgd(0.5, B), sampling: 'epochs' });
      expect(Array.from(epochs.test)).toEqual(Array.from(full.test));
      expect(Array.from(epochs.train)).toEqual(Array.from(full.train));
    }
    const replacement = solveSgdReuseCurve({ ...base, dynamics: sgd(0.5, 512) });
    expect(rel(replacement.train[4], full.train[4])).toBeGreaterThan(1e-3);
  });
  it('solveCurve dispatches SGD at finite P here, with the sampling', () => {
    const viaCurve = solveCurve({ ...base, t: [10, 100], dynamics: sgd(0.5, 8) });
    const direct = solveSgdReuseCurve({ ...base, t: [10, 100], dynamics: sgd(0.5, 8) });
    expect(Array.from(viaCurve.test)).toEqual(Array.from(direct.test));
    const epochs = solveCurve({ ...base, t: [10], dynamics: sgd(0.5, 512), sgdSampling: 'epochs' });
    expect(epochs.test[0]).toBe(solveCurve({ ...base, t: [10], dynamics: gd(0.5) }).test[0]);
  });
});

describe('SGD on P samples: the mean-gradient transform (THEORY E28b)', () => {
  it('at N = P = infinity, Z_t / (eps t) = sum_k c_k lambda_k^2 (1 - eta lambda_k)^(2 (t - 1)) (closed form)', () => {
    const t = [2, 5, 30, 300, 3000];
    const eta = 0.5;
    const B = 4;
    const reuse = solveSgdReuseCurve({ spectrum, N: Infinity, P: Infinity, sigma: 0.3, t, dynamics: sgd(eta, B) });
    const modes = modeQuadrature(spectrum);
    const eps = (eta * eta) / B;
    t.forEach((x, i) => {
      let G = 0;
      for (let k = 0; k < modes.lambda.length; k++) G += modes.weight[k] * modes.c[k] * modes.lambda[k] ** 2 * (1 - eta * modes.lambda[k]) ** (2 * (x - 1));
      expect(rel(reuse.reuse.meanGradientTerm[i] / (eps * x), G)).toBeLessThan(1e-8);
    });
  });
});

describe('SGD on P samples: statuses and input errors', () => {
  it('a rate beyond the stability bound is unstable, with no number', () => {
    const s = solveSgdReuseCurve({ spectrum, N: 256, P: 512, sigma: 0, t: [10, 100], dynamics: sgd(3, 1) });
    expect(s.status).toBe('unstable');
    expect(s.quantityStatus.test).toEqual(['unstable', 'unstable']);
    expect(s.test.every((x) => Number.isNaN(x))).toBe(true);
    expect(s.train.every((x) => Number.isNaN(x))).toBe(true);
    expect(s.message).toMatch(/unstable/);
  });
  it('t = 0 is the initial loss; statuses and iterations are reported', () => {
    const s = solveSgdReuseCurve({ spectrum, N: 256, P: 256, sigma: 0.3, t: [0, 20], dynamics: sgd(0.5, 4) });
    const L0 = modeQuadrature(spectrum).sumC + 0.09;
    expect(rel(s.test[0], L0)).toBeLessThan(1e-12);
    expect(s.train[0]).toBe(s.test[0]);
    expect(s.status).toBe('converged');
    expect(s.iterations).toBeGreaterThan(0);
    expect(s.errorEstimate.test[1]).toBeGreaterThan(0);
    expect(s.gap[1]).toBeCloseTo(s.test[1] - s.train[1], 14);
  });
  const bad: Array<[string, () => unknown]> = [
    ['sampling', () => solveSgdReuseCurve({ spectrum, N: 256, P: 512, sigma: 0, t: [10], dynamics: sgd(0.5, 8), sampling: 'epochs' })],
    ['t[0]', () => solveSgdReuseCurve({ spectrum, N: 256, P: 512, sigma: 0, t: [1], dynamics: sgd(0.5, 8) })],
    ['P', () => solveSgdReuseCurve({ spectrum, N: 256, P: 1.5, sigma: 0, t: [10], dynamics: sgd(0.5, 8) })],
    ['sigma', () => solveSgdReuseCurve({ spectrum, N: 256, P: 512, sigma: -1, t: [10], dynamics: sgd(0.5, 8) })],
    // A schedule is not in the E28b closure: refused, never silently dropped (the constant-rate curve would be printed).
    ['schedule', () => solveSgdReuseCurve({ spectrum, N: 256, P: 512, sigma: 0, t: [10], dynamics: makeDynamics({ optimizer: 'sgd', lr: 0.5, batch: 8, schedule: { kind: 'cosine', total: 100 } }) as OnePassSgd })],
  ];
  for (const [argument, call] of bad) {
    it(`invalid ${argument} throws InvalidArgumentError naming it`, () => {
      expect(call).toThrow(InvalidArgumentError);
      try {
        call();
      } catch (e) {
        expect((e as InvalidArgumentError).argument).toBe(argument);
      }
    });
  }
});

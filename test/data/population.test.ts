/**
 * THEORY (E30) on data sets with known answers: y linear in the features plus
 * a part orthogonal to them gives sigma^2 = that part's mean square and
 * sum c_k = the linear part's; the sparse and dense covariance paths agree;
 * ReLU features are reproducible from their seed; a large common offset on
 * the features changes nothing (two-pass centring), and where the stored
 * values' own rounding limits the spectrum the population says so.
 */
import { describe, expect, it } from 'vitest';
import { centredCovariance, computePopulation, loadMnist, reluFeatures, type Population } from '../../src/data/index.js';
import { Xoshiro128 } from '../../src/simulation/index.js';

describe('population (E30)', () => {
  it('y = x . w + r with r orthogonal to the centred features: sum c_k = var(x . w), sigma^2 = mean(r^2)', () => {
    const n = 400;
    const d = 6;
    const rng = new Xoshiro128([3, 1]);
    const x = rng.fillNormal(new Float64Array(n * d));
    const w = [1, -0.5, 0.25, 2, 0, 0.1];
    const lin = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) lin[i] += x[i * d + j] * w[j];
    // r: a noise vector made orthogonal to [1, centred columns] by Gram-Schmidt, computed here independently.
    const r = rng.fillNormal(new Float64Array(n));
    const basis: Float64Array[] = [new Float64Array(n).fill(1)];
    for (let j = 0; j < d; j++) basis.push(Float64Array.from({ length: n }, (_, i) => x[i * d + j]));
    const ortho: Float64Array[] = [];
    for (const v of basis) {
      const u = Float64Array.from(v);
      for (const q of ortho) {
        const dot = u.reduce((s, ui, i) => s + ui * q[i], 0);
        for (let i = 0; i < n; i++) u[i] -= dot * q[i];
      }
      const norm = Math.sqrt(u.reduce((s, ui) => s + ui * ui, 0));
      ortho.push(u.map((ui) => ui / norm));
    }
    for (const q of ortho) {
      const dot = r.reduce((s, ri, i) => s + ri * q[i], 0);
      for (let i = 0; i < n; i++) r[i] -= dot * q[i];
    }
    const y = Float64Array.from(lin, (v, i) => v + r[i] + 3); // an offset too: centring removes it
    const p = computePopulation({ n, d, features: x, targets: y });
    const meanLin = lin.reduce((s, v) => s + v, 0) / n;
    const varLin = lin.reduce((s, v) => s + (v - meanLin) ** 2, 0) / n;
    const meanR2 = r.reduce((s, v) => s + v * v, 0) / n;
    expect(p.rank).toBe(d);
    expect(p.c.reduce((s, v) => s + v, 0)).toBeCloseTo(varLin, 10);
    expect(p.sigma2).toBeCloseTo(meanR2, 10);
    for (let k = 1; k < d; k++) expect(p.lambda[k]).toBeLessThanOrEqual(p.lambda[k - 1]);
  });

  it('sparse and dense covariance paths agree (the sparse one is taken below 35% non-zeros)', () => {
    const n = 200;
    const d = 30;
    const rng = new Xoshiro128([8]);
    const sparse = new Float64Array(n * d);
    for (let i = 0; i < sparse.length; i++) sparse[i] = rng.nextDouble() < 0.2 ? rng.nextDouble() : 0;
    const a = centredCovariance(sparse, n, d).covariance;
    // Dense reference: the textbook centred product, computed here.
    const mean = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += sparse[i * d + j] / n;
    for (let j = 0; j < d; j++) {
      for (let k = 0; k < d; k++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += (sparse[i * d + j] - mean[j]) * (sparse[i * d + k] - mean[k]);
        expect(a[j * d + k]).toBeCloseTo(s / n, 14);
      }
    }
    // Integer weights equal to repeating rows.
    const weights = Array.from({ length: n }, (_, i) => i % 3);
    const repeated: number[] = [];
    for (let i = 0; i < n; i++) for (let r = 0; r < weights[i]; r++) repeated.push(...sparse.subarray(i * d, i * d + d));
    const b = centredCovariance(sparse, n, d, weights).covariance;
    const c = centredCovariance(Float64Array.from(repeated), repeated.length / d, d).covariance;
    for (let i = 0; i < d * d; i++) expect(b[i]).toBeCloseTo(c[i], 14);
  });

  it('the unweighted moments of one feature array are computed once and shared; weighted ones each time', () => {
    const n = 50;
    const d = 6;
    const x = new Xoshiro128([9]).fillNormal(new Float64Array(n * d));
    const a = centredCovariance(x, n, d);
    expect(centredCovariance(x, n, d)).toBe(a);
    const weighted = centredCovariance(x, n, d, new Array<number>(n).fill(1));
    expect(weighted).not.toBe(a);
    expect(Array.from(weighted.covariance)).toEqual(Array.from(a.covariance)); // the same sums in the same order
    const otherShape = centredCovariance(x, n / 2, 2 * d); // the same array read as another shape
    expect(otherShape.covariance.length).toBe(4 * d * d);
    expect(centredCovariance(Float64Array.from(x), n, d)).not.toBe(a);
  });

  it('ReLU features: reproducible from the seed, non-negative, scaled by 1/sqrt(M)', () => {
    const x = new Xoshiro128([1]).fillNormal(new Float64Array(20 * 5));
    const f1 = reluFeatures(x, 20, 5, 16, 7);
    const f2 = reluFeatures(x, 20, 5, 16, 7);
    const f3 = reluFeatures(x, 20, 5, 16, 8);
    expect(Array.from(f2)).toEqual(Array.from(f1));
    expect(Array.from(f3)).not.toEqual(Array.from(f1));
    expect(Math.min(...f1)).toBe(0);
    expect(() => reluFeatures(x, 20, 5, 0, 1)).toThrow(/width must be an integer in 1..2048/);
  });
});

/**
 * Digits-like data from the built-in MNIST (as sklearn's digits are made): 180
 * images of each digit, 4 x 4 blocks of pixels summed (7 x 7 = 49 features in
 * [0, 16]), parity target. `round` makes the features integers, which a common
 * offset of up to 2^53 leaves exact; otherwise the block means (in [0, 1]).
 */
function digitsLike(round: boolean): { n: number; d: number; x: Float64Array; y: Float64Array } {
  const images = loadMnist();
  const rows: number[] = [];
  for (let digit = 0; digit < 10; digit++) {
    let taken = 0;
    for (let i = 0; i < images.n && taken < 180; i++) {
      if (images.labels[i] === digit) {
        rows.push(i);
        taken++;
      }
    }
  }
  const n = rows.length;
  const d = 49;
  const x = new Float64Array(n * d);
  const y = new Float64Array(n);
  rows.forEach((r, i) => {
    for (let a = 0; a < 7; a++) {
      for (let b = 0; b < 7; b++) {
        let s = 0;
        for (let u = 0; u < 4; u++) for (let v = 0; v < 4; v++) s += images.pixels[r * 784 + (4 * a + u) * 28 + 4 * b + v];
        x[i * d + 7 * a + b] = round ? Math.round(s) : s / 16;
      }
    }
    y[i] = images.labels[r] % 2 === 0 ? 1 : -1;
  });
  return { n, d, x, y };
}

describe('features with a large common offset (centring, E30)', () => {
  const digits = digitsLike(true);
  const base = computePopulation({ n: digits.n, d: digits.d, features: digits.x, targets: digits.y });

  // Measured: lambda_k within 1.5e-12 relative, c_k within 3e-15 mean(y^2), sigma^2 within 1e-15 (the one-pass
  // E[x x^T] - mean mean^T: lambda_k up to 8% off at +1e6, and at +1e8 sigma^2 = -0.18, an internal error).
  it.each([1e6, 1e8])('digits-like integers shifted by %s: the same population (lambda_k to 1e-9 relative, c_k and sigma^2 to 1e-12 mean(y^2))', (offset) => {
    const shifted = computePopulation({ n: digits.n, d: digits.d, features: Float64Array.from(digits.x, (v) => v + offset), targets: digits.y });
    expect(shifted.rank).toBe(base.rank);
    for (let k = 0; k < base.rank; k++) {
      expect(Math.abs(shifted.lambda[k] / base.lambda[k] - 1)).toBeLessThan(1e-9);
      expect(Math.abs(shifted.c[k] - base.c[k])).toBeLessThan(1e-12 * base.meanY2);
    }
    expect(Math.abs(shifted.sigma2 - base.sigma2)).toBeLessThan(1e-12 * base.meanY2);
    // Integers plus an offset are stored exactly: nothing to warn about.
    expect(shifted.warnings).toEqual([]);
    expect(shifted.centring.twoPass).toBe(true);
  }, 60_000);

  it('non-integer features shifted by 1e8 lose digits when stored: the population warns, and the modes it does not flag are right to 1%', () => {
    const plain = digitsLike(false);
    const reference: Population = computePopulation({ n: plain.n, d: plain.d, features: plain.x, targets: plain.y });
    expect(reference.warnings).toEqual([]);
    const shifted = computePopulation({ n: plain.n, d: plain.d, features: Float64Array.from(plain.x, (v) => v + 1e8), targets: plain.y });
    expect(shifted.unresolvedModes).toBeGreaterThan(0);
    expect(shifted.warnings.join(' ')).toMatch(/the features' precision limits the spectrum: \d+ of \d+ modes lie below 100 x the floor/);
    for (let k = 0; k < Math.min(shifted.rank, reference.rank); k++) {
      if (shifted.precisionFloor > 0.01 * shifted.lambda[k]) break;
      expect(Math.abs(shifted.lambda[k] / reference.lambda[k] - 1)).toBeLessThan(0.01);
    }
  }, 60_000);
});

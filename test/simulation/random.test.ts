/** The project PRNG (src/simulation/random.ts): reproducibility, stream independence, moments. */
import { describe, expect, it } from 'vitest';
import { Xoshiro128 } from '../../src/simulation/random.js';

describe('Xoshiro128 (xoshiro128** 1.1 + splitmix64 seeding + polar normals)', () => {
  it('the same key gives the same stream; different keys differ', () => {
    const a = new Xoshiro128([1, 2, 3]).fillNormal(new Float64Array(100));
    const b = new Xoshiro128([1, 2, 3]).fillNormal(new Float64Array(100));
    const c = new Xoshiro128([1, 2, 4]).fillNormal(new Float64Array(100));
    const d = new Xoshiro128([2, 1, 3]).fillNormal(new Float64Array(100));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(a.some((x, i) => x !== c[i])).toBe(true);
    expect(a.some((x, i) => x !== d[i])).toBe(true);
  });

  it('fillNormal is the same sequence as repeated nextNormal (odd lengths, spare carried over)', () => {
    const g1 = new Xoshiro128([5]);
    const g2 = new Xoshiro128([5]);
    const bulk = [...g1.fillNormal(new Float64Array(7)), ...g1.fillNormal(new Float64Array(4), 2)];
    const single = [...Array.from({ length: 7 }, () => g2.nextNormal()), ...Array.from({ length: 4 }, () => 2 * g2.nextNormal())];
    expect(bulk).toEqual(single);
  });

  it('uniforms lie in [0, 1) and uint32 outputs are integers in range', () => {
    const g = new Xoshiro128([8]);
    for (let i = 0; i < 1000; i++) {
      const u = g.nextDouble();
      expect(u >= 0 && u < 1).toBe(true);
      const x = g.nextUint32();
      expect(Number.isInteger(x) && x >= 0 && x < 2 ** 32).toBe(true);
    }
  });

  it('normal moments: mean 0, variance 1, kurtosis 3 within 5 standard errors', () => {
    const n = 200_000;
    const z = new Xoshiro128([42, 0]).fillNormal(new Float64Array(n));
    let m1 = 0;
    let m2 = 0;
    let m4 = 0;
    for (const x of z) {
      m1 += x;
      m2 += x * x;
      m4 += x ** 4;
    }
    m1 /= n;
    m2 /= n;
    m4 /= n;
    expect(Math.abs(m1)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(m2 - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(m4 - 3)).toBeLessThan(5 * Math.sqrt(96 / n));
  });

  it('rejects invalid key parts', () => {
    expect(() => new Xoshiro128([-1])).toThrow(/safe integers >= 0/);
    expect(() => new Xoshiro128([0.5])).toThrow(/safe integers >= 0/);
  });
});

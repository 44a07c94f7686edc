/**
 * The WebAssembly normal generator (src/simulation/random.ts fillNormal,
 * scripts/simulation/normals-wat.ts): its fdlibm logarithm returns V8's
 * Math.log bits, and its streams are the JS loop's and nextNormal's, bit for
 * bit (every seeded fixture and number in the docs depends on the stream).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assembleNormals, assembleWat, NORMALS_MODULE_PATH, normalsModuleText } from '../../scripts/simulation/build-wasm.js';
import { normalsWat } from '../../scripts/simulation/normals-wat.js';
import { wasmNormalLog, Xoshiro128 } from '../../src/simulation/random.js';

const F = new Float64Array(1);
const W = new Uint32Array(F.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LITTLE_ENDIAN ? 1 : 0;
const LO = 1 - HI;

/** The double with high word hi and low word lo. */
function fromWords(hi: number, lo: number): number {
  W[HI] = hi >>> 0;
  W[LO] = lo >>> 0;
  return F[0];
}

/**
 * The arguments the logarithm is checked on, more than 1e7: (0, 1] densely (a
 * midpoint grid and 53-bit uniforms), every binade from the subnormals to the
 * largest doubles (random mantissas, including the branch fdlibm takes for
 * |f| < 2^-20 near each power of two), the neighbourhood of 1, and the values
 * q = (a^2 + b^2) 2^-104 the polar method produces when u and v are a few
 * multiples of 2^-52 (its smallest q is 2^-104; subnormals cannot occur there).
 */
function* logArguments(): Generator<number> {
  const grid = 3_500_000;
  for (let j = 0; j < grid; j++) yield (j + 0.5) / grid;
  const g = new Xoshiro128([19, 1]);
  for (let j = 0; j < 3_000_000; j++) yield 1 - g.nextDouble(); // (0, 1]
  for (let e = 0; e < 2047; e++) {
    // 1000 random mantissas in the binade e (e = 0: subnormals)
    for (let j = 0; j < 1000; j++) yield fromWords((e << 20) | (g.nextUint32() & 0xfffff), g.nextUint32());
    // mantissa within 2^-20 of 1 and of 2 (fdlibm's small-f branch and its edges)
    for (let j = 0; j < 200; j++) {
      yield fromWords((e << 20) | (j & 7), g.nextUint32());
      yield fromWords((e << 20) | (0xfffff - (j & 7)), g.nextUint32());
    }
    yield fromWords(e << 20, 0); // powers of two (and +0)
    yield fromWords((e << 20) | 0xfffff, 0xffffffff);
  }
  for (let j = 1; j <= 300_000; j++) {
    yield 1 - j * 2 ** -53;
    yield 1 + j * 2 ** -52;
    yield 1 - j * 2 ** -40;
  }
  for (let a = 0; a <= 300; a++) for (let b = 1; b <= 300; b++) yield (a * a + b * b) * 2 ** -104;
  for (let j = 0; j < 100_000; j++) yield g.nextDouble() * 2 ** -1000 * (j % 3 === 0 ? 2 ** -70 : 1);
  yield* [0, -0, -1, -Number.MIN_VALUE, Number.MIN_VALUE, 2 ** -1022, 2 ** -1022 - Number.MIN_VALUE, Number.MAX_VALUE, Infinity, -Infinity, NaN, 1, 2, 0.5];
}

/** How many arguments differ from Math.log (Object.is: -0, NaN and infinities included), and the first few. */
function compareWithMathLog(log: (x: number) => number): { count: number; mismatches: number; first: string[] } {
  let count = 0;
  let mismatches = 0;
  const first: string[] = [];
  for (const x of logArguments()) {
    count++;
    const ours = log(x);
    const v8 = Math.log(x);
    if (!Object.is(ours, v8)) {
      mismatches++;
      if (first.length < 5) first.push(`log(${x}) = ${ours}, Math.log ${v8}`);
    }
  }
  return { count, mismatches, first };
}

/** The log exported by a module assembled from an altered WAT source. */
async function alteredLog(wat: string): Promise<(x: number) => number> {
  const api = (globalThis as unknown as { WebAssembly: { Module: new (b: Uint8Array) => object; Instance: new (m: object, i: object) => { exports: Record<string, unknown> } } }).WebAssembly;
  return new api.Instance(new api.Module(await assembleWat('altered.wat', wat)), {}).exports.log as (x: number) => number;
}

describe('WebAssembly normal generator', () => {
  it('is what scripts/simulation/build-wasm.ts assembles from the WAT source', async () => {
    expect(readFileSync(NORMALS_MODULE_PATH, 'utf8')).toBe(normalsModuleText(await assembleNormals()));
  });

  it("its fdlibm log returns Math.log's bits on more than 1e7 arguments", () => {
    const log = wasmNormalLog();
    expect(log).not.toBeNull();
    const result = compareWithMathLog(log!);
    expect(result.count).toBeGreaterThan(10_000_000);
    expect(result.first).toEqual([]);
    expect(result.mismatches).toBe(0);
  });

  it('the comparison fails for a changed coefficient or a changed order of operations', async () => {
    const wat = normalsWat();
    const alterations: Array<[string, string]> = [
      ['(f64.const 1.479819860511658591e-01)', '(f64.const 1.538461538461538e-01)'], // Lg7 -> 2/13, its Taylor value
      ['(f64.const 6.666666666666735130e-01)', '(f64.const 6.666666666666666e-01)'], // Lg1 -> 2/3
      ['(f64.const 1.90821492927058770002e-10)', '(f64.const 1.9082149292705877e-10 )'], // unchanged double: control, must still agree
      // t1 + t2 summed as (t2 + w Lg2) + ... : R = t2 + t1 regrouped
      ['(local.set $R (f64.add (local.get $t2) (local.get $t1)))', '(local.set $R (f64.add (f64.add (local.get $t2) (f64.mul (local.get $w) (f64.const 3.999999999940941908e-01))) (f64.sub (local.get $t1) (f64.mul (local.get $w) (f64.const 3.999999999940941908e-01)))))'],
      // hfsq = 0.5 (f f) instead of (0.5 f) f: the same value (exact scaling by 0.5), control
      ['(f64.mul (f64.mul (f64.const 0.5) (local.get $f)) (local.get $f))', '(f64.mul (f64.const 0.5) (f64.mul (local.get $f) (local.get $f)))'],
    ];
    const expectDifferent = [true, true, false, true, false];
    for (let a = 0; a < alterations.length; a++) {
      const [from, to] = alterations[a];
      expect(wat.includes(from)).toBe(true);
      const log = await alteredLog(wat.split(from).join(to));
      // A quicker sample than the full check: (0, 1] on a grid of 2e5 points and around 1.
      let mismatches = 0;
      for (let j = 0; j < 200_000; j++) {
        const x = (j + 0.5) / 200_000;
        if (!Object.is(log(x), Math.log(x))) mismatches++;
        const y = 1 - j * 2 ** -30;
        if (!Object.is(log(y), Math.log(y))) mismatches++;
      }
      expect(mismatches > 0, `alteration ${a}: ${mismatches} mismatches`).toBe(expectDifferent[a]);
    }
  });

  it('gives the stream of nextNormal and of the JS loop: several keys, odd lengths, the spare carried over, chunk edges', () => {
    const lengths = [1, 2, 3, 8191, 8192, 8193, 1, 16_385, 100_001, 5];
    for (const key of [[0], [1, 2, 3], [2024, 7, 1, 0], [9_007_199_254_740_991]]) {
      const viaWasm = new Xoshiro128(key);
      const viaJs = new Xoshiro128(key);
      const single = new Xoshiro128(key);
      for (const [c, length] of lengths.entries()) {
        const scale = c % 3 === 0 ? 1 : 1 / Math.sqrt(length + 2);
        const a = viaWasm.fillNormal(new Float64Array(length), scale);
        const b = viaJs.fillNormal(new Float64Array(length), scale, 'js');
        let differing = 0;
        let fromSingle = 0;
        for (let i = 0; i < length; i++) {
          if (!Object.is(a[i], b[i])) differing++;
          if (!Object.is(a[i], scale * single.nextNormal())) fromSingle++;
        }
        expect(differing, `key ${key} call ${c}`).toBe(0);
        expect(fromSingle, `key ${key} call ${c}`).toBe(0);
      }
      // the generators' states agree afterwards too (uniforms and the spare)
      expect([viaWasm.nextNormal(), viaWasm.nextDouble(), viaWasm.nextUint32()]).toEqual([viaJs.nextNormal(), viaJs.nextDouble(), viaJs.nextUint32()]);
    }
  });
});

/**
 * The WebAssembly normal generator (src/simulation/random.ts fillNormal,
 * scripts/simulation/normals-wat.ts): its fdlibm logarithm returns V8's
 * Math.log bits, and its streams are the JS loop's and nextNormal's, bit for
 * bit (every seeded fixture and number in the docs depends on the stream).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assembleNormals, NORMALS_MODULE_PATH, normalsModuleText } from '../../scripts/simulation/build-wasm.js';
import { assembleWat } from '../../scripts/wasm/assemble.js';
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

interface Comparison {
  count: number;
  mismatches: number;
  first: string[];
}

/**
 * How many arguments differ from Math.log (Object.is: -0, NaN and infinities
 * included), and the first few, for the scalar log and for the f64x2 path
 * (chunks of arguments, two lanes at a time).
 */
function compareWithMathLog(args: Iterable<number>, scalar: (x: number) => number, vector: (xs: Float64Array) => Float64Array): { scalar: Comparison; vector: Comparison } {
  const result = { scalar: { count: 0, mismatches: 0, first: [] as string[] }, vector: { count: 0, mismatches: 0, first: [] as string[] } };
  const note = (c: Comparison, x: number, ours: number, v8: number) => {
    c.count++;
    if (Object.is(ours, v8)) return;
    c.mismatches++;
    if (c.first.length < 5) c.first.push(`log(${x}) = ${ours}, Math.log ${v8}`);
  };
  const chunk = new Float64Array(65_536);
  let filled = 0;
  const flush = () => {
    const xs = chunk.subarray(0, filled);
    const logs = vector(xs);
    for (let j = 0; j < filled; j++) {
      const v8 = Math.log(xs[j]);
      note(result.scalar, xs[j], scalar(xs[j]), v8);
      note(result.vector, xs[j], logs[j], v8);
    }
    filled = 0;
  };
  for (const x of args) {
    chunk[filled++] = x;
    if (filled === chunk.length) flush();
  }
  flush();
  return result;
}

/** The exports of a module assembled from an altered WAT source. */
async function alteredModule(wat: string): Promise<Record<string, unknown>> {
  const api = (globalThis as unknown as { WebAssembly: { Module: new (b: Uint8Array) => object; Instance: new (m: object, i: object) => { exports: Record<string, unknown> } } }).WebAssembly;
  return new api.Instance(new api.Module(await assembleWat('altered.wat', wat)), {}).exports;
}

/** Its scalar log and its f64x2 path (on even lengths, through the chunk area from byte 64). */
function logsOf(exports: Record<string, unknown>): [(x: number) => number, (xs: Float64Array) => Float64Array] {
  const memory = new Float64Array((exports.memory as { buffer: ArrayBuffer }).buffer);
  const logPairs = exports.logPairs as (at: number, end: number) => void;
  const vector = (xs: Float64Array): Float64Array => {
    const out = new Float64Array(xs.length);
    for (let i = 0; i < xs.length; i += 2048) {
      const part = xs.subarray(i, i + 2048);
      memory.set(part, 8);
      logPairs(64, 64 + 8 * part.length);
      out.set(memory.subarray(8, 8 + part.length), i);
    }
    return out;
  };
  return [exports.log as (x: number) => number, vector];
}

describe('WebAssembly normal generator', () => {
  it('is what scripts/simulation/build-wasm.ts assembles from the WAT source', async () => {
    expect(readFileSync(NORMALS_MODULE_PATH, 'utf8')).toBe(normalsModuleText(await assembleNormals()));
  });

  it("its fdlibm log, scalar and f64x2, returns Math.log's bits on more than 1e7 arguments", () => {
    const log = wasmNormalLog();
    expect(log).not.toBeNull();
    const result = compareWithMathLog(logArguments(), log!.scalar, log!.vector);
    for (const path of [result.scalar, result.vector]) {
      expect(path.count).toBeGreaterThan(10_000_000);
      expect(path.first).toEqual([]);
      expect(path.mismatches).toBe(0);
    }
  });

  it('the comparison fails for a changed coefficient or a changed order of operations, on both paths', async () => {
    const wat = normalsWat();
    // [altered constants or text replacement, whether the scalar log's values change, whether the f64x2 path's do]
    const alterations: Array<[Record<string, string> | [string, string], boolean, boolean]> = [
      [{ Lg7: '1.538461538461538e-01' }, true, true], // Lg7 -> 2/13, its Taylor value (both paths)
      [{ Lg1: '6.666666666666666e-01' }, true, true], // Lg1 -> 2/3
      [{ ln2_lo: '1.9082149292705877e-10' }, false, false], // ln2_lo written shorter: the same double (a control)
      // R = t2 + t1 regrouped as (t2 + 0.4 w) + (t1 - 0.4 w), in one path at a time
      [['(local.set $R (f64.add (local.get $t2) (local.get $t1)))', '(local.set $R (f64.add (f64.add (local.get $t2) (f64.mul (local.get $w) (f64.const 0.4))) (f64.sub (local.get $t1) (f64.mul (local.get $w) (f64.const 0.4)))))'], true, false],
      [['(local.set $vR (f64x2.add (local.get $vt2) (local.get $vt1)))', '(local.set $vR (f64x2.add (f64x2.add (local.get $vt2) (f64x2.mul (local.get $vw) (v128.const f64x2 0.4 0.4))) (f64x2.sub (local.get $vt1) (f64x2.mul (local.get $vw) (v128.const f64x2 0.4 0.4)))))'], false, true],
      // hfsq = 0.5 (f f) instead of (0.5 f) f: the same value (scaling by 0.5 is exact; a control)
      [['(f64.mul (f64.mul (f64.const 0.5) (local.get $f)) (local.get $f))', '(f64.mul (f64.const 0.5) (f64.mul (local.get $f) (local.get $f)))'], false, false],
    ];
    // (0, 1) on a grid, with f of at least 2^-20 (the f64x2 path's own lanes, not its scalar fallback)
    const args = Float64Array.from({ length: 400_000 }, (_, j) => 0.25 + (0.5 * (j + 0.5)) / 400_000);
    for (const [a, [alteration, scalarChanges, vectorChanges]] of alterations.entries()) {
      let altered: string;
      if (Array.isArray(alteration)) {
        expect(wat.includes(alteration[0]), `alteration ${a}`).toBe(true);
        altered = wat.split(alteration[0]).join(alteration[1]);
      } else altered = normalsWat(alteration);
      const result = compareWithMathLog(args, ...logsOf(await alteredModule(altered)));
      expect(result.scalar.mismatches > 0, `alteration ${a}, scalar: ${result.scalar.mismatches} mismatches`).toBe(scalarChanges);
      expect(result.vector.mismatches > 0, `alteration ${a}, f64x2: ${result.vector.mismatches} mismatches`).toBe(vectorChanges);
    }
    expect(normalsWat()).toBe(wat); // the generator is left as it was
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

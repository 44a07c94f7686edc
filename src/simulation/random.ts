/**
 * Seeded, reproducible random numbers for the Monte Carlo simulator (no
 * global state, no Math.random: STYLE 6).
 *
 * Generator: xoshiro128** 1.1 (Blackman & Vigna, "Scrambled linear
 * pseudorandom number generators", ACM TOMS 2021; reference code at
 * prng.di.unimi.it). 128-bit state, 32-bit outputs, period 2^128 - 1, built
 * from 32-bit operations only, so it runs at full speed in JavaScript
 * (Math.imul, >>> 0) without BigInt.
 *
 * Seeding: each stream is keyed by a tuple of non-negative integers, e.g.
 * (seed, seedIndex, STREAM_DATA, 0). The key is absorbed by splitmix64
 * (Steele, Lea & Flood, "Fast splittable pseudorandom number generators",
 * OOPSLA 2014; the seeding generator the xoshiro authors recommend), in BigInt
 * once per stream, and two splitmix64 outputs fill the 128-bit state. Distinct
 * keys give statistically independent streams, so seed index s of a run with
 * base seed `seed` does not depend on how many seeds (or workers) there are.
 *
 * Uniforms: 53-bit doubles in [0, 1) from two 32-bit outputs.
 * Normals: Marsaglia's polar method (Marsaglia & Bray, SIAM Review 1964): two
 * uniforms in the unit disc give two independent N(0, 1) without
 * trigonometric functions; the second value is cached in the generator.
 * Reproducibility: the output is a deterministic function of the key given
 * IEEE arithmetic; Math.log and Math.sqrt are the only library calls (sqrt is
 * correctly rounded; V8's log is a fixed fdlibm port), so results are
 * bit-identical across runs and machines for one Node/V8 version.
 *
 * Speed: fillNormal, the simulator's bulk draws, runs the same loop in
 * WebAssembly (src/simulation/normals-wasm.ts, from
 * scripts/simulation/normals-wat.ts) with fdlibm's logarithm written out, the
 * operations of V8's Math.log in the same order, so the values are the same
 * bits (test/simulation/normals-wasm.test.ts); the JS loop stays as the
 * fallback without WebAssembly and as `kernels: 'js'`.
 */
import { wasmInstance } from '../core/wasm.js';
import { NORMALS_WASM_BASE64 } from './normals-wasm.js';

const MASK64 = (1n << 64n) - 1n;

function splitmix64Step(state: bigint): { state: bigint; value: bigint } {
  const next = (state + 0x9e3779b97f4a7c15n) & MASK64;
  let z = next;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return { state: next, value: z ^ (z >> 31n) };
}

/** Absorbs a key of non-negative safe integers into one 64-bit word. */
export function hashKey(key: readonly number[]): bigint {
  let h = 0x5ca1ab1e0ddba11n; // arbitrary fixed start ("scalable oddball")
  for (const part of key) {
    if (!Number.isSafeInteger(part) || part < 0) throw new RangeError(`random stream key parts must be safe integers >= 0, got ${part}`);
    h = splitmix64Step(h ^ BigInt(part)).value;
  }
  return h;
}

export class Xoshiro128 {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare = 0;
  private hasSpare = false;

  /** A stream keyed by `key` (see the module comment). */
  constructor(key: readonly number[]) {
    let state = hashKey(key);
    const a = splitmix64Step(state);
    state = a.state;
    const b = splitmix64Step(state);
    this.s0 = Number(a.value & 0xffffffffn) >>> 0;
    this.s1 = Number(a.value >> 32n) >>> 0;
    this.s2 = Number(b.value & 0xffffffffn) >>> 0;
    this.s3 = Number(b.value >> 32n) >>> 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the all-zero state is a fixed point
  }

  /** Next 32-bit output (xoshiro128** 1.1: result = rotl(s1 * 5, 7) * 9). */
  nextUint32(): number {
    const s1 = this.s1;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return r;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  nextDouble(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Standard normal (Marsaglia polar method). */
  nextNormal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.nextDouble() - 1;
      v = 2 * this.nextDouble() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * m;
    this.hasSpare = true;
    return u * m;
  }

  /**
   * Fills `out` with iid N(0, scale^2) values, in index order. The same
   * sequence as calling nextNormal() out.length times (then scaling), but with
   * the generator state in locals: the hot path of the simulator's draws.
   * `kernels` 'wasm' (the default) runs the WebAssembly loop where it loads,
   * 'js' the JS loop; both give the same bits.
   */
  fillNormal(out: Float64Array, scale = 1, kernels: 'wasm' | 'js' = 'wasm'): Float64Array {
    let i = 0;
    const n = out.length;
    if (n > 0 && this.hasSpare) {
      out[i++] = scale * this.spare;
      this.hasSpare = false;
    }
    if (i === n) return out;
    const kernel = kernels === 'wasm' ? loadNormalKernel() : null;
    if (kernel !== null) this.fillNormalWasm(kernel, out, i, scale);
    else this.fillNormalJs(out, i, scale);
    return out;
  }

  /** fillNormal from index i on by the WebAssembly loop (one chunk of pairs per call). */
  private fillNormalWasm(kernel: NormalKernel, out: Float64Array, i: number, scale: number): void {
    const n = out.length;
    const state = kernel.state;
    state[0] = this.s0;
    state[1] = this.s1;
    state[2] = this.s2;
    state[3] = this.s3;
    while (i < n) {
      const pairs = Math.min(NORMAL_CHUNK_PAIRS, Math.ceil((n - i) / 2));
      kernel.normals(NORMAL_STATE_AT, NORMAL_OUT_AT, NORMAL_SCRATCH_AT, pairs, scale);
      const count = Math.min(2 * pairs, n - i);
      out.set(kernel.values.subarray(0, count), i);
      i += count;
      if (count < 2 * pairs) {
        this.spare = kernel.spare[0];
        this.hasSpare = true;
      }
    }
    this.s0 = state[0];
    this.s1 = state[1];
    this.s2 = state[2];
    this.s3 = state[3];
  }

  /** fillNormal from index i on by the JS loop (Math.log). */
  private fillNormalJs(out: Float64Array, i: number, scale: number): void {
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    const n = out.length;
    while (i < n) {
      let u: number;
      let v: number;
      let q: number;
      do {
        // Four xoshiro128** 1.1 outputs -> two 53-bit uniforms (as in nextDouble).
        let r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
        let t = s1 << 9;
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11);
        const h0 = r >>> 5;
        r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
        t = s1 << 9;
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11);
        u = (2 * (h0 * 67108864 + (r >>> 6))) / 9007199254740992 - 1;
        r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
        t = s1 << 9;
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11);
        const h1 = r >>> 5;
        r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
        t = s1 << 9;
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11);
        v = (2 * (h1 * 67108864 + (r >>> 6))) / 9007199254740992 - 1;
        q = u * u + v * v;
      } while (q >= 1 || q === 0);
      const m = Math.sqrt((-2 * Math.log(q)) / q);
      out[i++] = scale * (u * m);
      if (i < n) out[i++] = scale * (v * m);
      else {
        this.spare = v * m;
        this.hasSpare = true;
      }
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * The WebAssembly normal generator's memory (one fixed page): the state
 * s0..s3 (i32) and the spare (f64, at +16) at NORMAL_STATE_AT, a chunk of
 * pairs at NORMAL_OUT_AT and their q = u^2 + v^2 and log q at
 * NORMAL_SCRATCH_AT. 1024 pairs (32 KB in all) stay in the L1 cache between
 * the module's passes; 4096 ran about 10 % slower.
 */
const NORMAL_STATE_AT = 0;
const NORMAL_OUT_AT = 64;
const NORMAL_CHUNK_PAIRS = 1024;
const NORMAL_SCRATCH_AT = NORMAL_OUT_AT + 16 * NORMAL_CHUNK_PAIRS; // q, then log q: 16 bytes a pair

interface NormalKernel {
  state: Int32Array;
  spare: Float64Array;
  values: Float64Array;
  normals: (state: number, out: number, scratch: number, pairs: number, scale: number) => void;
  log: (x: number) => number;
  logPairs: (at: number, end: number) => void;
}

let normalKernel: NormalKernel | null | undefined;

/** This thread's instance of the normal generator (src/core/wasm.ts), or null when WebAssembly is not available. */
function loadNormalKernel(): NormalKernel | null {
  if (normalKernel !== undefined) return normalKernel;
  const instance = wasmInstance(NORMALS_WASM_BASE64);
  if (instance === null) return (normalKernel = null);
  const buffer = instance.memory.buffer; // one fixed page: the views stay valid
  const exports = instance.exports;
  normalKernel = {
    state: new Int32Array(buffer, NORMAL_STATE_AT, 4),
    spare: new Float64Array(buffer, NORMAL_STATE_AT + 16, 1),
    values: new Float64Array(buffer, NORMAL_OUT_AT, 2 * NORMAL_CHUNK_PAIRS),
    normals: exports.normals as NormalKernel['normals'],
    log: exports.log as NormalKernel['log'],
    logPairs: exports.logPairs as NormalKernel['logPairs'],
  };
  return normalKernel;
}

/** The WebAssembly ports of fdlibm's log (see wasmNormalLog). */
export interface WasmNormalLog {
  /** The scalar function (the odd last pair's, and the vector path's fallback). */
  scalar(x: number): number;
  /** The f64x2 path of the loop (two lanes at a time, scalar fallback off the common path), on a copy of `xs`. */
  vector(xs: Float64Array): Float64Array;
}

/**
 * The logarithms fillNormal's WebAssembly loop uses, exported from the module
 * for the tests, or null without WebAssembly. They return Math.log's bits
 * (test/simulation/normals-wasm.test.ts).
 */
export function wasmNormalLog(): WasmNormalLog | null {
  const kernel = loadNormalKernel();
  if (kernel === null) return null;
  return {
    scalar: kernel.log,
    vector(xs: Float64Array): Float64Array {
      const out = new Float64Array(xs.length);
      const room = kernel.values.length;
      for (let i = 0; i < xs.length; i += room) {
        const count = Math.min(room, xs.length - i);
        kernel.values.set(xs.subarray(i, i + count));
        if (count % 2 === 1) kernel.values[count] = 1; // the pair's other lane
        kernel.logPairs(NORMAL_OUT_AT, NORMAL_OUT_AT + 8 * (count + (count % 2)));
        out.set(kernel.values.subarray(0, count), i);
      }
      return out;
    },
  };
}

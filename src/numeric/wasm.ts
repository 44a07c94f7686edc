/**
 * The numeric layer's WebAssembly SIMD kernels (scripts/numeric/kernels-wat.ts; binary in kernels-wasm.ts):
 * the mode sums of kappa.ts gSeries and curve.ts groupOnePoint and the double sum of curve.ts groupCombine.
 *
 * Why: these loops are about 60 % of a curve (CPU profile of the bench curve), and in a fresh process V8 runs
 * them in its interpreter and baseline tiers until TurboFan has compiled them (the first curve's warm-up,
 * docs/performance.md); WebAssembly is compiled before the first call (Liftoff, then TurboFan in the background)
 * and its f64x2 lanes do two nodes, two times or two modes per instruction. Each kernel does, lane by lane, the
 * arithmetic of its JS loop in the same order (no fused multiply-add in WebAssembly here), so both paths give the
 * same bits (test/numeric/wasm.test.ts); the JS loops run where WebAssembly SIMD is missing.
 *
 * Two instances per thread, each with its own memory: one holds the current mode set for gSeries (the kappa
 * continuation runs inside a pass, so it must not share the pass's memory), one the scratch of the current
 * curve pass (curve.ts passScratch; a pass lays it out anew, so views of an earlier pass are stale after it).
 */
import { ensureWasmMemory, wasmInstance, type WasmInstance } from '../core/wasm.js';
import { NUMERIC_KERNELS_WASM_BASE64 } from './kernels-wasm.js';
import type { ModeSet } from './modes.js';

type GSeriesKernel = (lam: number, wl: number, end: number, kr: number, ki: number, out: number) => void;
type OnePointKernel = (
  lam: number, l2: number, l1: number, c0: number, c1: number, end: number, kra: number, kia: number, krb: number, kib: number,
  invReA: number, invImA: number, invReB: number, invImB: number, out: number,
) => void;
type PairValuesKernel = (
  n: number, node: number, ps: number, pv: number, pl1: number, nq: number, invN: number, invP: number, sig2: number,
  withN: number, withSig: number, noise: number, diagnostics: number,
) => void;
type PairSumsKernel = (n: number, node: number, ps: number, flags: number, switch2: number) => void;
type BiasAccKernel = (count: number, list: number, invRe: number, invIm: number, end: number, odd: number, acc: number) => void;
type SeriesCoefficientsKernel = (c: number, lam: number, l2: number, l1: number, c0: number, c1: number, end: number, terms: number, T: number) => number;
type CombineKernel = (pv: number, pl1: number, nest: number, vr: number, vi: number, va: number, n: number, pairBytes: number, diagnostics: number, out: number) => void;

/** Room for curve.ts SERIES_TERMS (32) Taylor terms of the four weights (not imported: curve.ts imports this module). */
const SERIES_LENGTH = 32;

let enabled = true;

/** Tests only: false runs the JS loops everywhere (to compare both paths in one process). */
export function setNumericKernelsEnabled(on: boolean): void {
  enabled = on;
}

let kappaInstance: WasmInstance | null | undefined;
let passInstance: WasmInstance | null | undefined;

/** Padding of the gSeries mode arrays to an even count: a mode whose terms are exactly 0 ((kappa + 1e300)^2 overflows). */
const PAD_LAMBDA = 1e300;

interface GSeriesState {
  modes: ModeSet | undefined;
  view: Float64Array;
  end: number;
  out: number;
}
const gState: GSeriesState = { modes: undefined, view: new Float64Array(0), end: 0, out: 0 };

/**
 * gSeries' ten two-lane accumulators (kappa.ts) for the modes at kappa = kr + i ki, from the kernel: returns the
 * view of the kernel memory and the index of the first accumulator there (lane 0 even modes, lane 1 odd), or
 * null when the kernel is unavailable (the caller runs its JS loop, which gives the same bits).
 */
export function wasmGSeries(modes: ModeSet, kr: number, ki: number): { view: Float64Array; at: number } | null {
  if (!enabled) return null;
  if (kappaInstance === undefined) kappaInstance = wasmInstance(NUMERIC_KERNELS_WASM_BASE64);
  if (kappaInstance === null) return null;
  if (gState.modes !== modes) {
    const { lambda, weight } = modes;
    const K = lambda.length;
    const Kp = K + (K & 1);
    if (!ensureWasmMemory(kappaInstance.memory, 8 * (2 * Kp + 20))) return null;
    const view = new Float64Array(kappaInstance.memory.buffer);
    for (let k = 0; k < Kp; k++) {
      view[k] = k < K ? lambda[k] : PAD_LAMBDA;
      view[Kp + k] = k < K ? weight[k] * lambda[k] : 0;
    }
    gState.modes = modes;
    gState.view = view;
    gState.end = 8 * Kp;
    gState.out = 2 * Kp;
  }
  (kappaInstance.exports.gseries as GSeriesKernel)(0, gState.end, gState.end, kr, ki, 8 * gState.out);
  return { view: gState.view, at: gState.out };
}

/**
 * Bytes of the pass instance's memory kept after a pass: a larger memory (a pass with long node groups, e.g. the
 * circle rule's hundreds of nodes: the pair arrays grow as their square) is dropped with its instance, as the JS
 * path's arrays would be collected, instead of staying with the process (WebAssembly memory never shrinks).
 */
const PASS_MEMORY_KEPT = 32 * 1024 * 1024;

/** Bytes of the pass instance's memory now (0 without one). */
export function passMemoryBytes(): number {
  return passInstance ? passInstance.memory.buffer.byteLength : 0;
}

/** Called by curve.ts at the end of a pass (its views of the memory are not used after it). */
export function releaseLargePassMemory(): void {
  if (passInstance && passInstance.memory.buffer.byteLength > PASS_MEMORY_KEPT) passInstance = undefined;
}

/** The curve pass's arrays in the kernel's memory (curve.ts passScratch) and the kernels that use them. */
export interface PassKernel {
  invRe: Float64Array;
  invIm: Float64Array;
  /** Pair sums (curve.ts groupPairSums), the near-pair flags of pairsums and the per-node arrays of pairsums and pairvalues (13 and 12 arrays of n). */
  ps: Float64Array;
  flags: Uint8Array;
  node: Float64Array;
  pv: Float64Array;
  pl1: Float64Array;
  /** Two times' weights interleaved per node: vr[2 j + lane], vi, |V|. */
  vr: Float64Array;
  vi: Float64Array;
  va: Float64Array;
  nest: Uint8Array;
  out: Float64Array;
  /** groupBiasPerMode's per-mode sums and its list of nodes (weight re, im, byte offset of the row). */
  acc: Float64Array;
  list: Float64Array;
  /** Near-pair Taylor coefficients (curve.ts seriesCoefficients). */
  series: Float64Array;
  /** Byte offsets of the arrays above and of the per-mode weights. */
  at: { lam: number; l2: number; l1: number; c0: number; c1: number; invRe: number; invIm: number; ps: number; flags: number; node: number; pv: number; pl1: number; vr: number; vi: number; va: number; nest: number; out: number; acc: number; list: number; series: number };
  K: number;
  onepoint: OnePointKernel;
  combine: CombineKernel;
  pairvalues: PairValuesKernel;
  pairsums: PairSumsKernel;
  biasacc: BiasAccKernel;
  seriescoef: SeriesCoefficientsKernel;
}

/**
 * Lays out a pass's scratch in the pass instance's memory: the per-mode weights (copied here), 1/(kappa + lambda)
 * per node (nMax x K), the packed pair values and 1-norms, two times' weights and the outputs. null without the
 * kernel (the pass then allocates its arrays in JS).
 */
export function wasmPassKernel(
  lambda: Float64Array, L2: Float64Array, L1: Float64Array, C0: Float64Array, C1: Float64Array,
  nMax: number, psLength: number, pvLength: number, pl1Length: number,
): PassKernel | null {
  if (!enabled) return null;
  if (passInstance === undefined) passInstance = wasmInstance(NUMERIC_KERNELS_WASM_BASE64);
  if (passInstance === null) return null;
  const K = lambda.length;
  // Offsets in doubles, each array starting on 16 bytes.
  let next = 0;
  const take = (length: number) => {
    const at = next;
    next += length + (length & 1);
    return at;
  };
  const lam = take(K), l2 = take(K), l1 = take(K), c0 = take(K), c1 = take(K);
  const invRe = take(nMax * K), invIm = take(nMax * K);
  const ps = take(psLength), node = take(13 * nMax);
  const pv = take(pvLength), pl1 = take(pl1Length);
  const vr = take(2 * nMax), vi = take(2 * nMax), va = take(2 * nMax);
  const out = take(40);
  const acc = take(K), list = take(3 * nMax), series = take(4 * SERIES_LENGTH);
  const nest = take(Math.ceil(nMax / 8));
  const flags = take(Math.ceil(psLength / 16 / 8));
  if (!ensureWasmMemory(passInstance.memory, 8 * next)) return null;
  const buffer = passInstance.memory.buffer;
  const f64 = (at: number, length: number) => new Float64Array(buffer, 8 * at, length);
  f64(lam, K).set(lambda);
  f64(l2, K).set(L2);
  f64(l1, K).set(L1);
  f64(c0, K).set(C0);
  f64(c1, K).set(C1);
  return {
    invRe: f64(invRe, nMax * K),
    invIm: f64(invIm, nMax * K),
    ps: f64(ps, psLength),
    node: f64(node, 13 * nMax),
    flags: new Uint8Array(buffer, 8 * flags, psLength / 16),
    pv: f64(pv, pvLength),
    pl1: f64(pl1, pl1Length),
    vr: f64(vr, 2 * nMax),
    vi: f64(vi, 2 * nMax),
    va: f64(va, 2 * nMax),
    nest: new Uint8Array(buffer, 8 * nest, nMax),
    out: f64(out, 40),
    acc: f64(acc, K),
    list: f64(list, 3 * nMax),
    series: f64(series, 4 * SERIES_LENGTH),
    at: {
      lam: 8 * lam, l2: 8 * l2, l1: 8 * l1, c0: 8 * c0, c1: 8 * c1, invRe: 8 * invRe, invIm: 8 * invIm, ps: 8 * ps, flags: 8 * flags, node: 8 * node, pv: 8 * pv, pl1: 8 * pl1,
      vr: 8 * vr, vi: 8 * vi, va: 8 * va, nest: 8 * nest, out: 8 * out, acc: 8 * acc, list: 8 * list, series: 8 * series,
    },
    K,
    onepoint: passInstance.exports.onepoint as OnePointKernel,
    combine: passInstance.exports.combine as CombineKernel,
    pairvalues: passInstance.exports.pairvalues as PairValuesKernel,
    pairsums: passInstance.exports.pairsums as PairSumsKernel,
    biasacc: passInstance.exports.biasacc as BiasAccKernel,
    seriescoef: passInstance.exports.seriescoef as SeriesCoefficientsKernel,
  };
}

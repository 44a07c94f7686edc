/**
 * Loading the project's WebAssembly kernels (the simulator's and the numeric layer's SIMD kernels), shared by
 * src/simulation/wasm.ts and src/numeric/wasm.ts: the binary comes as base64 (generated modules, so it travels
 * with the build into worker threads and, for the numeric layer, through vite into the browser), is compiled once
 * per thread and instantiated per user. Everything returns null where WebAssembly (with SIMD) is missing or the
 * module does not compile; the callers then run their JS loops.
 */

/** The parts of the WebAssembly JS API used here (the project's lib settings declare no WebAssembly global). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

export interface WasmInstance {
  memory: WasmMemory;
  exports: Record<string, unknown>;
}

const compiled = new Map<string, object | null>();

/** The bytes of a base64 text: Node's Buffer where there is one (native), else atob (browsers). */
function decodeBase64(text: string): Uint8Array {
  const buffer = (globalThis as unknown as { Buffer?: { from(s: string, encoding: 'base64'): Uint8Array } }).Buffer;
  if (buffer !== undefined) return buffer.from(text, 'base64');
  const binary = (globalThis as unknown as { atob: (s: string) => string }).atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * A new instance (own memory, exported as "memory") of the module in `base64`, compiled on first use in this
 * thread; null without WebAssembly or when it does not compile here (no SIMD).
 */
export function wasmInstance(base64: string): WasmInstance | null {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (api === undefined) return null;
  let module = compiled.get(base64);
  if (module === undefined) {
    try {
      module = new api.Module(decodeBase64(base64));
    } catch {
      module = null;
    }
    compiled.set(base64, module);
  }
  if (module === null) return null;
  try {
    const exports = new api.Instance(module, {}).exports;
    return { memory: exports.memory as WasmMemory, exports };
  } catch {
    return null;
  }
}

/** Grows `memory` to at least `bytes`; false when it cannot grow (the caller then runs its JS loop). */
export function ensureWasmMemory(memory: WasmMemory, bytes: number): boolean {
  if (memory.buffer.byteLength >= bytes) return true;
  try {
    memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / 65536));
    return true;
  } catch {
    return false;
  }
}

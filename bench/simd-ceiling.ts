/**
 * The ceiling of a WebAssembly SIMD128 product kernel on this machine
 * (called by bench/simulation.ts): f64x2 multiply-adds per second in two
 * loops assembled here with wabt, no product around them.
 *
 * - registers: six independent accumulators acc += x * y, all operands in
 *   registers (no loads): the arithmetic peak (Node 20's WebAssembly has no
 *   fused multiply-add, so one multiply and one add per lane);
 * - tile fed from L1: the 3 x 4 register tile of a product kernel, per step
 *   two f64x2 loads of B and three load-and-splats of A (4 KB, in L1) serve
 *   six multiply-adds into six accumulators.
 *
 * A product kernel cannot beat the second (it has the same loads per
 * multiply-add and more around them); docs/performance.md compares both with
 * numpy's product.
 */
import wabtInit from 'wabt';

interface BenchRecord {
  name: string;
  ms: number;
  note?: string;
}

const ACCUMULATORS = 6;

function loopWat(withLoads: boolean): string {
  const locals = [...Array.from({ length: ACCUMULATORS }, (_, i) => `(local $a${i} v128)`), '(local $x0 v128) (local $x1 v128) (local $y v128) (local $p i32)'];
  const body: string[] = [];
  if (withLoads) {
    body.push('(local.set $x0 (v128.load offset=0 (local.get $p)))', '(local.set $x1 (v128.load offset=16 (local.get $p)))');
    for (let r = 0; r < 3; r++) {
      body.push(`(local.set $y (v128.load64_splat offset=${4096 + 8 * r} (local.get $p)))`);
      for (let v = 0; v < 2; v++) body.push(`(local.set $a${2 * r + v} (f64x2.add (local.get $a${2 * r + v}) (f64x2.mul (local.get $y) (local.get $x${v}))))`);
    }
    body.push('(local.set $p (i32.and (i32.add (local.get $p) (i32.const 32)) (i32.const 4095)))');
  } else {
    body.push('(local.set $x0 (f64x2.splat (f64.const 0.5))) (local.set $y (f64x2.splat (f64.const 0.999999)))');
    for (let i = 0; i < ACCUMULATORS; i++) body.push(`(local.set $a${i} (f64x2.add (local.get $a${i}) (f64x2.mul (local.get $x0) (local.get $y))))`);
  }
  const sum = Array.from({ length: ACCUMULATORS }, (_, i) => `(local.get $a${i})`).reduce((s, v) => `(f64x2.add ${s} ${v})`);
  return `(module (memory 1) (func (export "run") (param $n i32) (result f64) ${locals.join(' ')}
    (loop $l ${body.join('\n')} (local.set $n (i32.sub (local.get $n) (i32.const 1))) (br_if $l (local.get $n)))
    (f64x2.extract_lane 0 ${sum})))`;
}

/** Multiply-adds per second (G/s, CPU time, best of 3) of one loop. */
async function rate(withLoads: boolean): Promise<number> {
  const wabt = await wabtInit();
  const parsed = wabt.parseWat('ceiling.wat', loopWat(withLoads), { simd: true });
  let binary: Uint8Array;
  try {
    parsed.resolveNames();
    parsed.validate();
    binary = parsed.toBinary({ log: false, write_debug_names: false }).buffer;
  } finally {
    parsed.destroy();
  }
  const api = (globalThis as unknown as { WebAssembly: { Module: new (b: Uint8Array) => object; Instance: new (m: object, i: object) => { exports: Record<string, unknown> } } }).WebAssembly;
  const run = new api.Instance(new api.Module(binary), {}).exports.run as (n: number) => number;
  for (let w = 0; w < 50; w++) run(10_000); // tier-up
  const steps = 1e8; // 2 lanes x 6 accumulators per step: 1.2e9 multiply-adds
  let best = Infinity;
  for (let repeat = 0; repeat < 3; repeat++) {
    const c0 = process.cpuUsage();
    run(steps);
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / 1e3);
  }
  return (2 * ACCUMULATORS * steps) / best / 1e6;
}

export async function simdCeiling(): Promise<BenchRecord[]> {
  const registers = await rate(false);
  const loads = await rate(true);
  const macs = 1024 * 2000 * 1024;
  const at = (g: number) => macs / g / 1e6;
  return [
    { name: 'SIMD128 ceiling: f64x2 multiply-adds, operands in registers', ms: at(registers), note: `${registers.toFixed(2)} G multiply-adds/s; ms = 1024 x 2000 x 1024 at this rate` },
    { name: 'SIMD128 ceiling: 3 x 4 register tile fed from L1 (5 loads / 6 multiply-adds)', ms: at(loads), note: `${loads.toFixed(2)} G multiply-adds/s; ms = 1024 x 2000 x 1024 at this rate` },
  ];
}

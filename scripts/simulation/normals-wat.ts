/**
 * WebAssembly text (WAT) of the simulator's normal generator
 * (src/simulation/normals-wasm.ts, loaded by src/simulation/random.ts):
 * xoshiro128** 1.1 outputs, 53-bit uniforms and Marsaglia's polar method in
 * one loop, with the natural logarithm written out.
 *
 * Why: of the 4e6 polar normals of a realisation at n = 1024, about 40 % of
 * the time was the 2e6 calls of Math.log (V8's C function, called out of the
 * optimised loop). V8's Math.log is the fdlibm / FreeBSD msun e_log.c
 * algorithm (v8 src/base/ieee754.cc, `log`): `$log` below is that algorithm
 * with the same IEEE double operations in the same order (the high word read
 * and written through i64 reinterprets), so it returns Math.log's bits, and
 * the stream stays bit-identical to the JS loop of Xoshiro128.fillNormal
 * (test/simulation/normals-wasm.test.ts compares both on >= 1e7 inputs and
 * whole streams).
 *
 * `log(x)`: fdlibm's __ieee754_log(x), every branch kept (zero, negative,
 *   subnormal, infinite and NaN inputs included), exported for the tests.
 * `normals(state, out, pairs, scale)` (byte offsets into the module's
 *   memory): the generator state s0..s3 as four i32 at `state`, updated in
 *   place; `pairs` accepted polar pairs written to `out` as
 *   scale * (u m), scale * (v m), in the order of the JS loop; the last pair's
 *   unscaled v m is also stored as an f64 at state + 16 (the generator's
 *   spare when the caller needs an odd count).
 */

/** fdlibm e_log.c constants, as printed there (the same doubles). */
const LOG_CONSTANTS: Record<string, string> = {
  ln2_hi: '6.93147180369123816490e-01', // 3fe62e42 fee00000
  ln2_lo: '1.90821492927058770002e-10', // 3dea39ef 35793c76
  two54: '1.80143985094819840000e+16', // 43500000 00000000
  Lg1: '6.666666666666735130e-01', // 3FE55555 55555593
  Lg2: '3.999999999940941908e-01', // 3FD99999 9997FA04
  Lg3: '2.857142874366239149e-01', // 3FD24924 94229359
  Lg4: '2.222219843214978396e-01', // 3FCC71C5 1D8E78AF
  Lg5: '1.818357216161805012e-01', // 3FC74664 96CB03DE
  Lg6: '1.531383769920937332e-01', // 3FC39A09 D078C69F
  Lg7: '1.479819860511658591e-01', // 3FC2F112 DF3E5244
};

const K = (name: string) => `(f64.const ${LOG_CONSTANTS[name]})`;
const L = (name: string) => `(local.get $${name})`;
const f = (op: string, a: string, b: string) => `(f64.${op} ${a} ${b})`;
const i = (op: string, a: string, b: string) => `(i32.${op} ${a} ${b})`;
const c = (x: number) => `(i32.const ${x})`;

/** The 32-bit xoshiro128** 1.1 step on locals s0..s3; leaves the output in $r. */
const XOSHIRO_STEP = [
  `(local.set $r (i32.mul (i32.rotl (i32.mul ${L('s1')} ${c(5)}) ${c(7)}) ${c(9)}))`,
  `(local.set $t (i32.shl ${L('s1')} ${c(9)}))`,
  `(local.set $s2 (i32.xor ${L('s2')} ${L('s0')}))`,
  `(local.set $s3 (i32.xor ${L('s3')} ${L('s1')}))`,
  `(local.set $s1 (i32.xor ${L('s1')} ${L('s2')}))`,
  `(local.set $s0 (i32.xor ${L('s0')} ${L('s3')}))`,
  `(local.set $s2 (i32.xor ${L('s2')} ${L('t')}))`,
  `(local.set $s3 (i32.rotl ${L('s3')} ${c(11)}))`,
].join('\n        ');

/**
 * 2 * (hi * 2^26 + lo) / 2^53 - 1 from two outputs (hi = first >>> 5, lo =
 * second >>> 6), the JS loop's operations on exact integers.
 */
function uniformInto(target: string): string {
  return [
    XOSHIRO_STEP,
    `(local.set $hi (i32.shr_u ${L('r')} ${c(5)}))`,
    XOSHIRO_STEP,
    `(local.set $${target} ${f(
      'sub',
      f('div', f('mul', '(f64.const 2)', f('add', f('mul', '(f64.convert_i32_u (local.get $hi))', '(f64.const 67108864)'), `(f64.convert_i32_u (i32.shr_u ${L('r')} ${c(6)}))`)), '(f64.const 9007199254740992)'),
      '(f64.const 1)',
    )})`,
  ].join('\n        ');
}

/** dk * ln2_hi - (inner), fdlibm's k != 0 return. */
const scaled = (inner: string) => f('sub', f('mul', L('dk'), K('ln2_hi')), inner);

const LOG_LOCALS =
  '(local $bits i64) (local $hx i32) (local $lx i32) (local $k i32) (local $i i32) (local $j i32) ' +
  '(local $f f64) (local $s f64) (local $z f64) (local $w f64) (local $R f64) (local $hfsq f64) (local $dk f64) (local $t1 f64) (local $t2 f64)';

/**
 * fdlibm's __ieee754_log of the local $x (overwritten) as one expression
 * block, so that the loop has it inline (V8 does not inline WebAssembly
 * calls). Each `return` of e_log.c is a branch out of the block with the same
 * expression. The common path's four returns (k = 0 or not, f in the inner
 * interval or not: branches the data decide at random) are all computed and
 * chosen by `select`, which does not change any of them.
 */
function logBlock(): string {
  const out = (value: string) => `(br $log ${value})`;
  const kIsZero = '(i32.eqz (local.get $k))';
  return `(block $log (result f64)
    (local.set $bits (i64.reinterpret_f64 ${L('x')}))
    (local.set $hx (i32.wrap_i64 (i64.shr_u ${L('bits')} (i64.const 32))))
    (local.set $lx (i32.wrap_i64 ${L('bits')}))
    (local.set $k ${c(0)})
    (if ${i('lt_s', L('hx'), c(0x00100000))} (then
      ;; x < 2^-1022: log(+-0) = -inf, log(negative) = NaN, a subnormal scaled up by 2^54
      (if (i32.eqz ${i('or', i('and', L('hx'), c(0x7fffffff)), L('lx'))}) (then ${out('(f64.const -inf)')}))
      (if ${i('lt_s', L('hx'), c(0))} (then ${out('(f64.const nan)')}))
      (local.set $k ${c(-54)})
      (local.set $x ${f('mul', L('x'), K('two54'))})
      (local.set $bits (i64.reinterpret_f64 ${L('x')}))
      (local.set $hx (i32.wrap_i64 (i64.shr_u ${L('bits')} (i64.const 32))))))
    (if ${i('ge_s', L('hx'), c(0x7ff00000))} (then ${out(f('add', L('x'), L('x')))}))
    (local.set $k ${i('add', L('k'), i('sub', i('shr_s', L('hx'), c(20)), c(1023)))})
    (local.set $hx ${i('and', L('hx'), c(0x000fffff))})
    (local.set $i ${i('and', i('add', L('hx'), c(0x95f64)), c(0x100000))})
    ;; normalise x or x/2: high word hx | (i ^ 0x3ff00000), low word kept
    (local.set $x (f64.reinterpret_i64 (i64.or
      (i64.shl (i64.extend_i32_u ${i('or', L('hx'), i('xor', L('i'), c(0x3ff00000)))}) (i64.const 32))
      (i64.and ${L('bits')} (i64.const 0xffffffff)))))
    (local.set $k ${i('add', L('k'), i('shr_s', L('i'), c(20)))})
    (local.set $f ${f('sub', L('x'), '(f64.const 1)')})
    (local.set $dk (f64.convert_i32_s ${L('k')}))
    (if ${i('lt_s', i('and', c(0x000fffff), i('add', c(2), L('hx'))), c(3))} (then
      ;; -2^-20 <= f < 2^-20
      (if ${f('eq', L('f'), '(f64.const 0)')} (then
        (if ${kIsZero} (then ${out('(f64.const 0)')}))
        ${out(f('add', f('mul', L('dk'), K('ln2_hi')), f('mul', L('dk'), K('ln2_lo'))))}))
      (local.set $R ${f('mul', f('mul', L('f'), L('f')), f('sub', '(f64.const 0.5)', f('mul', '(f64.const 0.33333333333333333)', L('f'))))})
      (if ${kIsZero} (then ${out(f('sub', L('f'), L('R')))}))
      ${out(scaled(f('sub', f('sub', L('R'), f('mul', L('dk'), K('ln2_lo'))), L('f'))))}))
    (local.set $s ${f('div', L('f'), f('add', '(f64.const 2)', L('f')))})
    (local.set $z ${f('mul', L('s'), L('s'))})
    (local.set $i ${i('sub', L('hx'), c(0x6147a))})
    (local.set $w ${f('mul', L('z'), L('z'))})
    (local.set $j ${i('sub', c(0x6b851), L('hx'))})
    (local.set $t1 ${f('mul', L('w'), f('add', K('Lg2'), f('mul', L('w'), f('add', K('Lg4'), f('mul', L('w'), K('Lg6'))))))})
    (local.set $t2 ${f('mul', L('z'), f('add', K('Lg1'), f('mul', L('w'), f('add', K('Lg3'), f('mul', L('w'), f('add', K('Lg5'), f('mul', L('w'), K('Lg7'))))))))})
    (local.set $i ${i('or', L('i'), L('j'))})
    (local.set $R ${f('add', L('t2'), L('t1'))})
    (local.set $hfsq ${f('mul', f('mul', '(f64.const 0.5)', L('f')), L('f'))})
    (select
      (select
        ${f('sub', L('f'), f('sub', L('hfsq'), f('mul', L('s'), f('add', L('hfsq'), L('R')))))}
        ${scaled(f('sub', f('sub', L('hfsq'), f('add', f('mul', L('s'), f('add', L('hfsq'), L('R'))), f('mul', L('dk'), K('ln2_lo')))), L('f')))}
        ${kIsZero})
      (select
        ${f('sub', L('f'), f('mul', L('s'), f('sub', L('f'), L('R'))))}
        ${scaled(f('sub', f('sub', f('mul', L('s'), f('sub', L('f'), L('R'))), f('mul', L('dk'), K('ln2_lo'))), L('f')))}
        ${kIsZero})
      ${i('gt_s', L('i'), c(0))}))`;
}

export function normalsWat(): string {
  return `;; Generated by scripts/simulation/normals-wat.ts (npx tsx scripts/simulation/build-wasm.ts); do not edit.
(module
  (memory (export "memory") 2 2)
  (func (export "log") (param $x f64) (result f64)
    ${LOG_LOCALS}
    ${logBlock()})
  (func (export "normals") (param $state i32) (param $out i32) (param $scratch i32) (param $pairs i32) (param $scale f64)
    (local $s0 i32) (local $s1 i32) (local $s2 i32) (local $s3 i32) (local $r i32) (local $t i32) (local $hi i32)
    (local $at i32) (local $qAt i32) (local $end i32) (local $accept i32)
    (local $u f64) (local $v f64) (local $q f64) (local $m f64) (local $x f64)
    ${LOG_LOCALS}
    (local.set $s0 (i32.load offset=0 ${L('state')}))
    (local.set $s1 (i32.load offset=4 ${L('state')}))
    (local.set $s2 (i32.load offset=8 ${L('state')}))
    (local.set $s3 (i32.load offset=12 ${L('state')}))
    (local.set $end ${i('add', L('out'), i('shl', L('pairs'), c(4)))})
    ;; Pass 1, the generator's serial dependency chain: accepted (u, v) to out, q to scratch.
    (local.set $at ${L('out')})
    (local.set $qAt ${L('scratch')})
    ;; Every candidate is stored; the write position moves on only when it is accepted
    ;; (0 < q < 1), so the data-decided rejection is no branch.
    (if ${i('lt_u', L('at'), L('end'))} (then (loop $candidate
      ${uniformInto('u')}
      ${uniformInto('v')}
      (local.set $q ${f('add', f('mul', L('u'), L('u')), f('mul', L('v'), L('v')))})
      (f64.store offset=0 ${L('at')} ${L('u')})
      (f64.store offset=8 ${L('at')} ${L('v')})
      (f64.store ${L('qAt')} ${L('q')})
      (local.set $accept ${i('and', f('lt', L('q'), '(f64.const 1)'), f('ne', L('q'), '(f64.const 0)'))})
      (local.set $at ${i('add', L('at'), i('shl', L('accept'), c(4)))})
      (local.set $qAt ${i('add', L('qAt'), i('shl', L('accept'), c(3)))})
      (br_if $candidate ${i('lt_u', L('at'), L('end'))}))))
    (i32.store offset=0 ${L('state')} ${L('s0')})
    (i32.store offset=4 ${L('state')} ${L('s1')})
    (i32.store offset=8 ${L('state')} ${L('s2')})
    (i32.store offset=12 ${L('state')} ${L('s3')})
    ;; Pass 2, independent pairs (their logarithms overlap): m = sqrt(-2 log q / q), in place.
    (local.set $at ${L('out')})
    (local.set $qAt ${L('scratch')})
    (block $scaled (loop $each
      (br_if $scaled ${i('ge_u', L('at'), L('end'))})
      (local.set $q (f64.load ${L('qAt')}))
      (local.set $x ${L('q')})
      (local.set $m (f64.sqrt ${f('div', f('mul', '(f64.const -2)', `${logBlock()}`), L('q'))}))
      (local.set $v ${f('mul', '(f64.load offset=8 (local.get $at))', L('m'))})
      (f64.store offset=0 ${L('at')} ${f('mul', L('scale'), f('mul', '(f64.load offset=0 (local.get $at))', L('m')))})
      (f64.store offset=8 ${L('at')} ${f('mul', L('scale'), L('v'))})
      (local.set $at ${i('add', L('at'), c(16))})
      (local.set $qAt ${i('add', L('qAt'), c(8))})
      (br $each)))
    (f64.store offset=16 ${L('state')} ${L('v')})))
`;
}

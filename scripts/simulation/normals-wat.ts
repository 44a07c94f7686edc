/**
 * WebAssembly text (WAT) of the simulator's normal generator
 * (src/simulation/normals-wasm.ts, loaded by src/simulation/random.ts):
 * xoshiro128** 1.1 outputs, 53-bit uniforms and Marsaglia's polar method,
 * with the natural logarithm written out.
 *
 * Why: of the 4e6 polar normals of a realisation at n = 1024, about 40 % of
 * the time was the 2e6 calls of Math.log (V8's C function, called out of the
 * optimised loop). V8's Math.log is the fdlibm / FreeBSD msun e_log.c
 * algorithm (v8 src/base/ieee754.cc, `log`): logBlock below is that
 * algorithm with the same IEEE double operations in the same order (the high
 * word read and written through i64 reinterprets), and vectorLogBlock does
 * the same operations in each f64x2 lane, so both return Math.log's bits and
 * the stream stays bit-identical to the JS loop of Xoshiro128.fillNormal
 * (test/simulation/normals-wasm.test.ts compares both logs with Math.log on
 * more than 1e7 arguments, and whole streams).
 *
 * The loop runs in passes over a chunk of pairs, each short enough for the
 * processor to overlap many pairs: (1) the generator's serial chain, every
 * candidate (u, v, q) stored and the write position moved on only when it is
 * accepted (no data-decided branch); (2a) log q, two at a time; (2b)
 * m = sqrt(-2 log q / q) and the scaled pair. Measured on 4e6 draws: about
 * 2x the JS loop (docs/performance.md).
 *
 * `log(x)`: fdlibm's __ieee754_log(x), every branch kept (zero, negative,
 *   subnormal, infinite and NaN inputs included), exported for the tests.
 * `logPairs(at, end)`: the f64x2 path over the doubles at at..end (an even
 *   count), in place, exported for the tests.
 * `normals(state, out, scratch, pairs, scale)` (byte offsets into the
 *   module's memory): the generator state s0..s3 as four i32 at `state`,
 *   updated in place; `pairs` accepted polar pairs written to `out` as
 *   scale * (u m), scale * (v m), in the order of the JS loop, with 16 bytes
 *   a pair of scratch (q, log q); the last pair's unscaled v m is also stored
 *   as an f64 at state + 16 (the generator's spare when the caller needs an
 *   odd count).
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

/** The constants of the module being generated (LOG_CONSTANTS, or altered ones for the tests). */
let constants: Record<string, string> = LOG_CONSTANTS;
const K = (name: string) => `(f64.const ${constants[name]})`;
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
 * The uniform in [-1, 1) of two outputs (hi = first >>> 5, lo = second >>> 6):
 * the JS loop's 2 * (hi * 2^26 + lo) / 2^53 - 1, every step exact on these
 * integers, is (hi 2^26 + lo) 2^-52 - 1, formed as one 53-bit integer (fewer
 * instructions, the same double).
 */
function uniformInto(target: string): string {
  return [
    XOSHIRO_STEP,
    `(local.set $hi (i32.shr_u ${L('r')} ${c(5)}))`,
    XOSHIRO_STEP,
    `(local.set $${target} ${f(
      'sub',
      f('mul', `(f64.convert_i64_s (i64.or (i64.shl (i64.extend_i32_u (local.get $hi)) (i64.const 26)) (i64.extend_i32_u (i32.shr_u ${L('r')} ${c(6)}))))`, '(f64.const 0x1p-52)'),
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
    ${commonLogPath(SCALAR_LANE)})`;
}

const VECTOR_LOG_LOCALS =
  '(local $vhx v128) (local $vhxm v128) (local $vk v128) (local $vi v128) (local $vx v128) (local $vf v128) (local $vdk v128) (local $vs v128) ' +
  '(local $vz v128) (local $vw v128) (local $vt1 v128) (local $vt2 v128) (local $vj v128) (local $vR v128) (local $vhfsq v128) (local $vkZero v128) (local $vlane f64)';

/**
 * The f64x2 path's constants, 16 bytes each in a data segment at
 * CONSTANTS_AT (the end of the module's page, away from the chunk the caller
 * uses), read by v128.load: V8 (11.3, x64) builds a v128.const with three
 * instructions at every use inside the loop (a constant in a local too), a
 * load is one.
 */
export const CONSTANTS_AT = 65536 - 1024;
const vectorConstants = new Map<string, number>();
function vectorConstant(kind: 'f64x2' | 'i32x4', value: string): string {
  const key = `${kind} ${value}`;
  let at = vectorConstants.get(key);
  if (at === undefined) vectorConstants.set(key, (at = CONSTANTS_AT + 16 * vectorConstants.size));
  return `(v128.load (i32.const ${at}))`;
}
/** The data segment holding the constants used so far. */
function vectorConstantData(): string {
  const bytes = new Uint8Array(16 * vectorConstants.size);
  const view = new DataView(bytes.buffer);
  for (const [key, at] of vectorConstants) {
    const [kind, value] = key.split(' ');
    const offset = at - CONSTANTS_AT;
    for (let lane = 0; lane < 4; lane++) {
      if (kind === 'f64x2' && lane < 2) view.setFloat64(offset + 8 * lane, Number(value), true);
      if (kind === 'i32x4') view.setInt32(offset + 4 * lane, lane % 2 === 0 && value === 'high' ? 0 : value === 'high' ? -1 : Number(value), true);
    }
  }
  if (bytes.length > 1024) throw new Error('the f64x2 constants outgrow their space');
  return `(data (i32.const ${CONSTANTS_AT}) "${Array.from(bytes, (b) => `\\${b.toString(16).padStart(2, '0')}`).join('')}")`;
}
const VK = (name: string) => vectorConstant('f64x2', constants[name]);
const vf = (x: string) => vectorConstant('f64x2', x);
const vi = (x: number) => vectorConstant('i32x4', String(x));
const F2 = (op: string, a: string, b: string) => `(f64x2.${op} ${a} ${b})`;
const I4 = (op: string, a: string, b: string) => `(i32x4.${op} ${a} ${b})`;
const V = (op: string, a: string, b: string) => `(v128.${op} ${a} ${b})`;
/** i32x4 lanes 1 and 3 (the high words of the two doubles) spread over each double's 64 bits. */
const highLanes = (x: string) => `(i8x16.shuffle 4 5 6 7 4 5 6 7 12 13 14 15 12 13 14 15 ${x} ${x})`;
/** i32x4 lanes 1 and 3 moved to lanes 0 and 1 (for f64x2.convert_low_i32x4_s). */
const highLanesLow = (x: string) => `(i8x16.shuffle 4 5 6 7 12 13 14 15 4 5 6 7 12 13 14 15 ${x} ${x})`;
/** The i32x4 mask 0, -1, 0, -1: the high words of the two doubles. */
const HIGH_WORDS = () => vectorConstant('i32x4', 'high');

/**
 * fdlibm's log of both lanes of the local $X (f64x2), each lane the scalar
 * logBlock's operations on its own value, as one v128 expression block. The
 * integer work runs on the i32x4 view, where the high words are lanes 1 and 3
 * (the other two lanes compute garbage that is never used; x64 has no 64-bit
 * arithmetic shift in SSE, so i64x2 lanes would be slow); k is converted
 * exactly (f64x2.convert_low_i32x4_s) and the four returns of the common path
 * are chosen by bitselect. When either lane is off the common path
 * (x < 2^-1022, infinite or NaN, or |f| < 2^-20), both lanes go through
 * logBlock instead.
 */
function vectorLogBlock(): string {
  const rare = V('or', V('or', I4('lt_s', L('X'), vi(0x00100000)), I4('ge_s', L('X'), vi(0x7ff00000))), I4('lt_s', V('and', I4('add', vi(2), L('vhxm')), vi(0xfffff)), vi(3)));
  return `(block $vlog (result v128)
    (local.set $vhxm ${V('and', L('X'), vi(0xfffff))})
    (if (v128.any_true ${V('and', rare, HIGH_WORDS())}) (then
      (local.set $x (f64x2.extract_lane 0 ${L('X')}))
      (local.set $vlane ${logBlock()})
      (local.set $x (f64x2.extract_lane 1 ${L('X')}))
      (br $vlog (f64x2.replace_lane 1 (f64x2.splat ${L('vlane')}) ${logBlock()}))))
    (local.set $vk ${I4('sub', I4('shr_s', L('X'), '(i32.const 20)'), vi(1023))})
    (local.set $vi ${V('and', I4('add', L('vhxm'), vi(0x95f64)), vi(0x100000))})
    ;; normalise: high words hx | (i ^ 0x3ff00000), low words kept
    (local.set $vx (v128.bitselect ${V('or', L('vhxm'), V('xor', L('vi'), vi(0x3ff00000)))} ${L('X')} ${HIGH_WORDS()}))
    (local.set $vk ${I4('add', L('vk'), I4('shr_s', L('vi'), '(i32.const 20)'))})
    (local.set $vf ${F2('sub', L('vx'), vf('1'))})
    (local.set $vdk (f64x2.convert_low_i32x4_s ${highLanesLow(L('vk'))}))
    (local.set $vkZero ${highLanes(I4('eq', L('vk'), vi(0)))})
    ${commonLogPath(VECTOR_LANE)})`;
}

/** The scalar and the f64x2 spelling of the operations of commonLogPath. */
interface LogLane {
  /** Prefix of the lane's locals ($s or $vs, ...). */
  readonly prefix: string;
  /** The local holding the high word's low 20 bits (fdlibm's hx after hx &= 0xfffff). */
  readonly hx: string;
  readonly float: (op: string, a: string, b: string) => string;
  readonly int: (op: string, a: string, b: string) => string;
  readonly floatConstant: (x: string) => string;
  readonly intConstant: (x: number) => string;
  readonly logConstant: (name: string) => string;
  /** a where cond holds, else b. */
  readonly select: (a: string, b: string, cond: string) => string;
  /** k == 0. */
  readonly kIsZero: string;
  /** The int x > 0. */
  readonly positive: (x: string) => string;
}

const SCALAR_LANE: LogLane = {
  prefix: '',
  hx: 'hx',
  float: f,
  int: i,
  floatConstant: (x) => `(f64.const ${x})`,
  intConstant: c,
  logConstant: K,
  select: (a, b, cond) => `(select ${a} ${b} ${cond})`,
  kIsZero: '(i32.eqz (local.get $k))',
  positive: (x) => i('gt_s', x, c(0)),
};

const VECTOR_LANE: LogLane = {
  prefix: 'v',
  hx: 'vhxm',
  float: F2,
  int: (op, a, b) => (op === 'or' ? V('or', a, b) : I4(op, a, b)), // bitwise ops are v128's
  floatConstant: vf,
  intConstant: vi,
  logConstant: VK,
  select: (a, b, cond) => `(v128.bitselect ${a} ${b} ${cond})`,
  kIsZero: '(local.get $vkZero)',
  positive: (x) => highLanes(I4('gt_s', x, vi(0))),
};

/**
 * e_log.c from s = f / (2 + f) to the value, in either lane type (one text, so
 * that both paths do the same operations in the same order): the polynomial
 * R(z) and the four returns of the common path (k = 0 or not; f in the inner
 * interval or not), all computed and chosen without a branch.
 */
function commonLogPath(lane: LogLane): string {
  const { float: F, int: N, floatConstant: num, intConstant: int, logConstant: C } = lane;
  const get = (name: string) => `(local.get $${lane.prefix}${name})`;
  const set = (name: string, value: string) => `(local.set $${lane.prefix}${name} ${value})`;
  const hx = `(local.get $${lane.hx})`;
  const scaledBy = (inner: string) => F('sub', F('mul', get('dk'), C('ln2_hi')), inner);
  const sHfsqR = F('mul', get('s'), F('add', get('hfsq'), get('R')));
  const sFR = F('mul', get('s'), F('sub', get('f'), get('R')));
  return [
    set('s', F('div', get('f'), F('add', num('2'), get('f')))),
    set('z', F('mul', get('s'), get('s'))),
    set('i', N('sub', hx, int(0x6147a))),
    set('w', F('mul', get('z'), get('z'))),
    set('j', N('sub', int(0x6b851), hx)),
    set('t1', F('mul', get('w'), F('add', C('Lg2'), F('mul', get('w'), F('add', C('Lg4'), F('mul', get('w'), C('Lg6'))))))),
    set('t2', F('mul', get('z'), F('add', C('Lg1'), F('mul', get('w'), F('add', C('Lg3'), F('mul', get('w'), F('add', C('Lg5'), F('mul', get('w'), C('Lg7'))))))))),
    set('i', N('or', get('i'), get('j'))),
    set('R', F('add', get('t2'), get('t1'))),
    set('hfsq', F('mul', F('mul', num('0.5'), get('f')), get('f'))),
    lane.select(
      lane.select(F('sub', get('f'), F('sub', get('hfsq'), sHfsqR)), scaledBy(F('sub', F('sub', get('hfsq'), F('add', sHfsqR, F('mul', get('dk'), C('ln2_lo')))), get('f'))), lane.kIsZero),
      lane.select(F('sub', get('f'), sFR), scaledBy(F('sub', F('sub', sFR, F('mul', get('dk'), C('ln2_lo'))), get('f'))), lane.kIsZero),
      lane.positive(get('i')),
    ),
  ].join('\n    ');
}

/**
 * The module's text. `alteredConstants` replaces fdlibm constants in both
 * paths (the tests check that an altered coefficient is caught).
 */
export function normalsWat(alteredConstants: Record<string, string> = {}): string {
  constants = { ...LOG_CONSTANTS, ...alteredConstants };
  vectorConstants.clear();
  const vectorLog = vectorLogBlock();
  const minusTwo = vf('-2');
  return `;; Generated by scripts/simulation/normals-wat.ts (npx tsx scripts/simulation/build-wasm.ts); do not edit.
(module
  (memory (export "memory") 1 1)
  ${vectorConstantData()}
  (func (export "log") (param $x f64) (result f64)
    ${LOG_LOCALS}
    ${logBlock()})
  (func (export "logPairs") (param $at i32) (param $end i32)
    (local $X v128) (local $x f64)
    ${LOG_LOCALS}
    ${VECTOR_LOG_LOCALS}
    (block $done (loop $each
      (br_if $done ${i('ge_u', L('at'), L('end'))})
      (local.set $X (v128.load ${L('at')}))
      (v128.store ${L('at')} ${vectorLog})
      (local.set $at ${i('add', L('at'), c(16))})
      (br $each))))
  (func (export "normals") (param $state i32) (param $out i32) (param $scratch i32) (param $pairs i32) (param $scale f64)
    (local $s0 i32) (local $s1 i32) (local $s2 i32) (local $s3 i32) (local $r i32) (local $t i32) (local $hi i32)
    (local $at i32) (local $qAt i32) (local $end i32) (local $accept i32) (local $logs i32) (local $lAt i32)
    (local $u f64) (local $v f64) (local $q f64) (local $m f64) (local $x f64)
    (local $X v128) (local $M v128) (local $P0 v128) (local $P1 v128) (local $vscale v128)
    ${LOG_LOCALS}
    ${VECTOR_LOG_LOCALS}
    (local.set $vscale (f64x2.splat ${L('scale')}))
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
      (local.set $accept ${i('and', f('lt', L('q'), '(f64.const 1)'), f('gt', L('q'), '(f64.const 0)'))}) ;; q >= 0 always: q > 0 is q != 0, without the NaN test
      (local.set $at ${i('add', L('at'), i('shl', L('accept'), c(4)))})
      (local.set $qAt ${i('add', L('qAt'), i('shl', L('accept'), c(3)))})
      (br_if $candidate ${i('lt_u', L('at'), L('end'))}))))
    (i32.store offset=0 ${L('state')} ${L('s0')})
    (i32.store offset=4 ${L('state')} ${L('s1')})
    (i32.store offset=8 ${L('state')} ${L('s2')})
    (i32.store offset=12 ${L('state')} ${L('s3')})
    ;; Pass 2, independent pairs two at a time in f64x2 lanes, an odd last pair in scalar f64 (the
    ;; same operations). Two short loops rather than one long one: each pair's chain of dependent
    ;; operations (two divisions, a square root, the polynomial) is long, and the processor overlaps
    ;; more pairs when it holds fewer instructions per pair. 2a: log q to scratch after the q values.
    (local.set $qAt ${L('scratch')})
    (local.set $logs ${i('add', L('scratch'), i('shl', i('and', i('add', L('pairs'), c(1)), c(-2)), c(3)))})
    (local.set $lAt ${L('logs')})
    (block $logsDone (loop $logLoop
      (br_if $logsDone ${i('gt_u', i('add', L('qAt'), c(16)), L('logs'))})
      (local.set $X (v128.load ${L('qAt')}))
      (v128.store ${L('lAt')} ${vectorLog})
      (local.set $qAt ${i('add', L('qAt'), c(16))})
      (local.set $lAt ${i('add', L('lAt'), c(16))})
      (br $logLoop)))
    ;; 2b: m = sqrt(-2 log q / q), the pairs scaled in place.
    (local.set $at ${L('out')})
    (local.set $qAt ${L('scratch')})
    (local.set $lAt ${L('logs')})
    (block $twoDone (loop $two
      (br_if $twoDone ${i('gt_u', i('add', L('at'), c(32)), L('end'))})
      (local.set $M (f64x2.sqrt ${F2('div', F2('mul', minusTwo, `(v128.load ${L('lAt')})`), `(v128.load ${L('qAt')})`)}))
      (local.set $P0 ${F2('mul', `(v128.load offset=0 ${L('at')})`, `(i8x16.shuffle 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 ${L('M')} ${L('M')})`)})
      (local.set $P1 ${F2('mul', `(v128.load offset=16 ${L('at')})`, `(i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 ${L('M')} ${L('M')})`)})
      (v128.store offset=0 ${L('at')} ${F2('mul', L('vscale'), L('P0'))})
      (v128.store offset=16 ${L('at')} ${F2('mul', L('vscale'), L('P1'))})
      (local.set $v (f64x2.extract_lane 1 ${L('P1')}))
      (local.set $at ${i('add', L('at'), c(32))})
      (local.set $qAt ${i('add', L('qAt'), c(16))})
      (local.set $lAt ${i('add', L('lAt'), c(16))})
      (br $two)))
    (if ${i('lt_u', L('at'), L('end'))} (then
      (local.set $q (f64.load ${L('qAt')}))
      (local.set $x ${L('q')})
      (local.set $m (f64.sqrt ${f('div', f('mul', '(f64.const -2)', `${logBlock()}`), L('q'))}))
      (local.set $v ${f('mul', '(f64.load offset=8 (local.get $at))', L('m'))})
      (f64.store offset=0 ${L('at')} ${f('mul', L('scale'), f('mul', '(f64.load offset=0 (local.get $at))', L('m')))})
      (f64.store offset=8 ${L('at')} ${f('mul', L('scale'), L('v'))})))
    (f64.store offset=16 ${L('state')} ${L('v')})))
`;
}

/**
 * WebAssembly text (WAT) of the numeric layer's SIMD kernels (src/numeric/wasm.ts), f64x2 throughout, each lane
 * doing the scalar arithmetic of the JS loop it replaces in the same order (WebAssembly has no fused multiply-add
 * here, so lane and JS round alike and the two paths give the same bits; test/numeric/wasm.test.ts):
 *
 * `gseries(lam, wl, end, kr, ki, out)`: g, g', g'', g''' and the size bound of kappa.ts gSeries over the modes at
 *   byte offsets lam.. and wl.. (lambda and w lambda, padded to an even count), the even modes in lane 0 and the
 *   odd ones in lane 1; out gets the ten two-lane accumulators [g re, g im, g' re, g' im, sum w l p3 re, im,
 *   sum w l p4 re, im, size, min |kappa + lambda|^2] for the JS side to add (kappa.ts gSeriesFinish).
 * `onepoint(lam, l2, l1, c0, c1, end, kra, kia, krb, kib, invReA, invImA, invReB, invImB, out)`: curve.ts
 *   groupOnePoint's mode loop for two nodes at once (lane 0 node a, lane 1 node b): 1/(kappa + lambda_k) stored
 *   per node, and the sixteen sums G_W, G2_W (re, im) and min |kappa + lambda|^2 as 17 two-lane values at out.
 * `combine(pv, pl1, nest, vr, vi, va, n, pairBytes, diagnostics, out)`: curve.ts groupCombine's double sum for two
 *   times at once (lane = time: the weights vr, vi, |V| interleaved per node), over the packed pair values pv
 *   (16 per pair, stride pairBytes) and their 1-norms pl1 (4 per pair, stride pairBytes / 4), the nest levels as
 *   bytes (all 0 without sub-rules); out gets 20 two-lane sums [t0..3, u0..3, v0..3, m0..3, z0..3].
 *
 * scripts/numeric/build-wasm.ts assembles it into src/numeric/kernels-wasm.ts.
 */

const get = (name: string) => `(local.get $${name})`;
const set = (name: string, value: string) => `(local.set $${name} ${value})`;
const i32add = (a: string, b: string) => `(i32.add ${a} ${b})`;
const c32 = (x: number) => `(i32.const ${x})`;
const vadd = (a: string, b: string) => `(f64x2.add ${a} ${b})`;
const vsub = (a: string, b: string) => `(f64x2.sub ${a} ${b})`;
const vmul = (a: string, b: string) => `(f64x2.mul ${a} ${b})`;
const splat = (x: string) => `(f64x2.splat ${x})`;
const locals = (type: string, names: string[]) => names.map((n) => `(local $${n} ${type})`).join(' ');
/** acc = acc + x (or acc - x). */
const accumulate = (acc: string, x: string, op: 'add' | 'sub' = 'add') => set(acc, `(f64x2.${op} ${get(acc)} ${x})`);
/** minD = dd < minD ? dd : minD (the JS comparison's semantics, not f64x2.min's). */
const keepLess = (minD: string, dd: string) => set(minD, `(v128.bitselect ${get(dd)} ${get(minD)} (f64x2.lt ${get(dd)} ${get(minD)}))`);
/** Stores two-lane locals at out, 16 bytes apart. */
const storeAll = (names: string[]) => names.map((n, q) => `(v128.store offset=${16 * q} ${get('out')} ${get(n)})`).join('\n');

function gseries(): string {
  const acc = ['gr', 'gi', 'dr', 'di', 'ddr', 'ddi', 'd3r', 'd3i', 'size', 'minD'];
  return `(func (export "gseries") (param $lam i32) (param $wl i32) (param $end i32) (param $kr f64) (param $ki f64) (param $out i32)
  (local $o i32)
  ${locals('v128', ['vkr', 'vki2', 'vnki', 'one', 'two', 'l', 'w', 'ar', 'dd', 'den', 'ir', 'ii', 'p2r', 'p2i', 'p3r', 'p3i', ...acc])}
  ${set('vkr', splat(get('kr')))}
  ${set('vki2', splat(`(f64.mul ${get('ki')} ${get('ki')})`))}
  ${set('vnki', splat(`(f64.neg ${get('ki')})`))}
  ${set('one', splat('(f64.const 1)'))}
  ${set('two', splat('(f64.const 2)'))}
  ${set('minD', splat('(f64.const inf)'))}
  (block $done (loop $modes
    (br_if $done (i32.ge_u ${get('o')} ${get('end')}))
    ${set('l', `(v128.load ${i32add(get('lam'), get('o'))})`)}
    ${set('w', `(v128.load ${i32add(get('wl'), get('o'))})`)}
    ${set('ar', vadd(get('vkr'), get('l')))}
    ${set('dd', vadd(vmul(get('ar'), get('ar')), get('vki2')))}
    ${keepLess('minD', 'dd')}
    ${set('den', `(f64x2.div ${get('one')} ${get('dd')})`)}
    ${set('ir', vmul(get('ar'), get('den')))}
    ${set('ii', vmul(get('vnki'), get('den')))}
    ${set('p2r', vsub(vmul(get('ir'), get('ir')), vmul(get('ii'), get('ii'))))}
    ${set('p2i', vmul(vmul(get('two'), get('ir')), get('ii')))}
    ${set('p3r', vsub(vmul(get('p2r'), get('ir')), vmul(get('p2i'), get('ii'))))}
    ${set('p3i', vadd(vmul(get('p2r'), get('ii')), vmul(get('p2i'), get('ir'))))}
    ${accumulate('gr', vmul(get('w'), get('ir')))}
    ${accumulate('gi', vmul(get('w'), get('ii')))}
    ${accumulate('dr', vmul(get('w'), get('p2r')), 'sub')}
    ${accumulate('di', vmul(get('w'), get('p2i')), 'sub')}
    ${accumulate('ddr', vmul(get('w'), get('p3r')))}
    ${accumulate('ddi', vmul(get('w'), get('p3i')))}
    ${accumulate('d3r', vmul(get('w'), vsub(vmul(get('p2r'), get('p2r')), vmul(get('p2i'), get('p2i')))), 'sub')}
    ${accumulate('d3i', vmul(vmul(vmul(get('w'), get('two')), get('p2r')), get('p2i')), 'sub')}
    ${accumulate('size', vmul(`(f64x2.abs ${get('w')})`, vadd(`(f64x2.abs ${get('ir')})`, `(f64x2.abs ${get('ii')})`)))}
    ${set('o', i32add(get('o'), c32(16)))}
    (br $modes)))
  ${storeAll(acc)})`;
}

function onepoint(): string {
  const g = ['g0r', 'g0i', 'g1r', 'g1i', 'g2r', 'g2i', 'g3r', 'g3i'];
  const d = ['d0r', 'd0i', 'd1r', 'd1i', 'd2r', 'd2i', 'd3r', 'd3i'];
  const weights = ['l2', 'l1', 'c0', 'c1'];
  const body: string[] = [];
  for (let q = 0; q < 4; q++) body.push(set(`w${q}`, `(v128.load64_splat ${i32add(get(weights[q]), get('o'))})`));
  for (let q = 0; q < 4; q++) {
    body.push(accumulate(g[2 * q], vmul(get(`w${q}`), get('ir'))));
    body.push(accumulate(g[2 * q + 1], vmul(get(`w${q}`), get('ii'))));
  }
  for (let q = 0; q < 4; q++) {
    body.push(accumulate(d[2 * q], vmul(get(`w${q}`), get('pr'))));
    body.push(accumulate(d[2 * q + 1], vmul(get(`w${q}`), get('pi'))));
  }
  return `(func (export "onepoint") (param $lam i32) (param $l2 i32) (param $l1 i32) (param $c0 i32) (param $c1 i32) (param $end i32)
  (param $kra f64) (param $kia f64) (param $krb f64) (param $kib f64)
  (param $invReA i32) (param $invImA i32) (param $invReB i32) (param $invImB i32) (param $out i32)
  (local $o i32)
  ${locals('v128', ['vkr', 'vki2', 'vnki', 'one', 'two', 'dr', 'dd', 'inv', 'ir', 'ii', 'pr', 'pi', 'w0', 'w1', 'w2', 'w3', ...g, ...d, 'minD'])}
  ${set('vkr', `(f64x2.replace_lane 1 ${splat(get('kra'))} ${get('krb')})`)}
  ${set('vki2', `(f64x2.replace_lane 1 ${splat(`(f64.mul ${get('kia')} ${get('kia')})`)} (f64.mul ${get('kib')} ${get('kib')}))`)}
  ${set('vnki', `(f64x2.replace_lane 1 ${splat(`(f64.neg ${get('kia')})`)} (f64.neg ${get('kib')}))`)}
  ${set('one', splat('(f64.const 1)'))}
  ${set('two', splat('(f64.const 2)'))}
  ${set('minD', splat('(f64.const inf)'))}
  (block $done (loop $modes
    (br_if $done (i32.ge_u ${get('o')} ${get('end')}))
    ${set('dr', vadd(get('vkr'), `(v128.load64_splat ${i32add(get('lam'), get('o'))})`))}
    ${set('dd', vadd(vmul(get('dr'), get('dr')), get('vki2')))}
    ${set('inv', `(f64x2.div ${get('one')} ${get('dd')})`)}
    ${set('ir', vmul(get('dr'), get('inv')))}
    ${set('ii', vmul(get('vnki'), get('inv')))}
    ${keepLess('minD', 'dd')}
    (v128.store64_lane 0 ${i32add(get('invReA'), get('o'))} ${get('ir')})
    (v128.store64_lane 1 ${i32add(get('invReB'), get('o'))} ${get('ir')})
    (v128.store64_lane 0 ${i32add(get('invImA'), get('o'))} ${get('ii')})
    (v128.store64_lane 1 ${i32add(get('invImB'), get('o'))} ${get('ii')})
    ${set('pr', vsub(vmul(get('ir'), get('ir')), vmul(get('ii'), get('ii'))))}
    ${set('pi', vmul(vmul(get('two'), get('ir')), get('ii')))}
    ${body.join('\n    ')}
    ${set('o', i32add(get('o'), c32(8)))}
    (br $modes)))
  ${storeAll([...g, ...d, 'minD'])})`;
}

function combine(): string {
  const t = [0, 1, 2, 3].map((q) => `t${q}`);
  const u = [0, 1, 2, 3].map((q) => `u${q}`);
  const v = [0, 1, 2, 3].map((q) => `v${q}`);
  const m = [0, 1, 2, 3].map((q) => `m${q}`);
  const z = [0, 1, 2, 3].map((q) => `z${q}`);
  const e = [0, 1, 2, 3].map((q) => `e${q}`);
  const pvAt = (k: number) => `(v128.load64_splat offset=${8 * k} ${get('p')})`;
  const terms: string[] = [];
  for (let q = 0; q < 4; q++) {
    // e_q = ((X pv[4q] + Y pv[4q+1]) + U pv[4q+2]) + Z pv[4q+3], as the JS expression
    const s = vadd(vadd(vadd(vmul(get('X'), pvAt(4 * q)), vmul(get('Y'), pvAt(4 * q + 1))), vmul(get('U'), pvAt(4 * q + 2))), vmul(get('Z'), pvAt(4 * q + 3)));
    terms.push(set(e[q], s));
    terms.push(accumulate(t[q], get(e[q])));
  }
  const l1At = (k: number) => `(v128.load64_splat offset=${8 * k} ${get('l')})`;
  return `(func (export "combine") (param $pv i32) (param $pl1 i32) (param $nest i32) (param $vr i32) (param $vi i32) (param $va i32)
  (param $n i32) (param $pairBytes i32) (param $diagnostics i32) (param $out i32)
  (local $a i32) (local $b i32) (local $p i32) (local $l i32) (local $na i32) (local $lv i32) (local $l1Bytes i32)
  ${locals('v128', ['var', 'vai', 'vaa', 'vbr', 'vbi', 'X', 'Y', 'U', 'Z', 'mm', ...e, ...t, ...u, ...v, ...m, ...z])}
  ${set('p', get('pv'))}
  ${set('l', get('pl1'))}
  ${set('l1Bytes', `(i32.shr_u ${get('pairBytes')} ${c32(2)})`)}
  (block $rowsDone (loop $rows
    (br_if $rowsDone (i32.ge_u ${get('a')} ${get('n')}))
    ${set('var', `(v128.load ${i32add(get('vr'), `(i32.shl ${get('a')} ${c32(4)})`)})`)}
    ${set('vai', `(v128.load ${i32add(get('vi'), `(i32.shl ${get('a')} ${c32(4)})`)})`)}
    ${set('vaa', `(v128.load ${i32add(get('va'), `(i32.shl ${get('a')} ${c32(4)})`)})`)}
    (if (v128.any_true (v128.or (f64x2.ne ${get('var')} (v128.const f64x2 0 0)) (f64x2.ne ${get('vai')} (v128.const f64x2 0 0))))
      (then
        ${set('na', `(i32.load8_u ${i32add(get('nest'), get('a'))})`)}
        ${set('b', get('a'))}
        (block $colsDone (loop $cols
          (br_if $colsDone (i32.ge_u ${get('b')} ${get('n')}))
          ${set('vbr', `(v128.load ${i32add(get('vr'), `(i32.shl ${get('b')} ${c32(4)})`)})`)}
          ${set('vbi', `(v128.load ${i32add(get('vi'), `(i32.shl ${get('b')} ${c32(4)})`)})`)}
          ${set('X', vmul(get('var'), get('vbr')))}
          ${set('Y', vmul(get('vai'), get('vbi')))}
          ${set('U', vmul(get('var'), get('vbi')))}
          ${set('Z', vmul(get('vai'), get('vbr')))}
          ${terms.join('\n          ')}
          (if (i32.ge_u ${get('na')} ${c32(2)}) (then
            ${set('lv', `(i32.load8_u ${i32add(get('nest'), get('b'))})`)}
            (if (i32.gt_u ${get('lv')} ${get('na')}) (then ${set('lv', get('na'))}))
            (if (i32.ge_u ${get('lv')} ${c32(2)}) (then
              ${u.map((x, q) => accumulate(x, get(e[q]))).join(' ')}
              (if (i32.ge_u ${get('lv')} ${c32(4)}) (then
                ${v.map((x, q) => accumulate(x, get(e[q]))).join(' ')}))))))
          (if ${get('diagnostics')} (then
            ${set('mm', vmul(get('vaa'), `(v128.load ${i32add(get('va'), `(i32.shl ${get('b')} ${c32(4)})`)})`))}
            ${m.map((x, q) => accumulate(x, vmul(get('mm'), l1At(q)))).join(' ')}
            (if (i32.eq ${get('b')} (i32.sub ${get('n')} ${c32(1)})) (then
              ${z.map((x, q) => accumulate(x, vmul(get('mm'), l1At(q)))).join(' ')}))))
          ${set('p', i32add(get('p'), get('pairBytes')))}
          ${set('l', i32add(get('l'), get('l1Bytes')))}
          ${set('b', i32add(get('b'), c32(1)))}
          (br $cols))))
      (else
        ;; underflowed weights in both lanes: skip the row (0 x Inf would be NaN)
        ${set('p', i32add(get('p'), `(i32.mul ${get('pairBytes')} (i32.sub ${get('n')} ${get('a')}))`))}
        ${set('l', i32add(get('l'), `(i32.mul ${get('l1Bytes')} (i32.sub ${get('n')} ${get('a')}))`))}))
    ${set('a', i32add(get('a'), c32(1)))}
    (br $rows)))
  ${storeAll([...t, ...u, ...v, ...m, ...z])})`;
}

export function numericKernelsWat(): string {
  return `(module
  (memory (export "memory") 1 65536)
  ${gseries()}
  ${onepoint()}
  ${combine()})`;
}

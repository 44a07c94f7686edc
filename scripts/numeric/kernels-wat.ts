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

/**
 * `pairvalues(n, node, ps, pv, pl1, nq, invN, invP, sig2, withN, withSig, noise, diagnostics)`: curve.ts
 * groupPairValues and groupPackPairValues fused, for the same pair (lane 0) and the cross pair (lane 1) at once:
 * from the pair sums ps (16 per pair, [Gam, S, B0, B1] re, im, each as (same, cross)) and the per-node arrays at
 * node (12 arrays of n: s re, im, R re, im, R1 re, im, f re, im, R1/s re, im, (R1/s)' re, im) to the packed pair
 * values pv and their 1-norms pl1 of groupCombine.
 */
function pairvalues(): string {
  const V = (x: string) => get(x);
  const nodeAt = (array: number, index: string) => `(f64.load offset=${0} ${i32add(get('node'), `(i32.shl ${i32add(`(i32.mul ${get('n')} ${c32(array)})`, index)} ${c32(3)})`)})`;
  // per-node arrays
  const SRE = 0, SIM = 1, RRE = 2, RIM = 3, R1RE = 4, R1IM = 5, FRE = 6, FIM = 7, QRE = 8, QIM = 9, DHRE = 10, DHIM = 11;
  const splatA = (array: number) => splat(nodeAt(array, get('a')));
  // b-values with the lane sign: (x_b, sgn x_b) for imaginary parts
  const splatB = (array: number) => splat(nodeAt(array, get('b')));
  const signedB = (array: number) => vmul(splatB(array), get('sgn'));
  const lines: string[] = [];
  const L = (name: string, value: string) => lines.push(set(name, value));
  const psAt = (k: number) => `(v128.load offset=${16 * k} ${get('q')})`;
  L('gamR', psAt(0)); L('gamI', psAt(1)); L('sR', psAt(2)); L('sI', psAt(3));
  L('b0r', psAt(4)); L('b0i', psAt(5)); L('b1r', psAt(6)); L('b1i', psAt(7));
  L('sbr', splatB(SRE)); L('sbi', signedB(SIM));
  L('rbr', splatB(RRE)); L('rbi', signedB(RIM));
  // THEORY (E15c)
  L('RRr', vsub(vmul(V('rar'), V('rbr')), vmul(V('rai'), V('rbi'))));
  L('RRi', vadd(vmul(V('rar'), V('rbi')), vmul(V('rai'), V('rbr'))));
  L('rgr', vsub(vmul(V('RRr'), V('gamR')), vmul(V('RRi'), V('gamI'))));
  L('rgi', vadd(vmul(V('RRr'), V('gamI')), vmul(V('RRi'), V('gamR'))));
  L('gPr', vmul(V('rgr'), V('vinvP')));
  L('gPi', vmul(V('rgi'), V('vinvP')));
  L('Dr', '(v128.const f64x2 0 0)');
  L('Di', '(v128.const f64x2 0 0)');
  lines.push(`(if ${get('withN')} (then`);
  L('nr', vmul(vsub(vmul(V('RRr'), V('sR')), vmul(V('RRi'), V('sI'))), V('vinvN')));
  L('ni', vmul(vadd(vmul(V('RRr'), V('sI')), vmul(V('RRi'), V('sR'))), V('vinvN')));
  L('er', vsub(V('one'), vmul(V('rgr'), V('vinvN'))));
  L('ei', vmul(`(f64x2.neg ${V('rgi')})`, V('vinvN')));
  L('ed', `(f64x2.div ${V('one')} ${vadd(vmul(V('er'), V('er')), vmul(V('ei'), V('ei')))})`);
  L('Dr', vmul(vadd(vmul(V('nr'), V('er')), vmul(V('ni'), V('ei'))), V('ed')));
  L('Di', vmul(vsub(vmul(V('ni'), V('er')), vmul(V('nr'), V('ei'))), V('ed')));
  lines.push(`))`);
  L('ssr', vsub(vmul(V('sar'), V('sbr')), vmul(V('sai'), V('sbi'))));
  L('ssi', vadd(vmul(V('sar'), V('sbi')), vmul(V('sai'), V('sbr'))));
  L('xr', vsub(vmul(V('ssr'), V('sR')), vmul(V('ssi'), V('sI'))));
  L('xi', vadd(vmul(V('ssr'), V('sI')), vmul(V('ssi'), V('sR'))));
  L('c1r', vadd(V('gPr'), vmul(vsub(vmul(V('xr'), V('Dr')), vmul(V('xi'), V('Di'))), V('vinvP'))));
  L('c1i', vadd(V('gPi'), vmul(vadd(vmul(V('xr'), V('Di')), vmul(V('xi'), V('Dr'))), V('vinvP'))));
  L('omr', vsub(V('one'), V('c1r')));
  L('omi', `(f64x2.neg ${V('c1i')})`);
  L('omd', `(f64x2.div ${V('one')} ${vadd(vmul(V('omr'), V('omr')), vmul(V('omi'), V('omi')))})`);
  L('ior', vmul(V('omr'), V('omd')));
  L('ioi', vmul(`(f64x2.neg ${V('omi')})`, V('omd')));
  // THEORY (E15d)
  L('numr', vsub(vadd(V('b0r'), vmul(V('Dr'), V('b1r'))), vmul(V('Di'), V('b1i'))));
  L('numi', vadd(vadd(V('b0i'), vmul(V('Dr'), V('b1i'))), vmul(V('Di'), V('b1r'))));
  L('lsr', vsub(vmul(V('numr'), V('ior')), vmul(V('numi'), V('ioi'))));
  L('lsi', vadd(vmul(V('numr'), V('ioi')), vmul(V('numi'), V('ior'))));
  L('testR', V('lsr'));
  L('testI', V('lsi'));
  L('tar', V('b0r'));
  L('tai', V('b0i'));
  lines.push(`(if ${get('withSig')} (then`);
  L('ssd', `(f64x2.div ${V('vsig2')} ${vadd(vmul(V('ssr'), V('ssr')), vmul(V('ssi'), V('ssi')))})`);
  L('isr', vmul(V('ssr'), V('ssd')));
  L('isi', vmul(`(f64x2.neg ${V('ssi')})`, V('ssd')));
  L('cor', vsub(vmul(V('c1r'), V('ior')), vmul(V('c1i'), V('ioi'))));
  L('coi', vadd(vmul(V('c1r'), V('ioi')), vmul(V('c1i'), V('ior'))));
  L('testR', vadd(V('testR'), vsub(vmul(V('cor'), V('isr')), vmul(V('coi'), V('isi')))));
  L('testI', vadd(V('testI'), vadd(vmul(V('cor'), V('isi')), vmul(V('coi'), V('isr')))));
  L('tar', vadd(V('tar'), vsub(vmul(V('gPr'), V('isr')), vmul(V('gPi'), V('isi')))));
  L('tai', vadd(V('tai'), vadd(vmul(V('gPr'), V('isi')), vmul(V('gPi'), V('isr')))));
  lines.push(`))`);
  // THEORY (E16a)
  L('er', vsub(V('one'), V('gPr')));
  L('ei', `(f64x2.neg ${V('gPi')})`);
  L('ed', `(f64x2.div ${V('one')} ${vadd(vmul(V('er'), V('er')), vmul(V('ei'), V('ei')))})`);
  L('tAr', vmul(vadd(vmul(V('tar'), V('er')), vmul(V('tai'), V('ei'))), V('ed')));
  L('tAi', vmul(vsub(vmul(V('tai'), V('er')), vmul(V('tar'), V('ei'))), V('ed')));
  // THEORY (E16)
  L('q1br', splatB(R1RE));
  L('q1bi', signedB(R1IM));
  L('t1r', vsub(vmul(V('q1ar'), V('q1br')), vmul(V('q1ai'), V('q1bi'))));
  L('t1i', vadd(vmul(V('q1ar'), V('q1bi')), vmul(V('q1ai'), V('q1br'))));
  L('trr', vsub(vmul(V('t1r'), V('lsr')), vmul(V('t1i'), V('lsi'))));
  L('tri', vadd(vmul(V('t1r'), V('lsi')), vmul(V('t1i'), V('lsr'))));
  // f_a f_b (E25)
  L('fbr', splatB(FRE));
  L('fbi', signedB(FIM));
  L('ffr', vsub(vmul(V('far'), V('fbr')), vmul(V('fai'), V('fbi'))));
  L('ffi', vadd(vmul(V('far'), V('fbi')), vmul(V('fai'), V('fbr'))));
  const times = (re: string, im: string, outRe: string, outIm: string) => {
    L(outRe, vsub(vmul(V('ffr'), V(re)), vmul(V('ffi'), V(im))));
    L(outIm, vadd(vmul(V('ffr'), V(im)), vmul(V('ffi'), V(re))));
  };
  times('testR', 'testI', 'Q0r', 'Q0i');
  times('trr', 'tri', 'Q1r', 'Q1i');
  times('tAr', 'tAi', 'Q2r', 'Q2i');
  times('b0r', 'b0i', 'Q3r', 'Q3i');
  lines.push(`(if ${get('noise')} (then`);
  // THEORY (E16, E25): sigma^2 f f' [R1(s)/s - R1(s')/s'] / (s' - s); on the diagonal -sigma^2 f^2 (R1/s)'
  L('dr', vsub(V('sbr'), V('sar')));
  L('di', vsub(V('sbi'), V('sai')));
  L('nr', vsub(splatA(QRE), splatB(QRE)));
  L('ni', vsub(splatA(QIM), signedB(QIM)));
  L('ed', `(f64x2.div ${V('one')} ${vadd(vmul(V('dr'), V('dr')), vmul(V('di'), V('di')))})`);
  L('vr', vmul(vadd(vmul(V('nr'), V('dr')), vmul(V('ni'), V('di'))), V('ed')));
  L('vi', vmul(vsub(vmul(V('ni'), V('dr')), vmul(V('nr'), V('di'))), V('ed')));
  lines.push(`(if (i32.eq ${get('a')} ${get('b')}) (then`);
  // lane 0 always; lane 1 where s_b = conj s_b (a real node)
  L('mask', `(v128.or ${V('lane0')} (v128.and (f64x2.eq ${V('dr')} (v128.const f64x2 0 0)) (f64x2.eq ${V('di')} (v128.const f64x2 0 0))))`);
  L('vr', `(v128.bitselect (f64x2.neg ${splatA(DHRE)}) ${V('vr')} ${V('mask')})`);
  L('vi', `(v128.bitselect (f64x2.neg ${splatA(DHIM)}) ${V('vi')} ${V('mask')})`);
  lines.push(`))`);
  L('Q4r', vmul(V('vsig2'), vsub(vmul(V('ffr'), V('vr')), vmul(V('ffi'), V('vi')))));
  L('Q4i', vmul(V('vsig2'), vadd(vmul(V('ffr'), V('vi')), vmul(V('ffi'), V('vr')))));
  lines.push(`))`);
  // groupPackPairValues: per quantity [same re, same im, cross re, cross im] = (Qr lane 0, Qi lane 0, Qr lane 1, Qi lane 1)
  const lane = (x: string, l: number) => `(f64x2.extract_lane ${l} ${V(x)})`;
  const l1 = (q: number) =>
    `(f64.mul ${V('m')} (f64.add (f64.add (f64.add (f64.abs ${lane(`Q${q}r`, 0)}) (f64.abs ${lane(`Q${q}i`, 0)})) (f64.abs ${lane(`Q${q}r`, 1)})) (f64.abs ${lane(`Q${q}i`, 1)})))`;
  lines.push(`(if ${get('noise')} (then`);
  lines.push(`(if ${get('diagnostics')} (then (f64.store offset=32 ${get('l')} ${l1(4)})))`);
  L('Q1r', vadd(V('Q1r'), V('Q4r')));
  L('Q1i', vadd(V('Q1i'), V('Q4i')));
  L('Q4r', '(v128.const f64x2 0 0)');
  L('Q4i', '(v128.const f64x2 0 0)');
  lines.push(`))`);
  for (let q = 0; q < 5; q++) {
    const body: string[] = [];
    if (q < 4) body.push(`(if ${get('diagnostics')} (then (f64.store offset=${8 * q} ${get('l')} ${l1(q)})))`);
    const sr = lane(`Q${q}r`, 0), si = lane(`Q${q}i`, 0), cr = lane(`Q${q}r`, 1), ci = lane(`Q${q}i`, 1);
    body.push(`(f64.store offset=${32 * q} ${get('p')} (f64.mul ${V('m')} (f64.add ${sr} ${cr})))`);
    body.push(`(f64.store offset=${32 * q + 8} ${get('p')} (f64.mul ${V('m')} (f64.sub ${cr} ${sr})))`);
    body.push(`(f64.store offset=${32 * q + 16} ${get('p')} (f64.mul ${V('m')} (f64.sub ${ci} ${si})))`);
    body.push(`(f64.store offset=${32 * q + 24} ${get('p')} (f64.mul (f64.neg ${V('m')}) (f64.add ${si} ${ci})))`);
    lines.push(q === 4 ? `(if ${get('noise')} (then ${body.join(' ')}))` : body.join('\n'));
  }
  lines.push(`(if (i32.and ${get('noise')} ${get('diagnostics')}) (then (f64.store offset=8 ${get('l')} (f64.add (f64.load offset=8 ${get('l')}) (f64.load offset=32 ${get('l')})))))`);
  const vecs = [
    'sgn', 'lane0', 'one', 'vinvN', 'vinvP', 'vsig2', 'sar', 'sai', 'rar', 'rai', 'q1ar', 'q1ai', 'far', 'fai',
    'gamR', 'gamI', 'sR', 'sI', 'b0r', 'b0i', 'b1r', 'b1i', 'sbr', 'sbi', 'rbr', 'rbi', 'RRr', 'RRi', 'rgr', 'rgi', 'gPr', 'gPi',
    'Dr', 'Di', 'nr', 'ni', 'er', 'ei', 'ed', 'ssr', 'ssi', 'xr', 'xi', 'c1r', 'c1i', 'omr', 'omi', 'omd', 'ior', 'ioi',
    'numr', 'numi', 'lsr', 'lsi', 'testR', 'testI', 'tar', 'tai', 'ssd', 'isr', 'isi', 'cor', 'coi', 'tAr', 'tAi',
    'q1br', 'q1bi', 't1r', 't1i', 'trr', 'tri', 'fbr', 'fbi', 'ffr', 'ffi', 'dr', 'di', 'vr', 'vi', 'mask',
    'Q0r', 'Q0i', 'Q1r', 'Q1i', 'Q2r', 'Q2i', 'Q3r', 'Q3i', 'Q4r', 'Q4i',
  ];
  return `(func (export "pairvalues") (param $n i32) (param $node i32) (param $ps i32) (param $pv i32) (param $pl1 i32) (param $nq i32)
  (param $invN f64) (param $invP f64) (param $sig2 f64) (param $withN i32) (param $withSig i32) (param $noise i32) (param $diagnostics i32)
  (local $a i32) (local $b i32) (local $q i32) (local $p i32) (local $l i32) (local $m f64)
  ${locals('v128', vecs)}
  ${set('sgn', '(v128.const f64x2 1 -1)')}
  ${set('lane0', '(v128.const i64x2 -1 0)')}
  ${set('one', splat('(f64.const 1)'))}
  ${set('vinvN', splat(get('invN')))}
  ${set('vinvP', splat(get('invP')))}
  ${set('vsig2', splat(get('sig2')))}
  ${set('q', get('ps'))}
  ${set('p', get('pv'))}
  ${set('l', get('pl1'))}
  (block $rowsDone (loop $rows
    (br_if $rowsDone (i32.ge_u ${get('a')} ${get('n')}))
    ${set('sar', splatA(SRE))} ${set('sai', splatA(SIM))}
    ${set('rar', splatA(RRE))} ${set('rai', splatA(RIM))}
    ${set('q1ar', splatA(R1RE))} ${set('q1ai', splatA(R1IM))}
    ${set('far', splatA(FRE))} ${set('fai', splatA(FIM))}
    ${set('b', get('a'))}
    (block $colsDone (loop $cols
      (br_if $colsDone (i32.ge_u ${get('b')} ${get('n')}))
      ${set('m', `(select (f64.const 1) (f64.const 2) (i32.eq ${get('a')} ${get('b')}))`)}
      ${lines.join('\n      ')}
      ${set('q', i32add(get('q'), c32(128)))}
      ${set('p', i32add(get('p'), `(i32.shl ${get('nq')} ${c32(5)})`))}
      ${set('l', i32add(get('l'), `(i32.shl ${get('nq')} ${c32(3)})`))}
      ${set('b', i32add(get('b'), c32(1)))}
      (br $cols)))
    ${set('a', i32add(get('a'), c32(1)))}
    (br $rows)))
  )`;
}

/**
 * `pairsums(n, node, ps, flags, switch2)`: curve.ts groupPairSums' partial-fraction branch for every pair a < b, the
 * same pair (lane 0) and the cross pair (lane 1) at once, from the per-node arrays at node (kappa re, im, A re, im,
 * rho2, then the one-point sums G_W, 8 per node) into ps (16 per pair, as groupPairSums writes it); flags[p] gets the
 * lanes whose pair is near (bit 0 same, bit 1 cross: |kappa_a - kappa_b|^2 not >= switch2 min(rho2_a, rho2_b)),
 * which groupPairSums then sums by the series or over the modes. The diagonal pairs are left to it as well.
 */
function pairsums(): string {
  const V = (x: string) => get(x);
  const at = (array: number, index: string) => `(f64.load ${i32add(get('node'), `(i32.shl ${i32add(`(i32.mul ${get('n')} ${c32(array)})`, index)} ${c32(3)})`)})`;
  const gwAt = (index: string, k: number) => `(f64.load offset=${8 * k} ${i32add(get('gw'), `(i32.shl ${index} ${c32(6)})`)})`;
  const KRE = 0, KIM = 1, ARE = 2, AIM = 3, RHO2 = 4;
  const body: string[] = [];
  const L = (name: string, value: string) => body.push(set(name, value));
  L('abr', splat(at(ARE, get('b'))));
  L('abi', vmul(splat(at(AIM, get('b'))), V('sgn')));
  L('AAr', vsub(vmul(V('aar'), V('abr')), vmul(V('aai'), V('abi'))));
  L('AAi', vadd(vmul(V('aar'), V('abi')), vmul(V('aai'), V('abr'))));
  L('dr', vsub(V('kar'), splat(at(KRE, get('b')))));
  L('di', vsub(V('kai'), vmul(V('sgn'), splat(at(KIM, get('b'))))));
  L('d2', vadd(vmul(V('dr'), V('dr')), vmul(V('di'), V('di'))));
  L('thr', splat(`(f64.mul ${get('switch2')} (f64.min ${at(RHO2, get('a'))} ${at(RHO2, get('b'))}))`));
  body.push(`(i32.store8 ${i32add(get('flags'), get('p'))} (i64x2.bitmask (v128.not (f64x2.ge ${V('d2')} ${V('thr')}))))`);
  L('dd', `(f64x2.div ${V('one')} ${V('d2')})`);
  L('qr', vmul(vadd(vmul(V('AAr'), V('dr')), vmul(V('AAi'), V('di'))), V('dd')));
  L('qi', vmul(vsub(vmul(V('AAi'), V('dr')), vmul(V('AAr'), V('di'))), V('dd')));
  for (let m = 0; m < 4; m++) {
    L('xr', vsub(splat(gwAt(get('b'), 2 * m)), V(`ga${2 * m}`)));
    L('xi', vsub(vmul(V('sgn'), splat(gwAt(get('b'), 2 * m + 1))), V(`ga${2 * m + 1}`)));
    body.push(`(v128.store offset=${32 * m} ${get('q')} ${vsub(vmul(V('qr'), V('xr')), vmul(V('qi'), V('xi')))})`);
    body.push(`(v128.store offset=${32 * m + 16} ${get('q')} ${vadd(vmul(V('qr'), V('xi')), vmul(V('qi'), V('xr')))})`);
  }
  const ga = Array.from({ length: 8 }, (_, k) => `ga${k}`);
  return `(func (export "pairsums") (param $n i32) (param $node i32) (param $ps i32) (param $flags i32) (param $switch2 f64)
  (local $a i32) (local $b i32) (local $p i32) (local $q i32) (local $gw i32)
  ${locals('v128', ['sgn', 'one', 'kar', 'kai', 'aar', 'aai', 'abr', 'abi', 'AAr', 'AAi', 'dr', 'di', 'd2', 'thr', 'dd', 'qr', 'qi', 'xr', 'xi', ...ga])}
  ${set('sgn', '(v128.const f64x2 1 -1)')}
  ${set('one', splat('(f64.const 1)'))}
  ${set('gw', i32add(get('node'), `(i32.mul ${get('n')} ${c32(40)})`))}
  ${set('q', get('ps'))}
  (block $rowsDone (loop $rows
    (br_if $rowsDone (i32.ge_u ${get('a')} ${get('n')}))
    ${set('kar', splat(at(KRE, get('a'))))} ${set('kai', splat(at(KIM, get('a'))))}
    ${set('aar', splat(at(ARE, get('a'))))} ${set('aai', splat(at(AIM, get('a'))))}
    ${ga.map((x, k) => set(x, splat(gwAt(get('a'), k)))).join(' ')}
    ;; the diagonal pair (a, a) is groupPairSums' own
    ${set('p', i32add(get('p'), c32(1)))}
    ${set('q', i32add(get('q'), c32(128)))}
    ${set('b', i32add(get('a'), c32(1)))}
    (block $colsDone (loop $cols
      (br_if $colsDone (i32.ge_u ${get('b')} ${get('n')}))
      ${body.join('\n      ')}
      ${set('p', i32add(get('p'), c32(1)))}
      ${set('q', i32add(get('q'), c32(128)))}
      ${set('b', i32add(get('b'), c32(1)))}
      (br $cols)))
    ${set('a', i32add(get('a'), c32(1)))}
    (br $rows)))
  )`;
}

/**
 * `biasacc(count, list, invRe, invIm, end, acc)`: curve.ts groupBiasPerMode's sums over the nodes,
 * acc[k] = sum_j (wr_j invRe[j K + k] - wi_j invIm[j K + k]), two modes per vector (lane = mode), the nodes in the
 * order of list (count triples wr, wi, byte offset of the node's row); end = 8 K rounded down to 16 (an odd last mode
 * in scalar f64, the same operations).
 */
function biasacc(): string {
  return `(func (export "biasacc") (param $count i32) (param $list i32) (param $invRe i32) (param $invIm i32) (param $end i32) (param $odd i32) (param $acc i32)
  (local $j i32) (local $o i32) (local $row i32) (local $e i32) (local $wr f64) (local $wi f64) (local $vwr v128) (local $vwi v128)
  (block $nodesDone (loop $nodes
    (br_if $nodesDone (i32.ge_u ${get('j')} ${get('count')}))
    ${set('e', i32add(get('list'), `(i32.mul ${get('j')} ${c32(24)})`))}
    ${set('wr', `(f64.load ${get('e')})`)}
    ${set('wi', `(f64.load offset=8 ${get('e')})`)}
    ${set('row', `(i32.trunc_f64_u (f64.load offset=16 ${get('e')}))`)}
    ${set('vwr', splat(get('wr')))}
    ${set('vwi', splat(get('wi')))}
    ${set('o', c32(0))}
    (block $modesDone (loop $modes
      (br_if $modesDone (i32.ge_u ${get('o')} ${get('end')}))
      (v128.store ${i32add(get('acc'), get('o'))} ${vadd(`(v128.load ${i32add(get('acc'), get('o'))})`, vsub(vmul(get('vwr'), `(v128.load ${i32add(i32add(get('invRe'), get('row')), get('o'))})`), vmul(get('vwi'), `(v128.load ${i32add(i32add(get('invIm'), get('row')), get('o'))})`)))})
      ${set('o', i32add(get('o'), c32(16)))}
      (br $modes)))
    (if ${get('odd')} (then
      (f64.store ${i32add(get('acc'), get('end'))} (f64.add (f64.load ${i32add(get('acc'), get('end'))}) (f64.sub (f64.mul ${get('wr')} (f64.load ${i32add(i32add(get('invRe'), get('row')), get('end'))})) (f64.mul ${get('wi')} (f64.load ${i32add(i32add(get('invIm'), get('row')), get('end'))}))))))) 
    ${set('j', i32add(get('j'), c32(1)))}
    (br $nodes)))
  )`;
}

/**
 * `seriescoef(c, lam, l2, l1, c0, c1, end, terms, T)`: curve.ts seriesCoefficients, the weights in pairs (L2, L1) and
 * (C0, C1) as the two lanes; returns rho(c) = min_k |c + lambda_k| (the JS comparison's semantics).
 */
function seriescoef(): string {
  const pair = (x: string, y: string) => `(v128.load64_lane 1 ${i32add(get(y), get('o'))} (v128.load64_splat ${i32add(get(x), get('o'))}))`;
  return `(func (export "seriescoef") (param $c f64) (param $lam i32) (param $l2 i32) (param $l1 i32) (param $c0 i32) (param $c1 i32) (param $end i32) (param $terms i32) (param $T i32) (result f64)
  (local $o i32) (local $m i32) (local $t i32) (local $d f64) (local $u f64) (local $pw f64) (local $rho f64) (local $w01 v128) (local $w23 v128) (local $vpw v128)
  ${set('rho', '(f64.const inf)')}
  (block $modesDone (loop $modes
    (br_if $modesDone (i32.ge_u ${get('o')} ${get('end')}))
    ${set('d', `(f64.add ${get('c')} (f64.load ${i32add(get('lam'), get('o'))}))`)}
    (if (f64.lt (f64.abs ${get('d')}) ${get('rho')}) (then ${set('rho', `(f64.abs ${get('d')})`)}))
    ${set('u', `(f64.div (f64.const 1) ${get('d')})`)}
    ${set('pw', `(f64.mul ${get('u')} ${get('u')})`)}
    ${set('w01', pair('l2', 'l1'))}
    ${set('w23', pair('c0', 'c1'))}
    ${set('m', c32(0))}
    ${set('t', get('T'))}
    (block $termsDone (loop $termsLoop
      (br_if $termsDone (i32.ge_u ${get('m')} ${get('terms')}))
      ${set('vpw', splat(get('pw')))}
      (v128.store ${get('t')} ${vadd(`(v128.load ${get('t')})`, vmul(get('w01'), get('vpw')))})
      (v128.store offset=16 ${get('t')} ${vadd(`(v128.load offset=16 ${get('t')})`, vmul(get('w23'), get('vpw')))})
      ${set('pw', `(f64.mul ${get('pw')} ${get('u')})`)}
      ${set('t', i32add(get('t'), c32(32)))}
      ${set('m', i32add(get('m'), c32(1)))}
      (br $termsLoop)))
    ${set('o', i32add(get('o'), c32(8)))}
    (br $modes)))
  ${get('rho')})`;
}

export function numericKernelsWat(): string {
  return `(module
  (memory (export "memory") 1 65536)
  ${gseries()}
  ${onepoint()}
  ${combine()}
  ${pairvalues()}
  ${pairsums()}
  ${biasacc()}
  ${seriescoef()})`;
}

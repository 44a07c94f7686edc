/**
 * WebAssembly text (WAT) of the simulator's SIMD kernels (src/simulation/
 * wasm.ts), generated here because the unrolled register blocks would be
 * hundreds of hand-written lines: `block` (the product), `rotations_*`,
 * `reflectorPair_*`, `reflector_*` (U X of the implicit eigensolver, for
 * blocks of 8, 2 and 1 columns) and `fusedUpdate` (the Householder
 * reduction's update and product). scripts/simulation/build-wasm.ts assembles
 * it with wabt into src/simulation/kernels-wasm.ts;
 * test/simulation/wasm.test.ts checks that the committed binary is what this
 * source gives, and each kernel against the JS loop it replaces, bit for bit.
 *
 * `block(a, b, c, rows, kb, jb, k4)` (byte offsets into the module's memory):
 *   C (rows x jb) += A (rows x kb) B (kb x jb), all row-major with leading
 *   dimensions kb, jb, jb; p < k4 (a multiple of 4) in groups of four, every
 *   entry updated as C + (((a0 x0 + a1 x1) + a2 x2) + a3 x3); then p = k4..kb-1
 *   one at a time as C + a x. This is exactly the order of linalg.ts's JS
 *   kernel (panelProduct), so both give the same bits. Columns two at a time
 *   (f64x2: each lane does the scalar arithmetic of one column, no horizontal
 *   sums), an odd last column in scalar f64 with the same operations.
 *   Four rows per pass: the 16 A values of a 4 x 4 (row, p) block are splat
 *   once and serve every column pair; the leftover rows (rows % 4) one at a
 *   time.
 */

const I = (name: string) => `(local.get $${name})`;
const set = (name: string, value: string) => `(local.set $${name} ${value})`;
const add = (a: string, b: string) => `(i32.add ${a} ${b})`;
const mul = (a: string, b: string) => `(i32.mul ${a} ${b})`;
const c32 = (x: number) => `(i32.const ${x})`;

/** Sum a0 x0 + a1 x1 + ... left to right, in the lane type `t` (f64x2 or f64). */
function dot(t: 'f64x2' | 'f64', terms: Array<[string, string]>): string {
  let s = `(${t}.mul ${terms[0][0]} ${terms[0][1]})`;
  for (let q = 1; q < terms.length; q++) s = `(${t}.add ${s} (${t}.mul ${terms[q][0]} ${terms[q][1]}))`;
  return s;
}

/**
 * The column loop for `R` rows and `G` values of p (G = 4: one group; G = 1:
 * one leftover p): C[r][j] += sum_g a[r][g] B[g][j]. Rows of C at locals
 * c0..c{R-1}, rows of B at b0..b{G-1}, A values splat in a{r}{g} (vector) and
 * s{r}{g} (scalar).
 */
function columnLoop(R: number, G: number): string {
  const lines: string[] = [];
  const vecBody: string[] = [];
  for (let g = 0; g < G; g++) vecBody.push(set(`x${g}`, `(v128.load ${add(I(`b${g}`), I('jj'))})`));
  for (let r = 0; r < R; r++) {
    const at = add(I(`c${r}`), I('jj'));
    const sum = dot('f64x2', Array.from({ length: G }, (_, g) => [I(`a${r}${g}`), I(`x${g}`)] as [string, string]));
    vecBody.push(`(v128.store ${at} (f64x2.add (v128.load ${at}) ${sum}))`);
  }
  lines.push(`(if (i32.gt_u ${I('jvEnd')} (i32.const 0)) (then`);
  lines.push(set('jj', c32(0)));
  lines.push(`(loop $cols`);
  lines.push(...vecBody);
  lines.push(set('jj', add(I('jj'), c32(16))));
  lines.push(`(br_if $cols (i32.lt_u ${I('jj')} ${I('jvEnd')}))`);
  lines.push(`)))`);
  // Odd last column: scalar, same operations.
  const scalar: string[] = [];
  for (let g = 0; g < G; g++) scalar.push(set(`y${g}`, `(f64.load ${add(I(`b${g}`), I('jvEnd'))})`));
  for (let r = 0; r < R; r++) {
    const at = add(I(`c${r}`), I('jvEnd'));
    const sum = dot('f64', Array.from({ length: G }, (_, g) => [I(`s${r}${g}`), I(`y${g}`)] as [string, string]));
    scalar.push(`(f64.store ${at} (f64.add (f64.load ${at}) ${sum}))`);
  }
  lines.push(`(if ${I('odd')} (then`, ...scalar, `))`);
  return lines.join('\n');
}

/** Load the R x G block of A at rows i.., p.. into scalar s{r}{g} and splat a{r}{g}; point b{g} at rows p.. of B and c{r} at rows i.. of C. */
function loadOperands(R: number, G: number): string {
  const lines: string[] = [];
  for (let r = 0; r < R; r++) {
    lines.push(set(`ar`, add(I('a'), mul(add(I('i'), c32(r)), I('lda')))));
    for (let g = 0; g < G; g++) {
      lines.push(set(`s${r}${g}`, `(f64.load ${add(I('ar'), mul(add(I('p'), c32(g)), c32(8)))})`));
      lines.push(set(`a${r}${g}`, `(f64x2.splat ${I(`s${r}${g}`)})`));
    }
  }
  for (let g = 0; g < G; g++) lines.push(set(`b${g}`, add(I('b'), mul(add(I('p'), c32(g)), I('ldb')))));
  for (let r = 0; r < R; r++) lines.push(set(`c${r}`, add(I('c'), mul(add(I('i'), c32(r)), I('ldb')))));
  return lines.join('\n');
}

/** All p for the rows i..i+R-1: groups of four up to k4, then one at a time. */
function rowBlock(R: number): string {
  return [
    set('p', c32(0)),
    `(block $groupsDone (loop $groups`,
    `(br_if $groupsDone (i32.ge_u ${I('p')} ${I('k4')}))`,
    loadOperands(R, 4),
    columnLoop(R, 4),
    set('p', add(I('p'), c32(4))),
    `(br $groups)))`,
    `(block $tailDone (loop $tail`,
    `(br_if $tailDone (i32.ge_u ${I('p')} ${I('kb')}))`,
    loadOperands(R, 1),
    columnLoop(R, 1),
    set('p', add(I('p'), c32(1))),
    `(br $tail)))`,
  ].join('\n');
}

export function kernelsWat(): string {
  const R = 4; // rows per pass (2 and 3 measured the same at 1024 x 2000 x 1024)
  const locals: string[] = ['(local $i i32) (local $p i32) (local $jj i32) (local $jvEnd i32) (local $odd i32) (local $lda i32) (local $ldb i32) (local $ar i32)'];
  for (let r = 0; r < 4; r++) {
    locals.push(`(local $c${r} i32)`);
    for (let g = 0; g < 4; g++) locals.push(`(local $a${r}${g} v128) (local $s${r}${g} f64)`);
  }
  for (let g = 0; g < 4; g++) locals.push(`(local $b${g} i32) (local $x${g} v128) (local $y${g} f64)`);
  return `;; Generated by scripts/simulation/kernels-wat.ts (npx tsx scripts/simulation/build-wasm.ts); do not edit.
(module
  (memory (export "memory") 1 65536)
  (func (export "block") (param $a i32) (param $b i32) (param $c i32) (param $rows i32) (param $kb i32) (param $jb i32) (param $k4 i32)
    ${locals.join('\n    ')}
    ${set('lda', mul(I('kb'), c32(8)))}
    ${set('ldb', mul(I('jb'), c32(8)))}
    ${set('jvEnd', mul(`(i32.and ${I('jb')} (i32.const -2))`, c32(8)))}
    ${set('odd', `(i32.and ${I('jb')} (i32.const 1))`)}
    ${set('i', c32(0))}
    (block $quadsDone (loop $quads
      (br_if $quadsDone (i32.gt_u ${add(I('i'), c32(R))} ${I('rows')}))
${rowBlock(R)}
      ${set('i', add(I('i'), c32(R)))}
      (br $quads)))
    (block $rowsDone (loop $single
      (br_if $rowsDone (i32.ge_u ${I('i')} ${I('rows')}))
${rowBlock(1)}
      ${set('i', add(I('i'), c32(1)))}
      (br $single)))
  )
  ${columnKernelsWat()}
  ${fusedUpdateKernel()}
)
`;
}

/**
 * Lane helpers for the column kernels below: V vectors of two columns
 * (f64x2), or V = 0 for one scalar column (f64). Each lane does exactly the
 * scalar arithmetic of its column, so the results are those of the JS loops
 * in spectral.ts bit for bit.
 */
interface Lanes {
  t: 'f64x2' | 'f64';
  count: number;
  load: (addr: string) => string;
  store: (addr: string, value: string) => string;
  splat: (scalar: string) => string;
  zero: string;
  valueType: 'v128' | 'f64';
}
function lanes(V: number): Lanes {
  if (V === 0) {
    return { t: 'f64', count: 1, load: (a) => `(f64.load ${a})`, store: (a, v) => `(f64.store ${a} ${v})`, splat: (s) => s, zero: '(f64.const 0)', valueType: 'f64' };
  }
  return { t: 'f64x2', count: V, load: (a) => `(v128.load ${a})`, store: (a, v) => `(v128.store ${a} ${v})`, splat: (s) => `(f64x2.splat ${s})`, zero: '(v128.const i64x2 0 0)', valueType: 'v128' };
}
const suffix = (V: number) => (V === 0 ? 's' : `v${V}`);
/** Address of lane group g of row `row` (byte address) in the column block. */
const laneAt = (row: string, g: number) => (g === 0 ? row : add(row, c32(16 * g)));

/**
 * `rotations_*(index, cs, count, y, ld)`: Y <- G_{r0} ... Y for the rotations
 * r = count-1 down to 0 of a chunk of spectral.ts's rotation log (index: i32
 * per rotation; cs: (c, s) f64 pairs), on the column block at byte address y
 * (row stride ld bytes). RotationLog.backward's order: consecutive indices i,
 * i+1, ... form a chain whose running coordinate stays in registers (carry);
 * a chain that breaks stores it and loads the next.
 */
function rotationsKernel(V: number): string {
  const L = lanes(V);
  const locals = ['(local $r i32) (local $i i32) (local $prev i32) (local $row i32) (local $row1 i32) (local $csr i32)', `(local $c ${L.valueType}) (local $s ${L.valueType})`];
  for (let g = 0; g < L.count; g++) locals.push(`(local $carry${g} ${L.valueType}) (local $x${g} ${L.valueType})`);
  const storeCarry = Array.from({ length: L.count }, (_, g) => L.store(laneAt(I('row'), g), I(`carry${g}`))).join('\n');
  const loadCarry = Array.from({ length: L.count }, (_, g) => set(`carry${g}`, L.load(laneAt(I('row'), g)))).join('\n');
  const body: string[] = [];
  for (let g = 0; g < L.count; g++) {
    body.push(set(`x${g}`, L.load(laneAt(I('row1'), g))));
    body.push(L.store(laneAt(I('row'), g), `(${L.t}.add (${L.t}.mul ${I('c')} ${I(`carry${g}`)}) (${L.t}.mul ${I('s')} ${I(`x${g}`)}))`));
    body.push(set(`carry${g}`, `(${L.t}.sub (${L.t}.mul ${I('c')} ${I(`x${g}`)}) (${L.t}.mul ${I('s')} ${I(`carry${g}`)}))`));
  }
  return `(func (export "rotations_${suffix(V)}") (param $index i32) (param $cs i32) (param $count i32) (param $y i32) (param $ld i32)
    ${locals.join('\n    ')}
    ${set('prev', c32(-2))}
    ${set('r', I('count'))}
    (block $done (loop $next
      (br_if $done (i32.eqz ${I('r')}))
      ${set('r', `(i32.sub ${I('r')} (i32.const 1))`)}
      ${set('i', `(i32.load ${add(I('index'), mul(I('r'), c32(4)))})`)}
      ${set('csr', add(I('cs'), mul(I('r'), c32(16))))}
      ${set('c', L.splat(`(f64.load ${I('csr')})`))}
      ${set('s', L.splat(`(f64.load offset=8 ${I('csr')})`))}
      ${set('row', add(I('y'), mul(I('i'), I('ld'))))}
      (if (i32.ne ${I('i')} ${add(I('prev'), c32(1))}) (then
        (if (i32.ge_s ${I('prev')} (i32.const 0)) (then
          ${set('row1', I('row'))}
          ${set('row', add(I('y'), mul(add(I('prev'), c32(1)), I('ld'))))}
          ${storeCarry}
          ${set('row', I('row1'))}))
        ${loadCarry}))
      ${set('row1', add(I('row'), I('ld')))}
      ${body.join('\n      ')}
      ${set('prev', I('i'))}
      (br $next)))
    (if (i32.ge_s ${I('prev')} (i32.const 0)) (then
      ${set('row', add(I('y'), mul(add(I('prev'), c32(1)), I('ld'))))}
      ${storeCarry}))
  )`;
}

/**
 * `reflectorPair_*(va, vb, k, n, ta, tb, vab, y, ld)`: H_a H_b applied to
 * rows k-1.. of the column block (a = k - 1 applied second, b = k first;
 * va, vb byte addresses of the reflector rows, entry i at + 8 i), as
 * spectral.ts applyReflectors: s_b = tb (v_b . y), s_a = ta (v_a . y - s_b
 * vab), y <- y - s_b v_b - s_a v_a.
 */
function reflectorPairKernel(V: number): string {
  const L = lanes(V);
  const locals = ['(local $i i32) (local $row i32) (local $rowk i32)', `(local $w ${L.valueType}) (local $u ${L.valueType})`];
  for (let g = 0; g < L.count; g++) locals.push(`(local $da${g} ${L.valueType}) (local $db${g} ${L.valueType}) (local $sa${g} ${L.valueType}) (local $sb${g} ${L.valueType}) (local $yv${g} ${L.valueType})`);
  const vaAt = (i: string) => `(f64.load ${add(I('va'), mul(i, c32(8)))})`;
  const vbAt = (i: string) => `(f64.load ${add(I('vb'), mul(i, c32(8)))})`;
  const dots: string[] = [];
  const updates: string[] = [];
  for (let g = 0; g < L.count; g++) {
    dots.push(set(`yv${g}`, L.load(laneAt(I('row'), g))));
    dots.push(set(`da${g}`, `(${L.t}.add ${I(`da${g}`)} (${L.t}.mul ${I('w')} ${I(`yv${g}`)}))`));
    dots.push(set(`db${g}`, `(${L.t}.add ${I(`db${g}`)} (${L.t}.mul ${I('u')} ${I(`yv${g}`)}))`));
    updates.push(L.store(laneAt(I('row'), g), `(${L.t}.sub ${L.load(laneAt(I('row'), g))} (${L.t}.add (${L.t}.mul ${I(`sb${g}`)} ${I('u')}) (${L.t}.mul ${I(`sa${g}`)} ${I('w')})))`));
  }
  const init: string[] = [set('rowk', add(I('y'), mul(I('k'), I('ld')))), set('w', L.splat(vaAt(I('k'))))];
  const finish: string[] = [];
  for (let g = 0; g < L.count; g++) {
    init.push(set(`da${g}`, `(${L.t}.mul ${L.load(laneAt(I('rowk'), g))} ${I('w')})`));
    init.push(set(`db${g}`, L.zero));
    finish.push(set(`sb${g}`, `(${L.t}.mul ${L.splat(I('tb'))} ${I(`db${g}`)})`));
    finish.push(set(`sa${g}`, `(${L.t}.mul ${L.splat(I('ta'))} (${L.t}.sub ${I(`da${g}`)} (${L.t}.mul ${I(`sb${g}`)} ${L.splat(I('vab'))})))`));
    finish.push(L.store(laneAt(I('rowk'), g), `(${L.t}.sub ${L.load(laneAt(I('rowk'), g))} (${L.t}.mul ${I(`sa${g}`)} ${I('w')}))`));
  }
  finish.unshift(set('w', L.splat(vaAt(I('k'))))); // w held v_a[i] of the last row of the dot loop
  const rowLoop = (inner: string[]) => `${set('i', add(I('k'), c32(1)))}
    (block $end (loop $rows
      (br_if $end (i32.ge_u ${I('i')} ${I('n')}))
      ${set('row', add(I('y'), mul(I('i'), I('ld'))))}
      ${set('w', L.splat(vaAt(I('i'))))}
      ${set('u', L.splat(vbAt(I('i'))))}
      ${inner.join('\n      ')}
      ${set('i', add(I('i'), c32(1)))}
      (br $rows)))`;
  return `(func (export "reflectorPair_${suffix(V)}") (param $va i32) (param $vb i32) (param $k i32) (param $n i32) (param $ta f64) (param $tb f64) (param $vab f64) (param $y i32) (param $ld i32)
    ${locals.join('\n    ')}
    ${init.join('\n    ')}
    ${rowLoop(dots)}
    ${finish.join('\n    ')}
    ${rowLoop(updates)}
  )`;
}

/** `reflector_*(v, k, n, t, y, ld)`: y <- (I - t v v^T) y on rows k+1..n-1 (spectral.ts reflect, per column). */
function reflectorKernel(V: number): string {
  const L = lanes(V);
  const locals = ['(local $i i32) (local $row i32)', `(local $w ${L.valueType})`];
  for (let g = 0; g < L.count; g++) locals.push(`(local $d${g} ${L.valueType})`);
  const vAt = (i: string) => `(f64.load ${add(I('v'), mul(i, c32(8)))})`;
  const dots: string[] = [];
  const updates: string[] = [];
  const scale: string[] = [];
  for (let g = 0; g < L.count; g++) {
    dots.push(set(`d${g}`, `(${L.t}.add ${I(`d${g}`)} (${L.t}.mul ${I('w')} ${L.load(laneAt(I('row'), g))}))`));
    updates.push(L.store(laneAt(I('row'), g), `(${L.t}.sub ${L.load(laneAt(I('row'), g))} (${L.t}.mul ${I(`d${g}`)} ${I('w')}))`));
    scale.push(set(`d${g}`, `(${L.t}.mul ${I(`d${g}`)} ${L.splat(I('t'))})`));
  }
  const rowLoop = (inner: string[]) => `${set('i', add(I('k'), c32(1)))}
    (block $end (loop $rows
      (br_if $end (i32.ge_u ${I('i')} ${I('n')}))
      ${set('row', add(I('y'), mul(I('i'), I('ld'))))}
      ${set('w', L.splat(vAt(I('i'))))}
      ${inner.join('\n      ')}
      ${set('i', add(I('i'), c32(1)))}
      (br $rows)))`;
  return `(func (export "reflector_${suffix(V)}") (param $v i32) (param $k i32) (param $n i32) (param $t f64) (param $y i32) (param $ld i32)
    ${locals.join('\n    ')}
    ${Array.from({ length: L.count }, (_, g) => set(`d${g}`, L.zero)).join('\n    ')}
    ${rowLoop(dots)}
    ${scale.join('\n    ')}
    ${rowLoop(updates)}
  )`;
}

/** The column-kernel widths: four vectors (8 columns), one vector (2), one scalar column. */
export const COLUMN_KERNEL_VECTORS = [4, 1, 0] as const;

export function columnKernelsWat(): string {
  return COLUMN_KERNEL_VECTORS.map((V) => [rotationsKernel(V), reflectorPairKernel(V), reflectorKernel(V)].join('\n  ')).join('\n  ');
}

/**
 * `fusedUpdate(W, n, v, u, j0, w, p)`: spectral.ts fusedUpdateProduct with
 * j in lanes (two columns per f64x2): rows and columns j0..n-1 of the lower
 * triangle of W (byte address W, order n) get A <- A - v w^T - w v^T, and p =
 * A u from the updated entries (v, u: byte addresses of the reflector rows;
 * w, p: byte addresses of those arrays; p[j0..] must be zero on entry). The
 * row sums run as two lane sums (j0, j0+2, ... and j0+1, j0+3, ...), an odd
 * last j into lane 0, then lane 0 + lane 1: the JS loop's order.
 */
function fusedUpdateKernel(): string {
  const f = (name: string) => `(local.get $${name})`;
  const ld = (addr: string) => `(f64.load ${addr})`;
  const at = (base: string, index: string) => add(base, mul(index, c32(8)));
  const vecRow = (name: string, rowVar: string, V: string, Wv: string) =>
    set(name, `(f64x2.sub (v128.load ${add(f(rowVar), f('jj'))}) (f64x2.add (f64x2.mul ${V} ${f('wj')}) (f64x2.mul ${Wv} ${f('vj')})))`);
  const scalarRow = (name: string, rowVar: string, vS: string, wS: string) =>
    set(name, `(f64.sub (f64.load ${add(f(rowVar), f('jj'))}) (f64.add (f64.mul ${vS} ${f('wjs')}) (f64.mul ${wS} ${f('vjs')})))`);
  return `(func (export "fusedUpdate") (param $W i32) (param $n i32) (param $v i32) (param $u i32) (param $j0 i32) (param $w i32) (param $p i32)
    (local $i i32) (local $jj i32) (local $iEnd i32) (local $ra i32) (local $rb i32)
    (local $va f64) (local $wa f64) (local $ua f64) (local $vb f64) (local $wb f64) (local $ub f64)
    (local $VA v128) (local $WA v128) (local $UA v128) (local $VB v128) (local $WB v128) (local $UB v128)
    (local $vj v128) (local $wj v128) (local $uj v128) (local $A v128) (local $B v128) (local $SA v128) (local $SB v128)
    (local $vjs f64) (local $wjs f64) (local $ujs f64) (local $as f64) (local $bs f64) (local $sa f64) (local $sb f64)
    (local $diagA f64) (local $diagB f64)
    ${set('i', f('j0'))}
    (block $pairsDone (loop $pairs
      (br_if $pairsDone (i32.ge_s ${add(f('i'), c32(1))} ${f('n')}))
      ${set('ra', add(f('W'), mul(mul(f('i'), f('n')), c32(8))))}
      ${set('rb', add(f('ra'), mul(f('n'), c32(8))))}
      ${set('va', ld(at(f('v'), f('i'))))} ${set('wa', ld(at(f('w'), f('i'))))} ${set('ua', ld(at(f('u'), f('i'))))}
      ${set('vb', ld(at(f('v'), add(f('i'), c32(1)))))} ${set('wb', ld(at(f('w'), add(f('i'), c32(1)))))} ${set('ub', ld(at(f('u'), add(f('i'), c32(1)))))}
      ${set('VA', `(f64x2.splat ${f('va')})`)} ${set('WA', `(f64x2.splat ${f('wa')})`)} ${set('UA', `(f64x2.splat ${f('ua')})`)}
      ${set('VB', `(f64x2.splat ${f('vb')})`)} ${set('WB', `(f64x2.splat ${f('wb')})`)} ${set('UB', `(f64x2.splat ${f('ub')})`)}
      ${set('SA', '(v128.const i64x2 0 0)')} ${set('SB', '(v128.const i64x2 0 0)')}
      ${set('jj', mul(f('j0'), c32(8)))}
      ${set('iEnd', mul(f('i'), c32(8)))}
      (block $vecDone (loop $vec
        (br_if $vecDone (i32.gt_s ${add(f('jj'), c32(16))} ${f('iEnd')}))
        ${set('vj', `(v128.load ${add(f('v'), f('jj'))})`)} ${set('wj', `(v128.load ${add(f('w'), f('jj'))})`)} ${set('uj', `(v128.load ${add(f('u'), f('jj'))})`)}
        ${vecRow('A', 'ra', f('VA'), f('WA'))}
        ${vecRow('B', 'rb', f('VB'), f('WB'))}
        (v128.store ${add(f('ra'), f('jj'))} ${f('A')})
        (v128.store ${add(f('rb'), f('jj'))} ${f('B')})
        ${set('SA', `(f64x2.add ${f('SA')} (f64x2.mul ${f('A')} ${f('uj')}))`)}
        ${set('SB', `(f64x2.add ${f('SB')} (f64x2.mul ${f('B')} ${f('uj')}))`)}
        (v128.store ${add(f('p'), f('jj'))} (f64x2.add (v128.load ${add(f('p'), f('jj'))}) (f64x2.add (f64x2.mul ${f('A')} ${f('UA')}) (f64x2.mul ${f('B')} ${f('UB')}))))
        ${set('jj', add(f('jj'), c32(16)))}
        (br $vec)))
      ${set('sa', `(f64x2.extract_lane 0 ${f('SA')})`)} ${set('sb', `(f64x2.extract_lane 0 ${f('SB')})`)}
      (if (i32.lt_s ${f('jj')} ${f('iEnd')}) (then
        ${set('vjs', ld(add(f('v'), f('jj'))))} ${set('wjs', ld(add(f('w'), f('jj'))))} ${set('ujs', ld(add(f('u'), f('jj'))))}
        ${scalarRow('as', 'ra', f('va'), f('wa'))}
        ${scalarRow('bs', 'rb', f('vb'), f('wb'))}
        (f64.store ${add(f('ra'), f('jj'))} ${f('as')})
        (f64.store ${add(f('rb'), f('jj'))} ${f('bs')})
        ${set('sa', `(f64.add ${f('sa')} (f64.mul ${f('as')} ${f('ujs')}))`)}
        ${set('sb', `(f64.add ${f('sb')} (f64.mul ${f('bs')} ${f('ujs')}))`)}
        (f64.store ${add(f('p'), f('jj'))} (f64.add ${ld(add(f('p'), f('jj')))} (f64.add (f64.mul ${f('as')} ${f('ua')}) (f64.mul ${f('bs')} ${f('ub')}))))))
      ${set('sa', `(f64.add ${f('sa')} (f64x2.extract_lane 1 ${f('SA')}))`)}
      ${set('sb', `(f64.add ${f('sb')} (f64x2.extract_lane 1 ${f('SB')}))`)}
      ;; diagonal block: diagA = W[i][i] - 2 va wa, b = W[i+1][i] - (vb wa + wb va), diagB = W[i+1][i+1] - 2 vb wb
      ${set('diagA', `(f64.sub ${ld(add(f('ra'), f('iEnd')))} (f64.mul (f64.mul (f64.const 2) ${f('va')}) ${f('wa')}))`)}
      (f64.store ${add(f('ra'), f('iEnd'))} ${f('diagA')})
      ${set('bs', `(f64.sub ${ld(add(f('rb'), f('iEnd')))} (f64.add (f64.mul ${f('vb')} ${f('wa')}) (f64.mul ${f('wb')} ${f('va')})))`)}
      (f64.store ${add(f('rb'), f('iEnd'))} ${f('bs')})
      ${set('diagB', `(f64.sub (f64.load offset=8 ${add(f('rb'), f('iEnd'))}) (f64.mul (f64.mul (f64.const 2) ${f('vb')}) ${f('wb')}))`)}
      (f64.store offset=8 ${add(f('rb'), f('iEnd'))} ${f('diagB')})
      (f64.store ${add(f('p'), f('iEnd'))} (f64.add ${ld(add(f('p'), f('iEnd')))} (f64.add (f64.add ${f('sa')} (f64.mul ${f('diagA')} ${f('ua')})) (f64.mul ${f('bs')} ${f('ub')}))))
      (f64.store offset=8 ${add(f('p'), f('iEnd'))} (f64.add (f64.load offset=8 ${add(f('p'), f('iEnd'))}) (f64.add (f64.add ${f('sb')} (f64.mul ${f('bs')} ${f('ua')})) (f64.mul ${f('diagB')} ${f('ub')}))))
      ${set('i', add(f('i'), c32(2)))}
      (br $pairs)))
    (if (i32.lt_s ${f('i')} ${f('n')}) (then
      ${set('ra', add(f('W'), mul(mul(f('i'), f('n')), c32(8))))}
      ${set('va', ld(at(f('v'), f('i'))))} ${set('wa', ld(at(f('w'), f('i'))))} ${set('ua', ld(at(f('u'), f('i'))))}
      ${set('VA', `(f64x2.splat ${f('va')})`)} ${set('WA', `(f64x2.splat ${f('wa')})`)} ${set('UA', `(f64x2.splat ${f('ua')})`)}
      ${set('SA', '(v128.const i64x2 0 0)')}
      ${set('jj', mul(f('j0'), c32(8)))}
      ${set('iEnd', mul(f('i'), c32(8)))}
      (block $vecDone (loop $vec
        (br_if $vecDone (i32.gt_s ${add(f('jj'), c32(16))} ${f('iEnd')}))
        ${set('vj', `(v128.load ${add(f('v'), f('jj'))})`)} ${set('wj', `(v128.load ${add(f('w'), f('jj'))})`)} ${set('uj', `(v128.load ${add(f('u'), f('jj'))})`)}
        ${vecRow('A', 'ra', f('VA'), f('WA'))}
        (v128.store ${add(f('ra'), f('jj'))} ${f('A')})
        ${set('SA', `(f64x2.add ${f('SA')} (f64x2.mul ${f('A')} ${f('uj')}))`)}
        (v128.store ${add(f('p'), f('jj'))} (f64x2.add (v128.load ${add(f('p'), f('jj'))}) (f64x2.mul ${f('A')} ${f('UA')})))
        ${set('jj', add(f('jj'), c32(16)))}
        (br $vec)))
      ${set('sa', `(f64x2.extract_lane 0 ${f('SA')})`)}
      (if (i32.lt_s ${f('jj')} ${f('iEnd')}) (then
        ${set('vjs', ld(add(f('v'), f('jj'))))} ${set('wjs', ld(add(f('w'), f('jj'))))} ${set('ujs', ld(add(f('u'), f('jj'))))}
        ${scalarRow('as', 'ra', f('va'), f('wa'))}
        (f64.store ${add(f('ra'), f('jj'))} ${f('as')})
        ${set('sa', `(f64.add ${f('sa')} (f64.mul ${f('as')} ${f('ujs')}))`)}
        (f64.store ${add(f('p'), f('jj'))} (f64.add ${ld(add(f('p'), f('jj')))} (f64.mul ${f('as')} ${f('ua')})))))
      ${set('sa', `(f64.add ${f('sa')} (f64x2.extract_lane 1 ${f('SA')}))`)}
      ${set('diagA', `(f64.sub ${ld(add(f('ra'), f('iEnd')))} (f64.mul (f64.mul (f64.const 2) ${f('va')}) ${f('wa')}))`)}
      (f64.store ${add(f('ra'), f('iEnd'))} ${f('diagA')})
      (f64.store ${add(f('p'), f('iEnd'))} (f64.add ${ld(add(f('p'), f('iEnd')))} (f64.add ${f('sa')} (f64.mul ${f('diagA')} ${f('ua')}))))))
  )`;
}

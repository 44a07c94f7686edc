/**
 * How to combine: weighted sums of transform values at a plan's nodes
 * (THEORY E13, E15). Loops are allocation-free apart from the output array,
 * which callers may pass in (STYLE 12).
 */

import { InvalidArgumentError } from '../../core/errors.js';
import type { InversionPlan } from './types.js';

/** Complex values side by side (STYLE 12). */
export interface ComplexArray {
  readonly re: Float64Array;
  readonly im: Float64Array;
}

/**
 * Per group, the two n x n complex matrices (row-major, index a*n + b) of a
 * symmetric two-variable transform F(s, s') = F(s', s) with F(conj s, conj s')
 * = conj F(s, s'):
 *   same[a][b]  = F(s_a, s_b),
 *   cross[a][b] = F(s_a, conj s_b).
 * Only a <= b need be computed: mirrorTriangle fills the rest.
 */
export interface PairValues {
  readonly same: ComplexArray;
  readonly cross: ComplexArray;
}

function checkOut(plan: InversionPlan, out: Float64Array | undefined): Float64Array {
  if (out === undefined) return new Float64Array(plan.t.length);
  if (!(out instanceof Float64Array) || out.length !== plan.t.length) {
    throw new InvalidArgumentError('out', `must be a Float64Array of length ${plan.t.length}`, out?.length);
  }
  return out;
}

function checkComplex(name: string, v: ComplexArray | undefined, length: number): void {
  if (!v || !(v.re instanceof Float64Array) || !(v.im instanceof Float64Array) || v.re.length !== length || v.im.length !== length) {
    throw new InvalidArgumentError(name, `must have Float64Array re and im of length ${length}`, v?.re?.length);
  }
}

/**
 * Single transform: f(t_i) = 2 Re sum_j V_ij F(s_j) (THEORY E13).
 * values[g] holds F at group g's nodes. Returns f at plan.t (into `out` if given).
 * Non-finite F values propagate to NaN/Inf in f (callers check; invertLaplace
 * reports status 'non_finite').
 */
export function invert1(plan: InversionPlan, values: readonly ComplexArray[], out?: Float64Array): Float64Array {
  if (!Array.isArray(values) || values.length !== plan.groups.length) {
    throw new InvalidArgumentError('values', `must have one entry per group (${plan.groups.length})`, values?.length);
  }
  const f = checkOut(plan, out);
  for (let g = 0; g < plan.groups.length; g++) {
    const grp = plan.groups[g];
    const n = grp.re.length;
    const v = values[g];
    checkComplex(`values[${g}]`, v, n);
    const fr = v.re;
    const fi = v.im;
    for (let i = grp.tStart; i < grp.tEnd; i++) {
      const row = (i - grp.tStart) * n;
      let acc = 0;
      for (let j = 0; j < n; j++) {
        const wr = grp.wRe[row + j];
        const wi = grp.wIm[row + j];
        if (wr === 0 && wi === 0) continue; // underflowed weight: skip (0 * Inf would be NaN)
        acc += wr * fr[j] - wi * fi[j];
      }
      f[i] = 2 * acc;
    }
  }
  return f;
}

/**
 * Double transform on the diagonal (THEORY E15), product of two one-variable
 * rules on the same plan:
 *   f(t) = ILT2[F](t, t) = sum over all nodes (upper and conjugate) of
 *          W_a W_b F(z_a, z_b)
 *        = 2 Re sum_{a,b} [V_a V_b F(s_a, s_b) + V_a conj(V_b) F(s_a, conj s_b)],
 * since the lower-lower block is the conjugate of the upper-upper block and the
 * lower-upper block the conjugate of the upper-lower one (F(conj s, conj s') =
 * conj F(s, s')). Computed per time as sum_a V_a (sum_b V_b S_ab + conj(V_b) C_ab).
 *
 * Where it fails: the product rule needs s' -> F(s, s') analytic right of the
 * contour for every s on it. Sums of products g(s) h(s') with singularities on
 * the negative axis (the resolvent form of Lsig, THEORY E15) qualify; a
 * coupling such as 1/(s + s' + c) does not (its pole -c - s moves right of the
 * contour when s runs far left), and the product rule is then wrong.
 */
export function invert2Diagonal(plan: InversionPlan, pairValues: readonly PairValues[], out?: Float64Array): Float64Array {
  if (!Array.isArray(pairValues) || pairValues.length !== plan.groups.length) {
    throw new InvalidArgumentError('pairValues', `must have one entry per group (${plan.groups.length})`, pairValues?.length);
  }
  const f = checkOut(plan, out);
  for (let g = 0; g < plan.groups.length; g++) {
    const grp = plan.groups[g];
    const n = grp.re.length;
    const pv = pairValues[g];
    checkComplex(`pairValues[${g}].same`, pv?.same, n * n);
    checkComplex(`pairValues[${g}].cross`, pv?.cross, n * n);
    const sr = pv.same.re;
    const si = pv.same.im;
    const cr = pv.cross.re;
    const ci = pv.cross.im;
    for (let i = grp.tStart; i < grp.tEnd; i++) {
      const row = (i - grp.tStart) * n;
      let acc = 0;
      for (let a = 0; a < n; a++) {
        const war = grp.wRe[row + a];
        const wai = grp.wIm[row + a];
        if (war === 0 && wai === 0) continue;
        // inner_a = sum_b V_b S_ab + conj(V_b) C_ab
        let ir = 0;
        let ii = 0;
        const base = a * n;
        for (let b = 0; b < n; b++) {
          const wbr = grp.wRe[row + b];
          const wbi = grp.wIm[row + b];
          if (wbr === 0 && wbi === 0) continue;
          const s1 = sr[base + b];
          const s2 = si[base + b];
          const c1 = cr[base + b];
          const c2 = ci[base + b];
          ir += wbr * s1 - wbi * s2 + wbr * c1 + wbi * c2;
          ii += wbr * s2 + wbi * s1 + wbr * c2 - wbi * c1;
        }
        acc += war * ir - wai * ii;
      }
      f[i] = 2 * acc;
    }
  }
  return f;
}

/**
 * Fills the strict lower triangle (a > b) from the upper one (a < b) in place:
 *   same[b][a]  = same[a][b]          (F(s, s') = F(s', s)),
 *   cross[b][a] = conj(cross[a][b])   (F(s_b, conj s_a) = F(conj s_a, s_b)
 *                                      = conj F(s_a, conj s_b)).
 * The diagonal of cross is real for such F (cross[a][a] = F(s_a, conj s_a) =
 * conj of itself); it is left as supplied.
 */
export function mirrorTriangle(values: PairValues, n: number): PairValues {
  checkComplex('values.same', values?.same, n * n);
  checkComplex('values.cross', values?.cross, n * n);
  const { same, cross } = values;
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      same.re[b * n + a] = same.re[a * n + b];
      same.im[b * n + a] = same.im[a * n + b];
      cross.re[b * n + a] = cross.re[a * n + b];
      cross.im[b * n + a] = -cross.im[a * n + b];
    }
  }
  return values;
}

/**
 * The nested sub-rules of a single transform (trapezoid grids, PlanGroup.nest; THEORY E13): per time,
 * [T(h) - T(2h), T(h) - T(4h), edge], where T(k h) = 2 Re sum_{nest_j >= k} k V_ij F(s_j) and edge = 2 |V F| at
 * the group's last node (the truncation indicator). NaN for the times of groups without sub-rules. Input of
 * verify.ts nestedSpread.
 */
export function nestedDiffs1(plan: InversionPlan, values: readonly ComplexArray[]): [Float64Array, Float64Array, Float64Array] {
  const d2 = new Float64Array(plan.t.length).fill(NaN);
  const d4 = new Float64Array(plan.t.length).fill(NaN);
  const edge = new Float64Array(plan.t.length).fill(NaN);
  plan.groups.forEach((grp, g) => {
    const nest = grp.nest;
    if (nest === undefined) return;
    const n = grp.re.length;
    const { re: fr, im: fi } = values[g];
    for (let i = grp.tStart; i < grp.tEnd; i++) {
      const row = (i - grp.tStart) * n;
      let all = 0;
      let half = 0;
      let quarter = 0;
      for (let j = 0; j < n; j++) {
        const wr = grp.wRe[row + j];
        const wi = grp.wIm[row + j];
        if (wr === 0 && wi === 0) continue;
        const term = wr * fr[j] - wi * fi[j];
        all += term;
        if (nest[j] >= 2) half += term;
        if (nest[j] >= 4) quarter += term;
      }
      d2[i] = 2 * (all - 2 * half);
      d4[i] = 2 * (all - 4 * quarter);
      edge[i] = 2 * Math.hypot(grp.wRe[row + n - 1], grp.wIm[row + n - 1]) * Math.hypot(fr[n - 1], fi[n - 1]);
    }
  });
  return [d2, d4, edge];
}

/** sum_j 2 |V_ij F_j| per time: the size of the terms of a single transform (round-off floor). */
export function magnitude1(plan: InversionPlan, values: readonly ComplexArray[]): Float64Array {
  const m = new Float64Array(plan.t.length);
  plan.groups.forEach((g, k) => {
    const n = g.re.length;
    for (let i = g.tStart; i < g.tEnd; i++) {
      const row = (i - g.tStart) * n;
      let acc = 0;
      for (let j = 0; j < n; j++) acc += Math.hypot(g.wRe[row + j], g.wIm[row + j]) * Math.hypot(values[k].re[j], values[k].im[j]);
      m[i] = 2 * acc;
    }
  });
  return m;
}

/**
 * Loss curves on a time grid (THEORY E13-E16b).
 *
 * Per inversion method and node group:
 *  1. kappa(s) at the group's upper-half-plane nodes (kappa.ts, E15a),
 *     continued from the contour's real-axis crossing, which must lie right
 *     of 0 (the pole / branch point of the DMFT transforms, E15a): otherwise
 *     'singularity_right_of_contour' and no value is inverted silently.
 *  2. H_k(s_j) = 1 / (s_j + lambda_k R(s_j)) for every mode (E9), stored
 *     n x K as Float64Arrays.
 *  3. Bias B(t) = sum_k c_k H_k(t)^2 (E14) by inverting H_k per mode: cost
 *     T n K (cheaper than the n^2 K pair sums, and a single transform is more
 *     accurate than a double one); the double transform ILT2[B0] is kept as
 *     a consistency diagnostic.
 *  4. One pass over modes per pair of nodes (a <= b, both F(s_a, s_b) and
 *     F(s_a, conj s_b)): Gam, S, B0, B1 (E15b), then per pair the closed forms
 *     (E15c, E15d, E16, E16a), mirrored and combined by the product rule
 *     (inversion/combine.ts invert2Diagonal).
 *  5. The train loss's noise term sigma^2 [1 - ILT[Q/(s P)](2t)] (E16) on a
 *     second plan at the times 2t.
 * Two methods (default hyperbolic and parabolic, both windowed [WT07]); the
 * primary's values are returned and the spread is the error estimate.
 */
import type { Status } from '../core/solution.js';
import { worstStatus } from '../core/solution.js';
import { crossingPoint, invert1, invert2Diagonal, makePlan, mirrorTriangle } from './inversion/index.js';
import type { ComplexArray, InversionMethodName, InversionPlan, PairValues } from './inversion/index.js';
import { solveKappaNodes, type KappaContext, type KappaNodes } from './kappa.js';
import type { ModeSet } from './modes.js';

export interface MethodPassOptions {
  method: InversionMethodName;
  nodes?: number;
  windowRatio?: number;
  sigma: number;
  /** Compute the variance terms (E15) or only the bias (negative control: test = sigma^2 + B). */
  varianceTerm: boolean;
  /** A prebuilt plan for tPos (tests: contours that violate the analyticity requirement). */
  plan?: InversionPlan;
}

/** Values of one method at the positive finite times (ascending). */
export interface MethodPass {
  test: Float64Array;
  train: Float64Array;
  bias: Float64Array;
  biasDouble: Float64Array;
  testA: Float64Array;
  statusPerTime: Status[];
  iterations: number;
  maxResidual: number;
  nodes: number;
  groups: number;
  messages: string[];
  settings: Readonly<Record<string, number | string>>;
}

interface GroupKappa {
  nodes: KappaNodes;
  crossing: number;
}

function solveGroups(ctx: KappaContext, plan: InversionPlan): GroupKappa[] {
  return plan.groups.map((grp, g) => {
    const crossing = crossingPoint(plan, g);
    // Continue from the crossing (or from |s| of the first node if the crossing is not right of 0,
    // which is flagged below and never inverted).
    const start = crossing > 0 ? crossing : Math.hypot(grp.re[0], grp.im[0]);
    return { nodes: solveKappaNodes(ctx, start, grp.re, grp.im), crossing };
  });
}

function complexArray(n: number): ComplexArray {
  return { re: new Float64Array(n), im: new Float64Array(n) };
}

/** One inversion method over the whole time grid (see the file comment). */
export function methodPass(ctx: KappaContext, modes: ModeSet, tPos: Float64Array, options: MethodPassOptions): MethodPass {
  const { sigma, varianceTerm } = options;
  const planOptions = { nodes: options.nodes, windowRatio: options.windowRatio };
  const plan = options.plan ?? makePlan(options.method, tPos, planOptions);
  const T = tPos.length;
  const K = modes.lambda.length;
  const { lambda, c, weight } = modes;
  const invN = ctx.invN;
  const invP = ctx.invP;
  const sig2 = sigma * sigma;

  // Per-mode weighted coefficients for the pair sums (E15b), weights folded in.
  const L1 = new Float64Array(K);
  const L2 = new Float64Array(K);
  const C0 = new Float64Array(K);
  const C1 = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    L1[k] = weight[k] * lambda[k];
    L2[k] = weight[k] * lambda[k] * lambda[k];
    C0[k] = weight[k] * c[k];
    C1[k] = weight[k] * lambda[k] * c[k];
  }

  const statusPerTime: Status[] = new Array<Status>(T).fill('converged');
  const messages: string[] = [];
  const bias = new Float64Array(T);
  const groupsKappa = solveGroups(ctx, plan);
  let iterations = 0;
  let maxResidual = 0;
  let nodesTotal = 0;

  const testPairs: PairValues[] = [];
  const trainPairs: PairValues[] = [];
  const testAPairs: PairValues[] = [];
  const b0Pairs: PairValues[] = [];

  const nMax = Math.max(...plan.groups.map((g) => g.re.length));
  const hRe = new Float64Array(nMax * K);
  const hIm = new Float64Array(nMax * K);
  const acc = new Float64Array(K);
  const sums = new Float64Array(16);
  const forms = new Float64Array(6);

  for (let g = 0; g < plan.groups.length; g++) {
    const grp = plan.groups[g];
    const n = grp.re.length;
    const { nodes, crossing } = groupsKappa[g];
    nodesTotal += n;
    iterations += nodes.totalIterations;
    maxResidual = Math.max(maxResidual, nodes.maxResidual);
    let groupStatus: Status = nodes.worst;
    if (nodes.worst !== 'converged') messages.push(...nodes.messages.slice(0, 3));
    if (!(crossing > 0)) {
      // THEORY (E13, E15a): the pole (kappa_c > 0) or branch point of every transform sits at s = 0.
      groupStatus = 'singularity_right_of_contour';
      messages.push(`${options.method} group ${g}: contour crosses the real axis at ${crossing} <= 0, left of the singularity at s = 0`);
    }
    for (let i = grp.tStart; i < grp.tEnd; i++) statusPerTime[i] = worstStatus(statusPerTime[i], groupStatus);

    // H_k(s_j) = 1 / (s_j + lambda_k R_j)   THEORY (E9)
    for (let j = 0; j < n; j++) {
      const sr = grp.re[j];
      const si = grp.im[j];
      const rr = nodes.rRe[j];
      const ri = nodes.rIm[j];
      const off = j * K;
      for (let k = 0; k < K; k++) {
        const dr = sr + lambda[k] * rr;
        const di = si + lambda[k] * ri;
        const inv = 1 / (dr * dr + di * di);
        hRe[off + k] = dr * inv;
        hIm[off + k] = -di * inv;
      }
    }

    // Bias (E14): H_k(t_i) = 2 Re sum_j V_ij H_k(s_j) per mode, then sum_k c_k H_k(t)^2.
    for (let i = grp.tStart; i < grp.tEnd; i++) {
      const row = (i - grp.tStart) * n;
      const b = biasAt(grp.wRe, grp.wIm, row, n, hRe, hIm, K, C0, acc);
      bias[i] = b;
    }

    // Pair sums (E15b) and the closed forms (E15c-d, E16, E16a).
    const test = { same: complexArray(n * n), cross: complexArray(n * n) };
    const train = { same: complexArray(n * n), cross: complexArray(n * n) };
    const testA = { same: complexArray(n * n), cross: complexArray(n * n) };
    const b0v = { same: complexArray(n * n), cross: complexArray(n * n) };
    for (let a = 0; a < n; a++) {
      const offA = a * K;
      for (let bIdx = a; bIdx < n; bIdx++) {
        const offB = bIdx * K;
        pairSums(hRe, hIm, offA, offB, K, L1, L2, C0, C1, sums);
        const idx = a * n + bIdx;
        // same pair (s_a, s_b), then cross pair (s_a, conj s_b) with R(conj s) = conj R(s)
        for (let cross = 0; cross < 2; cross++) {
          const sgn = cross === 0 ? 1 : -1;
          const o = cross * 8;
          pairClosedForms(
            grp.re[a], grp.im[a], nodes.rRe[a], nodes.rIm[a], nodes.r1Re[a], nodes.r1Im[a],
            grp.re[bIdx], sgn * grp.im[bIdx], nodes.rRe[bIdx], sgn * nodes.rIm[bIdx], nodes.r1Re[bIdx], sgn * nodes.r1Im[bIdx],
            sums[o], sums[o + 1], sums[o + 2], sums[o + 3], sums[o + 4], sums[o + 5], sums[o + 6], sums[o + 7],
            invN, invP, sig2, forms,
          );
          const dst = cross === 0 ? 'same' : 'cross';
          test[dst].re[idx] = forms[0];
          test[dst].im[idx] = forms[1];
          train[dst].re[idx] = forms[2];
          train[dst].im[idx] = forms[3];
          testA[dst].re[idx] = forms[4];
          testA[dst].im[idx] = forms[5];
          b0v[dst].re[idx] = sums[o + 4];
          b0v[dst].im[idx] = sums[o + 5];
        }
      }
    }
    for (const pv of [test, train, testA, b0v]) mirrorTriangle(pv, n);
    testPairs.push(test);
    trainPairs.push(train);
    testAPairs.push(testA);
    b0Pairs.push(b0v);
  }

  const biasDouble = invert2Diagonal(plan, b0Pairs);
  let test: Float64Array;
  let testA: Float64Array;
  if (varianceTerm) {
    test = invert2Diagonal(plan, testPairs);
    testA = invert2Diagonal(plan, testAPairs);
  } else {
    // Negative control: the variance from random A and data dropped, L = sigma^2 + B(t).
    test = Float64Array.from(bias);
    testA = Float64Array.from(bias);
  }
  const train = varianceTerm ? invert2Diagonal(plan, trainPairs) : Float64Array.from(bias);
  for (let i = 0; i < T; i++) {
    test[i] += sig2;
    testA[i] += sig2;
  }

  // Train-loss noise term (E16): sigma^2 [1 - ILT[Q(s)/(s P)](2t)].
  if (sig2 > 0) {
    if (invP === 0 || !varianceTerm) {
      for (let i = 0; i < T; i++) train[i] += sig2;
    } else {
      const t2 = tPos.map((x) => 2 * x);
      const plan2 = makePlan(options.method, t2, planOptions);
      const kappa2 = solveGroups(ctx, plan2);
      const values: ComplexArray[] = [];
      for (let g = 0; g < plan2.groups.length; g++) {
        const grp = plan2.groups[g];
        const { nodes, crossing } = kappa2[g];
        iterations += nodes.totalIterations;
        maxResidual = Math.max(maxResidual, nodes.maxResidual);
        let st: Status = nodes.worst;
        if (!(crossing > 0)) st = 'singularity_right_of_contour';
        for (let i = grp.tStart; i < grp.tEnd; i++) statusPerTime[i] = worstStatus(statusPerTime[i], st);
        const n = grp.re.length;
        const v = complexArray(n);
        for (let j = 0; j < n; j++) {
          // Q / (s P)
          const sr = grp.re[j];
          const si = grp.im[j];
          const d = 1 / (sr * sr + si * si);
          v.re[j] = ((nodes.qRe[j] * sr + nodes.qIm[j] * si) * d) * invP;
          v.im[j] = ((nodes.qIm[j] * sr - nodes.qRe[j] * si) * d) * invP;
        }
        values.push(v);
      }
      const q2 = invert1(plan2, values);
      for (let i = 0; i < T; i++) train[i] += sig2 * (1 - q2[i]);
    }
  }
  for (let i = 0; i < T; i++) {
    if (![test[i], train[i], bias[i], testA[i]].every(Number.isFinite)) statusPerTime[i] = worstStatus(statusPerTime[i], 'non_finite');
  }
  return {
    test,
    train,
    bias,
    biasDouble,
    testA,
    statusPerTime,
    iterations,
    maxResidual,
    nodes: nodesTotal,
    groups: plan.groups.length,
    messages,
    settings: plan.settings,
  };
}

/** H_k(t) = 2 Re sum_j V_j H_k(s_j) per mode (E13), then sum_k c_k H_k(t)^2 (E14). */
function biasAt(
  wRe: Float64Array, wIm: Float64Array, row: number, n: number,
  hRe: Float64Array, hIm: Float64Array, K: number, C0: Float64Array, acc: Float64Array,
): number {
  acc.fill(0);
  for (let j = 0; j < n; j++) {
    const wr = wRe[row + j];
    const wi = wIm[row + j];
    if (wr === 0 && wi === 0) continue;
    const off = j * K;
    for (let k = 0; k < K; k++) acc[k] += wr * hRe[off + k] - wi * hIm[off + k];
  }
  let b = 0;
  for (let k = 0; k < K; k++) {
    const h = 2 * acc[k];
    b += C0[k] * h * h;
  }
  return b;
}

/**
 * THEORY (E15b) for one pair of nodes, in one pass over the modes: with
 * p = H_k(s_a) H_k(s_b) (same) and q = H_k(s_a) conj H_k(s_b) = H_k(s_a) H_k(conj s_b)
 * (cross), out = [Gam, S, B0, B1] (re, im) for p then for q.
 */
function pairSums(
  hRe: Float64Array, hIm: Float64Array, offA: number, offB: number, K: number,
  L1: Float64Array, L2: Float64Array, C0: Float64Array, C1: Float64Array, out: Float64Array,
): void {
  let gsr = 0, gsi = 0, ssr = 0, ssi = 0, b0sr = 0, b0si = 0, b1sr = 0, b1si = 0;
  let gcr = 0, gci = 0, scr = 0, sci = 0, b0cr = 0, b0ci = 0, b1cr = 0, b1ci = 0;
  for (let k = 0; k < K; k++) {
    const ar = hRe[offA + k];
    const ai = hIm[offA + k];
    const br = hRe[offB + k];
    const bi = hIm[offB + k];
    const pr = ar * br - ai * bi;
    const pi = ar * bi + ai * br;
    const qr = ar * br + ai * bi;
    const qi = ai * br - ar * bi;
    const l1 = L1[k];
    const l2 = L2[k];
    const c0 = C0[k];
    const c1 = C1[k];
    gsr += l2 * pr;
    gsi += l2 * pi;
    ssr += l1 * pr;
    ssi += l1 * pi;
    b0sr += c0 * pr;
    b0si += c0 * pi;
    b1sr += c1 * pr;
    b1si += c1 * pi;
    gcr += l2 * qr;
    gci += l2 * qi;
    scr += l1 * qr;
    sci += l1 * qi;
    b0cr += c0 * qr;
    b0ci += c0 * qi;
    b1cr += c1 * qr;
    b1ci += c1 * qi;
  }
  out[0] = gsr; out[1] = gsi; out[2] = ssr; out[3] = ssi;
  out[4] = b0sr; out[5] = b0si; out[6] = b1sr; out[7] = b1si;
  out[8] = gcr; out[9] = gci; out[10] = scr; out[11] = sci;
  out[12] = b0cr; out[13] = b0ci; out[14] = b1cr; out[15] = b1ci;
}

/**
 * The two-point closed forms for one pair (s, s'), complex arithmetic written
 * out (O(1) per pair; the mode loop is pairSums):
 *   THEORY (E15c): gN = R R' Gam / N, gP = R R' Gam / P,
 *                  D = (R R' S / N) / (1 - gN), c1 = gP + s s' S D / P;
 *   THEORY (E15d): Lsig = (B0 + D B1) / (1 - c1), Lnoise = sigma^2 c1 / (s s' (1 - c1));
 *   THEORY (E16):  train integrand R1 R1' Lsig;
 *   THEORY (E16a): L_A integrand (B0 + sigma^2 gP / (s s')) / (1 - gP).
 * out = [test re, im, train re, im, L_A re, im] with test = Lsig + Lnoise.
 */
function pairClosedForms(
  sr: number, si: number, rr: number, ri: number, r1r: number, r1i: number,
  s2r: number, s2i: number, r2r: number, r2i: number, r12r: number, r12i: number,
  gamR: number, gamI: number, sR: number, sI: number, b0r: number, b0i: number, b1r: number, b1i: number,
  invN: number, invP: number, sig2: number, out: Float64Array,
): void {
  // RR = R R'
  const RRr = rr * r2r - ri * r2i;
  const RRi = rr * r2i + ri * r2r;
  // RR Gam
  const rgr = RRr * gamR - RRi * gamI;
  const rgi = RRr * gamI + RRi * gamR;
  const gNr = rgr * invN;
  const gNi = rgi * invN;
  const gPr = rgr * invP;
  const gPi = rgi * invP;
  // D = (RR S / N) / (1 - gN)
  let Dr = 0;
  let Di = 0;
  if (invN !== 0) {
    const nr = (RRr * sR - RRi * sI) * invN;
    const ni = (RRr * sI + RRi * sR) * invN;
    const dr = 1 - gNr;
    const di = -gNi;
    const dd = dr * dr + di * di;
    Dr = (nr * dr + ni * di) / dd;
    Di = (ni * dr - nr * di) / dd;
  }
  // ss = s s'
  const ssr = sr * s2r - si * s2i;
  const ssi = sr * s2i + si * s2r;
  // c1 = gP + ss S D / P
  const xr = ssr * sR - ssi * sI;
  const xi = ssr * sI + ssi * sR;
  const c1r = gPr + (xr * Dr - xi * Di) * invP;
  const c1i = gPi + (xr * Di + xi * Dr) * invP;
  const omr = 1 - c1r;
  const omi = -c1i;
  const omd = omr * omr + omi * omi;
  // Lsig = (B0 + D B1) / (1 - c1)
  const numr = b0r + Dr * b1r - Di * b1i;
  const numi = b0i + Dr * b1i + Di * b1r;
  const lsr = (numr * omr + numi * omi) / omd;
  const lsi = (numi * omr - numr * omi) / omd;
  // Lnoise = sigma^2 c1 / (ss (1 - c1))
  let lnr = 0;
  let lni = 0;
  if (sig2 !== 0) {
    const der = ssr * omr - ssi * omi;
    const dei = ssr * omi + ssi * omr;
    const dd = der * der + dei * dei;
    lnr = (sig2 * (c1r * der + c1i * dei)) / dd;
    lni = (sig2 * (c1i * der - c1r * dei)) / dd;
  }
  out[0] = lsr + lnr;
  out[1] = lsi + lni;
  // train: R1 R1' Lsig
  const q1r = r1r * r12r - r1i * r12i;
  const q1i = r1r * r12i + r1i * r12r;
  out[2] = q1r * lsr - q1i * lsi;
  out[3] = q1r * lsi + q1i * lsr;
  // L_A: (B0 + sigma^2 gP / ss) / (1 - gP)
  let ar = b0r;
  let ai = b0i;
  if (sig2 !== 0) {
    const ssd = ssr * ssr + ssi * ssi;
    ar += (sig2 * (gPr * ssr + gPi * ssi)) / ssd;
    ai += (sig2 * (gPi * ssr - gPr * ssi)) / ssd;
  }
  const er = 1 - gPr;
  const ei = -gPi;
  const ed = er * er + ei * ei;
  out[4] = (ar * er + ai * ei) / ed;
  out[5] = (ai * er - ar * ei) / ed;
}

/**
 * One inversion pass of the loss curves (THEORY E13-E16a, E25-E27).
 *
 * Given a Schedule (schedule.ts: nodes u_j, weights, ridge, per-group
 * crossings; the training dynamics as data), per node group:
 *  1. kappa(s_e) at the evaluation points s_e = u_j + r (kappa.ts, E15a),
 *     continued from the group's real crossing u_c + r, which must lie right
 *     of the pole of the transforms at u = 0 (E15a): otherwise
 *     'singularity_right_of_contour' and nothing is inverted silently.
 *  2. Per node and mode 1/(kappa + lambda_k), H_k = (kappa/s_e) / (kappa + lambda_k)
 *     (E15a), and the one-point sums G_W(kappa) = sum_k W_k / (kappa + lambda_k)
 *     for the four weights W of (E15b).
 *  3. Pair sums (E15b) in O(1) per pair from the one-point sums (partial
 *     fractions): with A = kappa / s_e,
 *        sum_k W_k H_k(a) H_k(b) = A_a A_b [G_W(kappa_b) - G_W(kappa_a)] / (kappa_a - kappa_b);
 *     where |kappa_a - kappa_b| < PAIR_SWITCH x min_k |kappa + lambda_k| the
 *     difference cancels and the pair is summed directly over the modes (the
 *     diagonal and a few near pairs: O(n K) in all). 'direct' sums every pair
 *     over the modes (O(n^2 K), the reference for tests and benchmarks).
 *  4. The closed forms (E15c, E15d, E16, E16a) per pair, times f_a f_b with
 *     f = s_e / u (E25; 1 without ridge), combined by the product rule
 *     (inversion/combine.ts invert2Diagonal).
 *  5. Bias B(t) = ILT2[f f' B0](t, t) (E14, E25) by the same product rule;
 *     sum_k c_k (f H_k)(t)^2 with f H_k inverted per mode is kept as a check at
 *     each group's first time (diagnostics.biasConsistency).
 *  6. Train-loss noise (E16): sigma^2 (1/P) tr e_t(K)^2 with e_t the propagator
 *     of the dynamics, by the two-point form of (E25),
 *     sigma^2 f f' [R1(s_e)/s_e - R1(s_e')/s_e'] / (s_e' - s_e), on the pass's
 *     own nodes, for every dynamics. (The single transform at 2t of E16 holds
 *     only when e_t^2 = e_{2t}: not for momentum, E27.)
 * Round-off floor: every value comes with the magnitude of its weighted sum,
 * sum |V_a V_b F_ab| (the size of the terms that cancel), so the caller's
 * error estimate is never below what the arithmetic can deliver.
 */
import type { Status } from '../core/solution.js';
import { worstStatus } from '../core/solution.js';
import { GRADIENT_FLOW, type Dynamics } from '../dynamics/index.js';
import { invert1, magnitude1, nestedDiffs1 } from './inversion/index.js';
import type { ComplexArray, InversionMethodName, InversionPlan } from './inversion/index.js';
import { solveKappaNodes, type KappaContext, type KappaNodes } from './kappa.js';
import type { ModeSet } from './modes.js';
import { makeSchedule, type Schedule } from './schedule.js';
import { releaseLargePassMemory, wasmPassKernel, type PassKernel } from './wasm.js';
import { crossingPoint } from './inversion/index.js';

/**
 * Switch between the partial-fraction pair sum and the direct sum: the
 * difference quotient cancels as kappa_a -> kappa_b. Measured over all pairs
 * of the default contours (test/numeric/pairsums.test.ts), with
 * x = |kappa_a - kappa_b| / min_k |kappa + lambda_k|: relative error at most
 * 2.5e-13 for x in [1e-3, 1e-2), 1.2e-13 in [1e-2, 0.1), 3.2e-14 in [0.1, 1),
 * 6e-15 above. x >= 0.1 keeps the pair sums at the 3e-14 level (the direct
 * sums' own round-off is ~1e-15); a few per cent of the pairs (the diagonal
 * and its neighbours) are summed directly.
 */
export const PAIR_SWITCH = 0.1;

export type PairSumMethod = 'partial-fractions' | 'direct';

export interface MethodPassOptions {
  method: InversionMethodName;
  nodes?: number;
  windowRatio?: number;
  sigma: number;
  /** Compute the variance terms (E15) or only the bias (negative control: test = sigma^2 + B). */
  varianceTerm: boolean;
  /** A prebuilt plan for tPos (tests: contours that violate the analyticity requirement); gradient flow only. */
  plan?: InversionPlan;
  /** Training dynamics (default gradient flow). */
  dynamics?: Dynamics;
  /** Pair sums of (E15b): partial fractions (default, O(n K)) or direct (O(n^2 K)). */
  pairSums?: PairSumMethod;
  /** Circle rule settings (E27): nodes per step and the radius constant c of |z| = 1 + c/t. */
  circleNodesPerStep?: number;
  circleRadius?: number;
  /** E_max (top of the spectrum plus ridge): places the keyhole's closure; GD with eta E_max < 1 keeps the y-contour (schedule.ts). */
  eMax?: number;
  /** Keyhole rule (E27a): r0^t above which the circle serves the times it can afford (schedule.ts KEYHOLE_MAX_DROP). */
  keyholeMaxDrop?: number;
  /** false: skip the round-off magnitudes and the per-mode bias check (an error-estimate pass needs neither). */
  diagnostics?: boolean;
  /** Contour node grid (inversion/contours.ts): 'trapezoid' nests, so the pass also returns its sub-rules' differences. */
  grid?: 'midpoint' | 'trapezoid';
}

/** Values of one pass at the positive finite times (ascending). */
export interface MethodPass {
  test: Float64Array;
  train: Float64Array;
  /** B(t) by the product rule, ILT2[f f' B0](t, t) (E14, E15b, E25). */
  bias: Float64Array;
  /**
   * B(t) inverted per mode, sum_k c_k (f H_k)(t)^2 (E14), at the first time of
   * each group (NaN elsewhere and without diagnostics): a check of the product rule.
   */
  biasPerMode: Float64Array;
  testA: Float64Array;
  /** Per quantity: the magnitude of the weighted sums (for the round-off floor). */
  magnitude: { test: Float64Array; train: Float64Array; bias: Float64Array; testA: Float64Array };
  /**
   * Per quantity, the nested sub-rules (THEORY E13; trapezoid grids): [T(h) - T(2h), T(h) - T(4h)] per time,
   * NaN for the times of groups without sub-rules (the circle rule). Input of verify.ts nestedSpread.
   */
  nested: { test: NestedDiffs; train: NestedDiffs; bias: NestedDiffs; testA: NestedDiffs };
  /**
   * Per quantity: the bound on the part of the contour the keyhole rule drops (E27a; 0 for the other rules
   * and without diagnostics). It is an independent error source: the coarse pass drops the same part.
   */
  dropped: { test: Float64Array; train: Float64Array; bias: Float64Array; testA: Float64Array };
  statusPerTime: Status[];
  iterations: number;
  maxResidual: number;
  nodes: number;
  groups: number;
  /** Pairs summed directly over the modes (near pairs off the series' disc, or all with 'direct'). */
  directPairs: number;
  /** Near pairs summed by the Taylor series at the group's center (pairSumSeries). */
  seriesPairs: number;
  pairs: number;
  messages: string[];
  settings: Readonly<Record<string, unknown>>;
}

/**
 * T(h) - T(2h), T(h) - T(4h) and the truncation indicator (the terms of the last node) per time: the
 * differences of a rule and its nested sub-rules (inversion/verify.ts nestedSpread).
 */
export type NestedDiffs = readonly [Float64Array, Float64Array, Float64Array];

function complexArray(n: number): ComplexArray {
  return { re: new Float64Array(n), im: new Float64Array(n) };
}

/** The schedule a pass uses: the given plan (gradient flow only) or the dynamics' map. */
export function passSchedule(tPos: Float64Array, options: MethodPassOptions): Schedule {
  const dynamics = options.dynamics ?? GRADIENT_FLOW;
  if (options.plan !== undefined) {
    const plan = options.plan;
    return {
      plan,
      crossings: Float64Array.from(plan.groups.map((_, g) => crossingPoint(plan, g))),
      ridge: dynamics.ridge,
      rules: plan.groups.map(() => 'contour'),
      settings: { rule: 'contour', ...plan.settings },
    };
  }
  return makeSchedule(dynamics, tPos, {
    method: options.method,
    nodes: options.nodes,
    windowRatio: options.windowRatio,
    circleNodesPerStep: options.circleNodesPerStep,
    circleRadius: options.circleRadius,
    eMax: options.eMax,
    keyholeMaxDrop: options.keyholeMaxDrop,
    grid: options.grid,
  });
}

/** kappa and the response functions at a group's evaluation points s_e = u + r. */
function solveGroup(ctx: KappaContext, schedule: Schedule, g: number): { nodes: KappaNodes; crossing: number; seRe: Float64Array } {
  const grp = schedule.plan.groups[g];
  const r = schedule.ridge;
  const crossing = schedule.crossings[g];
  const seRe = r === 0 ? grp.re : grp.re.map((x) => x + r);
  // Continue from the crossing (or, if it is not right of 0, from |s_e| of the first node: flagged, never inverted).
  const start = crossing > 0 ? crossing + r : Math.hypot(seRe[0], grp.im[0]);
  return { nodes: solveKappaNodes(ctx, start, seRe, grp.im, 'asGiven'), crossing, seRe };
}

/** Quantities of the two-point rule, in the order of the packed pair buffer (E15d, E16, E16a, E14 by E15b, E16/E25 noise). */
const PQ_TEST = 0;
const PQ_TRAIN = 1;
const PQ_TESTA = 2;
const PQ_B0 = 3;
const PQ_NOISE = 4;

/** One pass over the time grid with one schedule (see the file comment). */
export function methodPass(ctx: KappaContext, modes: ModeSet, tPos: Float64Array, options: MethodPassOptions): MethodPass {
  const { sigma, varianceTerm } = options;
  const schedule = passSchedule(tPos, options);
  const plan = schedule.plan;
  const ridge = schedule.ridge;
  const direct = options.pairSums === 'direct';
  const withDiagnostics = options.diagnostics ?? true;
  const T = tPos.length;
  const K = modes.lambda.length;
  const { lambda, c, weight } = modes;
  const invN = ctx.invN;
  const invP = ctx.invP;
  const sig2 = sigma * sigma;
  const label = `${options.method}${schedule.settings.rule && schedule.settings.rule !== 'contour' ? ` (${String(schedule.settings.rule)})` : ''}`;

  // Per-mode weighted coefficients for the pair sums (E15b), weights folded in.
  const L2 = new Float64Array(K);
  const L1 = new Float64Array(K);
  const C0 = new Float64Array(K);
  const C1 = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    L1[k] = weight[k] * lambda[k];
    L2[k] = weight[k] * lambda[k] * lambda[k];
    C0[k] = weight[k] * c[k];
    C1[k] = weight[k] * lambda[k] * c[k];
  }

  // Train-loss noise (E16, E25) as the two-point transform sigma^2 f f' [R1(s_e)/s_e - R1(s_e')/s_e'] / (s_e' - s_e)
  // = sigma^2 f f' (1/P) tr[(s_e + K)^-1 (s_e' + K)^-1] (partial fractions), K the training kernel: inverted in both
  // variables it is sigma^2 (1/P) tr e_t(K)^2 for any propagator e_t. Its diagonal equals the single transform
  // sigma^2 ILT[f R1(s_e)/s_e](2t) only when e_t^2 = e_{2t} (gradient flow, GD), not for heavy-ball momentum (E27),
  // where that route is off by 0.1-1.3 % of the noise part; the two-point form needs no second contour either.
  const noiseTwoPoint = sig2 > 0 && invP !== 0 && varianceTerm;
  const nq = noiseTwoPoint ? 5 : 4;

  const statusPerTime: Status[] = new Array<Status>(T).fill('converged');
  const messages: string[] = [];
  const values = [new Float64Array(T), new Float64Array(T), new Float64Array(T), new Float64Array(T), new Float64Array(T)];
  const mags = [new Float64Array(T), new Float64Array(T), new Float64Array(T), new Float64Array(T), new Float64Array(T)];
  const drops = [new Float64Array(T), new Float64Array(T), new Float64Array(T), new Float64Array(T)];
  const nan4 = () => [0, 1, 2, 3].map(() => new Float64Array(T).fill(NaN));
  const diffs: [Float64Array[], Float64Array[], Float64Array[]] = [nan4(), nan4(), nan4()];
  const biasPerMode = new Float64Array(T).fill(NaN);
  let iterations = 0;
  let maxResidual = 0;
  let nodesTotal = 0;
  let directPairs = 0;
  let pairsTotal = 0;

  let nMax = 0;
  for (const g of plan.groups) nMax = Math.max(nMax, g.re.length);
  // Scratch, reused by every group (STYLE 12).
  const w = passScratch(nMax, K, nq, withDiagnostics, lambda, L2, L1, C0, C1);

  for (let g = 0; g < plan.groups.length; g++) {
    const grp = plan.groups[g];
    const n = grp.re.length;
    const { nodes, crossing, seRe } = solveGroup(ctx, schedule, g);
    const seIm = grp.im;
    nodesTotal += n;
    iterations += nodes.totalIterations;
    maxResidual = Math.max(maxResidual, nodes.maxResidual);
    let groupStatus: Status = nodes.worst;
    if (nodes.worst !== 'converged') messages.push(...nodes.messages.slice(0, 3));
    if (!(crossing > 0)) {
      // THEORY (E13, E15a): the pole (kappa_c > 0) or branch point of every transform sits at u = 0.
      groupStatus = 'singularity_right_of_contour';
      messages.push(`${label} group ${g}: contour crosses the real axis at ${crossing} <= 0, left of the singularity at s = 0`);
    }
    for (let i = grp.tStart; i < grp.tEnd; i++) statusPerTime[i] = worstStatus(statusPerTime[i], groupStatus);

    // Per node: A = kappa / s_e, f = s_e / u, 1/(kappa + lambda_k) (so H_k = A/(kappa + lambda_k), E15a), and over
    // the modes for the four weights W of (E15b): G_W = sum W/(kappa + lambda), G2_W = sum W/(kappa + lambda)^2
    // (the diagonal pair (s, s)) and E_W = sum W/|kappa + lambda|^2 (the pair (s, conj s)); rho2 = min_k |kappa + lambda_k|^2.
    groupOnePoint(n, K, ridge, noiseTwoPoint, invN, invP, lambda, seRe, seIm, grp.re, grp.im, nodes, w, L2, L1, C0, C1);

    // Pair sums (E15b) and the closed forms (E15c-d, E16, E16a), times f f' (E25), on the upper triangle a <= b.
    pairsTotal += n * (n + 1);
    directPairs += groupPairSums(n, K, direct, nodes, w, lambda, L2, L1, C0, C1);
    const packed = w.kernel !== null && pairValuesKernel(n, nq, noiseTwoPoint, withDiagnostics, sig2, invN, invP, seRe, seIm, nodes, w, w.kernel);
    if (!packed) groupPairValues(n, nq, noiseTwoPoint, sig2, invN, invP, seRe, seIm, nodes, w);

    // The product rule on the diagonal (THEORY E15; inversion/combine.ts invert2Diagonal) over the upper triangle:
    // with F(s, s') = F(s', s) and F(s_b, conj s_a) = conj F(s_a, conj s_b),
    //   f(t) = 2 sum_{a <= b} m_ab Re[V_a V_b F(s_a, s_b) + V_a conj(V_b) F(s_a, conj s_b)],  m_ab = 1 (a = b), 2 (a < b),
    // and the round-off magnitude 2 sum_{a <= b} m_ab |V_a| |V_b| (|F(s_a, s_b)|_1 + |F(s_a, conj s_b)|_1).
    // The group's arrays, not the group object, go to the hot functions: groups are built by several rules with
    // different hidden classes, which would make those functions' property loads polymorphic.
    groupCombine(n, nq, withDiagnostics, packed, grp.tStart, grp.tEnd, grp.wRe, grp.wIm, grp.nest, w, values, mags, diffs);
    const dropWeights = schedule.dropWeights?.[g];
    if (withDiagnostics && dropWeights !== undefined) groupDropBound(n, nq, grp.tStart, grp.tEnd, grp.wRe, grp.wIm, dropWeights, w, drops);
    if (withDiagnostics) biasPerMode[grp.tStart] = groupBiasPerMode(n, K, grp.wRe, grp.wIm, w, C0);
  }

  releaseLargePassMemory();

  // Bias (E14, E25) by the product rule: B(t) = ILT2[f f' B0](t, t).
  const bias = values[PQ_B0];
  const biasMag = mags[PQ_B0];
  let test: Float64Array;
  let testA: Float64Array;
  let train: Float64Array;
  let magTest: Float64Array;
  let magTrain: Float64Array;
  let magTestA: Float64Array;
  if (varianceTerm) {
    test = values[PQ_TEST];
    testA = values[PQ_TESTA];
    train = values[PQ_TRAIN];
    magTest = mags[PQ_TEST];
    magTrain = mags[PQ_TRAIN];
    magTestA = mags[PQ_TESTA];
  } else {
    // Negative control: the variance from random A and data dropped, L = sigma^2 + B(t).
    test = Float64Array.from(bias);
    testA = Float64Array.from(bias);
    train = Float64Array.from(bias);
    magTest = magTrain = magTestA = biasMag;
  }
  for (let i = 0; i < T; i++) {
    test[i] += sig2;
    testA[i] += sig2;
  }

  // Train-loss noise term (E16, E25): the two-point form is in the train values (groupCombine); without the
  // variance term, or at P = inf (nothing is fitted twice), the train loss carries the whole sigma^2.
  if (!noiseTwoPoint && sig2 > 0) for (let i = 0; i < T; i++) train[i] += sig2;
  for (let i = 0; i < T; i++) {
    if (!(Number.isFinite(test[i]) && Number.isFinite(train[i]) && Number.isFinite(bias[i]) && Number.isFinite(testA[i]))) {
      statusPerTime[i] = worstStatus(statusPerTime[i], 'non_finite');
    }
  }
  return {
    test,
    train,
    bias,
    biasPerMode,
    testA,
    magnitude: { test: magTest, train: magTrain, bias: biasMag, testA: magTestA },
    nested: varianceTerm
      ? { test: nestedOf(diffs, PQ_TEST), train: nestedOf(diffs, PQ_TRAIN), bias: nestedOf(diffs, PQ_B0), testA: nestedOf(diffs, PQ_TESTA) }
      : { test: nestedOf(diffs, PQ_B0), train: nestedOf(diffs, PQ_B0), bias: nestedOf(diffs, PQ_B0), testA: nestedOf(diffs, PQ_B0) },
    dropped: varianceTerm
      ? { test: drops[PQ_TEST], train: drops[PQ_TRAIN], bias: drops[PQ_B0], testA: drops[PQ_TESTA] }
      : { test: drops[PQ_B0], train: drops[PQ_B0], bias: drops[PQ_B0], testA: drops[PQ_B0] },
    statusPerTime,
    iterations,
    maxResidual,
    nodes: nodesTotal,
    groups: plan.groups.length,
    directPairs,
    seriesPairs: w.seriesPairs,
    pairs: pairsTotal,
    messages,
    settings: { ...schedule.settings, pairSums: direct ? 'direct' : 'partial-fractions', trainNoise: noiseTwoPoint ? 'two-point (same nodes)' : 'none' },
  };
}

/** Scratch of a pass, reused by every group (STYLE 12): sized for the largest group. */
interface PassScratch {
  /** 1/(kappa_j + lambda_k), node-major (j K + k). */
  invRe: Float64Array;
  invIm: Float64Array;
  /** Per node: A = kappa / s_e, f = s_e / u, min_k |kappa + lambda_k|^2, R1(s_e)/s_e and its derivative. */
  aRe: Float64Array;
  aIm: Float64Array;
  fRe: Float64Array;
  fIm: Float64Array;
  rho2: Float64Array;
  qRe: Float64Array;
  qIm: Float64Array;
  dhRe: Float64Array;
  dhIm: Float64Array;
  /** Per node, the one-point sums of the four weights: G_W, G2_W (re, im pairs, 8 per node) and E_W (4). */
  gw: Float64Array;
  dw: Float64Array;
  ew: Float64Array;
  /** Packed pair sums of (E15b) (groupPairSums), pair values (groupPairValues) and their 1-norms per pair and quantity (round-off magnitudes). */
  ps: Float64Array;
  pv: Float64Array;
  pl1: Float64Array;
  /** One time's weights and their moduli. */
  vRe: Float64Array;
  vIm: Float64Array;
  vAbs: Float64Array;
  sums: Float64Array;
  acc: Float64Array;
  /** Near-pair Taylor coefficients (seriesCoefficients) and the count of pairs summed by the series. */
  series: Float64Array;
  seriesPairs: number;
  /** One time's sums of groupCombine (t, u, v, m, z for the four quantities; storeTimeSums). */
  timeSums: Float64Array;
  /** The SIMD kernels (wasm.ts), whose memory then holds invRe, invIm, ps, pv, pl1, acc and series; null: the JS loops. */
  kernel: PassKernel | null;
}

function passScratch(
  nMax: number, K: number, nq: number, withDiagnostics: boolean,
  lambda: Float64Array, L2: Float64Array, L1: Float64Array, C0: Float64Array, C1: Float64Array,
): PassScratch {
  const pairs = (nMax * (nMax + 1)) / 2;
  const node = () => new Float64Array(nMax);
  const pl1Length = withDiagnostics ? pairs * nq : 0;
  const kernel = wasmPassKernel(lambda, L2, L1, C0, C1, nMax, pairs * 16, pairs * nq * 4, pl1Length);
  return {
    invRe: kernel?.invRe ?? new Float64Array(nMax * K),
    invIm: kernel?.invIm ?? new Float64Array(nMax * K),
    aRe: node(),
    aIm: node(),
    fRe: node(),
    fIm: node(),
    rho2: node(),
    qRe: node(),
    qIm: node(),
    dhRe: node(),
    dhIm: node(),
    gw: new Float64Array(8 * nMax),
    dw: new Float64Array(8 * nMax),
    ew: new Float64Array(4 * nMax),
    ps: kernel?.ps ?? new Float64Array(pairs * 16),
    pv: kernel?.pv ?? new Float64Array(pairs * nq * 4),
    pl1: kernel?.pl1 ?? new Float64Array(pl1Length),
    vRe: node(),
    vIm: node(),
    vAbs: node(),
    sums: new Float64Array(8),
    acc: kernel?.acc ?? new Float64Array(withDiagnostics ? K : 0),
    series: kernel?.series ?? new Float64Array(4 * SERIES_TERMS),
    seriesPairs: 0,
    timeSums: new Float64Array(40),
    kernel,
  };
}

/**
 * Per node of a group: A = kappa / s_e, f = s_e / u (E25), 1/(kappa + lambda_k) (so H_k = A/(kappa + lambda_k),
 * E15a), and over the modes for the four weights W of (E15b): G_W = sum W/(kappa + lambda), G2_W = sum
 * W/(kappa + lambda)^2 (the diagonal pair (s, s)), E_W = sum W/|kappa + lambda|^2 (the pair (s, conj s)),
 * rho2 = min_k |kappa + lambda_k|^2; with the two-point train noise also R1/s_e and its derivative.
 */
function groupOnePoint(
  n: number, K: number, ridge: number, noise: boolean, invN: number, invP: number, lambda: Float64Array,
  seRe: Float64Array, seIm: Float64Array, uRe: Float64Array, uIm: Float64Array, nodes: KappaNodes, w: PassScratch,
  L2: Float64Array, L1: Float64Array, C0: Float64Array, C1: Float64Array,
): void {
  const { kRe, kIm, qRe: gRe, qIm: gIm, r1Re, r1Im } = nodes;
  const { aRe, aIm, fRe, fIm, rho2, gw, dw, ew, invRe, invIm } = w;
  for (let j = 0; j < n; j++) {
    const sr = seRe[j];
    const si = seIm[j];
    const kr = kRe[j];
    const ki = kIm[j];
    const sd = 1 / (sr * sr + si * si);
    const ar = (kr * sr + ki * si) * sd;
    const ai = (ki * sr - kr * si) * sd;
    aRe[j] = ar;
    aIm[j] = ai;
    if (ridge === 0) {
      fRe[j] = 1;
      fIm[j] = 0;
    } else {
      // f = s_e / u = 1 + r / u   THEORY (E25)
      const ur = uRe[j];
      const ui = uIm[j];
      const ud = 1 / (ur * ur + ui * ui);
      fRe[j] = 1 + ridge * ur * ud;
      fIm[j] = -ridge * ui * ud;
    }
  }
  if (w.kernel !== null) onePointKernel(n, w.kernel, kRe, kIm, rho2, gw, dw);
  else onePointSums(n, K, lambda, kRe, kIm, invRe, invIm, rho2, gw, dw, L2, L1, C0, C1);
  for (let j = 0; j < n; j++) {
    const o8 = 8 * j;
    const ki = kIm[j];
    // E_W = sum W/|kappa + lambda|^2 = -Im G_W / Im kappa (Im 1/(kappa + lambda) = -Im kappa/|kappa + lambda|^2:
    // the same terms, no cancellation); on the real axis (Im kappa = 0) it is Re G2_W.
    if (ki !== 0) {
      const r = -1 / ki;
      ew[4 * j] = gw[o8 + 1] * r; ew[4 * j + 1] = gw[o8 + 3] * r; ew[4 * j + 2] = gw[o8 + 5] * r; ew[4 * j + 3] = gw[o8 + 7] * r;
    } else {
      ew[4 * j] = dw[o8]; ew[4 * j + 1] = dw[o8 + 2]; ew[4 * j + 2] = dw[o8 + 4]; ew[4 * j + 3] = dw[o8 + 6];
    }
    if (noise) {
      const sr = seRe[j];
      const si = seIm[j];
      const sd = 1 / (sr * sr + si * si);
      nodeNoiseTerms(j, sr, si, sd, kRe[j], ki, dw[o8 + 2], dw[o8 + 3], gRe[j], gIm[j], r1Re[j], r1Im[j], invN, invP, w);
    }
  }
}

/**
 * groupOnePoint's sums over the modes (JS): per node 1/(kappa + lambda_k) into invRe, invIm (node-major), the
 * one-point sums G_W and G2_W of the four weights into gw, dw (re, im pairs, 8 per node) and min_k |kappa +
 * lambda_k|^2 into rho2. The kernel onepoint (wasm.ts) does the same arithmetic for two nodes at once.
 */
function onePointSums(
  n: number, K: number, lambda: Float64Array, kRe: Float64Array, kIm: Float64Array, invRe: Float64Array, invIm: Float64Array,
  rho2: Float64Array, gw: Float64Array, dw: Float64Array, L2: Float64Array, L1: Float64Array, C0: Float64Array, C1: Float64Array,
): void {
  for (let j = 0; j < n; j++) {
    const kr = kRe[j];
    const ki = kIm[j];
    const off = j * K;
    let minD = Infinity;
    let g0r = 0, g0i = 0, g1r = 0, g1i = 0, g2r = 0, g2i = 0, g3r = 0, g3i = 0;
    let d0r = 0, d0i = 0, d1r = 0, d1i = 0, d2r = 0, d2i = 0, d3r = 0, d3i = 0;
    const ki2 = ki * ki;
    for (let k = 0; k < K; k++) {
      const dr = kr + lambda[k];
      const dd = dr * dr + ki2;
      const inv = 1 / dd;
      const ir = dr * inv;
      const ii = -ki * inv;
      if (dd < minD) minD = dd;
      invRe[off + k] = ir;
      invIm[off + k] = ii;
      const pr = ir * ir - ii * ii;
      const pi = 2 * ir * ii;
      const w0 = L2[k];
      const w1 = L1[k];
      const w2 = C0[k];
      const w3 = C1[k];
      g0r += w0 * ir;
      g0i += w0 * ii;
      g1r += w1 * ir;
      g1i += w1 * ii;
      g2r += w2 * ir;
      g2i += w2 * ii;
      g3r += w3 * ir;
      g3i += w3 * ii;
      d0r += w0 * pr;
      d0i += w0 * pi;
      d1r += w1 * pr;
      d1i += w1 * pi;
      d2r += w2 * pr;
      d2i += w2 * pi;
      d3r += w3 * pr;
      d3i += w3 * pi;
    }
    rho2[j] = minD;
    const o8 = 8 * j;
    gw[o8] = g0r; gw[o8 + 1] = g0i; gw[o8 + 2] = g1r; gw[o8 + 3] = g1i;
    gw[o8 + 4] = g2r; gw[o8 + 5] = g2i; gw[o8 + 6] = g3r; gw[o8 + 7] = g3i;
    dw[o8] = d0r; dw[o8 + 1] = d0i; dw[o8 + 2] = d1r; dw[o8 + 3] = d1i;
    dw[o8 + 4] = d2r; dw[o8 + 5] = d2i; dw[o8 + 6] = d3r; dw[o8 + 7] = d3i;
  }
}

/** onePointSums by the kernel, two nodes per call (an odd last node in both lanes). */
function onePointKernel(n: number, kern: PassKernel, kRe: Float64Array, kIm: Float64Array, rho2: Float64Array, gw: Float64Array, dw: Float64Array): void {
  const { at, out, K } = kern;
  const row = 8 * K;
  for (let a = 0; a < n; a += 2) {
    const b = a + 1 < n ? a + 1 : a;
    kern.onepoint(at.lam, at.l2, at.l1, at.c0, at.c1, row, kRe[a], kIm[a], kRe[b], kIm[b], at.invRe + a * row, at.invIm + a * row, at.invRe + b * row, at.invIm + b * row, at.out);
    // out: lane 0 node a, lane 1 node b; g0r g0i ... g3i, d0r ... d3i, min |kappa + lambda|^2
    for (let q = 0; q < 8; q++) {
      gw[8 * a + q] = out[2 * q];
      gw[8 * b + q] = out[2 * q + 1];
      dw[8 * a + q] = out[16 + 2 * q];
      dw[8 * b + q] = out[16 + 2 * q + 1];
    }
    rho2[a] = out[32];
    rho2[b] = out[33];
  }
}

/**
 * With the two-point train noise, per node: R1(s_e)/s_e and its derivative (THEORY E15a, E16) into w.qRe/qIm and
 * w.dhRe/dhIm. Out of groupOnePoint so that its mode loop compiles sooner in a fresh process.
 */
function nodeNoiseTerms(
  j: number, sr: number, si: number, sd: number, kr: number, ki: number, d1r: number, d1i: number, gr: number, gi: number,
  r1r: number, r1i: number, invN: number, invP: number, w: PassScratch,
): void {
  const { qRe, qIm, dhRe, dhIm } = w;
  // R1(s_e)/s_e, and its derivative for the diagonal of the noise pairs:
  // R1' = -(1/P) g'(kappa) / phi'(kappa), phi' = A1 A3 - kappa g' (A3/P + A1/N), g' = -sum w lambda/(kappa + lambda)^2   THEORY (E15a)
  const dgr = -d1r;
  const dgi = -d1i;
  const a1r = 1 - gr * invP;
  const a1i = -gi * invP;
  const a3r = 1 - gr * invN;
  const a3i = -gi * invN;
  const pr = a1r * a3r - a1i * a3i;
  const pi = a1r * a3i + a1i * a3r;
  const mr = a3r * invP + a1r * invN;
  const mi = a3i * invP + a1i * invN;
  const kgr = kr * dgr - ki * dgi;
  const kgi = kr * dgi + ki * dgr;
  const phr = pr - (kgr * mr - kgi * mi);
  const phi = pi - (kgr * mi + kgi * mr);
  const pd = 1 / (phr * phr + phi * phi);
  const r1pr = -(dgr * phr + dgi * phi) * pd * invP;
  const r1pi = -(dgi * phr - dgr * phi) * pd * invP;
  // (R1/s)' = R1'/s - R1/s^2
  const isr = sr * sd;
  const isi = -si * sd;
  const t1r = r1pr * isr - r1pi * isi;
  const t1i = r1pr * isi + r1pi * isr;
  const is2r = isr * isr - isi * isi;
  const is2i = 2 * isr * isi;
  dhRe[j] = t1r - (r1r * is2r - r1i * is2i);
  dhIm[j] = t1i - (r1r * is2i + r1i * is2r);
  qRe[j] = r1r * isr - r1i * isi;
  qIm[j] = r1r * isi + r1i * isr;
}

/**
 * Pair sums of (E15b) of one node group on the upper triangle a <= b (packed, p = index of (a, b) in row order):
 * A_a A_b sum_k W_k/((kappa_a + lambda_k)(kappa_b + lambda_k)) for the four weights, [Gam, S, B0, B1] (re, im), the
 * k-th of these eight at ps[16 p + 2 k + cross], cross = 0 for (s_a, s_b), 1 for (s_a, conj s_b). They come from the one-point sums
 * (partial fractions, diagonal sums), for near pairs from the Taylor series at the group's center or a sum over
 * the modes (all over the modes with `direct`). Returns the number of pairs summed over the modes.
 * Separate from the closed forms (groupPairValues) so that V8 compiles two smaller functions, and recompiles
 * only this one when a group first meets the near-pair branches (a fresh process's first curve).
 */
function groupPairSums(
  n: number, K: number, direct: boolean, nodes: KappaNodes, w: PassScratch, lambda: Float64Array,
  L2: Float64Array, L1: Float64Array, C0: Float64Array, C1: Float64Array,
): number {
  // Near pairs: the Taylor series at a real center c > 0 (the first near pair's Re kappa_a) where both ends lie
  // within SERIES_RADIUS rho(c); set up on the group's first near pair (late-time groups, where kappa clusters
  // near kappa_c, hold nearly all of them).
  const near: NearPairState = { series: 0, center: 0, radius2: 0, directPairs: 0, seriesPairs: 0 };
  const switch2 = PAIR_SWITCH * PAIR_SWITCH;
  if (w.kernel !== null && !direct) {
    // The kernel sums every pair off the diagonal but the near ones (flags), which are summed here, as the diagonal.
    const flags = pairSumsKernel(n, nodes, w, w.kernel, switch2);
    let p = 0;
    for (let a = 0; a < n; a++) {
      pairSumLane(a, a, p, 0, K, false, switch2, nodes, w, near, lambda, L2, L1, C0, C1);
      pairSumLane(a, a, p, 1, K, false, switch2, nodes, w, near, lambda, L2, L1, C0, C1);
      p++;
      for (let b = a + 1; b < n; b++, p++) {
        const f = flags[p];
        if (f === 0) continue;
        if ((f & 1) !== 0) pairSumLane(a, b, p, 0, K, false, switch2, nodes, w, near, lambda, L2, L1, C0, C1);
        if ((f & 2) !== 0) pairSumLane(a, b, p, 1, K, false, switch2, nodes, w, near, lambda, L2, L1, C0, C1);
      }
    }
  } else {
    let p = 0;
    for (let a = 0; a < n; a++) {
      for (let b = a; b < n; b++, p++) {
        // same pair (s_a, s_b), then cross pair (s_a, conj s_b) with kappa(conj s) = conj kappa(s)
        pairSumLane(a, b, p, 0, K, direct, switch2, nodes, w, near, lambda, L2, L1, C0, C1);
        pairSumLane(a, b, p, 1, K, direct, switch2, nodes, w, near, lambda, L2, L1, C0, C1);
      }
    }
  }
  w.seriesPairs += near.seriesPairs;
  return near.directPairs;
}

/** groupPairSums' state of the near-pair series in one group, and its counts. */
interface NearPairState {
  /** 0: not set up, 1: usable, -1: not usable in this group. */
  series: number;
  center: number;
  radius2: number;
  directPairs: number;
  seriesPairs: number;
}

/**
 * One pair's sums of (E15b) for one lane (cross = 0: (s_a, s_b); 1: (s_a, conj s_b)) into ps (see groupPairSums):
 * the diagonal from one-point sums, a near pair by the series or over the modes, any other pair by partial fractions.
 */
function pairSumLane(
  a: number, b: number, p: number, cross: number, K: number, direct: boolean, switch2: number, nodes: KappaNodes, w: PassScratch,
  near: NearPairState, lambda: Float64Array, L2: Float64Array, L1: Float64Array, C0: Float64Array, C1: Float64Array,
): void {
  const { kRe, kIm } = nodes;
  const { aRe, aIm, rho2, gw, dw, ew, invRe, invIm, sums, ps } = w;
  const T = w.series;
  const kar = kRe[a], kai = kIm[a];
  const aar = aRe[a], aai = aIm[a];
  const ga = 8 * a;
  const sgn = cross === 0 ? 1 : -1;
  const abr = aRe[b], abi = sgn * aIm[b];
  // A_a A_b
  const AAr = aar * abr - aai * abi;
  const AAi = aar * abi + aai * abr;
  let gamR: number, gamI: number, sR: number, sI: number, b0r: number, b0i: number, b1r: number, b1i: number;
  if (a === b && !direct) {
    // The diagonal from one-point sums: sum W H_a^2 = A_a^2 G2_W(kappa_a), sum W |H_a|^2 = |A_a|^2 E_W(kappa_a).
    if (cross === 0) {
      gamR = AAr * dw[ga] - AAi * dw[ga + 1];
      gamI = AAr * dw[ga + 1] + AAi * dw[ga];
      sR = AAr * dw[ga + 2] - AAi * dw[ga + 3];
      sI = AAr * dw[ga + 3] + AAi * dw[ga + 2];
      b0r = AAr * dw[ga + 4] - AAi * dw[ga + 5];
      b0i = AAr * dw[ga + 5] + AAi * dw[ga + 4];
      b1r = AAr * dw[ga + 6] - AAi * dw[ga + 7];
      b1i = AAr * dw[ga + 7] + AAi * dw[ga + 6];
    } else {
      const e = 4 * a;
      gamR = AAr * ew[e];
      sR = AAr * ew[e + 1];
      b0r = AAr * ew[e + 2];
      b1r = AAr * ew[e + 3];
      gamI = sI = b0i = b1i = 0;
    }
  } else {
    const dr = kar - kRe[b];
    const di = kai - sgn * kIm[b];
    const d2 = dr * dr + di * di;
    // |kappa_a - kappa_b| >= PAIR_SWITCH min(rho_a, rho_b), squared
    const isNear = !(d2 >= switch2 * Math.min(rho2[a], rho2[b]));
    if (isNear && !direct && near.series === 0) {
      near.center = kar;
      near.series = -1;
      if (near.center > 0) {
        const rhoC =
          w.kernel !== null && w.kernel.series.length >= 4 * SERIES_TERMS
            ? seriesCoefficientsKernel(near.center, w.kernel)
            : seriesCoefficients(near.center, lambda, L2, L1, C0, C1, T);
        near.radius2 = SERIES_RADIUS * SERIES_RADIUS * rhoC * rhoC;
        if (rhoC > 0) near.series = 1;
      }
    }
    let xr = 0, xi = 0, yr = 0, yi = 0;
    if (isNear && near.series === 1) {
      xr = kar - near.center;
      xi = kai;
      yr = kRe[b] - near.center;
      yi = sgn * kIm[b];
    }
    if (isNear && !direct && near.series === 1 && xr * xr + xi * xi <= near.radius2 && yr * yr + yi * yi <= near.radius2) {
      near.seriesPairs++;
      pairSumSeries(T, xr, xi, yr, yi, AAr, AAi, sums);
      gamR = sums[0]; gamI = sums[1]; sR = sums[2]; sI = sums[3];
      b0r = sums[4]; b0i = sums[5]; b1r = sums[6]; b1i = sums[7];
    } else if (direct || isNear) {
      near.directPairs++;
      pairSumDirect(invRe, invIm, a * K, b * K, K, sgn, L2, L1, C0, C1, AAr, AAi, sums, 0);
      gamR = sums[0]; gamI = sums[1]; sR = sums[2]; sI = sums[3];
      b0r = sums[4]; b0i = sums[5]; b1r = sums[6]; b1i = sums[7];
    } else {
      // A_a A_b [G_W(kappa_b) - G_W(kappa_a)] / (kappa_a - kappa_b), G_W(conj kappa) = conj G_W(kappa)
      const dd = 1 / d2;
      const qr = (AAr * dr + AAi * di) * dd;
      const qi = (AAi * dr - AAr * di) * dd;
      const gb = 8 * b;
      let xr = gw[gb] - gw[ga];
      let xi = sgn * gw[gb + 1] - gw[ga + 1];
      gamR = qr * xr - qi * xi;
      gamI = qr * xi + qi * xr;
      xr = gw[gb + 2] - gw[ga + 2];
      xi = sgn * gw[gb + 3] - gw[ga + 3];
      sR = qr * xr - qi * xi;
      sI = qr * xi + qi * xr;
      xr = gw[gb + 4] - gw[ga + 4];
      xi = sgn * gw[gb + 5] - gw[ga + 5];
      b0r = qr * xr - qi * xi;
      b0i = qr * xi + qi * xr;
      xr = gw[gb + 6] - gw[ga + 6];
      xi = sgn * gw[gb + 7] - gw[ga + 7];
      b1r = qr * xr - qi * xi;
      b1i = qr * xi + qi * xr;
    }
  }
  // interleaved: quantity k of the same pair at 16 p + 2 k, of the cross pair at 16 p + 2 k + 1 (the kernel's lanes)
  const o = 16 * p + cross;
  ps[o] = gamR; ps[o + 2] = gamI; ps[o + 4] = sR; ps[o + 6] = sI;
  ps[o + 8] = b0r; ps[o + 10] = b0i; ps[o + 12] = b1r; ps[o + 14] = b1i;
}

/**
 * groupPairSums' partial fractions by the kernel (wasm.ts pairsums) for the pairs off the diagonal, into ps; returns
 * the flags of the near pairs (bit 0 same, bit 1 cross), which groupPairSums sums itself, as the diagonal.
 */
function pairSumsKernel(n: number, nodes: KappaNodes, w: PassScratch, kern: PassKernel, switch2: number): Uint8Array {
  const node = kern.node;
  const arrays = [nodes.kRe, nodes.kIm, w.aRe, w.aIm, w.rho2];
  for (let k = 0; k < arrays.length; k++) node.set(arrays[k].subarray(0, n), k * n);
  node.set(w.gw.subarray(0, 8 * n), 5 * n);
  kern.pairsums(n, kern.at.node, kern.at.ps, kern.at.flags, switch2);
  return kern.flags;
}

/**
 * Pair values of one node group on the upper triangle a <= b (packed, p = index of (a, b) in row order):
 * per quantity [same re, same im, cross re, cross im] at pv[(p nq + q) 4], for the quantities PQ_* (E14-E16a, E25),
 * from the pair sums of (E15b) in ps (groupPairSums).
 */
function groupPairValues(
  n: number, nq: number, noise: boolean, sig2: number, invN: number, invP: number,
  sRe: Float64Array, sIm: Float64Array, nodes: KappaNodes, w: PassScratch,
): void {
  const { rRe, rIm, r1Re, r1Im } = nodes;
  const { fRe, fIm, qRe, qIm, dhRe, dhIm, ps, pv } = w;
  let p = 0;
  for (let a = 0; a < n; a++) {
    const sar = sRe[a], sai = sIm[a];
    const rar = rRe[a], rai = rIm[a];
    const q1ar = r1Re[a], q1ai = r1Im[a];
    const far = fRe[a], fai = fIm[a];
    for (let b = a; b < n; b++, p++) {
      for (let cross = 0; cross < 2; cross++) {
        const sgn = cross === 0 ? 1 : -1;
        const sbr = sRe[b], sbi = sgn * sIm[b];
        const rbr = rRe[b], rbi = sgn * rIm[b];
        const so = 16 * p + cross;
        const gamR = ps[so], gamI = ps[so + 2], sR = ps[so + 4], sI = ps[so + 6];
        const b0r = ps[so + 8], b0i = ps[so + 10], b1r = ps[so + 12], b1i = ps[so + 14];
        // THEORY (E15c): RR = R R', gN = RR Gam / N, gP = RR Gam / P, D = (RR S / N) / (1 - gN), c1 = gP + s s' S D / P
        const RRr = rar * rbr - rai * rbi;
        const RRi = rar * rbi + rai * rbr;
        const rgr = RRr * gamR - RRi * gamI;
        const rgi = RRr * gamI + RRi * gamR;
        const gPr = rgr * invP;
        const gPi = rgi * invP;
        let Dr = 0;
        let Di = 0;
        if (invN !== 0) {
          const nr = (RRr * sR - RRi * sI) * invN;
          const ni = (RRr * sI + RRi * sR) * invN;
          const er = 1 - rgr * invN;
          const ei = -rgi * invN;
          const ed = 1 / (er * er + ei * ei);
          Dr = (nr * er + ni * ei) * ed;
          Di = (ni * er - nr * ei) * ed;
        }
        const ssr = sar * sbr - sai * sbi;
        const ssi = sar * sbi + sai * sbr;
        const xr = ssr * sR - ssi * sI;
        const xi = ssr * sI + ssi * sR;
        const c1r = gPr + (xr * Dr - xi * Di) * invP;
        const c1i = gPi + (xr * Di + xi * Dr) * invP;
        // 1 / (1 - c1)
        const omr = 1 - c1r;
        const omi = -c1i;
        const omd = 1 / (omr * omr + omi * omi);
        const ior = omr * omd;
        const ioi = -omi * omd;
        // THEORY (E15d): Lsig = (B0 + D B1) / (1 - c1); Lnoise = sigma^2 c1 / (s s' (1 - c1))
        const numr = b0r + Dr * b1r - Di * b1i;
        const numi = b0i + Dr * b1i + Di * b1r;
        const lsr = numr * ior - numi * ioi;
        const lsi = numr * ioi + numi * ior;
        let testR = lsr;
        let testI = lsi;
        let tar = b0r;
        let tai = b0i;
        if (sig2 !== 0) {
          // sigma^2 / (s s')
          const ssd = sig2 / (ssr * ssr + ssi * ssi);
          const isr = ssr * ssd;
          const isi = -ssi * ssd;
          // c1 / (1 - c1)
          const cor = c1r * ior - c1i * ioi;
          const coi = c1r * ioi + c1i * ior;
          testR += cor * isr - coi * isi;
          testI += cor * isi + coi * isr;
          // THEORY (E16a): B0 + sigma^2 gP / (s s')
          tar += gPr * isr - gPi * isi;
          tai += gPr * isi + gPi * isr;
        }
        // THEORY (E16a): L_A integrand (B0 + sigma^2 gP / (s s')) / (1 - gP)
        const er = 1 - gPr;
        const ei = -gPi;
        const ed = 1 / (er * er + ei * ei);
        const testAr = (tar * er + tai * ei) * ed;
        const testAi = (tai * er - tar * ei) * ed;
        // THEORY (E16): train integrand R1 R1' Lsig
        const q1br = r1Re[b];
        const q1bi = sgn * r1Im[b];
        const t1r = q1ar * q1br - q1ai * q1bi;
        const t1i = q1ar * q1bi + q1ai * q1br;
        const trr = t1r * lsr - t1i * lsi;
        const tri = t1r * lsi + t1i * lsr;
        // f_a f_b (E25)
        const fbr = fRe[b];
        const fbi = sgn * fIm[b];
        const ffr = far * fbr - fai * fbi;
        const ffi = far * fbi + fai * fbr;
        const o = p * nq * 4 + 2 * cross;
        pv[o] = ffr * testR - ffi * testI;
        pv[o + 1] = ffr * testI + ffi * testR;
        pv[o + 4] = ffr * trr - ffi * tri;
        pv[o + 5] = ffr * tri + ffi * trr;
        pv[o + 8] = ffr * testAr - ffi * testAi;
        pv[o + 9] = ffr * testAi + ffi * testAr;
        pv[o + 12] = ffr * b0r - ffi * b0i;
        pv[o + 13] = ffr * b0i + ffi * b0r;
        if (noise) {
          // THEORY (E16, E25): sigma^2 f f' [R1(s)/s - R1(s')/s'] / (s' - s); on the diagonal -sigma^2 f^2 (R1/s)'.
          let vr: number;
          let vi: number;
          const dr = sbr - sar;
          const di = sbi - sai;
          if (a === b && (cross === 0 || (dr === 0 && di === 0))) {
            // The diagonal, and on a trapezoid grid the real node paired with its own conjugate (itself).
            vr = -dhRe[a];
            vi = -dhIm[a];
          } else {
            const nr = qRe[a] - qRe[b];
            const ni = qIm[a] - sgn * qIm[b];
            const dd = 1 / (dr * dr + di * di);
            vr = (nr * dr + ni * di) * dd;
            vi = (ni * dr - nr * di) * dd;
          }
          pv[o + 16] = sig2 * (ffr * vr - ffi * vi);
          pv[o + 17] = sig2 * (ffr * vi + ffi * vr);
        }
      }
    }
  }
}

/** Terms of the near-pair Taylor series and the radius (times rho(c)) within which both ends must lie. */
export const SERIES_TERMS = 32;
export const SERIES_RADIUS = 0.25;

/**
 * Taylor coefficients of the four one-point sums of (E15b) at a real center c > 0:
 * T[4 (m - 1) + w] = sum_k W_k / (c + lambda_k)^(m + 1), m = 1..SERIES_TERMS - 1, for W = L2, L1, C0, C1
 * (all non-negative). Returns rho(c) = min_k |c + lambda_k|.
 */
export function seriesCoefficients(
  c: number, lambda: Float64Array, L2: Float64Array, L1: Float64Array, C0: Float64Array, C1: Float64Array, T: Float64Array,
): number {
  T.fill(0, 0, 4 * (SERIES_TERMS - 1));
  let rho = Infinity;
  for (let k = 0; k < lambda.length; k++) {
    const d = c + lambda[k];
    if (Math.abs(d) < rho) rho = Math.abs(d);
    const u = 1 / d;
    let pw = u * u;
    const w0 = L2[k], w1 = L1[k], w2 = C0[k], w3 = C1[k];
    for (let m = 0; m < SERIES_TERMS - 1; m++) {
      T[4 * m] += w0 * pw;
      T[4 * m + 1] += w1 * pw;
      T[4 * m + 2] += w2 * pw;
      T[4 * m + 3] += w3 * pw;
      pw *= u;
    }
  }
  return rho;
}

/** seriesCoefficients by the kernel (wasm.ts seriescoef) into the kernel's series array (the pass's w.series). */
function seriesCoefficientsKernel(c: number, kern: PassKernel): number {
  kern.series.fill(0, 0, 4 * (SERIES_TERMS - 1));
  const { at } = kern;
  return kern.seriescoef(c, at.lam, at.l2, at.l1, at.c0, at.c1, 8 * kern.K, SERIES_TERMS - 1, at.series);
}

/**
 * sum_k W_k / ((kappa_a + lambda_k)(kappa_b + lambda_k)) for the four weights, times A_a A_b, from the series
 * at c (THEORY E15b): with x = kappa_a - c, y = kappa_b - c and G(c + z) = sum_m (-1)^m T_m z^m,
 *   [G(kappa_b) - G(kappa_a)] / (kappa_a - kappa_b) = sum_{m >= 1} (-1)^(m+1) T_m d_m,
 *   d_m = (x^m - y^m) / (x - y) = sum_{i < m} x^i y^(m-1-i), d_1 = 1, d_(m+1) = x d_m + y^m
 * (no cancellation as x -> y). Truncation with |x|, |y| <= SERIES_RADIUS rho(c): about
 * SERIES_TERMS SERIES_RADIUS^(SERIES_TERMS - 1) = 7e-18 relative. out[0..7] = (re, im) per weight.
 */
export function pairSumSeries(T: Float64Array, xr: number, xi: number, yr: number, yi: number, abr: number, abi: number, out: Float64Array): void {
  let s0r = 0, s0i = 0, s1r = 0, s1i = 0, s2r = 0, s2i = 0, s3r = 0, s3i = 0;
  let dr = 1;
  let di = 0;
  let ymr = yr;
  let ymi = yi;
  let sign = 1;
  for (let m = 0; m < SERIES_TERMS - 1; m++) {
    const t0 = sign * T[4 * m];
    const t1 = sign * T[4 * m + 1];
    const t2 = sign * T[4 * m + 2];
    const t3 = sign * T[4 * m + 3];
    s0r += t0 * dr;
    s0i += t0 * di;
    s1r += t1 * dr;
    s1i += t1 * di;
    s2r += t2 * dr;
    s2i += t2 * di;
    s3r += t3 * dr;
    s3i += t3 * di;
    // d_(m+1) = x d_m + y^m, y^(m+1) = y^m y
    const nr = xr * dr - xi * di + ymr;
    const ni = xr * di + xi * dr + ymi;
    dr = nr;
    di = ni;
    const tr = ymr * yr - ymi * yi;
    ymi = ymr * yi + ymi * yr;
    ymr = tr;
    sign = -sign;
  }
  out[0] = abr * s0r - abi * s0i;
  out[1] = abr * s0i + abi * s0r;
  out[2] = abr * s1r - abi * s1i;
  out[3] = abr * s1i + abi * s1r;
  out[4] = abr * s2r - abi * s2i;
  out[5] = abr * s2i + abi * s2r;
  out[6] = abr * s3r - abi * s3i;
  out[7] = abr * s3i + abi * s3r;
}

/**
 * Once per group, per pair and quantity: m_ab (|F(s_a, s_b)|_1 + |F(s_a, conj s_b)|_1) into pl1 for the magnitudes,
 * and the pair values pv rewritten for groupCombine (see there); returns whether all are finite. A function of its own: the combine loop compiles
 * sooner in a fresh process.
 */
function groupPackPairValues(n: number, nq: number, withDiagnostics: boolean, pv: Float64Array, pl1: Float64Array): void {
  // With X = Re V_a Re V_b, Y = Im V_a Im V_b, U = Re V_a Im V_b, Z = Im V_a Re V_b,
  //   m_ab Re[V_a V_b S + V_a conj(V_b) C] = X m (S_r + C_r) + Y m (C_r - S_r) + U m (C_i - S_i) - Z m (S_i + C_i).
  let x = 0;
  let y = 0;
  for (let a = 0; a < n; a++) {
    for (let b = a; b < n; b++) {
      const m = a === b ? 1 : 2;
      if (nq === 5) {
        // The two-point train noise joins the train integrand (one weighted sum less per time); its terms
        // still count in the train magnitude.
        const t = x + 4 * PQ_TRAIN;
        const z = x + 4 * PQ_NOISE;
        if (withDiagnostics) pl1[y + PQ_NOISE] = m * (Math.abs(pv[z]) + Math.abs(pv[z + 1]) + Math.abs(pv[z + 2]) + Math.abs(pv[z + 3]));
        for (let r = 0; r < 4; r++) {
          pv[t + r] += pv[z + r];
          pv[z + r] = 0;
        }
      }
      for (let k = 0; k < nq; k++, x += 4, y++) {
        const sr = pv[x];
        const si = pv[x + 1];
        const cr = pv[x + 2];
        const ci = pv[x + 3];
        if (withDiagnostics && k !== PQ_NOISE) pl1[y] = m * (Math.abs(sr) + Math.abs(si) + Math.abs(cr) + Math.abs(ci));
        pv[x] = m * (sr + cr);
        pv[x + 1] = m * (cr - sr);
        pv[x + 2] = m * (ci - si);
        pv[x + 3] = -m * (si + ci);
      }
      if (withDiagnostics && nq === 5) {
        pl1[y - nq + PQ_TRAIN] += pl1[y - nq + PQ_NOISE];
      }
    }
  }
}

/**
 * groupPairValues and groupPackPairValues by the kernel (wasm.ts pairvalues; the same pair and the cross pair in
 * the two lanes): the per-node arrays copied into the kernel's memory first. Returns true (pv and pl1 packed).
 */
function pairValuesKernel(
  n: number, nq: number, noise: boolean, withDiagnostics: boolean, sig2: number, invN: number, invP: number,
  sRe: Float64Array, sIm: Float64Array, nodes: KappaNodes, w: PassScratch, kern: PassKernel,
): boolean {
  const node = kern.node;
  const arrays = [sRe, sIm, nodes.rRe, nodes.rIm, nodes.r1Re, nodes.r1Im, w.fRe, w.fIm, w.qRe, w.qIm, w.dhRe, w.dhIm];
  for (let k = 0; k < arrays.length; k++) node.set(arrays[k].subarray(0, n), k * n);
  const { at } = kern;
  kern.pairvalues(n, at.node, at.ps, at.pv, at.pl1, nq, invN, invP, sig2, invN !== 0 ? 1 : 0, sig2 !== 0 ? 1 : 0, noise ? 1 : 0, withDiagnostics ? 1 : 0);
  return true;
}

/**
 * The product rule on the diagonal (THEORY E15; inversion/combine.ts invert2Diagonal) over the upper triangle
 * of a group's pair values: with F(s, s') = F(s', s) and F(s_b, conj s_a) = conj F(s_a, conj s_b),
 *   f(t) = 2 sum_{a <= b} m_ab Re[V_a V_b F(s_a, s_b) + V_a conj(V_b) F(s_a, conj s_b)],  m_ab = 1 (a = b), 2 (a < b),
 * and the round-off magnitude 2 sum_{a <= b} m_ab |V_a| |V_b| (|F(s_a, s_b)|_1 + |F(s_a, conj s_b)|_1),
 * into values[q][i] and mags[q][i] for the group's times (the two-point train noise, when present, summed
 * with the train values; packs pv unless `packed`, the pairvalues kernel having done so). By the combine kernel
 * (combineKernel) or the JS loop (combineTimes), which give the same bits.
 */
function groupCombine(
  n: number, nq: number, withDiagnostics: boolean, packed: boolean, tStart: number, tEnd: number, wRe: Float64Array, wIm: Float64Array,
  nest: Uint8Array | undefined, w: PassScratch, values: Float64Array[], mags: Float64Array[],
  diffs: [Float64Array[], Float64Array[], Float64Array[]],
): void {
  if (!packed) groupPackPairValues(n, nq, withDiagnostics, w.pv, w.pl1);
  if (w.kernel !== null) combineKernel(n, nq, withDiagnostics, tStart, tEnd, wRe, wIm, nest, w, w.kernel, values, mags, diffs);
  else combineTimes(n, nq, withDiagnostics, tStart, tStart, tEnd, wRe, wIm, nest, w, values, mags, diffs);
}

/** groupCombine's double sum in JS for the group's times from..to - 1 (the group's first time is tStart). */
function combineTimes(
  n: number, nq: number, withDiagnostics: boolean, tStart: number, from: number, to: number, wRe: Float64Array, wIm: Float64Array,
  nest: Uint8Array | undefined, w: PassScratch, values: Float64Array[], mags: Float64Array[],
  diffs: [Float64Array[], Float64Array[], Float64Array[]],
): void {
  const { pv, pl1, vRe, vIm, vAbs, timeSums: sums } = w;
  for (let i = from; i < to; i++) {
    const row = (i - tStart) * n;
    for (let j = 0; j < n; j++) {
      vRe[j] = wRe[row + j];
      vIm[j] = wIm[row + j];
      if (withDiagnostics) vAbs[j] = Math.sqrt(vRe[j] * vRe[j] + vIm[j] * vIm[j]);
    }
    let t0 = 0, t1 = 0, t2 = 0, t3 = 0;
    let m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    // Nested sub-rules (trapezoid grids): the pairs of nodes both on the grid of step 2h (u*) and 4h (v*).
    let u0 = 0, u1 = 0, u2 = 0, u3 = 0;
    let v0 = 0, v1 = 0, v2 = 0, v3 = 0;
    // Truncation indicator: the magnitude of the pairs with the group's last node (b = n - 1).
    let z0 = 0, z1 = 0, z2 = 0, z3 = 0;
    let q = 0;
    for (let a = 0; a < n; a++) {
      const var_ = vRe[a];
      const vai = vIm[a];
      if (var_ === 0 && vai === 0) {
        q += n - a; // underflowed weight: skip (0 * Inf would be NaN)
        continue;
      }
      const na = nest === undefined ? 0 : nest[a];
      for (let b = a; b < n; b++, q++) {
        const vbr = vRe[b];
        const vbi = vIm[b];
        if (vbr === 0 && vbi === 0) continue;
        const X = var_ * vbr;
        const Y = vai * vbi;
        const U = var_ * vbi;
        const Z = vai * vbr;
        const o = q * nq * 4;
        const e0 = X * pv[o] + Y * pv[o + 1] + U * pv[o + 2] + Z * pv[o + 3];
        const e1 = X * pv[o + 4] + Y * pv[o + 5] + U * pv[o + 6] + Z * pv[o + 7];
        const e2 = X * pv[o + 8] + Y * pv[o + 9] + U * pv[o + 10] + Z * pv[o + 11];
        const e3 = X * pv[o + 12] + Y * pv[o + 13] + U * pv[o + 14] + Z * pv[o + 15];
        t0 += e0;
        t1 += e1;
        t2 += e2;
        t3 += e3;
        if (na >= 2) {
          const lv = nest![b] < na ? nest![b] : na;
          if (lv >= 2) {
            u0 += e0;
            u1 += e1;
            u2 += e2;
            u3 += e3;
            if (lv >= 4) {
              v0 += e0;
              v1 += e1;
              v2 += e2;
              v3 += e3;
            }
          }
        }
        if (withDiagnostics) {
          const mm = vAbs[a] * vAbs[b];
          const l = q * nq;
          m0 += mm * pl1[l];
          m1 += mm * pl1[l + 1];
          m2 += mm * pl1[l + 2];
          m3 += mm * pl1[l + 3];
          if (b === n - 1) {
            z0 += mm * pl1[l];
            z1 += mm * pl1[l + 1];
            z2 += mm * pl1[l + 2];
            z3 += mm * pl1[l + 3];
          }
        }
      }
    }
    sums[0] = t0; sums[1] = t1; sums[2] = t2; sums[3] = t3;
    sums[4] = u0; sums[5] = u1; sums[6] = u2; sums[7] = u3;
    sums[8] = v0; sums[9] = v1; sums[10] = v2; sums[11] = v3;
    sums[12] = m0; sums[13] = m1; sums[14] = m2; sums[15] = m3;
    sums[16] = z0; sums[17] = z1; sums[18] = z2; sums[19] = z3;
    storeTimeSums(i, nest !== undefined, sums, 0, 1, values, mags, diffs);
  }
}

/**
 * groupCombine's double sum by the kernel (wasm.ts combine), two times per call (lane = time; an odd last time in
 * both lanes): the weights interleaved per node, the sums in the kernel's out (sum s, lane l at 2 s + l).
 * The kernel adds the terms of zero weights, which the JS loop skips: the same sums while the pair values are
 * finite (0 x finite = 0); where a sum comes out non-finite, the JS loop does those two times again, so that an
 * underflowed weight times an infinite pair value (NaN) means what it means there.
 */
function combineKernel(
  n: number, nq: number, withDiagnostics: boolean, tStart: number, tEnd: number, wRe: Float64Array, wIm: Float64Array,
  nest: Uint8Array | undefined, w: PassScratch, kern: PassKernel, values: Float64Array[], mags: Float64Array[],
  diffs: [Float64Array[], Float64Array[], Float64Array[]],
): void {
  const sums = w.timeSums;
  const { vr, vi, va, at, out } = kern;
  if (nest === undefined) kern.nest.fill(0, 0, n);
  else kern.nest.set(nest.subarray(0, n));
  for (let i = tStart; i < tEnd; i += 2) {
    const i2 = i + 1 < tEnd ? i + 1 : i;
    const row = (i - tStart) * n;
    const row2 = (i2 - tStart) * n;
    for (let j = 0; j < n; j++) {
      const r0 = wRe[row + j];
      const m0 = wIm[row + j];
      const r1 = wRe[row2 + j];
      const m1 = wIm[row2 + j];
      vr[2 * j] = r0;
      vr[2 * j + 1] = r1;
      vi[2 * j] = m0;
      vi[2 * j + 1] = m1;
      if (withDiagnostics) {
        va[2 * j] = Math.sqrt(r0 * r0 + m0 * m0);
        va[2 * j + 1] = Math.sqrt(r1 * r1 + m1 * m1);
      }
    }
    kern.combine(at.pv, at.pl1, at.nest, at.vr, at.vi, at.va, n, 32 * nq, withDiagnostics ? 1 : 0, at.out);
    let probe = 0;
    for (let k = 0; k < 40; k++) {
      sums[k] = out[k];
      probe += 0 * out[k];
    }
    if (probe !== 0) {
      combineTimes(n, nq, withDiagnostics, tStart, i, i2 + 1, wRe, wIm, nest, w, values, mags, diffs);
      continue;
    }
    storeTimeSums(i, nest !== undefined, sums, 0, 2, values, mags, diffs);
    if (i2 !== i) storeTimeSums(i2, nest !== undefined, sums, 1, 2, values, mags, diffs);
  }
}

/** The quantities of groupCombine's sums, in their order (t0..t3 and so on). */
const SUM_QUANTITIES = [PQ_TEST, PQ_TRAIN, PQ_TESTA, PQ_B0];

/**
 * One time's results of groupCombine from its sums s[at + k stride], k = 0..19: t (the rule), u and v (the pairs on
 * the grids of steps 2h and 4h), m (magnitudes), z (the pairs with the last node), four quantities each.
 */
function storeTimeSums(
  i: number, nested: boolean, s: Float64Array, at: number, stride: number, values: Float64Array[], mags: Float64Array[],
  diffs: [Float64Array[], Float64Array[], Float64Array[]],
): void {
  for (let k = 0; k < 4; k++) {
    const q = SUM_QUANTITIES[k];
    const t = s[at + k * stride];
    values[q][i] = 2 * t;
    if (nested) {
      // The product rule at step k h has weights k V_a k V_b: factors 2^2 and 4^2 on the sub-blocks' sums.
      diffs[0][q][i] = 2 * (t - 4 * s[at + (4 + k) * stride]);
      diffs[1][q][i] = 2 * (t - 16 * s[at + (8 + k) * stride]);
      diffs[2][q][i] = 2 * s[at + (16 + k) * stride];
    }
    mags[q][i] = 2 * s[at + (12 + k) * stride];
  }
}

/**
 * A check of the product rule at a group's first time (its weights are the first row of wRe, wIm):
 * B = sum_k c_k (f H_k)(t)^2 with (f H_k)(t) = 2 Re sum_j V_j f_j A_j / (kappa_j + lambda_k), inverted per mode
 * (E14, E25). A function of its own so that V8 optimises this O(n K) loop early (inside the pass it ran
 * unoptimised through a fresh process's first curve).
 */
function groupBiasPerMode(n: number, K: number, wRe: Float64Array, wIm: Float64Array, w: PassScratch, C0: Float64Array): number {
  const { aRe, aIm, fRe, fIm, invRe, invIm, acc, kernel } = w;
  acc.fill(0);
  let count = 0;
  for (let j = 0; j < n; j++) {
    const wr0 = wRe[j];
    const wi0 = wIm[j];
    if (wr0 === 0 && wi0 === 0) continue;
    const fr = wr0 * fRe[j] - wi0 * fIm[j];
    const fi = wr0 * fIm[j] + wi0 * fRe[j];
    const wr = fr * aRe[j] - fi * aIm[j];
    const wi = fr * aIm[j] + fi * aRe[j];
    const off = j * K;
    if (kernel !== null) {
      // the kernel's list: weights and the byte offset of the node's row
      kernel.list[3 * count] = wr;
      kernel.list[3 * count + 1] = wi;
      kernel.list[3 * count + 2] = 8 * off;
      count++;
    } else {
      for (let k = 0; k < K; k++) acc[k] += wr * invRe[off + k] - wi * invIm[off + k];
    }
  }
  if (kernel !== null) kernel.biasacc(count, kernel.at.list, kernel.at.invRe, kernel.at.invIm, 8 * (K - (K & 1)), K & 1, kernel.at.acc);
  let b = 0;
  for (let k = 0; k < K; k++) b += C0[k] * 4 * acc[k] * acc[k];
  return b;
}

function nestedOf(diffs: [Float64Array[], Float64Array[], Float64Array[]], q: number): NestedDiffs {
  return [diffs[0][q], diffs[1][q], diffs[2][q]];
}

/**
 * Bound on the dropped closure of the keyhole rule (schedule.ts, THEORY E27a) per time and quantity: the
 * double integral over (kept + closure)^2 minus kept^2, each pair bounded by its 1-norms (pl1, from
 * groupCombine) times the weights' moduli, with W = |V| on kept nodes and the drop weight D on closure nodes:
 *     2 sum_{a <= b} pl1_ab [(|V_a| + D_a)(|V_b| + D_b) - |V_a| |V_b|].
 */
function groupDropBound(
  n: number, nq: number, tStart: number, tEnd: number, wRe: Float64Array, wIm: Float64Array, dropWeights: Float64Array, w: PassScratch,
  drops: Float64Array[],
): void {
  const { pl1, sums: acc } = w;
  for (let i = tStart; i < tEnd; i++) {
    const row = (i - tStart) * n;
    acc.fill(0, 0, 4);
    let q = 0;
    for (let a = 0; a < n; a++) {
      const va = Math.hypot(wRe[row + a], wIm[row + a]);
      const da = dropWeights[row + a];
      for (let b = a; b < n; b++, q++) {
        const db = dropWeights[row + b];
        if (da === 0 && db === 0) continue;
        const vb = Math.hypot(wRe[row + b], wIm[row + b]);
        const ww = (va + da) * (vb + db) - va * vb;
        for (let k = 0; k < 4; k++) acc[k] += ww * pl1[q * nq + k];
      }
    }
    for (let k = 0; k < 4; k++) drops[k][i] = 2 * acc[k];
  }
}


/**
 * THEORY (E15b) for one pair of nodes summed over the modes: with
 * inv = 1/(kappa + lambda_k) per node and p = inv_a inv_b (sgn = 1) or
 * inv_a conj(inv_b) (sgn = -1), out[o..o+7] = A_a A_b [sum L2 p, sum L1 p,
 * sum C0 p, sum C1 p] = [Gam, S, B0, B1] (re, im), with (abr, abi) = A_a A_b
 * (conjugated for sgn = -1) and H_k = A / (kappa + lambda_k) (E15a).
 */
function pairSumDirect(
  invRe: Float64Array, invIm: Float64Array, offA: number, offB: number, K: number, sgn: number,
  L2: Float64Array, L1: Float64Array, C0: Float64Array, C1: Float64Array, abr: number, abi: number, out: Float64Array, o: number,
): void {
  let gr = 0, gi = 0, sr = 0, si = 0, b0r = 0, b0i = 0, b1r = 0, b1i = 0;
  for (let k = 0; k < K; k++) {
    const ar = invRe[offA + k];
    const ai = invIm[offA + k];
    const br = invRe[offB + k];
    const bi = sgn * invIm[offB + k];
    const pr = ar * br - ai * bi;
    const pi = ar * bi + ai * br;
    gr += L2[k] * pr;
    gi += L2[k] * pi;
    sr += L1[k] * pr;
    si += L1[k] * pi;
    b0r += C0[k] * pr;
    b0i += C0[k] * pi;
    b1r += C1[k] * pr;
    b1i += C1[k] * pi;
  }
  out[o] = abr * gr - abi * gi;
  out[o + 1] = abr * gi + abi * gr;
  out[o + 2] = abr * sr - abi * si;
  out[o + 3] = abr * si + abi * sr;
  out[o + 4] = abr * b0r - abi * b0i;
  out[o + 5] = abr * b0i + abi * b0r;
  out[o + 6] = abr * b1r - abi * b1i;
  out[o + 7] = abr * b1i + abi * b1r;
}

/**
 * The two-point closed forms for one pair (s, s'), complex arithmetic written
 * out (O(1) per pair):
 *   THEORY (E15c): gN = R R' Gam / N, gP = R R' Gam / P,
 *                  D = (R R' S / N) / (1 - gN), c1 = gP + s s' S D / P;
 *   THEORY (E15d): Lsig = (B0 + D B1) / (1 - c1), Lnoise = sigma^2 c1 / (s s' (1 - c1));
 *   THEORY (E16):  train integrand R1 R1' Lsig;
 *   THEORY (E16a): L_A integrand (B0 + sigma^2 gP / (s s')) / (1 - gP).
 * out = [test re, im, train re, im, L_A re, im] with test = Lsig + Lnoise.
 */
export function pairClosedForms(
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

/** Per-mode transfer functions (f H_k)(t) for selected eigenvalues (E9, E13, E25) on one schedule. */
export interface TransferPass {
  values: Float64Array[];
  magnitude: Float64Array[];
  /** Per eigenvalue: the bound on the keyhole rule's dropped closure, 2 sum_j D_ij |F_j| (E27a; 0 otherwise). */
  dropped: Float64Array[];
  /** Per eigenvalue: the nested sub-rules' differences (NaN without sub-rules), as MethodPass.nested. */
  nested: NestedDiffs[];
  statusPerTime: Status[];
  iterations: number;
  settings: Readonly<Record<string, unknown>>;
}

export function transferPass(
  ctx: KappaContext,
  tPos: Float64Array,
  lambdas: readonly number[],
  options: Omit<MethodPassOptions, 'sigma' | 'varianceTerm'>,
): TransferPass {
  const schedule = passSchedule(tPos, { ...options, sigma: 0, varianceTerm: false });
  const plan = schedule.plan;
  const st: Status[] = new Array<Status>(tPos.length).fill('converged');
  let iterations = 0;
  const perMode = lambdas.map(() => [] as ComplexArray[]);
  const dropped = lambdas.map(() => new Float64Array(tPos.length));
  for (let g = 0; g < plan.groups.length; g++) {
    const grp = plan.groups[g];
    const { nodes, crossing, seRe } = solveGroup(ctx, schedule, g);
    iterations += nodes.totalIterations;
    const gs: Status = crossing > 0 ? nodes.worst : 'singularity_right_of_contour';
    for (let i = grp.tStart; i < grp.tEnd; i++) st[i] = worstStatus(st[i], gs);
    const n = grp.re.length;
    lambdas.forEach((l, m) => {
      const v = complexArray(n);
      for (let j = 0; j < n; j++) {
        // H_k(s_e) = 1 / (s_e + lambda_k R)   THEORY (E9), times f = s_e / u (E25)
        const dr = seRe[j] + l * nodes.rRe[j];
        const di = grp.im[j] + l * nodes.rIm[j];
        const d = dr * dr + di * di;
        let hr = dr / d;
        let hi = -di / d;
        if (schedule.ridge > 0) {
          const ur = grp.re[j];
          const ui = grp.im[j];
          const ud = 1 / (ur * ur + ui * ui);
          const fr = 1 + schedule.ridge * ur * ud;
          const fi = -schedule.ridge * ui * ud;
          const xr = fr * hr - fi * hi;
          hi = fr * hi + fi * hr;
          hr = xr;
        }
        v.re[j] = hr;
        v.im[j] = hi;
      }
      perMode[m].push(v);
      const dw = schedule.dropWeights?.[g];
      if (dw !== undefined) {
        for (let i = grp.tStart; i < grp.tEnd; i++) {
          let acc = 0;
          for (let j = 0; j < n; j++) acc += dw[(i - grp.tStart) * n + j] * Math.hypot(v.re[j], v.im[j]);
          dropped[m][i] = 2 * acc;
        }
      }
    });
  }
  const values = perMode.map((vals) => invert1(plan, vals));
  const magnitude = perMode.map((vals) => magnitude1(plan, vals));
  const nested = perMode.map((vals) => nestedDiffs1(plan, vals));
  for (let i = 0; i < tPos.length; i++) if (!values.every((v) => Number.isFinite(v[i]))) st[i] = 'non_finite';
  return { values, magnitude, dropped, nested, statusPerTime: st, iterations, settings: schedule.settings };
}

/**
 * The effective ridge kappa(s) and the one-point response functions
 * (THEORY E9-E12, E15a).
 *
 * THEORY (E15a): with g(kappa) = sum_k lambda_k / (kappa + lambda_k),
 *     s = phi(kappa) = kappa (1 - g/P) (1 - g/N),
 * Q = g, R1 = 1 - g/P, R3 = 1 - g/N, R = R1 R3 = s / kappa and
 * H_k(s) = kappa / (s (kappa + lambda_k)) = 1 / (s + lambda_k R)   (E9).
 *
 * Branch. For kappa > kappa_c both factors of phi are positive and increasing,
 * so phi increases from 0 to infinity and each real s > 0 has exactly one
 * root kappa > kappa_c (the physical one; below kappa_c phi has spurious
 * roots). kappa_c solves g(kappa_c) = min(N, P) when min(N, P) < M, else 0.
 * Off the axis kappa is continued analytically from the real axis along a
 * path in the open upper half plane (the cut of kappa(s) is (-inf, 0]):
 * Euler predictor dkappa/ds = 1/phi'(kappa) plus Newton, halving the step when
 * Newton struggles or corrects the predictor by more than the step itself.
 *
 * Checks per node: the backward residual of (E11),
 *     |phi(kappa) - s| / (|kappa| (1 + |g|/P) (1 + |g|/N)),
 * and the Stieltjes signs for Im s > 0 (H_k and sum_k lambda_k H_k are
 * Stieltjes functions): Im(s + lambda_max R) > 0 (then Im H_k < 0 for every
 * lambda_k in [0, lambda_max], as s + lambda R is affine in lambda) and
 * Im(kappa g / s) = Im sum_k lambda_k H_k < 0.
 *
 * Precision. Near kappa_c the factor 1 - g/min(N,P) cancels; R is therefore
 * taken as s / kappa, and the factor belonging to min(N, P) as R divided by
 * the other (non-cancelling) one.
 */
import type { Status } from '../core/solution.js';
import { worstStatus } from '../core/solution.js';
import { NUMERIC_DEFAULTS } from './defaults.js';
import type { ModeSet } from './modes.js';
import { wasmGSeries } from './wasm.js';

/** Settings of the Newton solve for kappa (tolerances, iteration budget). */
export interface KappaOptions {
  tolerance?: number;
  residualTolerance?: number;
  maxIterations?: number;
  continuationNewtonIterations?: number;
  continuationMaxDepth?: number;
}

/** Solver context: the mode set, 1/N, 1/P and kappa_c. */
export interface KappaContext {
  readonly modes: ModeSet;
  readonly N: number;
  readonly P: number;
  readonly invN: number;
  readonly invP: number;
  /** min(N, P) when it is below the number of modes, else Infinity (no pole at s = 0). */
  readonly nMin: number;
  readonly kappaC: number;
  readonly kappaCStatus: Status;
  readonly kappaCIterations: number;
  readonly options: Required<KappaOptions>;
}

function resolveOptions(options: KappaOptions = {}): Required<KappaOptions> {
  return {
    tolerance: options.tolerance ?? NUMERIC_DEFAULTS.kappaTolerance,
    residualTolerance: options.residualTolerance ?? NUMERIC_DEFAULTS.kappaResidualTolerance,
    maxIterations: options.maxIterations ?? NUMERIC_DEFAULTS.kappaMaxIterations,
    continuationNewtonIterations: options.continuationNewtonIterations ?? NUMERIC_DEFAULTS.continuationNewtonIterations,
    continuationMaxDepth: options.continuationMaxDepth ?? NUMERIC_DEFAULTS.continuationMaxDepth,
  };
}

/** g(kappa) and g'(kappa) for real kappa > 0 (one pass over the modes). */
export function gReal(modes: ModeSet, kappa: number): { g: number; dg: number } {
  const { lambda, weight } = modes;
  let g = 0;
  let dg = 0;
  for (let j = 0; j < lambda.length; j++) {
    const l = lambda[j];
    const inv = 1 / (kappa + l);
    const t = weight[j] * l * inv;
    g += t;
    dg -= t * inv;
  }
  return { g, dg };
}

/**
 * THEORY (E12, E15a): kappa_c with g(kappa_c) = min(N, P) when min(N, P) < M
 * (M the number of modes), else 0. Safeguarded Newton in log kappa on
 * log g(kappa) = log min(N, P) (g is decreasing).
 */
export function makeKappaContext(modes: ModeSet, N: number, P: number, options?: KappaOptions): KappaContext {
  const opts = resolveOptions(options);
  const invN = N === Infinity ? 0 : 1 / N;
  const invP = P === Infinity ? 0 : 1 / P;
  const n = Math.min(N, P);
  const base = { modes, N, P, invN, invP, options: opts };
  if (!(n < modes.M)) return { ...base, nMin: Infinity, kappaC: 0, kappaCStatus: 'converged', kappaCIterations: 0 };
  // g(kappa) <= trace / kappa, so g(trace / n) <= n: an upper bracket.
  let hi = modes.trace / n;
  let lo = hi;
  let iterations = 0;
  while (gReal(modes, lo).g <= n) {
    lo /= 16;
    iterations++;
    if (lo < 1e-300) return { ...base, nMin: n, kappaC: NaN, kappaCStatus: 'non_finite', kappaCIterations: iterations };
  }
  let x = 0.5 * (Math.log(lo) + Math.log(hi));
  let xlo = Math.log(lo);
  let xhi = Math.log(hi);
  let status: Status = 'max_iter';
  for (; iterations < opts.maxIterations + 200; iterations++) {
    const kappa = Math.exp(x);
    const { g, dg } = gReal(modes, kappa);
    const h = Math.log(g / n);
    if (h > 0) xlo = x;
    else xhi = x;
    const dh = (kappa * dg) / g;
    let xn = x - h / dh;
    if (!(xn > xlo && xn < xhi)) xn = 0.5 * (xlo + xhi);
    if (Math.abs(xn - x) < opts.tolerance || xhi - xlo < opts.tolerance) {
      x = xn;
      status = 'converged';
      break;
    }
    x = xn;
  }
  return { ...base, nMin: n, kappaC: Math.exp(x), kappaCStatus: status, kappaCIterations: iterations };
}

export interface RealKappa {
  kappa: number;
  iterations: number;
  status: Status;
  residual: number;
}

/** phi(kappa) - s and phi'(kappa) on the real axis. */
function phiReal(ctx: KappaContext, kappa: number, s: number): { f: number; df: number; g: number } {
  const { g, dg } = gReal(ctx.modes, kappa);
  const a1 = 1 - g * ctx.invP;
  const a3 = 1 - g * ctx.invN;
  return { f: kappa * a1 * a3 - s, df: a1 * a3 - kappa * dg * (ctx.invP * a3 + ctx.invN * a1), g };
}

/** The physical root kappa > kappa_c of phi(kappa) = s for real s > 0 (bracketed Newton). */
export function solveKappaReal(ctx: KappaContext, s: number): RealKappa {
  const { invN, invP, kappaC, options } = ctx;
  if (invN === 0 && invP === 0) return { kappa: s, iterations: 0, status: 'converged', residual: 0 };
  // phi(kappa) <= kappa, so kappa >= s; and phi(kappa) >= kappa - trace (1/N + 1/P) roughly.
  let lo = Math.max(kappaC, 0);
  let hi = Math.max(s, kappaC) + ctx.modes.trace * (invN + invP) + s;
  let iterations = 0;
  while (phiReal(ctx, hi, s).f < 0) {
    lo = hi;
    hi *= 2;
    iterations++;
    if (!Number.isFinite(hi)) return { kappa: NaN, iterations, status: 'non_finite', residual: NaN };
  }
  let kappa = Math.max(s, 0.5 * (lo + hi));
  if (!(kappa > lo && kappa < hi)) kappa = 0.5 * (lo + hi);
  let status: Status = 'max_iter';
  for (; iterations < options.maxIterations; iterations++) {
    const { f, df } = phiReal(ctx, kappa, s);
    if (f > 0) hi = kappa;
    else lo = kappa;
    let next = kappa - f / df;
    if (!(next > lo && next < hi)) next = lo > 0 ? Math.sqrt(lo * hi) : 0.5 * (lo + hi);
    const done = Math.abs(next - kappa) <= options.tolerance * kappa || hi - lo <= options.tolerance * hi;
    kappa = next;
    if (done) {
      status = 'converged';
      break;
    }
  }
  const { g } = phiReal(ctx, kappa, s);
  const residual = Math.abs(kappa * (1 - g * invP) * (1 - g * invN) - s) / (kappa * (1 + g * invP) * (1 + g * invN));
  if (status === 'converged' && residual > options.residualTolerance) status = 'unverified';
  return { kappa, iterations, status, residual };
}

/** kappa(s) and the response functions at a set of complex nodes (E9-E11, E15a). */
export interface KappaNodes {
  readonly sRe: Float64Array;
  readonly sIm: Float64Array;
  readonly kRe: Float64Array;
  readonly kIm: Float64Array;
  /** R = R1 R3 = s / kappa. */
  readonly rRe: Float64Array;
  readonly rIm: Float64Array;
  readonly r1Re: Float64Array;
  readonly r1Im: Float64Array;
  readonly r3Re: Float64Array;
  readonly r3Im: Float64Array;
  /** Q = g(kappa) (E11). */
  readonly qRe: Float64Array;
  readonly qIm: Float64Array;
  readonly residual: Float64Array;
  readonly iterations: Int32Array;
  readonly status: Status[];
  /** Worst status, total Newton iterations, max residual over the nodes. */
  readonly worst: Status;
  readonly totalIterations: number;
  readonly maxResidual: number;
  readonly messages: string[];
}

/**
 * kappa at upper-half-plane nodes (Im s > 0), continued from the real point
 * `start` > 0 (e.g. the contour's real-axis crossing): nodes are visited in
 * order of increasing Im s, each reached from the previous one by a straight
 * segment (which stays in the upper half plane, away from the cut).
 */
export function solveKappaNodes(
  ctx: KappaContext,
  start: number,
  sRe: Float64Array,
  sIm: Float64Array,
  pathOrder: 'increasingImaginary' | 'asGiven' = 'increasingImaginary',
): KappaNodes {
  const n = sRe.length;
  const out = {
    sRe: Float64Array.from(sRe),
    sIm: Float64Array.from(sIm),
    kRe: new Float64Array(n),
    kIm: new Float64Array(n),
    rRe: new Float64Array(n),
    rIm: new Float64Array(n),
    r1Re: new Float64Array(n),
    r1Im: new Float64Array(n),
    r3Re: new Float64Array(n),
    r3Im: new Float64Array(n),
    qRe: new Float64Array(n),
    qIm: new Float64Array(n),
    residual: new Float64Array(n),
    iterations: new Int32Array(n),
    status: new Array<Status>(n).fill('converged'),
  };
  const messages: string[] = [];
  const free = ctx.invN === 0 && ctx.invP === 0;
  // Along the contour: nodes sorted by Im s (windowed contours) or in the order given (rules whose
  // image is not monotone in Im s, e.g. the circle of THEORY E27); consecutive segments stay in Im s > 0.
  const order = Array.from({ length: n }, (_, j) => j);
  if (pathOrder === 'increasingImaginary') order.sort((x, y) => sIm[x] - sIm[y]);
  const scratch = new Float64Array(G_SERIES_LENGTH);
  // phi'(kappa), phi''(kappa) at the current point of the path (the predictor of the next step).
  const slope = new Float64Array(8);
  let worst: Status = 'converged';
  let totalIterations = 0;
  let maxResidual = 0;

  let curSr = start;
  let curSi = 0;
  let curKr = start;
  let curKi = 0;
  if (!free) {
    const real = solveKappaReal(ctx, start);
    totalIterations += real.iterations;
    curKr = real.kappa;
    if (real.status !== 'converged') {
      worst = worstStatus(worst, real.status);
      messages.push(`real start s = ${start}: ${real.status}`);
    }
    // THEORY (E15a): the physical root at the real crossing lies above kappa_c, where phi' > 0.
    const dphi = phiReal(ctx, real.kappa, start).df;
    if (!(real.kappa > ctx.kappaC) || !(dphi > 0)) {
      worst = worstStatus(worst, 'unverified');
      messages.push(`kappa = ${real.kappa} at the real crossing s = ${start} is not on the physical branch (kappa_c = ${ctx.kappaC})`);
    }
    gSeries(ctx.modes, curKr, 0, scratch);
    phiSeries(curKr, 0, scratch, ctx.invN, ctx.invP, slope);
  }
  for (const j of order) {
    let status: Status = 'converged';
    let iterations = 0;
    if (free) {
      curKr = sRe[j];
      curKi = sIm[j];
    } else {
      const res = continueStep(ctx, curSr, curSi, curKr, curKi, slope[2], slope[3], slope[4], slope[5], slope[6], slope[7], sRe[j], sIm[j], 0, scratch);
      // scratch now holds g, g', g'' at the returned kappa: the response functions and the next predictor use them.
      phiSeries(res.kr, res.ki, scratch, ctx.invN, ctx.invP, slope);
      curKr = res.kr;
      curKi = res.ki;
      iterations = res.iterations;
      status = res.ok ? 'converged' : 'max_iter';
      if (!Number.isFinite(curKr) || !Number.isFinite(curKi)) status = 'non_finite';
    }
    curSr = sRe[j];
    curSi = sIm[j];
    // Response functions at the node (g from the continuation's last evaluation, at kappa itself).
    const gr = free ? 0 : scratch[0];
    const gi = free ? 0 : scratch[1];
    const { rr, ri, r1r, r1i, r3r, r3i } = responses(ctx, sRe[j], sIm[j], curKr, curKi, gr, gi);
    // Backward residual of (E11)/(E15a).
    let residual = 0;
    if (!free) {
      const a1r = 1 - gr * ctx.invP;
      const a1i = -gi * ctx.invP;
      const a3r = 1 - gr * ctx.invN;
      const a3i = -gi * ctx.invN;
      const pr = a1r * a3r - a1i * a3i;
      const pi = a1r * a3i + a1i * a3r;
      const fr = curKr * pr - curKi * pi - sRe[j];
      const fi = curKr * pi + curKi * pr - sIm[j];
      const gm = Math.hypot(gr, gi);
      residual = Math.hypot(fr, fi) / (Math.hypot(curKr, curKi) * (1 + gm * ctx.invP) * (1 + gm * ctx.invN));
    }
    if (status === 'converged' && !(residual <= ctx.options.residualTolerance)) {
      status = 'unverified';
      messages.push(`node s = ${sRe[j]} + ${sIm[j]}i: residual ${residual.toExponential(2)}`);
    }
    // Stieltjes signs (Im s > 0): Im(s + lambda_max R) > 0 and Im(kappa g / s) < 0.
    if (status === 'converged' && sIm[j] > 0) {
      const lm = ctx.modes.lambdaMax;
      const imShift = sIm[j] + lm * ri;
      const scale = Math.hypot(sRe[j], sIm[j]);
      // kappa g / s
      const kgr = curKr * gr - curKi * gi;
      const kgi = curKr * gi + curKi * gr;
      const sden = sRe[j] * sRe[j] + sIm[j] * sIm[j];
      const trIm = (kgi * sRe[j] - kgr * sIm[j]) / sden;
      const trScale = Math.hypot(kgr, kgi) / Math.sqrt(sden);
      if (imShift < -1e-12 * scale || trIm > 1e-12 * trScale) {
        status = 'unverified';
        messages.push(`node s = ${sRe[j]} + ${sIm[j]}i: Stieltjes sign violated (wrong branch?)`);
      }
    }
    out.kRe[j] = curKr;
    out.kIm[j] = curKi;
    out.rRe[j] = rr;
    out.rIm[j] = ri;
    out.r1Re[j] = r1r;
    out.r1Im[j] = r1i;
    out.r3Re[j] = r3r;
    out.r3Im[j] = r3i;
    out.qRe[j] = gr;
    out.qIm[j] = gi;
    out.residual[j] = residual;
    out.iterations[j] = iterations;
    out.status[j] = status;
    worst = worstStatus(worst, status);
    totalIterations += iterations;
    maxResidual = Math.max(maxResidual, residual);
  }
  // Every field listed (no spread): a spread literal got a new hidden class per call, and the pass's optimised
  // code, which reads these arrays, was thrown away at each new group (V8 'wrong map' deopt) in a fresh process.
  return {
    sRe: out.sRe, sIm: out.sIm, kRe: out.kRe, kIm: out.kIm, rRe: out.rRe, rIm: out.rIm, r1Re: out.r1Re, r1Im: out.r1Im,
    r3Re: out.r3Re, r3Im: out.r3Im, qRe: out.qRe, qIm: out.qIm, residual: out.residual, iterations: out.iterations,
    status: out.status, worst, totalIterations, maxResidual, messages,
  };
}

/** R = s / kappa; R1, R3 with the cancelling factor (of min(N, P)) taken as R over the other. */
function responses(
  ctx: KappaContext,
  sr: number,
  si: number,
  kr: number,
  ki: number,
  gr: number,
  gi: number,
): { rr: number; ri: number; r1r: number; r1i: number; r3r: number; r3i: number } {
  const kd = kr * kr + ki * ki;
  const rr = (sr * kr + si * ki) / kd;
  const ri = (si * kr - sr * ki) / kd;
  if (ctx.invN === 0 && ctx.invP === 0) return { rr, ri, r1r: rr, r1i: ri, r3r: 1, r3i: 0 };
  if (ctx.invP <= ctx.invN) {
    // P >= N: R1 = 1 - g/P does not cancel; R3 = R / R1.
    const r1r = 1 - gr * ctx.invP;
    const r1i = -gi * ctx.invP;
    const d = r1r * r1r + r1i * r1i;
    return { rr, ri, r1r, r1i, r3r: (rr * r1r + ri * r1i) / d, r3i: (ri * r1r - rr * r1i) / d };
  }
  const r3r = 1 - gr * ctx.invN;
  const r3i = -gi * ctx.invN;
  const d = r3r * r3r + r3i * r3i;
  return { rr, ri, r1r: (rr * r3r + ri * r3i) / d, r1i: (ri * r3r - rr * r3i) / d, r3r, r3i };
}

const EPS_KAPPA = 2.220446049250313e-16;
/** Residual within 16 round-offs of phi's evaluation counts as converged (the attainable level). */
const ATTAINABLE_FACTOR = 16;

/** Length of gSeries' output: g, g', g'' (re, im), the size bound, min_k |kappa + lambda_k|, g''' (re, im). */
const G_SERIES_LENGTH = 10;

/**
 * g, g', g'' at complex kappa and a bound on the size of g's terms, in one
 * pass over the modes (THEORY E15a): out = [g, g', g''] as (re, im) pairs and
 * out[6] = sum |w lambda| (|Re 1/(kappa + lambda)| + |Im 1/(kappa + lambda)|),
 * between 1 and sqrt(2) times sum |w lambda / (kappa + lambda)| (no square
 * root per mode; it only scales the attainable-residual floor), and
 * out[7] = min_k |kappa + lambda_k| (the radius of g's Taylor series at kappa),
 * out[8..9] = g'''.
 * The sums run in two lanes, the even modes and the odd ones, added at the end (gSeriesFinish): the order of
 * the SIMD kernel (wasm.ts), which does the same arithmetic lane by lane, so both paths give the same bits.
 */
function gSeries(modes: ModeSet, kr: number, ki: number, out: Float64Array): void {
  const kernel = wasmGSeries(modes, kr, ki);
  if (kernel !== null) {
    gSeriesFinish(kernel.view, kernel.at, out);
    return;
  }
  const { lambda, weight } = modes;
  const acc = G_LANES;
  acc.fill(0, 0, 18);
  acc[18] = acc[19] = Infinity;
  const ki2 = ki * ki;
  for (let j = 0; j < lambda.length; j++) {
    // lane: 0 for even j, 1 for odd j
    const lane = j & 1;
    const l = lambda[j];
    const wl = weight[j] * l;
    const ar = kr + l;
    const dd = ar * ar + ki2;
    if (dd < acc[18 + lane]) acc[18 + lane] = dd;
    const den = 1 / dd;
    // 1/(kappa + lambda) = (ar - i ki) / |.|^2, and its square and cube
    const ir = ar * den;
    const ii = -ki * den;
    const p2r = ir * ir - ii * ii;
    const p2i = 2 * ir * ii;
    const p3r = p2r * ir - p2i * ii;
    const p3i = p2r * ii + p2i * ir;
    acc[lane] += wl * ir;
    acc[2 + lane] += wl * ii;
    acc[4 + lane] -= wl * p2r;
    acc[6 + lane] -= wl * p2i;
    acc[8 + lane] += wl * p3r;
    acc[10 + lane] += wl * p3i;
    acc[12 + lane] -= wl * (p2r * p2r - p2i * p2i);
    acc[14 + lane] -= wl * 2 * p2r * p2i;
    acc[16 + lane] += Math.abs(wl) * (Math.abs(ir) + Math.abs(ii));
  }
  gSeriesFinish(acc, 0, out);
}

/** Two-lane accumulators of gSeries' JS loop (the kernel's layout: quantity q, lane l at 2 q + l). */
const G_LANES = new Float64Array(20);

/**
 * gSeries' output from the two-lane sums at acc[at..at + 20) (quantity q in acc[at + 2 q] and acc[at + 2 q + 1]):
 * g, -sum w l p^2, sum w l p^3, -sum w l p^4 (re, im each; p = 1/(kappa + lambda)), size, min |kappa + lambda|^2.
 */
function gSeriesFinish(acc: Float64Array, at: number, out: Float64Array): void {
  out[0] = acc[at] + acc[at + 1];
  out[1] = acc[at + 2] + acc[at + 3];
  // g' = -sum w lambda / (kappa + lambda)^2, g'' = 2 sum w lambda / (kappa + lambda)^3
  out[2] = acc[at + 4] + acc[at + 5];
  out[3] = acc[at + 6] + acc[at + 7];
  out[4] = 2 * (acc[at + 8] + acc[at + 9]);
  out[5] = 2 * (acc[at + 10] + acc[at + 11]);
  out[6] = acc[at + 16] + acc[at + 17];
  const m0 = acc[at + 18];
  const m1 = acc[at + 19];
  out[7] = Math.sqrt(m1 < m0 ? m1 : m0);
  // g''' = -6 sum w lambda / (kappa + lambda)^4
  out[8] = 6 * (acc[at + 12] + acc[at + 13]);
  out[9] = 6 * (acc[at + 14] + acc[at + 15]);
}

/**
 * phi(kappa) = kappa A1 A3 (so that s = phi(kappa), E15a) and its first three
 * derivatives, with p = A1 A3, A1 = 1 - g/P, A3 = 1 - g/N, m = A3/P + A1/N
 * (p' = -g' m, m' = -2 g' / (N P)):
 *   phi'   = p - kappa g' m,
 *   phi''  = -2 g' m + kappa (2 g'^2 / (N P) - g'' m),
 *   phi''' = 3 (2 g'^2 / (N P) - g'' m) + kappa (6 g' g'' / (N P) - g''' m);
 * g from gSeries; out = [phi, phi', phi'', phi'''] as (re, im) pairs.
 */
function phiSeries(kr: number, ki: number, g: Float64Array, invN: number, invP: number, out: Float64Array): void {
  const gr = g[0];
  const gi = g[1];
  const dgr = g[2];
  const dgi = g[3];
  const a1r = 1 - gr * invP;
  const a1i = -gi * invP;
  const a3r = 1 - gr * invN;
  const a3i = -gi * invN;
  const pr = a1r * a3r - a1i * a3i;
  const pi = a1r * a3i + a1i * a3r;
  const mr = a3r * invP + a1r * invN;
  const mi = a3i * invP + a1i * invN;
  // g' m and kappa g' m
  const gmr = dgr * mr - dgi * mi;
  const gmi = dgr * mi + dgi * mr;
  out[0] = kr * pr - ki * pi;
  out[1] = kr * pi + ki * pr;
  out[2] = pr - (kr * gmr - ki * gmi);
  out[3] = pi - (kr * gmi + ki * gmr);
  // 2 g'^2 / (N P) - g'' m
  const qr = 2 * (dgr * dgr - dgi * dgi) * invN * invP - (g[4] * mr - g[5] * mi);
  const qi = 4 * dgr * dgi * invN * invP - (g[4] * mi + g[5] * mr);
  out[4] = -2 * gmr + kr * qr - ki * qi;
  out[5] = -2 * gmi + kr * qi + ki * qr;
  // 6 g' g'' / (N P) - g''' m
  const npi = invN * invP;
  const wr = 6 * (dgr * g[4] - dgi * g[5]) * npi - (g[8] * mr - g[9] * mi);
  const wi = 6 * (dgr * g[5] + dgi * g[4]) * npi - (g[8] * mi + g[9] * mr);
  out[6] = 3 * qr + kr * wr - ki * wi;
  out[7] = 3 * qi + kr * wi + ki * wr;
}

/** Largest relative size of the predictor's second- and third-order terms at which it takes them (see continueStep). */
const HIGHER_ORDER_LIMIT = 0.2;

/** |Newton step| / min_k |kappa + lambda_k| below which the last correction updates g by its Taylor series (continueStep). */
const TAYLOR_LIMIT = 1e-6;

/**
 * The Stieltjes signs of the physical branch at Im s > 0 (THEORY E15a; see the
 * file comment): Im(s + lambda_max R) > 0 and Im(kappa g / s) < 0, to 1e-12
 * relative. A continuation step that ends with either violated has left the
 * branch and is halved.
 */
function stieltjesSigns(ctx: KappaContext, sr: number, si: number, kr: number, ki: number, gr: number, gi: number): boolean {
  const kd = kr * kr + ki * ki;
  // R = s / kappa
  const ri = (si * kr - sr * ki) / kd;
  const imShift = si + ctx.modes.lambdaMax * ri;
  const sden = sr * sr + si * si;
  const kgr = kr * gr - ki * gi;
  const kgi = kr * gi + ki * gr;
  const trIm = (kgi * sr - kgr * si) / sden;
  const trScale = Math.sqrt((kgr * kgr + kgi * kgi) / sden);
  return !(imShift < -1e-12 * Math.sqrt(sden) || trIm > 1e-12 * trScale);
}

/** Scratch of continueStep for phi and its derivatives (single-threaded; not re-entrant across awaits, none here). */
const PHI_SCRATCH = new Float64Array(8);

/**
 * One continuation step s0 -> s1 (THEORY E15a): third-order predictor
 * (the Taylor series of the inverse of phi at kappa0, from phi', phi'',
 * phi''' there; Euler where the higher terms exceed HIGHER_ORDER_LIMIT), then
 * Newton, halving the step on trouble. On return `scratch` holds gSeries at
 * the returned kappa (every path ends with an evaluation there), so callers
 * reuse g, g', g'' without another pass over the modes.
 */
function continueStep(
  ctx: KappaContext,
  s0r: number,
  s0i: number,
  k0r: number,
  k0i: number,
  d1r: number,
  d1i: number,
  d2r: number,
  d2i: number,
  d3r: number,
  d3i: number,
  s1r: number,
  s1i: number,
  depth: number,
  scratch: Float64Array,
  budget: { left: number } = { left: ctx.options.maxIterations * ctx.options.continuationNewtonIterations },
): { kr: number; ki: number; iterations: number; ok: boolean } {
  const { invN, invP, options } = ctx;
  if (budget.left <= 0) {
    gSeries(ctx.modes, k0r, k0i, scratch);
    return { kr: k0r, ki: k0i, iterations: 0, ok: false };
  }
  // u = (s1 - s0) / phi'(kappa0), c = phi''/phi', e = phi'''/phi' at kappa0: the Taylor series of the inverse of phi,
  // kappa(s1) = kappa0 + u - c u^2 / 2 + (3 c^2 - e) u^3 / 6 + ...
  const dsr = s1r - s0r;
  const dsi = s1i - s0i;
  const den1 = 1 / (d1r * d1r + d1i * d1i);
  const ur = (dsr * d1r + dsi * d1i) * den1;
  const ui = (dsi * d1r - dsr * d1i) * den1;
  const cr = (d2r * d1r + d2i * d1i) * den1;
  const ci = (d2i * d1r - d2r * d1i) * den1;
  const er = (d3r * d1r + d3i * d1i) * den1;
  const ei = (d3i * d1r - d3r * d1i) * den1;
  // c u and (3 c^2 - e) u^2 / 6: the higher terms are trusted only while they are small corrections
  // (each <= HIGHER_ORDER_LIMIT in modulus, the series converging fast); on long steps the Euler predictor and the
  // halving below decide.
  const cur = cr * ur - ci * ui;
  const cui = cr * ui + ci * ur;
  const u2r = ur * ur - ui * ui;
  const u2i = 2 * ur * ui;
  const c2r = cr * cr - ci * ci;
  const c2i = 2 * cr * ci;
  const hr = ((3 * c2r - er) * u2r - (3 * c2i - ei) * u2i) / 6;
  const hi = ((3 * c2r - er) * u2i + (3 * c2i - ei) * u2r) / 6;
  let kr = k0r + ur;
  let ki = k0i + ui;
  const lim2 = HIGHER_ORDER_LIMIT * HIGHER_ORDER_LIMIT;
  if (cur * cur + cui * cui <= lim2 && hr * hr + hi * hi <= lim2) {
    // u (1 - c u / 2 + (3 c^2 - e) u^2 / 6)
    const tr = -0.5 * cur + hr;
    const ti = -0.5 * cui + hi;
    kr += ur * tr - ui * ti;
    ki += ur * ti + ui * tr;
  }
  const predR = kr;
  const predI = ki;
  const stepSize = Math.sqrt((kr - k0r) * (kr - k0r) + (ki - k0i) * (ki - k0i));
  let iterations = 0;
  let ok = false;
  let evaluated = false;
  const phi = PHI_SCRATCH;
  for (; iterations < options.continuationNewtonIterations && budget.left > 0; iterations++) {
    budget.left--;
    gSeries(ctx.modes, kr, ki, scratch);
    evaluated = true;
    phiSeries(kr, ki, scratch, invN, invP, phi);
    const fr = phi[0] - s1r;
    const fi = phi[1] - s1i;
    // Attainable residual: the round-off of phi(kappa) = kappa A1 A3 given the size of g's terms
    // (the conditioning of the sum, large for clustered or degenerate spectra); Newton cannot go below it.
    const gAbs = Math.sqrt(scratch[0] * scratch[0] + scratch[1] * scratch[1]);
    const kAbs = Math.sqrt(kr * kr + ki * ki);
    const floor = ATTAINABLE_FACTOR * EPS_KAPPA * (kAbs * ((1 + gAbs * invP) * (1 + gAbs * invN) + scratch[6] * (invP + invN)) + Math.sqrt(s1r * s1r + s1i * s1i));
    if (fr * fr + fi * fi <= floor * floor && iterations > 0) {
      ok = true;
      iterations++;
      break;
    }
    const dfr = phi[2];
    const dfi = phi[3];
    const den = 1 / (dfr * dfr + dfi * dfi);
    const xr = (fr * dfr + fi * dfi) * den;
    const xi = (fi * dfr - fr * dfi) * den;
    const x2 = xr * xr + xi * xi;
    if (Math.sqrt(x2) <= options.tolerance * kAbs) {
      // Converged: the correction is below the tolerance; keep the evaluated point (its g is exact).
      ok = true;
      iterations++;
      break;
    }
    // Last correction without another pass over the modes: after the step the Newton error is about
    // |phi''/(2 phi')| |x|^2; when that is below the tolerance and |x| <= TAYLOR_LIMIT rho (rho = min |kappa + lambda|,
    // the radius of g's Taylor series), g(kappa - x) = g - g' x + g'' x^2 / 2 to (|x|/rho)^3 <= 1e-18 relative.
    const rhoK = scratch[7];
    const cAbs = Math.sqrt((phi[4] * phi[4] + phi[5] * phi[5]) * den);
    if (x2 <= TAYLOR_LIMIT * TAYLOR_LIMIT * rhoK * rhoK && 0.5 * cAbs * x2 <= options.tolerance * kAbs) {
      kr -= xr;
      ki -= xi;
      // delta = -x
      const dr = -xr;
      const di = -xi;
      const d2r = dr * dr - di * di;
      const d2i = 2 * dr * di;
      const g1r = scratch[2];
      const g1i = scratch[3];
      const g2r = scratch[4];
      const g2i = scratch[5];
      scratch[0] += g1r * dr - g1i * di + 0.5 * (g2r * d2r - g2i * d2i);
      scratch[1] += g1r * di + g1i * dr + 0.5 * (g2r * d2i + g2i * d2r);
      scratch[2] += g2r * dr - g2i * di;
      scratch[3] += g2r * di + g2i * dr;
      ok = true;
      iterations++;
      break;
    }
    kr -= xr;
    ki -= xi;
    evaluated = false;
    if (!Number.isFinite(kr) || !Number.isFinite(ki)) break;
  }
  // A Newton correction larger than the predicted step itself suggests the
  // iteration may have left the branch: halve the step instead.
  const correction = Math.sqrt((kr - predR) * (kr - predR) + (ki - predI) * (ki - predI));
  const suspicious = correction > 0.5 * stepSize + 1e-13 * Math.sqrt(kr * kr + ki * ki) && stepSize > 1e-3 * Math.sqrt(k0r * k0r + k0i * k0i);
  // A converged step that ends off the physical branch (Stieltjes signs) is halved too; when no halving is
  // left it is returned as converged and the node's own sign check (solveKappaNodes) flags it.
  const offBranch = ok && !suspicious && s1i > 0 && evaluated && !stieltjesSigns(ctx, s1r, s1i, kr, ki, scratch[0], scratch[1]);
  if ((ok && !suspicious && !offBranch) || depth >= options.continuationMaxDepth || budget.left <= 0) {
    if (!evaluated) gSeries(ctx.modes, kr, ki, scratch);
    return { kr, ki, iterations, ok: ok && !suspicious };
  }
  const mr = 0.5 * (s0r + s1r);
  const mi = 0.5 * (s0i + s1i);
  const first = continueStep(ctx, s0r, s0i, k0r, k0i, d1r, d1i, d2r, d2i, d3r, d3i, mr, mi, depth + 1, scratch, budget);
  const mid = new Float64Array(8);
  phiSeries(first.kr, first.ki, scratch, invN, invP, mid);
  const second = continueStep(ctx, mr, mi, first.kr, first.ki, mid[2], mid[3], mid[4], mid[5], mid[6], mid[7], s1r, s1i, depth + 1, scratch, budget);
  return { kr: second.kr, ki: second.ki, iterations: iterations + first.iterations + second.iterations, ok: first.ok && second.ok };
}

export interface ComplexKappa {
  kRe: number;
  kIm: number;
  /** R1, R3, R = s/kappa and Q = g(kappa) (E11, E15a). */
  r1Re: number;
  r1Im: number;
  r3Re: number;
  r3Im: number;
  rRe: number;
  rIm: number;
  qRe: number;
  qIm: number;
  residual: number;
  iterations: number;
  status: Status;
  message: string;
}

/**
 * kappa at one complex s off the cut (-inf, 0]: the physical real root at |s|
 * continued along the arc |s| e^{i phi} (which keeps the distance |s| from the
 * branch point 0), in steps of at most 0.1 rad. Im s < 0 by conjugation.
 */
export function solveKappaComplex(ctx: KappaContext, sRe: number, sIm: number): ComplexKappa {
  const conj = sIm < 0;
  const si = Math.abs(sIm);
  const radius = Math.hypot(sRe, si);
  const theta = Math.atan2(si, sRe);
  const steps = Math.max(1, Math.ceil(theta / 0.1));
  const pr = new Float64Array(steps);
  const pi = new Float64Array(steps);
  for (let i = 0; i < steps; i++) {
    const phi = (theta * (i + 1)) / steps;
    pr[i] = i === steps - 1 ? sRe : radius * Math.cos(phi);
    pi[i] = i === steps - 1 ? si : radius * Math.sin(phi);
  }
  // Arc points have increasing phi; solveKappaNodes visits by increasing Im, which is not
  // monotone past pi/2, so continue point by point.
  let kr = 0;
  let ki = 0;
  let iterations = 0;
  let ok = true;
  let status: Status = 'converged';
  const free = ctx.invN === 0 && ctx.invP === 0;
  if (si === 0) {
    const real = solveKappaReal(ctx, sRe);
    kr = real.kappa;
    iterations = real.iterations;
    status = real.status;
  } else if (free) {
    kr = sRe;
    ki = si;
  } else {
    const real = solveKappaReal(ctx, radius);
    iterations += real.iterations;
    kr = real.kappa;
    status = real.status;
    const scratch = new Float64Array(G_SERIES_LENGTH);
    const slope = new Float64Array(8);
    let cr = radius;
    let ci = 0;
    gSeries(ctx.modes, kr, ki, scratch);
    for (let i = 0; i < steps; i++) {
      phiSeries(kr, ki, scratch, ctx.invN, ctx.invP, slope);
      const step = continueStep(ctx, cr, ci, kr, ki, slope[2], slope[3], slope[4], slope[5], slope[6], slope[7], pr[i], pi[i], 0, scratch);
      kr = step.kr;
      ki = step.ki;
      iterations += step.iterations;
      ok = ok && step.ok;
      cr = pr[i];
      ci = pi[i];
    }
    if (!ok) status = worstStatus(status, 'max_iter');
  }
  const nodes = solveKappaNodesAt(ctx, sRe, si, kr, ki);
  let message = '';
  if (status === 'converged' && nodes.status !== 'converged') {
    status = nodes.status;
    message = nodes.message;
  }
  if (!Number.isFinite(kr) || !Number.isFinite(ki)) status = 'non_finite';
  const sign = conj ? -1 : 1;
  return {
    kRe: kr,
    kIm: sign * ki,
    r1Re: nodes.r1r,
    r1Im: sign * nodes.r1i,
    r3Re: nodes.r3r,
    r3Im: sign * nodes.r3i,
    rRe: nodes.rr,
    rIm: sign * nodes.ri,
    qRe: nodes.gr,
    qIm: sign * nodes.gi,
    residual: nodes.residual,
    iterations,
    status,
    message,
  };
}

/** Response functions, residual and Stieltjes check at one solved node (upper half plane or real). */
function solveKappaNodesAt(ctx: KappaContext, sr: number, si: number, kr: number, ki: number) {
  const scratch = new Float64Array(G_SERIES_LENGTH);
  const free = ctx.invN === 0 && ctx.invP === 0;
  gSeries(ctx.modes, kr, ki, scratch);
  const gr = free ? 0 : scratch[0];
  const gi = free ? 0 : scratch[1];
  const resp = responses(ctx, sr, si, kr, ki, gr, gi);
  const a1r = 1 - gr * ctx.invP;
  const a1i = -gi * ctx.invP;
  const a3r = 1 - gr * ctx.invN;
  const a3i = -gi * ctx.invN;
  const ppr = a1r * a3r - a1i * a3i;
  const ppi = a1r * a3i + a1i * a3r;
  const fr = kr * ppr - ki * ppi - sr;
  const fi = kr * ppi + ki * ppr - si;
  const gm = Math.hypot(gr, gi);
  const residual = free ? 0 : Math.hypot(fr, fi) / (Math.hypot(kr, ki) * (1 + gm * ctx.invP) * (1 + gm * ctx.invN));
  let status: Status = 'converged';
  let message = '';
  if (!(residual <= ctx.options.residualTolerance)) {
    status = 'unverified';
    message = `residual ${residual.toExponential(2)} above tolerance`;
  } else if (si > 0 && sr * 0 === 0) {
    const imShift = si + ctx.modes.lambdaMax * resp.ri;
    if (imShift < -1e-12 * Math.hypot(sr, si)) {
      status = 'unverified';
      message = 'Stieltjes sign violated (wrong branch?)';
    }
  }
  return { ...resp, gr, gi, residual, status, message };
}

/**
 * Top of the DMFT spectrum of F G (THEORY E15a, E26): on the real axis left of
 * every pole of g (kappa < -lambda_max) phi(kappa) is real, tends to -infinity
 * at both ends, and the support edge is its largest value there:
 * E_max = -max_{kappa < -lambda_max} phi(kappa) (the critical value of the
 * inverse map, as for Marchenko-Pastur edges). N = P = infinity gives
 * lambda_max. Log-grid search then golden-section refinement.
 */
export function spectrumTop(ctx: KappaContext): number {
  const lm = ctx.modes.lambdaMax;
  if (ctx.invN === 0 && ctx.invP === 0) return lm;
  const phiAt = (logx: number): number => {
    const kappa = -lm - Math.exp(logx);
    const { g } = gReal(ctx.modes, kappa);
    return kappa * (1 - g * ctx.invP) * (1 - g * ctx.invN);
  };
  const lo = Math.log(1e-14 * lm);
  const hi = Math.log(10 * (lm + ctx.modes.trace * (ctx.invN + ctx.invP)) + 1);
  const grid = 400;
  let best = 0;
  let bestV = -Infinity;
  for (let i = 0; i <= grid; i++) {
    const v = phiAt(lo + ((hi - lo) * i) / grid);
    if (v > bestV) {
      bestV = v;
      best = i;
    }
  }
  let a = lo + ((hi - lo) * Math.max(0, best - 1)) / grid;
  let b = lo + ((hi - lo) * Math.min(grid, best + 1)) / grid;
  const gr = (Math.sqrt(5) - 1) / 2;
  for (let it = 0; it < 60; it++) {
    const c1 = b - gr * (b - a);
    const c2 = a + gr * (b - a);
    if (phiAt(c1) > phiAt(c2)) b = c2;
    else a = c1;
  }
  return -Math.max(bestV, phiAt(0.5 * (a + b)));
}

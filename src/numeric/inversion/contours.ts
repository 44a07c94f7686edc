/**
 * Where to sample: contour node sets and their weights (THEORY E13).
 *
 * f(t) = (1/2 pi i) \int_Gamma e^{s t} F(s) ds, Gamma a contour wrapping the
 * negative real axis (all singularities of the DMFT transforms lie on
 * (-inf, 0], THEORY E15a). Each rule is a midpoint rule in the contour
 * parameter, symmetric under conjugation, so only nodes with Im s > 0 are
 * stored and, for real f,  f(t) ~ 2 Re sum_j V_j(t) F(s_j)  with
 *   V_j(t) = (h / 2 pi i) e^{s_j t} s'(u_j),  u_j = (j + 1/2) h.
 * (Proof: the conjugate node conj(s_j) has weight conj(V_j) because
 * s(-u) = conj s(u) and s'(-u) = -conj s'(u), and F(conj s) = conj F(s).)
 *
 * Methods
 * - 'hyperbolic' [WT07, section 4]: s(u) = sigma0 + mu (1 + sin(i u - alpha))
 *   = sigma0 + mu (1 - sin(alpha) cosh u) + i mu cos(alpha) sinh u.
 * - 'parabolic' [WT07, section 3]: s(u) = sigma0 + mu (i u + 1)^2
 *   = sigma0 + mu (1 - u^2) + 2 i mu u.
 *   Both serve a whole window t in [t0, Lambda t0] with one node set; windows
 *   are laid greedily over the requested times (a window starts at the first
 *   time not yet served), so a grid spanning 1e-2..1e5 with Lambda = 10 needs
 *   at most 8 groups.
 * - 'talbot' [AV04, fixed Talbot]: s(theta) = sigma0 + r theta (cot theta + i),
 *   r = c n / t (c = 2/5 in [AV04]), one group per time, midpoint nodes
 *   theta_j = (j + 1/2) pi / n: [AV04] use theta_k = k pi / M including the
 *   real node theta = 0 with weight 1/2; the midpoint rule is the same
 *   trapezoid-type rule on the shifted grid (same exponential convergence for
 *   the analytic periodic-like integrand) and has no real-axis node, as the
 *   contract requires.
 *
 * Parameter choice ([WT07]). The error of the midpoint rule with step h on a
 * contour analytic in the strip -d_- < Im u < d_+ is ~ e^{-2 pi d_+/h}
 * (upper edge, where the contour collapses onto the negative axis) plus
 * ~ e^{mu t x_-} e^{-2 pi d_-/h} (lower edge, crossing the real axis at x_-,
 * worst at the window's largest time Lambda t0) plus the truncation
 * ~ e^{mu t Re s(n h)/mu} (worst at the smallest time t0). [WT07] balance the
 * three terms in closed form; we solve the same balance numerically (nested
 * one-dimensional searches over alpha and h, d_- in closed form, ~1 ms), adding the
 * roundoff term eps e^{mu Lambda t0 x_c} (x_c the crossing of the contour)
 * that [WT07] discuss for large Lambda. For Lambda = 1 and no margin the
 * optimizer reproduces [WT07]'s single-time values (parabolic h = 3/n,
 * mu = pi n / (12 t), error e^{-2 pi n / 3}; hyperbolic alpha = 1.1721,
 * h = 1.0818/n, mu = 4.4921 n/t): test/numeric/inversion.test.ts checks this.
 *
 * Where it fails:
 * - a singularity right of the contour (not enclosed) gives a silently wrong
 *   value: f growing like e^{p t} needs shift > p (singularity.ts detects it
 *   in invertLaplace). Complex poles p with Re p > -O(1/t) and |Im p| above the
 *   contour's height (~ n/t near the axis) cannot be enclosed at large t by
 *   any shift: undamped or weakly damped oscillations are out of reach.
 * - Very large Lambda (> 100) loses digits to cancellation (the roundoff term);
 *   hyperbolic with Lambda = 20 needs n ~ 40 for 1e-14.
 * - F must be accurate near the crossing: its relative error is amplified by
 *   ~e^{mu Lambda t0 (1 - sin alpha)} (~1e2 at the defaults). (A naive complex
 *   sqrt that cancels near s = 0 cost 1e-11 at t = 1e6 in our tests.)
 * - fixed Talbot is limited by roundoff in double precision (e^{0.4 n} at the
 *   crossing), best near n = 20 (~1e-12); [AV04] intend it for multiprecision.
 * - Needs F(conj s) = conj F(s) (real f); complex f is not supported.
 */

import { InvalidArgumentError, requireFinite } from '../../core/errors.js';
import { INVERSION_DEFAULTS } from './defaults.js';
import type { InversionMethodName, InversionPlan, PlanGroup } from './types.js';

/** Settings of makePlan (nodes, window ratio). */
export interface PlanOptions {
  /** Upper-half-plane nodes per group (default INVERSION_DEFAULTS.nodes[method]). */
  readonly nodes?: number;
  /** Window ratio Lambda = t1/t0 for hyperbolic/parabolic (>= 1). */
  readonly windowRatio?: number;
  /** Contour translated right by sigma0 >= 0 (weights x e^{sigma0 t}). */
  readonly shift?: number;
  /** [WT07] sector margin delta in [0, 0.5). */
  readonly sectorMargin?: number;
  /** Fixed Talbot radius factor c, r = c n / t (> 0). */
  readonly talbotRadius?: number;
  /**
   * Node grid in the contour parameter (hyperbolic, parabolic): 'midpoint' u_j = (j + 1/2) h (default), or
   * 'trapezoid' u_j = j h, j = 0..n-1, whose node u_0 = 0 lies on the real axis (its weight halved: it
   * stands for itself and its own conjugate). The trapezoid grid nests: the nodes with even j are the same
   * rule at step 2h, those with j divisible by 4 at step 4h (PlanGroup.nest), which gives an error estimate
   * from the primary's own values (verify.ts nestedSpread).
   */
  readonly grid?: 'midpoint' | 'trapezoid';
}

/** Scaled contour parameters of one method for one (n, Lambda, delta). */
export interface ContourParameters {
  /** Step h of the midpoint rule in u. */
  readonly h: number;
  /** mu t0 (hyperbolic, parabolic) or r t (talbot). */
  readonly muT0: number;
  /** Hyperbolic angle alpha (NaN otherwise). */
  readonly alpha: number;
  /** e^{-balanced exponent}: the model's predicted relative error. */
  readonly predictedError: number;
}

const TWO_PI = 2 * Math.PI;

/**
 * [WT07] hyperbolic balance, solved numerically. For given (alpha, H = n h):
 * mu t0 equates the upper-edge and truncation exponents,
 *   2 pi (pi/2 - delta - alpha)/h = mu t0 (sin(alpha) cosh(H) - 1),
 * the lower strip edge d in (0, alpha] maximizes its exponent
 *   2 pi d/h - mu Lambda t0 (1 - sin(alpha - d))   (closed form, concave in d),
 * and (alpha, H) maximize min(upper, lower, roundoff) by nested grid +
 * golden-section searches (the objective is a min of smooth terms: ridge-
 * following compass steps or zooming 2-D grids stall off the ridge).
 */
export function hyperbolicParameters(n: number, lambda: number, delta: number, roundoff: number): ContourParameters {
  const logEps = -Math.log(roundoff);
  const top = Math.PI / 2 - delta;
  // mu t0 from the upper = truncation balance.
  const muT0 = (alpha: number, big: number): number =>
    (TWO_PI * (top - alpha) * n) / big / (Math.sin(alpha) * Math.cosh(big) - 1);
  const value = (alpha: number, big: number): number => {
    const h = big / n;
    const aUp = (TWO_PI * (top - alpha)) / h;
    const tail = Math.sin(alpha) * Math.cosh(big) - 1; // -(Re s(n h))/mu
    if (!(alpha > 0 && alpha < top && tail > 0)) return -Infinity;
    const m = aUp / tail;
    const c = TWO_PI / (h * m * lambda); // optimal cos(alpha - d)
    const d = c >= 1 ? alpha : Math.max(0, alpha - Math.acos(c));
    const aLow = (TWO_PI * d) / h - m * lambda * (1 - Math.sin(alpha - d));
    const aRound = logEps - m * lambda * (1 - Math.sin(alpha));
    return Math.min(aUp, aLow, aRound);
  };
  const [alpha, big] = zoomMaximize(value, [0, top], [0.05, 8]);
  return { h: big / n, muT0: muT0(alpha, big), alpha, predictedError: Math.exp(-value(alpha, big)) };
}

/**
 * [WT07] parabolic balance, solved numerically. For given H = n h: the upper
 * strip edge is Im u = 1 - delta (the contour collapses onto the negative axis
 * at Im u = 1), mu t0 equates upper-edge and truncation exponents,
 *   2 pi (1 - delta)/h = mu t0 (H^2 - 1),
 * the lower edge d maximizes 2 pi d/h - mu Lambda t0 (1 + d)^2, i.e.
 * d = pi/(h mu Lambda t0) - 1, and H maximizes min(upper, lower, roundoff).
 */
export function parabolicParameters(n: number, lambda: number, delta: number, roundoff: number): ContourParameters {
  const logEps = -Math.log(roundoff);
  const top = 1 - delta;
  const evaluate = (big: number) => {
    const h = big / n;
    const aUp = (TWO_PI * top) / h;
    const tail = big * big - 1;
    if (!(tail > 0)) return { value: -Infinity, h, m: NaN };
    const m = aUp / tail;
    const d = Math.max(0, Math.PI / (h * m * lambda) - 1);
    const aLow = (TWO_PI * d) / h - m * lambda * (1 + d) * (1 + d);
    const aRound = logEps - m * lambda;
    return { value: Math.min(aUp, aLow, aRound), h, m };
  };
  const [, big] = zoomMaximize((_a, b) => evaluate(b).value, [0, 0], [1, 12]);
  const best = evaluate(big);
  return { h: best.h, muT0: best.m, alpha: NaN, predictedError: Math.exp(-best.value) };
}

/**
 * Maximizes f over a box by nested one-dimensional searches: for each x the
 * best y (maximize1), then the best x of that profile. A degenerate range
 * [a, a] fixes that variable. ~5000 evaluations of f.
 */
function zoomMaximize(
  f: (x: number, y: number) => number,
  rx: readonly [number, number],
  ry: readonly [number, number],
): [number, number] {
  const inner = (x: number) => maximize1((y) => f(x, y), ry[0], ry[1]);
  const x = rx[0] === rx[1] ? rx[0] : maximize1((xx) => inner(xx).value, rx[0], rx[1]).x;
  return [x, inner(x).x];
}

/**
 * One-dimensional maximization: a 30-point grid, then golden-section search
 * in the two cells around the best grid point (1e-9 of the range). Robust for
 * the min-of-smooth-terms objectives here, which are unimodal but not smooth
 * at their maximum (where two error terms balance).
 */
function maximize1(f: (x: number) => number, a: number, b: number): { x: number; value: number } {
  if (a === b) return { x: a, value: f(a) };
  const grid = 30;
  let bestI = 0;
  let bestV = -Infinity;
  const xs = new Float64Array(grid);
  for (let i = 0; i < grid; i++) {
    xs[i] = a + ((b - a) * (i + 0.5)) / grid;
    const v = f(xs[i]);
    if (v > bestV) {
      bestV = v;
      bestI = i;
    }
  }
  let lo = bestI === 0 ? a : xs[bestI - 1];
  let hi = bestI === grid - 1 ? b : xs[bestI + 1];
  const g = (Math.sqrt(5) - 1) / 2;
  let c = hi - g * (hi - lo);
  let d = lo + g * (hi - lo);
  let fc = f(c);
  let fd = f(d);
  for (let it = 0; it < 40; it++) {
    if (fc >= fd) {
      hi = d;
      d = c;
      fd = fc;
      c = hi - g * (hi - lo);
      fc = f(c);
    } else {
      lo = c;
      c = d;
      fc = fd;
      d = lo + g * (hi - lo);
      fd = f(d);
    }
  }
  const x = (lo + hi) / 2;
  const v = f(x);
  return v >= bestV ? { x, value: v } : { x: xs[bestI], value: bestV };
}

/** Validates a time array: non-empty, finite, > 0, non-decreasing. */
export function validateTimes(t: ArrayLike<number>, name = 't'): Float64Array {
  if (t === null || t === undefined || typeof t.length !== 'number') {
    throw new InvalidArgumentError(name, 'must be an array of times', t);
  }
  if (t.length === 0) throw new InvalidArgumentError(name, 'must be non-empty', []);
  const out = new Float64Array(t.length);
  for (let i = 0; i < t.length; i++) {
    const ti = t[i];
    requireFinite(`${name}[${i}]`, ti);
    if (ti < 0) throw new InvalidArgumentError(`${name}[${i}]`, 'must be >= 0 (times are non-negative)', ti);
    if (ti === 0) {
      throw new InvalidArgumentError(`${name}[${i}]`, 'must be > 0 (t = 0 is answered analytically: f(0+) = lim s F(s))', ti);
    }
    if (i > 0 && ti < out[i - 1]) throw new InvalidArgumentError(`${name}[${i}]`, 'must be non-decreasing (times ascending)', ti);
    out[i] = ti;
  }
  return out;
}

function readOptions(method: InversionMethodName, options: PlanOptions | undefined) {
  const nodes = options?.nodes ?? INVERSION_DEFAULTS.nodes[method];
  if (!Number.isInteger(nodes) || nodes < 2 || nodes > 4096) {
    throw new InvalidArgumentError('options.nodes', 'must be an integer in [2, 4096]', nodes);
  }
  const windowRatio = requireFinite('options.windowRatio', options?.windowRatio ?? INVERSION_DEFAULTS.windowRatio);
  if (windowRatio < 1) throw new InvalidArgumentError('options.windowRatio', 'must be >= 1', windowRatio);
  const shift = requireFinite('options.shift', options?.shift ?? INVERSION_DEFAULTS.shift);
  if (shift < 0) throw new InvalidArgumentError('options.shift', 'must be >= 0', shift);
  const sectorMargin = requireFinite('options.sectorMargin', options?.sectorMargin ?? INVERSION_DEFAULTS.sectorMargin);
  if (sectorMargin < 0 || sectorMargin >= 0.5) {
    throw new InvalidArgumentError('options.sectorMargin', 'must be in [0, 0.5)', sectorMargin);
  }
  const talbotRadius = requireFinite('options.talbotRadius', options?.talbotRadius ?? INVERSION_DEFAULTS.talbotRadius);
  if (!(talbotRadius > 0)) throw new InvalidArgumentError('options.talbotRadius', 'must be > 0', talbotRadius);
  const grid = options?.grid ?? 'midpoint';
  if (grid !== 'midpoint' && grid !== 'trapezoid') throw new InvalidArgumentError('options.grid', "must be 'midpoint' or 'trapezoid'", grid);
  return { nodes, windowRatio, shift, sectorMargin, talbotRadius, grid };
}

const METHODS: readonly InversionMethodName[] = ['hyperbolic', 'parabolic', 'talbot'];

/** Memo of the contour parameters (pure functions of their arguments, immutable results). */
/**
 * The balance of the default contours as hyperbolicParameters gives it (roundoff INVERSION_DEFAULTS.roundoff; key
 * `method nodes windowRatio sectorMargin`): 36 nodes (the nested primary) and 24 (the second pass of circle-rule
 * times), window ratio 10, sector margin 0.1. Shipped so that a fresh process's first curve does not run the searches
 * (about 10 ms, interpreted); test/numeric/contour-parameters.test.ts recomputes each and fails when they differ.
 */
export const PRECOMPUTED_PARAMETERS: ReadonlyArray<readonly [string, ContourParameters]> = [
  ['hyperbolic 36 10 0.1', { h: 0.11704531597826524, muT0: 1.3331629226987054, alpha: 0.859571228366427, predictedError: 5.6249191769110684e-15 }],
  ['hyperbolic 24 10 0.1', { h: 0.14285002805006355, muT0: 1.9472439731364573, alpha: 0.9567539269845151, predictedError: 1.515824171342507e-10 }],
];

const PARAMETER_CACHE = new Map<string, ContourParameters>(PRECOMPUTED_PARAMETERS);

/**
 * Builds the node sets and weights for `method` at times `t` (THEORY E13).
 *
 * t: non-decreasing, finite, > 0 (t = 0 and t = infinity are answered
 * analytically by callers). For a single transform at 2t (THEORY E16: the
 * transform of Q(s)/s at 2t) build a second plan on the array 2t: it is just
 * another time array; when 2t falls in the same windows the node sets differ
 * anyway, so callers evaluate F at that plan's nodes too (for the DMFT, one
 * extra scalar per node, no per-mode work).
 *
 * Throws InvalidArgumentError for an unknown method, invalid times or options.
 */
export function makePlan(method: InversionMethodName, t: ArrayLike<number>, options?: PlanOptions): InversionPlan {
  if (!METHODS.includes(method)) {
    throw new InvalidArgumentError('method', `must be one of ${METHODS.join(', ')}`, method);
  }
  const times = validateTimes(t);
  const o = readOptions(method, options);
  if (method === 'talbot') return talbotPlan(times, o);
  // The balance depends only on (method, n, Lambda, delta): solved once per process (~1 ms each).
  const key = `${method} ${o.nodes} ${o.windowRatio} ${o.sectorMargin}`;
  let params = PARAMETER_CACHE.get(key);
  if (params === undefined) {
    params =
      method === 'hyperbolic'
        ? hyperbolicParameters(o.nodes, o.windowRatio, o.sectorMargin, INVERSION_DEFAULTS.roundoff)
        : parabolicParameters(o.nodes, o.windowRatio, o.sectorMargin, INVERSION_DEFAULTS.roundoff);
    if (PARAMETER_CACHE.size < 256) PARAMETER_CACHE.set(key, params);
  }
  const n = o.nodes;
  const h = params.h;
  const trapezoid = o.grid === 'trapezoid';
  // Unit contour (mu = 1, no shift) and its derivative at u_j = (j + 1/2) h (midpoint) or j h (trapezoid).
  const xr = new Float64Array(n);
  const xi = new Float64Array(n);
  const dr = new Float64Array(n);
  const di = new Float64Array(n);
  const nest = trapezoid ? Uint8Array.from({ length: n }, (_, j) => (j % 4 === 0 ? 4 : j % 2 === 0 ? 2 : 1)) : undefined;
  for (let j = 0; j < n; j++) {
    const u = (trapezoid ? j : j + 0.5) * h;
    if (method === 'hyperbolic') {
      const sa = Math.sin(params.alpha);
      const ca = Math.cos(params.alpha);
      xr[j] = 1 - sa * Math.cosh(u);
      xi[j] = ca * Math.sinh(u);
      dr[j] = -sa * Math.sinh(u);
      di[j] = ca * Math.cosh(u);
    } else {
      xr[j] = 1 - u * u;
      xi[j] = 2 * u;
      dr[j] = -2 * u;
      di[j] = 2;
    }
  }
  const groups: PlanGroup[] = [];
  let start = 0;
  while (start < times.length) {
    const t0 = times[start];
    let end = start + 1;
    // Relative slack so a time at exactly Lambda t0 (up to rounding) joins the window.
    const t1 = t0 * o.windowRatio * (1 + 1e-12);
    while (end < times.length && times[end] <= t1) end++;
    const mu = params.muT0 / t0;
    const re = new Float64Array(n);
    const im = new Float64Array(n);
    const dsr = new Float64Array(n);
    const dsi = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      re[j] = o.shift + mu * xr[j];
      im[j] = mu * xi[j];
      dsr[j] = mu * dr[j];
      dsi[j] = mu * di[j];
    }
    const { wRe, wIm } = weights(times, start, end, re, im, dsr, dsi, h / TWO_PI);
    if (trapezoid) {
      // u_0 = 0 is real: half its weight here, the other half is its conjugate's in 2 Re sum V F.
      for (let i = 0; i < end - start; i++) {
        wRe[i * n] *= 0.5;
        wIm[i * n] *= 0.5;
      }
    }
    groups.push({ tStart: start, tEnd: end, re, im, wRe, wIm, ...(nest ? { nest } : {}) });
    start = end;
  }
  return {
    method,
    t: times,
    groups,
    settings: Object.freeze({
      method,
      nodes: n,
      windowRatio: o.windowRatio,
      shift: o.shift,
      sectorMargin: o.sectorMargin,
      grid: o.grid,
      h,
      muT0: params.muT0,
      ...(method === 'hyperbolic' ? { alpha: params.alpha } : {}),
      predictedError: params.predictedError,
      reference: method === 'hyperbolic' ? 'WT07 section 4' : 'WT07 section 3',
    }),
  };
}

/**
 * V_ij = c e^{s_j t_i} s'_j / i for the times [start, end): c = h / 2 pi for the
 * (1/2 pi i) \int e^{st} ds quadrature. Division by i: (a + ib)/i = b - ia.
 */
function weights(
  times: Float64Array,
  start: number,
  end: number,
  re: Float64Array,
  im: Float64Array,
  dsr: Float64Array,
  dsi: Float64Array,
  c: number,
): { wRe: Float64Array; wIm: Float64Array } {
  const n = re.length;
  const wRe = new Float64Array((end - start) * n);
  const wIm = new Float64Array((end - start) * n);
  for (let i = start; i < end; i++) {
    const ti = times[i];
    const row = (i - start) * n;
    for (let j = 0; j < n; j++) {
      const mag = c * Math.exp(re[j] * ti);
      if (mag === 0) continue; // far-left node: weight underflows (avoids 0 * Inf)
      const er = mag * Math.cos(im[j] * ti);
      const ei = mag * Math.sin(im[j] * ti);
      const pr = er * dsr[j] - ei * dsi[j];
      const pi = er * dsi[j] + ei * dsr[j];
      wRe[row + j] = pi;
      wIm[row + j] = -pr;
    }
  }
  return { wRe, wIm };
}

/** Fixed Talbot [AV04], midpoint variant: one group per time. */
function talbotPlan(times: Float64Array, o: ReturnType<typeof readOptions>): InversionPlan {
  const n = o.nodes;
  const groups: PlanGroup[] = [];
  const dtheta = Math.PI / n;
  for (let i = 0; i < times.length; i++) {
    const ti = times[i];
    const r = (o.talbotRadius * n) / ti; // [AV04] r = 2M/(5t)
    const re = new Float64Array(n);
    const im = new Float64Array(n);
    const dsr = new Float64Array(n);
    const dsi = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const th = (j + 0.5) * dtheta;
      const cot = Math.cos(th) / Math.sin(th);
      const csc2 = 1 / (Math.sin(th) * Math.sin(th));
      re[j] = o.shift + r * th * cot;
      im[j] = r * th;
      // s'(theta) = r (cot - theta csc^2) + i r = i r (1 + i sigma(theta)) [AV04]
      dsr[j] = r * (cot - th * csc2);
      dsi[j] = r;
    }
    const { wRe, wIm } = weights(times, i, i + 1, re, im, dsr, dsi, dtheta / TWO_PI);
    groups.push({ tStart: i, tEnd: i + 1, re, im, wRe, wIm });
  }
  return {
    method: 'talbot',
    t: times,
    groups,
    settings: Object.freeze({
      method: 'talbot',
      nodes: n,
      shift: o.shift,
      talbotRadius: o.talbotRadius,
      reference: 'AV04 fixed Talbot, midpoint nodes',
    }),
  };
}

/**
 * Real-axis crossing x_c of a group's contour (its rightmost point), used by
 * the singularity probes: for hyperbolic mu (1 - sin alpha) + sigma0, parabolic
 * mu + sigma0, talbot r + sigma0 (theta cot theta -> 1 as theta -> 0).
 */
export function crossingPoint(plan: InversionPlan, groupIndex: number): number {
  const g = plan.groups[groupIndex];
  const shift = Number(plan.settings.shift ?? 0);
  const t0 = plan.t[g.tStart];
  if (plan.method === 'hyperbolic') {
    const alpha = Number(plan.settings.alpha);
    return shift + (Number(plan.settings.muT0) / t0) * (1 - Math.sin(alpha));
  }
  if (plan.method === 'parabolic') return shift + Number(plan.settings.muT0) / t0;
  return shift + (Number(plan.settings.talbotRadius) * Number(plan.settings.nodes)) / t0;
}

/**
 * Real part of a group's (untruncated) contour at height Im s = y >= 0: a
 * point p with Im p = y lies right of the contour (its residue is missed)
 * when Re p > this value. -Infinity when the contour never reaches height y
 * (talbot: y >= r pi).
 */
export function contourRealPartAt(plan: InversionPlan, groupIndex: number, y: number): number {
  const g = plan.groups[groupIndex];
  const shift = Number(plan.settings.shift ?? 0);
  const t0 = plan.t[g.tStart];
  const yy = Math.abs(y);
  if (plan.method === 'hyperbolic') {
    const alpha = Number(plan.settings.alpha);
    const mu = Number(plan.settings.muT0) / t0;
    const u = Math.asinh(yy / (mu * Math.cos(alpha)));
    return shift + mu * (1 - Math.sin(alpha) * Math.cosh(u));
  }
  if (plan.method === 'parabolic') {
    const mu = Number(plan.settings.muT0) / t0;
    const u = yy / (2 * mu);
    return shift + mu * (1 - u * u);
  }
  const r = (Number(plan.settings.talbotRadius) * Number(plan.settings.nodes)) / t0;
  const theta = yy / r;
  if (theta >= Math.PI) return -Infinity;
  return theta === 0 ? shift + r : shift + (r * theta * Math.cos(theta)) / Math.sin(theta);
}

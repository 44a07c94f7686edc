/**
 * The keyhole rule under a learning-rate schedule (THEORY E28c, E27a): GD and heavy-ball momentum with rates
 * eta_s at any step count, with a node count that does not grow with t.
 *
 * The kernel. For one eigenvalue m of F G (plus ridge) t scheduled steps leave the residual D_t(m), a polynomial
 * of degree t (E28c); every DMFT quantity is (1/2 pi i) oint K_t(u) F(u) du with K_t(u) = D_t(-u) on any closed
 * contour around the spectrum [-E_max, 0] of -F G. With the peak rate eta^ = max_s eta_s, phi_s = eta_s / eta^
 * in [0, 1] and the map of the constant rate at eta^, u(z) = (z - 1)(z - beta)/(eta^ z), z = e^y:
 *   GD:        K_t = prod_s (1 + phi_s (z - 1)), summed as logs (sum_s log(1 + phi_s w), w = z - 1 = expm1(y));
 *   momentum:  K_t = D_t(-u(z)) by the 2 x 2 transfer matrices [[1 + beta + phi_s v, -beta], [1, 0]], v = eta^ u.
 * A run of n steps at one factor is one power (n log(1 + phi w), or the matrix to the n-th power by repeated
 * squaring): piecewise-constant parts of a schedule cost O(1) (GD) or O(log n) (momentum) per node; steps with
 * varying factors (cosine, the WSD decay, power decay, linear file segments) cost O(1) each per node.
 * du = (z^2 - beta)/(eta^ z) dy.
 *
 * The contour. Near y = 0 (the slow modes, which carry the loss at large t) log K_t = tau y + O(y^2), with the
 * effective time tau = sum_{s<t} phi_s (1 - beta^{t-s}) (the summed rate in units of the peak; for momentum the
 * velocity still in flight discounted), so the windowed contour plan of (E13) at the times tau serves in y, as
 * the plan at t serves the constant rate (E27a). Its weights are rebuilt with the exact kernel:
 * V_ij = [V^plan_0j e^{-tau_0 y_j}] K_{t_i}(z_j) (z_j^2 - beta)/(eta^ z_j), the bracket being the plan's
 * h y'_j / (2 pi i) (recovered at the group's first time, where e^{tau_0 y_j} does not underflow). The
 * contour is kept where Re y > log r0 and |Im y| < pi and closed by the circle |z| = r0, which is dropped:
 *   - with a fast part (fastRadius > 0): log r0 = (1 - CLOSURE_MARGIN) log r_fast, as for the constant rate;
 *   - momentum without one (every eta^ mu <= (1 - sqrt beta)^2): r0 between sqrt(beta) and the slow root of
 *     E_max (geometric mean). The closure must stay outside |z| = sqrt(beta), where z -> u is one-to-one:
 *     K_t(u(z)) has a pole of order t at z = 0, so the contour of the constant rate (down to z = 0) is wrong here;
 *   - GD without one (eta^ E_max <= 1): no closure, the contour runs to z = 0 (u = -1/eta^, regular) as (E26).
 * On the closure |K_t| is no longer r0^t: it is evaluated at the closure nodes (Schedule.dropWeights,
 * CLOSURE_SAFETY |K_t(z_c)| |dz/dy| dy / 2 pi), so the bound that joins the error estimate is that of the
 * schedule's own kernel. For GD it is at most prod_s (1 - phi_s (1 - r0)) <= exp(-(1 - r0) sum_s phi_s).
 *
 * Where the circle serves instead: times within the circle's cost limit whose dropped closure is not negligible
 * (GD: the bound above; momentum: r0^tau) take the circle rule with the product kernel (schedule.ts, exact).
 *
 * Cost: per node group, nodes x (the number of varying steps up to the group's last time + the number of
 * constant runs); memory: the nodes and weights, independent of t (no per-step array).
 */
import { InvalidArgumentError } from '../core/errors.js';
import { optimizerOf, peakFactor, peakRate, rateFactor, rateRuns, scheduledRates, scheduleLabel, type ScheduledDynamics, type ZDomainMap } from '../dynamics/index.js';
import { crossingPoint, makePlan, type PlanGroup } from './inversion/index.js';
import {
  CLOSURE_NODES,
  CLOSURE_SAFETY,
  KEYHOLE_MAX_DROP,
  circlePrefix,
  circleSchedule,
  circleStepLimit,
  circleThenPlan,
  closureLogRadius,
  expMinusOne,
  fastRadius,
  type Schedule,
  type ScheduleRule,
} from './schedule.js';

/** A run of steps at one factor phi (NaN: varying, phi_s in `values`, indexed from `start`). */
interface PhiRun {
  readonly start: number;
  readonly end: number;
  readonly phi: number;
  readonly values?: Float64Array;
}

/** The schedule's runs up to `count` steps with phi_s = factor(s) / peak factor (varying runs tabulated once). */
function phiRuns(dynamics: ScheduledDynamics, count: number): PhiRun[] {
  const peak = peakFactor(dynamics.schedule);
  return rateRuns(dynamics.schedule, count).map((r) => {
    if (!Number.isNaN(r.factor)) return { start: r.start, end: r.end, phi: r.factor / peak };
    const values = new Float64Array(r.end - r.start);
    for (let s = r.start; s < r.end; s++) values[s - r.start] = rateFactor(dynamics.schedule, s) / peak;
    return { start: r.start, end: r.end, phi: NaN, values };
  });
}

/** Per-node state of the kernel recursion (reused, STYLE 12). */
interface KernelState {
  /** GD: log K (complex). Momentum: (d0, d1) = (D_s, D_{s-1}) times e^{logScale}. */
  lr: number;
  li: number;
  d0r: number;
  d0i: number;
  d1r: number;
  d1i: number;
  logScale: number;
  step: number;
  run: number;
}

function resetState(st: KernelState): void {
  st.lr = 0; st.li = 0;
  st.d0r = 1; st.d0i = 0; st.d1r = 1; st.d1i = 0;
  st.logScale = 0; st.step = 0; st.run = 0;
}

/** log(1 + phi w) for complex w = (wr, wi), accurate for small phi |w| (log1p of |1 + phi w|^2 - 1). */
function logFactor(phi: number, wr: number, wi: number, out: { re: number; im: number }): void {
  const xr = phi * wr;
  const xi = phi * wi;
  out.re = 0.5 * Math.log1p(2 * xr + xr * xr + xi * xi);
  out.im = Math.atan2(xi, 1 + xr);
}

const logScratch = { re: 0, im: 0 };

/** GD: advance log K = sum_s log(1 + phi_s w) from st.step to `to`. */
function advanceGd(runs: readonly PhiRun[], wr: number, wi: number, to: number, st: KernelState): void {
  while (st.step < to) {
    const run = runs[st.run];
    const end = Math.min(run.end, to);
    if (run.values === undefined) {
      if (run.phi !== 0) {
        logFactor(run.phi, wr, wi, logScratch);
        st.lr += (end - st.step) * logScratch.re;
        st.li += (end - st.step) * logScratch.im;
      }
    } else {
      // The product of the factors in chunks of 256 (|1 + phi w| <= 1 + |w|: no overflow within a chunk), then its log:
      // one complex multiply per step instead of a log and an atan2 (3x faster at equal accuracy, ~t eps relative).
      const v = run.values;
      let pr = 1, pi = 0;
      for (let s = st.step; s < end; s++) {
        const phi = v[s - run.start];
        const fr = 1 + phi * wr;
        const fi = phi * wi;
        const nr = pr * fr - pi * fi;
        pi = pr * fi + pi * fr;
        pr = nr;
        if (((s - st.step) & 255) === 255 || s === end - 1) {
          st.lr += 0.5 * Math.log(pr * pr + pi * pi);
          st.li += Math.atan2(pi, pr);
          pr = 1;
          pi = 0;
        }
      }
    }
    st.step = end;
    if (end === run.end) st.run++;
  }
}

/** Momentum: rescale (d0, d1) to modulus ~1, keeping the scale in logScale (no overflow over 1e6 steps). */
function normalize(st: KernelState): void {
  const m = Math.max(Math.abs(st.d0r), Math.abs(st.d0i), Math.abs(st.d1r), Math.abs(st.d1i));
  if (m > 0 && Number.isFinite(m)) {
    st.d0r /= m; st.d0i /= m; st.d1r /= m; st.d1i /= m;
    st.logScale += Math.log(m);
  }
}

/**
 * Momentum: advance (D_s, D_{s-1}) from st.step to `to`: D_{s+1} = (1 + beta + phi_s v) D_s - beta D_{s-1}
 * (v = eta^ u complex); a constant run is the matrix [[a, -beta], [1, 0]] to the n-th power (repeated squaring).
 */
function advanceMomentum(runs: readonly PhiRun[], beta: number, vr: number, vi: number, to: number, st: KernelState): void {
  while (st.step < to) {
    const run = runs[st.run];
    const end = Math.min(run.end, to);
    if (run.values === undefined) {
      matrixPowerApply(1 + beta + run.phi * vr, run.phi * vi, beta, end - st.step, st);
    } else {
      const v = run.values;
      let d0r = st.d0r, d0i = st.d0i, d1r = st.d1r, d1i = st.d1i;
      for (let s = st.step; s < end; s++) {
        const phi = v[s - run.start];
        const ar = 1 + beta + phi * vr;
        const ai = phi * vi;
        const nr = ar * d0r - ai * d0i - beta * d1r;
        const ni = ar * d0i + ai * d0r - beta * d1i;
        d1r = d0r; d1i = d0i; d0r = nr; d0i = ni;
        if (((s - run.start) & 255) === 255) {
          st.d0r = d0r; st.d0i = d0i; st.d1r = d1r; st.d1i = d1i;
          normalize(st);
          d0r = st.d0r; d0i = st.d0i; d1r = st.d1r; d1i = st.d1i;
        }
      }
      st.d0r = d0r; st.d0i = d0i; st.d1r = d1r; st.d1i = d1i;
    }
    normalize(st);
    st.step = end;
    if (end === run.end) st.run++;
  }
}

/** (d0, d1) <- M^n (d0, d1), M = [[a, -beta], [1, 0]] with complex a = (ar, ai): binary powering. */
function matrixPowerApply(ar: number, ai: number, beta: number, n: number, st: KernelState): void {
  // M^(2^k) = [[p, q], [r, s]] (complex), applied to the vector for every set bit of n (powers of M commute).
  let pr = ar, pi = ai, qr = -beta, qi = 0, rr = 1, ri = 0, sr = 0, si = 0;
  let k = n;
  while (k > 0) {
    if (k & 1) {
      const xr = pr * st.d0r - pi * st.d0i + qr * st.d1r - qi * st.d1i;
      const xi = pr * st.d0i + pi * st.d0r + qr * st.d1i + qi * st.d1r;
      const yr = rr * st.d0r - ri * st.d0i + sr * st.d1r - si * st.d1i;
      const yi = rr * st.d0i + ri * st.d0r + sr * st.d1i + si * st.d1r;
      st.d0r = xr; st.d0i = xi; st.d1r = yr; st.d1i = yi;
      normalize(st);
    }
    k = Math.floor(k / 2);
    if (k > 0) {
      // [[p, q], [r, s]]^2
      const npr = pr * pr - pi * pi + (qr * rr - qi * ri);
      const npi = 2 * pr * pi + (qr * ri + qi * rr);
      const nqr = pr * qr - pi * qi + (qr * sr - qi * si);
      const nqi = pr * qi + pi * qr + (qr * si + qi * sr);
      const nrr = rr * pr - ri * pi + (sr * rr - si * ri);
      const nri = rr * pi + ri * pr + (sr * ri + si * rr);
      const nsr = rr * qr - ri * qi + (sr * sr - si * si);
      const nsi = rr * qi + ri * qr + 2 * sr * si;
      pr = npr; pi = npi; qr = nqr; qi = nqi; rr = nrr; ri = nri; sr = nsr; si = nsi;
    }
  }
}

const zScratch = { re: 0, im: 0 };

/**
 * The kernel times the Jacobian, K_t(u(z)) (z^2 - beta)/(eta^ z) at z = e^{x + i w}, for the ascending steps
 * `steps[i0 .. i1)`, into out[(i - i0) * stride + col] (re) and outIm likewise.
 */
function kernelAtNode(
  runs: readonly PhiRun[], beta: number, peak: number, x: number, w: number, steps: Float64Array, i0: number, i1: number,
  outRe: Float64Array, outIm: Float64Array, stride: number, col: number, st: KernelState,
): void {
  expMinusOne(x, w, zScratch);
  const wr = zScratch.re;
  const wi = zScratch.im;
  const zr = 1 + wr;
  const zi = wi;
  const iz = 1 / (zr * zr + zi * zi);
  // (z - beta/z)/eta^ and v = (z - 1)(z - beta)/z = w (1 - beta/z)
  const bzr = beta * zr * iz;
  const bzi = -beta * zi * iz;
  const jr = (zr - bzr) / peak;
  const ji = (zi - bzi) / peak;
  const vr = wr * (1 - bzr) + wi * bzi;
  const vi = wi * (1 - bzr) - wr * bzi;
  resetState(st);
  for (let i = i0; i < i1; i++) {
    let kr: number, ki: number;
    if (beta === 0) {
      advanceGd(runs, wr, wi, steps[i], st);
      const mag = Math.exp(st.lr);
      kr = mag * Math.cos(st.li);
      ki = mag * Math.sin(st.li);
    } else {
      advanceMomentum(runs, beta, vr, vi, steps[i], st);
      const mag = Math.exp(st.logScale);
      kr = mag * st.d0r;
      ki = mag * st.d0i;
    }
    outRe[(i - i0) * stride + col] = kr * jr - ki * ji;
    outIm[(i - i0) * stride + col] = kr * ji + ki * jr;
  }
}

/** The effective times tau_i = sum_{s<t_i} phi_s (1 - beta^{t_i - s}) (+1: tau > 0) and the GD closure bound's log. */
function effectiveTimes(runs: readonly PhiRun[], beta: number, times: Float64Array, r0: number): { tau: Float64Array; logClosure: Float64Array } {
  const tau = new Float64Array(times.length);
  const logClosure = new Float64Array(times.length);
  let sum = 0, velocity = 0, logBound = 0, step = 0, run = 0;
  for (let i = 0; i < times.length; i++) {
    for (; step < times[i]; step++) {
      while (runs[run].end <= step) run++;
      const r = runs[run];
      const phi = r.values === undefined ? r.phi : r.values[step - r.start];
      sum += phi;
      velocity = beta * velocity + phi;
      logBound += Math.log1p(-phi * (1 - r0));
    }
    // sum_s phi_s beta^{t-s} = beta * velocity (velocity = sum_s phi_s beta^{t-1-s}).
    tau[i] = 1 + sum - beta * velocity;
    logClosure[i] = beta === 0 ? logBound : tau[i] * Math.log(r0);
  }
  return { tau, logClosure };
}

/** The module's time kernel of scheduled GD or momentum: the heavy-ball map at the peak rate (E27, E28c). */
function heavyBallKernel(dynamics: ScheduledDynamics): ZDomainMap & { readonly heavyBall: NonNullable<ZDomainMap['heavyBall']> } {
  const kernel = optimizerOf(dynamics).timeKernel(dynamics);
  if (kernel.rule !== 'z-map' || kernel.map.heavyBall === undefined) throw new Error('internal: a learning-rate schedule needs the heavy-ball kernel (E28c)');
  return kernel.map as ZDomainMap & { readonly heavyBall: NonNullable<ZDomainMap['heavyBall']> };
}

/**
 * The schedule (nodes, weights, drop weights) of GD or momentum under a learning-rate schedule at the ascending
 * positive whole steps `times`, for a spectrum top eMax (see the file comment).
 */
export function scheduledKeyholeSchedule(times: Float64Array, dynamics: ScheduledDynamics, rule: ScheduleRule, eMax: number): Schedule {
  const peak = peakRate(dynamics);
  const map = heavyBallKernel(dynamics);
  const beta = map.heavyBall.beta;
  const ridge = dynamics.ridge;
  const label = `learning-rate schedule ${scheduleLabel(dynamics.schedule)}`;
  const tMax = times[times.length - 1];
  const runs = phiRuns(dynamics, tMax);
  const rFast = fastRadius(peak, beta, eMax);
  // Without a fast part the closure stays outside |z| = sqrt(beta) (the kernel's pole at z = 0), below the slow root of E_max.
  const logR0 = closureLogRadius(rFast, Math.sqrt(beta), () => {
    const a = 1 + beta - peak * eMax;
    return (a + Math.sqrt(Math.max(0, a * a - 4 * beta))) / 2;
  });
  const r0 = Math.exp(logR0);
  const { tau, logClosure } = effectiveTimes(runs, beta, times, r0);
  const stepLimit = circleStepLimit(rule);
  const maxDrop = rule.keyholeMaxDrop ?? KEYHOLE_MAX_DROP;
  let first = 0;
  while (first < times.length && times[first] <= stepLimit && (maxDrop <= 0 || logClosure[first] > Math.log(maxDrop))) first++;
  const settings = {
    eta: peak, beta, fastRadius: rFast, closureRadius: r0, schedule: scheduleLabel(dynamics.schedule), peakRate: peak,
    reference: 'THEORY E28c, E27a: keyhole in y = log z with the product kernel',
  };
  const state: KernelState = { lr: 0, li: 0, d0r: 1, d0i: 0, d1r: 1, d1i: 0, logScale: 0, step: 0, run: 0 };
  // Groups whose contour leaves the period strip with non-negligible weight (too few effective steps) move to the circle.
  for (let attempt = 0; attempt < 8 && first < times.length; attempt++) {
    const plan2 = makePlan(rule.method, tau.subarray(first), { nodes: rule.nodes, windowRatio: rule.windowRatio });
    const steps = times.subarray(first);
    const mapped = plan2.groups.map((g) => scheduledKeyholeGroup(g, plan2.t, steps, runs, peak, beta, logR0, state));
    const bad = mapped.reduce((last, m, k) => (m === undefined ? k : last), -1);
    if (bad >= 0) {
      const next = first + plan2.groups[bad].tEnd;
      if (times[next - 1] > stepLimit) {
        throw new InvalidArgumentError('t', `is too few effective steps for the keyhole rule under ${label} (the contour leaves the period strip |Im log z| < pi) and too many for the circle rule`, times[next - 1]);
      }
      first = next;
      continue;
    }
    const prefix = circlePrefix(times, first, map, ridge, rule, label, first > 0 ? scheduledRates(dynamics, times[first - 1]) : undefined);
    return circleThenPlan(times, first, plan2, prefix, 'keyhole (scheduled)', ridge, { ...plan2.settings, ...settings }, (g, k) => {
      const yc = crossingPoint(plan2, k);
      const zc = Math.exp(yc);
      return { ...(mapped[k] as NonNullable<(typeof mapped)[number]>), crossing: (Math.expm1(yc) * (zc - beta)) / (peak * zc) };
    });
  }
  const c = circleSchedule(times, map, ridge, rule, label, scheduledRates(dynamics, tMax));
  return { ...c, settings: { ...c.settings, schedule: settings.schedule, peakRate: peak } };
}

/** A kept node's weight beyond the strip must be below this fraction of the row's largest weight (as E26). */
const STRIP_DROP_LIMIT = 1e-16;

/**
 * One group of the scheduled keyhole: the kept y-nodes (Re y > log r0, Im y < pi) mapped to u(z), weights
 * rebuilt with the product kernel; then the closure nodes with value weight 0 and drop weights. Nodes of the
 * hyperbola beyond the period strip (Im y >= pi, Re y > log r0) are dropped; their rebuilt weights must be
 * negligible (else undefined: the times are too few effective steps for the strip, the circle takes them).
 */
function scheduledKeyholeGroup(
  g: PlanGroup, tau: Float64Array, steps: Float64Array, runs: readonly PhiRun[], peak: number, beta: number, logR0: number, st: KernelState,
): { group: PlanGroup; dropWeights?: Float64Array } | undefined {
  const n = g.re.length;
  const rows = g.tEnd - g.tStart;
  const tau0 = tau[g.tStart];
  const candidates: number[] = [];
  for (let j = 0; j < n; j++) if (g.re[j] > logR0) candidates.push(j);
  const keptCount = candidates.filter((j) => g.im[j] < Math.PI).length;
  const lastIm = keptCount > 0 ? g.im[candidates[keptCount - 1]] : 0;
  const closure = Number.isFinite(logR0) && lastIm < Math.PI ? CLOSURE_NODES : 0;
  const nc = candidates.length;
  const m = nc + closure;
  // Kernel values (times the Jacobian) at every candidate and closure node, row-major rows x m.
  const kRe = new Float64Array(rows * m);
  const kIm = new Float64Array(rows * m);
  candidates.forEach((j, c) => kernelAtNode(runs, beta, peak, g.re[j], g.im[j], steps, g.tStart, g.tEnd, kRe, kIm, m, c, st));
  const dy = closure > 0 ? (Math.PI - lastIm) / closure : 0;
  for (let c = 0; c < closure; c++) kernelAtNode(runs, beta, peak, logR0, lastIm + (c + 0.5) * dy, steps, g.tStart, g.tEnd, kRe, kIm, m, nc + c, st);
  // Weights: the plan's h y'_j / (2 pi i) (from its first row) times the kernel.
  const kept = keptCount + closure;
  const re = new Float64Array(kept);
  const im = new Float64Array(kept);
  const wRe = new Float64Array(rows * kept);
  const wIm = new Float64Array(rows * kept);
  const rowMax = new Float64Array(rows);
  const stripMax = new Float64Array(rows);
  const node = { re: 0, im: 0 };
  candidates.forEach((j, c) => {
    const e = Math.exp(-tau0 * g.re[j]);
    const cr = e * Math.cos(tau0 * g.im[j]);
    const ci = -e * Math.sin(tau0 * g.im[j]);
    const br = g.wRe[j] * cr - g.wIm[j] * ci;
    const bi = g.wRe[j] * ci + g.wIm[j] * cr;
    const inStrip = c < keptCount;
    if (inStrip) {
      expMinusOne(g.re[j], g.im[j], node);
      uOfZ(node.re, node.im, beta, peak, re, im, c);
    }
    for (let i = 0; i < rows; i++) {
      const vr = br * kRe[i * m + c] - bi * kIm[i * m + c];
      const vi = br * kIm[i * m + c] + bi * kRe[i * m + c];
      const mag = Math.hypot(vr, vi);
      if (inStrip) {
        wRe[i * kept + c] = vr;
        wIm[i * kept + c] = vi;
        rowMax[i] = Math.max(rowMax[i], mag);
      } else stripMax[i] = Math.max(stripMax[i], mag);
    }
  });
  for (let i = 0; i < rows; i++) if (!(stripMax[i] <= STRIP_DROP_LIMIT * rowMax[i])) return undefined;
  if (closure === 0) return { group: { tStart: g.tStart, tEnd: g.tEnd, re, im, wRe, wIm } };
  const dropWeights = new Float64Array(rows * kept);
  for (let c = 0; c < closure; c++) {
    expMinusOne(logR0, lastIm + (c + 0.5) * dy, node);
    uOfZ(node.re, node.im, beta, peak, re, im, keptCount + c);
    for (let i = 0; i < rows; i++) {
      dropWeights[i * kept + keptCount + c] = (CLOSURE_SAFETY * Math.hypot(kRe[i * m + nc + c], kIm[i * m + nc + c]) * dy) / (2 * Math.PI);
    }
  }
  return { group: { tStart: g.tStart, tEnd: g.tEnd, re, im, wRe, wIm }, dropWeights };
}

/** u = (z - 1)(z - beta)/(eta^ z) from w = z - 1, into re[k], im[k]. */
function uOfZ(wr: number, wi: number, beta: number, peak: number, re: Float64Array, im: Float64Array, k: number): void {
  const zr = 1 + wr;
  const zi = wi;
  const iz = 1 / (zr * zr + zi * zi);
  const bzr = beta * zr * iz;
  const bzi = -beta * zi * iz;
  re[k] = (wr * (1 - bzr) + wi * bzi) / peak;
  im[k] = (wi * (1 - bzr) - wr * bzi) / peak;
}

/**
 * The training dynamics as data for the contour inversion (THEORY E13, E25-E27).
 *
 * Every dynamics reuses the gradient-flow Laplace-domain objects of (E9-E16)
 * (H_k, R1, R, the pair closed forms) at some evaluation point; what changes
 * is (a) where they are evaluated and (b) the time kernel of the inversion.
 * A Schedule is that map, once, for every quantity of the numeric layer:
 *
 *  - nodes u_j and weights V_ij such that
 *        f(t_i) = 2 Re sum_j V_ij F(u_j)
 *    for a one-point transform F(u) of the gradient-flow variable u (and the
 *    tensor product of two such rules for the two-point functions, E15);
 *  - the ridge r: every object is evaluated at s_e = u + r and multiplied by
 *    f = s_e / u per variable (E25);
 *  - per node group, the real point u_c > 0 where the continuation of kappa
 *    starts (the rule's crossing of the real axis, right of the pole at u = 0).
 *
 * Rules:
 *  - gradient flow ('gf', E13): the windowed contours of inversion/contours.ts,
 *    kernel e^{u t}.
 *  - discrete GD ('gd', E26): with u = (e^{eta y} - 1)/eta,
 *    (1 + eta u)^t du = e^{eta (t + 1) y} dy, so the same contour plan in y at
 *    "time" tau = eta (t + 1) serves, with F evaluated at u(y_j) and the
 *    weights unchanged. The integrand is 2 pi i / eta periodic in y for whole
 *    t, so the integral over one period strip equals the hyperbola cut at
 *    |Im eta y| = pi (the two horizontal edges cancel); nodes beyond are
 *    dropped, which is exact up to the weight where the hyperbola leaves the
 *    strip (checked: below DROP_LIMIT of the largest weight, else the time
 *    goes to the circle rule). Needs eta E_max < 1 (the singular segment
 *    [log(1 - eta E_max)/eta, 0] of the y-plane must stay on the real axis).
 *    For 1 <= eta E_max < 2 (GD still converges) GD takes the rules of
 *    momentum at beta = 0 below (the singular segment z = 1 + eta u in
 *    [1 - eta E_max, 1] stays inside the unit disc).
 *  - heavy-ball momentum ('momentum', E27, E27a; GD is its beta = 0 case):
 *    the keyhole rule (keyholeSchedule, E27a) at every time, except the first
 *    steps, where its dropped part is not negligible and the circle below is
 *    affordable (and when E_max is not given: the circle at every time).
 *  - a Z-map outside the heavy-ball family (Nesterov, E28d): the circle rule below with the module's
 *    u(z) and kernel for the first steps, and the keyhole rule with the module's keyhole data (ZKeyhole:
 *    its own kernel z^t f_t in y = log z and its own closure placement) beyond; without keyhole data, or
 *    without E_max, the circle at every time.
 *  - the circle rule (E27): the Z-transform on a circle |z| = 1 + c/t, u(z) = (z - 1)(z - beta)/(eta z),
 *    kernel k_t(z) dz = z^{t-1}(z - beta)/eta dz (each optimizer module's ZDomainMap supplies both), trapezoid rule with 2m
 *    nodes (m in the upper half plane, where Im u > 0). A periodic analytic
 *    integrand: the aliasing error is ~ (1 + c/t)^{-2m} ~ e^{-2 m c / t}, the
 *    round-off ~ eps e^{c} (the kernel's size on the circle), so
 *    m = ceil(CIRCLE_NODES_PER_STEP t) + CIRCLE_NODES_MIN gives e^{-2 * 4.6 * 4} ~ 1e-16;
 *    one group per time, cost m^2 per time for the two-point functions, hence
 *    a cost limit (CIRCLE_MAX_NODES) beyond which it is not used (the keyhole
 *    takes those times; a request that reaches circleSchedule past it is refused).
 */
import { InvalidArgumentError } from '../core/errors.js';
import { optimizerOf, peakRate, scheduledDynamics, scheduledRates, scheduleLabel, type Dynamics, type ZDomainMap, type ZKeyhole, type ZNode } from '../dynamics/index.js';
import { crossingPoint, makePlan } from './inversion/index.js';
import { scheduledKeyholeSchedule } from './schedule-keyhole.js';
import type { InversionMethodName, InversionPlan, PlanGroup } from './inversion/index.js';

/** A node set and its weights in the gradient-flow variable u (see the file comment). */
export interface Schedule {
  readonly plan: InversionPlan;
  /**
   * Per group, for the keyhole rule (keyholeSchedule): non-negative weights ((tEnd - tStart) x n, row-major)
   * that sample |k_t| |dy| / (2 pi) on the closure the rule drops, at the group's trailing closure nodes
   * (whose value weights are 0); undefined for groups that drop nothing. The pass turns them into a bound
   * on the dropped part of every quantity, which joins its error estimate.
   */
  readonly dropWeights?: readonly (Float64Array | undefined)[];
  /** Per group: the real point u_c where kappa's continuation starts (must be > 0). */
  readonly crossings: Float64Array;
  /** Ridge r >= 0: objects at s_e = u + r, times f = s_e / u (E25). */
  readonly ridge: number;
  /** Which rule each group uses ('contour', 'y-contour', 'circle'), for provenance. */
  readonly rules: readonly string[];
  readonly settings: Readonly<Record<string, unknown>>;
}

/** How the schedule's contour is built: method and nodes (the error-estimate pass uses fewer). */
export interface ScheduleRule {
  readonly method: InversionMethodName;
  readonly nodes?: number;
  readonly windowRatio?: number;
  /** Contour node grid ('trapezoid' nests: the error estimate from the rule's own sub-rules, inversion/contours.ts). */
  readonly grid?: 'midpoint' | 'trapezoid';
  /** Circle rule (momentum, early GD): nodes per step and radius constant c of |z| = 1 + c/t. */
  readonly circleNodesPerStep?: number;
  readonly circleRadius?: number;
  /**
   * E_max: top of the spectrum of F G plus ridge (the singular segment is u in [-E_max, 0]).
   * GD with eta E_max >= 1 cannot use the y-contour (E26) and takes the circle rule at every time.
   */
  readonly eMax?: number;
  /**
   * Keyhole rule (E27a): the circle serves the times it can afford while r0^t exceeds this (default
   * KEYHOLE_MAX_DROP); 1 puts every time on the keyhole, a negative value every affordable time on the circle.
   */
  readonly keyholeMaxDrop?: number;
}

/** Circle rule: |z| = 1 + c/t. c = 4: the kernel is at most e^4 ~ 55 on the circle (round-off 55 eps). */
export const CIRCLE_RADIUS = 4;
/**
 * 2 m c / t >= 37 (e^-37 ~ 1e-16) with c = 4 needs m >= 4.6 t. Measured (momentum eta = 0.25,
 * beta = 0.5, N = 64, P = 128, test loss against 8 nodes per step): nodes per step 1, 2, 3, 3.7, 4.7 give
 * relative errors 3e-4, 1e-7, 4e-11, 9e-14, 2e-15 at t = 160 (3e-8, 4e-11, 1e-13, 3e-14, 3e-13 at t = 10,
 * where round-off dominates): the node count grows linearly in t, hence the cost limit below.
 */
export const CIRCLE_NODES_PER_STEP = 4.7;
export const CIRCLE_NODES_MIN = 16;
/** m^2 pair evaluations per time: 3000 nodes ~ 9e6 pairs (~1 s); about 640 steps of momentum. */
export const CIRCLE_MAX_NODES = 3000;
/** A y-contour node with Im(eta y) >= pi is dropped; its weight must be below this fraction of the largest. */
const DROP_LIMIT = 1e-16;

/** Largest step count the circle rule accepts under the cost limit. */
export function circleStepLimit(rule: Pick<ScheduleRule, 'circleNodesPerStep'> = {}): number {
  const perStep = rule.circleNodesPerStep ?? CIRCLE_NODES_PER_STEP;
  return Math.floor((CIRCLE_MAX_NODES - CIRCLE_NODES_MIN) / perStep);
}

/**
 * The schedule for `dynamics` at the ascending positive finite times tPos
 * (steps for discrete optimizers). `timeFactor` 2 gives the single transforms
 * at 2t (the train-noise term, E16).
 */
export function makeSchedule(dynamics: Dynamics, tPos: Float64Array, rule: ScheduleRule, timeFactor = 1): Schedule {
  const ridge = dynamics.ridge;
  const planOptions = { nodes: rule.nodes, windowRatio: rule.windowRatio, grid: rule.grid };
  const times = timeFactor === 1 ? tPos : tPos.map((x) => timeFactor * x);
  const kernel = optimizerOf(dynamics).timeKernel(dynamics);
  if (kernel.rule === 'laplace') {
    // sgd: its deterministic part is GD; the numeric layer's SGD lives elsewhere.
    const plan = makePlan(rule.method, times, planOptions);
    const crossings = Float64Array.from(plan.groups.map((_, g) => crossingPoint(plan, g)));
    return { plan, crossings, ridge, rules: plan.groups.map(() => 'contour'), settings: { rule: 'contour', ...plan.settings } };
  }
  const map = kernel.map;
  const eta = map.lr;
  const scheduled = scheduledDynamics(dynamics);
  // Maps outside the heavy-ball family (Nesterov, E28d): the keyhole with the map's own kernel data when it has
  // them and E_max places the closure; otherwise the circle rule at every time.
  if (map.heavyBall === undefined) {
    if (scheduled !== undefined) throw new Error('internal: a learning-rate schedule needs the heavy-ball kernel (E28c)');
    if (map.keyhole === undefined || rule.eMax === undefined) return circleSchedule(times, map, ridge, rule);
    return keyholeSchedule(times, map, moduleKeyhole(map.keyhole, eta, rule.eMax), ridge, rule);
  }
  const { beta, yContour } = map.heavyBall;
  if (scheduled !== undefined) {
    // A learning-rate schedule (E28c): the circle rule with the product kernel, at every time (see scheduleKernel).
    if (timeFactor !== 1) throw new InvalidArgumentError('t', 'a learning-rate schedule has no transform at a multiple of the time');
    // With E_max known: the keyhole with the product kernel past the first steps (schedule-keyhole.ts, any horizon).
    if (rule.eMax !== undefined) return scheduledKeyholeSchedule(times, scheduled, rule, rule.eMax);
    const peak = peakRate(scheduled);
    const rates = scheduledRates(scheduled, times.reduce((a, b) => Math.max(a, b), 0));
    const c = circleSchedule(times, map, ridge, rule, `learning-rate schedule ${scheduleLabel(scheduled.schedule)}`, rates);
    return { ...c, settings: { ...c.settings, schedule: scheduleLabel(scheduled.schedule), peakRate: peak } };
  }
  // Momentum, and GD past the y-map's range (eta E_max >= 1, below the divergence bound 2): the keyhole rule
  // (E27a), which needs E_max to place its closure; without it, the circle at every time.
  if (!yContour) {
    return rule.eMax === undefined ? circleSchedule(times, map, ridge, rule) : keyholeSchedule(times, map, heavyBallKeyhole(eta, beta, rule.eMax), ridge, rule);
  }
  const etaEMax = eta * (rule.eMax ?? 0);
  if (!(etaEMax < 1)) return keyholeSchedule(times, map, heavyBallKeyhole(eta, 0, rule.eMax ?? 0), ridge, rule);
  // GD: the y-contour where it fits in the period strip, the circle before (small t).
  const tau = times.map((x) => eta * (x + 1));
  const { first, plan: plan2 } = fittingPlan(rule.method, tau, 0, planOptions, (g) => droppedNegligible(g, (j) => eta * g.im[j] >= Math.PI));
  if (plan2 === undefined) return circleSchedule(times, map, ridge, rule);
  return circleThenPlan(times, first, plan2, circlePrefix(times, first, map, ridge, rule), 'y-contour', ridge, { eta, ...plan2.settings }, (g, k) => ({
    group: mapToU(g, eta),
    crossing: Math.expm1(eta * crossingPoint(plan2, k)) / eta,
  }));
}

/**
 * A mixed schedule: the circle's groups for the times before `first` (prefix), then the plan's groups (for the
 * times from `first` on) mapped to the u-plane by `map`, each with its crossing u_c and optional drop weights.
 */
export function circleThenPlan(
  times: Float64Array, first: number, plan2: InversionPlan, prefix: ReturnType<typeof circlePrefix>, name: string, ridge: number,
  settings: Record<string, unknown>, map: (g: PlanGroup, k: number) => { group: PlanGroup; crossing: number; dropWeights?: Float64Array },
): Schedule {
  const { groups, crossings, rules, dropWeights } = prefix;
  plan2.groups.forEach((g, k) => {
    const mapped = map(g, k);
    groups.push({ ...mapped.group, tStart: g.tStart + first, tEnd: g.tEnd + first });
    crossings.push(mapped.crossing);
    dropWeights.push(mapped.dropWeights);
    rules.push(name);
  });
  const plan: InversionPlan = { method: plan2.method, t: times, groups, settings: plan2.settings };
  return {
    plan,
    crossings: Float64Array.from(crossings),
    ridge,
    rules,
    dropWeights: dropWeights.some((d) => d !== undefined) ? dropWeights : undefined,
    settings: { rule: first > 0 ? `circle for t < ${times[first]}, ${name} above` : name, ...settings },
  };
}

/** True when every node of the group that `dropped` selects has a negligible weight (below DROP_LIMIT of the largest, per time). */
function droppedNegligible(g: PlanGroup, dropped: (j: number) => boolean): boolean {
  const n = g.re.length;
  const rows = g.tEnd - g.tStart;
  for (let i = 0; i < rows; i++) {
    let wMax = 0;
    let wDropped = 0;
    for (let j = 0; j < n; j++) {
      const w = Math.hypot(g.wRe[i * n + j], g.wIm[i * n + j]);
      wMax = Math.max(wMax, w);
      if (dropped(j)) wDropped = Math.max(wDropped, w);
    }
    if (!(wDropped <= DROP_LIMIT * wMax)) return false;
  }
  return true;
}

/**
 * The contour plan for the times from index `first` on (in the rule's own time variable), moving `first`
 * past every group that does not `fit` (those times go to the circle rule); no plan when none fits.
 */
function fittingPlan(
  method: InversionMethodName, times: Float64Array, first: number, planOptions: { nodes?: number; windowRatio?: number; grid?: 'midpoint' | 'trapezoid' }, fits: (g: PlanGroup) => boolean,
): { first: number; plan?: InversionPlan } {
  for (let attempt = 0; attempt < 8 && first < times.length; attempt++) {
    const candidate = makePlan(method, times.subarray(first), planOptions);
    let lastBad = -1;
    candidate.groups.forEach((g, k) => {
      if (!fits(g)) lastBad = k;
    });
    if (lastBad < 0) return { first, plan: candidate };
    first += candidate.groups[lastBad].tEnd;
  }
  return { first };
}

/** The circle rule's groups for the leading times [0, first) (with `rates`: the product kernel, E28c), as the start of a mixed schedule. */
export function circlePrefix(times: Float64Array, first: number, map: ZDomainMap, ridge: number, rule: ScheduleRule, why?: string, rates?: Float64Array) {
  const groups: PlanGroup[] = [];
  const crossings: number[] = [];
  const rules: string[] = [];
  const dropWeights: (Float64Array | undefined)[] = [];
  if (first > 0) {
    const c = circleSchedule(times.subarray(0, first), map, ridge, rule, why, rates);
    c.plan.groups.forEach((g, k) => {
      groups.push(g);
      crossings.push(c.crossings[k]);
      rules.push('circle');
      dropWeights.push(undefined);
    });
  }
  return { groups, crossings, rules, dropWeights };
}

/** y-nodes to u = (e^{eta y} - 1)/eta (E26), dropping those outside the period strip. */
function mapToU(g: PlanGroup, eta: number): PlanGroup {
  const n = g.re.length;
  const keep: number[] = [];
  for (let j = 0; j < n; j++) if (eta * g.im[j] < Math.PI) keep.push(j);
  const m = keep.length;
  const re = new Float64Array(m);
  const im = new Float64Array(m);
  const rows = g.tEnd - g.tStart;
  const wRe = new Float64Array(rows * m);
  const wIm = new Float64Array(rows * m);
  const d = { re: 0, im: 0 };
  keep.forEach((j, k) => {
    expMinusOne(eta * g.re[j], eta * g.im[j], d);
    re[k] = d.re / eta;
    im[k] = d.im / eta;
    for (let i = 0; i < rows; i++) {
      wRe[i * m + k] = g.wRe[i * n + j];
      wIm[i * m + k] = g.wIm[i * n + j];
    }
  });
  return { tStart: g.tStart, tEnd: g.tEnd, re, im, wRe, wIm, ...keptNest(g, keep, m) };
}

/**
 * The circle rule of (E27) (beta = 0: discrete GD), one group per time:
 * z_j = R e^{i theta_j}, theta_j = (j + 1/2) pi / m, R = 1 + c/t;
 * f(t) = (1/2 pi i) oint z^{t-1} (z - beta)/eta F(u(z)) dz
 *      = 2 Re sum_{j<m} V_j F(u_j),  V_j = z_j^t (z_j - beta) / (2 m eta).
 */
export function circleSchedule(times: Float64Array, map: ZDomainMap, ridge: number, rule: ScheduleRule, why?: string, rates?: Float64Array): Schedule {
  const eta = map.lr;
  const beta = map.heavyBall?.beta ?? 0;
  const perStep = rule.circleNodesPerStep ?? CIRCLE_NODES_PER_STEP;
  const c = rule.circleRadius ?? CIRCLE_RADIUS;
  const groups: PlanGroup[] = [];
  const crossings: number[] = [];
  for (let i = 0; i < times.length; i++) {
    const t = times[i];
    const m = Math.ceil(perStep * t) + CIRCLE_NODES_MIN;
    if (m > CIRCLE_MAX_NODES) {
      throw new InvalidArgumentError(
        't',
        `needs ${m} circle nodes at ${t} steps (${why ?? `eta = ${eta}`}); the cost limit is ${CIRCLE_MAX_NODES} nodes, about ${circleStepLimit(rule)} steps`,
        t,
      );
    }
    const R = 1 + c / t;
    const re = new Float64Array(m);
    const im = new Float64Array(m);
    const wRe = new Float64Array(m);
    const wIm = new Float64Array(m);
    for (let j = 0; j < m; j++) {
      const th = ((j + 0.5) * Math.PI) / m;
      const zr = R * Math.cos(th);
      const zi = R * Math.sin(th);
      // u(z) and z k_t(z) from the optimizer's map (heavy ball: u = (z - 1)(z - beta)/(eta z), z k_t = z^t (z - beta)/eta)
      map.node(zr, zi, t, nodeScratch);
      re[j] = nodeScratch.ur;
      im[j] = nodeScratch.ui;
      if (rates !== undefined) {
        scheduleKernel(rates, beta, re[j], im[j], t, zr, zi, eta, kernelScratch);
        wRe[j] = kernelScratch.re / (2 * m);
        wIm[j] = kernelScratch.im / (2 * m);
        continue;
      }
      // V = z k_t(z) / (2 m)
      wRe[j] = nodeScratch.kr / (2 * m);
      wIm[j] = nodeScratch.ki / (2 * m);
    }
    groups.push({ tStart: i, tEnd: i + 1, re, im, wRe, wIm });
    crossings.push(map.crossing(R));
  }
  const plan: InversionPlan = {
    method: rule.method,
    t: times,
    groups,
    settings: Object.freeze({ method: 'circle', nodesPerStep: perStep, radiusConstant: c, reference: 'THEORY E27, trapezoid rule on |z| = 1 + c/t' }),
  };
  return { plan, crossings: Float64Array.from(crossings), ridge, rules: groups.map(() => 'circle'), settings: { rule: 'circle', eta, ...(map.heavyBall ? { beta } : {}), ...plan.settings } };
}

const kernelScratch = { re: 0, im: 0 };
const nodeScratch: ZNode = { ur: 0, ui: 0, kr: 0, ki: 0 };

/**
 * The circle rule's weight (times 2m) under a learning-rate schedule (THEORY E28c) at the node u = u(z):
 * K_t(u) u'(z) z with K_t(u) = D_t(-u), the residual polynomial of t steps at the complex eigenvalue -u:
 * D_{s+1} = (1 + beta + eta_s u) D_s - beta D_{s-1}, D_0 = D_{-1} = 1 (prod_s (1 + eta_s u) for GD), and
 * u'(z) z = (z^2 - beta)/(eta z) for u = (z - 1)(z - beta)/(eta z). K_t is a polynomial of degree t, so
 * (1/2 pi i) oint K_t(u) F(u) du reproduces D_t at every pole of F inside the contour, as z^{t-1}(z - beta)/eta dz
 * does for a constant rate. O(t) per node.
 */
function scheduleKernel(
  rates: Float64Array, beta: number, ur: number, ui: number, t: number, zr: number, zi: number, eta: number, out: { re: number; im: number },
): void {
  let d0r = 1, d0i = 0, d1r = 1, d1i = 0;
  for (let s = 0; s < t; s++) {
    const ar = 1 + beta + rates[s] * ur;
    const ai = rates[s] * ui;
    const nr = ar * d0r - ai * d0i - beta * d1r;
    const ni = ar * d0i + ai * d0r - beta * d1i;
    d1r = d0r; d1i = d0i; d0r = nr; d0i = ni;
  }
  // (z^2 - beta) / (eta z) = (z - beta conj(z) / |z|^2) / eta
  const iz = beta / (zr * zr + zi * zi);
  const fr = (zr - iz * zr) / eta;
  const fi = (zi + iz * zi) / eta;
  out.re = d0r * fr - d0i * fi;
  out.im = d0r * fi + d0i * fr;
}

/**
 * Radius of the fast part of the singular set of the momentum transforms (E27a; beta = 0: GD).
 * The singular set in z is the image of the spectrum [0, E_max] of F G (plus ridge) under the roots of
 * z^2 - (1 + beta - eta mu) z + beta = 0. For eta mu <= (1 - sqrt beta)^2 both roots are real and positive
 * (the slow one runs from 1 down to sqrt beta, the other from beta up to sqrt beta); for
 * (1 - sqrt beta)^2 < eta mu < (1 + sqrt beta)^2 they are complex with |z| = sqrt beta (a circle arc); beyond,
 * both are negative, the larger in modulus |z| = (eta mu - 1 - beta + sqrt((eta mu - 1 - beta)^2 - 4 beta)) / 2,
 * which is eta mu - 1 for GD. Returns the largest |z| over the part of the set off the positive real axis
 * (0 when the whole set lies on (0, 1]).
 */
export function fastRadius(eta: number, beta: number, eMax: number): number {
  const x = eta * eMax;
  const sb = Math.sqrt(beta);
  if (x <= (1 - sb) * (1 - sb)) return 0;
  if (x <= (1 + sb) * (1 + sb)) return sb;
  const a = x - 1 - beta;
  return Math.max(sb, (a + Math.sqrt(a * a - 4 * beta)) / 2);
}

/**
 * The closure circle sits at log r0 = (1 - CLOSURE_MARGIN) log r_fast: r0^t decays at 90 % of the fast modes'
 * own rate, and the transforms stay moderate on it. Measured (momentum eta 0.5, beta 0.9, N = 64, P = 128,
 * sigma = 0.3, keyhole forced at 250 and 373 steps, against the circle rule): margins 0.2, 0.1, 0.05 give
 * bounds 6.5e-5, 1.7e-5, 8.8e-6 and 4.7e-7, 6.3e-8, 2.4e-8 (true errors 2.6e-7, 2.1e-8, 2.1e-8 and
 * 3.3e-10, 3.8e-11, 3.8e-11): 0.1 takes most of the gain while keeping a distance from the fast set.
 */
export const CLOSURE_MARGIN = 0.1;
/** Closure nodes per group: midpoints on Re y = log r0 (they sample |k_t F|; the bound is their weighted sum). */
export const CLOSURE_NODES = 16;
/**
 * A safety factor of 2 on the sampled closure integral: it also covers the end correction of the trapezoid rule
 * truncated at Re y = log r0 (a half step times the integrand there, which is below the closure's integral).
 */
export const CLOSURE_SAFETY = 2;
/**
 * While the circle rule is affordable (t within circleStepLimit) it serves every time with r0^t above this:
 * it is exact there, and the keyhole's dropped part would not be negligible. Measured (momentum beta = 0.5
 * and 0.9, GD eta E_max = 1.9; N = 64, P = 128, sigma = 0.3): the bound of the dropped part is 3-4 r0^t L(0)
 * (the true error 1e2-1e3 times smaller), so 3e-8 keeps it near 1e-7 L(0), below the default tolerance
 * relTol |L| + absTol L(0) while L(t) >= L(0)/10; a smaller loss shows as 'unverified', never as converged.
 */
export const KEYHOLE_MAX_DROP = 3e-8;

/**
 * What the keyhole rule needs of a map (THEORY E27a, E28d): u(z) and f_t(z) = z k_t(z)/z^t at z = 1 + d, so that
 * k_t(z) dz = e^{t y} f_t(z) dy with z = e^y; an upper bound on |f_t| over t for the dropped closure; and the
 * closure radius r0 (log r0 = -Infinity: no closure, the contour runs to z = 0).
 */
interface KeyholeKernel {
  readonly logR0: number;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly reference: string;
  node(dr: number, di: number, t: number, out: ZNode): void;
  factorBound(dr: number, di: number): number;
}

/**
 * Where the closure circle sits (E27a, E28c, E28d): with a fast part, log r0 = (1 - CLOSURE_MARGIN) log r_fast;
 * without one, between the radius the closure must stay outside (`inner`, where the kernel is not dominated by
 * z^t) and the slow segment's left end (geometric mean); -Infinity when neither exists (the contour runs to z = 0).
 */
export function closureLogRadius(rFast: number, inner: number, slowRoot: () => number): number {
  if (rFast > 0) return (1 - CLOSURE_MARGIN) * Math.log(rFast);
  if (inner > 0) return (Math.log(inner) + Math.log(slowRoot())) / 2;
  return -Infinity;
}

/**
 * The heavy ball's keyhole kernel (E27a; GD is beta = 0): f = (z - beta)/eta, independent of t, and no inner
 * radius: z^{t-1}(z - beta) has no pole at z = 0, so without a fast part the contour runs to z = 0.
 */
function heavyBallKeyhole(eta: number, beta: number, eMax: number): KeyholeKernel {
  const rFast = fastRadius(eta, beta, eMax);
  return {
    logR0: closureLogRadius(rFast, 0, () => 1),
    settings: { eta, beta, fastRadius: rFast },
    reference: 'THEORY E27a, keyhole in y = log z; WT07 contour',
    node(dr, di, _t, out) {
      const zr = 1 + dr;
      const zi = di;
      // (z - 1)(z - beta) / z
      const pr = dr * (zr - beta) - di * zi;
      const pi = dr * zi + di * (zr - beta);
      const iz = 1 / (zr * zr + zi * zi);
      out.ur = ((pr * zr + pi * zi) * iz) / eta;
      out.ui = ((pi * zr - pr * zi) * iz) / eta;
      out.kr = (zr - beta) / eta;
      out.ki = zi / eta;
    },
    factorBound: (dr, di) => Math.hypot(1 + dr - beta, di) / eta,
  };
}

/** The keyhole kernel of a map outside the heavy-ball family from the module's data (Nesterov, E28d). */
function moduleKeyhole(keyhole: ZKeyhole, eta: number, eMax: number): KeyholeKernel {
  const rFast = keyhole.fastRadius(eMax);
  return {
    logR0: closureLogRadius(rFast, keyhole.innerRadius, () => keyhole.slowRoot(eMax)),
    settings: { eta, fastRadius: rFast, innerRadius: keyhole.innerRadius },
    reference: "THEORY E28d, E27a: keyhole in y = log z with the map's own kernel; WT07 contour",
    node: keyhole.node,
    factorBound: keyhole.factorBound,
  };
}

/**
 * The keyhole rule (THEORY E27a) at any stable setting, with cost independent of t: heavy-ball momentum and GD
 * (beta = 0), and maps outside that family with keyhole data (Nesterov, E28d). With z = e^y the kernel becomes a
 * Laplace kernel, k_t(z) dz = e^{t y} f_t(z) dy (heavy ball: f = (z - beta)/eta), so the windowed contour plan at
 * "time" t serves in y, with weights times f_t(e^{y_j}) and the transforms at u_j = u(e^{y_j}). In the period
 * strip |Im y| < pi the singular set is the slow real segment ending at y = 0 plus, at Re y <= log r_fast, the
 * fast part. The closed contour is the hyperbola piece with Re y > log r0 and |Im y| < pi (it wraps the slow
 * segment and crosses the real axis at y_c > 0, u_c = u(e^{y_c}) > 0) closed by the segment Re y = log r0 up to
 * Im y = pi (the circle |z| = r0 around the fast part; the horizontal edges at Im y = +-pi cancel by
 * periodicity). The closure is dropped: its size, at most r0^t max|f_t| times the transforms on it, is bounded
 * from CLOSURE_NODES samples (Schedule.dropWeights) and goes into the error estimate. Nodes beyond the strip at
 * Re y > log r0 must have negligible weight (as for E26). Groups whose times are small enough for the circle
 * rule (cost limit) and whose r0^t exceeds KEYHOLE_MAX_DROP take the circle rule instead.
 */
function keyholeSchedule(times: Float64Array, map: ZDomainMap, kernel: KeyholeKernel, ridge: number, rule: ScheduleRule): Schedule {
  const logR0 = kernel.logR0;
  const stepLimit = circleStepLimit(rule);
  const planOptions = { nodes: rule.nodes, windowRatio: rule.windowRatio, grid: rule.grid };
  // The circle serves the leading times it can afford and at which r0^t is not negligible.
  let circleEnd = 0;
  const maxDrop = rule.keyholeMaxDrop ?? KEYHOLE_MAX_DROP;
  while (circleEnd < times.length && times[circleEnd] <= stepLimit && Math.exp(times[circleEnd] * logR0) > maxDrop) circleEnd++;
  // Nodes beyond the strip that the keyhole would keep (Re y > log r0) must have negligible weight.
  const { first, plan: plan2 } = fittingPlan(rule.method, times, circleEnd, planOptions, (g) => droppedNegligible(g, (j) => g.im[j] >= Math.PI && g.re[j] > logR0));
  if (plan2 === undefined) return circleSchedule(times, map, ridge, rule);
  const settings = { ...kernel.settings, closureRadius: Math.exp(logR0), ...plan2.settings, reference: kernel.reference };
  return circleThenPlan(times, first, plan2, circlePrefix(times, first, map, ridge, rule), 'keyhole', ridge, settings, (g, k) => {
    kernel.node(Math.expm1(crossingPoint(plan2, k)), 0, 0, crossingScratch);
    return { ...keyholeGroup(g, plan2.t, kernel), crossing: crossingScratch.ur };
  });
}

const crossingScratch: ZNode = { ur: 0, ui: 0, kr: 0, ki: 0 };

/**
 * One keyhole group (see keyholeSchedule): the kept y-nodes mapped to u(e^y), weights V f_t(e^y); then, when
 * r0 > 0 and the kept piece ends inside the strip, CLOSURE_NODES closure nodes on Re y = log r0 from the last
 * kept height to pi, with value weight 0 and drop weights CLOSURE_SAFETY r0^t max|f_t(y_c)| dy / (2 pi).
 */
function keyholeGroup(g: PlanGroup, t: Float64Array, kernel: KeyholeKernel): { group: PlanGroup; dropWeights?: Float64Array } {
  const logR0 = kernel.logR0;
  const n = g.re.length;
  const keep: number[] = [];
  for (let j = 0; j < n; j++) if (g.im[j] < Math.PI && g.re[j] > logR0) keep.push(j);
  const lastIm = keep.length > 0 ? g.im[keep[keep.length - 1]] : 0;
  const closure = Number.isFinite(logR0) && lastIm < Math.PI ? CLOSURE_NODES : 0;
  const nk = keep.length;
  const m = nk + closure;
  const rows = g.tEnd - g.tStart;
  const re = new Float64Array(m);
  const im = new Float64Array(m);
  const wRe = new Float64Array(rows * m);
  const wIm = new Float64Array(rows * m);
  const node: ZNode = { ur: 0, ui: 0, kr: 0, ki: 0 };
  const d = { re: 0, im: 0 };
  keep.forEach((j, k) => {
    expMinusOne(g.re[j], g.im[j], d);
    for (let i = 0; i < rows; i++) {
      kernel.node(d.re, d.im, t[g.tStart + i], node);
      const vr = g.wRe[i * n + j];
      const vi = g.wIm[i * n + j];
      wRe[i * m + k] = vr * node.kr - vi * node.ki;
      wIm[i * m + k] = vr * node.ki + vi * node.kr;
    }
    re[k] = node.ur;
    im[k] = node.ui;
  });
  // Closure nodes carry no value weight: every sub-rule may contain them (nest 4).
  const nest = keptNest(g, keep, m, 4);
  if (closure === 0) return { group: { tStart: g.tStart, tEnd: g.tEnd, re, im, wRe, wIm, ...nest } };
  const dropWeights = new Float64Array(rows * m);
  const dy = (Math.PI - lastIm) / closure;
  for (let c = 0; c < closure; c++) {
    expMinusOne(logR0, lastIm + (c + 0.5) * dy, d);
    kernel.node(d.re, d.im, 0, node);
    re[nk + c] = node.ur;
    im[nk + c] = node.ui;
    const size = (CLOSURE_SAFETY * kernel.factorBound(d.re, d.im) * dy) / (2 * Math.PI);
    for (let i = 0; i < rows; i++) dropWeights[i * m + nk + c] = Math.exp(t[g.tStart + i] * logR0) * size;
  }
  return { group: { tStart: g.tStart, tEnd: g.tEnd, re, im, wRe, wIm, ...nest }, dropWeights };
}

/**
 * The nested sub-rule levels (PlanGroup.nest) of the kept nodes `keep` of g, followed by m - keep.length
 * extra nodes at level `extra`; nothing when g has no sub-rules. Dropping nodes keeps the nesting: each
 * sub-rule drops the same nodes (beyond the strip, left of the closure), as the primary does.
 */
function keptNest(g: PlanGroup, keep: readonly number[], m: number, extra = 4): { nest?: Uint8Array } {
  if (g.nest === undefined) return {};
  const nest = new Uint8Array(m).fill(extra);
  keep.forEach((j, k) => {
    nest[k] = g.nest![j];
  });
  return { nest };
}

/** e^{x + i w} - 1, accurate for small |x + i w|: e^x cos w - 1 = expm1(x) cos w - 2 sin^2(w/2). */
export function expMinusOne(x: number, w: number, out: { re: number; im: number }): void {
  const sh = Math.sin(w / 2);
  out.re = Math.expm1(x) * Math.cos(w) - 2 * sh * sh;
  out.im = Math.exp(x) * Math.sin(w);
}

/**
 * DMFT of minibatch SGD on P fixed training samples (data reuse, THEORY E28b):
 * each step draws B of the P rows uniformly with replacement, w <- w - (eta/B)
 * phi^T (phi w - y) over the batch. Test and train loss, gap and bias at finite
 * N and P, from the closure of E28b averaged over the data and A through the
 * deterministic equivalents of E9-E16.
 *
 * Z-transforms X^(z) = sum_t X_t z^-t, with
 *   eps = (eta^2/B)(P - 2)/(P + 2),  c = (eta^2/B) P/(P + 2),  q = eta^2 + eps,
 *   r_1,2 the roots in nu of q nu^2 - 2 eta nu + 1 - z (z - rho(nu) with the
 *   per-mode factor rho(nu) = 1 - 2 eta nu + q nu^2 of the closure), s_j = -r_j:
 * Train (exact within the closure):
 *   Lhat(z) = F(z) / (1 - c z^-1 K(z)),
 *   F(z) = -z [m_y(s1) - m_y(s2)] / (q (r1 - r2)),  K(z) = -z [k(s1) - k(s2)] / (q (r1 - r2)),
 *   m_y(s) = R1(s) [sum_k c_k H_k(s) + sigma^2 / s],  k(s) = tr Lambda - s Q(s)
 *   (E11, E15a: H_k = kappa / (s (kappa + lambda_k)), Q = g(kappa), R = s/kappa).
 * Test:
 *   L_t = L^GD_t + X_t + Z_t,
 *   L^GD_t the test loss of full-batch GD at the same eta on the same P samples (E15d, E26; the
 *     tool's own GD curve),
 *   X(z) = c Lhat(z) (-1 / (q (r1 - r2))) [t_O(s1) - t_O(s2)]  (the batch noise fed through the train loss),
 *     t_O(s) = R(s) [sum_k lambda_k^2 H_k(s) + s (sum_k lambda_k H_k(s))^2 / N],
 *   Z_t = eps t G_{t-1}: the non-separable mean-gradient term to FIRST ORDER in eps (an approximation;
 *     its size is reported beside the value), G_tau the GD double transform at (tau, tau) of
 *     T(u, u') = u u' test(u, u') - u sum_k c_k H_k(u) - u' sum_k c_k H_k(u') + sum_k c_k
 *     (test(u, u') the pair closed form of E15d; the last three terms integrate to zero and only
 *     remove the large-|u| part).
 * Bias: the batch-averaged iterate follows GD on the P samples exactly (the expected minibatch
 * gradient is the full gradient and the update is linear), so B(t) is GD's bias (E14, E26).
 * L_A (the predictor averaged over A at fixed data) is not derived for SGD: NaN, status non_finite.
 *
 * Inversion: (1/2 pi i) oint f(z) z^{t-1} dz = (1/2 pi i) oint (1 + eta u)^t [eta f(z)/z] du with
 * z = 1 + eta u, i.e. the GD schedule of schedule.ts (circle |z| = 1 + 4/t for the first steps, the
 * y-contour z = e^{eta y} above) with F(u) = eta f(1 + eta u)/(1 + eta u); f is analytic off the
 * segment [rho_min, 1] inside the unit disc (rho_min = min rho(nu) > 0) and at z = 0, so every
 * closed rule of the schedule that encloses (0, 1] inverts it. The keyhole rule (eta E_max >= 1)
 * places its closure for GD's segment: for eta E_max >= 1 the circle serves every time within its cost
 * limit (keyholeMaxDrop -1) and a later time that falls to the keyhole is unverified, with a message.
 * Error estimate: the spread of the primary node set against the coarse one (NUMERIC_DEFAULTS.coarseNodes,
 * coarseCircleNodesPerStep), floored by round-off (inversion/verify.ts), by the engine's rule (inversionError, verifiedStatus in inversion/verify.ts).
 *
 * Sampling by epochs (random permutations): with B = P (or a multiple of P) every step is full-batch
 * GD, and the answer is the tool's GD curve. For B < P the epoch closure is not derived; refused.
 *
 * Cross-checks (test/numeric/sgd-reuse.test.ts): with the noise switched off (eps = c = 0) the train
 * inversion equals GD's train loss and the two-point pass GD's test loss (another code path,
 * curve.ts); P -> infinity gives one-pass SGD (sgd.ts); the sampled finite model (simulator).
 */
import { InvalidArgumentError, requireFinite, requireSize } from '../core/errors.js';
import type { Status } from '../core/solution.js';
import { worstStatus } from '../core/solution.js';
import { describeDynamics, isStochastic, scheduleLabel, type GradientDescent, type OnePassSgd } from '../dynamics/index.js';
import { REUSE_SAMPLINGS, type ReuseSampling } from '../dynamics/index.js';
import type { Spectrum } from '../spectrum/index.js';
import { NUMERIC_DEFAULTS } from './defaults.js';
import { invert1, invert2Diagonal, inversionError, verifiedStatus, type ComplexArray, type InversionMethodName, type PairValues } from './inversion/index.js';
import { makeKappaContext, solveKappaComplex, solveKappaNodes, spectrumTop, type KappaContext } from './kappa.js';
import { modeQuadrature, type ModeSet } from './modes.js';
import { makeSchedule, type Schedule } from './schedule.js';
import { PAIR_SWITCH, pairClosedForms } from './curve.js';
import { solveCurve, type CurveSolution } from './index.js';

export { REUSE_SAMPLINGS, type ReuseSampling };

/** Minibatch SGD on P fixed samples: model, noise, whole step counts, dynamics, sampling. */
export interface SgdReuseProblem {
  readonly spectrum: Spectrum;
  readonly N: number;
  /** Training samples: an integer >= 2, or Infinity (one-pass SGD, the closure's limit). */
  readonly P: number;
  readonly sigma: number;
  /** Whole step counts: 0 or >= 2 (the mean-gradient term needs the GD transform at t - 1 >= 1). */
  readonly t: ArrayLike<number>;
  /** makeDynamics({ optimizer: 'sgd', lr, batch }) (ridge 0). */
  readonly dynamics: OnePassSgd;
  /** Default 'replacement'. */
  readonly sampling?: ReuseSampling;
}

export interface SgdReuseOptions {
  /** Primary contour family of the GD schedule (default NUMERIC_DEFAULTS.methods[0]). */
  readonly method?: InversionMethodName;
  readonly relTol?: number;
  readonly absTol?: number;
  readonly lambdaMargin?: number;
}

/** The parts of the test loss and what they rest on (THEORY E28b). */
export interface ReuseParts {
  readonly sampling: ReuseSampling;
  /** Full-batch GD test loss at the same eta on the same P samples (incl. sigma^2). */
  readonly gd: Float64Array;
  /** X_t: the batch noise fed through the train loss. */
  readonly noiseFeedback: Float64Array;
  /** Z_t = eps t G_{t-1}: the mean-gradient term, first order in eps (an approximation, see modelNote). */
  readonly meanGradientTerm: Float64Array;
  readonly errorEstimate: { gd: Float64Array; noiseFeedback: Float64Array; meanGradientTerm: Float64Array };
  /** eps, c of the closure; kernel norm c K(1) (< 1 for stability) and q E_max / (2 eta) (< 1 for stability). */
  readonly eps: number;
  readonly c: number;
  readonly kernelNorm: number;
  readonly curvatureRatio: number;
  readonly modelNote: string;
}

/** The result of solveSgdReuseCurve: a CurveSolution with the parts of the test loss. */
export interface SgdReuseSolution extends CurveSolution {
  reuse: ReuseParts;
}

type C = { re: number; im: number };

/** Per-evaluation scratch of the one-point objects (no per-mode allocation). */
interface OnePoint {
  myRe: number; myIm: number;
  kRe: number; kIm: number;
  tORe: number; tOIm: number;
  iterations: number;
  status: Status;
  residual: number;
}

/** Everything the transforms need, fixed per problem. */
interface Model {
  readonly modes: ModeSet;
  readonly ctx: KappaContext;
  readonly eta: number;
  readonly eps: number;
  readonly c: number;
  readonly q: number;
  readonly sigma2: number;
  readonly trace: number;
  readonly sumC: number;
}

/** m_y(s), k(s), t_O(s) at one complex s off the cut (-inf, 0] (module comment). */
function onePoint(model: Model, sRe: number, sIm: number, out: OnePoint): void {
  const { modes, ctx } = model;
  // A real s left of the spectrum is approached from above (the functions are continuous there).
  const sol = solveKappaComplex(ctx, sRe, sIm === 0 ? 1e-13 * Math.max(1, Math.abs(sRe)) : sIm);
  out.iterations += sol.iterations;
  out.status = worstStatus(out.status, sol.status);
  out.residual = Math.max(out.residual, sol.residual);
  const kr = sol.kRe;
  const ki = sol.kIm;
  // sums of w_k c_k H_k, w_k lambda_k H_k, w_k lambda_k^2 H_k, H_k = kappa / (s (kappa + lambda_k))
  let cr = 0, ci = 0, l1r = 0, l1i = 0, l2r = 0, l2i = 0;
  for (let j = 0; j < modes.lambda.length; j++) {
    const l = modes.lambda[j];
    // 1 / (kappa + l)
    const dr = kr + l;
    const dd = dr * dr + ki * ki;
    const ir = dr / dd;
    const ii = -ki / dd;
    const w = modes.weight[j];
    const wc = w * modes.c[j];
    const wl = w * l;
    cr += wc * ir; ci += wc * ii;
    l1r += wl * ir; l1i += wl * ii;
    l2r += wl * l * ir; l2i += wl * l * ii;
  }
  // kappa / s
  const sd = sRe * sRe + sIm * sIm;
  const fr = (kr * sRe + ki * sIm) / sd;
  const fi = (ki * sRe - kr * sIm) / sd;
  const mul = (ar: number, ai: number, br: number, bi: number): C => ({ re: ar * br - ai * bi, im: ar * bi + ai * br });
  const cH = mul(cr, ci, fr, fi);
  const l1H = mul(l1r, l1i, fr, fi);
  const l2H = mul(l2r, l2i, fr, fi);
  // m_y = R1 (cH + sigma^2 / s)
  const ar = cH.re + (model.sigma2 * sRe) / sd;
  const ai = cH.im - (model.sigma2 * sIm) / sd;
  const my = mul(sol.r1Re, sol.r1Im, ar, ai);
  out.myRe = my.re;
  out.myIm = my.im;
  // k = tr Lambda - s Q, Q = g(kappa) = sum_k w_k lambda_k / (kappa + lambda_k) (the kappa module leaves Q = 0 at N = P = infinity)
  out.kRe = model.trace - (sRe * l1r - sIm * l1i);
  out.kIm = -(sRe * l1i + sIm * l1r);
  // t_O = R (l2H + s l1H^2 / N)
  const sq = mul(l1H.re, l1H.im, l1H.re, l1H.im);
  const ss = mul(sRe, sIm, sq.re, sq.im);
  const tO = mul(sol.rRe, sol.rIm, l2H.re + ss.re * ctx.invN, l2H.im + ss.im * ctx.invN);
  out.tORe = tO.re;
  out.tOIm = tO.im;
}

const scratch1: OnePoint = { myRe: 0, myIm: 0, kRe: 0, kIm: 0, tORe: 0, tOIm: 0, iterations: 0, status: 'converged', residual: 0 };
const scratch2: OnePoint = { ...scratch1 };

/**
 * [Lhat(z), X(z), K(z)/z] at z (module comment), written into out[0..5].
 * Returns the Newton iterations and the worst kappa status via `acc`.
 */
function transform(model: Model, zr: number, zi: number, out: Float64Array, acc: OnePoint): void {
  const { eta, q, c } = model;
  // root = sqrt(eta^2 - q (1 - z)), principal branch (the transforms are symmetric in r1 <-> r2)
  const xr = eta * eta - q * (1 - zr);
  const xi = q * zi;
  const mod = Math.hypot(xr, xi);
  const rr = Math.sqrt(Math.max(0, (mod + xr) / 2));
  const ri = (xi < 0 ? -1 : 1) * Math.sqrt(Math.max(0, (mod - xr) / 2));
  // s_j = -r_j = -(eta +- root)/q
  scratch1.iterations = 0; scratch1.status = 'converged'; scratch1.residual = 0;
  scratch2.iterations = 0; scratch2.status = 'converged'; scratch2.residual = 0;
  onePoint(model, -(eta + rr) / q, -ri / q, scratch1);
  onePoint(model, -(eta - rr) / q, ri / q, scratch2);
  acc.iterations += scratch1.iterations + scratch2.iterations;
  acc.status = worstStatus(acc.status, worstStatus(scratch1.status, scratch2.status));
  acc.residual = Math.max(acc.residual, scratch1.residual, scratch2.residual);
  // part = -1 / (q (r1 - r2)) = -1 / (2 root)
  const pd = 2 * (rr * rr + ri * ri);
  const pr = -rr / pd;
  const pi = ri / pd;
  // z part
  const zpr = zr * pr - zi * pi;
  const zpi = zr * pi + zi * pr;
  const dmr = scratch1.myRe - scratch2.myRe;
  const dmi = scratch1.myIm - scratch2.myIm;
  const Fr = zpr * dmr - zpi * dmi;
  const Fi = zpr * dmi + zpi * dmr;
  const dkr = scratch1.kRe - scratch2.kRe;
  const dki = scratch1.kIm - scratch2.kIm;
  // K(z)/z = part [k(s1) - k(s2)]
  const Kr = pr * dkr - pi * dki;
  const Ki = pr * dki + pi * dkr;
  // Lhat = F / (1 - c K/z)
  const der = 1 - c * Kr;
  const dei = -c * Ki;
  const dd = der * der + dei * dei;
  const Lr = (Fr * der + Fi * dei) / dd;
  const Li = (Fi * der - Fr * dei) / dd;
  // X = c Lhat part [tO(s1) - tO(s2)]
  const dtr = scratch1.tORe - scratch2.tORe;
  const dti = scratch1.tOIm - scratch2.tOIm;
  const ytr = pr * dtr - pi * dti;
  const yti = pr * dti + pi * dtr;
  out[0] = Lr;
  out[1] = Li;
  out[2] = c * (Lr * ytr - Li * yti);
  out[3] = c * (Lr * yti + Li * ytr);
  out[4] = Kr;
  out[5] = Ki;
}

/** GD dynamics at the SGD's rate (the schedule, L^GD and the bias). */
function gdOf(dynamics: OnePassSgd): GradientDescent {
  return { kind: 'gd', lr: dynamics.lr, ridge: 0 };
}

interface PassOut {
  train: Float64Array;
  X: Float64Array;
  G: Float64Array;
  magTrain: Float64Array;
  magX: Float64Array;
  /** Per time: 1 when a node group of the time is not a rule validated here (module comment). */
  offRule: Uint8Array;
  iterations: number;
  status: Status;
  maxResidual: number;
  nodes: number;
  groups: number;
  messages: string[];
}

/**
 * One pass over the times (ascending whole steps >= 2) with one node set: the one-point inversions of
 * Lhat and X at t and the two-point inversion of T at tau = t - 1 (module comment).
 */
function reusePass(model: Model, dynamics: OnePassSgd, tPos: Float64Array, rule: { method: InversionMethodName; nodes?: number; circleNodesPerStep?: number; eMax: number; keyholeMaxDrop: number }): PassOut {
  const gd = gdOf(dynamics);
  const eta = model.eta;
  const n = tPos.length;
  const acc: OnePoint = { myRe: 0, myIm: 0, kRe: 0, kIm: 0, tORe: 0, tOIm: 0, iterations: 0, status: 'converged', residual: 0 };
  const messages: string[] = [];
  let nodes = 0;
  // One-point: F(u) = eta f(z)/z, z = 1 + eta u, on GD's schedule at t.
  const s1 = makeSchedule(gd, tPos, rule);
  const offRule = new Uint8Array(n);
  checkRules(s1, offRule, messages);
  const trainValues: ComplexArray[] = [];
  const xValues: ComplexArray[] = [];
  const buf = new Float64Array(6);
  for (const g of s1.plan.groups) {
    const m = g.re.length;
    nodes += m;
    const tv = { re: new Float64Array(m), im: new Float64Array(m) };
    const xv = { re: new Float64Array(m), im: new Float64Array(m) };
    for (let j = 0; j < m; j++) {
      const zr = 1 + eta * g.re[j];
      const zi = eta * g.im[j];
      transform(model, zr, zi, buf, acc);
      // eta / z
      const zd = zr * zr + zi * zi;
      const wr = (eta * zr) / zd;
      const wi = (-eta * zi) / zd;
      tv.re[j] = wr * buf[0] - wi * buf[1];
      tv.im[j] = wr * buf[1] + wi * buf[0];
      xv.re[j] = wr * buf[2] - wi * buf[3];
      xv.im[j] = wr * buf[3] + wi * buf[2];
    }
    trainValues.push(tv);
    xValues.push(xv);
  }
  const train = invert1(s1.plan, trainValues);
  const X = invert1(s1.plan, xValues);
  const magTrain = magnitudes(s1, trainValues);
  const magX = magnitudes(s1, xValues);

  // Two-point: G at tau = t - 1 on GD's schedule at tau.
  const tau = tPos.map((x) => x - 1);
  const s2 = makeSchedule(gd, tau, rule);
  checkRules(s2, offRule, messages);
  const pairs: PairValues[] = [];
  let kIter = 0;
  let kStatus: Status = 'converged';
  let kResidual = 0;
  for (let gi = 0; gi < s2.plan.groups.length; gi++) {
    const g = s2.plan.groups[gi];
    const start = s2.crossings[gi] > 0 ? s2.crossings[gi] : Math.hypot(g.re[0], g.im[0]);
    const kn = solveKappaNodes(model.ctx, start, g.re, g.im, 'asGiven');
    kIter += kn.totalIterations;
    kStatus = worstStatus(kStatus, kn.worst);
    kResidual = Math.max(kResidual, kn.maxResidual);
    nodes += g.re.length;
    pairs.push(pairValuesT(model, kn));
  }
  const G = invert2Diagonal(s2.plan, pairs);
  return {
    train,
    X,
    G,
    magTrain,
    magX,
    offRule,
    iterations: acc.iterations + kIter,
    status: worstStatus(acc.status, kStatus),
    maxResidual: Math.max(acc.residual, kResidual),
    nodes,
    groups: s1.plan.groups.length + s2.plan.groups.length,
    messages,
  };
}

/** The keyhole rule places its closure for GD's singular segment only (module comment): flags the times it serves. */
function checkRules(s: Schedule, offRule: Uint8Array, messages: string[]): void {
  s.plan.groups.forEach((g, k) => {
    const r = s.rules[k];
    if (r === 'circle' || r === 'y-contour') return;
    offRule.fill(1, g.tStart, g.tEnd);
    messages.push(`the ${r} rule (eta E_max >= 1, steps beyond the circle's cost limit) is not validated for SGD at finite P: those steps are unverified`);
  });
}

/** Round-off magnitude sum_j 2 |V_ij F_j| per time of a one-point inversion. */
function magnitudes(s: Schedule, values: readonly ComplexArray[]): Float64Array {
  const out = new Float64Array(s.plan.t.length);
  s.plan.groups.forEach((g, k) => {
    const m = g.re.length;
    for (let i = g.tStart; i < g.tEnd; i++) {
      let acc = 0;
      for (let j = 0; j < m; j++) acc += 2 * Math.hypot(g.wRe[(i - g.tStart) * m + j], g.wIm[(i - g.tStart) * m + j]) * Math.hypot(values[k].re[j], values[k].im[j]);
      out[i] = acc;
    }
  });
  return out;
}

/**
 * same/cross matrices of T(u, u') (module comment) at one group's kappa nodes. The pair sums of (E15b)
 * by partial fractions, O(1) per pair, where kappa differs enough between the two nodes (PAIR_SWITCH, as
 * in curve.ts), else directly over the modes: the circle's node count grows with t (4.7 per step), and
 * O(n^2 K) pair sums made 300 steps at eta E_max >= 1 take minutes.
 */
function pairValuesT(model: Model, kn: ReturnType<typeof solveKappaNodes>): PairValues {
  const { modes, ctx } = model;
  const n = kn.sRe.length;
  const K = modes.lambda.length;
  // H_k at every node (re, im), sum_k w c H, and the one-point sums of h_k = 1/(kappa + lambda_k) with the
  // weights w lambda, w lambda^2, w c, w c lambda (re, im; 8 per node) for the partial fractions below.
  const H = new Float64Array(2 * n * K);
  const cHr = new Float64Array(n);
  const cHi = new Float64Array(n);
  const S = new Float64Array(8 * n);
  const fRe = new Float64Array(n);
  const fIm = new Float64Array(n);
  for (let a = 0; a < n; a++) {
    const sr = kn.sRe[a], si = kn.sIm[a], kr = kn.kRe[a], ki = kn.kIm[a];
    // f = kappa / s, so H_k = f h_k
    const sd = sr * sr + si * si;
    fRe[a] = (kr * sr + ki * si) / sd;
    fIm[a] = (ki * sr - kr * si) / sd;
    for (let j = 0; j < K; j++) {
      const dr = kr + modes.lambda[j];
      const dd = dr * dr + ki * ki;
      const hr = dr / dd;
      const hi = -ki / dd;
      const l = modes.lambda[j];
      const wl = modes.weight[j] * l;
      const wc = modes.weight[j] * modes.c[j];
      S[8 * a] += wl * hr; S[8 * a + 1] += wl * hi;
      S[8 * a + 2] += wl * l * hr; S[8 * a + 3] += wl * l * hi;
      S[8 * a + 4] += wc * hr; S[8 * a + 5] += wc * hi;
      S[8 * a + 6] += wc * l * hr; S[8 * a + 7] += wc * l * hi;
    }
    let accr = 0, acci = 0;
    for (let j = 0; j < K; j++) {
      // kappa / (s (kappa + l))
      const dr = sr * (kr + modes.lambda[j]) - si * ki;
      const di = sr * ki + si * (kr + modes.lambda[j]);
      const dd = dr * dr + di * di;
      const hr = (kr * dr + ki * di) / dd;
      const hi = (ki * dr - kr * di) / dd;
      H[2 * (a * K + j)] = hr;
      H[2 * (a * K + j) + 1] = hi;
      const wc = modes.weight[j] * modes.c[j];
      accr += wc * hr;
      acci += wc * hi;
    }
    cHr[a] = accr;
    cHi[a] = acci;
  }
  const same = { re: new Float64Array(n * n), im: new Float64Array(n * n) };
  const cross = { re: new Float64Array(n * n), im: new Float64Array(n * n) };
  const out = new Float64Array(6);
  const pr = new Float64Array(8);
  for (let a = 0; a < n; a++) {
    for (let b = a; b < n; b++) {
      for (let conj = 0; conj < 2; conj++) {
        const sg = conj === 1 ? -1 : 1;
        let gr = 0, gi = 0, sr = 0, si = 0, b0r = 0, b0i = 0, b1r = 0, b1i = 0;
        const kar = kn.kRe[a], kai = kn.kIm[a], kbr = kn.kRe[b], kbi = sg * kn.kIm[b];
        const dkr = kbr - kar, dki = kbi - kai;
        if (Math.hypot(dkr, dki) > PAIR_SWITCH * Math.max(Math.hypot(kar, kai), Math.hypot(kbr, kbi))) {
          // Partial fractions, O(1) per pair: sum_k g_k h_k(a) h_k(b) = (G(a) - G(b)) / (kappa_b - kappa_a), times f_a f_b.
          const dd = dkr * dkr + dki * dki;
          const ffr = fRe[a] * fRe[b] - fIm[a] * sg * fIm[b];
          const ffi = fRe[a] * sg * fIm[b] + fIm[a] * fRe[b];
          // m = f_a f_b / (kappa_b - kappa_a)
          const mr = (ffr * dkr + ffi * dki) / dd;
          const mi = (ffi * dkr - ffr * dki) / dd;
          for (let q = 0; q < 4; q++) {
            const xr = S[8 * a + 2 * q] - S[8 * b + 2 * q];
            const xi = S[8 * a + 2 * q + 1] - sg * S[8 * b + 2 * q + 1];
            pr[2 * q] = xr * mr - xi * mi;
            pr[2 * q + 1] = xr * mi + xi * mr;
          }
          sr = pr[0]; si = pr[1]; gr = pr[2]; gi = pr[3]; b0r = pr[4]; b0i = pr[5]; b1r = pr[6]; b1i = pr[7];
        } else for (let j = 0; j < K; j++) {
          const xr = H[2 * (a * K + j)], xi = H[2 * (a * K + j) + 1];
          const yr = H[2 * (b * K + j)], yi = sg * H[2 * (b * K + j) + 1];
          const hr = xr * yr - xi * yi;
          const hi = xr * yi + xi * yr;
          const l = modes.lambda[j];
          const wl = modes.weight[j] * l;
          const wc = modes.weight[j] * modes.c[j];
          sr += wl * hr; si += wl * hi;
          gr += wl * l * hr; gi += wl * l * hi;
          b0r += wc * hr; b0i += wc * hi;
          b1r += wc * l * hr; b1i += wc * l * hi;
        }
        const ur = kn.sRe[a], ui = kn.sIm[a];
        const vr = kn.sRe[b], vi = sg * kn.sIm[b];
        pairClosedForms(
          ur, ui, kn.rRe[a], kn.rIm[a], kn.r1Re[a], kn.r1Im[a],
          vr, vi, kn.rRe[b], sg * kn.rIm[b], kn.r1Re[b], sg * kn.r1Im[b],
          gr, gi, sr, si, b0r, b0i, b1r, b1i, ctx.invN, ctx.invP, model.sigma2, out,
        );
        // T = u u' test - u cH(u) - u' cH(u') + sum c
        const uvr = ur * vr - ui * vi;
        const uvi = ur * vi + ui * vr;
        const c2r = cHr[b], c2i = sg * cHi[b];
        const Tr = uvr * out[0] - uvi * out[1] - (ur * cHr[a] - ui * cHi[a]) - (vr * c2r - vi * c2i) + model.sumC;
        const Ti = uvr * out[1] + uvi * out[0] - (ur * cHi[a] + ui * cHr[a]) - (vr * c2i + vi * c2r);
        const dst = conj === 1 ? cross : same;
        dst.re[a * n + b] = Tr;
        dst.im[a * n + b] = Ti;
        // same is symmetric; cross[b][a] = conj(cross[a][b])
        dst.re[b * n + a] = Tr;
        dst.im[b * n + a] = conj === 1 ? -Ti : Ti;
      }
    }
  }
  return { same, cross };
}

/**
 * Validates an SGD-on-P-samples problem without computing anything (the CLI and the curve report
 * call it before any work). Throws InvalidArgumentError naming the problem field.
 */
export function checkSgdReuseProblem(problem: SgdReuseProblem): { sigma: number; t: Float64Array; sampling: ReuseSampling; dynamics: OnePassSgd } {
  return validate(problem);
}

function validate(problem: SgdReuseProblem): { sigma: number; t: Float64Array; sampling: ReuseSampling; dynamics: OnePassSgd } {
  if (problem === null || typeof problem !== 'object') throw new InvalidArgumentError('problem', 'must be an object', problem);
  requireSize('N', problem.N);
  const P = problem.P;
  if (P !== Infinity && !(Number.isInteger(P) && P >= 2)) throw new InvalidArgumentError('P', 'must be an integer >= 2 (or Infinity) with SGD on fixed samples', P);
  const dynamics = problem.dynamics;
  if (!dynamics || !isStochastic(dynamics)) throw new InvalidArgumentError('dynamics', "must be minibatch SGD (makeDynamics({ optimizer: 'sgd', lr, batch }))", (dynamics as { kind?: string } | undefined)?.kind);
  if (!(dynamics.lr > 0) || !Number.isFinite(dynamics.lr)) throw new InvalidArgumentError('lr', 'must be > 0', dynamics.lr);
  if (!Number.isInteger(dynamics.batch) || dynamics.batch < 1) throw new InvalidArgumentError('batch', 'must be an integer >= 1', dynamics.batch);
  if (dynamics.ridge !== 0) throw new InvalidArgumentError('ridge', 'must be 0 with SGD on fixed samples (the closure of THEORY E28b has no ridge)', dynamics.ridge);
  // The closure of E28b is derived at one rate; a schedule would be silently dropped (its two-time kernel on P samples is not derived).
  if (dynamics.schedule !== undefined) {
    throw new InvalidArgumentError('schedule', 'applies to one-pass SGD (P = Infinity) only, not to SGD on P fixed samples (THEORY E28b is derived at one rate)', scheduleLabel(dynamics.schedule));
  }
  const sampling = problem.sampling ?? 'replacement';
  if (!REUSE_SAMPLINGS.includes(sampling)) throw new InvalidArgumentError('sampling', `must be one of ${REUSE_SAMPLINGS.join(', ')}`, sampling);
  if (sampling === 'epochs' && (P === Infinity || dynamics.batch % P !== 0)) {
    throw new InvalidArgumentError(
      'sampling',
      `epochs is predicted only for a batch that is a multiple of P (full-batch GD); the epoch closure for batch ${dynamics.batch} with P = ${P} (not a multiple of P) is not derived (the simulator has it: simulate with sgdSampling 'epochs')`,
      sampling,
    );
  }
  requireFinite('sigma', problem.sigma);
  if (problem.sigma < 0) throw new InvalidArgumentError('sigma', 'must be >= 0', problem.sigma);
  const t = problem.t;
  if (t === null || t === undefined || typeof t.length !== 'number' || t.length === 0) throw new InvalidArgumentError('t', 'must be a non-empty array of step counts', t);
  const out = Float64Array.from(t);
  out.forEach((x, i) => {
    if (!(Number.isInteger(x) && (x === 0 || x >= 2))) {
      throw new InvalidArgumentError(`t[${i}]`, 'must be a whole step count 0 or >= 2 for SGD on fixed samples (the mean-gradient term needs the GD transform at t - 1 >= 1; infinity is not answered)', x);
    }
  });
  return { sigma: problem.sigma, t: out, sampling, dynamics };
}

/**
 * Test and train loss, gap and bias of minibatch SGD on P fixed samples (THEORY E28b) at whole step
 * counts t (0 or >= 2, any order). With sampling 'epochs' and a batch that is a multiple of P the
 * answer is full-batch GD (solveCurve). Throws InvalidArgumentError for invalid input only.
 */
export function solveSgdReuseCurve(problem: SgdReuseProblem, options: SgdReuseOptions = {}): SgdReuseSolution {
  const { sigma, t, sampling, dynamics } = validate(problem);
  const eta = dynamics.lr;
  const B = dynamics.batch;
  const P = problem.P;
  const T = t.length;
  const curveProblem = { spectrum: problem.spectrum, N: problem.N, P, sigma, t };
  const curveOptions = { relTol: options.relTol, absTol: options.absTol, modes: { lambdaMargin: options.lambdaMargin } };
  // The bias and L^GD: full-batch GD at the same rate on the same samples (module comment).
  const gdCurve = solveCurve({ ...curveProblem, dynamics: gdOf(dynamics) }, curveOptions);
  const zeros = () => new Float64Array(T);
  if (sampling === 'epochs') {
    const note = `sampling epochs with batch ${B} = ${B / P} x P: every step is full-batch GD at lr ${eta} (THEORY E28b)`;
    return {
      ...gdCurve,
      message: [gdCurve.message, note].filter((m) => m !== '').join('; '),
      parameters: { ...gdCurve.parameters, dynamics: describeDynamics(dynamics), sampling },
      reuse: {
        sampling,
        gd: gdCurve.test,
        noiseFeedback: zeros(),
        meanGradientTerm: zeros(),
        errorEstimate: { gd: gdCurve.errorEstimate.test, noiseFeedback: zeros(), meanGradientTerm: zeros() },
        eps: 0,
        c: 0,
        kernelNorm: 0,
        curvatureRatio: 0,
        modelNote: note,
      },
    };
  }
  return replacementCurve(problem, options, { sigma, t, dynamics, gdCurve });
}

function replacementCurve(
  problem: SgdReuseProblem, options: SgdReuseOptions, v: { sigma: number; t: Float64Array; dynamics: OnePassSgd; gdCurve: CurveSolution },
): SgdReuseSolution {
  const { sigma, t, dynamics, gdCurve } = v;
  const eta = dynamics.lr;
  const B = dynamics.batch;
  const P = problem.P;
  const T = t.length;
  const relTol = options.relTol ?? NUMERIC_DEFAULTS.relTol;
  const absTol = options.absTol ?? NUMERIC_DEFAULTS.absTol;
  const method = options.method ?? NUMERIC_DEFAULTS.methods[0];
  const ratio = P === Infinity ? 1 : P / (P + 2);
  const eps = ((eta * eta) / B) * (P === Infinity ? 1 : (P - 2) / (P + 2));
  const c = ((eta * eta) / B) * ratio;
  const q = eta * eta + eps;
  let tMax = 2;
  for (const x of t) tMax = Math.max(tMax, x);
  let scale = 1 / (eta * tMax);
  const sp = problem.spectrum;
  const nMin = Math.min(problem.N, P);
  if (sp.kind === 'power-law' && Number.isFinite(nMin)) scale = Math.min(scale, Math.pow(nMin, -sp.b));
  const modes = modeQuadrature(sp, { lambdaMin: (options.lambdaMargin ?? NUMERIC_DEFAULTS.lambdaMargin) * scale });
  const ctx = makeKappaContext(modes, problem.N, P);
  let sumC = 0;
  for (let j = 0; j < modes.lambda.length; j++) sumC += modes.weight[j] * modes.c[j];
  const model: Model = { modes, ctx, eta, eps, c, q, sigma2: sigma * sigma, trace: modes.trace, sumC };
  const eMax = spectrumTop(ctx);
  const L0 = sumC + sigma * sigma;
  const nan = () => new Float64Array(T).fill(Number.NaN);
  const out = { test: nan(), train: nan(), gap: nan(), noise: nan(), mean: nan() };
  const err = { test: nan(), train: nan(), gap: nan(), noise: nan(), mean: nan() };
  const testStatus: Status[] = new Array<Status>(T).fill(ctx.kappaCStatus);
  const trainStatus: Status[] = new Array<Status>(T).fill(ctx.kappaCStatus);
  const messages: string[] = [];
  let iterations = ctx.kappaCIterations;
  // Stability (E28b): every rho(nu) < 1 on the spectrum (q E_max < 2 eta) and kernel norm c K(1) < 1.
  const curvatureRatio = (q * eMax) / (2 * eta);
  const acc: OnePoint = { myRe: 0, myIm: 0, kRe: 0, kIm: 0, tORe: 0, tOIm: 0, iterations: 0, status: 'converged', residual: 0 };
  let kernelNorm = Number.NaN;
  if (curvatureRatio < 1) {
    const buf = new Float64Array(6);
    transform(model, 1 + 1e-12, 0, buf, acc);
    kernelNorm = c * buf[4];
    iterations += acc.iterations;
  }
  let unstable = '';
  if (!(curvatureRatio < 1)) {
    unstable = `unstable: (eta^2 + eps) E_max / (2 eta) = ${curvatureRatio.toPrecision(6)} >= 1: the expected loss of the top mode grows (E_max = ${eMax.toPrecision(6)}, eps = ${eps.toPrecision(4)}; THEORY E28b)`;
  } else if (!(kernelNorm < 1)) {
    unstable = `unstable: kernel norm c K(1) = ${kernelNorm.toPrecision(6)} >= 1: the batch-noise feedback makes the expected loss grow (needs a smaller lr or a larger batch, THEORY E28b)`;
  }
  const tPosList = [...new Set(Array.from(t).filter((x) => x >= 2))].sort((a, b) => a - b);
  const tPos = Float64Array.from(tPosList);
  const diagnostics = {
    ...gdCurve.diagnostics,
    maxKappaResidual: gdCurve.diagnostics.maxKappaResidual,
    nodes: gdCurve.diagnostics.nodes,
    groups: gdCurve.diagnostics.groups,
    spectrumTop: eMax,
    messages,
  };
  let pass: PassOut | undefined;
  let coarse: PassOut | undefined;
  if (!unstable && tPos.length > 0) {
    pass = reusePass(model, dynamics, tPos, { method, eMax, keyholeMaxDrop: -1 });
    coarse = reusePass(model, dynamics, tPos, {
      method,
      eMax,
      keyholeMaxDrop: -1,
      nodes: NUMERIC_DEFAULTS.coarseNodes[method],
      circleNodesPerStep: NUMERIC_DEFAULTS.coarseCircleNodesPerStep,
    });
    iterations += pass.iterations + coarse.iterations;
    messages.push(...pass.messages);
    diagnostics.maxKappaResidual = Math.max(diagnostics.maxKappaResidual, pass.maxResidual, coarse.maxResidual);
    diagnostics.nodes += pass.nodes + coarse.nodes;
    diagnostics.groups += pass.groups + coarse.groups;
  }
  const where = new Map<number, number>();
  tPos.forEach((x, r) => where.set(x, r));
  const tail = modes.tailErrorEstimate * L0;
  let methodSpread = 0;
  for (let i = 0; i < T; i++) {
    if (unstable) {
      testStatus[i] = 'unstable';
      trainStatus[i] = 'unstable';
      continue;
    }
    if (t[i] === 0) {
      // Nothing learned: test = train = sum c + sigma^2 (E12).
      out.test[i] = L0;
      out.train[i] = L0;
      out.gap[i] = 0;
      out.noise[i] = 0;
      out.mean[i] = 0;
      err.test[i] = err.train[i] = tail;
      err.gap[i] = err.noise[i] = err.mean[i] = 0;
      continue;
    }
    const r = where.get(t[i]) as number;
    const p = pass as PassOut;
    const k = coarse as PassOut;
    const mean = eps * t[i] * p.G[r];
    const meanCoarse = eps * t[i] * k.G[r];
    out.train[i] = p.train[r];
    out.noise[i] = p.X[r];
    out.mean[i] = mean;
    out.test[i] = gdCurve.test[i] + p.X[r] + mean;
    out.gap[i] = out.test[i] - out.train[i];
    err.train[i] = inversionError(p.train[r], k.train[r], p.magTrain[r]) + tail;
    err.noise[i] = inversionError(p.X[r], k.X[r], p.magX[r]);
    err.mean[i] = inversionError(mean, meanCoarse, Math.abs(mean));
    err.test[i] = gdCurve.errorEstimate.test[i] + err.noise[i] + err.mean[i];
    err.gap[i] = err.test[i] + err.train[i];
    methodSpread = Math.max(methodSpread, Math.abs(p.train[r] - k.train[r]) / (Math.abs(p.train[r]) + L0));
    const passStatus = worstStatus(worstStatus(p.status, k.status), p.offRule[r] === 1 ? 'unverified' : 'converged');
    trainStatus[i] = worstStatus(worstStatus(trainStatus[i], passStatus), verifiedStatus(out.train[i], err.train[i], relTol * Math.abs(out.train[i]) + absTol * L0, true));
    testStatus[i] = worstStatus(
      worstStatus(testStatus[i], worstStatus(passStatus, gdCurve.quantityStatus.test[i])),
      verifiedStatus(out.test[i], err.test[i], relTol * Math.abs(out.test[i]) + absTol * L0, true),
    );
  }
  if (unstable) messages.unshift(unstable);
  diagnostics.methodSpread = Math.max(gdCurve.diagnostics.methodSpread, methodSpread);
  const modelNote =
    'test loss = GD test loss + batch-noise feedback X_t + mean-gradient term Z_t; Z_t is kept to first order in eps = (eta^2/B)(P-2)/(P+2) (THEORY E28b); reuse.meanGradientTerm is its size, an honest scale of the approximation';
  const biasStatus = unstable ? new Array<Status>(T).fill('unstable') : gdCurve.quantityStatus.bias;
  const statusPerTime = testStatus.map((s, i) => worstStatus(worstStatus(s, trainStatus[i]), biasStatus[i]));
  const allMessages = [...new Set([...messages, ...(gdCurve.message ? [gdCurve.message] : []), 'L_A (test_A) is not derived for SGD on fixed samples'])];
  return {
    t,
    test: out.test,
    train: out.train,
    bias: unstable ? nan() : gdCurve.bias,
    gap: out.gap,
    testA: nan(),
    errorEstimate: { test: err.test, train: err.train, bias: unstable ? nan() : gdCurve.errorEstimate.bias, gap: err.gap, testA: nan() },
    status: statusPerTime.reduce<Status>((a, b) => worstStatus(a, b), 'converged'),
    statusPerTime,
    quantityStatus: { test: testStatus, train: trainStatus, bias: biasStatus, testA: new Array<Status>(T).fill('non_finite') },
    iterations: iterations + gdCurve.iterations,
    message: allMessages.slice(0, 10).join('; '),
    diagnostics: { ...diagnostics, messages: allMessages },
    parameters: { ...gdCurve.parameters, dynamics: describeDynamics(dynamics), sampling: 'replacement' },
    settings: { methods: [method], relTol, absTol, errorEstimate: 'coarse', coarseNodes: NUMERIC_DEFAULTS.coarseNodes[method], modes: modes.settings, gd: gdCurve.settings, reference: 'THEORY E28b' },
    reuse: {
      sampling: 'replacement',
      gd: gdCurve.test,
      noiseFeedback: out.noise,
      meanGradientTerm: out.mean,
      errorEstimate: { gd: gdCurve.errorEstimate.test, noiseFeedback: err.noise, meanGradientTerm: err.mean },
      eps,
      c,
      kernelNorm,
      curvatureRatio,
      modelNote,
    },
  };
}

/**
 * One-pass SGD under a learning-rate schedule, P = infinity (THEORY E28, E28c).
 *
 * With rates eta_s the exact second-moment recursion of (E28) keeps its per-mode form, with the step's own
 * factor and source (at N = infinity T = Lambda, so it is diagonal in the modes):
 *   c_k(s+1) = rho_s(lambda_k) c_k(s) + (eta_s^2/B) lambda_k^2 L_s,   L_s = sigma^2 + sum_k c_k(s),
 *   rho_s(x) = (1 - eta_s x)^2 + (eta_s^2/B) x^2,
 * i.e. the Volterra equation L_t = sigma^2 + L^0_t + sum_{s<t} (eta_s^2/B) K(t, s) L_s with the two-time kernel
 * K(t, s) = sum_k lambda_k^2 prod_{s<r<t} rho_r(lambda_k) and L^0_t = sum_k c_k(0) prod_{r<t} rho_r(lambda_k).
 * A two-time kernel has no convolution structure, so the Z-domain solution of sgd.ts does not apply; stepping
 * the per-mode moments is exact and costs O(modes x t) time, O(modes) memory (the modes of the E8 quadrature:
 * ~1e3 for M = infinity, so about 1e9 mode-steps at 1e6 steps: seconds).
 *
 * What is returned (SgdSolution, as sgd.ts): test L_t; signal L^0_t (the recursion without its noise source);
 * noise = test - sigma^2 - signal; kernel K(t, 0)-like diagnostics sum_k lambda_k^2 prod_{r<t} rho_r(lambda_k)
 * (tr[T^2 rho(T)^t] at a constant rate). The error estimate is the mode-sum tail (E8) times (L(0) + sigma^2) plus
 * the round-off of t steps (t eps relative, each step a few roundings per positive term).
 *
 * Stability (E28 at the peak rate eta^ = max_s eta_s): every rho < 1 (eta^ (1 + 1/B) E_max < 2) and the kernel
 * mass (eta^/B) sum_k lambda_k / (2 - eta^ gamma lambda_k) < 1; otherwise status 'unstable' and no number.
 * (A schedule that spends only a few steps at a larger rate may still converge; the peak bound is conservative.)
 *
 * Finite N: the same recursion in the eigenbasis of T, with the deterministic equivalents of its two spectral
 * measures integrated against the per-step polynomials on a closed contour (levelSetStepping, below): O(t^2)
 * work (about 3, 9 and 60 s at 1e3, 2e3 and 5e3 steps under load), capped at 5000 steps.
 */
import { InvalidArgumentError } from '../core/errors.js';
import type { Status } from '../core/solution.js';
import { worstStatus } from '../core/solution.js';
import { describeDynamics, isStochastic, peakRate, scheduledRates, type Dynamics, type OnePassSgd } from '../dynamics/index.js';
import { describeSpectrum } from '../spectrum/index.js';
import { inversionError, verifiedStatus } from './inversion/index.js';
import { modeQuadrature } from './modes.js';
import { makeKappaContext, solveKappaNodes } from './kappa.js';
import { setup, stability, unsetSgdParts, type SgdErrors, type SgdOptions, type SgdProblem, type SgdSolution } from './sgd.js';

/** Steps under a schedule (one pass over the steps per mode). */
const SCHEDULED_SGD_STEP_LIMIT = 1e6;
/** At finite N: nodes ~ 9.4 t and t steps each, O(t^2) (about 1 min at 5000 steps under load). */
const SCHEDULED_SGD_FINITE_N_STEP_LIMIT = 5000;
/**
 * Wall time of the finite-N level-set stepping per squared step (both passes): measured 1.8, 4.1 and 24.4 s at
 * 1e3, 2e3 and 5e3 steps (N = 256, M = inf, load 10 on 2 cores; 1.0e-6 s t^2 at the largest; the 60 s noted
 * above was under heavier load): npx tsx scripts/numeric/sgd-schedule-cost.ts.
 */
const FINITE_N_SECONDS_PER_STEP_SQUARED = 1e-6;

/**
 * Estimated wall time of one-pass SGD under a schedule at finite N (O(t_max^2), THEORY E28c), 0 where it is not
 * that solve (N = inf is O(modes x t), seconds at 1e6 steps): for the callers' --max-seconds check before any work.
 */
export function estimateScheduledSgdSeconds(dynamics: Dynamics, N: number, t: ArrayLike<number>): number {
  if (!isStochastic(dynamics) || dynamics.schedule === undefined || N === Infinity) return 0;
  let tMax = 0;
  for (let i = 0; i < t.length; i++) tMax = Math.max(tMax, t[i]);
  return FINITE_N_SECONDS_PER_STEP_SQUARED * tMax * tMax;
}

/** Level-set contour |rho^(x)| = 1 + c/t: nodes per step and c of the primary pass and of the error-estimate pass. */
const LEVEL_SET_RULES = [
  { nodesPerStep: 9.4, c: 4 },
  { nodesPerStep: 12.4, c: 3 },
] as const;
const EPS = 2.220446049250313e-16;

/**
 * The curve of one-pass SGD under `dynamics.schedule` at whole steps t (validated by the caller: sgd.ts
 * solveSgdCurve): at N = infinity by per-mode stepping, at finite N on the level-set contour (levelSetStepping)
 * with the spread of two rules as its error. Throws InvalidArgumentError beyond the step limits.
 */
export function solveScheduledSgd(
  problem: SgdProblem, dynamics: OnePassSgd, sigma: number, t: Float64Array, options: SgdOptions, defaults: { relTol: number; absTol: number; lambdaMargin: number },
): SgdSolution {
  const schedule = dynamics.schedule;
  if (schedule === undefined) throw new InvalidArgumentError('schedule', 'is required here', schedule);
  let tMax = 0;
  for (const x of t) tMax = Math.max(tMax, x);
  if (tMax > SCHEDULED_SGD_STEP_LIMIT) {
    throw new InvalidArgumentError('t', `must be at most ${SCHEDULED_SGD_STEP_LIMIT} steps for one-pass SGD under a learning-rate schedule (one pass over the steps per mode)`, tMax);
  }
  if (problem.N !== Infinity && tMax > SCHEDULED_SGD_FINITE_N_STEP_LIMIT) {
    throw new InvalidArgumentError('t', `must be at most ${SCHEDULED_SGD_FINITE_N_STEP_LIMIT} steps for one-pass SGD under a learning-rate schedule at finite N (its contour needs ~9.4 nodes per step: O(t^2) work)`, tMax);
  }
  const relTol = options.relTol ?? defaults.relTol;
  const absTol = options.absTol ?? defaults.absTol;
  const lambdaMargin = options.lambdaMargin ?? defaults.lambdaMargin;
  const B = dynamics.batch;
  const gamma = 1 + 1 / B;
  const rates = scheduledRates({ lr: dynamics.lr, schedule }, tMax);
  let summed = 0;
  for (let s = 0; s < tMax; s++) summed += rates[s];
  // Modes resolved down to the scale the summed rate reaches (E8) (and N^-b at finite N: sgd.ts setup).
  const finite = problem.N !== Infinity ? setup(problem, 1, Math.max(summed, dynamics.lr), lambdaMargin) : undefined;
  const modes = finite?.modes ?? modeQuadrature(problem.spectrum, { lambdaMin: lambdaMargin / Math.max(summed, dynamics.lr) });
  const { lambda, c, weight } = modes;
  const K = lambda.length;
  const sig2 = sigma * sigma;
  const L0 = modes.sumC;
  const T = t.length;
  const { out, err } = unsetSgdParts(T);
  const statusPerTime: Status[] = new Array<Status>(T).fill('converged');
  const messages: string[] = [];

  // Stability at the peak rate (E28).
  const peak = peakRate(dynamics);
  let eMax = 0;
  let mass = 0;
  if (finite !== undefined) {
    eMax = finite.edge.eMax;
    mass = peak * gamma * eMax < 2 ? stability({ ...finite, eta: peak, gamma }, B).kernelNorm : Infinity;
  } else {
    for (let k = 0; k < K; k++) {
      eMax = Math.max(eMax, lambda[k]);
      mass += (weight[k] * lambda[k]) / (2 - peak * gamma * lambda[k]);
    }
    mass *= peak / B;
  }
  const unstable = !(peak * gamma * eMax < 2 && mass < 1);
  if (unstable) {
    statusPerTime.fill('unstable');
    messages.push(
      peak * gamma * eMax < 2
        ? `one-pass SGD is unstable at the peak rate ${peak}: the kernel mass (eta/B) sum lambda/(2 - eta (1 + 1/B) lambda) = ${mass.toPrecision(6)} must be below 1 (THEORY E28)`
        : `one-pass SGD is unstable at the peak rate ${peak}: eta (1 + 1/B) E_max = ${(peak * gamma * eMax).toPrecision(6)} must be below 2 (THEORY E28)`,
    );
  } else if (finite !== undefined) {
    const [primary, check] = LEVEL_SET_RULES.map((rule, pass) =>
      levelSetStepping(finite.ctx, modes, rates, t, sig2, B, peak, gamma, options.levelSetNodesPerStep?.[pass] ?? rule.nodesPerStep, rule.c));
    messages.push(...primary.messages);
    for (let j = 0; j < T; j++) {
      const tail = modes.tailErrorEstimate * (L0 + sig2);
      out.test[j] = primary.test[j];
      out.signal[j] = primary.signal[j];
      out.noise[j] = primary.test[j] - sig2 - primary.signal[j];
      out.kernel[j] = primary.kernel[j];
      err.test[j] = inversionError(primary.test[j], check.test[j], primary.magnitude[j], tail);
      err.signal[j] = inversionError(primary.signal[j], check.signal[j], primary.magnitude[j], modes.tailErrorEstimate * L0);
      err.noise[j] = err.test[j] + err.signal[j];
      err.kernel[j] = inversionError(primary.kernel[j], check.kernel[j], primary.magnitude[j], 0);
      statusPerTime[j] = worstStatus(worstStatus(primary.status, check.status), verifiedStatus(out.test[j], err.test[j], relTol * Math.abs(out.test[j]) + absTol * (L0 + sig2), true));
    }
  } else {
    // Per mode: d (signal part, sigma = 0), e (unit-noise part, c(0) = 0, sigma = 1), f (no noise source: L^0),
    // h (prod rho, for the kernel diagnostic). L = sum w d + sigma^2 (1 + sum w e).
    const d = Float64Array.from(c);
    const e = new Float64Array(K);
    const f = Float64Array.from(c);
    const h = new Float64Array(K).fill(1);
    let traceD = 0;
    for (let k = 0; k < K; k++) traceD += weight[k] * d[k];
    let traceE = 0;
    const order = Array.from({ length: T }, (_, j) => j).sort((x, y) => t[x] - t[y]);
    let step = 0;
    for (const j of order) {
      for (; step < t[j]; step++) {
        const eta = rates[step];
        const noise = (eta * eta) / B;
        const driveD = traceD;
        const driveE = traceE + 1;
        let sumD = 0;
        let sumE = 0;
        for (let k = 0; k < K; k++) {
          const x = lambda[k];
          const q = 1 - eta * x;
          const src = noise * x * x;
          const rho = q * q + src;
          const dk = rho * d[k] + src * driveD;
          const ek = rho * e[k] + src * driveE;
          d[k] = dk;
          e[k] = ek;
          f[k] *= rho;
          h[k] *= rho;
          sumD += weight[k] * dk;
          sumE += weight[k] * ek;
        }
        traceD = sumD;
        traceE = sumE;
      }
      let signal = 0;
      let kernel = 0;
      for (let k = 0; k < K; k++) {
        signal += weight[k] * f[k];
        kernel += weight[k] * lambda[k] * lambda[k] * h[k];
      }
      const test = traceD + sig2 * (1 + traceE);
      out.test[j] = test;
      out.signal[j] = signal;
      out.noise[j] = test - sig2 - signal;
      out.kernel[j] = kernel;
      // Positive terms only: round-off ~ a few eps per step relative; the mode-sum tail relative to L(0) + sigma^2.
      const roundOff = (t[j] + 16) / 8;
      const tail = modes.tailErrorEstimate * (L0 + sig2);
      err.test[j] = inversionError(test, test, roundOff * test, tail);
      err.signal[j] = inversionError(signal, signal, roundOff * signal, modes.tailErrorEstimate * L0);
      err.noise[j] = err.test[j] + err.signal[j];
      err.kernel[j] = inversionError(kernel, kernel, roundOff * kernel, 0);
      statusPerTime[j] = verifiedStatus(test, err.test[j], relTol * Math.abs(test) + absTol * (L0 + sig2), true);
    }
  }
  const status = statusPerTime.reduce<Status>((a, b) => worstStatus(a, b), 'converged');
  return {
    t,
    ...out,
    errorEstimate: err,
    status,
    statusPerTime,
    iterations: 0,
    message: messages.join('; '),
    diagnostics: {
      eMax,
      etaEMax: peak * eMax,
      kernelSum: NaN,
      kernelNorm: mass,
      kappaC: 0,
      circleMaxSteps: 0,
      nodes: 0,
      groups: 0,
      maxKappaResidual: 0,
      methodSpread: 0,
      modesExact: modes.exactCount,
      modesQuadrature: K,
      tailErrorEstimate: modes.tailErrorEstimate,
      messages,
    },
    parameters: { spectrum: describeSpectrum(problem.spectrum), N: 'inf', P: 'inf', sigma, dynamics: describeDynamics(dynamics) },
    settings: {
      rule: 'per-mode second-moment recursion under the schedule (THEORY E28, E28c), O(modes x t)',
      relTol,
      absTol,
      modes: modes.settings,
      steps: tMax,
      summedRate: summed,
    },
  };
}

/**
 * Finite N (THEORY E28c): the deterministic equivalents of the two spectral measures of T that the recursion
 * needs, mu_c (weights c_i(0)) with Stieltjes transform G(u) = sum_k c_k H_k(u) and tau^2 mu_T with
 * tr[T^2 (u + T)^-1] = tr T - u Q(u) (E15a at P = infinity), are integrated against the per-step polynomials on
 * a closed contour: int p(x) mu(dx) = (1/2 pi i) oint p(-u) G_mu(u) du (tr T drops out: oint p du = 0). The
 * contour is the level set |rho^(x)| = R = 1 + c/t_max of the peak-rate factor rho^(x) = 1 - 2 eta^ x +
 * eta^2 gamma x^2, parametrised by z = R e^{i theta}: x = (1 - zeta)/(eta^ gamma), zeta = sqrt(1 - gamma (1 - z))
 * continued over theta in [0, 4 pi) (the branch point 1/(B + 1) < R is inside: zeta changes sign after one turn),
 * so |rho_s(x)| <= ~R on it and the products stay O(e^c). Nodes: the upper half in u (theta in (0, 2 pi)), the
 * conjugate half implied (2 Re). Per node j: f_j(t) = prod_{r<t} rho_r(x_j), b_j(t+1) = rho_t(x_j) b_j(t) +
 * (eta_t^2/B) L_t, and L_t = sigma^2 + 2 Re sum_j w_j [G(u_j) f_j(t) - u_j Q(u_j) b_j(t)], w_j = du_j/(2 pi i).
 * The trapezoid rule's aliasing is ~ R^{-n} per z-turn (the spectrum maps inside |z| <= 1): n = 9.4 t nodes
 * gives e^{-37} at c = 4, as for the circle rule of E27. O(n t) = O(t^2) work, O(n) memory.
 */
function levelSetStepping(
  ctx: ReturnType<typeof makeKappaContext>, modes: ReturnType<typeof modeQuadrature>, rates: Float64Array, t: Float64Array, sig2: number, B: number,
  peak: number, gamma: number, nodesPerStep: number, c: number,
): { test: Float64Array; signal: Float64Array; kernel: Float64Array; magnitude: Float64Array; status: Status; messages: string[] } {
  let tMax = 1;
  for (const x of t) tMax = Math.max(tMax, x);
  const n = Math.ceil(nodesPerStep * tMax) + 32;
  const R = 1 + c / tMax;
  const uRe = new Float64Array(n);
  const uIm = new Float64Array(n);
  const wRe = new Float64Array(n);
  const wIm = new Float64Array(n);
  const dTheta = (2 * Math.PI) / n;
  let zr0 = 0, zi0 = 0;
  for (let j = 0; j < n; j++) {
    const th = (j + 0.5) * dTheta;
    // zeta^2 = 1 - gamma + gamma R e^{i theta}; the root continued from zeta(0) > 0 (Re zeta > 0 on the first turn).
    const ar = 1 - gamma + gamma * R * Math.cos(th);
    const ai = gamma * R * Math.sin(th);
    const m = Math.hypot(ar, ai);
    let zr = Math.sqrt((m + ar) / 2);
    let zi = (ai >= 0 ? 1 : -1) * Math.sqrt((m - ar) / 2);
    if (j > 0 && zr * zr0 + zi * zi0 < 0) { zr = -zr; zi = -zi; }
    zr0 = zr; zi0 = zi;
    // u = -x = (zeta - 1)/(eta gamma); du/dtheta = (dzeta/dtheta)/(eta gamma) = i gamma R e^{i theta} / (2 zeta eta gamma).
    uRe[j] = (zr - 1) / (peak * gamma);
    uIm[j] = zi / (peak * gamma);
    const er = -R * Math.sin(th); // i R e^{i theta} = (-R sin, R cos)
    const ei = R * Math.cos(th);
    const iz = 1 / (zr * zr + zi * zi);
    const dr = ((er * zr + ei * zi) * iz) / (2 * peak);
    const di = ((ei * zr - er * zi) * iz) / (2 * peak);
    // w = (du/dtheta) dTheta / (2 pi i) = (di, -dr) dTheta / 2 pi
    wRe[j] = (di * dTheta) / (2 * Math.PI);
    wIm[j] = (-dr * dTheta) / (2 * Math.PI);
  }
  const start = (Math.sqrt(1 + gamma * (R - 1)) - 1) / (peak * gamma);
  const nodes = solveKappaNodes(ctx, start, uRe, uIm, 'asGiven');
  // Per node: A = w G(u), C = -w u Q(u), G = (kappa/u) sum_k c_k / (kappa + lambda_k).
  const aRe = new Float64Array(n), aIm = new Float64Array(n), cRe = new Float64Array(n), cIm = new Float64Array(n);
  const xRe = new Float64Array(n), xIm = new Float64Array(n);
  const { lambda, c: ck, weight } = modes;
  for (let j = 0; j < n; j++) {
    const kr = nodes.kRe[j], ki = nodes.kIm[j];
    let sr = 0, si = 0;
    for (let k = 0; k < lambda.length; k++) {
      const pr = kr + lambda[k];
      const q = (weight[k] * ck[k]) / (pr * pr + ki * ki);
      sr += q * pr;
      si -= q * ki;
    }
    // kappa/u
    const iu = 1 / (uRe[j] * uRe[j] + uIm[j] * uIm[j]);
    const gr0 = (kr * uRe[j] + ki * uIm[j]) * iu;
    const gi0 = (ki * uRe[j] - kr * uIm[j]) * iu;
    const gr = gr0 * sr - gi0 * si, gi = gr0 * si + gi0 * sr;
    aRe[j] = wRe[j] * gr - wIm[j] * gi;
    aIm[j] = wRe[j] * gi + wIm[j] * gr;
    const qr = -(uRe[j] * nodes.qRe[j] - uIm[j] * nodes.qIm[j]);
    const qi = -(uRe[j] * nodes.qIm[j] + uIm[j] * nodes.qRe[j]);
    cRe[j] = wRe[j] * qr - wIm[j] * qi;
    cIm[j] = wRe[j] * qi + wIm[j] * qr;
    xRe[j] = -uRe[j];
    xIm[j] = -uIm[j];
  }
  // x^2 per node, once (the step loop below is O(t) per node).
  const x2Re = Float64Array.from(xRe, (x, j) => x * x - xIm[j] * xIm[j]);
  const x2Im = Float64Array.from(xRe, (x, j) => 2 * x * xIm[j]);
  const T = t.length;
  const test = new Float64Array(T), signal = new Float64Array(T), kernel = new Float64Array(T), magnitude = new Float64Array(T);
  const fRe = new Float64Array(n).fill(1), fIm = new Float64Array(n), bRe = new Float64Array(n), bIm = new Float64Array(n);
  const order = Array.from({ length: T }, (_, j) => j).sort((x, y) => t[x] - t[y]);
  let L = sig2 + 2 * aRe.reduce((sum, v) => sum + v, 0);
  let step = 0;
  for (const idx of order) {
    for (; step < t[idx]; step++) {
      const eta = rates[step];
      const eps = (eta * eta) / B;
      let next = 0;
      for (let j = 0; j < n; j++) {
        // rho = 1 - 2 eta x + eta^2 gamma x^2 (gamma = 1 + 1/B)
        const rr = 1 - 2 * eta * xRe[j] + eta * eta * gamma * x2Re[j];
        const ri = -2 * eta * xIm[j] + eta * eta * gamma * x2Im[j];
        const fr = rr * fRe[j] - ri * fIm[j];
        fIm[j] = rr * fIm[j] + ri * fRe[j];
        fRe[j] = fr;
        const br = rr * bRe[j] - ri * bIm[j] + eps * L;
        bIm[j] = rr * bIm[j] + ri * bRe[j];
        bRe[j] = br;
        next += aRe[j] * fRe[j] - aIm[j] * fIm[j] + cRe[j] * bRe[j] - cIm[j] * bIm[j];
      }
      L = sig2 + 2 * next;
    }
    let sSig = 0, sKer = 0, mag = 0;
    for (let j = 0; j < n; j++) {
      sSig += aRe[j] * fRe[j] - aIm[j] * fIm[j];
      sKer += cRe[j] * fRe[j] - cIm[j] * fIm[j];
      mag += 2 * (Math.hypot(aRe[j], aIm[j]) * Math.hypot(fRe[j], fIm[j]) + Math.hypot(cRe[j], cIm[j]) * Math.hypot(bRe[j], bIm[j]));
    }
    test[idx] = L;
    signal[idx] = 2 * sSig;
    // tr[T^2 prod rho(T)] = 2 Re sum_j C_j f_j (tr T drops out of the closed contour).
    kernel[idx] = 2 * sKer;
    magnitude[idx] = mag * (1 + t[idx]);
  }
  return { test, signal, kernel, magnitude, status: nodes.worst, messages: nodes.worst === 'converged' ? [] : nodes.messages.slice(0, 3) };
}

/**
 * One-pass SGD under a learning-rate schedule at N = P = infinity (THEORY E28, E28c).
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
 * Finite N is not covered here: the deterministic equivalent of the two-time kernel needs the spectral measure
 * of T (not only its resolvent on a contour); solveScheduledSgd refuses it naming N.
 */
import { InvalidArgumentError } from '../core/errors.js';
import type { Status } from '../core/solution.js';
import { worstStatus } from '../core/solution.js';
import { describeDynamics, peakRate, rateFactor, type OnePassSgd } from '../dynamics/index.js';
import { describeSpectrum } from '../spectrum/index.js';
import { inversionError, verifiedStatus } from './inversion/index.js';
import { modeQuadrature } from './modes.js';
import type { SgdErrors, SgdOptions, SgdProblem, SgdSolution } from './sgd.js';

/** Steps under a schedule (one pass over the steps per mode). */
export const SCHEDULED_SGD_STEP_LIMIT = 1e6;
const EPS = 2.220446049250313e-16;

/**
 * The curve of one-pass SGD under `dynamics.schedule` at whole steps t (validated by the caller: sgd.ts
 * solveSgdCurve), N = infinity. Throws InvalidArgumentError for finite N or more than 1e6 steps.
 */
export function solveScheduledSgd(
  problem: SgdProblem, dynamics: OnePassSgd, sigma: number, t: Float64Array, options: SgdOptions, defaults: { relTol: number; absTol: number; lambdaMargin: number },
): SgdSolution {
  const schedule = dynamics.schedule;
  if (schedule === undefined) throw new InvalidArgumentError('schedule', 'is required here', schedule);
  if (problem.N !== Infinity) {
    throw new InvalidArgumentError('N', 'must be Infinity for one-pass SGD under a learning-rate schedule (the finite-N deterministic equivalent of its two-time Volterra kernel is not implemented; the simulator runs it)', problem.N);
  }
  let tMax = 0;
  for (const x of t) tMax = Math.max(tMax, x);
  if (tMax > SCHEDULED_SGD_STEP_LIMIT) {
    throw new InvalidArgumentError('t', `must be at most ${SCHEDULED_SGD_STEP_LIMIT} steps for one-pass SGD under a learning-rate schedule (one pass over the steps per mode)`, tMax);
  }
  const relTol = options.relTol ?? defaults.relTol;
  const absTol = options.absTol ?? defaults.absTol;
  const lambdaMargin = options.lambdaMargin ?? defaults.lambdaMargin;
  const B = dynamics.batch;
  const gamma = 1 + 1 / B;
  const rates = new Float64Array(tMax);
  let summed = 0;
  for (let s = 0; s < tMax; s++) {
    rates[s] = dynamics.lr * rateFactor(schedule, s);
    summed += rates[s];
  }
  // Modes resolved down to the scale the summed rate reaches (E8).
  const modes = modeQuadrature(problem.spectrum, { lambdaMin: lambdaMargin / Math.max(summed, dynamics.lr) });
  const { lambda, c, weight } = modes;
  const K = lambda.length;
  const sig2 = sigma * sigma;
  const L0 = modes.sumC;
  const T = t.length;
  const nan = () => new Float64Array(T).fill(NaN);
  const out = { test: nan(), signal: nan(), noise: nan(), kernel: nan() };
  const err: SgdErrors = { test: nan(), signal: nan(), noise: nan(), kernel: nan() };
  const statusPerTime: Status[] = new Array<Status>(T).fill('converged');
  const messages: string[] = [];

  // Stability at the peak rate (E28).
  const peak = peakRate(dynamics);
  let eMax = 0;
  let mass = 0;
  for (let k = 0; k < K; k++) {
    eMax = Math.max(eMax, lambda[k]);
    mass += (weight[k] * lambda[k]) / (2 - peak * gamma * lambda[k]);
  }
  mass *= peak / B;
  const unstable = !(peak * gamma * eMax < 2 && mass < 1);
  if (unstable) {
    statusPerTime.fill('unstable');
    messages.push(
      peak * gamma * eMax < 2
        ? `one-pass SGD is unstable at the peak rate ${peak}: the kernel mass (eta/B) sum lambda/(2 - eta (1 + 1/B) lambda) = ${mass.toPrecision(6)} must be below 1 (THEORY E28)`
        : `one-pass SGD is unstable at the peak rate ${peak}: eta (1 + 1/B) E_max = ${(peak * gamma * eMax).toPrecision(6)} must be below 2 (THEORY E28)`,
    );
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

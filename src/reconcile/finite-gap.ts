/**
 * How far the DMFT may sit from the finite model it describes, detected from
 * the problem data: the regime where the draw-to-draw spread of the top
 * (outlier) eigenvalues of the finite F G dephases a slowly damped
 * oscillation (heavy-ball momentum with beta near 1, THEORY E27), which the
 * deterministic equivalent does not reproduce (docs/dynamics-validation.md,
 * "The finite-model gap of the top modes", measured there).
 *
 * This is not a solver status: the DMFT value stays the theory's value to
 * its error (status `converged` keeps its meaning); the note says that the
 * finite model's mean can differ from it by more than the usual O(1/N).
 *
 * The estimate. A top population mode k (eigenvalue lambda_k, task power
 * c_k) that stands apart from the next one is an outlier of F G whose
 * location fluctuates from draw to draw by a relative standard deviation
 * s = sqrt(2/N + 2/P) (the sample-covariance spike at N and at P samples;
 * measured 0.097-0.108 against s = 0.108 at N = 256, P = 512). Its share of
 * the loss at step t is c_k h_t(e)^2, h_t the dynamics' exact residual factor
 * (src/simulation/propagators.ts). The estimate is
 *     sum_k c_k (E_{e ~ N(lambda_k, (s lambda_k)^2)}[h_t(e)^2] - h_t(lambda_k)^2) / L_DMFT(t),
 * the relative change of the loss when the outliers are spread by their
 * full finite-size fluctuation. The DMFT already spreads them partly, so this
 * bounds the gap from above in size: measured gaps are 0.1-0.5 of it (docs).
 * For gradient flow and GD (h_t = e^{-e t}, (1 - eta e)^t) the effect is a
 * convexity correction of order s^2, small once N is a few hundred; for
 * momentum with beta near 1 the phase error grows with t through the many
 * periods before the modulus sqrt(beta)^t damps them, and the estimate grows
 * with it.
 */
import { propagatorFactors } from '../simulation/index.js';
import { modeArrays, modeCount, type Spectrum } from '../spectrum/index.js';
import type { Dynamics } from '../dynamics/index.js';

/** Largest |estimate| below which no note is given (docs/dynamics-validation.md: a measured gap of 2-5 % at most below it). */
export const FINITE_GAP_THRESHOLD = 0.1;

/** Top modes examined for outliers (the loss of a power law with a > 2b sits in the first few). */
const MAX_OUTLIER_MODES = 8;

/** The note of a curve whose DMFT may be far from the finite model (per curve, with a per-time estimate). */
export interface FiniteModelGap {
  /** What causes it: the top modes' eigenvalue spread dephasing their oscillation. */
  readonly regime: 'top_mode_dephasing';
  /** Per time: the signed relative change of the loss from the outliers' spread (an upper estimate of the gap's size). */
  readonly estimate: number[];
  /** The largest |estimate| and its time. */
  readonly maxEstimate: number;
  readonly atTime: number;
  /** Outlier modes used (1..modes) and their relative spread s = sqrt(2/N + 2/P). */
  readonly modes: number;
  readonly relativeSpread: number;
  /** One sentence for the reader. */
  readonly note: string;
}

/** Problem data the estimate reads. */
export interface FiniteGapInput {
  readonly spectrum: Spectrum;
  readonly N: number;
  readonly P: number;
  readonly dynamics: Dynamics;
  readonly t: ArrayLike<number>;
  /** The DMFT test loss at each time (the denominator of the estimate). */
  readonly test: ArrayLike<number>;
}

/** Nodes of the Gaussian average: trapezoid on [-8, 8] standard deviations (exact to rounding for smooth h_t). */
const GAUSS_NODES = 161;
const GAUSS_HALF_WIDTH = 8;

/** The top modes by eigenvalue (descending), with their task powers. */
function topModes(spectrum: Spectrum): { lambda: number[]; c: number[] } {
  const count = Math.min(modeCount(spectrum), spectrum.kind === 'custom' ? Infinity : MAX_OUTLIER_MODES + 1);
  const { lambda, c } = modeArrays(spectrum, count);
  const order = Array.from(lambda, (_, i) => i).sort((i, j) => lambda[j] - lambda[i]);
  const top = order.slice(0, MAX_OUTLIER_MODES + 1);
  return { lambda: top.map((i) => lambda[i]), c: top.map((i) => c[i]) };
}

/**
 * The estimate at every time, or undefined where it does not apply (one-pass
 * SGD, N = P = infinity, no outlier). Outliers: the leading modes k with
 * lambda_k - lambda_{k+1} > 2 s lambda_k (their spread does not reach the next mode).
 */
export function finiteGapEstimate(input: FiniteGapInput): { estimate: number[]; modes: number; relativeSpread: number } | undefined {
  const { dynamics, N, P } = input;
  if (dynamics.kind === 'sgd') return undefined;
  const relativeSpread = Math.sqrt((Number.isFinite(N) ? 2 / N : 0) + (Number.isFinite(P) ? 2 / P : 0));
  if (relativeSpread === 0) return undefined;
  const { lambda, c } = topModes(input.spectrum);
  let modes = 0;
  while (modes < Math.min(MAX_OUTLIER_MODES, lambda.length) && lambda[modes] - (lambda[modes + 1] ?? 0) > 2 * relativeSpread * lambda[modes]) modes++;
  if (modes === 0) return undefined;
  const T = input.t.length;
  const times = Float64Array.from(input.t, (t) => (Number.isFinite(t) ? t : 0));
  const shift = new Float64Array(T);
  const step = (2 * GAUSS_HALF_WIDTH) / (GAUSS_NODES - 1);
  const weights = Float64Array.from({ length: GAUSS_NODES }, (_, i) => {
    const x = -GAUSS_HALF_WIDTH + i * step;
    return (Math.exp(-0.5 * x * x) * step) / Math.sqrt(2 * Math.PI) * (i === 0 || i === GAUSS_NODES - 1 ? 0.5 : 1);
  });
  for (let k = 0; k < modes; k++) {
    const e = new Float64Array(GAUSS_NODES + 1);
    for (let i = 0; i < GAUSS_NODES; i++) e[i] = Math.max(0, lambda[k] * (1 + relativeSpread * (-GAUSS_HALF_WIDTH + i * step)));
    e[GAUSS_NODES] = lambda[k];
    const { h } = propagatorFactors(dynamics, e, times);
    for (let j = 0; j < T; j++) {
      let spread = 0;
      for (let i = 0; i < GAUSS_NODES; i++) spread += weights[i] * h[i * T + j] ** 2;
      shift[j] += c[k] * (spread - h[GAUSS_NODES * T + j] ** 2);
    }
  }
  const estimate = Array.from(shift, (d, j) => (Number.isFinite(input.t[j]) && input.t[j] > 0 && input.test[j] > 0 ? d / input.test[j] : 0));
  return { estimate, modes, relativeSpread };
}

/** The note for a curve, when the estimate reaches FINITE_GAP_THRESHOLD at some time; undefined otherwise. */
export function detectFiniteModelGap(input: FiniteGapInput): FiniteModelGap | undefined {
  const found = finiteGapEstimate(input);
  if (!found) return undefined;
  let at = 0;
  found.estimate.forEach((x, j) => {
    if (Math.abs(x) > Math.abs(found.estimate[at])) at = j;
  });
  const maxEstimate = Math.abs(found.estimate[at]);
  if (!(maxEstimate >= FINITE_GAP_THRESHOLD)) return undefined;
  const percent = (x: number) => `${Math.round(100 * x)} %`;
  return {
    regime: 'top_mode_dephasing',
    ...found,
    maxEstimate,
    atTime: input.t[at],
    note:
      `finite-model gap: the top ${found.modes === 1 ? 'mode is an outlier' : `${found.modes} modes are outliers`} of F G whose eigenvalues spread by ${percent(found.relativeSpread)} from draw to draw at N = ${input.N}, P = ${input.P}; ` +
      `that spread changes the loss by up to ${percent(maxEstimate)} (t = ${input.t[at]}), which the DMFT reproduces only in part, so the finite model's mean can differ from these values by a sizeable fraction of that ` +
      `(measured: 10-25 % at beta = 0.9, docs/dynamics-validation.md); the status still says whether each value is the theory's to its error`,
  };
}

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
 * measured 0.097-0.108 against s = 0.108 at N = 256, P = 512, and 0.077-0.088
 * against 0.088 at P = inf). Its share of the loss at step t is c_k h_t(e)^2,
 * h_t the dynamics' exact residual factor (src/simulation/propagators.ts).
 * With D_k(sd) = E_{e ~ N(lambda_k, (sd lambda_k)^2)}[h_t(e)^2], the finite
 * model averages over the full spread s, while the deterministic equivalent
 * reproduces only part of it: measured, it behaves as a spread of
 * DMFT_SPREAD_FRACTION s. So the expected relative distance of the DMFT from
 * the finite model's mean is
 *     expected(t) = -sum_k c_k (D_k(s) - D_k(f s)) / L_DMFT(t),   f = DMFT_SPREAD_FRACTION,
 * in the sign convention (DMFT - finite) / finite. For gradient flow and GD
 * (h_t = e^{-e t}, (1 - eta e)^t) it is a convexity correction of order s^2,
 * a few per cent at N = 64 and less beyond; for momentum with beta near 1
 * the phase error grows with t through the many periods before the modulus
 * sqrt(beta)^t damps them, and it does not shrink like 1/N.
 */
import { propagatorFactors } from '../simulation/index.js';
import { modeArrays, modeCount, type Spectrum } from '../spectrum/index.js';
import { divergenceLimit, isStochastic, type Dynamics } from '../dynamics/index.js';

/**
 * The note is given when the expected distance reaches 5 % at some time: above
 * the 2 % of the agreement criterion and the 5 % allowed at small sizes
 * (docs/dynamics-validation.md, "Criterion").
 */
export const FINITE_GAP_THRESHOLD = 0.05;

/**
 * The spread the deterministic equivalent reproduces, as a fraction of the
 * finite model's s: fitted on momentum (a, b) = (4.4, 1.3), eta = 0.2,
 * beta = 0.9, N = 256, P = 512 (numpy Monte Carlo, 200 draws) and checked
 * at N = 64, 128 (P = 2N) and N = 256, P = inf against the simulator: the
 * predicted gap at the transient's extremes (steps 10, 20, 30) within 2-6
 * percentage points of the measured one (docs/dynamics-validation.md).
 */
export const DMFT_SPREAD_FRACTION = 0.8;

/**
 * Fraction of diverging draws from which the note says so: one draw in 10^4
 * (a Monte Carlo of a few hundred draws may not meet one, but the finite
 * model's mean is infinite all the same).
 */
export const DIVERGING_THRESHOLD = 1e-4;

/**
 * Below this min(N, P) the simulator has measured the DMFT further from the finite model's mean than the 2 %
 * agreement criterion without any outlier effect the estimate below would see: up to about 5 % low for gradient
 * flow at min(N, P) <= 128, up to 8 % at a = 4.4, N = 64 (gradient flow), 6.8 % for momentum (beta = 0.5) at
 * N = 128 and 3-8 % for Nesterov (beta = 0.9) at N = 64, P = 128: the O(1/N) terms the deterministic equivalent
 * drops (docs/dynamics-validation.md, summary table).
 */
export const SMALL_SIZE = 128;

/**
 * The note of a curve at min(N, P) <= SMALL_SIZE (any dynamics but one-pass SGD, which has no fixed data set): the
 * measured distance, which this tool does not estimate per problem. Undefined above that size.
 */
export function smallSizeNote(N: number, P: number, dynamics: Dynamics): string | undefined {
  const n = Math.min(N, P);
  if (!(n <= SMALL_SIZE) || (isStochastic(dynamics) && P === Infinity)) return undefined;
  return `min(N, P) = ${n} <= ${SMALL_SIZE}: the DMFT is the large-N, P deterministic equivalent; against the simulator at these sizes it was measured up to 8 % from the finite model's mean (gradient flow, momentum and Nesterov at a = 4.4, N = 64-128: the O(1/N) terms it drops; docs/dynamics-validation.md); that distance is not estimated here (run --simulate to see it)`;
}

/** Top modes examined for outliers (the loss of a power law with a > 2b sits in the first few). */
const MAX_OUTLIER_MODES = 8;

/** The note of a curve whose DMFT may be far from the finite model (per curve, with a per-time estimate). */
export interface FiniteModelGap {
  /**
   * What causes it: the top modes' eigenvalue spread dephasing their
   * oscillation, or carrying some draws past the divergence bound.
   */
  readonly regime: 'top_mode_dephasing' | 'top_mode_divergence';
  /** Per time: the expected (DMFT - finite model) / finite model from the outliers' spread (0 at t = 0 and t = inf). */
  readonly expected: number[];
  /** The largest |expected| and its time. */
  readonly expectedGap: number;
  readonly atTime: number;
  /** Outlier modes used (1..modes) and their relative spread s = sqrt(2/N + 2/P). */
  readonly modes: number;
  readonly relativeSpread: number;
  readonly divergingFraction: number;
  /** One sentence for the reader. */
  readonly note: string;
}

/** The estimate behind the note. */
export interface FiniteGapEstimate {
  /** Per time: the expected (DMFT - finite model) / finite model over the converging draws. */
  readonly expected: number[];
  readonly modes: number;
  readonly relativeSpread: number;
  /**
   * Fraction of draws whose top eigenvalue passes the dynamics' divergence bound
   * (2/eta for GD, 2 (1 + beta)/eta for momentum): those draws diverge, so the
   * finite model's mean loss grows without bound even where the DMFT converges.
   */
  readonly divergingFraction: number;
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

/**
 * Nodes of the Gaussian average: trapezoid on [-8, 8] standard deviations, spacing 0.1 (spectrally accurate for
 * the smooth integrand while h_t(e)^2 turns by less than about 1 rad per 0.1 s.d., e.g. beta = 0.99 up to t ~ 600).
 */
const GAUSS_NODES = 161;
const GAUSS_HALF_WIDTH = 8;

/** The top MAX_OUTLIER_MODES + 1 modes by eigenvalue (descending), with their task powers (one pass, no sort of the whole spectrum). */
function topModes(spectrum: Spectrum): { lambda: number[]; c: number[] } {
  const keep = MAX_OUTLIER_MODES + 1;
  const { lambda, c } = modeArrays(spectrum, Math.min(modeCount(spectrum), spectrum.kind === 'custom' ? Infinity : keep));
  const top: number[] = [];
  for (let i = 0; i < lambda.length; i++) {
    if (top.length === keep && lambda[i] <= lambda[top[keep - 1]]) continue;
    let at = top.length === keep ? keep - 1 : top.length;
    while (at > 0 && lambda[top[at - 1]] < lambda[i]) at--;
    top.splice(at, 0, i);
    if (top.length > keep) top.pop();
  }
  return { lambda: top.map((i) => lambda[i]), c: top.map((i) => c[i]) };
}

/**
 * The estimate at every time, or undefined where it does not apply (one-pass
 * SGD, N = P = infinity, no outlier). Outliers: the leading modes k with
 * lambda_k - lambda_{k+1} > 2 s lambda_k (their spread does not reach the next mode).
 */
export function finiteGapEstimate(input: FiniteGapInput): FiniteGapEstimate | undefined {
  const { dynamics, N, P } = input;
  if (isStochastic(dynamics)) return undefined;
  const relativeSpread = Math.sqrt((Number.isFinite(N) ? 2 / N : 0) + (Number.isFinite(P) ? 2 / P : 0));
  if (relativeSpread === 0) return undefined;
  const { lambda, c } = topModes(input.spectrum);
  let modes = 0;
  while (modes < Math.min(MAX_OUTLIER_MODES, lambda.length) && lambda[modes] - (lambda[modes + 1] ?? 0) > 2 * relativeSpread * lambda[modes]) modes++;
  if (modes === 0) return undefined;
  const bound = divergenceLimit(dynamics);
  const T = input.t.length;
  const times = Float64Array.from(input.t, (t) => (Number.isFinite(t) ? t : 0));
  const shift = new Float64Array(T);
  const step = (2 * GAUSS_HALF_WIDTH) / (GAUSS_NODES - 1);
  const weights = Float64Array.from({ length: GAUSS_NODES }, (_, i) => {
    const x = -GAUSS_HALF_WIDTH + i * step;
    return (Math.exp(-0.5 * x * x) * step) / Math.sqrt(2 * Math.PI) * (i === 0 || i === GAUSS_NODES - 1 ? 0.5 : 1);
  });
  // Nodes: the full spread s, then the DMFT's f s, on the same standard-normal grid.
  const spreads = [relativeSpread, DMFT_SPREAD_FRACTION * relativeSpread];
  const e = new Float64Array(2 * GAUSS_NODES);
  for (let k = 0; k < modes; k++) {
    spreads.forEach((sd, m) => {
      // Clamped at 0: the spectrum of F G is non-negative (the Gaussian weight below 0 is under 3e-6 for s <= 0.22, i.e. N >= 64 at P = 2N).
      for (let i = 0; i < GAUSS_NODES; i++) e[m * GAUSS_NODES + i] = Math.max(0, lambda[k] * (1 + sd * (-GAUSS_HALF_WIDTH + i * step)));
    });
    const { h } = propagatorFactors(dynamics, e, times);
    // Draws whose eigenvalue passes the divergence bound diverge: they are counted apart (divergingFraction),
    // and the averages are over the converging draws.
    const converging = (i: number) => e[i] < bound;
    for (let j = 0; j < T; j++) {
      let difference = 0;
      for (let i = 0; i < GAUSS_NODES; i++) {
        difference += weights[i] * ((converging(i) ? h[i * T + j] ** 2 : 0) - (converging(GAUSS_NODES + i) ? h[(GAUSS_NODES + i) * T + j] ** 2 : 0));
      }
      shift[j] += c[k] * difference;
    }
  }
  const expected = Array.from(shift, (d, j) => (Number.isFinite(input.t[j]) && input.t[j] > 0 && input.test[j] > 0 ? -d / input.test[j] : 0));
  // The top eigenvalue beyond the bound: 1 - Phi((bound / lambda_1 - 1) / s).
  const divergingFraction = bound === Infinity ? 0 : 0.5 * erfc((bound / lambda[0] - 1) / (relativeSpread * Math.SQRT2));
  return { expected, modes, relativeSpread, divergingFraction };
}

/** Complementary error function (Numerical Recipes' erfcc, relative error below 1.2e-7). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

/** The note for a curve, when the estimate reaches FINITE_GAP_THRESHOLD at some time; undefined otherwise. */
export function detectFiniteModelGap(input: FiniteGapInput): FiniteModelGap | undefined {
  const found = finiteGapEstimate(input);
  if (!found) return undefined;
  let at = 0;
  found.expected.forEach((x, j) => {
    if (Math.abs(x) > Math.abs(found.expected[at])) at = j;
  });
  const expectedGap = Math.abs(found.expected[at]);
  const diverging = found.divergingFraction >= DIVERGING_THRESHOLD;
  if (!(expectedGap >= FINITE_GAP_THRESHOLD) && !diverging) return undefined;
  const percent = (x: number) => `${Math.round(100 * x)} %`;
  const outliers = `the top ${found.modes === 1 ? 'mode is an outlier' : `${found.modes} modes are outliers`} of F G whose eigenvalues spread by ${percent(found.relativeSpread)} from draw to draw at N = ${input.N}, P = ${input.P}`;
  const tail =
    '(estimate and measurements: docs/dynamics-validation.md); this is the distance of the theory from the finite model, not a solver error: each status still says whether the value is the theory\'s to its error';
  return {
    regime: diverging ? 'top_mode_divergence' : 'top_mode_dephasing',
    ...found,
    expectedGap,
    atTime: input.t[at],
    note: diverging
      ? `finite-model gap: ${outliers}, and a fraction ${found.divergingFraction.toPrecision(2)} of draws has its top eigenvalue past the divergence bound ${Number(divergenceLimit(input.dynamics).toPrecision(4))}: ` +
        `those draws diverge, so the finite model's mean loss grows without bound while the DMFT converges; over the converging draws the expected distance is up to ${percent(expectedGap)} ${tail}`
      : `finite-model gap: the finite model's mean is expected to differ from these values by up to ${percent(expectedGap)} (t = ${input.t[at]}), because ${outliers}, more than the DMFT reproduces ${tail}`,
  };
}

/**
 * Compressed mode sums (THEORY E8).
 *
 * Every mode sum of the solver has the form S = sum_k f(lambda_k, c_k) with f
 * smooth. A ModeSet is a list of (lambda_j, c_j, weight_j) with
 *     sum_k f(lambda_k, c_k) ~ sum_j weight_j f(lambda_j, c_j)
 * for every such f:
 *  - custom spectra and small power laws: all modes exact (weight 1);
 *  - large power laws: modes k <= K0 exact, the tail K0 < k <= M (M finite or
 *    infinite) by the midpoint Euler-Maclaurin formula
 *        sum_{k=K0+1}^{M} F(k) = int_{K0+1/2}^{M+1/2} F(x) dx
 *                                - (1/24) [F'(M+1/2) - F'(K0+1/2)] + E3,
 *        E3 = (7/5760) [F'''(M+1/2) - F'''(K0+1/2)] + ...,
 *    with F(x) = f(x^-b, x^-a), the integral by Gauss-Legendre panels in
 *    u = log x and F'(x) by the central difference F(x+1/2) - F(x-1/2)
 *    (nodes at K0, K0+1 and M, M+1), so the correction is itself a weighted
 *    sum of point values.
 * In u the summands are c_k or lambda_k times a function of lambda_k / kappa
 * or lambda_k t; transitions span Delta u ~ 1/b, so the panels are 0.5/b wide
 * down to the smallest scale the caller resolves (`lambdaMin`); below that
 * the summands are power series in lambda / kappa and panels of doubling
 * width carry the decaying power law out to where it is below 1e-17 of its
 * value at `lambdaMin` (or to M): relative to that scale, not to the head, so
 * a sum that lives entirely at tiny lambda (the ridge plateau, E25) keeps its digits.
 */
import { InvalidArgumentError } from '../core/errors.js';
import type { Spectrum } from '../spectrum/index.js';
import { NUMERIC_DEFAULTS } from './defaults.js';

export interface ModeSet {
  readonly lambda: Float64Array;
  readonly c: Float64Array;
  readonly weight: Float64Array;
  /** Number of modes summed exactly (weight 1, the first exactCount entries). */
  readonly exactCount: number;
  /** Number of quadrature and end-correction nodes after the exact modes. */
  readonly quadratureCount: number;
  /** The true number of modes (Infinity for an infinite power law). */
  readonly M: number;
  /** Largest eigenvalue, trace sum lambda_k and initial loss sum c_k (THEORY E7), by the same rule. */
  readonly lambdaMax: number;
  readonly trace: number;
  readonly sumC: number;
  /**
   * Bound on the relative error of the compressed sums: the spread against a
   * coarser rule on reference sums (sum c, sum lambda, g(kappa), B(t) at the
   * resolved scales) plus the first neglected Euler-Maclaurin term.
   */
  readonly tailErrorEstimate: number;
  readonly settings: Readonly<Record<string, number>>;
  /** The coarser rule behind tailErrorEstimate (quadrature tails only): a second method for derived sums. */
  readonly coarse?: ModeSet;
}

/** Settings of the mode quadrature (exact modes, tail quadrature). */
export interface ModeQuadratureOptions {
  /** Smallest eigenvalue scale that must be resolved (min of kappa_c, 1/t_max, ...). Default 1e-8. */
  lambdaMin?: number;
  exactModeThreshold?: number;
  exactHead?: number;
  panelOrder?: number;
  panelWidthTimesB?: number;
  panelWidthMax?: number;
  /** Skip the coarse-rule error estimate (internal: used to build the coarse rule itself). */
  skipErrorEstimate?: boolean;
}

/** Gauss-Legendre nodes and weights on [-1, 1] (Newton on P_n, Golub-Welsch accuracy for n <= 64). */
export function gaussLegendre(n: number): { x: Float64Array; w: Float64Array } {
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new InvalidArgumentError('panelOrder', 'must be an integer in 1..256', n);
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < Math.ceil(n / 2); i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let iter = 0; iter < 100; iter++) {
      let p0 = 1;
      let p1 = z;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      if (n === 1) p0 = 1;
      dp = (n * (z * p1 - p0)) / (z * z - 1);
      const dz = p1 / dp;
      z -= dz;
      if (Math.abs(dz) < 1e-16) break;
    }
    // Recompute the derivative at the converged node for the weight.
    let p0 = 1;
    let p1 = z;
    for (let k = 2; k <= n; k++) {
      const p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
      p0 = p1;
      p1 = p2;
    }
    dp = n === 1 ? 1 : (n * (z * p1 - p0)) / (z * z - 1);
    x[i] = -z;
    x[n - 1 - i] = z;
    const wi = 2 / ((1 - z * z) * dp * dp);
    w[i] = wi;
    w[n - 1 - i] = wi;
  }
  if (n === 1) {
    x[0] = 0;
    w[0] = 2;
  }
  return { x, w };
}

/** The mode set of a spectrum: see the file comment. */
export function modeQuadrature(spectrum: Spectrum, options: ModeQuadratureOptions = {}): ModeSet {
  if (spectrum.kind === 'custom') {
    const n = spectrum.lambda.length;
    const weight = new Float64Array(n).fill(1);
    return finish(spectrum.lambda.slice(), spectrum.c.slice(), weight, n, 0, n, 0, { exact: n });
  }
  const { a, b, M } = spectrum;
  const threshold = options.exactModeThreshold ?? NUMERIC_DEFAULTS.exactModeThreshold;
  if (M <= threshold) {
    const lambda = new Float64Array(M);
    const c = new Float64Array(M);
    for (let k = 1; k <= M; k++) {
      lambda[k - 1] = Math.pow(k, -b);
      c[k - 1] = Math.pow(k, -a);
    }
    return finish(lambda, c, new Float64Array(M).fill(1), M, 0, M, 0, { exact: M });
  }
  const primary = powerLawRule(a, b, M, options);
  if (options.skipErrorEstimate) return primary;
  // Error estimate: a coarser rule (panels twice as wide, fewer points, a
  // shorter exact head) on reference sums at the resolved scales.
  const order = options.panelOrder ?? NUMERIC_DEFAULTS.panelOrder;
  const coarse = powerLawRule(a, b, M, {
    ...options,
    exactHead: Math.max(20, Math.floor((options.exactHead ?? NUMERIC_DEFAULTS.exactHead) / 2)),
    panelOrder: Math.max(4, order - 2),
    panelWidthTimesB: 2 * (options.panelWidthTimesB ?? NUMERIC_DEFAULTS.panelWidthTimesB),
    panelWidthMax: 2 * (options.panelWidthMax ?? NUMERIC_DEFAULTS.panelWidthMax),
  });
  const lambdaMin = options.lambdaMin ?? 1e-8;
  let spread = 0;
  const traceFinite = b > 1 || M !== Infinity;
  const probes = referenceProbes(lambdaMin, traceFinite, primary);
  const p = probeSums(primary, lambdaMin, traceFinite);
  const q = probeSums(coarse, lambdaMin, traceFinite);
  for (let k = 0; k < probes.length; k++) {
    // Relative, but a probe that is negligible against its natural scale
    // (e.g. B(t) ~ 1e-100 sum c when every mode is far past 1/t) is judged
    // against that scale instead.
    spread = Math.max(spread, Math.abs(p[k] - q[k]) / (Math.abs(p[k]) + probes[k].floor));
  }
  const K0 = primary.exactCount;
  // First neglected Euler-Maclaurin term, (31/967680) F^(5)(x0) for F = x^-a, relative to sum c.
  const x0 = K0 + 0.5;
  const em3 = ((31 / 967680) * a * (a + 1) * (a + 2) * (a + 3) * (a + 4) * Math.pow(x0, -a - 5)) / primary.sumC;
  // Truncation at uEnd (capped at u = 700, where e^u nears the double range):
  // the neglected part of the slowest-decaying summand relative to its tail,
  // e^{-gamma (uEnd - u0)}; relevant only for a or b within ~0.05 of 1.
  let truncation = 0;
  if (M === Infinity) {
    const gamma = Math.max(Math.min(a, b > 1 ? b : a) - 1, 1e-3);
    truncation = Math.exp(-gamma * (primary.settings.uEnd - primary.settings.uTransitionEnd));
  }
  return { ...primary, tailErrorEstimate: spread + em3 + truncation, coarse };
}

/**
 * Reference sums for the error estimate: L(0), tr Lambda, g(kappa) and B(t)
 * across the resolved scales x, each with a floor 1e-6 x its natural scale
 * (sum c for task-weighted sums, tr Lambda for eigenvalue-weighted ones): a
 * probe below the floor (e.g. B(t) when every mode is past 1/t) is judged by
 * its absolute error in units of the floor, so roundoff in a vanishing sum
 * does not dominate the estimate. The sums themselves: probeSums, in this order.
 */
function referenceProbes(lambdaMin: number, traceFinite: boolean, m0: ModeSet): Array<{ floor: number }> {
  const cFloor = 1e-6 * m0.sumC;
  const lFloor = 1e-6 * m0.trace;
  const probes: Array<{ floor: number }> = [{ floor: cFloor }];
  if (traceFinite) probes.push({ floor: lFloor });
  for (const x of probeScales(lambdaMin)) {
    probes.push({ floor: cFloor }, { floor: cFloor });
    if (traceFinite) probes.push({ floor: lFloor / x });
  }
  return probes;
}

/** The scales x of the reference probes: 1, 1e-2, ... down to lambdaMin, and lambdaMin. */
function probeScales(lambdaMin: number): number[] {
  const scales: number[] = [];
  for (let x = 1; x >= lambdaMin * 0.99; x /= 100) scales.push(x);
  scales.push(lambdaMin);
  return scales;
}

/**
 * The reference probes' values on a mode set, in referenceProbes' order: sum c, tr Lambda (traceFinite), and per
 * scale x: sum c e^{-2 lambda/x}, sum c x/(x + lambda), sum lambda/(x + lambda) (traceFinite). Each sum runs over the
 * modes in order (one loop over the modes for all of them, no closure per mode: a fresh process's first curve runs
 * this in V8's interpreter).
 */
function probeSums(m: ModeSet, lambdaMin: number, traceFinite: boolean): Float64Array {
  const scales = probeScales(lambdaMin);
  const head = traceFinite ? 2 : 1;
  const per = traceFinite ? 3 : 2;
  const out = new Float64Array(head + per * scales.length);
  out[0] = m.sumC;
  if (traceFinite) out[1] = m.trace;
  const { weight, lambda, c } = m;
  for (let j = 0; j < weight.length; j++) {
    const w = weight[j];
    const l = lambda[j];
    const cj = c[j];
    for (let i = 0; i < scales.length; i++) {
      const x = scales[i];
      const o = head + per * i;
      out[o] += w * (cj * Math.exp(-2 * (l / x)));
      out[o + 1] += w * ((cj * x) / (x + l));
      if (traceFinite) out[o + 2] += w * (l / (x + l));
    }
  }
  return out;
}

function powerLawRule(a: number, b: number, M: number, options: ModeQuadratureOptions): ModeSet {
  const K0 = Math.max(3, Math.min(options.exactHead ?? NUMERIC_DEFAULTS.exactHead, M - 3));
  const order = options.panelOrder ?? NUMERIC_DEFAULTS.panelOrder;
  const h = Math.min(
    (options.panelWidthTimesB ?? NUMERIC_DEFAULTS.panelWidthTimesB) / b,
    options.panelWidthMax ?? NUMERIC_DEFAULTS.panelWidthMax,
  );
  const lambdaMin = options.lambdaMin ?? 1e-8;
  const gl = gaussLegendre(order);

  const u0 = Math.log(K0 + 0.5);
  // Slowest decay in u of any summand: c_k ~ e^{-a u} or lambda_k ~ e^{-b u} times e^{u} from dx = e^u du.
  const gamma = Math.max(Math.min(a, b > 1 ? b : a) - 1, 1e-3);
  // The transition range ends where lambda = lambdaMin (u = -log(lambdaMin)/b). The tail beyond it is
  // carried until it is below 1e-17 of the sums at that smallest scale, not of the head: a ridge plateau
  // ~ r^s (E25) at r = 1e-100 lives entirely past where the head's 1e-17 is reached.
  const uResolved = Math.max(u0, -Math.log(lambdaMin) / b);
  const uEnd = M === Infinity ? Math.min(uResolved + Math.log(1e17) / gamma + 5, 700) : Math.log(M + 0.5);
  const uT = Math.min(uResolved, uEnd);

  const panels: Array<[number, number]> = [];
  const nUniform = Math.ceil((uT - u0) / h - 1e-9);
  if (nUniform > 0) {
    const hu = (uT - u0) / nUniform;
    for (let i = 0; i < nUniform; i++) panels.push([u0 + i * hu, i === nUniform - 1 ? uT : u0 + (i + 1) * hu]);
  }
  let start = uT;
  let width = h;
  while (start < uEnd - 1e-12) {
    const end = Math.min(start + width, uEnd);
    panels.push([start, end]);
    start = end;
    width *= 2;
  }

  const endNodes = M === Infinity ? 2 : 6;
  const n = K0 + panels.length * order + endNodes;
  const x = new Float64Array(n);
  const weight = new Float64Array(n);
  for (let k = 1; k <= K0; k++) {
    x[k - 1] = k;
    weight[k - 1] = 1;
  }
  let j = K0;
  for (const [ua, ub] of panels) {
    const half = 0.5 * (ub - ua);
    const mid = 0.5 * (ub + ua);
    for (let i = 0; i < order; i++) {
      const u = mid + half * gl.x[i];
      const xu = Math.exp(u);
      x[j] = xu;
      weight[j] = half * gl.w[i] * xu; // dx = e^u du
      j++;
    }
  }
  // Euler-Maclaurin end corrections (midpoint form): the lower end adds
  // + F'(x0)/24 - 7 F'''(x0)/5760 at x0 = K0 + 1/2, the upper end the same
  // with the opposite sign at x1 = M + 1/2. Derivatives by central
  // differences on the integer points x -+ 1/2, x -+ 3/2:
  //   F'(x) ~ [27 (F(x+1/2) - F(x-1/2)) - (F(x+3/2) - F(x-3/2))] / 24,
  //   F'''(x) ~ F(x+3/2) - 3 F(x+1/2) + 3 F(x-1/2) - F(x-3/2),
  // so the neglected terms are O(F^(5)) and O(h^4 F').
  const alpha = 1 / 24;
  const beta = 7 / 5760;
  const wInner = (alpha * 27) / 24 + 3 * beta; // on F(x+1/2), minus on F(x-1/2)
  const wOuter = alpha / 24 + beta; // minus on F(x+3/2), plus on F(x-3/2)
  weight[K0 - 1] -= wInner;
  weight[K0 - 2] += wOuter;
  x[j] = K0 + 1;
  weight[j] = wInner;
  j++;
  x[j] = K0 + 2;
  weight[j] = -wOuter;
  j++;
  if (M !== Infinity) {
    const ends: Array<[number, number]> = [
      [M - 1, -wOuter],
      [M, wInner],
      [M + 1, -wInner],
      [M + 2, wOuter],
    ];
    for (const [xe, we] of ends) {
      x[j] = xe;
      weight[j] = we;
      j++;
    }
  }
  const lambda = new Float64Array(n);
  const c = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // Both may underflow to 0 far out in the tail; every summand tolerates lambda = 0.
    lambda[i] = Math.exp(-b * Math.log(x[i]));
    c[i] = Math.exp(-a * Math.log(x[i]));
  }
  return finish(lambda, c, weight, K0, n - K0, M, 0, {
    exact: K0,
    panelOrder: order,
    panelWidth: h,
    uTransitionEnd: uT,
    uEnd,
    lambdaMin,
    panels: panels.length,
  });
}

function finish(
  lambda: Float64Array,
  c: Float64Array,
  weight: Float64Array,
  exactCount: number,
  quadratureCount: number,
  M: number,
  tailErrorEstimate: number,
  settings: Record<string, number>,
): ModeSet {
  let lambdaMax = 0;
  let trace = 0;
  let sumC = 0;
  for (let j = 0; j < lambda.length; j++) {
    if (lambda[j] > lambdaMax && weight[j] > 0) lambdaMax = lambda[j];
    trace += weight[j] * lambda[j];
    sumC += weight[j] * c[j];
  }
  return { lambda, c, weight, exactCount, quadratureCount, M, lambdaMax, trace, sumC, tailErrorEstimate, settings: Object.freeze(settings) };
}

/**
 * DMFT of one-pass minibatch SGD at P = infinity (THEORY E26, E28): fresh
 * samples every step, batch B, step eta, t = steps.
 *
 * The equation (E28), exact at fixed A: with rho(x) = (1 - eta x)^2 + (eta^2/B) x^2
 * = 1 - 2 eta x + eta^2 gamma x^2, gamma = 1 + 1/B,
 *   L_t = sigma^2 + L^0_t + (eta^2/B) sum_{s<t} K_{t-1-s} L_s,
 *   L^0_t = w~^T rho(T)^t w~,  K_tau = tr[T^2 rho(T)^tau],
 * T = Lambda^1/2 F Lambda^1/2, w~ = Lambda^1/2 w* (both one-point functions of T,
 * so their deterministic equivalents follow from H_k(u) = 1/(u + lambda_k R(u)),
 * E9 and E15a at P = infinity; the average over A is the only approximation).
 *
 * Method: the Volterra equation is solved exactly in the Z-domain, with no
 * time stepping. Z-transforms X^(z) = sum_t X_t z^-t:
 *   L^(z) = F^(z) / (1 - eps K^(z)/z),  eps = eta^2/B,  F_t = sigma^2 + L^0_t.
 * With zeta = sqrt(1 - gamma (1 - z)), u1 = (zeta - 1)/(eta gamma),
 * u2 = -(1 + zeta)/(eta gamma), the identity z - rho(x) = -eta^2 gamma (u1 + x)(u2 + x)
 * and partial fractions give both transforms from the resolvent at u1 and u2:
 *   F^0(z) = (z / (2 eta zeta)) [G(u1) - G(u2)],      G(u) = sum_k c_k H_k(u),
 *   K^(z)  = (z / (2 eta zeta)) [u2 Q(u2) - u1 Q(u1)], Q(u) = tr[T (u + T)^-1] = g(kappa(u))
 * (tr[T^2 (u+T)^-1] = tr T - u Q(u); tr T cancels). Both are even in zeta; the
 * sign with Im zeta >= 0 keeps u1 and conj(u2) in the closed upper half plane.
 * Inversion: X_t = (1/2 pi i) contour of z^{t-1} X^(z) dz, and with z = e^{2 eta y},
 * z^{t-1} dz = 2 eta e^{2 eta t y} dy: the hyperbolic / parabolic contours (E13)
 * invert Phi(y) = 2 eta X^(e^{2 eta y}) at "time" 2 eta t. So every t, 1 or
 * 10^12, costs the same few dozen node evaluations per window of times, and
 * the error is the contour error (judged by the inversion engine, inversion/verify.ts: the nested sub-rules of the contour, or a second family with errorEstimate 'check').
 *
 * Analyticity. The singularities of X^ in z are the segment [rho_lo, 1]
 * (rho over the spectrum of T; rho_lo >= 1/(B + 1) > 0) with a pole at z = 1
 * (sigma^2 and, when N < M, the unlearnable modes); 1 - eps K^(z)/z has no
 * zeros elsewhere when the kernel mass eps sum_tau K_tau = eps K^(1) < 1,
 * because K^(z)/z = tr[T^2 (z - rho(T))^-1] is the Cauchy transform of a
 * positive measure (never real off the axis, below eps^-1 right of the
 * segment, negative left of it). In y the segment is [y_min, 0],
 * y_min = log(rho_lo)/(2 eta) (finite for every stable setting: no condition
 * like eta E_max < 1), and Phi is periodic with period i pi / eta: its copies
 * at Im y = +-pi/eta must stay outside the contour (checked per node group).
 *
 * Small t: for t <= circleMaxSteps the circle |z| = r = 1 + delta
 * (enclosing everything, E26) with the trapezoidal rule gives
 * X_t + sum_k X_{t+kM} r^-kM (aliasing ~ r^-M) for all small t at once;
 * a second radius is the error estimate (the same engine: spreadError of the two circles' spread).
 *
 * Stability (E28): every rho(tau) < 1, i.e. eta gamma E_max < 2, and the kernel
 * mass (eta/B) tr[T / (2 - eta gamma T)] < 1, else status 'unstable' with the
 * bound in the message and NaN values.
 *
 * Cross-checks (tests): the exact per-mode recursion and a brute-force O(T^2)
 * Volterra at N = infinity (scripts/numeric/sgd_per_mode_recursion.py to 1e6
 * steps); a numpy reference at finite N (scripts/numeric/sgd_reference.py);
 * the time-domain product-integration rule of sgd-stepping.ts up to 1e8 steps;
 * the closed-form E_A L_1 and the simulator's exact recursion averaged over A.
 */
import { InvalidArgumentError, requireFinite, requireSize } from '../core/errors.js';
import type { Status } from '../core/solution.js';
import { worstStatus } from '../core/solution.js';
import { checkTimes, describeDynamics, isOptimizerName, isStochastic, stabilityLimit, type Dynamics, type OnePassSgd } from '../dynamics/index.js';
import { describeSpectrum, type Spectrum } from '../spectrum/index.js';
import { crossingPoint, invert1, magnitude1, makePlan, nestedDiffs1, nestedSpread, spreadError, sumOfErrors, verifiedStatus } from './inversion/index.js';
import { makeKappaContext, solveKappaNodes } from './kappa.js';
import { modeQuadrature } from './modes.js';
import { expMinusOne } from './schedule.js';
import { solveScheduledSgd } from './sgd-schedule.js';
import { continueLeftPath, nodeSums, solveLeftReal, spectralEdge, type LeftKappaOptions, type SpectralEdge } from './sgd-kappa.js';

type ModeSet = ReturnType<typeof modeQuadrature>;
type KappaContext = ReturnType<typeof makeKappaContext>;
type InversionPlan = ReturnType<typeof makePlan>;
type ComplexArray = Parameters<typeof invert1>[1][number];
type MethodName = Parameters<typeof makePlan>[0];

/** Default settings of the SGD solver, in one place (STYLE 1). */
export const SGD_DEFAULTS = Object.freeze({
  /** Primary and check contour families (E13); the check family serves errorEstimate 'check' only. */
  methods: ['hyperbolic', 'parabolic'] as const,
  /**
   * Error estimate of the contour times (THEORY E13, inversion/verify.ts): 'nested' = the primary on a
   * trapezoid grid of nestedNodes nodes judged by its own sub-rules (steps 2h, 4h), one pass; 'check' = the
   * primary (midpoint grid) against the second family, two passes. Small t: two circles either way.
   */
  errorEstimate: 'nested' as 'nested' | 'check',
  /** Nodes of the primary under 'nested' (the curves' choice, numeric/defaults.ts nestedNodes). */
  nestedNodes: 36,
  /**
   * Steps t <= circleMaxSteps use the circle |z| = 1 + delta; above, the
   * contours in y. At t = 65 the hyperbolic contour (32 nodes, window 10)
   * reaches eta Im y ~ 0.3 at Re y = 0, far inside the strip pi.
   */
  circleMaxSteps: 64,
  /** Trapezoidal nodes on the full circle. */
  circleNodes: 1024,
  /**
   * delta M for the primary and check circles: aliasing e^{-delta M} (4e-18,
   * 2e-15), roundoff ~ eps e^{delta t} (at most e^{2.5} for t <= 64).
   */
  circleDeltaTimesNodes: [40, 34] as const,
  /** A node group is 'unverified' when a node with Re y >= y_min reaches eta Im y > stripSafety pi. */
  stripSafety: 0.5,
  /** 'converged' when the spread is at most relTol |value| + absTol (L(0) + sigma^2). */
  relTol: 1e-6,
  absTol: 1e-9,
  /** Transitions resolved down to lambda = lambdaMargin min(1/(eta t_max), N^-b) (mode quadrature, E8). */
  lambdaMargin: 1e-4,
  /** Left-of-spectrum kappa continuation (sgd-kappa.ts). */
  kappaTolerance: 1e-14,
  kappaResidualTolerance: 1e-10,
  newtonIterations: 8,
  maxDepth: 30,
});

/** A one-pass SGD problem: spectrum, N, sigma, step counts, dynamics. */
export interface SgdProblem {
  readonly spectrum: Spectrum;
  readonly N: number;
  /** Must be Infinity (one pass, fresh samples every step). Default Infinity. */
  readonly P?: number;
  readonly sigma: number;
  /** Whole step counts t >= 0 (Infinity allowed: the limit (sigma^2 + L^0_inf)/(1 - eps sum K)). */
  readonly t: ArrayLike<number>;
  readonly dynamics: Dynamics;
}

export interface SgdOptions {
  readonly methods?: readonly [MethodName, MethodName];
  readonly nodes?: readonly [number | undefined, number | undefined];
  readonly windowRatio?: number;
  readonly relTol?: number;
  readonly absTol?: number;
  readonly circleMaxSteps?: number;
  readonly circleNodes?: number;
  /** delta M of the primary and the check circle (aliasing e^{-delta M}; default SGD_DEFAULTS.circleDeltaTimesNodes). */
  readonly circleDeltaTimesNodes?: readonly [number, number];
  readonly lambdaMargin?: number;
  /**
   * One-pass SGD under a schedule at finite N: nodes per step of the primary and the error-estimate pass on the
   * level-set contour (aliasing ~ e^{-c x nodesPerStep}; default 9.4 and 12.4, sgd-schedule.ts LEVEL_SET_RULES).
   */
  readonly levelSetNodesPerStep?: readonly [number, number];
  /** 'nested' (default) or 'check' (SGD_DEFAULTS.errorEstimate). */
  readonly errorEstimate?: 'nested' | 'check';
}

export interface SgdErrors {
  test: Float64Array;
  signal: Float64Array;
  noise: Float64Array;
  kernel: Float64Array;
}

/** The result of solveSgdCurve. */
export interface SgdSolution {
  /** Steps. */
  t: Float64Array;
  /** Average test loss L_t (E28). */
  test: Float64Array;
  /** Signal part L^0_t = w~^T rho(T)^t w~ (sigma = 0, no noise feedback; E28). */
  signal: Float64Array;
  /** SGD noise part (eta^2/B) sum_s K_{t-1-s} L_s = test - sigma^2 - signal (inverted on its own, no cancellation). */
  noise: Float64Array;
  /** Volterra kernel K_t = tr[T^2 rho(T)^t] at the same t (E28), for comparisons. */
  kernel: Float64Array;
  /**
   * Absolute error estimates, by the inversion engine's one rule (inversion/verify.ts):
   * max(spread, round-off floor) plus the mode-sum tail estimate times (L(0) + sigma^2) (THEORY E8; this
   * absolute term dominates once the loss falls below ~1e-9 L(0), where the status becomes
   * below_error_estimate). The spread: the nested sub-rules of the contour (or the check family), the two
   * circle radii at small t. test = sigma^2 + signal + noise, each part inverted on its own: its error is
   * the sum of the two parts' errors.
   */
  errorEstimate: SgdErrors;
  status: Status;
  statusPerTime: Status[];
  iterations: number;
  message: string;
  diagnostics: {
    /** Top of the spectrum of T (deterministic equivalent) and eta E_max (eta (1 + 1/B) E_max < 2 required). */
    eMax: number;
    etaEMax: number;
    /** sum_tau K_tau = -Q(u)/(eta^2 gamma), u = -2/(eta gamma), and the kernel norm (mass) (eta^2/B) sum K (< 1 required). */
    kernelSum: number;
    kernelNorm: number;
    kappaC: number;
    /** Steps answered by the circle (t <= this) and by the contours (above). */
    circleMaxSteps: number;
    nodes: number;
    groups: number;
    maxKappaResidual: number;
    /** max_t |primary - check| / (|test| + L(0) + sigma^2). */
    methodSpread: number;
    modesExact: number;
    modesQuadrature: number;
    tailErrorEstimate: number;
    messages: string[];
  };
  parameters: Record<string, unknown>;
  settings: Record<string, unknown>;
}


function validate(problem: SgdProblem): { dynamics: OnePassSgd; sigma: number; t: Float64Array } {
  if (problem === null || typeof problem !== 'object') throw new InvalidArgumentError('problem', 'must be an object', problem);
  const sp = problem.spectrum as Spectrum | undefined;
  if (!sp || (sp.kind !== 'power-law' && sp.kind !== 'custom')) {
    throw new InvalidArgumentError('spectrum', 'must be a power-law or custom spectrum (see src/spectrum)', sp);
  }
  requireSize('N', problem.N);
  const P = problem.P ?? Infinity;
  if (P !== Infinity) throw new InvalidArgumentError('P', 'must be Infinity with one-pass SGD (fresh samples every step, THEORY E28)', P);
  const dynamics = problem.dynamics;
  if (!dynamics || !isOptimizerName(dynamics.kind) || !isStochastic(dynamics)) throw new InvalidArgumentError('dynamics', "must be one-pass SGD (makeDynamics({ optimizer: 'sgd', lr, batch }))", dynamics?.kind);
  if (!(dynamics.lr > 0) || !Number.isFinite(dynamics.lr)) throw new InvalidArgumentError('lr', 'must be > 0', dynamics.lr);
  if (!Number.isInteger(dynamics.batch) || dynamics.batch < 1) throw new InvalidArgumentError('batch', 'must be an integer >= 1', dynamics.batch);
  if (sp.kind === 'power-law') {
    if (!(sp.b > 0)) throw new InvalidArgumentError('b', 'must be > 0', sp.b);
    if (sp.M === Infinity && !(sp.a > 1)) throw new InvalidArgumentError('a', 'must be > 1 when M is infinite', sp.a);
    if (sp.M === Infinity && !(sp.b > 1)) {
      // The kernel norm (eta/B) sum_k eta lambda_k/(2 - eta lambda_k) ~ eta tr Lambda / 2B diverges (E28).
      throw new InvalidArgumentError('b', 'must be > 1 for one-pass SGD with M infinite (tr Lambda = sum k^-b must converge)', sp.b);
    }
  }
  const sigma = requireFinite('sigma', problem.sigma);
  if (sigma < 0) throw new InvalidArgumentError('sigma', 'must be >= 0', sigma);
  const tIn = problem.t;
  if (tIn === null || tIn === undefined || typeof tIn.length !== 'number' || tIn.length === 0) {
    throw new InvalidArgumentError('t', 'must be a non-empty array of step counts', tIn);
  }
  checkTimes(dynamics, tIn);
  return { dynamics, sigma, t: Float64Array.from(tIn) };
}

/** The three transforms at a set of points zeta = e^{w}, w = a + i b (b > 0): X^(z), z = zeta^2. */
interface NodeTransforms {
  signal: ComplexArray;
  noise: ComplexArray;
  kernel: ComplexArray;
  status: Status;
  iterations: number;
  maxResidual: number;
  messages: string[];
}

interface Model {
  modes: ModeSet;
  ctx: KappaContext;
  edge: SpectralEdge;
  eta: number;
  /** 1 + 1/B: rho(x) = (1 - eta x)^2 + (eta^2/B) x^2 = 1 - 2 eta x + eta^2 gamma x^2 (E28). */
  gamma: number;
  eps: number;
  sigma2: number;
  left: LeftKappaOptions;
}

/**
 * u1 = (zeta - 1)/(eta gamma) and conj(u2) = -(1 + conj zeta)/(eta gamma) at
 * z = e^{s}, zeta = sqrt(1 + gamma (z - 1)) taken with Im zeta >= 0, into
 * out = [u1Re, u1Im, u2cRe, u2cIm, zetaRe, zetaIm, (z-1)Re, (z-1)Im].
 * The transforms are even in zeta (zeta -> -zeta swaps u1 and u2), so the sign
 * is free; Im zeta >= 0 puts u1 and conj(u2) in the closed upper half plane,
 * where the physical resolvent is analytic (no path to them crosses the cut).
 * zeta - 1 = gamma (z - 1)/(zeta + 1) (or zeta + 1 = gamma (z - 1)/(zeta - 1))
 * avoids the cancellation near z = 1.
 */
const zMinusOne = { re: 0, im: 0 };

function rootsAt(sRe: number, sIm: number, eta: number, gamma: number, out: Float64Array): void {
  expMinusOne(sRe, sIm, zMinusOne); // z - 1 without cancellation near z = 1
  const dzr = zMinusOne.re;
  const dzi = zMinusOne.im;
  const wr = 1 + gamma * dzr;
  const wi = gamma * dzi;
  // Principal square root, then the sign with Im zeta >= 0.
  const mod = Math.hypot(wr, wi);
  let zr = Math.sqrt(0.5 * (mod + Math.abs(wr)));
  let zi = zr === 0 ? 0 : wi / (2 * zr);
  if (wr < 0) {
    const t = zr;
    zr = Math.abs(zi);
    zi = wi >= 0 ? t : -t;
  }
  if (zi < 0 || (zi === 0 && zr < 0)) {
    zr = -zr;
    zi = -zi;
  }
  const gr = gamma * dzr;
  const gi = gamma * dzi;
  let m1r: number; // zeta - 1
  let m1i: number;
  let p1r: number; // zeta + 1
  let p1i: number;
  if (zr >= 0) {
    const dr = zr + 1;
    const d = dr * dr + zi * zi;
    m1r = (gr * dr + gi * zi) / d;
    m1i = (gi * dr - gr * zi) / d;
    p1r = m1r + 2;
    p1i = m1i;
  } else {
    const dr = zr - 1;
    const d = dr * dr + zi * zi;
    p1r = (gr * dr + gi * zi) / d;
    p1i = (gi * dr - gr * zi) / d;
    m1r = p1r - 2;
    m1i = p1i;
  }
  const scale = 1 / (eta * gamma);
  out[0] = m1r * scale;
  out[1] = m1i * scale;
  out[2] = -p1r * scale;
  out[3] = p1i * scale;
  out[4] = zr;
  out[5] = zi;
  out[6] = dzr;
  out[7] = dzi;
}

/**
 * X^ at z_j = e^{sRe_j + i sIm_j} (upper half, in path order), continued
 * from the real point z_0 = e^{s0} (s0 > 0): u1 from above the spectrum
 * (kappa.ts), conj(u2) from its left (sgd-kappa.ts). THEORY (E28):
 * z - rho(x) = -eta^2 gamma (u1 + x)(u2 + x), so
 *   z/(z - rho(T)) = (z / (2 eta zeta)) [(u1 + T)^-1 - (u2 + T)^-1].
 */
function transformsAt(model: Model, s0: number, sRe: Float64Array, sIm: Float64Array): NodeTransforms {
  const { modes, ctx, edge, eta, eps, sigma2, gamma } = model;
  const n = sRe.length;
  const zr = new Float64Array(n); // zeta
  const zi = new Float64Array(n);
  const dzr = new Float64Array(n); // z - 1
  const dzi = new Float64Array(n);
  const u1r = new Float64Array(n);
  const u1i = new Float64Array(n);
  const u2cr = new Float64Array(n); // conj(u2)
  const u2ci = new Float64Array(n);
  const r = new Float64Array(8);
  for (let j = 0; j < n; j++) {
    rootsAt(sRe[j], sIm[j], eta, gamma, r);
    u1r[j] = r[0];
    u1i[j] = r[1];
    u2cr[j] = r[2];
    u2ci[j] = r[3];
    zr[j] = r[4];
    zi[j] = r[5];
    dzr[j] = r[6];
    dzi[j] = r[7];
  }
  rootsAt(s0, 0, eta, gamma, r);
  const start1 = r[0];
  const start2 = r[2];
  const k1 = solveKappaNodes(ctx, start1, u1r, u1i);
  const k2 = continueLeftPath(modes, ctx.invN, edge, start2, u2cr, u2ci, model.left);
  const messages = [...k1.messages];
  if (k2.message) messages.push(k2.message);
  const out = {
    signal: { re: new Float64Array(n), im: new Float64Array(n) },
    noise: { re: new Float64Array(n), im: new Float64Array(n) },
    kernel: { re: new Float64Array(n), im: new Float64Array(n) },
  };
  const s1 = new Float64Array(4);
  const s2 = new Float64Array(4);
  for (let j = 0; j < n; j++) {
    nodeSums(modes, u1r[j], u1i[j], k1.kRe[j], k1.kIm[j], s1);
    nodeSums(modes, u2cr[j], u2ci[j], k2.kRe[j], k2.kIm[j], s2);
    // Values at u2 = conj(u2c): conjugate.
    const g2r = s2[0];
    const g2i = -s2[1];
    const G2r = s2[2];
    const G2i = -s2[3];
    const u2r = u2cr[j];
    const u2i = -u2ci[j];
    // z = 1 + (z - 1); h = z / (2 eta zeta)
    const z2r = 1 + dzr[j];
    const z2i = dzi[j];
    const zd0 = zr[j] * zr[j] + zi[j] * zi[j];
    const hr = (z2r * zr[j] + z2i * zi[j]) / (2 * eta * zd0);
    const hi = (z2i * zr[j] - z2r * zi[j]) / (2 * eta * zd0);
    // F^0 = h (G1 - G2)
    const dr = s1[2] - G2r;
    const di = s1[3] - G2i;
    const fgr = hr * dr - hi * di;
    const fgi = hr * di + hi * dr;
    // K^ = h (u2 Q2 - u1 Q1)
    const qr = u2r * g2r - u2i * g2i - (u1r[j] * s1[0] - u1i[j] * s1[1]);
    const qi = u2r * g2i + u2i * g2r - (u1r[j] * s1[1] + u1i[j] * s1[0]);
    const kr = hr * qr - hi * qi;
    const ki = hr * qi + hi * qr;
    // A = eps K^ / z
    const zd = z2r * z2r + z2i * z2i;
    const ar = (eps * (kr * z2r + ki * z2i)) / zd;
    const ai = (eps * (ki * z2r - kr * z2i)) / zd;
    // F^ = sigma^2 z/(z - 1) + F^0
    const p1r = dzr[j];
    const p1i = dzi[j];
    const pd = p1r * p1r + p1i * p1i;
    const sr = sigma2 * ((z2r * p1r + z2i * p1i) / pd);
    const si = sigma2 * ((z2i * p1r - z2r * p1i) / pd);
    const fr = sr + fgr;
    const fi = si + fgi;
    // noise = F^ A / (1 - A)
    const br = 1 - ar;
    const bi = -ai;
    const bd = br * br + bi * bi;
    const rr = (ar * br + ai * bi) / bd;
    const ri = (ai * br - ar * bi) / bd;
    out.signal.re[j] = fgr;
    out.signal.im[j] = fgi;
    out.noise.re[j] = fr * rr - fi * ri;
    out.noise.im[j] = fr * ri + fi * rr;
    out.kernel.re[j] = kr;
    out.kernel.im[j] = ki;
  }
  let status = worstStatus(k1.worst, k2.worst);
  for (const arr of [out.signal, out.noise, out.kernel]) {
    for (let j = 0; j < n; j++) if (!Number.isFinite(arr.re[j]) || !Number.isFinite(arr.im[j])) status = 'non_finite';
  }
  return {
    ...out,
    status,
    iterations: k1.totalIterations + k2.iterations,
    maxResidual: Math.max(k1.maxResidual, k2.maxResidual),
    messages,
  };
}

/** The SGD parts of (E28), each a single transform inverted on the same rule. */
const PARTS = ['signal', 'noise', 'kernel'] as const;
type Part = (typeof PARTS)[number];

/**
 * One rule's values of the three parts at its times, with what the engine needs to judge them
 * (inversion/verify.ts): the magnitude of each weighted sum and, on a trapezoid grid, the nested sub-rules'
 * differences (NaN otherwise).
 */
interface PartValues {
  signal: Float64Array;
  noise: Float64Array;
  kernel: Float64Array;
  magnitude: Record<Part, Float64Array>;
  nested: Record<Part, NestedDiffs>;
  status: Status[];
  iterations: number;
  maxResidual: number;
  messages: string[];
}

type NestedDiffs = [Float64Array, Float64Array, Float64Array];

/**
 * The rule's values of the parts: f = 2 Re sum_j V_j Phi_j per part (inversion/combine.ts invert1), the
 * magnitudes and nested differences, from Phi at the plan's nodes (values[part][group]).
 */
function partValues(plan: InversionPlan, values: Record<Part, ComplexArray[]>): Pick<PartValues, Part | 'magnitude' | 'nested'> {
  const inv = (k: Part) => invert1(plan, values[k]);
  const mag = (k: Part) => magnitude1(plan, values[k]);
  const nest = (k: Part) => nestedDiffs1(plan, values[k]);
  return {
    signal: inv('signal'),
    noise: inv('noise'),
    kernel: inv('kernel'),
    magnitude: { signal: mag('signal'), noise: mag('noise'), kernel: mag('kernel') },
    nested: { signal: nest('signal'), noise: nest('noise'), kernel: nest('kernel') },
  };
}

/**
 * All steps 0..tMax by the trapezoidal rule on |z| = r (r = 1 + delta), as a plan for the engine: one group,
 * nodes s_j = log z_j = log r + i theta_j (the upper half), theta_j = 2 pi (j + 1/2)/M, weights
 * V_tj = r^t e^{i theta_j t} / M, so X_t = 2 Re sum_j V_tj X^(z_j) = (2/M) Re sum_{upper j} z_j^t X^(z_j).
 */
function circlePass(model: Model, tMax: number, nodes: number, deltaTimesNodes: number, method: MethodName): PartValues {
  const half = nodes / 2;
  const logR = Math.log1p(deltaTimesNodes / nodes);
  const re = new Float64Array(half).fill(logR);
  const im = new Float64Array(half);
  for (let j = 0; j < half; j++) im[j] = (2 * Math.PI * (j + 0.5)) / nodes; // theta_j
  const T = tMax + 1;
  const wRe = new Float64Array(T * half);
  const wIm = new Float64Array(T * half);
  for (let t = 0; t < T; t++) {
    const mag = Math.exp(t * logR) / nodes;
    for (let j = 0; j < half; j++) {
      wRe[t * half + j] = mag * Math.cos(im[j] * t);
      wIm[t * half + j] = mag * Math.sin(im[j] * t);
    }
  }
  const plan: InversionPlan = {
    method,
    t: Float64Array.from({ length: T }, (_, t) => t),
    groups: [{ tStart: 0, tEnd: T, re, im, wRe, wIm }],
    settings: { method: 'circle', nodes, deltaTimesNodes, reference: 'THEORY E26, E28: trapezoid rule on |z| = 1 + delta' },
  };
  const tr = transformsAt(model, logR, re, im);
  return {
    ...partValues(plan, { signal: [tr.signal], noise: [tr.noise], kernel: [tr.kernel] }),
    status: new Array<Status>(T).fill(tr.status),
    iterations: tr.iterations,
    maxResidual: tr.maxResidual,
    messages: tr.messages,
  };
}

/** The contour family `method` at times tau = 2 eta t (t ascending, > circleMaxSteps), on the grid `grid`. */
function contourPass(
  model: Model,
  t: Float64Array,
  method: MethodName,
  nodes: number | undefined,
  windowRatio: number | undefined,
  stripSafety: number,
  yMin: number,
  grid: 'midpoint' | 'trapezoid' = 'midpoint',
): PartValues & { nodes: number; groups: number; settings: Record<string, unknown> } {
  const eta = model.eta;
  const tau = t.map((x) => 2 * eta * x);
  const plan: InversionPlan = makePlan(method, tau, { nodes, windowRatio, grid });
  const n = t.length;
  const status = new Array<Status>(n).fill('converged');
  const values: Record<Part, ComplexArray[]> = { signal: [], noise: [], kernel: [] };
  const messages: string[] = [];
  let iterations = 0;
  let maxResidual = 0;
  let nodeCount = 0;
  plan.groups.forEach((grp, g) => {
    const m = grp.re.length;
    nodeCount += m;
    const xc = crossingPoint(plan, g);
    // log z = 2 eta y.
    const sRe = grp.re.map((y) => 2 * eta * y);
    const sIm = grp.im.map((y) => 2 * eta * y);
    const tr = transformsAt(model, 2 * eta * xc, sRe, sIm);
    iterations += tr.iterations;
    maxResidual = Math.max(maxResidual, tr.maxResidual);
    messages.push(...tr.messages);
    // Phi(y) = 2 eta X^(e^{2 eta y}).
    for (const key of PARTS) {
      const v = tr[key];
      values[key].push({ re: v.re.map((x) => 2 * eta * x), im: v.im.map((x) => 2 * eta * x) });
    }
    let gs: Status = tr.status;
    // The copies of the cut at Im y = +-pi/eta (period of Phi) must stay outside the contour.
    let reach = 0;
    for (let j = 0; j < m; j++) if (grp.re[j] >= yMin) reach = Math.max(reach, eta * grp.im[j]);
    if (!(xc > 0)) gs = worstStatus(gs, 'singularity_right_of_contour');
    if (reach > stripSafety * Math.PI) {
      gs = worstStatus(gs, 'unverified');
      messages.push(
        `${method} contour for t in [${t[grp.tStart]}, ${t[grp.tEnd - 1]}] reaches eta Im y = ${reach.toPrecision(3)} above the cut (y >= ${yMin.toPrecision(3)}): near the copy at pi (t too small for the contour)`,
      );
    }
    for (let i = grp.tStart; i < grp.tEnd; i++) status[i] = gs;
  });
  return {
    ...partValues(plan, values),
    status,
    iterations,
    maxResidual,
    messages,
    nodes: nodeCount,
    groups: plan.groups.length,
    settings: { ...plan.settings },
  };
}

/** Mode set, kappa context and spectral edge for times up to tMax (mode transitions resolved to 1/(eta tMax) and N^-b). */
export function setup(problem: SgdProblem, eta: number, tMax: number, lambdaMargin: number) {
  let scale = 1 / (eta * tMax);
  const sp = problem.spectrum;
  if (sp.kind === 'power-law' && Number.isFinite(problem.N)) scale = Math.min(scale, Math.pow(problem.N, -sp.b));
  const modes = modeQuadrature(sp, { lambdaMin: lambdaMargin * scale });
  const ctx = makeKappaContext(modes, problem.N, Infinity);
  const left: LeftKappaOptions = {
    tolerance: SGD_DEFAULTS.kappaTolerance,
    residualTolerance: SGD_DEFAULTS.kappaResidualTolerance,
    newtonIterations: SGD_DEFAULTS.newtonIterations,
    maxDepth: SGD_DEFAULTS.maxDepth,
  };
  return { modes, ctx, left, edge: spectralEdge(modes, ctx.invN) };
}

/**
 * The two one-point functions of (E28) at real times tau > 0 (their analytic
 * continuation in tau, rho > 0): L^0(tau) = w~^T rho(T)^tau w~ and
 * K(tau) = tr[T^2 rho(T)^tau], by the primary contour in y alone
 * (THEORY E26, E28; the Z-transforms F^0, K^ of sgd.ts inverted at time 2 eta tau).
 * For the time-stepping cross-check (sgd-stepping.ts), which needs them at
 * Gauss nodes between whole steps. Same validation as solveSgdCurve; times
 * must be >= 1 (the contour's strip condition, checked as there).
 */
export function sgdOnePoint(problem: SgdProblem, tau: ArrayLike<number>, options: Pick<SgdOptions, 'nodes' | 'windowRatio' | 'lambdaMargin'> = {}): { signal: Float64Array; kernel: Float64Array; status: Status; message: string } {
  const { dynamics } = validate({ ...problem, t: [0] });
  const eta = dynamics.lr;
  const n = tau.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => tau[x] - tau[y]);
  const sorted = Float64Array.from(order.map((i) => tau[i]));
  if (n === 0 || !(sorted[0] >= 1) || !Number.isFinite(sorted[n - 1])) throw new InvalidArgumentError('tau', 'must be a non-empty list of finite times >= 1', sorted[0]);
  const { modes, ctx, left, edge } = setup(problem, eta, sorted[n - 1], options.lambdaMargin ?? SGD_DEFAULTS.lambdaMargin);
  const gamma = 1 + 1 / dynamics.batch;
  if (!(edge.eMax < stabilityLimit(dynamics))) {
    return { signal: new Float64Array(n).fill(NaN), kernel: new Float64Array(n).fill(NaN), status: 'unstable', message: `eta (1 + 1/B) E_max = ${eta * gamma * edge.eMax} >= 2` };
  }
  const model: Model = { modes, ctx, edge, eta, gamma, left, eps: 0, sigma2: 0 };
  const pass = contourPass(model, sorted, SGD_DEFAULTS.methods[0], options.nodes?.[0], options.windowRatio, SGD_DEFAULTS.stripSafety, segmentBottom(eta, gamma, edge.eMax));
  const signal = new Float64Array(n);
  const kernel = new Float64Array(n);
  order.forEach((i, r) => {
    signal[i] = pass.signal[r];
    kernel[i] = pass.kernel[r];
  });
  return { signal, kernel, status: pass.status.reduce<Status>((a, b) => worstStatus(a, b), ctx.kappaCStatus), message: [...new Set(pass.messages)].join('; ') };
}

/**
 * THEORY (E28): the bottom of the singular segment [rho_lo, 1] of the transforms in z,
 * rho_lo = min of rho(x) = 1 - 2 eta x + eta^2 gamma x^2 over the spectrum [0, E_max]
 * (>= 1 - 1/gamma = 1/(B + 1) > 0), and y_min = log(rho_lo) / (2 eta) in y.
 */
function segmentBottom(eta: number, gamma: number, eMax: number): number {
  const x = Math.min(eMax, 1 / (eta * gamma));
  return Math.log1p(eta * x * (eta * gamma * x - 2)) / (2 * eta);
}

/**
 * Stability quantities (E28): the kernel sum sum_tau K_tau = tr[T^2 / (1 - rho(T))]
 * = tr[T / (eta (2 - eta gamma T))] = -Q(u) / (eta^2 gamma), u = -2/(eta gamma), a
 * resolvent value left of the spectrum (needs eta gamma E_max < 2), and the
 * kernel norm eps sum K = -Q(u) / (B + 1).
 */
export function stability(model: Pick<Model, 'modes' | 'ctx' | 'edge' | 'eta' | 'gamma' | 'left'>, batch: number): { kernelSum: number; kernelNorm: number; status: Status } {
  const { modes, ctx, edge, eta, gamma } = model;
  const u = -2 / (eta * gamma);
  if (!(u < -edge.eMax)) return { kernelSum: Infinity, kernelNorm: Infinity, status: 'converged' };
  const root = solveLeftReal(modes, ctx.invN, edge, u, model.left);
  const s = new Float64Array(4);
  nodeSums(modes, u, 0, root.kappa, 0, s);
  const kernelSum = -s[0] / (eta * eta * gamma);
  return { kernelSum, kernelNorm: -s[0] / (batch + 1), status: root.status };
}

/**
 * Test loss of one-pass SGD at P = infinity (THEORY E28) at whole step counts
 * t (any order, 0 and Infinity allowed), with its GD and noise parts and the
 * kernel K_t. Throws InvalidArgumentError for invalid input only.
 */
export function solveSgdCurve(problem: SgdProblem, options: SgdOptions = {}): SgdSolution {
  const { dynamics, sigma, t } = validate(problem);
  // A learning-rate schedule makes the Volterra kernel two-time (THEORY E28c): stepped per mode (sgd-schedule.ts).
  if (dynamics.schedule !== undefined) return solveScheduledSgd(problem, dynamics, sigma, t, options, SGD_DEFAULTS);
  const eta = dynamics.lr;
  const B = dynamics.batch;
  const methods = options.methods ?? SGD_DEFAULTS.methods;
  if (methods.length !== 2 || methods[0] === methods[1]) throw new InvalidArgumentError('options.methods', 'must be two different contour methods', methods);
  const relTol = options.relTol ?? SGD_DEFAULTS.relTol;
  const absTol = options.absTol ?? SGD_DEFAULTS.absTol;
  const circleMaxSteps = options.circleMaxSteps ?? SGD_DEFAULTS.circleMaxSteps;
  if (!Number.isInteger(circleMaxSteps) || circleMaxSteps < 0) throw new InvalidArgumentError('options.circleMaxSteps', 'must be an integer >= 0', circleMaxSteps);
  const circleNodes = options.circleNodes ?? SGD_DEFAULTS.circleNodes;
  const [d1, d2] = options.circleDeltaTimesNodes ?? SGD_DEFAULTS.circleDeltaTimesNodes;
  if (!(d1 > 0 && d2 > 0 && d1 !== d2)) throw new InvalidArgumentError('options.circleDeltaTimesNodes', 'must be two different positive numbers (primary, check)', [d1, d2]);
  const estimateKind = options.errorEstimate ?? SGD_DEFAULTS.errorEstimate;
  if (estimateKind !== 'nested' && estimateKind !== 'check') throw new InvalidArgumentError('options.errorEstimate', "must be 'nested' or 'check'", estimateKind);
  if (!Number.isInteger(circleNodes) || circleNodes < 8 * (circleMaxSteps + 1) || circleNodes % 2 !== 0) {
    throw new InvalidArgumentError('options.circleNodes', `must be an even integer >= 8 (circleMaxSteps + 1) = ${8 * (circleMaxSteps + 1)}`, circleNodes);
  }
  const lambdaMargin = options.lambdaMargin ?? SGD_DEFAULTS.lambdaMargin;

  let tMaxFinite = 1;
  for (const x of t) if (x < Infinity) tMaxFinite = Math.max(tMaxFinite, x);
  const sp = problem.spectrum;
  const { modes, ctx, left, edge } = setup(problem, eta, tMaxFinite, lambdaMargin);
  const sig2 = sigma * sigma;
  const L0 = modes.sumC;
  const T = t.length;
  const { out, err } = unsetSgdParts(T);
  const statusPerTime: Status[] = new Array<Status>(T).fill(worstStatus(ctx.kappaCStatus, edge.status));
  const messages: string[] = [];
  let iterations = ctx.kappaCIterations + edge.iterations;
  const gamma = 1 + 1 / B;
  const etaEMax = eta * edge.eMax;
  const base = { modes, ctx, edge, eta, gamma, left };
  const perModeStable = edge.eMax < stabilityLimit(dynamics); // every rho(tau) < 1 (E28)
  const stab = perModeStable ? stability(base, B) : { kernelSum: NaN, kernelNorm: NaN, status: 'converged' as Status };
  const parameters = {
    spectrum: describeSpectrum(sp),
    N: problem.N === Infinity ? 'inf' : problem.N,
    P: 'inf',
    sigma,
    dynamics: describeDynamics(dynamics),
  };
  const settingsBase = {
    methods: [...methods],
    relTol,
    absTol,
    circleMaxSteps,
    circleNodes,
    circleDeltaTimesNodes: [d1, d2],
    errorEstimate: estimateKind,
    stripSafety: SGD_DEFAULTS.stripSafety,
    modes: modes.settings,
    kappa: ctx.options,
    leftKappa: left,
  };
  const diagnostics = {
    eMax: edge.eMax,
    etaEMax,
    kernelSum: stab.kernelSum,
    kernelNorm: stab.kernelNorm,
    kappaC: ctx.kappaC,
    circleMaxSteps,
    nodes: 0,
    groups: 0,
    maxKappaResidual: 0,
    methodSpread: 0,
    modesExact: modes.exactCount,
    modesQuadrature: modes.quadratureCount,
    tailErrorEstimate: modes.tailErrorEstimate,
    messages,
  };
  // THEORY (E26, E28): stability first; an unstable run gets no number.
  let unstable = '';
  if (!perModeStable) {
    unstable = `unstable: eta (1 + 1/B) E_max = ${(eta * gamma * edge.eMax).toPrecision(6)} >= 2: the expected loss of the top mode grows, rho(E_max) = (1 - eta E_max)^2 + (eta^2/B) E_max^2 >= 1 (E_max = ${edge.eMax.toPrecision(6)}; needs lr < ${(2 / (gamma * edge.eMax)).toPrecision(6)}, THEORY E28)`;
  } else if (!(stab.kernelNorm < 1)) {
    unstable = `unstable: kernel norm (eta^2/B) sum_tau K_tau = (eta/B) tr[T / (2 - eta (1 + 1/B) T)] = ${stab.kernelNorm.toPrecision(6)} >= 1: the noise feedback makes the expected loss grow (sum K = ${stab.kernelSum.toPrecision(6)}; needs a smaller lr or a larger batch, THEORY E28)`;
  }
  if (unstable) {
    return {
      t,
      ...out,
      errorEstimate: err,
      status: 'unstable',
      statusPerTime: new Array<Status>(T).fill('unstable'),
      iterations,
      message: unstable,
      diagnostics: { ...diagnostics, messages: [unstable] },
      parameters,
      settings: settingsBase,
    };
  }
  const model: Model = { ...base, eps: (eta * eta) / B, sigma2: sig2 };
  const tailAbs = modes.tailErrorEstimate * (L0 + sig2);
  const scaleAbs = absTol * (L0 + sig2);
  let methodSpread = 0;
  let maxResidual = 0;
  if (ctx.kappaCStatus !== 'converged') messages.push(`kappa_c: ${ctx.kappaCStatus}`);
  if (!(modes.tailErrorEstimate <= relTol)) {
    statusPerTime.fill('unverified');
    messages.push(`mode-sum tail error estimate ${modes.tailErrorEstimate.toExponential(2)} exceeds relTol (THEORY E8)`);
  }
  const noiseTail = (model.eps * stab.kernelSum * tailAbs) / (1 - stab.kernelNorm);
  const kernelTail = modes.tailErrorEstimate * modes.trace * modes.lambdaMax;
  // Row r of pass p (time t[i]) judged by the engine (inversion/verify.ts): the spread against the check pass q
  // (row rq) or, without one, p's nested sub-rules; floor and independent parts as for every inversion.
  const assign = (i: number, p: PartValues, r: number, q: PartValues | undefined, rq: number) => {
    const spread = (k: Part) => (q === undefined ? nestedSpread(p.nested[k][0][r], p.nested[k][1][r], p.magnitude[k][r], p.nested[k][2][r]) : Math.abs(p[k][r] - q[k][rq]));
    out.signal[i] = p.signal[r];
    out.noise[i] = p.noise[r];
    out.kernel[i] = p.kernel[r];
    out.test[i] = sig2 + p.signal[r] + p.noise[r];
    const sSignal = spread('signal');
    const sNoise = spread('noise');
    err.signal[i] = spreadError(sSignal, p.magnitude.signal[r], tailAbs);
    err.noise[i] = spreadError(sNoise, p.magnitude.noise[r], noiseTail);
    err.kernel[i] = spreadError(spread('kernel'), p.magnitude.kernel[r], kernelTail);
    // Two separately inverted parts: their errors add (a max would not bound the sum when both err the same way).
    err.test[i] = sumOfErrors(err.signal[i], err.noise[i]);
    methodSpread = Math.max(methodSpread, (sSignal + sNoise) / (Math.abs(out.test[i]) + L0 + sig2));
    // The tail parts are judged once (tailErrorEstimate <= relTol above), the rest against relTol |L| + absTol (L(0) + sigma^2).
    const st = verifiedStatus(out.test[i], err.test[i], relTol * Math.abs(out.test[i]) + scaleAbs + tailAbs + noiseTail, true);
    statusPerTime[i] = worstStatus(statusPerTime[i], worstStatus(st, worstStatus(p.status[r], q?.status[rq] ?? 'converged')));
  };

  // Small t: two circles.
  let circleTop = -1;
  for (const x of t) if (x <= circleMaxSteps) circleTop = Math.max(circleTop, x);
  if (circleTop >= 0) {
    const p = circlePass(model, circleTop, circleNodes, d1, methods[0]);
    const q = circlePass(model, circleTop, circleNodes, d2, methods[0]);
    iterations += p.iterations + q.iterations;
    maxResidual = Math.max(maxResidual, p.maxResidual, q.maxResidual);
    messages.push(...p.messages, ...q.messages);
    diagnostics.nodes += circleNodes;
    for (let i = 0; i < T; i++) if (t[i] <= circleMaxSteps) assign(i, p, t[i], q, t[i]);
  }

  // Large t: the contour in y, judged by its nested sub-rules (or by the second family with 'check').
  const idx: number[] = [];
  for (let i = 0; i < T; i++) if (t[i] > circleMaxSteps && t[i] < Infinity) idx.push(i);
  const settingsPasses: Record<string, unknown>[] = [];
  if (idx.length > 0) {
    const uniq = Float64Array.from(new Set(idx.map((i) => t[i]))).sort();
    const yMin = segmentBottom(eta, gamma, edge.eMax);
    const passes =
      estimateKind === 'nested'
        ? [contourPass(model, uniq, methods[0], options.nodes?.[0] ?? SGD_DEFAULTS.nestedNodes, options.windowRatio, SGD_DEFAULTS.stripSafety, yMin, 'trapezoid')]
        : methods.map((m, k) => contourPass(model, uniq, m, options.nodes?.[k], options.windowRatio, SGD_DEFAULTS.stripSafety, yMin));
    for (const pass of passes) {
      iterations += pass.iterations;
      maxResidual = Math.max(maxResidual, pass.maxResidual);
      messages.push(...pass.messages);
      diagnostics.nodes += pass.nodes;
      diagnostics.groups += pass.groups;
      settingsPasses.push(pass.settings);
    }
    const where = new Map<number, number>();
    uniq.forEach((x, r) => where.set(x, r));
    for (const i of idx) {
      const r = where.get(t[i]) as number;
      assign(i, passes[0], r, passes[1], r);
    }
  }

  // t = infinity: L_inf = (sigma^2 + L^0_inf) / (1 - eps sum K), L^0_inf = sum_k c_k kappa_c / (kappa_c + lambda_k) (E16b at P = inf).
  for (let i = 0; i < T; i++) {
    if (t[i] !== Infinity) continue;
    let signalInf = 0;
    if (ctx.kappaC > 0) for (let j = 0; j < modes.lambda.length; j++) signalInf += (modes.weight[j] * modes.c[j] * ctx.kappaC) / (ctx.kappaC + modes.lambda[j]);
    const total = (sig2 + signalInf) / (1 - stab.kernelNorm);
    out.signal[i] = signalInf;
    out.test[i] = total;
    out.noise[i] = total - sig2 - signalInf;
    out.kernel[i] = 0;
    err.signal[i] = tailAbs;
    err.noise[i] = tailAbs / (1 - stab.kernelNorm);
    err.test[i] = err.signal[i] + err.noise[i];
    err.kernel[i] = 0;
  }
  diagnostics.maxKappaResidual = maxResidual;
  diagnostics.methodSpread = methodSpread;
  const unique = [...new Set(messages)];
  return {
    t,
    ...out,
    errorEstimate: err,
    status: statusPerTime.reduce<Status>((a, b) => worstStatus(a, b), 'converged'),
    statusPerTime,
    iterations,
    message: unique.slice(0, 10).join('; '),
    diagnostics: { ...diagnostics, messages: unique },
    parameters,
    settings: { ...settingsBase, inversion: settingsPasses },
  };
}

/** The SGD parts (test, signal, noise, kernel) and their errors at T times, NaN until computed (no number without its solve). */
export function unsetSgdParts(T: number): { out: Record<keyof SgdErrors, Float64Array>; err: SgdErrors } {
  const nan = () => new Float64Array(T).fill(NaN);
  return { out: { test: nan(), signal: nan(), noise: nan(), kernel: nan() }, err: { test: nan(), signal: nan(), noise: nan(), kernel: nan() } };
}

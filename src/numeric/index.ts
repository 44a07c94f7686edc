/**
 * Public API of the numeric layer: DMFT loss curves of the random-feature
 * model (THEORY sections 3-5). Problems are plain data, options hold method
 * settings (defaults in defaults.ts), results are Solution objects with
 * status, error estimates, iterations, the parameters and the settings used
 * (STYLE 1-2).
 */
import { InvalidArgumentError, requireFinite, requireSize } from '../core/errors.js';
import type { Status } from '../core/solution.js';
import { worstStatus } from '../core/solution.js';
import {
  GRADIENT_FLOW,
  checkTimes,
  describeDynamics,
  dynamicsLabel,
  equivalentTime,
  isDiscrete,
  stabilityLimit,
  scheduledDynamics,
  scheduledResiduals,
  optimizerOf,
  isOptimizerName,
  sgdMean,
  isStochastic,
  stabilityFormula,
  type Dynamics,
  type ScheduledDynamics,
  type OnePassSgd,
} from '../dynamics/index.js';
import { describeSpectrum, type Spectrum } from '../spectrum/index.js';
import { methodPass, transferPass, type PairSumMethod } from './curve.js';
import { NUMERIC_DEFAULTS } from './defaults.js';
import { inversionError, nestedSpread, spreadError, verifiedStatus } from './inversion/index.js';
import type { InversionMethodName } from './inversion/index.js';
import { makeKappaContext, solveKappaComplex, solveKappaReal, spectrumTop, type KappaContext, type KappaOptions } from './kappa.js';
import { modeQuadrature, type ModeQuadratureOptions, type ModeSet } from './modes.js';
import { solveSgdCurve, type SgdSolution } from './sgd.js';
import { solveSgdReuseCurve, type ReuseParts, type ReuseSampling } from './sgd-reuse.js';
import { staticFromContext, staticRidge, type StaticValues } from './static.js';

export { NUMERIC_DEFAULTS } from './defaults.js';
export { modeQuadrature, gaussLegendre, type ModeSet, type ModeQuadratureOptions } from './modes.js';
export { makeKappaContext, solveKappaReal, solveKappaNodes, solveKappaComplex, spectrumTop, type KappaContext, type KappaNodes, type KappaOptions } from './kappa.js';
export { makeSchedule, circleStepLimit, fastRadius, type Schedule, type ScheduleRule } from './schedule.js';
export { PAIR_SWITCH, type PairSumMethod } from './curve.js';
export { solveSgdCurve, sgdOnePoint, SGD_DEFAULTS, type SgdProblem, type SgdOptions, type SgdSolution, type SgdErrors } from './sgd.js';
export { solveSgdReuseCurve, checkSgdReuseProblem, REUSE_SAMPLINGS, type SgdReuseProblem, type SgdReuseOptions, type SgdReuseSolution, type ReuseParts, type ReuseSampling } from './sgd-reuse.js';
export { estimateScheduledSgdSeconds } from './sgd-schedule.js';
export { solveVolterraStepping, STEPPING_DEFAULTS, type SteppingSettings, type VolterraInput, type SteppingResult } from './sgd-stepping.js';
export type { StaticValues } from './static.js';

/** The model: spectrum (E7 or custom), model size N, data P (Infinity allowed), label noise sigma (E2). */
export interface ModelProblem {
  readonly spectrum: Spectrum;
  readonly N: number;
  readonly P: number;
}

/** A curve problem: model, noise, times, optional ensemble size and dynamics. */
export interface CurveProblem extends ModelProblem {
  readonly sigma: number;
  /** Times t >= 0; 0 and Infinity are answered analytically (E12, E16b). */
  readonly t: ArrayLike<number>;
  /** Ensemble size E for L_E (E16a); omitted: no testE. */
  readonly ensembleSize?: number;
  /** Training dynamics (src/dynamics); default unit-rate gradient flow (E5). */
  readonly dynamics?: Dynamics;
  /** SGD at finite P only (THEORY E28b): how the batch indices are drawn; default 'replacement'. */
  readonly sgdSampling?: ReuseSampling;
}

/**
 * Settings of solveCurve (inversion methods, nodes, tolerances, mode quadrature). SGD solves take relTol, absTol,
 * windowRatio (one-pass only) and modes.lambdaMargin; any other option is refused with its name, not ignored.
 */
export interface CurveOptions {
  /** Primary and cross-check inversion methods (E13). */
  readonly methods?: readonly [InversionMethodName, InversionMethodName];
  /** Nodes per group for the two methods (inversion layer defaults otherwise). */
  readonly nodes?: readonly [number | undefined, number | undefined];
  readonly windowRatio?: number;
  readonly relTol?: number;
  readonly absTol?: number;
  readonly kappa?: KappaOptions;
  readonly modes?: Omit<ModeQuadratureOptions, 'lambdaMin' | 'skipErrorEstimate'> & { lambdaMargin?: number };
  /**
   * Error estimate (THEORY E13): 'nested' (default) from the primary's own nested sub-rules (trapezoid grid,
   * steps h, 2h, 4h; circle-rule times fall back to 'coarse'); 'coarse' compares with the primary contour at
   * coarseNodes nodes; 'check' with the second method of `methods`.
   */
  readonly errorEstimate?: ErrorEstimateKind;
  readonly coarseNodes?: number;
  /** Pair sums of (E15b): 'partial-fractions' (default, O(n K)) or 'direct' (O(n^2 K), reference). */
  readonly pairSums?: PairSumMethod;
  /**
   * false: drop the variance terms of (E15) and report L = sigma^2 + B(t): a
   * negative control for comparisons with simulation. Default true.
   */
  readonly varianceTerm?: boolean;
  /**
   * Momentum and GD with eta E_max >= 1 (THEORY E27a): the circle rule serves the times within its cost
   * limit at which the keyhole's closure factor r0^t exceeds this (default 1e-8); 1 puts every time on the
   * keyhole rule, whose dropped part then shows in the error estimate; a negative value puts every
   * affordable time on the circle.
   */
  readonly keyholeMaxDrop?: number;
}

/** Error estimates of every quantity of a CurveSolution. */
export interface QuantityErrors {
  test: Float64Array;
  train: Float64Array;
  bias: Float64Array;
  gap: Float64Array;
  testA: Float64Array;
  testE?: Float64Array;
}

/** The result of solveCurve: losses per time, error estimates, statuses, diagnostics, parameters, settings. */
export interface CurveSolution {
  t: Float64Array;
  /** Average test loss L(t) (E15). */
  test: Float64Array;
  /** Average train loss (E16). */
  train: Float64Array;
  /** Bias B(t) = infinite-ensemble loss without noise (E14). */
  bias: Float64Array;
  /** test - train (E16). */
  gap: Float64Array;
  /** Loss of the predictor averaged over A at fixed data, L_A (E16a). */
  testA: Float64Array;
  /** Loss of an ensemble of E models on the same data, L_E (E16a), when ensembleSize is given. */
  testE?: Float64Array;
  errorEstimate: QuantityErrors;
  status: Status;
  statusPerTime: Status[];
  /** Per quantity and time (statusPerTime is the worst over the quantities). */
  quantityStatus: Record<'test' | 'train' | 'bias' | 'testA', Status[]>;
  iterations: number;
  message: string;
  diagnostics: {
    maxKappaResidual: number;
    kappaC: number;
    nodes: number;
    groups: number;
    modesExact: number;
    modesQuadrature: number;
    tailErrorEstimate: number;
    /** max_t |primary - estimate| / (|value| + L(0)) over test, train, bias, testA. */
    methodSpread: number;
    /** max |B by per-mode inversion - B by the double transform| at the first time of each node group (consistency of the product rule). */
    biasConsistency: number;
    /** Pairs summed directly over the modes, of all pairs (partial fractions, one-point diagonal sums or the near-pair series elsewhere). */
    directPairs: number;
    pairs: number;
    /** Discrete dynamics: top of the DMFT spectrum of F G plus ridge (E26); NaN otherwise. */
    spectrumTop: number;
    messages: string[];
  };
  parameters: Record<string, unknown>;
  settings: Record<string, unknown>;
  /** One-pass SGD only (THEORY E28): the signal part w~^T rho(T)^t w~, the noise feedback and the kernel K_t, with their error estimates. */
  sgd?: Pick<SgdSolution, 'signal' | 'noise' | 'kernel' | 'errorEstimate' | 'diagnostics'>;
  /** SGD on P fixed samples only (THEORY E28b): the parts of the test loss and the closure's constants. */
  reuse?: ReuseParts;
}

// ---------------------------------------------------------------------------
// Validation

function validateModel(problem: ModelProblem): void {
  if (problem === null || typeof problem !== 'object') throw new InvalidArgumentError('problem', 'must be an object', problem);
  const sp = problem.spectrum as Spectrum | undefined;
  if (!sp || (sp.kind !== 'power-law' && sp.kind !== 'custom')) {
    throw new InvalidArgumentError('spectrum', 'must be a power-law or custom spectrum (see src/spectrum)', sp);
  }
  requireSize('N', problem.N);
  requireSize('P', problem.P);
  for (const [name, size] of [['N', problem.N], ['P', problem.P]] as const) {
    // Beyond this a finite size is the infinite one to double precision (kappa_c ~ size^-b underflows the
    // mode scale) and the effective-ridge solve can run for minutes: Infinity answers it exactly (E12).
    if (Number.isFinite(size) && size > MAX_FINITE_SIZE) {
      throw new InvalidArgumentError(name, `must be at most ${MAX_FINITE_SIZE.toExponential()} when finite (give Infinity for larger)`, size);
    }
  }
  if (sp.kind === 'power-law') {
    if (!(sp.b > 0)) throw new InvalidArgumentError('b', 'must be > 0', sp.b);
    if (sp.M === Infinity && !(sp.a > 1)) throw new InvalidArgumentError('a', 'must be > 1 when M is infinite', sp.a);
    if (sp.M === Infinity && Math.min(problem.N, problem.P) < Infinity && !(sp.b > 1)) {
      // g(kappa) = sum_k k^-b / (kappa + k^-b) diverges for b <= 1 (E15a): tr Lambda is infinite.
      throw new InvalidArgumentError('b', 'must be > 1 when M is infinite and N or P is finite (tr Lambda = sum k^-b must converge)', sp.b);
    }
  }
}

function validateSigma(sigma: number): number {
  requireFinite('sigma', sigma);
  if (sigma < 0) throw new InvalidArgumentError('sigma', 'must be >= 0', sigma);
  return sigma;
}

function validateTimesInput(t: ArrayLike<number>): Float64Array {
  if (t === null || t === undefined || typeof (t as ArrayLike<number>).length !== 'number') {
    throw new InvalidArgumentError('t', 'must be an array of times', t);
  }
  if (t.length === 0) throw new InvalidArgumentError('t', 'must be non-empty', []);
  const out = new Float64Array(t.length);
  for (let i = 0; i < t.length; i++) {
    const ti = t[i];
    if (typeof ti !== 'number' || Number.isNaN(ti)) throw new InvalidArgumentError(`t[${i}]`, 'must be a number >= 0', ti);
    if (ti < 0) throw new InvalidArgumentError(`t[${i}]`, 'must be >= 0', ti);
    out[i] = ti;
  }
  return out;
}

// ---------------------------------------------------------------------------

/**
 * lambdaMin for the mode quadrature: a margin below kappa_c (>= min(N,P)^-b for power laws) and 1/t_max;
 * with `staticRidge` > 0 (the t = infinity value with a ridge is wanted) also below kappa(r) >= max(r, kappa_c):
 * at N = P = infinity kappa = r, and the ridge plateau sum_k c_k r^2/(r + lambda_k)^2 (E25) turns over at
 * lambda_k ~ r, which a quadrature resolved only down to 1/t_max misses by orders of magnitude when r is tiny.
 */
function modesFor(problem: ModelProblem, smallestScale: number, options?: CurveOptions['modes'], staticRidge = 0): ModeSet {
  const margin = options?.lambdaMargin ?? NUMERIC_DEFAULTS.lambdaMargin;
  let scale = smallestScale;
  const nMin = Math.min(problem.N, problem.P);
  const sizeScale = problem.spectrum.kind === 'power-law' && Number.isFinite(nMin) ? Math.pow(nMin, -problem.spectrum.b) : 0;
  if (sizeScale > 0) scale = Math.min(scale, sizeScale);
  if (!(scale > 0) || !Number.isFinite(scale)) scale = 1;
  if (staticRidge > 0) scale = Math.min(scale, Math.max(staticRidge, sizeScale));
  return modeQuadrature(problem.spectrum, { ...options, lambdaMin: margin * scale });
}

function parametersOf(problem: ModelProblem & { sigma?: number; ensembleSize?: number }): Record<string, unknown> {
  const p: Record<string, unknown> = {
    spectrum: describeSpectrum(problem.spectrum),
    N: problem.N === Infinity ? 'inf' : problem.N,
    P: problem.P === Infinity ? 'inf' : problem.P,
  };
  if (problem.sigma !== undefined) p.sigma = problem.sigma;
  if (problem.ensembleSize !== undefined) p.ensembleSize = problem.ensembleSize;
  return p;
}

/**
 * The times the contour inversion answers: positive and finite, sorted
 * ascending (plans need ascending times), with their places in the input;
 * t = 0 and t = infinity are answered analytically (E12, E16b).
 */
function contourTimes(t: Float64Array): { posIdx: number[]; tPos: Float64Array; tMax: number } {
  const posIdx: number[] = [];
  for (let i = 0; i < t.length; i++) if (t[i] > 0 && t[i] < Infinity) posIdx.push(i);
  posIdx.sort((x, y) => t[x] - t[y]);
  const tPos = Float64Array.from(posIdx.map((i) => t[i]));
  return { posIdx, tPos, tMax: tPos.length > 0 ? tPos[tPos.length - 1] : 1 };
}

/**
 * The row of each time of tPos in `subset` (a sorted subset of it: the second pass's times), -1 where it is
 * absent (times judged by the primary's nested sub-rules).
 */
function rowsIn(tPos: Float64Array, subset: Float64Array): Int32Array {
  const rows = new Int32Array(tPos.length).fill(-1);
  for (let r = 0, k = 0; r < tPos.length; r++) if (k < subset.length && tPos[r] === subset[k]) rows[r] = k++;
  return rows;
}

/** Which independent value the error estimate of a curve compares the primary with (THEORY E13). */
export type ErrorEstimateKind = 'nested' | 'coarse' | 'check';
const ESTIMATE_KINDS: readonly ErrorEstimateKind[] = ['nested', 'coarse', 'check'];

/**
 * Times outside [min, max] are refused (InvalidArgumentError naming t): the contour nodes scale as 1/t and
 * their products (s s', (kappa/s)^2) leave the double range near t = 1e-154 and lose accuracy above t ~ 1e70
 * (measured: converged at 1e60, unverified at 1e80, non-finite at 1e100). Below min the loss equals L(0)
 * to double precision; above max use t = Infinity for the plateau.
 */
/** The largest finite N or P the DMFT accepts (larger: Infinity). */
export const MAX_FINITE_SIZE = 1e12;

export const CURVE_TIME_RANGE = Object.freeze({ min: 1e-100, max: 1e60 });

function checkTimeRange(t: Float64Array): void {
  for (let i = 0; i < t.length; i++) {
    const ti = t[i];
    if (ti > 0 && ti < CURVE_TIME_RANGE.min) {
      throw new InvalidArgumentError(`t[${i}]`, `must be 0 or >= ${CURVE_TIME_RANGE.min} (below, the contour nodes ~1/t overflow; the loss equals L(0) to double precision there)`, ti);
    }
    if (ti > CURVE_TIME_RANGE.max && ti < Infinity) {
      throw new InvalidArgumentError(`t[${i}]`, `must be <= ${CURVE_TIME_RANGE.max} or Infinity (above, the contour nodes ~1/t underflow; use Infinity for the plateau)`, ti);
    }
  }
}

function validateDynamics(problem: CurveProblem): Dynamics {
  const dynamics = problem.dynamics ?? GRADIENT_FLOW;
  if (dynamics === null || typeof dynamics !== 'object' || !isOptimizerName(dynamics.kind)) {
    throw new InvalidArgumentError('dynamics', 'must be made by makeDynamics (src/dynamics)', dynamics);
  }
  return dynamics;
}

/**
 * N = P = infinity: R = 1, H_k is the free propagator and every loss is a
 * single positive sum (THEORY E12, E14): L = sigma^2 + sum_k c_k h_k(t)^2,
 * no contour and no cancellation, so small losses keep their relative
 * accuracy. h_k per dynamics, with Lambda = lambda_k + r:
 *   gf: (r + lambda e^{-Lambda t}) / Lambda (E5, E25);
 *   gd: (r + lambda (1 - eta Lambda)^t) / Lambda (E26);
 *   momentum, Nesterov: (r + lambda e_t) / Lambda, (e_t, e_{t-1}) = M^t (1, 1) by repeated
 *   squaring (E27, E28d); each optimizer module's `residual` gives the decay.
 * Under a learning-rate schedule (E28c) the decay comes from scheduledDecays;
 * a caller with many modes passes it in (`scheduled`), computed in one pass.
 */
export function freeResidual(dynamics: Dynamics, lambda: number, t: number, scheduled?: number): number {
  const r = dynamics.ridge;
  const big = lambda + r;
  if (t === 0) return 1;
  let decay: number;
  if (t === Infinity) decay = 0;
  else {
    const scheduledDyn = scheduledDynamics(dynamics);
    decay = scheduledDyn !== undefined ? scheduled ?? scheduledDecays(scheduledDyn, [lambda], [t])[0] : optimizerOf(dynamics).residual(dynamics, big, t);
  }
  return big === 0 ? 1 : (r + lambda * decay) / big;
}

/** The residual factors D_t(lambda_k + r) under a learning-rate schedule (E28c), at [k * T + j] for the times t[j]. */
function scheduledDecays(dynamics: ScheduledDynamics, lambda: ArrayLike<number>, t: ArrayLike<number>): Float64Array {
  return scheduledResiduals(dynamics, Array.from(lambda, (x) => x + dynamics.ridge), t).d;
}

/** The check pass's circle (errorEstimate 'check'): more nodes per step than the primary, radius constant 3. */
const CHECK_CIRCLE_NODES_PER_STEP = 6.2;

/**
 * A learning-rate schedule is applied step by step: at N = P = infinity by one pass over the steps per mode, at
 * finite N or P by the kernel at every contour node (the circle rule for the first steps, the keyhole with the
 * product kernel beyond, THEORY E28c; schedule-keyhole.ts): O(varying steps) per node. Both are capped at
 * SCHEDULE_STEP_LIMIT steps; a longer request throws InvalidArgumentError naming the limit before any work.
 */
export function checkScheduleHorizon(dynamics: Dynamics, t: ArrayLike<number>): void {
  if (scheduledDynamics(dynamics) === undefined) return;
  let tMax = 0;
  for (let i = 0; i < t.length; i++) tMax = Math.max(tMax, t[i]);
  if (tMax > SCHEDULE_STEP_LIMIT) {
    throw new InvalidArgumentError('t', `must be at most ${SCHEDULE_STEP_LIMIT} steps with a learning-rate schedule (its rates are applied step by step; THEORY E28c)`, tMax);
  }
}

/** Steps under a schedule: O(t) per mode at N = P = inf, O(varying steps) per contour node otherwise (E28c). */
const SCHEDULE_STEP_LIMIT = 1e6;

type Quantity = 'test' | 'train' | 'bias' | 'testA';
const QUANTITIES: readonly Quantity[] = ['test', 'train', 'bias', 'testA'];

/**
 * DMFT loss curves (THEORY E13-E16b, E25-E27) at the times problem.t (any
 * order, 0 and Infinity allowed; whole steps for discrete optimizers).
 * Throws InvalidArgumentError for invalid input only.
 *
 * Error estimate (one meaning, inversion/verify.ts): per time and quantity
 * max(|primary - estimate|, round-off floor) + mode-sum tail x (L(0) + sigma^2 + |value|),
 * with the estimate from the same contour at fewer nodes ('coarse', default:
 * ~0.6x the primary's cost) or from the second method ('check', ~1.5x);
 * settings.errorEstimate says which. A loss below its own error estimate is
 * 'below_error_estimate'; a negative loss is never 'converged'.
 */
export function solveCurve(problem: CurveProblem, options: CurveOptions = {}): CurveSolution {
  validateModel(problem);
  const dynamics = validateDynamics(problem);
  if (isStochastic(dynamics)) return solveSgdAsCurve(problem, dynamics, options);
  const sigma = validateSigma(problem.sigma);
  const t = validateTimesInput(problem.t);
  checkTimes(dynamics, t, 't');
  checkTimeRange(t);
  const E = problem.ensembleSize;
  if (E !== undefined && (!Number.isInteger(E) || E < 1)) throw new InvalidArgumentError('ensembleSize', 'must be an integer >= 1', E);
  const methods = options.methods ?? NUMERIC_DEFAULTS.methods;
  if (methods.length !== 2 || methods[0] === methods[1]) {
    throw new InvalidArgumentError('options.methods', 'must be two different inversion methods', methods);
  }
  const estimateKind: ErrorEstimateKind = options.errorEstimate ?? NUMERIC_DEFAULTS.errorEstimate;
  if (!ESTIMATE_KINDS.includes(estimateKind)) {
    throw new InvalidArgumentError('options.errorEstimate', `must be one of ${ESTIMATE_KINDS.join(', ')}`, estimateKind);
  }
  checkScheduleHorizon(dynamics, t);
  const relTol = options.relTol ?? NUMERIC_DEFAULTS.relTol;
  const absTol = options.absTol ?? NUMERIC_DEFAULTS.absTol;
  const varianceTerm = options.varianceTerm ?? true;
  const pairSums = options.pairSums ?? 'partial-fractions';

  const { posIdx, tPos, tMax } = contourTimes(t);
  const timeScale = equivalentTime(dynamics, tMax);
  const staticRidge = t.includes(Infinity) ? dynamics.ridge : 0;
  const modes = modesFor(problem, 1 / Math.max(timeScale, Number.MIN_VALUE), options.modes, staticRidge);
  const ctx = makeKappaContext(modes, problem.N, problem.P, options.kappa);
  const sig2 = sigma * sigma;
  const L0 = modes.sumC;
  const T = t.length;
  const out = { test: new Float64Array(T), train: new Float64Array(T), bias: new Float64Array(T), gap: new Float64Array(T), testA: new Float64Array(T) };
  const err: QuantityErrors = { test: new Float64Array(T), train: new Float64Array(T), bias: new Float64Array(T), gap: new Float64Array(T), testA: new Float64Array(T) };
  const statusPerTime: Status[] = new Array<Status>(T).fill(ctx.kappaCStatus);
  const messages: string[] = [];
  if (ctx.kappaCStatus !== 'converged') messages.push(`kappa_c: ${ctx.kappaCStatus}`);
  if (!(modes.tailErrorEstimate <= relTol)) {
    // THEORY (E8): the mode sums themselves are not accurate to relTol (e.g. a or b within ~0.05 of 1).
    statusPerTime.fill(worstStatus(ctx.kappaCStatus, 'unverified'));
    messages.push(`mode-sum tail error estimate ${modes.tailErrorEstimate.toExponential(2)} exceeds relTol`);
  }
  const free = ctx.invN === 0 && ctx.invP === 0;
  let iterations = ctx.kappaCIterations;
  let maxResidual = 0;
  let nodes = 0;
  let groups = 0;
  let methodSpread = 0;
  let biasConsistency = 0;
  let directPairs = 0;
  let pairs = 0;
  const passSettings: Record<string, unknown>[] = [];
  const tail = modes.tailErrorEstimate;
  // Mode-sum tail (E8): relative to L(0) + sigma^2 and to the value itself (static values can exceed L(0)).
  const tailAbs = (v: number) => tail * (L0 + sig2 + Math.abs(v));
  const scaleAbs = absTol * (L0 + sig2);
  const quantityStatus: Record<Quantity, Status[]> = {
    test: new Array<Status>(T).fill('converged'),
    train: new Array<Status>(T).fill('converged'),
    bias: new Array<Status>(T).fill('converged'),
    testA: new Array<Status>(T).fill('converged'),
  };
  // The tail part of an error is judged once, by tailErrorEstimate <= relTol above (it is relative to L(0));
  // the inversion part against relTol |value| + absTol (L(0) + sigma^2); below_error_estimate uses the whole error.
  const judge = (q: Quantity, i: number, value: number, error: number, tailPart: number): void => {
    const st = verifiedStatus(value, error, relTol * Math.abs(value) + scaleAbs + tailPart, true);
    quantityStatus[q][i] = worstStatus(quantityStatus[q][i], st);
    statusPerTime[i] = worstStatus(statusPerTime[i], st);
  };

  // Stability of discrete dynamics (E26, E27): eta E_max against the dynamics' limit.
  let eMax = NaN;
  let unstable = false;
  if (isDiscrete(dynamics)) {
    eMax = spectrumTop(ctx) + dynamics.ridge;
    const limit = stabilityLimit(dynamics);
    if (!(eMax < limit)) {
      unstable = true;
      messages.push(
        `${dynamicsLabel(dynamics)} is unstable here: E_max = ${eMax.toPrecision(6)} (top of the DMFT spectrum of F G plus ridge) must be below ${limit.toPrecision(6)} (${stabilityFormula(dynamics)})`,
      );
    }
  }

  if (unstable) {
    for (let i = 0; i < T; i++) {
      if (t[i] === 0) continue;
      statusPerTime[i] = 'unstable';
      for (const q of [...QUANTITIES, 'gap'] as const) {
        out[q][i] = NaN;
        err[q][i] = NaN;
      }
      for (const q of QUANTITIES) quantityStatus[q][i] = 'unstable';
    }
  } else if (free && tPos.length > 0) {
    // N = P = infinity: the single positive sum (E14), no contour (see freeResidual).
    const { lambda, c, weight } = modes;
    const T = tPos.length;
    const scheduled = scheduledDynamics(dynamics);
    const decays = scheduled === undefined ? undefined : scheduledDecays(scheduled, lambda, tPos);
    for (let r = 0; r < tPos.length; r++) {
      const i = posIdx[r];
      let b = 0;
      let mag = 0;
      for (let k = 0; k < lambda.length; k++) {
        const h = freeResidual(dynamics, lambda[k], tPos[r], decays?.[k * T + r]);
        const term = weight[k] * c[k] * h * h;
        b += term;
        mag += Math.abs(term);
      }
      out.bias[i] = b;
      out.test[i] = out.train[i] = out.testA[i] = b + sig2;
      // Each positive term carries ~(1 + |exponent|) eps <= ~750 eps relative error: floor 1000 eps x the sum. Under a
      // schedule each factor is a product over the steps, whose round-off grows like a few eps per step (as sgd-schedule.ts).
      const steps = decays === undefined ? 1 : Math.max(1, tPos[r] / 8);
      const e = inversionError(b, b, mag * 125 * steps, tail * (Math.abs(b) + sig2));
      for (const q of QUANTITIES) {
        err[q][i] = e;
        judge(q, i, q === 'bias' ? b : b + sig2, e, tail * (Math.abs(b) + sig2));
      }
    }
    passSettings.push({ rule: 'closed form, N = P = infinity (E14)' });
  } else if (tPos.length > 0) {
    // eMax picks the schedule: GD with eta E_max < 1 keeps the y-contour (E26); past it, and for momentum, eMax places the keyhole's closure (E27a).
    const common = { sigma, varianceTerm, dynamics, pairSums, eMax: Number.isNaN(eMax) ? undefined : eMax, keyholeMaxDrop: options.keyholeMaxDrop };
    const nested = estimateKind === 'nested';
    const primary = methodPass(ctx, modes, tPos, {
      ...common,
      method: methods[0],
      nodes: options.nodes?.[0] ?? (nested ? NUMERIC_DEFAULTS.nestedNodes[methods[0]] : undefined),
      windowRatio: options.windowRatio,
      grid: nested ? 'trapezoid' : 'midpoint',
    });
    // The second pass: every time ('coarse', 'check'), or only the times without nested sub-rules (the circle rule's).
    const secondTimes = nested ? tPos.filter((_, r) => Number.isNaN(primary.nested.test[0][r])) : tPos;
    const second =
      secondTimes.length === 0
        ? undefined
        : estimateKind === 'check'
          ? methodPass(ctx, modes, secondTimes, {
              ...common,
              method: methods[1],
              nodes: options.nodes?.[1],
              windowRatio: options.windowRatio,
              circleRadius: 3,
              circleNodesPerStep: CHECK_CIRCLE_NODES_PER_STEP,
              diagnostics: false,
            })
          : methodPass(ctx, modes, secondTimes, {
              ...common,
              method: methods[0],
              nodes: options.coarseNodes ?? NUMERIC_DEFAULTS.coarseNodes[methods[0]],
              windowRatio: options.windowRatio,
              circleNodesPerStep: NUMERIC_DEFAULTS.coarseCircleNodesPerStep,
              diagnostics: false,
            });
    const secondRow = rowsIn(tPos, second === undefined ? new Float64Array(0) : secondTimes);
    const p = primary;
    const q = second;
    // One meaning (inversion/verify.ts): the spread against the second rule, or the nested sub-rules' spread.
    const spread = (key: Quantity, r: number): number =>
      secondRow[r] >= 0 ? Math.abs(p[key][r] - q![key][secondRow[r]]) : nestedSpread(p.nested[key][0][r], p.nested[key][1][r], p.magnitude[key][r], p.nested[key][2][r]);
    const gapSpread = (r: number): number =>
      secondRow[r] >= 0
        ? Math.abs(p.test[r] - p.train[r] - (q!.test[secondRow[r]] - q!.train[secondRow[r]]))
        : nestedSpread(
            p.nested.test[0][r] - p.nested.train[0][r],
            p.nested.test[1][r] - p.nested.train[1][r],
            p.magnitude.test[r] + p.magnitude.train[r],
            p.nested.test[2][r] + p.nested.train[2][r],
          );
    for (const pass of q === undefined ? [p] : [p, q]) {
      iterations += pass.iterations;
      maxResidual = Math.max(maxResidual, pass.maxResidual);
      nodes += pass.nodes;
      groups += pass.groups;
      directPairs += pass.directPairs;
      pairs += pass.pairs;
      messages.push(...pass.messages);
      passSettings.push(pass.settings);
    }
    for (let r = 0; r < tPos.length; r++) {
      const i = posIdx[r];
      for (const key of QUANTITIES) {
        out[key][i] = p[key][r];
        // The keyhole rule's dropped closure (E27a) is shared by both rules: its bound is added, not compared.
        const s = spread(key, r);
        err[key][i] = spreadError(s, p.magnitude[key][r], tailAbs(p[key][r]) + p.dropped[key][r]);
        methodSpread = Math.max(methodSpread, s / (Math.abs(p[key][r]) + L0 + sig2));
      }
      out.gap[i] = p.test[r] - p.train[r];
      err.gap[i] = spreadError(
        gapSpread(r),
        p.magnitude.test[r] + p.magnitude.train[r],
        tailAbs(p.test[r]) + tailAbs(p.train[r]) + p.dropped.test[r] + p.dropped.train[r],
      );
      // The per-mode bias exists at the first time of each group (curve.ts): NaN elsewhere.
      if (!Number.isNaN(p.biasPerMode[r])) biasConsistency = Math.max(biasConsistency, Math.abs(p.bias[r] - p.biasPerMode[r]));
      statusPerTime[i] = worstStatus(statusPerTime[i], secondRow[r] >= 0 ? worstStatus(p.statusPerTime[r], q!.statusPerTime[secondRow[r]]) : p.statusPerTime[r]);
      for (const key of QUANTITIES) judge(key, i, p[key][r], err[key][i], tailAbs(p[key][r]));
    }
  }

  // t = 0 (E12: every residual starts at w*) and t = infinity (E16b; with ridge E25).
  let staticValues: StaticValues | undefined;
  let staticError: Record<Quantity, number> | undefined;
  for (let i = 0; i < T; i++) {
    if (t[i] === 0) {
      out.test[i] = L0 + sig2;
      out.train[i] = L0 + sig2;
      out.bias[i] = L0;
      out.testA[i] = L0 + sig2;
      out.gap[i] = 0;
      for (const key of QUANTITIES) err[key][i] = tail * L0;
    } else if (t[i] === Infinity && !unstable) {
      if (staticValues === undefined) {
        staticValues = staticFor(ctx, sigma, dynamics.ridge, E, free ? dynamics : undefined);
        staticError = staticSpread(problem, ctx, sigma, dynamics, E, staticValues, options.kappa);
      }
      const sv = staticValues;
      out.test[i] = sv.test;
      out.train[i] = sv.train;
      out.bias[i] = sv.bias;
      out.testA[i] = sv.testA;
      out.gap[i] = sv.gap;
      for (const key of QUANTITIES) {
        err[key][i] = (staticError?.[key] ?? 0) + 2 * tail * Math.abs(sv[key]);
        if (Number.isFinite(sv[key])) judge(key, i, sv[key], err[key][i], 2 * tail * Math.abs(sv[key]));
      }
      err.gap[i] = (staticError?.test ?? 0) + (staticError?.train ?? 0) + 2 * tail * (Math.abs(sv.test) + Math.abs(sv.train));
      statusPerTime[i] = worstStatus(statusPerTime[i], sv.status);
      if (sv.message) messages.push(sv.message);
    }
  }
  if (!varianceTerm) {
    for (let i = 0; i < T; i++) {
      if (t[i] === Infinity && !unstable) {
        out.test[i] = out.bias[i] + sig2;
        out.train[i] = out.bias[i] + sig2;
        out.testA[i] = out.bias[i] + sig2;
        out.gap[i] = 0;
      }
    }
  }

  // A value or error estimate that is not finite is never 'converged', whichever step produced it (STYLE 2).
  for (let i = 0; i < T; i++) {
    if (statusPerTime[i] === 'unstable') continue;
    for (const q of QUANTITIES) {
      if (Number.isFinite(out[q][i]) && Number.isFinite(err[q][i])) continue;
      quantityStatus[q][i] = worstStatus(quantityStatus[q][i], 'non_finite');
      statusPerTime[i] = worstStatus(statusPerTime[i], 'non_finite');
    }
  }

  const solution: CurveSolution = {
    t,
    ...out,
    errorEstimate: err,
    status: statusPerTime.reduce<Status>((a, b) => worstStatus(a, b), 'converged'),
    statusPerTime,
    quantityStatus,
    iterations,
    message: [...new Set(messages)].slice(0, 10).join('; '),
    diagnostics: {
      maxKappaResidual: maxResidual,
      kappaC: ctx.kappaC,
      nodes,
      groups,
      modesExact: modes.exactCount,
      modesQuadrature: modes.quadratureCount,
      tailErrorEstimate: modes.tailErrorEstimate,
      methodSpread,
      biasConsistency,
      directPairs,
      pairs,
      spectrumTop: eMax,
      messages: [...new Set(messages)],
    },
    parameters: { ...parametersOf(problem), dynamics: describeDynamics(dynamics) },
    settings: {
      methods: [...methods],
      errorEstimate:
        estimateKind === 'nested'
          ? `nested: ${methods[0]} on a trapezoid grid, sub-rules at steps 2h and 4h (circle-rule times: ${methods[0]} at fewer nodes)`
          : estimateKind === 'coarse'
            ? `coarse: ${methods[0]} at fewer nodes`
            : `check: ${methods[1]}`,
      inversion: passSettings,
      relTol,
      absTol,
      varianceTerm,
      pairSums,
      modes: modes.settings,
      kappa: ctx.options,
    },
  };
  if (E !== undefined) {
    // THEORY (E16a): L_E = L_A + (L - L_A) / E.
    solution.testE = new Float64Array(T);
    solution.errorEstimate.testE = new Float64Array(T);
    for (let i = 0; i < T; i++) {
      solution.testE[i] = out.testA[i] + (out.test[i] - out.testA[i]) / E;
      solution.errorEstimate.testE[i] = err.testA[i] + (err.test[i] + err.testA[i]) / E;
    }
  }
  return solution;
}

/** Static values for the dynamics' fixed point: E16b without ridge, E25 with (GD and momentum share it). */
function staticFor(ctx: KappaContext, sigma: number, ridge: number, E: number | undefined, freeDynamics?: Dynamics): StaticValues {
  if (freeDynamics !== undefined && ridge > 0) {
    // N = P = infinity with ridge: the single sum of freeResidual at t = infinity.
    const { lambda, c, weight } = ctx.modes;
    let b = 0;
    for (let k = 0; k < lambda.length; k++) {
      const h = freeResidual(freeDynamics, lambda[k], Infinity);
      b += weight[k] * c[k] * h * h;
    }
    const s2 = sigma * sigma;
    const v: StaticValues = { test: b + s2, train: b + s2, bias: b, gap: 0, testA: b + s2, kappa: ridge, denominator: 1, status: 'converged', message: '' };
    if (E !== undefined) v.testE = v.testA;
    return v;
  }
  return ridge > 0 ? staticRidge(ctx, sigma, ridge, E) : staticFromContext(ctx, sigma, E);
}

/** Error of the static values from the coarser mode rule (a second method for the derived sums, E8, E16b). */
function staticSpread(
  problem: ModelProblem,
  ctx: KappaContext,
  sigma: number,
  dynamics: Dynamics,
  E: number | undefined,
  values: StaticValues,
  kappaOptions: KappaOptions | undefined,
): Record<Quantity, number> {
  const spread: Record<Quantity, number> = { test: 0, train: 0, bias: 0, testA: 0 };
  const coarse = ctx.modes.coarse;
  if (coarse === undefined) return spread;
  const free = ctx.invN === 0 && ctx.invP === 0;
  const cctx = makeKappaContext(coarse, problem.N, problem.P, kappaOptions);
  const other = staticFor(cctx, sigma, dynamics.ridge, E, free ? dynamics : undefined);
  for (const key of QUANTITIES) {
    const d = Math.abs(values[key] - other[key]);
    if (Number.isFinite(d)) spread[key] = d;
  }
  return spread;
}

/**
 * One-pass SGD (THEORY E28) in the shape of a CurveSolution: the test loss
 * from the Volterra solver (sgd.ts); the train loss on the fresh minibatch has
 * the test loss's expectation (one pass: no sample is seen twice), so gap = 0;
 * the bias B(t) is that of the mean residual, which follows discrete GD at
 * P = infinity (E14, E26); L_A (a fixed data set) does not exist and is NaN
 * with status 'non_finite' for that quantity only. The SGD parts (GD part,
 * noise part, kernel) are kept in `sgd`.
 */
/**
 * The curve options an SGD solve honours; any other is refused rather than ignored (a silently ignored
 * `varianceTerm: false` would print the full loss as the negative control, an ignored `errorEstimate` or
 * `methods` would claim a check that was not run).
 */
const SGD_CURVE_OPTIONS: readonly (keyof CurveOptions)[] = ['relTol', 'absTol', 'windowRatio', 'modes'];
const SGD_REUSE_CURVE_OPTIONS: readonly (keyof CurveOptions)[] = ['relTol', 'absTol', 'modes'];

function refuseUnusedOptions(options: CurveOptions, used: readonly (keyof CurveOptions)[], solver: string): void {
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || used.includes(key as keyof CurveOptions)) continue;
    throw new InvalidArgumentError(`options.${key}`, `is not used by ${solver} (it takes ${used.join(', ')})`, value);
  }
  for (const [key, value] of Object.entries(options.modes ?? {})) {
    if (value !== undefined && key !== 'lambdaMargin') throw new InvalidArgumentError(`options.modes.${key}`, `is not used by ${solver} (it takes modes.lambdaMargin only)`, value);
  }
}

function solveSgdAsCurve(problem: CurveProblem, dynamics: OnePassSgd, options: CurveOptions): CurveSolution {
  if (problem.P !== Infinity || problem.sgdSampling !== undefined) return solveSgdReuseAsCurve(problem, dynamics, options);
  refuseUnusedOptions(options, SGD_CURVE_OPTIONS, 'the one-pass SGD solver (THEORY E28)');
  if (problem.ensembleSize !== undefined) throw new InvalidArgumentError('ensembleSize', 'is not defined for one-pass SGD (no fixed data set)', problem.ensembleSize);
  const sgd = solveSgdCurve(
    { spectrum: problem.spectrum, N: problem.N, P: Infinity, sigma: problem.sigma, t: problem.t, dynamics },
    { relTol: options.relTol, absTol: options.absTol, windowRatio: options.windowRatio, lambdaMargin: options.modes?.lambdaMargin },
  );
  const T = sgd.t.length;
  const biasCurve =
    sgd.status === 'unstable'
      ? undefined
      : solveCurve({ spectrum: problem.spectrum, N: problem.N, P: Infinity, sigma: 0, t: problem.t, dynamics: sgdMean(dynamics) }, options);
  const nan = () => new Float64Array(T).fill(Number.NaN);
  // gap = 0 (one pass), but an unstable step gets no number at all.
  const zeroGap = () => Float64Array.from(sgd.statusPerTime, (st) => (st === 'unstable' ? Number.NaN : 0));
  const biasStatus: Status[] = biasCurve?.quantityStatus.bias ?? new Array<Status>(T).fill('unstable');
  const statusPerTime = sgd.statusPerTime.map((st, i) => worstStatus(st, biasStatus[i]));
  const messages = [sgd.message, 'L_A (test_A) is not defined for one-pass SGD (no fixed data set)'].filter((m) => m !== '');
  return {
    t: sgd.t,
    test: sgd.test,
    train: Float64Array.from(sgd.test),
    bias: biasCurve?.bias ?? nan(),
    gap: zeroGap(),
    testA: nan(),
    errorEstimate: {
      test: sgd.errorEstimate.test,
      train: Float64Array.from(sgd.errorEstimate.test),
      bias: biasCurve?.errorEstimate.bias ?? nan(),
      gap: zeroGap(),
      testA: nan(),
    },
    status: statusPerTime.reduce<Status>((a, b) => worstStatus(a, b), 'converged'),
    statusPerTime,
    quantityStatus: {
      test: [...sgd.statusPerTime],
      train: [...sgd.statusPerTime],
      bias: biasStatus,
      testA: new Array<Status>(T).fill('non_finite'),
    },
    iterations: sgd.iterations + (biasCurve?.iterations ?? 0),
    message: messages.join('; '),
    diagnostics: {
      maxKappaResidual: sgd.diagnostics.maxKappaResidual,
      kappaC: sgd.diagnostics.kappaC,
      nodes: sgd.diagnostics.nodes,
      groups: sgd.diagnostics.groups,
      modesExact: sgd.diagnostics.modesExact,
      modesQuadrature: sgd.diagnostics.modesQuadrature,
      tailErrorEstimate: sgd.diagnostics.tailErrorEstimate,
      methodSpread: sgd.diagnostics.methodSpread,
      biasConsistency: 0,
      directPairs: 0,
      pairs: 0,
      spectrumTop: sgd.diagnostics.eMax,
      messages,
    },
    parameters: sgd.parameters,
    settings: { ...sgd.settings, bias: biasCurve?.settings },
    sgd: { signal: sgd.signal, noise: sgd.noise, kernel: sgd.kernel, errorEstimate: sgd.errorEstimate, diagnostics: sgd.diagnostics },
  };
}

/** SGD on P fixed samples (THEORY E28b): sgd-reuse.ts, with the curve options it understands. */
function solveSgdReuseAsCurve(problem: CurveProblem, dynamics: OnePassSgd, options: CurveOptions): CurveSolution {
  if (problem.P === Infinity) throw new InvalidArgumentError('sgdSampling', 'applies to SGD on a finite training set only (finite P)', problem.sgdSampling);
  if (problem.ensembleSize !== undefined) throw new InvalidArgumentError('ensembleSize', 'is not derived for SGD on fixed samples (L_E, THEORY E16a, is for gradient flow)', problem.ensembleSize);
  refuseUnusedOptions(options, SGD_REUSE_CURVE_OPTIONS, 'the SGD-on-P solver (THEORY E28b)');
  return solveSgdReuseCurve(
    { spectrum: problem.spectrum, N: problem.N, P: problem.P, sigma: problem.sigma, t: problem.t, dynamics, sampling: problem.sgdSampling },
    { relTol: options.relTol, absTol: options.absTol, lambdaMargin: options.modes?.lambdaMargin },
  );
}

/** Static limits t -> infinity in closed form (E16b; with ridge E25), with the kappa_c used. */
export function staticLimits(
  problem: ModelProblem & { sigma: number; ensembleSize?: number; dynamics?: Dynamics },
  options: Pick<CurveOptions, 'kappa' | 'modes'> = {},
): StaticValues & { errorEstimate: number; iterations: number; parameters: Record<string, unknown> } {
  validateModel(problem);
  const dynamics = validateDynamics({ ...problem, t: [0] });
  const sigma = validateSigma(problem.sigma);
  const modes = modesFor(problem, 1, options.modes, dynamics.ridge);
  const ctx = makeKappaContext(modes, problem.N, problem.P, options.kappa);
  const free = ctx.invN === 0 && ctx.invP === 0;
  const values = staticFor(ctx, sigma, dynamics.ridge, problem.ensembleSize, free ? dynamics : undefined);
  const spread = staticSpread(problem, ctx, sigma, dynamics, problem.ensembleSize, values, options.kappa);
  const scale = Number.isFinite(values.test) ? Math.abs(values.test) : 0;
  return {
    ...values,
    errorEstimate: spread.test + 2 * modes.tailErrorEstimate * scale,
    iterations: ctx.kappaCIterations,
    parameters: { ...parametersOf(problem), dynamics: describeDynamics(dynamics) },
  };
}

/** The result of solveKappa. */
export interface KappaSolution {
  value: {
    kappa: { re: number; im: number };
    R1: { re: number; im: number };
    R3: { re: number; im: number };
    R: { re: number; im: number };
    Q: { re: number; im: number };
  };
  /** Backward residual of (E11). */
  errorEstimate: number;
  status: Status;
  iterations: number;
  message: string;
  kappaC: number;
  parameters: Record<string, unknown>;
}

/** kappa(s) and R1, R3, R, Q on the physical branch (E11, E15a) at s off the cut (-inf, 0]. */
export function solveKappa(
  problem: ModelProblem,
  s: number | { re: number; im: number },
  options: Pick<CurveOptions, 'kappa' | 'modes'> = {},
): KappaSolution {
  validateModel(problem);
  const sr = typeof s === 'number' ? s : s?.re;
  const si = typeof s === 'number' ? 0 : s?.im;
  requireFinite('s (real part)', sr);
  requireFinite('s (imaginary part)', si);
  if (si === 0 && sr <= 0) throw new InvalidArgumentError('s', 'must not lie on the cut (-inf, 0] of kappa(s)', sr);
  const modes = modesFor(problem, Math.hypot(sr, si), options.modes);
  const ctx = makeKappaContext(modes, problem.N, problem.P, options.kappa);
  const r = solveKappaComplex(ctx, sr, si);
  return {
    value: {
      kappa: { re: r.kRe, im: r.kIm },
      R1: { re: r.r1Re, im: r.r1Im },
      R3: { re: r.r3Re, im: r.r3Im },
      R: { re: r.rRe, im: r.rIm },
      Q: { re: r.qRe, im: r.qIm },
    },
    errorEstimate: r.residual,
    status: worstStatus(r.status, ctx.kappaCStatus),
    iterations: r.iterations + ctx.kappaCIterations,
    message: r.message,
    kappaC: ctx.kappaC,
    parameters: parametersOf(problem),
  };
}

/** The result of transferFunctions: H_k(t) per mode with error estimates and statuses. */
export interface TransferSolution {
  t: Float64Array;
  /** Mode numbers k (1-based). */
  k: number[];
  /** value[m][i] = H_{k_m}(t_i) (E13; with ridge f H_k, E25). */
  value: Float64Array[];
  errorEstimate: Float64Array[];
  status: Status;
  statusPerTime: Status[];
  iterations: number;
  parameters: Record<string, unknown>;
  settings: Record<string, unknown>;
}

/**
 * Transfer functions H_k(t) for selected modes k (1-based) (E9, E13): the
 * fraction of mode k's residual left at time t, under the problem's dynamics
 * (E25-E27). t = 0 gives 1, t = infinity kappa_c / (kappa_c + lambda_k) (E12),
 * with ridge r H_k(r) (E25). Same schedule, error estimate (coarse contour,
 * round-off floor) and singularity check as solveCurve.
 */
export function transferFunctions(problem: TransferProblem, options?: TransferOptions): TransferSolution;
/** The same with the mode numbers and times as positional arguments (kept for existing callers; prefer the problem object). */
export function transferFunctions(problem: ModelProblem & { dynamics?: Dynamics }, ks: readonly number[], t: ArrayLike<number>, options?: TransferOptions): TransferSolution;
export function transferFunctions(
  problem: TransferProblem | (ModelProblem & { dynamics?: Dynamics }),
  second?: readonly number[] | TransferOptions,
  third?: ArrayLike<number>,
  fourth: TransferOptions = {},
): TransferSolution {
  if (Array.isArray(second)) return transferAt(problem, second, third as ArrayLike<number>, fourth);
  const p = problem as TransferProblem;
  return transferAt(p, p.modes, p.t, (second as TransferOptions | undefined) ?? {});
}

/** A transfer-function problem: the model, the mode numbers k (1-based) and the times. */
export interface TransferProblem extends ModelProblem {
  readonly modes: readonly number[];
  readonly t: ArrayLike<number>;
  readonly dynamics?: Dynamics;
}

/** Settings of transferFunctions (the inversion and mode-sum settings of a curve). */
export type TransferOptions = Pick<CurveOptions, 'kappa' | 'modes' | 'methods' | 'nodes' | 'windowRatio' | 'relTol' | 'absTol' | 'errorEstimate' | 'coarseNodes' | 'keyholeMaxDrop'>;

function transferAt(
  problem: ModelProblem & { dynamics?: Dynamics },
  ks: readonly number[],
  tIn: ArrayLike<number>,
  options: TransferOptions,
): TransferSolution {
  validateModel(problem);
  const dynamics = validateDynamics({ ...problem, sigma: 0, t: [0] });
  const t = validateTimesInput(tIn);
  checkTimes(dynamics, t, 't');
  checkTimeRange(t);
  const M = problem.spectrum.kind === 'power-law' ? problem.spectrum.M : problem.spectrum.lambda.length;
  if (!Array.isArray(ks) || ks.length === 0) throw new InvalidArgumentError('ks', 'must be a non-empty array of mode numbers', ks);
  const lam = ks.map((k, m) => {
    if (!Number.isInteger(k) || k < 1 || k > M) throw new InvalidArgumentError(`ks[${m}]`, `must be an integer mode number in 1..${M}`, k);
    return problem.spectrum.kind === 'power-law' ? Math.pow(k, -problem.spectrum.b) : problem.spectrum.lambda[k - 1];
  });
  const methods = options.methods ?? NUMERIC_DEFAULTS.methods;
  const estimateKind: ErrorEstimateKind = options.errorEstimate ?? NUMERIC_DEFAULTS.errorEstimate;
  if (!ESTIMATE_KINDS.includes(estimateKind)) throw new InvalidArgumentError('options.errorEstimate', `must be one of ${ESTIMATE_KINDS.join(', ')}`, estimateKind);
  const relTol = options.relTol ?? NUMERIC_DEFAULTS.relTol;
  const absTol = options.absTol ?? NUMERIC_DEFAULTS.absTol;
  const { posIdx, tPos, tMax } = contourTimes(t);
  const modes = modesFor(problem, 1 / Math.max(equivalentTime(dynamics, tMax), Number.MIN_VALUE), options.modes);
  const ctx = makeKappaContext(modes, problem.N, problem.P, options.kappa);
  const value = ks.map(() => new Float64Array(t.length));
  const errorEstimate = ks.map(() => new Float64Array(t.length));
  const statusPerTime: Status[] = new Array<Status>(t.length).fill(ctx.kappaCStatus);
  let iterations = ctx.kappaCIterations;
  const settings: Record<string, unknown>[] = [];
  const eMax = spectrumTop(ctx) + dynamics.ridge;
  if (isDiscrete(dynamics) && !(eMax < stabilityLimit(dynamics))) {
    for (let i = 0; i < t.length; i++) {
      if (t[i] === 0) continue;
      statusPerTime[i] = 'unstable';
      for (let m = 0; m < ks.length; m++) value[m][i] = errorEstimate[m][i] = NaN;
    }
  } else if (tPos.length > 0) {
    const keyholeMaxDrop = options.keyholeMaxDrop;
    const nested = estimateKind === 'nested';
    const p = transferPass(ctx, tPos, lam, { method: methods[0], nodes: options.nodes?.[0] ?? (nested ? NUMERIC_DEFAULTS.nestedNodes[methods[0]] : undefined), windowRatio: options.windowRatio, dynamics, eMax, keyholeMaxDrop, grid: nested ? 'trapezoid' : 'midpoint' });
    // The second pass: every time ('coarse', 'check'), or only the times without nested sub-rules (as solveCurve).
    const secondTimes = nested ? tPos.filter((_, r) => Number.isNaN(p.nested[0]?.[0][r] ?? NaN)) : tPos;
    const q =
      secondTimes.length === 0
        ? undefined
        : estimateKind === 'check'
          ? transferPass(ctx, secondTimes, lam, { method: methods[1], nodes: options.nodes?.[1], windowRatio: options.windowRatio, dynamics, eMax, keyholeMaxDrop, circleRadius: 3, circleNodesPerStep: 6.2 })
          : transferPass(ctx, secondTimes, lam, { method: methods[0], nodes: options.coarseNodes ?? NUMERIC_DEFAULTS.coarseNodes[methods[0]], windowRatio: options.windowRatio, dynamics, eMax, keyholeMaxDrop, circleNodesPerStep: NUMERIC_DEFAULTS.coarseCircleNodesPerStep });
    const secondRow = rowsIn(tPos, q === undefined ? new Float64Array(0) : secondTimes);
    iterations += p.iterations + (q?.iterations ?? 0);
    settings.push(p.settings, ...(q === undefined ? [] : [q.settings]));
    for (let r = 0; r < tPos.length; r++) {
      const i = posIdx[r];
      const k = secondRow[r];
      let st = k >= 0 ? worstStatus(p.statusPerTime[r], q!.statusPerTime[k]) : p.statusPerTime[r];
      for (let m = 0; m < ks.length; m++) {
        value[m][i] = p.values[m][r];
        // The keyhole rule's dropped closure (E27a) is shared by both rules: its bound is added, not compared.
        const s = k >= 0 ? Math.abs(p.values[m][r] - q!.values[m][k]) : nestedSpread(p.nested[m][0][r], p.nested[m][1][r], p.magnitude[m][r], p.nested[m][2][r]);
        const e = spreadError(s, p.magnitude[m][r], p.dropped[m][r]);
        errorEstimate[m][i] = e;
        st = worstStatus(st, verifiedStatus(p.values[m][r], e, relTol * Math.abs(p.values[m][r]) + absTol, false));
      }
      statusPerTime[i] = worstStatus(statusPerTime[i], st);
    }
  }
  const r = dynamics.ridge;
  const kAt = r > 0 ? solveKappaReal(ctx, r).kappa : ctx.kappaC;
  for (let i = 0; i < t.length; i++) {
    if (t[i] === 0) for (let m = 0; m < ks.length; m++) value[m][i] = 1;
    if (t[i] === Infinity && statusPerTime[i] !== 'unstable') {
      // THEORY (E12): H_k(infinity) = kappa_c / (kappa_c + lambda_k); with ridge r H_k(r) = kappa(r) / (kappa(r) + lambda_k) (E25).
      for (let m = 0; m < ks.length; m++) value[m][i] = kAt > 0 ? kAt / (kAt + lam[m]) : 0;
    }
  }
  return {
    t,
    k: [...ks],
    value,
    errorEstimate,
    status: statusPerTime.reduce<Status>((a, b) => worstStatus(a, b), 'converged'),
    statusPerTime,
    iterations,
    parameters: { ...parametersOf(problem), dynamics: describeDynamics(dynamics) },
    settings: { methods: [...methods], errorEstimate: estimateKind, inversion: settings, modes: modes.settings },
  };
}

/** For tests and tools: the mode set and kappa context a curve would use. */
export function numericContext(problem: ModelProblem, tMax = 1, options: Pick<CurveOptions, 'kappa' | 'modes'> = {}): KappaContext {
  validateModel(problem);
  return makeKappaContext(modesFor(problem, 1 / tMax, options.modes), problem.N, problem.P, options.kappa);
}

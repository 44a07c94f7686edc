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
import { GRADIENT_FLOW, type Dynamics } from '../dynamics/index.js';
import { describeSpectrum, type Spectrum } from '../spectrum/index.js';
import { methodPass, type MethodPass } from './curve.js';
import { NUMERIC_DEFAULTS } from './defaults.js';
import { crossingPoint, invert1, makePlan } from './inversion/index.js';
import type { ComplexArray, InversionMethodName } from './inversion/index.js';
import { makeKappaContext, solveKappaComplex, solveKappaNodes, type KappaContext, type KappaOptions } from './kappa.js';
import { modeQuadrature, type ModeQuadratureOptions, type ModeSet } from './modes.js';
import { staticFromContext, type StaticValues } from './static.js';

export { NUMERIC_DEFAULTS } from './defaults.js';
export { modeQuadrature, gaussLegendre, type ModeSet, type ModeQuadratureOptions } from './modes.js';
export { makeKappaContext, solveKappaReal, solveKappaNodes, solveKappaComplex, type KappaContext, type KappaNodes, type KappaOptions } from './kappa.js';
export type { StaticValues } from './static.js';

/** The model: spectrum (E7 or custom), model size N, data P (Infinity allowed), label noise sigma (E2). */
export interface ModelProblem {
  readonly spectrum: Spectrum;
  readonly N: number;
  readonly P: number;
}

export interface CurveProblem extends ModelProblem {
  readonly sigma: number;
  /** Times t >= 0; 0 and Infinity are answered analytically (E12, E16b). */
  readonly t: ArrayLike<number>;
  /** Ensemble size E for L_E (E16a); omitted: no testE. */
  readonly ensembleSize?: number;
  /** Training dynamics (src/dynamics); default unit-rate gradient flow (E5). */
  readonly dynamics?: Dynamics;
}

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
   * false: drop the variance terms of (E15) and report L = sigma^2 + B(t): a
   * negative control for comparisons with simulation. Default true.
   */
  readonly varianceTerm?: boolean;
}

export interface QuantityErrors {
  test: Float64Array;
  train: Float64Array;
  bias: Float64Array;
  gap: Float64Array;
  testA: Float64Array;
  testE?: Float64Array;
}

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
    /** max_t |primary - check| / (|value| + L(0)) over test, train, bias, testA. */
    methodSpread: number;
    /** max_t |B by per-mode inversion - B by the double transform| (consistency of the product rule). */
    biasConsistency: number;
    messages: string[];
  };
  parameters: Record<string, unknown>;
  settings: Record<string, unknown>;
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

/** lambdaMin for the mode quadrature: a margin below kappa_c (>= min(N,P)^-b for power laws) and 1/t_max. */
function modesFor(problem: ModelProblem, smallestScale: number, options?: CurveOptions['modes']): ModeSet {
  const margin = options?.lambdaMargin ?? NUMERIC_DEFAULTS.lambdaMargin;
  let scale = smallestScale;
  const nMin = Math.min(problem.N, problem.P);
  if (problem.spectrum.kind === 'power-law' && Number.isFinite(nMin)) scale = Math.min(scale, Math.pow(nMin, -problem.spectrum.b));
  if (!(scale > 0) || !Number.isFinite(scale)) scale = 1;
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
 * DMFT loss curves (THEORY E13-E16b) at the times problem.t (any order,
 * 0 and Infinity allowed). Throws InvalidArgumentError for invalid input only.
 */
export function solveCurve(problem: CurveProblem, options: CurveOptions = {}): CurveSolution {
  validateModel(problem);
  const dynamics = problem.dynamics ?? GRADIENT_FLOW;
  if (dynamics.kind !== 'gf' || dynamics.ridge !== 0) {
    throw new InvalidArgumentError('dynamics', 'is not supported by the numeric layer yet (gradient flow without ridge only)', dynamics.kind);
  }
  const sigma = validateSigma(problem.sigma);
  const t = validateTimesInput(problem.t);
  const E = problem.ensembleSize;
  if (E !== undefined && (!Number.isInteger(E) || E < 1)) throw new InvalidArgumentError('ensembleSize', 'must be an integer >= 1', E);
  const methods = options.methods ?? NUMERIC_DEFAULTS.methods;
  if (methods.length !== 2 || methods[0] === methods[1]) {
    throw new InvalidArgumentError('options.methods', 'must be two different inversion methods', methods);
  }
  const relTol = options.relTol ?? NUMERIC_DEFAULTS.relTol;
  const absTol = options.absTol ?? NUMERIC_DEFAULTS.absTol;
  const varianceTerm = options.varianceTerm ?? true;

  const { posIdx, tPos, tMax } = contourTimes(t);

  const modes = modesFor(problem, 1 / tMax, options.modes);
  const ctx = makeKappaContext(modes, problem.N, problem.P, options.kappa);
  const sig2 = sigma * sigma;
  const L0 = modes.sumC;
  const T = t.length;
  const out = {
    test: new Float64Array(T),
    train: new Float64Array(T),
    bias: new Float64Array(T),
    gap: new Float64Array(T),
    testA: new Float64Array(T),
  };
  const err: QuantityErrors = {
    test: new Float64Array(T),
    train: new Float64Array(T),
    bias: new Float64Array(T),
    gap: new Float64Array(T),
    testA: new Float64Array(T),
  };
  const statusPerTime: Status[] = new Array<Status>(T).fill(ctx.kappaCStatus);
  const messages: string[] = [];
  if (ctx.kappaCStatus !== 'converged') messages.push(`kappa_c: ${ctx.kappaCStatus}`);
  if (!(modes.tailErrorEstimate <= relTol)) {
    // THEORY (E8): the mode sums themselves are not accurate to relTol (e.g. a or b within ~0.05 of 1).
    statusPerTime.fill('unverified');
    messages.push(`mode-sum tail error estimate ${modes.tailErrorEstimate.toExponential(2)} exceeds relTol`);
  }
  let iterations = ctx.kappaCIterations;
  let maxResidual = 0;
  let nodes = 0;
  let groups = 0;
  let methodSpread = 0;
  let biasConsistency = 0;
  const passes: MethodPass[] = [];
  const tailAbs = modes.tailErrorEstimate * (L0 + sig2);

  if (tPos.length > 0) {
    for (let m = 0; m < 2; m++) {
      passes.push(
        methodPass(ctx, modes, tPos, {
          method: methods[m],
          nodes: options.nodes?.[m],
          windowRatio: options.windowRatio,
          sigma,
          varianceTerm,
        }),
      );
    }
    const [p, q] = passes;
    for (const pass of passes) {
      iterations += pass.iterations;
      maxResidual = Math.max(maxResidual, pass.maxResidual);
      nodes += pass.nodes;
      groups += pass.groups;
      messages.push(...pass.messages);
    }
    for (let r = 0; r < tPos.length; r++) {
      const i = posIdx[r];
      out.test[i] = p.test[r];
      out.train[i] = p.train[r];
      out.bias[i] = p.bias[r];
      out.testA[i] = p.testA[r];
      out.gap[i] = p.test[r] - p.train[r];
      const dTest = Math.abs(p.test[r] - q.test[r]);
      const dTrain = Math.abs(p.train[r] - q.train[r]);
      const dBias = Math.abs(p.bias[r] - q.bias[r]);
      const dA = Math.abs(p.testA[r] - q.testA[r]);
      const dGap = Math.abs(p.test[r] - p.train[r] - (q.test[r] - q.train[r]));
      err.test[i] = dTest + tailAbs;
      err.train[i] = dTrain + tailAbs;
      err.bias[i] = dBias + tailAbs;
      err.testA[i] = dA + tailAbs;
      err.gap[i] = dGap + 2 * tailAbs;
      biasConsistency = Math.max(biasConsistency, Math.abs(p.bias[r] - p.biasDouble[r]));
      let st = worstStatus(p.statusPerTime[r], q.statusPerTime[r]);
      const scaleAbs = absTol * (L0 + sig2);
      const pairs: Array<[number, number]> = [
        [dTest, p.test[r]],
        [dTrain, p.train[r]],
        [dBias, p.bias[r]],
        [dA, p.testA[r]],
      ];
      for (const [d, v] of pairs) {
        methodSpread = Math.max(methodSpread, d / (Math.abs(v) + L0 + sig2));
        if (!(d <= relTol * Math.abs(v) + scaleAbs)) st = worstStatus(st, 'unverified');
      }
      statusPerTime[i] = worstStatus(statusPerTime[i], st);
    }
  }

  // t = 0 (E12: H_k(0) = 1) and t = infinity (E16b).
  let staticValues: StaticValues | undefined;
  for (let i = 0; i < T; i++) {
    if (t[i] === 0) {
      out.test[i] = L0 + sig2;
      out.train[i] = L0 + sig2;
      out.bias[i] = L0;
      out.testA[i] = L0 + sig2;
      out.gap[i] = 0;
      for (const key of ['test', 'train', 'bias', 'testA'] as const) err[key][i] = modes.tailErrorEstimate * L0;
    } else if (t[i] === Infinity) {
      staticValues ??= staticFromContext(ctx, sigma, E);
      out.test[i] = staticValues.test;
      out.train[i] = staticValues.train;
      out.bias[i] = staticValues.bias;
      out.testA[i] = staticValues.testA;
      out.gap[i] = staticValues.gap;
      for (const key of ['test', 'train', 'bias', 'testA', 'gap'] as const) err[key][i] = tailAbs;
      statusPerTime[i] = worstStatus(statusPerTime[i], staticValues.status);
      if (staticValues.message) messages.push(staticValues.message);
    }
  }
  if (!varianceTerm) {
    for (let i = 0; i < T; i++) {
      if (t[i] === Infinity) {
        out.test[i] = out.bias[i] + sig2;
        out.train[i] = out.bias[i] + sig2;
        out.testA[i] = out.bias[i] + sig2;
        out.gap[i] = 0;
      }
    }
  }

  const solution: CurveSolution = {
    t,
    ...out,
    errorEstimate: err,
    status: statusPerTime.reduce<Status>((a, b) => worstStatus(a, b), 'converged'),
    statusPerTime,
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
      messages: [...new Set(messages)],
    },
    parameters: parametersOf(problem),
    settings: {
      methods: [...methods],
      inversion: passes.map((p) => p.settings),
      relTol,
      absTol,
      varianceTerm,
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

/** Static limits t -> infinity in closed form (E16b), with the kappa_c used. */
export function staticLimits(
  problem: ModelProblem & { sigma: number; ensembleSize?: number },
  options: Pick<CurveOptions, 'kappa' | 'modes'> = {},
): StaticValues & { errorEstimate: number; iterations: number; parameters: Record<string, unknown> } {
  validateModel(problem);
  const sigma = validateSigma(problem.sigma);
  const modes = modesFor(problem, 1, options.modes);
  const ctx = makeKappaContext(modes, problem.N, problem.P, options.kappa);
  const values = staticFromContext(ctx, sigma, problem.ensembleSize);
  return {
    ...values,
    errorEstimate: modes.tailErrorEstimate * (modes.sumC + sigma * sigma),
    iterations: ctx.kappaCIterations,
    parameters: parametersOf(problem),
  };
}

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

export interface TransferSolution {
  t: Float64Array;
  /** Mode numbers k (1-based). */
  k: number[];
  /** value[m][i] = H_{k_m}(t_i) (E13). */
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
 * fraction of mode k's residual left at time t. t = 0 gives 1, t = infinity
 * kappa_c / (kappa_c + lambda_k) (E12).
 */
export function transferFunctions(
  problem: ModelProblem,
  ks: readonly number[],
  tIn: ArrayLike<number>,
  options: Pick<CurveOptions, 'kappa' | 'modes' | 'methods' | 'nodes' | 'windowRatio' | 'relTol' | 'absTol'> = {},
): TransferSolution {
  validateModel(problem);
  const t = validateTimesInput(tIn);
  const M = problem.spectrum.kind === 'power-law' ? problem.spectrum.M : problem.spectrum.lambda.length;
  if (!Array.isArray(ks) || ks.length === 0) throw new InvalidArgumentError('ks', 'must be a non-empty array of mode numbers', ks);
  const lam = ks.map((k, m) => {
    if (!Number.isInteger(k) || k < 1 || k > M) throw new InvalidArgumentError(`ks[${m}]`, `must be an integer mode number in 1..${M}`, k);
    return problem.spectrum.kind === 'power-law' ? Math.pow(k, -problem.spectrum.b) : problem.spectrum.lambda[k - 1];
  });
  const methods = options.methods ?? NUMERIC_DEFAULTS.methods;
  const relTol = options.relTol ?? NUMERIC_DEFAULTS.relTol;
  const absTol = options.absTol ?? NUMERIC_DEFAULTS.absTol;
  const { posIdx, tPos, tMax } = contourTimes(t);
  const modes = modesFor(problem, 1 / tMax, options.modes);
  const ctx = makeKappaContext(modes, problem.N, problem.P, options.kappa);
  const value = ks.map(() => new Float64Array(t.length));
  const errorEstimate = ks.map(() => new Float64Array(t.length));
  const statusPerTime: Status[] = new Array<Status>(t.length).fill(ctx.kappaCStatus);
  let iterations = ctx.kappaCIterations;
  const settings: Record<string, unknown>[] = [];
  if (tPos.length > 0) {
    const results = methods.map((method, m) => {
      const plan = makePlan(method, tPos, { nodes: options.nodes?.[m], windowRatio: options.windowRatio });
      settings.push(plan.settings);
      const st: Status[] = new Array<Status>(tPos.length).fill('converged');
      const perK = lam.map(() => [] as ComplexArray[]);
      plan.groups.forEach((grp, g) => {
        const crossing = crossingPoint(plan, g);
        const nodes = solveKappaNodes(ctx, crossing > 0 ? crossing : Math.hypot(grp.re[0], grp.im[0]), grp.re, grp.im);
        iterations += nodes.totalIterations;
        const gs: Status = crossing > 0 ? nodes.worst : 'singularity_right_of_contour';
        for (let i = grp.tStart; i < grp.tEnd; i++) st[i] = worstStatus(st[i], gs);
        lam.forEach((l, m2) => {
          const n = grp.re.length;
          const v: ComplexArray = { re: new Float64Array(n), im: new Float64Array(n) };
          for (let j = 0; j < n; j++) {
            // H_k(s) = 1 / (s + lambda_k R)   THEORY (E9)
            const dr = grp.re[j] + l * nodes.rRe[j];
            const di = grp.im[j] + l * nodes.rIm[j];
            const d = dr * dr + di * di;
            v.re[j] = dr / d;
            v.im[j] = -di / d;
          }
          perK[m2].push(v);
        });
      });
      return { values: perK.map((vals) => invert1(plan, vals)), st };
    });
    const [p, q] = results;
    for (let r = 0; r < tPos.length; r++) {
      const i = posIdx[r];
      let st = worstStatus(p.st[r], q.st[r]);
      for (let m = 0; m < ks.length; m++) {
        value[m][i] = p.values[m][r];
        const d = Math.abs(p.values[m][r] - q.values[m][r]);
        errorEstimate[m][i] = d;
        if (!(d <= relTol * Math.abs(p.values[m][r]) + absTol)) st = worstStatus(st, 'unverified');
        if (!Number.isFinite(p.values[m][r])) st = 'non_finite';
      }
      statusPerTime[i] = worstStatus(statusPerTime[i], st);
    }
  }
  for (let i = 0; i < t.length; i++) {
    if (t[i] === 0) for (let m = 0; m < ks.length; m++) value[m][i] = 1;
    if (t[i] === Infinity) {
      // THEORY (E12): H_k(infinity) = kappa_c / (kappa_c + lambda_k) (0 when kappa_c = 0).
      for (let m = 0; m < ks.length; m++) value[m][i] = ctx.kappaC > 0 ? ctx.kappaC / (ctx.kappaC + lam[m]) : 0;
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
    parameters: parametersOf(problem),
    settings: { methods: [...methods], inversion: settings, modes: modes.settings },
  };
}

/** For tests and tools: the mode set and kappa context a curve would use. */
export function numericContext(problem: ModelProblem, tMax = 1, options: Pick<CurveOptions, 'kappa' | 'modes'> = {}): KappaContext {
  validateModel(problem);
  return makeKappaContext(modesFor(problem, 1 / tMax, options.modes), problem.N, problem.P, options.kappa);
}

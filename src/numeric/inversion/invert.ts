/**
 * Generic inversion with a verified result (STYLE 1-2, 5): invertLaplace and
 * invertLaplace2Diagonal evaluate a user transform at the nodes of two
 * independent contour rules, return the primary value, the spread between the
 * two as error estimate (THEORY E13), and a status per time.
 *
 * Status per time (and overall = the worst, core/solution.ts):
 * - 'non_finite': F returned NaN/Inf at a node of the time's group, or the
 *   result/estimate is not finite (overflow of e^{sigma0 t}, a pole on a node).
 * - 'singularity_right_of_contour': the real-axis probe (a), the shifted-
 *   contour comparison (b) or the imaginary-axis probe (c) (singularity.ts)
 *   found a singularity right of the contour of the time's group whose missed
 *   residue matters. Common causes: f grows like e^{p t} (fix: shift > p);
 *   f oscillates (complex poles near the imaginary axis; no fix at large t).
 * - 'unverified': errorEstimate > rtol |f| + atol max|f| (the two methods
 *   disagree: too few nodes, F not smooth enough, or F badly scaled).
 * - 'converged': otherwise.
 *
 * errorEstimate_i = max(|f_primary - f_check|, 8 eps sum_j 2 |V_ij F_j|)
 *                   + (missed residues of damped complex poles, probe (c)):
 * the spread between two contour families, floored by the roundoff level of
 * the primary's weighted sum (so an accidental agreement of the two methods
 * does not claim more than the arithmetic can deliver). Both families miss
 * the same residues, so the spread alone cannot see a singularity right of
 * both contours: that is what the probes are for.
 *
 * Cost: the rules (n per group and method), plus per group of the primary
 * about 48 real-axis + 96 imaginary-axis probe evaluations (more where a peak
 * or sign change is refined) and one shifted rule (n more). The DMFT callers
 * that sample their own transforms use makePlan/invert1 directly and can run
 * probeRealAxis/probeImaginaryAxis once on the scalar Q(s).
 */

import { InvalidArgumentError, requireFinite } from '../../core/errors.js';
import { worstStatus, type Solution, type Status } from '../../core/solution.js';
import { invert1, invert2Diagonal, magnitude1, mirrorTriangle, type ComplexArray, type PairValues } from './combine.js';
import { contourRealPartAt, crossingPoint, makePlan, validateTimes, type PlanOptions } from './contours.js';
import { INVERSION_DEFAULTS, INVERT_LAPLACE_DEFAULTS } from './defaults.js';
import { probeImaginaryAxis, probeRealAxis, type ComplexFunction } from './singularity.js';
import { inversionError } from './verify.js';
import type { InversionMethodName, InversionPlan } from './types.js';

/**
 * A Laplace transform F(s), s = re + i im. Either return [Re F, Im F] or write
 * them into `out` (length 2) and return nothing. Must satisfy F(conj s) =
 * conj F(s) (a real-valued f).
 */
export type LaplaceFunction = (re: number, im: number, out: Float64Array) => ArrayLike<number> | void;

/** A symmetric two-variable transform F(s, s') = F(s', s), F(conj s, conj s') = conj F(s, s'). */
export type LaplaceFunction2 = (
  sRe: number,
  sIm: number,
  s2Re: number,
  s2Im: number,
  out: Float64Array,
) => ArrayLike<number> | void;

/** Settings of invertLaplace (methods, nodes, tolerances, singularity checks). */
export interface InvertLaplaceOptions {
  /** Primary method (its value is returned). Default 'hyperbolic'. */
  readonly method?: InversionMethodName;
  /** Second method for the error estimate. Default 'parabolic'. */
  readonly checkMethod?: InversionMethodName;
  /** Nodes per group of the primary / check method (defaults per method, defaults.ts). */
  readonly nodes?: number;
  readonly checkNodes?: number;
  readonly windowRatio?: number;
  /** Contour shift sigma0 >= 0 for transforms with singularities right of 0. */
  readonly shift?: number;
  readonly sectorMargin?: number;
  readonly talbotRadius?: number;
  /** Tolerances deciding 'converged' vs 'unverified'. */
  readonly rtol?: number;
  readonly atol?: number;
  /** Run the singularity checks (default true; costs ~2x the evaluations). */
  readonly detectSingularities?: boolean;
  readonly probeShiftFactor?: number;
  readonly probeTolerance?: number;
  readonly probePoints?: number;
}

/** The result of invertLaplace: values, error estimates, statuses. */
export interface InversionSolution extends Solution<Float64Array> {
  /** f at the requested times (primary method). */
  value: Float64Array;
  /** Per time: max(|primary - check|, roundoff floor). */
  errorEstimate: Float64Array;
  /** Worst of `statuses`. */
  status: Status;
  statuses: Status[];
  /** The requested times (validated copy). */
  t: Float64Array;
  /** Value of the check method. */
  checkValue: Float64Array;
  methods: readonly [InversionMethodName, InversionMethodName];
  settings: Readonly<Record<string, number | string | boolean>>;
  /** Number of calls of F (all methods and checks). */
  evaluations: number;
  /** One pass, no iteration. */
  iterations: number;
}

const EPS = 2.220446049250313e-16;

function readOptions(options: InvertLaplaceOptions | undefined) {
  const o = options ?? {};
  const method = o.method ?? INVERT_LAPLACE_DEFAULTS.method;
  const checkMethod = o.checkMethod ?? INVERT_LAPLACE_DEFAULTS.checkMethod;
  if (method === checkMethod && (o.nodes ?? INVERSION_DEFAULTS.nodes[method]) === (o.checkNodes ?? INVERSION_DEFAULTS.nodes[checkMethod])) {
    throw new InvalidArgumentError('options.checkMethod', 'must differ from options.method (or use different checkNodes): the spread would be 0', checkMethod);
  }
  const rtol = requireFinite('options.rtol', o.rtol ?? INVERT_LAPLACE_DEFAULTS.rtol);
  const atol = requireFinite('options.atol', o.atol ?? INVERT_LAPLACE_DEFAULTS.atol);
  if (rtol < 0) throw new InvalidArgumentError('options.rtol', 'must be >= 0', rtol);
  if (atol < 0) throw new InvalidArgumentError('options.atol', 'must be >= 0', atol);
  const probeShiftFactor = requireFinite('options.probeShiftFactor', o.probeShiftFactor ?? INVERT_LAPLACE_DEFAULTS.probeShiftFactor);
  if (!(probeShiftFactor > 0)) throw new InvalidArgumentError('options.probeShiftFactor', 'must be > 0', probeShiftFactor);
  const probeTolerance = requireFinite('options.probeTolerance', o.probeTolerance ?? INVERT_LAPLACE_DEFAULTS.probeTolerance);
  if (!(probeTolerance > 0)) throw new InvalidArgumentError('options.probeTolerance', 'must be > 0', probeTolerance);
  const probePoints = o.probePoints ?? INVERT_LAPLACE_DEFAULTS.probePoints;
  if (!Number.isInteger(probePoints) || probePoints < 2) throw new InvalidArgumentError('options.probePoints', 'must be an integer >= 2', probePoints);
  const common: PlanOptions = {
    windowRatio: o.windowRatio,
    shift: o.shift,
    sectorMargin: o.sectorMargin,
    talbotRadius: o.talbotRadius,
  };
  return {
    method,
    checkMethod,
    primary: { ...common, nodes: o.nodes },
    check: { ...common, nodes: o.checkNodes },
    rtol,
    atol,
    detect: o.detectSingularities ?? true,
    probeShiftFactor,
    probeTolerance,
    probePoints,
  };
}

function requireFunction(name: string, f: unknown): void {
  if (typeof f !== 'function') throw new InvalidArgumentError(name, 'must be a function', typeof f);
}

/** Calls F and normalizes its two calling conventions into out[0], out[1]. */
function call1(F: LaplaceFunction, re: number, im: number, out: Float64Array): void {
  out[0] = NaN;
  out[1] = NaN;
  const r = F(re, im, out);
  if (r !== undefined && r !== null && r !== out) {
    out[0] = r[0];
    out[1] = r[1];
  }
}

function call2(F: LaplaceFunction2, a: number, b: number, c: number, d: number, out: Float64Array): void {
  out[0] = NaN;
  out[1] = NaN;
  const r = F(a, b, c, d, out);
  if (r !== undefined && r !== null && r !== out) {
    out[0] = r[0];
    out[1] = r[1];
  }
}

export interface SampledValues {
  readonly values: ComplexArray[];
  /** Per group: some F value was not finite. */
  readonly nonFinite: boolean[];
  readonly evaluations: number;
}

/** F at every node of `plan`, group by group (what callers reuse across times). */
export function sampleTransform(plan: InversionPlan, F: LaplaceFunction): SampledValues {
  requireFunction('F', F);
  const out = new Float64Array(2);
  const values: ComplexArray[] = [];
  const nonFinite: boolean[] = [];
  let evaluations = 0;
  for (const g of plan.groups) {
    const n = g.re.length;
    const re = new Float64Array(n);
    const im = new Float64Array(n);
    let bad = false;
    for (let j = 0; j < n; j++) {
      call1(F, g.re[j], g.im[j], out);
      evaluations++;
      re[j] = out[0];
      im[j] = out[1];
      if (!Number.isFinite(out[0]) || !Number.isFinite(out[1])) bad = true;
    }
    values.push({ re, im });
    nonFinite.push(bad);
  }
  return { values, nonFinite, evaluations };
}

export interface SampledPairValues {
  readonly values: PairValues[];
  readonly nonFinite: boolean[];
  readonly evaluations: number;
}

/** same/cross matrices of a symmetric F(s, s') at every group (a <= b evaluated, then mirrored). */
export function sampleTransform2(plan: InversionPlan, F: LaplaceFunction2): SampledPairValues {
  requireFunction('F', F);
  const out = new Float64Array(2);
  const values: PairValues[] = [];
  const nonFinite: boolean[] = [];
  let evaluations = 0;
  for (const g of plan.groups) {
    const n = g.re.length;
    const same = { re: new Float64Array(n * n), im: new Float64Array(n * n) };
    const cross = { re: new Float64Array(n * n), im: new Float64Array(n * n) };
    let bad = false;
    for (let a = 0; a < n; a++) {
      for (let b = a; b < n; b++) {
        call2(F, g.re[a], g.im[a], g.re[b], g.im[b], out);
        same.re[a * n + b] = out[0];
        same.im[a * n + b] = out[1];
        if (!Number.isFinite(out[0]) || !Number.isFinite(out[1])) bad = true;
        call2(F, g.re[a], g.im[a], g.re[b], -g.im[b], out);
        cross.re[a * n + b] = out[0];
        cross.im[a * n + b] = out[1];
        if (!Number.isFinite(out[0]) || !Number.isFinite(out[1])) bad = true;
        evaluations += 2;
      }
    }
    values.push(mirrorTriangle({ same, cross }, n));
    nonFinite.push(bad);
  }
  return { values, nonFinite, evaluations };
}


function termMagnitude2(plan: InversionPlan, values: readonly PairValues[]): Float64Array {
  const m = new Float64Array(plan.t.length);
  plan.groups.forEach((g, k) => {
    const n = g.re.length;
    const { same, cross } = values[k];
    for (let i = g.tStart; i < g.tEnd; i++) {
      const row = (i - g.tStart) * n;
      let acc = 0;
      for (let a = 0; a < n; a++) {
        const va = Math.hypot(g.wRe[row + a], g.wIm[row + a]);
        if (va === 0) continue;
        for (let b = 0; b < n; b++) {
          const vb = Math.hypot(g.wRe[row + b], g.wIm[row + b]);
          const idx = a * n + b;
          acc += va * vb * (Math.hypot(same.re[idx], same.im[idx]) + Math.hypot(cross.re[idx], cross.im[idx]));
        }
      }
      m[i] = 2 * acc;
    }
  });
  return m;
}

interface Engine {
  /** Samples F on a plan and combines: value, magnitude of terms, non-finite flags per group. */
  run(plan: InversionPlan): { f: Float64Array; mag: Float64Array; nonFinite: boolean[]; evaluations: number };
  /** Real-axis function(s) to probe right of the crossing x_c. */
  probes(crossing: number): ((x: number, out: Float64Array) => void)[];
  /** The transform as a function of one complex variable, for the imaginary-axis probe. */
  complexProbe(crossing: number): ComplexFunction;
}

function solve(engine: Engine, t: ArrayLike<number>, options: InvertLaplaceOptions | undefined, kind: string): InversionSolution {
  const times = validateTimes(t);
  const o = readOptions(options);
  const planP = makePlan(o.method, times, o.primary);
  const planC = makePlan(o.checkMethod, times, o.check);
  const P = engine.run(planP);
  const C = engine.run(planC);
  let evaluations = P.evaluations + C.evaluations;
  const nt = times.length;
  const estimate = new Float64Array(nt);
  const statuses: Status[] = new Array<Status>(nt).fill('converged');
  const messages = new Set<string>();
  const badC = new Uint8Array(nt);
  planC.groups.forEach((g, k) => {
    if (C.nonFinite[k]) for (let i = g.tStart; i < g.tEnd; i++) badC[i] = 1;
  });
  for (let i = 0; i < nt; i++) {
    estimate[i] = inversionError(P.f[i], C.f[i], P.mag[i]);
  }
  // Scale for the absolute tolerance: max |f| over the times where f is known
  // to at least one digit, so garbage at failing times (e.g. e^{sigma0 t}
  // amplified noise) cannot inflate the tolerance of the others.
  let scale = 0;
  for (let i = 0; i < nt; i++) {
    if (Number.isFinite(P.f[i]) && estimate[i] <= 0.1 * Math.abs(P.f[i])) scale = Math.max(scale, Math.abs(P.f[i]));
  }
  planP.groups.forEach((g, k) => {
    const t0 = times[g.tStart];
    const t1 = times[g.tEnd - 1];
    const span = `t in [${t0.toPrecision(4)}, ${t1.toPrecision(4)}]`;
    let groupNonFinite = P.nonFinite[k];
    for (let i = g.tStart; i < g.tEnd; i++) {
      if (badC[i] || !Number.isFinite(P.f[i]) || !Number.isFinite(estimate[i])) groupNonFinite = true;
    }
    if (groupNonFinite) {
      for (let i = g.tStart; i < g.tEnd; i++) statuses[i] = 'non_finite';
      messages.add(`${span}: F or the result is not finite (a pole on a node, overflow of e^{s t}, or F undefined)`);
      return;
    }
    if (!o.detect) return;
    // (a) real-axis probe right of this group's crossing.
    const xc = crossingPoint(planP, k);
    for (const probe of engine.probes(xc)) {
      const r = probeRealAxis(probe, xc, o.probePoints);
      evaluations += r.evaluations;
      if (r.singular) {
        for (let i = g.tStart; i < g.tEnd; i++) statuses[i] = 'singularity_right_of_contour';
        messages.add(`${span}: ${r.reason}`);
        return;
      }
    }
    // (c) poles off the real axis: peaks of |F| along Re s = sigma0. A pole at
    // p = sigma0 - delta + i omega right of this group's contour is missed; its
    // residue contributes ~ 2 |R| e^{Re p t}: flag it when significant, else
    // add it to the error estimate (honest estimate, STYLE 5).
    const sigma0 = Number(planP.settings.shift);
    const cp = engine.complexProbe(xc);
    const im = probeImaginaryAxis((x, y, out) => cp(sigma0 + x, y, out), 1e-3 * (xc - sigma0), o.probePoints);
    evaluations += im.evaluations;
    if (im.singular) {
      for (let i = g.tStart; i < g.tEnd; i++) statuses[i] = 'singularity_right_of_contour';
      messages.add(`${span}: ${im.reason}`);
      return;
    }
    for (const peak of im.peaks) {
      const rePole = sigma0 + (peak.rightHalfPlane ? peak.delta : -peak.delta);
      if (!(rePole > contourRealPartAt(planP, k, peak.omega))) continue; // enclosed: the rule accounts for it
      for (let i = g.tStart; i < g.tEnd; i++) {
        const missed = 2 * peak.residue * Math.exp(rePole * times[i]);
        if (peak.rightHalfPlane || !(missed <= o.probeTolerance * Math.max(Math.abs(P.f[i]), o.atol * scale))) {
          for (let j = g.tStart; j < g.tEnd; j++) statuses[j] = 'singularity_right_of_contour';
          messages.add(
            peak.residue === Infinity
              ? `${span}: F blows up near s = ${rePole.toPrecision(3)} + ${peak.omega.toPrecision(6)} i, right of the contour (a pole: undamped oscillation, not invertible with these contours at these times)`
              : `${span}: |F| peaks near s = ${rePole.toPrecision(3)} + ${peak.omega.toPrecision(6)} i, right of the contour (a complex pole, residue ~ ${peak.residue.toPrecision(3)}; at these times the contour, of height ~ nodes/t near the axis, passes left of it and a shift does not enclose it: more nodes or shorter times)`,
          );
          return;
        }
        estimate[i] += missed;
      }
    }
    // (b) the same rule on a contour shifted right by probeShiftFactor x (x_c - sigma0).
    const shifted = makePlan(o.method, times.subarray(g.tStart, g.tEnd), {
      ...o.primary,
      shift: sigma0 + o.probeShiftFactor * (xc - sigma0),
    });
    const S = engine.run(shifted);
    evaluations += S.evaluations;
    for (let i = g.tStart; i < g.tEnd; i++) {
      const fs = S.f[i - g.tStart];
      const diff = Math.abs(fs - P.f[i]);
      const allowed =
        o.probeTolerance * Math.max(Math.abs(P.f[i]), Math.abs(fs), o.atol * scale) + 1e3 * EPS * (P.mag[i] + S.mag[i - g.tStart]) + 10 * estimate[i];
      if (!(diff <= allowed)) {
        for (let j = g.tStart; j < g.tEnd; j++) statuses[j] = 'singularity_right_of_contour';
        messages.add(
          `${span}: the contour shifted right by ${(xc - sigma0).toPrecision(3)} gives ${fs.toPrecision(6)} instead of ${P.f[i].toPrecision(6)} at t = ${times[i].toPrecision(4)}: a singularity lies between the contours (use options.shift)`,
        );
        return;
      }
    }
  });
  for (let i = 0; i < nt; i++) {
    if (statuses[i] !== 'converged') continue;
    if (!(estimate[i] <= o.rtol * Math.abs(P.f[i]) + o.atol * scale)) {
      statuses[i] = 'unverified';
      messages.add(`t = ${times[i].toPrecision(4)}: ${o.method} and ${o.checkMethod} differ by ${estimate[i].toPrecision(3)} (> rtol |f| + atol max|f|)`);
    }
  }
  const status = statuses.reduce<Status>((a, b) => worstStatus(a, b), 'converged');
  const list = [...messages];
  return {
    value: P.f,
    errorEstimate: estimate,
    status,
    statuses,
    t: times,
    checkValue: C.f,
    methods: [o.method, o.checkMethod],
    settings: Object.freeze({
      kind,
      method: o.method,
      checkMethod: o.checkMethod,
      nodes: Number(planP.settings.nodes),
      checkNodes: Number(planC.settings.nodes),
      windowRatio: Number(planP.settings.windowRatio ?? NaN),
      shift: Number(planP.settings.shift),
      groups: planP.groups.length,
      rtol: o.rtol,
      atol: o.atol,
      detectSingularities: o.detect,
      probeShiftFactor: o.probeShiftFactor,
      probeTolerance: o.probeTolerance,
      probePoints: o.probePoints,
    }),
    evaluations,
    iterations: 1,
    ...(list.length > 0 ? { message: list.slice(0, 5).join('; ') + (list.length > 5 ? `; ... (${list.length - 5} more)` : '') } : {}),
  };
}

/**
 * f(t) = L^{-1}[F](t) at each t (THEORY E13), verified by a second method and
 * checked for singularities right of the contour (see module comment).
 * Throws InvalidArgumentError for invalid t (empty, NaN, non-finite, <= 0,
 * not ascending), a non-function F, or invalid options; every numerical
 * failure is a status instead.
 * Cost: n_primary x groups + n_check x groups (talbot: x times) evaluations,
 * about doubled by the singularity checks (detectSingularities: false skips them).
 */
export function invertLaplace(F: LaplaceFunction, t: ArrayLike<number>, options?: InvertLaplaceOptions): InversionSolution {
  requireFunction('F', F);
  const engine: Engine = {
    run(plan) {
      const s = sampleTransform(plan, F);
      return { f: invert1(plan, s.values), mag: magnitude1(plan, s.values), nonFinite: s.nonFinite, evaluations: s.evaluations };
    },
    probes: () => [(x, o) => call1(F, x, 0, o)],
    complexProbe: () => (x, y, o) => call1(F, x, y, o),
  };
  return solve(engine, t, options, 'single');
}

/**
 * f(t) = ILT2[F](t, t) for a symmetric two-variable transform (THEORY E15),
 * by the product of two one-variable rules (combine.ts invert2Diagonal; see
 * there where the product rule fails). Same checks and statuses as
 * invertLaplace; the real-axis probes run along s = s' = x and along
 * (x, x_c), x >= x_c. Cost per group n (n + 1) evaluations per method.
 */
export function invertLaplace2Diagonal(F: LaplaceFunction2, t: ArrayLike<number>, options?: InvertLaplaceOptions): InversionSolution {
  requireFunction('F', F);
  const engine: Engine = {
    run(plan) {
      const s = sampleTransform2(plan, F);
      return { f: invert2Diagonal(plan, s.values), mag: termMagnitude2(plan, s.values), nonFinite: s.nonFinite, evaluations: s.evaluations };
    },
    probes: (xc) => [(x, o) => call2(F, x, 0, x, 0, o), (x, o) => call2(F, x, 0, xc, 0, o)],
    complexProbe: (xc) => (x, y, o) => call2(F, x, y, xc, 0, o),
  };
  return solve(engine, t, options, 'double-diagonal');
}

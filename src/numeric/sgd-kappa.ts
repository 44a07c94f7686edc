/**
 * The effective ridge at P = infinity on the left of the spectrum of T, and
 * the spectral edge E_max (THEORY E15a, E26, E28).
 *
 * At P = infinity (E15a) u = phi(kappa) = kappa (1 - g(kappa)/N) with
 * g(kappa) = sum_k lambda_k / (kappa + lambda_k); H_k(u) = kappa / (u (kappa + lambda_k))
 * and Q(u) = g(kappa(u)) = tr[T (u + T)^-1]. The one-pass SGD transform
 * (sgd.ts) needs these at conj(u2) = -(1 + conj zeta)/(eta gamma), which starts
 * LEFT of the spectrum [-E_max, 0] of -T on the real axis (-(1 + zeta_0)/(eta gamma)
 * < -2/(eta gamma) < -E_max when stable) and, when eta gamma E_max > 1, passes
 * above the spectrum at height Im zeta/(eta gamma) along the contour (tested up
 * to eta E_max = 1.95 against the GD solver, and against the numpy reference).
 * The solver of kappa.ts continues from a real point u > 0, and any path from
 * there to such a point at small height crosses over the cut; here the
 * continuation starts on the real axis left of the spectrum instead, where the
 * physical root is real:
 * - for kappa < -lambda_max every kappa + lambda_k < 0, phi increases from
 *   -infinity (kappa -> -infinity, phi ~ kappa) to its maximum phi(kappa*) =
 *   -E_max at the critical point phi'(kappa*) = 0, the top edge of the
 *   spectrum of T (Silverstein-Choi: the edges of a deterministic-equivalent
 *   spectrum are the critical values of phi); so every real u < -E_max has one
 *   root kappa in (-infinity, kappa*), the branch continuous with kappa ~ u at
 *   u -> -infinity (N -> infinity gives kappa = u);
 * - off the axis, Euler predictor dkappa/du = 1/phi'(kappa) plus Newton along
 *   the caller's ordered path, halving a step whose Newton correction is
 *   larger than the step itself (as kappa.ts does).
 * Checks: the backward residual |phi(kappa) - u| / (|kappa| (1 + |g|/N)) and,
 * for Im u > 0, the Stieltjes sign Im(u + lambda_max R) > 0 (R = u / kappa),
 * i.e. Im H_k < 0 for every mode.
 */
import type { Status } from '../core/solution.js';
import { worstStatus } from '../core/solution.js';
import type { modeQuadrature } from './modes.js';

type ModeSet = ReturnType<typeof modeQuadrature>;

export interface LeftKappaOptions {
  readonly tolerance: number;
  readonly residualTolerance: number;
  readonly newtonIterations: number;
  readonly maxDepth: number;
}

/** g(kappa), g'(kappa) at complex kappa into out = [gRe, gIm, dgRe, dgIm]. */
function gAndSlope(modes: ModeSet, kr: number, ki: number, out: Float64Array): void {
  const { lambda, weight } = modes;
  let gr = 0;
  let gi = 0;
  let dr = 0;
  let di = 0;
  for (let j = 0; j < lambda.length; j++) {
    const wl = weight[j] * lambda[j];
    const ar = kr + lambda[j];
    const den = 1 / (ar * ar + ki * ki);
    const ir = ar * den;
    const ii = -ki * den;
    gr += wl * ir;
    gi += wl * ii;
    dr -= wl * (ir * ir - ii * ii);
    di -= wl * 2 * ir * ii;
  }
  out[0] = gr;
  out[1] = gi;
  out[2] = dr;
  out[3] = di;
}

/** phi(kappa) = kappa (1 - g/N) and phi'(kappa) = 1 - g/N - kappa g'/N on the real axis. */
function phiReal(modes: ModeSet, invN: number, kappa: number, scratch: Float64Array): { phi: number; dphi: number } {
  gAndSlope(modes, kappa, 0, scratch);
  const g = scratch[0];
  const dg = scratch[2];
  return { phi: kappa * (1 - g * invN), dphi: 1 - g * invN - kappa * dg * invN };
}

export interface SpectralEdge {
  /** Top of the spectrum of T = Lambda^1/2 F Lambda^1/2 (deterministic equivalent). */
  readonly eMax: number;
  /** kappa* < -lambda_max with phi'(kappa*) = 0 (Infinity-free: -lambda_max at N = infinity). */
  readonly kappaStar: number;
  readonly iterations: number;
  readonly status: Status;
}

/**
 * THEORY (E26, E28): E_max = -phi(kappa*), kappa* the critical point of phi
 * below -lambda_max (bisection in log(-kappa - lambda_max); phi' goes from
 * -infinity at -lambda_max to 1 at -infinity). N = infinity: E_max = lambda_max.
 */
export function spectralEdge(modes: ModeSet, invN: number): SpectralEdge {
  const lmax = modes.lambdaMax;
  if (invN === 0) return { eMax: lmax, kappaStar: -lmax, iterations: 0, status: 'converged' };
  const scratch = new Float64Array(4);
  const slope = (x: number) => phiReal(modes, invN, -lmax - Math.exp(x), scratch).dphi;
  let hi = Math.log(lmax + modes.trace * invN + 1e-300);
  let lo = hi;
  let iterations = 0;
  while (slope(hi) <= 0 && iterations < 200) {
    hi += 2;
    iterations++;
  }
  while (slope(lo) >= 0 && iterations < 400) {
    lo -= 2;
    iterations++;
  }
  if (!(slope(hi) > 0 && slope(lo) < 0)) return { eMax: NaN, kappaStar: NaN, iterations, status: 'non_finite' };
  for (let i = 0; i < 200 && hi - lo > 1e-15 * Math.max(1, Math.abs(hi)); i++, iterations++) {
    const mid = 0.5 * (lo + hi);
    if (slope(mid) > 0) hi = mid;
    else lo = mid;
  }
  const kappaStar = -lmax - Math.exp(0.5 * (lo + hi));
  return { eMax: -phiReal(modes, invN, kappaStar, scratch).phi, kappaStar, iterations, status: 'converged' };
}

/** The physical real root kappa < kappa* of phi(kappa) = u for real u < -E_max (bracketed Newton). */
export function solveLeftReal(
  modes: ModeSet,
  invN: number,
  edge: SpectralEdge,
  u: number,
  options: LeftKappaOptions,
): { kappa: number; iterations: number; status: Status } {
  if (invN === 0) return { kappa: u, iterations: 0, status: 'converged' };
  if (!(u < -edge.eMax)) return { kappa: NaN, iterations: 0, status: 'non_finite' };
  const scratch = new Float64Array(4);
  // phi(u) = u (1 + |g(u)|/N) <= u: lo = u brackets from below; phi(kappa*) = -E_max > u from above.
  let lo = Math.min(u, edge.kappaStar);
  let hi = edge.kappaStar;
  let kappa = lo;
  let status: Status = 'max_iter';
  let iterations = 0;
  for (; iterations < 200; iterations++) {
    const { phi, dphi } = phiReal(modes, invN, kappa, scratch);
    const f = phi - u;
    if (f < 0) lo = kappa;
    else hi = kappa;
    let next = kappa - f / dphi;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    const done = Math.abs(next - kappa) <= options.tolerance * Math.abs(kappa) || hi - lo <= options.tolerance * Math.abs(hi);
    kappa = next;
    if (done) {
      status = 'converged';
      break;
    }
  }
  return { kappa, iterations, status };
}

export interface LeftKappaPath {
  readonly kRe: Float64Array;
  readonly kIm: Float64Array;
  readonly residual: Float64Array;
  readonly worst: Status;
  readonly iterations: number;
  readonly maxResidual: number;
  readonly message: string;
}

/**
 * kappa along an ordered path of points u_j (upper half plane or real, left
 * of the spectrum at its start), continued from the real point u0 < -E_max.
 */
export function continueLeftPath(
  modes: ModeSet,
  invN: number,
  edge: SpectralEdge,
  u0: number,
  uRe: Float64Array,
  uIm: Float64Array,
  options: LeftKappaOptions,
): LeftKappaPath {
  const n = uRe.length;
  const kRe = new Float64Array(n);
  const kIm = new Float64Array(n);
  const residual = new Float64Array(n);
  let worst: Status = 'converged';
  let message = '';
  if (invN === 0) {
    kRe.set(uRe);
    kIm.set(uIm);
    return { kRe, kIm, residual, worst, iterations: 0, maxResidual: 0, message };
  }
  const start = solveLeftReal(modes, invN, edge, u0, options);
  let iterations = start.iterations;
  if (start.status !== 'converged') {
    worst = start.status;
    message = `real start u = ${u0}: ${start.status}`;
  }
  const scratch = new Float64Array(4);
  let cr = u0;
  let ci = 0;
  let kr = start.kappa;
  let ki = 0;
  let maxResidual = 0;
  for (let j = 0; j < n; j++) {
    const step = continueStep(modes, invN, cr, ci, kr, ki, uRe[j], uIm[j], 0, options, scratch);
    kr = step.kr;
    ki = step.ki;
    iterations += step.iterations;
    cr = uRe[j];
    ci = uIm[j];
    // Backward residual and Stieltjes sign.
    gAndSlope(modes, kr, ki, scratch);
    const ar = 1 - scratch[0] * invN;
    const ai = -scratch[1] * invN;
    const fr = kr * ar - ki * ai - cr;
    const fi = kr * ai + ki * ar - ci;
    const res = Math.hypot(fr, fi) / (Math.hypot(kr, ki) * (1 + Math.hypot(scratch[0], scratch[1]) * invN));
    residual[j] = res;
    maxResidual = Math.max(maxResidual, res);
    let status: Status = step.ok ? 'converged' : 'max_iter';
    if (!Number.isFinite(kr) || !Number.isFinite(ki)) status = 'non_finite';
    if (status === 'converged' && !(res <= options.residualTolerance)) status = 'unverified';
    if (status === 'converged' && ci > 0) {
      // R = u / kappa; Im(u + lambda_max R) must be > 0.
      const kd = kr * kr + ki * ki;
      const rIm = (ci * kr - cr * ki) / kd;
      if (ci + modes.lambdaMax * rIm < -1e-12 * Math.hypot(cr, ci)) status = 'unverified';
    }
    if (status !== 'converged' && message === '') message = `left node u = ${cr} + ${ci}i: ${status} (residual ${res.toExponential(2)})`;
    worst = worstStatus(worst, status);
    kRe[j] = kr;
    kIm[j] = ki;
  }
  return { kRe, kIm, residual, worst, iterations, maxResidual, message };
}

function continueStep(
  modes: ModeSet,
  invN: number,
  s0r: number,
  s0i: number,
  k0r: number,
  k0i: number,
  s1r: number,
  s1i: number,
  depth: number,
  options: LeftKappaOptions,
  scratch: Float64Array,
): { kr: number; ki: number; iterations: number; ok: boolean } {
  const slope = (kr: number, ki: number): [number, number, number, number] => {
    gAndSlope(modes, kr, ki, scratch);
    const [gr, gi, dgr, dgi] = scratch;
    const ar = 1 - gr * invN;
    const ai = -gi * invN;
    // phi = kappa A, phi' = A - kappa g'/N
    return [kr * ar - ki * ai, kr * ai + ki * ar, ar - (kr * dgr - ki * dgi) * invN, ai - (kr * dgi + ki * dgr) * invN];
  };
  let [, , dfr, dfi] = slope(k0r, k0i);
  let den = dfr * dfr + dfi * dfi;
  const dsr = s1r - s0r;
  const dsi = s1i - s0i;
  let kr = k0r + (dsr * dfr + dsi * dfi) / den;
  let ki = k0i + (dsi * dfr - dsr * dfi) / den;
  const predR = kr;
  const predI = ki;
  const stepSize = Math.hypot(kr - k0r, ki - k0i);
  let iterations = 0;
  let ok = false;
  for (; iterations < options.newtonIterations; iterations++) {
    const [pr, pi, dr, di] = slope(kr, ki);
    dfr = dr;
    dfi = di;
    den = dfr * dfr + dfi * dfi;
    const fr = pr - s1r;
    const fi = pi - s1i;
    const xr = (fr * dfr + fi * dfi) / den;
    const xi = (fi * dfr - fr * dfi) / den;
    kr -= xr;
    ki -= xi;
    if (!Number.isFinite(kr) || !Number.isFinite(ki)) break;
    if (Math.hypot(xr, xi) <= options.tolerance * Math.hypot(kr, ki)) {
      ok = true;
      iterations++;
      break;
    }
  }
  const correction = Math.hypot(kr - predR, ki - predI);
  const suspicious = correction > 0.5 * stepSize + 1e-13 * Math.hypot(kr, ki) && stepSize > 1e-3 * Math.hypot(k0r, k0i);
  if ((ok && !suspicious) || depth >= options.maxDepth) return { kr, ki, iterations, ok: ok && !suspicious };
  const mr = 0.5 * (s0r + s1r);
  const mi = 0.5 * (s0i + s1i);
  const first = continueStep(modes, invN, s0r, s0i, k0r, k0i, mr, mi, depth + 1, options, scratch);
  const second = continueStep(modes, invN, mr, mi, first.kr, first.ki, s1r, s1i, depth + 1, options, scratch);
  return { kr: second.kr, ki: second.ki, iterations: iterations + first.iterations + second.iterations, ok: first.ok && second.ok };
}

/**
 * Mode sums at one solved node: g = sum w lambda / (kappa + lambda) (= Q) and
 * Gc = (kappa / u) sum w c / (kappa + lambda) (= sum_k c_k H_k(u), E9 with
 * P = infinity) into out = [gRe, gIm, GcRe, GcIm].
 */
export function nodeSums(modes: ModeSet, ur: number, ui: number, kr: number, ki: number, out: Float64Array): void {
  const { lambda, weight, c } = modes;
  let gr = 0;
  let gi = 0;
  let sr = 0;
  let si = 0;
  for (let j = 0; j < lambda.length; j++) {
    const ar = kr + lambda[j];
    const den = weight[j] / (ar * ar + ki * ki);
    const ir = ar * den;
    const ii = -ki * den;
    gr += lambda[j] * ir;
    gi += lambda[j] * ii;
    sr += c[j] * ir;
    si += c[j] * ii;
  }
  // kappa / u
  const ud = ur * ur + ui * ui;
  const qr = (kr * ur + ki * ui) / ud;
  const qi = (ki * ur - kr * ui) / ud;
  out[0] = gr;
  out[1] = gi;
  out[2] = qr * sr - qi * si;
  out[3] = qr * si + qi * sr;
}

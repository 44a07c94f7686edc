/**
 * Detecting a singularity right of the contour (THEORY E13: "must be detected,
 * not ignored"; mpmath's documented weak spot is a silently wrong answer).
 *
 * A contour rule integrates over Gamma; it equals the Bromwich integral only
 * if F is analytic right of Gamma. Three independent checks ((c) at the end
 * of this file, probeImaginaryAxis, for complex poles):
 *
 * (a) Real-axis probe (probeRealAxis). For a real-valued f, F is real and
 *     smooth on the real axis right of all its singularities. We sample F at
 *     x_k = x_c 2^k, k = 0..K-1, from the contour's real-axis crossing x_c to
 *     far right (x_c 2^47 ~ 1e14 x_c by default) and flag:
 *       - a non-finite value (a pole hit, or F undefined there);
 *       - a non-real value, |Im F| > 1e-6 |F| (a branch cut crossing the
 *         axis, e.g. sqrt(s - 1) for x < 1);
 *       - a sign change of F between neighbours that is a pole, not a zero:
 *         bisection locates it and |F| next to it exceeds 1e6 x the bracket
 *         values (a simple zero makes |F| small there instead);
 *       - an interior local maximum of |F| that blows up under golden-section
 *         refinement (even-order poles, no sign change), same 1e6 criterion.
 *     Misses: complex singularities off the axis, real ones beyond the last
 *     sample, and a pole/zero pair closer together than the bisection can
 *     separate.
 * (b) Shifted-contour comparison (in invert.ts): the same rule with the
 *     contour translated right by probeShiftFactor x x_c. Between the two
 *     contours lies a band containing x_c..2 x_c on the axis and the complex
 *     region swept by the shift; a singularity there adds its residue to one
 *     result only, so a relative disagreement above probeTolerance flags it.
 *     This catches complex poles near the contour that (a) cannot see.
 * Neither proves analyticity (the argument principle over an unbounded region
 * would need F's growth at infinity); they catch the practical failures: a
 * real pole or branch point right of the crossing (exponentially growing f)
 * and complex poles just right of the contour (oscillating f).
 */

export type RealFunction = (x: number, out: Float64Array) => void;

export interface RealAxisProbeResult {
  /** True when evidence of a singularity right of x_c was found. */
  readonly singular: boolean;
  /** Where (approximately) and why; empty when not singular. */
  readonly location: number;
  readonly reason: string;
  /** Number of F evaluations spent. */
  readonly evaluations: number;
}

const BLOW_UP = 1e6; // |F| ratio that separates a pole from a smooth hump or zero
const NON_REAL = 1e-6; // relative imaginary part that marks a cut crossing the axis

/**
 * Probes x -> F(x) (real argument; `evaluate` writes [Re F, Im F] into out)
 * on x_c 2^k, k = 0..points-1. See the module comment, check (a).
 */
export function probeRealAxis(evaluate: RealFunction, crossing: number, points: number): RealAxisProbeResult {
  const out = new Float64Array(2);
  let evaluations = 0;
  const value = (x: number): number => {
    out[0] = NaN;
    out[1] = NaN;
    evaluate(x, out);
    evaluations++;
    return out[0];
  };
  const xs = new Float64Array(points);
  const fs = new Float64Array(points);
  const base = crossing > 0 ? crossing : Number.MIN_VALUE;
  for (let k = 0; k < points; k++) {
    xs[k] = base * 2 ** k;
    fs[k] = value(xs[k]);
    const fi = out[1];
    if (!Number.isFinite(fs[k]) || !Number.isFinite(fi)) {
      return { singular: true, location: xs[k], reason: `F is not finite at real s = ${xs[k].toPrecision(6)}`, evaluations };
    }
    if (Math.abs(fi) > NON_REAL * Math.abs(fs[k]) + 1e-300) {
      return {
        singular: true,
        location: xs[k],
        reason: `F is not real at real s = ${xs[k].toPrecision(6)} (Im F = ${fi.toPrecision(3)}): a branch cut crosses the real axis right of the contour`,
        evaluations,
      };
    }
  }
  for (let k = 0; k + 1 < points; k++) {
    // (i) sign change: pole or zero? Bisect in log x.
    if (fs[k] * fs[k + 1] < 0) {
      let a = xs[k];
      let b = xs[k + 1];
      let fa = fs[k];
      for (let it = 0; it < 60 && b - a > 1e-15 * b; it++) {
        const m = Math.sqrt(a * b);
        const fm = value(m);
        if (!Number.isFinite(fm)) return poleAt(m, evaluations);
        if (fm * fa < 0) b = m;
        else {
          a = m;
          fa = fm;
        }
      }
      const near = Math.max(Math.abs(value(a)), Math.abs(value(b)));
      if (near > BLOW_UP * Math.max(Math.abs(fs[k]), Math.abs(fs[k + 1]))) return poleAt(Math.sqrt(a * b), evaluations);
    }
    // (ii) interior local maximum of |F|: golden-section search for a blow-up.
    if (k >= 1 && Math.abs(fs[k]) > Math.abs(fs[k - 1]) && Math.abs(fs[k]) >= Math.abs(fs[k + 1])) {
      let a = Math.log(xs[k - 1]);
      let b = Math.log(xs[k + 1]);
      const g = (Math.sqrt(5) - 1) / 2;
      let c = b - g * (b - a);
      let d = a + g * (b - a);
      let fc = Math.abs(value(Math.exp(c)));
      let fd = Math.abs(value(Math.exp(d)));
      let peak = Math.max(fc, fd);
      for (let it = 0; it < 80 && b - a > 1e-15; it++) {
        if (!Number.isFinite(fc) || !Number.isFinite(fd)) return poleAt(Math.exp((a + b) / 2), evaluations);
        if (fc > fd) {
          b = d;
          d = c;
          fd = fc;
          c = b - g * (b - a);
          fc = Math.abs(value(Math.exp(c)));
        } else {
          a = c;
          c = d;
          fc = fd;
          d = a + g * (b - a);
          fd = Math.abs(value(Math.exp(d)));
        }
        peak = Math.max(peak, fc, fd);
      }
      if (!Number.isFinite(peak) || peak > BLOW_UP * Math.max(Math.abs(fs[k - 1]), Math.abs(fs[k + 1]))) {
        return poleAt(Math.exp((a + b) / 2), evaluations);
      }
    }
  }
  return { singular: false, location: NaN, reason: '', evaluations };
}

function poleAt(x: number, evaluations: number): RealAxisProbeResult {
  return {
    singular: true,
    location: x,
    reason: `F blows up near real s = ${x.toPrecision(6)}, right of the contour (a pole: use options.shift > ${x.toPrecision(3)})`,
    evaluations,
  };
}

/** F at a complex point: writes [Re F, Im F] into out. */
export type ComplexFunction = (re: number, im: number, out: Float64Array) => void;

/** A peak of |F(i y)|: a pole near p = -delta + i omega with |residue| ~ height x width. */
export interface ResonancePeak {
  readonly omega: number;
  /** Distance of the pole from the imaginary axis (half width at half power). */
  readonly delta: number;
  /** Estimated |residue| (height x half width, a Lorentzian fit). */
  readonly residue: number;
  /** True when |F| grows to the right of the peak: the pole has Re p > 0. */
  readonly rightHalfPlane: boolean;
}

export interface ImaginaryAxisProbeResult {
  /** Reserved (always false): axis poles are reported as peaks with delta 0, residue Infinity. */
  readonly singular: boolean;
  readonly location: number;
  readonly reason: string;
  readonly peaks: readonly ResonancePeak[];
  readonly evaluations: number;
}

/**
 * Probes |F(i y)| on y = y0 2^{k/2}, k = 0..2 points - 1 (check (c), for
 * complex poles, which the real-axis probe cannot see). A pole at
 * p = -delta + i omega makes |F(i y)| ~ |R| / sqrt(delta^2 + (y - omega)^2), a
 * Lorentzian: each interior local maximum is refined by golden-section search
 * (height H at y*), its half width at half power w ~ delta is found by
 * bisection, and |R| ~ H w. The caller decides whether the pole lies right of
 * its contour and whether the missed residue 2 |R| e^{-delta t} matters; a
 * blow-up (pole on the axis: undamped oscillation) is reported as a peak with
 * delta = 0 and residue = Infinity (scanning stops there).
 * Stieltjes-type transforms (the DMFT's) have |F(i y)| decreasing: no peaks.
 * Misses: poles with |Im p| beyond the last sample, and two poles closer than
 * their widths (seen as one broad peak).
 */
export function probeImaginaryAxis(evaluate: ComplexFunction, y0: number, points: number): ImaginaryAxisProbeResult {
  const out = new Float64Array(2);
  let evaluations = 0;
  const abs = (x: number, y: number): number => {
    out[0] = NaN;
    out[1] = NaN;
    evaluate(x, y, out);
    evaluations++;
    return Math.hypot(out[0], out[1]);
  };
  const count = 2 * points;
  const ys = new Float64Array(count);
  const as = new Float64Array(count);
  const peaks: ResonancePeak[] = [];
  for (let k = 0; k < count; k++) {
    ys[k] = y0 * 2 ** (k / 2);
    as[k] = abs(0, ys[k]);
    if (!Number.isFinite(as[k])) return onAxis(ys[k], peaks, evaluations);
  }
  for (let k = 1; k + 1 < count; k++) {
    if (!(as[k] > as[k - 1] && as[k] >= as[k + 1])) continue;
    let a = Math.log(ys[k - 1]);
    let b = Math.log(ys[k + 1]);
    const g = (Math.sqrt(5) - 1) / 2;
    let c = b - g * (b - a);
    let d = a + g * (b - a);
    let fc = abs(0, Math.exp(c));
    let fd = abs(0, Math.exp(d));
    for (let it = 0; it < 80 && b - a > 1e-14; it++) {
      if (!Number.isFinite(fc) || !Number.isFinite(fd)) return onAxis(Math.exp((a + b) / 2), peaks, evaluations);
      if (fc > fd) {
        b = d;
        d = c;
        fd = fc;
        c = b - g * (b - a);
        fc = abs(0, Math.exp(c));
      } else {
        a = c;
        c = d;
        fc = fd;
        d = a + g * (b - a);
        fd = abs(0, Math.exp(d));
      }
    }
    const yStar = Math.exp((a + b) / 2);
    const height = abs(0, yStar);
    if (!Number.isFinite(height) || height > BLOW_UP * Math.max(as[k - 1], as[k + 1])) {
      return onAxis(yStar, peaks, evaluations);
    }
    // Half width at half power on the left flank, by bisection in [0, yStar - y_{k-1}].
    const target = height / Math.SQRT2;
    let lo = 0;
    let hi = yStar - ys[k - 1];
    let w = hi;
    if (abs(0, yStar - hi) < target) {
      for (let it = 0; it < 60; it++) {
        const mid = (lo + hi) / 2;
        if (abs(0, yStar - mid) >= target) lo = mid;
        else hi = mid;
      }
      w = (lo + hi) / 2;
    }
    const right = abs(w / 2, yStar);
    const left = abs(-w / 2, yStar);
    peaks.push({ omega: yStar, delta: w, residue: height * w, rightHalfPlane: right > left });
  }
  return { singular: false, location: NaN, reason: '', peaks, evaluations };
}

function onAxis(y: number, peaks: ResonancePeak[], evaluations: number): ImaginaryAxisProbeResult {
  // A pole on the axis (undamped oscillation): harmful only if the caller's
  // contour misses it, so report it as a peak of zero width, infinite residue.
  return {
    singular: false,
    location: NaN,
    reason: '',
    peaks: [...peaks, { omega: y, delta: 0, residue: Infinity, rightHalfPlane: false }],
    evaluations,
  };
}

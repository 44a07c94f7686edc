/**
 * Direct numeric evaluation of the theory's mode sums, independent of the
 * Mellin engine: the reference the derived laws are checked against.
 *
 *   S = sum_{k>=1} k^-p Phi(k^-b x)   with Phi(u) = u^m (1+u)^-n  or  u^m e^{-c u}.
 *
 * THEORY (E8): no truncation. Modes k <= K0 are summed exactly; (K0, Khi] by
 * Euler-Maclaurin (integral by Gauss-Legendre panels in log k, plus the
 * endpoint and first-derivative corrections; with K0 >= 1000 the next EM term
 * is O(f / K0^3)); k > Khi, where u = k^-b x <= 1e-3, by integrating the
 * small-u power series of Phi term by term:
 *   integral_K^inf k^-p phi_j (k^-b x)^(m+j) dk = phi_j x^(m+j) K^(1-p-b(m+j)) / (p - 1 + b(m+j)).
 * Requires p - 1 + b m > 0 (a convergent sum).
 */
import { InvalidArgumentError } from '../core/errors.js';
import { type Kernel, kernelValue } from './mellin.js';
import { Rational } from './rational.js';
import { zeta } from './special.js';
import { isSuccess, type Solution } from '../core/solution.js';

// 10-point Gauss-Legendre nodes and weights on [-1, 1].
const GL_X = [-0.9739065285171717, -0.8650633666889845, -0.6794095682990244, -0.4333953941292472, -0.1488743389816312,
  0.1488743389816312, 0.4333953941292472, 0.6794095682990244, 0.8650633666889845, 0.9739065285171717];
const GL_W = [0.0666713443086881, 0.1494513491505806, 0.219086362515982, 0.2692667193099963, 0.2955242247147529,
  0.2955242247147529, 0.2692667193099963, 0.219086362515982, 0.1494513491505806, 0.0666713443086881];

export interface ModeSumOptions {
  /** Modes summed exactly (default 1000). */
  readonly K0?: number;
  /** Start of the series tail: u(Khi) = uTail (default 1e-3). */
  readonly uTail?: number;
  /** Panel width in log k (default 0.25). */
  readonly panel?: number;
}

function seriesCoefficients(kernel: Kernel, terms: number): number[] {
  const out: number[] = [];
  if (kernel.kind === 'rational') {
    // (1+u)^-n = sum_j binom(-n, j) u^j
    let c = 1;
    for (let j = 0; j < terms; j++) {
      out.push(c);
      c *= (-kernel.n - j) / (j + 1);
    }
  } else {
    const cc = kernel.c.toNumber();
    let c = 1;
    for (let j = 0; j < terms; j++) {
      out.push(c);
      c *= -cc / (j + 1);
    }
  }
  return out;
}

/** sum_{k>=1} k^-p Phi(k^-b x), to ~1e-10 relative. */
export function modeSum(p: number, b: number, x: number, kernel: Kernel, options: ModeSumOptions = {}): number {
  if (!(b > 0)) throw new InvalidArgumentError('b', 'must be > 0', b);
  if (!(x > 0)) throw new InvalidArgumentError('x', 'must be > 0', x);
  if (!(p - 1 + b * kernel.m > 0)) throw new InvalidArgumentError('p', 'must satisfy p - 1 + b m > 0 (convergent sum)', p);
  const K0 = options.K0 ?? 1000;
  const uTail = options.uTail ?? 1e-3;
  const panel = options.panel ?? 0.25;
  const f = (k: number): number => Math.pow(k, -p) * kernelValue(kernel, Math.pow(k, -b) * x);
  const Khi = Math.max(K0, Math.ceil(Math.pow(x / uTail, 1 / b)));
  let sum = 0;
  for (let k = 1; k <= K0; k++) sum += f(k);
  if (Khi > K0) {
    // integral over [K0, Khi] in y = log k
    const y0 = Math.log(K0);
    const y1 = Math.log(Khi);
    const nPanels = Math.max(1, Math.ceil((y1 - y0) / panel));
    const h = (y1 - y0) / nPanels;
    let integral = 0;
    for (let i = 0; i < nPanels; i++) {
      const mid = y0 + (i + 0.5) * h;
      for (let j = 0; j < GL_X.length; j++) {
        const y = mid + 0.5 * h * GL_X[j];
        const k = Math.exp(y);
        integral += 0.5 * h * GL_W[j] * k * f(k);
      }
    }
    const d = (k: number): number => (f(k * (1 + 1e-4)) - f(k * (1 - 1e-4))) / (2e-4 * k);
    // sum_{k=K0+1}^{Khi} f = integral + (f(Khi) - f(K0))/2 + (f'(Khi) - f'(K0))/12 - ...
    sum += integral + 0.5 * (f(Khi) - f(K0)) + (d(Khi) - d(K0)) / 12;
  }
  // tail k > Khi: series of Phi, integrated, minus f(Khi)/2 - f'(Khi)/12 (EM from the integral to the sum)
  const coeffs = seriesCoefficients(kernel, 12);
  let tail = 0;
  for (let j = 0; j < coeffs.length; j++) {
    const e = kernel.m + j;
    const denom = p - 1 + b * e;
    tail += (coeffs[j] * Math.pow(x, e) * Math.pow(Khi, 1 - p - b * e)) / denom;
  }
  const dK = (f(Khi * (1 + 1e-4)) - f(Khi * (1 - 1e-4))) / (2e-4 * Khi);
  sum += tail - 0.5 * f(Khi) - dK / 12;
  return sum;
}

/** g(kappa) = sum_k lambda_k/(kappa + lambda_k), lambda_k = k^-b (THEORY E15a). */
export function dof(kappa: number, b: number, options?: ModeSumOptions): number {
  return modeSum(0, b, 1 / kappa, { kind: 'rational', m: 1, n: 1 }, options);
}

/**
 * kappa with g(kappa) = n. g is decreasing and close to a power law in kappa,
 * so the root of h(y) = log g(e^y) - log n is bracketed by stepping y and then
 * refined by the Illinois variant of regula falsi (superlinear, never leaves
 * the bracket). A Solution (STYLE 2): value = kappa, errorEstimate = the
 * relative residual |g - n|/n, status 'converged' when it is below 1e-10.
 */
export function solveKappa(n: number, b: number, options?: ModeSumOptions): Solution<number> & { residual: number } {
  if (!(n > 0)) throw new InvalidArgumentError('n', 'must be > 0', n);
  if (!(b > 1)) throw new InvalidArgumentError('b', 'must be > 1 (g is infinite for b <= 1)', b);
  const h = (y: number): number => Math.log(dof(Math.exp(y), b, options)) - Math.log(n);
  let iterations = 0;
  // crude start: g(kappa) ~ kappa^(-1/b) up to O(1) factors
  let y0 = -b * Math.log(n);
  let h0 = h(y0);
  iterations++;
  let step = h0 > 0 ? 2 : -2;
  let y1 = y0 + step;
  let h1 = h(y1);
  iterations++;
  while (h0 * h1 > 0 && iterations < 200) {
    y0 = y1;
    h0 = h1;
    step *= 1.5;
    y1 = y0 + step;
    h1 = h(y1);
    iterations++;
  }
  let side = 0;
  for (; iterations < 200; iterations++) {
    const y = (y0 * h1 - y1 * h0) / (h1 - h0);
    const hy = h(y);
    if (Math.abs(hy) < 1e-14 || Math.abs(y1 - y0) < 1e-14) {
      y0 = y1 = y;
      break;
    }
    if (hy * h1 > 0) {
      y1 = y;
      h1 = hy;
      if (side === -1) h0 /= 2;
      side = -1;
    } else {
      y0 = y;
      h0 = hy;
      if (side === 1) h1 /= 2;
      side = 1;
    }
  }
  const kappa = Math.exp(0.5 * (y0 + y1));
  const residual = Math.abs(dof(kappa, b, options) - n) / n;
  const status = !Number.isFinite(residual) ? 'non_finite' : residual <= 1e-10 ? 'converged' : iterations >= 200 ? 'max_iter' : 'unverified';
  return { value: kappa, errorEstimate: residual, residual, status, iterations };
}

/** kappa(n) for the reference evaluators: NaN unless the solve converged (so a failure shows). */
function kappaOf(n: number, b: number): number {
  const s = solveKappa(n, b);
  return isSuccess(s) ? s.value : Number.NaN;
}

/** Static limits of THEORY (E16b) at sigma = 0 with lambda_k = k^-b, c_k = k^-a. */
export function staticWidthLoss(N: number, a: number, b: number): number {
  const kappa = kappaOf(N, b);
  return modeSum(a, b, 1 / kappa, { kind: 'rational', m: 0, n: 1 });
}
export function staticWidthBias(N: number, a: number, b: number): number {
  const kappa = kappaOf(N, b);
  return modeSum(a, b, 1 / kappa, { kind: 'rational', m: 0, n: 2 });
}
export function staticDataLoss(P: number, a: number, b: number): number {
  const kappa = kappaOf(P, b);
  const bias = modeSum(a, b, 1 / kappa, { kind: 'rational', m: 0, n: 2 });
  const df2 = modeSum(0, b, 1 / kappa, { kind: 'rational', m: 2, n: 2 });
  return bias / (1 - df2 / P);
}
/** THEORY (E14), N = P = infinity: sum_k k^-a exp(-2 k^-b t). */
export function flowLoss(t: number, a: number, b: number): number {
  return modeSum(a, b, t, { kind: 'exp', m: 0, c: Rational.of(2) });
}

/** Least-squares slope of log y against log x, with its standard error. */
export function logLogSlope(xs: readonly number[], ys: readonly number[]): { slope: number; stderr: number } {
  const n = xs.length;
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const mx = lx.reduce((s, v) => s + v, 0) / n;
  const my = ly.reduce((s, v) => s + v, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (lx[i] - mx) ** 2;
    sxy += (lx[i] - mx) * (ly[i] - my);
  }
  const slope = sxy / sxx;
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (ly[i] - my - slope * (lx[i] - mx)) ** 2;
  const stderr = n > 2 ? Math.sqrt(rss / (n - 2) / sxx) : Number.NaN;
  return { slope, stderr };
}

/**
 * integral_0^inf u^{s-1} Phi(u) du by Gauss-Legendre panels in y = log u
 * (independent of the Gamma-function closed forms of mellin.ts). The range is
 * cut where the integrand is below 1e-17 of its scale: small u by the power
 * u^{s + alpha0}, large u by the power u^{s + alphaInf} or the exponential.
 */
export function mellinNumeric(kernel: Kernel, s: number): number {
  const a0 = s + kernel.m;
  if (!(a0 > 0)) throw new InvalidArgumentError('s', 'must exceed -m (integral diverges at 0)', s);
  const yLo = -40 / a0;
  let yHi: number;
  if (kernel.kind === 'exp') yHi = Math.log(60 / kernel.c.toNumber());
  else {
    const aInf = s + kernel.m - kernel.n;
    if (!(aInf < 0)) throw new InvalidArgumentError('s', 'must be below n - m (integral diverges at infinity)', s);
    yHi = 40 / -aInf;
  }
  const panel = 0.1;
  const nPanels = Math.ceil((yHi - yLo) / panel);
  const h = (yHi - yLo) / nPanels;
  let total = 0;
  for (let i = 0; i < nPanels; i++) {
    const mid = yLo + (i + 0.5) * h;
    for (let j = 0; j < GL_X.length; j++) {
      const y = mid + 0.5 * h * GL_X[j];
      total += 0.5 * h * GL_W[j] * Math.exp(s * y) * kernelValue(kernel, Math.exp(y));
    }
  }
  return total;
}

/**
 * The first-order-in-1/N term of THEORY (E15) at P = infinity, times N:
 *   sum_{j,k} lambda_j lambda_k c_k [(e^{-lambda_k t} - e^{-lambda_j t}) / (lambda_j - lambda_k)]^2
 * (ILT2 of S B1 with H_k = 1/(s + lambda_k)). Direct double sum over j <= J, k <= K;
 * for j > J the bracket is expanded to first order in lambda_j and sum_{j>J} j^-b,
 * j^-2b are taken from their Euler-Maclaurin tails; k > K is dropped (its terms
 * decay like k^-(a-b) x k^-... and K is chosen so that they are negligible for a - b > 2).
 */
export function crossTermExact(t: number, a: number, b: number, Jmin = 2000, K = 400): number {
  // j beyond J has lambda_j t <= 1/50, where the first-order tail expansion is accurate
  const J = Math.min(200000, Math.max(Jmin, Math.ceil(Math.pow(50 * t, 1 / b))));
  const lamK = new Float64Array(K);
  const cK = new Float64Array(K);
  const eK = new Float64Array(K);
  for (let k = 1; k <= K; k++) {
    lamK[k - 1] = Math.pow(k, -b);
    cK[k - 1] = Math.pow(k, -a);
    eK[k - 1] = Math.exp(-lamK[k - 1] * t);
  }
  let total = 0;
  for (let j = 1; j <= J; j++) {
    const lj = Math.pow(j, -b);
    const ej = Math.exp(-lj * t);
    let inner = 0;
    for (let k = 0; k < K; k++) {
      const lk = lamK[k];
      const d = lj - lk;
      // divided difference; at lambda_j = lambda_k its limit is t e^{-lambda t}
      const br = Math.abs(d) < 1e-12 * lk ? t * eK[k] : (eK[k] - ej) / d;
      inner += lk * cK[k] * br * br;
    }
    total += lj * inner;
  }
  // tail j > J: bracket(lambda_j) = B0 + B1 lambda_j + O(lambda_j^2), B0 = (1 - e^{-lk t})/lk,
  // B1 = (B0 - t)/lk ... we keep B0^2 lambda_j + 2 B0 B1 lambda_j^2.
  const tail1 = Math.pow(J, 1 - b) / (b - 1) - 0.5 * Math.pow(J, -b);
  const tail2 = Math.pow(J, 1 - 2 * b) / (2 * b - 1) - 0.5 * Math.pow(J, -2 * b);
  for (let k = 0; k < K; k++) {
    const lk = lamK[k];
    const B0 = (1 - eK[k]) / lk;
    const B1 = (B0 - t) / lk;
    total += lk * cK[k] * (B0 * B0 * tail1 + 2 * B0 * B1 * tail2);
  }
  return total;
}

/**
 * Brute-force minimum of f over x in [lo, hi] (x > 0): a log-spaced scan of
 * `grid` points, then golden-section refinement in log x around the best
 * point. For the unimodal sums of power laws of THEORY (E21) this finds the
 * global minimum; returns the minimiser and the minimum.
 */
export function minimizeLog(f: (x: number) => number, lo: number, hi: number, grid = 400): { x: number; value: number; iterations: number; bracketWidth: number } {
  if (!(lo > 0 && hi > lo)) throw new InvalidArgumentError('lo', 'must satisfy 0 < lo < hi', [lo, hi]);
  const l0 = Math.log(lo);
  const l1 = Math.log(hi);
  let best = 0;
  let bestV = Infinity;
  for (let i = 0; i <= grid; i++) {
    const v = f(Math.exp(l0 + ((l1 - l0) * i) / grid));
    if (v < bestV) {
      bestV = v;
      best = i;
    }
  }
  let a = l0 + ((l1 - l0) * Math.max(0, best - 1)) / grid;
  let b = l0 + ((l1 - l0) * Math.min(grid, best + 1)) / grid;
  const phi = (Math.sqrt(5) - 1) / 2;
  let c = b - phi * (b - a);
  let d = a + phi * (b - a);
  let fc = f(Math.exp(c));
  let fd = f(Math.exp(d));
  let i = 0;
  for (; i < 200 && b - a > 1e-13; i++) {
    if (fc < fd) {
      b = d; d = c; fd = fc; c = b - phi * (b - a); fc = f(Math.exp(c));
    } else {
      a = c; c = d; fc = fd; d = a + phi * (b - a); fd = f(Math.exp(d));
    }
  }
  const x = Math.exp(0.5 * (a + b));
  return { x, value: f(x), iterations: i, bracketWidth: b - a };
}

/**
 * The one-point part of the first-order-in-1/N expansion of THEORY (E15) at
 * P = infinity, times N: 2 sum_k c_k e^{-lambda_k t} N dH_k(t), where
 * N dH_k(s) = lambda_k Q0(s)/(s + lambda_k)^2 (from R3 = 1 - Q/N in (E9)),
 * Q0(s) = sum_j lambda_j/(s + lambda_j). Partial fractions with A = lambda_j, B = lambda_k:
 * ILT[1/((s+A)(s+B)^2)] = (e^{-At} - e^{-Bt})/(B-A)^2 - t e^{-Bt}/(B-A).
 * j > J by the first-order expansion in lambda_j (as in crossTermExact).
 */
export function oneCorrectionExact(t: number, a: number, b: number, J = 4000, K = 400): number {
  let total = 0;
  const tail1 = Math.pow(J, 1 - b) / (b - 1) - 0.5 * Math.pow(J, -b);
  for (let k = 1; k <= K; k++) {
    const B = Math.pow(k, -b);
    const ck = Math.pow(k, -a);
    const eB = Math.exp(-B * t);
    let q = 0;
    for (let j = 1; j <= J; j++) {
      const A = Math.pow(j, -b);
      const d = B - A;
      if (Math.abs(d) < 1e-12 * B) q += A * (t * t * eB) / 2; // A = B: ILT[1/(s+B)^3] = t^2 e^{-Bt}/2
      else q += A * ((Math.exp(-A * t) - eB) / (d * d) - (t * eB) / d);
    }
    q += tail1 * ((1 - eB) / (B * B) - (t * eB) / B);
    total += 2 * ck * eB * B * q;
  }
  return total;
}

/**
 * THEORY (E16), (E24): the train-test gap at N = infinity to first order in 1/P, times P.
 * With R1 = 1 - Q/P, Lhat = ILT2[R1 R1' Lsig] and L = ILT2[Lsig] differ at O(1/P) by
 * ILT2[(Q + Q') B0]/P, Q(s) = sum_j lambda_j/(s + lambda_j), B0 = sum_k c_k/((s+lambda_k)(s'+lambda_k)):
 *   P gap(t) = 2 sum_{j,k} lambda_j c_k e^{-lambda_k t} (e^{-lambda_k t} - e^{-lambda_j t})/(lambda_j - lambda_k).
 * j > J and k > K by their small-lambda expansions.
 */
export function gapFirstOrder(t: number, a: number, b: number, J = 3000, K = 3000): number {
  const lamJ = new Float64Array(J);
  const eJ = new Float64Array(J);
  let sumOneMinus = 0; // sum_j (1 - e^{-lambda_j t}) over j <= J
  for (let j = 0; j < J; j++) {
    lamJ[j] = Math.pow(j + 1, -b);
    eJ[j] = Math.exp(-lamJ[j] * t);
    sumOneMinus += -Math.expm1(-lamJ[j] * t);
  }
  const tailJ = Math.pow(J, 1 - b) / (b - 1) - 0.5 * Math.pow(J, -b); // sum_{j>J} lambda_j
  let total = 0;
  for (let k = 0; k < K; k++) {
    const lk = Math.pow(k + 1, -b);
    const ek = Math.exp(-lk * t);
    const ck = Math.pow(k + 1, -a);
    let inner = 0;
    for (let j = 0; j < J; j++) {
      const d = lamJ[j] - lk;
      inner += lamJ[j] * (Math.abs(d) < 1e-14 * lk ? t * ek : (ek - eJ[j]) / d);
    }
    inner += tailJ * (lk * t < 1e-8 ? t : -Math.expm1(-lk * t) / lk);
    total += ck * ek * inner;
  }
  // k > K: lambda_k t << 1 for the K used here; e^{-lambda_k t} D_jk -> (1 - e^{-lambda_j t})/lambda_j
  const tailK = Math.pow(K, 1 - a) / (a - 1) - 0.5 * Math.pow(K, -a);
  total += tailK * (sumOneMinus + tailJ * t);
  return 2 * total;
}

/**
 * The gP term of THEORY (E15c-d) at N = infinity to first order in 1/P, times P:
 * ILT2[Gam B0](t, t) = sum_{j,k} lambda_j^2 c_k D_jk(t)^2, D_jk the divided difference of e^{-lambda t}
 * (Gam = sum_j lambda_j^2 H_j H_j', B0 = sum_k c_k H_k H_k', H = 1/(s + lambda)).
 * j > J by the first-order expansion in lambda_j.
 */
export function gammaTermExact(t: number, a: number, b: number, J = 4000, K = 400): number {
  let total = 0;
  const tail2 = Math.pow(J, 1 - 2 * b) / (2 * b - 1) - 0.5 * Math.pow(J, -2 * b); // sum_{j>J} lambda_j^2
  for (let k = 1; k <= K; k++) {
    const lk = Math.pow(k, -b);
    const ck = Math.pow(k, -a);
    const ek = Math.exp(-lk * t);
    let inner = 0;
    for (let j = 1; j <= J; j++) {
      const lj = Math.pow(j, -b);
      const d = lj - lk;
      const br = Math.abs(d) < 1e-12 * lk ? t * ek : (ek - Math.exp(-lj * t)) / d;
      inner += lj * lj * br * br;
    }
    const B0 = -Math.expm1(-lk * t) / lk; // D_jk at lambda_j -> 0
    inner += tail2 * B0 * B0;
    total += ck * inner;
  }
  // k > K (c_k decays only like k^-a): lambda_k -> 0 in D_jk, giving sum_{k>K} c_k sum_j (1 - e^{-lambda_j t})^2
  let sj = 0;
  for (let j = 1; j <= J; j++) sj += Math.expm1(-Math.pow(j, -b) * t) ** 2;
  sj += tail2 * t * t;
  total += (Math.pow(K, 1 - a) / (a - 1) - 0.5 * Math.pow(K, -a)) * sj;
  return total;
}

/**
 * THEORY (E28): the SGD kernel K_tau = sum_j lambda_j^2 (1 - eta lambda_j)^{2 tau} at N = infinity
 * (T = Lambda), lambda_j = j^-b, by direct summation; modes with eta lambda_j tau <= 1e-3
 * by the first two terms of (1 - eta lambda)^{2 tau} = 1 - 2 tau eta lambda + ..., summed
 * with Euler-Maclaurin tails. Independent of the Mellin engine.
 */
export function sgdKernelExact(tau: number, b: number, eta: number): number {
  if (!(eta > 0 && eta < 1)) throw new InvalidArgumentError('eta', 'must be in (0, 1) (eta lambda_1 < 1)', eta);
  const J = Math.max(2000, Math.ceil(Math.pow((1000 * eta * Math.max(tau, 1)), 1 / b)));
  let sum = 0;
  for (let j = 1; j <= J; j++) {
    const l = Math.pow(j, -b);
    sum += l * l * Math.pow(1 - eta * l, 2 * tau);
  }
  const tail = (p: number): number => Math.pow(J, 1 - p) / (p - 1) - 0.5 * Math.pow(J, -p);
  return sum + tail(2 * b) - 2 * tau * eta * tail(3 * b);
}

/**
 * THEORY (E28): sum over steps of the deterministic (GD, N = P = infinity) loss,
 * sum_{s>=0} L^GD_s = sum_k c_k / (1 - (1 - eta lambda_k)^2), c_k = k^-a, lambda_k = k^-b,
 * by direct summation (k > K by the expansion 1/(eta lambda (2 - eta lambda)) = (1/(2 eta lambda))(1 + eta lambda / 2 + ...)).
 */
export function gdLossSumExact(a: number, b: number, eta: number, K = 100000): number {
  if (!(a - b > 1)) throw new InvalidArgumentError('a', 'must satisfy a - b > 1 (otherwise the sum diverges)', a);
  let sum = 0;
  for (let k = 1; k <= K; k++) {
    const l = Math.pow(k, -b);
    const y = (1 - eta * l) * (1 - eta * l);
    sum += Math.pow(k, -a) / (1 - y);
  }
  const tail = (p: number): number => Math.pow(K, 1 - p) / (p - 1) - 0.5 * Math.pow(K, -p);
  return sum + tail(a - b) / (2 * eta) + tail(a) / 4;
}

/**
 * THEORY (E28): the convolution of the one-pass SGD Volterra equation at first order in
 * eta^2/B, sum_{s<t} K_{t-1-s} L^GD_s at N = P = infinity, by direct double summation over
 * modes: with x_j = (1 - eta lambda_j)^2, y_k = (1 - eta lambda_k)^2 the sum over s is
 * geometric, sum_{s<t} x^{t-1-s} y^s = (x^t - y^t)/(x - y), so
 *   conv(t) = sum_{j,k} lambda_j^2 c_k (x_j^t - y_k^t)/(x_j - y_k).
 * j > J (eta lambda_j t <= 1/50) to first order in lambda_j; k > K with y_k -> 1 (c_k decays like k^-a).
 * Independent of the Mellin engine (the reference for derivations/sgd-noise).
 */
export function sgdConvolutionExact(t: number, a: number, b: number, eta: number, Jmin = 2000, K = 400): number {
  if (!(eta > 0 && eta < 1)) throw new InvalidArgumentError('eta', 'must be in (0, 1) (eta lambda_1 < 1)', eta);
  if (!(Number.isInteger(t) && t >= 1)) throw new InvalidArgumentError('t', 'must be a whole number of steps >= 1', t);
  const J = Math.min(400000, Math.max(Jmin, Math.ceil(Math.pow(50 * eta * t, 1 / b))));
  const yK = new Float64Array(K);
  const yKt = new Float64Array(K);
  const cK = new Float64Array(K);
  for (let k = 1; k <= K; k++) {
    const l = Math.pow(k, -b);
    yK[k - 1] = (1 - eta * l) * (1 - eta * l);
    yKt[k - 1] = Math.pow(yK[k - 1], t);
    cK[k - 1] = Math.pow(k, -a);
  }
  // geometric sum (x^t - y^t)/(x - y), with its limit t x^{t-1} at x = y
  const geo = (x: number, xt: number, y: number, yt: number): number => (Math.abs(x - y) < 1e-12 * x ? t * Math.pow(x, t - 1) : (xt - yt) / (x - y));
  let total = 0;
  let kTailInner = 0; // sum_j lambda_j^2 (1 - x_j^t)/(1 - x_j), for k > K (y_k -> 1)
  for (let j = 1; j <= J; j++) {
    const l = Math.pow(j, -b);
    const x = (1 - eta * l) * (1 - eta * l);
    const xt = Math.pow(x, t);
    let inner = 0;
    for (let k = 0; k < K; k++) inner += cK[k] * geo(x, xt, yK[k], yKt[k]);
    total += l * l * inner;
    kTailInner += (l * l * (1 - xt)) / (1 - x);
  }
  // j > J: x_j = 1 - delta_j, delta_j = 2 eta lambda_j - eta^2 lambda_j^2; to first order in delta,
  // geo(x, y) = G0(y) - delta G1(y), G0 = sum_{s<t} y^s = (1 - y^t)/(1 - y),
  // G1 = sum_{s<t} (t-1-s) y^s = (t - 1 - t y + y^t)/(1 - y)^2.
  const tailSum = (p: number): number => Math.pow(J, 1 - p) / (p - 1) - 0.5 * Math.pow(J, -p);
  const tail2 = tailSum(2 * b);
  const tail3 = tailSum(3 * b);
  let jTail0 = 0;
  let jTail1 = 0;
  for (let k = 0; k < K; k++) {
    const y = yK[k];
    jTail0 += (cK[k] * (1 - yKt[k])) / (1 - y);
    jTail1 += (cK[k] * (t - 1 - t * y + yKt[k])) / ((1 - y) * (1 - y));
  }
  total += tail2 * jTail0 - 2 * eta * tail3 * jTail1;
  // k > K: y_k -> 1, geo -> (1 - x^t)/(1 - x); plus the j > J part t for both tails
  const tailA = Math.pow(K, 1 - a) / (a - 1) - 0.5 * Math.pow(K, -a);
  total += tailA * (kTailInner + tail2 * t);
  return total;
}

/**
 * THEORY (E28), (E29): sum_{k >= 1} k^-p / (2 - q k^-b) for q < 2 (b > 1, p > 1): the head
 * k <= 2000 summed, the tail by the geometric series in q k^-b / 2 with Euler-Maclaurin
 * tails of sum_{k > K} k^-s (relative error below 1e-13 for the p, b > 1 used here).
 */
function resolventModeSum(p: number, b: number, q: number): number {
  const K = 2000;
  let head = 0;
  for (let k = 1; k <= K; k++) head += Math.pow(k, -p) / (2 - q * Math.pow(k, -b));
  const tail = (s: number) => Math.pow(K, 1 - s) / (s - 1) - 0.5 * Math.pow(K, -s) + (s * Math.pow(K, -s - 1)) / 12;
  let sum = 0;
  let r = 0.5;
  for (let m = 0; m < 6; m++, r *= q / 2) sum += r * tail(p + m * b);
  return head + sum;
}

/**
 * THEORY (E28), (E29): the factor by which the exact one-pass SGD recursion multiplies the
 * leading-order noise law (eta/(2B)) zeta(a-b) (1/b) Gamma(2-1/b) (2 eta t)^-(2-1/b) at
 * N = P = infinity, lambda_k = k^-b, c_k = k^-a, sigma = 0. The Volterra equation
 * L = F + eps K * L with summable K and F has the renewal asymptotics
 * L_t - F_t ~ eps K_t sum_s F_s / (1 - m)^2 + F_t m / (1 - m), m = eps sum_tau K_tau; the
 * first is the noise term. K_t keeps its Mellin asymptotics (rho^t = e^{-2 eta lambda t}
 * (1 + O(1/t)) where eta lambda t = O(1)), while
 *   sum_s F_s = sum_k c_k / (1 - rho_k) = (1/eta) sum_k k^-(a-b) / (2 - eta gamma k^-b),
 *   m = (eta/B) sum_k k^-b / (2 - eta gamma k^-b)   (the kernel mass, < 1 for convergence),
 * gamma = 1 + 1/B, against zeta(a-b)/(2 eta) and 1 at leading order. So
 *   factor = [2 sum_k k^-(a-b) / (2 - eta gamma k^-b)] / zeta(a-b) / (1 - m)^2 = 1 + O(eta).
 * Needs a - 1 > b (sum_s F_s finite), b > 1 and eta gamma < 2 (lambda_1 = 1).
 */
/** THEORY (E28): the kernel mass m = (eta/B) sum_k k^-b / (2 - eta (1 + 1/B) k^-b) at N = infinity (SGD diverges at m >= 1). */
export function sgdKernelMass(b: number, eta: number, batch: number): number {
  const q = eta * (1 + 1 / batch);
  if (!(q < 2)) return Infinity;
  return (eta / batch) * resolventModeSum(b, b, q);
}

export function sgdNoiseExactFactor(a: number, b: number, eta: number, batch: number): { factor: number; kernelMass: number; summedSignal: number } {
  if (!(b > 1)) throw new InvalidArgumentError('b', 'must be > 1', b);
  if (!(a - 1 > b)) throw new InvalidArgumentError('a', 'must be > b + 1 (the summed loss of the noise term is finite)', a);
  const q = eta * (1 + 1 / batch);
  if (!(eta > 0 && q < 2)) throw new InvalidArgumentError('lr', 'must be in (0, 2/(1 + 1/B)) (rho(lambda_1) < 1)', eta);
  const kernelMass = sgdKernelMass(b, eta, batch);
  const signalSum = resolventModeSum(a - b, b, q);
  const factor = (2 * signalSum) / zeta(a - b) / ((1 - kernelMass) * (1 - kernelMass));
  return { factor, kernelMass, summedSignal: signalSum / eta };
}

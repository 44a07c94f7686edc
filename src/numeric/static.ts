/**
 * Static limits t -> infinity in closed form (THEORY E12, E16b).
 *
 * The transforms have a double pole at s = s' = 0; its residue is
 * lim s s' F(s, s'), evaluated at kappa = kappa_c with
 *   df1 = g(kappa) = min(N, P), df2 = sum lambda^2/(kappa+lambda)^2,
 *   s1 = sum lambda/(kappa+lambda)^2,
 *   D -> s1 / (N - df2), c1 -> df2/P + kappa^2 s1^2 / (P (N - df2)),
 *   s s' Lsig -> sum c kappa^2/(kappa+lambda)^2 (1 + lambda D) / (1 - c1),
 *   s s' Lnoise -> sigma^2 c1 / (1 - c1)                          (E16b);
 * train: R1(0)^2 s s' Lsig + sigma^2 (1 - g(kappa_c)/P), R1(0) = 1 - df1/P (E16);
 * L_A: sigma^2 + (kappa^2 sum c/(kappa+lambda)^2 + sigma^2 df2/P) / (1 - df2/P) (E16a);
 * bias: sum c kappa^2/(kappa+lambda)^2 (E14 with H_k(inf) = kappa/(kappa+lambda), E12).
 * N = P (finite, below M): 1 - c1 = 0, the double-descent divergence: the
 * test loss is reported as Infinity with status 'non_finite', not a number.
 * min(N, P) >= M (finite M): kappa_c = 0, every mode is learned; only the
 * noise remains, sigma^2 / (1 - M/P) (divergent at P = M when sigma > 0).
 */
import type { Status } from '../core/solution.js';
import { worstStatus } from '../core/solution.js';
import { pairClosedForms } from './curve.js';
import { solveKappaReal, type KappaContext } from './kappa.js';

/** The t -> infinity values and kappa_c (THEORY E16b). */
export interface StaticValues {
  test: number;
  train: number;
  bias: number;
  gap: number;
  testA: number;
  testE?: number;
  kappa: number;
  /** 1 - c1 (the double-descent denominator; 0 at N = P). */
  denominator: number;
  status: Status;
  message: string;
}

export function staticFromContext(ctx: KappaContext, sigma: number, ensembleSize?: number): StaticValues {
  const { modes, invN, invP } = ctx;
  const sig2 = sigma * sigma;
  const kappa = ctx.kappaC;
  const { lambda, c, weight } = modes;
  let status: Status = ctx.kappaCStatus;
  let message = '';
  let test: number;
  let train: number;
  let bias = 0;
  let testA: number;
  let denominator: number;
  if (kappa > 0) {
    let df2 = 0;
    let s1 = 0;
    for (let k = 0; k < lambda.length; k++) {
      const inv = 1 / (kappa + lambda[k]);
      df2 += weight[k] * lambda[k] * lambda[k] * inv * inv;
      s1 += weight[k] * lambda[k] * inv * inv;
      bias += weight[k] * c[k] * kappa * kappa * inv * inv;
    }
    const D = invN === 0 ? 0 : (s1 * invN) / (1 - df2 * invN);
    const c1 = df2 * invP + kappa * kappa * s1 * D * invP;
    let num = 0;
    for (let k = 0; k < lambda.length; k++) {
      const inv = 1 / (kappa + lambda[k]);
      num += weight[k] * c[k] * kappa * kappa * inv * inv * (1 + lambda[k] * D);
    }
    denominator = 1 - c1;
    const r1 = 1 - ctx.nMin * invP; // R1(0) = 1 - g(kappa_c)/P
    if (ctx.N === ctx.P) {
      test = Infinity;
      train = sig2 * r1; // R1(0) = 0: the interpolating fit leaves no training error
      status = 'non_finite';
      message = 'N = P < M: double descent, 1 - c1 = 0 and the test loss diverges as t -> infinity (THEORY E16b)';
    } else {
      const lsig = num / denominator;
      const lnoise = (sig2 * c1) / denominator;
      test = sig2 + lsig + lnoise;
      train = r1 * r1 * lsig + sig2 * r1;
    }
    testA = sig2 + (bias + sig2 * df2 * invP) / (1 - df2 * invP);
  } else {
    // kappa_c = 0: min(N, P) >= M, every mode learned (finite M).
    let m = 0;
    for (let k = 0; k < weight.length; k++) m += weight[k];
    const c1 = m * invP;
    denominator = 1 - c1;
    if (denominator <= 1e-12) {
      test = sig2 > 0 ? Infinity : 0;
      if (sig2 > 0) {
        status = 'non_finite';
        message = 'P = M: the noise term diverges as t -> infinity (THEORY E16b)';
      }
    } else {
      test = sig2 / denominator;
    }
    train = sig2 * (1 - c1);
    testA = test;
    if (Number.isFinite(ctx.N) && ctx.N === modes.M) {
      status = status === 'converged' ? 'unverified' : status;
      message = 'N = M: the static formulas are at the edge of their range (kappa_c = 0 and N - df2 = 0)';
    }
  }
  const result: StaticValues = { test, train, bias, gap: test - train, testA, kappa, denominator, status, message };
  if (ensembleSize !== undefined) result.testE = testA + (test - testA) / ensembleSize;
  return result;
}

/**
 * Static limits t -> infinity with a ridge r > 0 (THEORY E25): every object
 * is evaluated at s_e = r, and the double pole at u = u' = 0 of
 * f f' F(s_e, s_e') (f = s_e / u) has residue r^2 F(r, r): the ridge
 * regression solution, finite everywhere (including N = P). Train noise:
 * r^2 sigma^2 (-(R1(s)/s)') at s = r; bias: sum_k c_k (r H_k(r))^2.
 */
export function staticRidge(ctx: KappaContext, sigma: number, ridge: number, ensembleSize?: number): StaticValues {
  const { modes, invN, invP } = ctx;
  const sig2 = sigma * sigma;
  const real = solveKappaReal(ctx, ridge);
  const kappa = real.kappa;
  const { lambda, c, weight } = modes;
  // One-point quantities at s = r (E15a): g, g', R, R1.
  let g = 0;
  let dg = 0;
  let gam = 0;
  let S = 0;
  let b0 = 0;
  let b1 = 0;
  let bias = 0;
  const A = kappa / ridge; // kappa / s
  for (let k = 0; k < lambda.length; k++) {
    const inv = 1 / (kappa + lambda[k]);
    const wl = weight[k] * lambda[k];
    g += wl * inv;
    dg -= wl * inv * inv;
    const hh = A * A * inv * inv; // H_k(r)^2
    gam += wl * lambda[k] * hh;
    S += wl * hh;
    b0 += weight[k] * c[k] * hh;
    b1 += wl * c[k] * hh;
    bias += weight[k] * c[k] * ridge * ridge * hh;
  }
  const R = ridge / kappa;
  const a1 = 1 - g * invP;
  const a3 = 1 - g * invN;
  const R1 = invP <= invN ? a1 : R / a3;
  const forms = new Float64Array(6);
  pairClosedForms(ridge, 0, R, 0, R1, 0, ridge, 0, R, 0, R1, 0, gam, 0, S, 0, b0, 0, b1, 0, invN, invP, sig2, forms);
  const r2 = ridge * ridge;
  const test = sig2 + r2 * forms[0];
  let train = r2 * forms[2];
  if (sig2 > 0) {
    if (invP === 0) train += sig2;
    else {
      // -(R1/s)' = -(R1'/s - R1/s^2), R1' = -(g'/phi')/P, phi' = A1 A3 - kappa g' (A3/P + A1/N)
      const dphi = a1 * a3 - kappa * dg * (a3 * invP + a1 * invN);
      const r1p = -(dg / dphi) * invP;
      train += sig2 * r2 * -(r1p / ridge - R1 / r2);
    }
  }
  const testA = sig2 + r2 * forms[4];
  const status: Status = worstStatus(real.status, ctx.kappaCStatus);
  const result: StaticValues = {
    test,
    train,
    bias,
    gap: test - train,
    testA,
    kappa,
    denominator: NaN,
    status,
    message: real.status === 'converged' ? '' : `kappa at s = ridge: ${real.status}`,
  };
  if (ensembleSize !== undefined) result.testE = testA + (test - testA) / ensembleSize;
  return result;
}

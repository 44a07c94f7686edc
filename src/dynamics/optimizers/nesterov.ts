/**
 * Nesterov's accelerated gradient, full batch (THEORY E28d): y_t = w_t + beta (w_t - w_{t-1}),
 * w_{t+1} = y_t - eta grad(y_t), w_{-1} = w_0, optional ridge (E25).
 *
 * Per eigenvalue m (plus ridge) the residual obeys D_{t+1} = a [(1 + beta) D_t - beta D_{t-1}], a = 1 - eta m,
 * D_0 = D_{-1} = 1, with characteristic polynomial z^2 - a (1 + beta) z + a beta. Both roots lie inside the
 * unit circle (Schur-Cohn: |a beta| < 1 and |a| (1 + beta) < 1 + a beta) iff -1/(1 + 2 beta) < a < 1, i.e.
 * 0 < eta m < 2 (1 + beta)/(1 + 2 beta): the stability bound (2/eta at beta = 0, 4/(3 eta) as beta -> 1).
 *
 * Z-domain map (E28d): at m = -u the root z satisfies 1 - eta m = 1 + eta u = z^2/q with q = (1 + beta) z - beta,
 * so u(z) = (z - 1)(z - beta)/(eta q); the other root is r2 = beta z/q. The kernel of the circle rule is the
 * residual polynomial itself, k_t(z) = D_t(-u(z)) u'(z), with both roots:
 *     k_t(z) = z^{t+1} [(z - beta) + beta (z - 1) (beta/q)^t] / (eta q^2).
 * Unlike the heavy ball (whose second root beta/z sends the pole of u to z = 0, killed by z^t), the pole of
 * u here sits at z = beta/(1 + beta) and the r2 term does not integrate to zero, so it is kept; the circle
 * |z| = R > 1 then encloses both roots of every stable mode and the pole, and its u-image winds once around
 * the spectrum (two roots minus one pole). The heavy ball's y-contour and keyhole assume its kernel z^{t-1}(z - beta)/eta;
 * past the circle's first steps the numeric layer takes the keyhole in this map instead (`keyhole` below, E28d).
 */
import type { Nesterov, OptimizerModule, ZDomainMap, ZKeyhole, ZNode } from '../types.js';
import { checkedBeta, checkedRate, rejectFields, twoStepFactors, twoStepPower } from './common.js';

/** The stability (and divergence) bound on E_max: 2 (1 + beta)/(eta (1 + 2 beta)) (see the file comment). */
function nesterovLimit(d: Nesterov): number {
  return (2 * (1 + d.beta)) / (d.lr * (1 + 2 * d.beta));
}

/** The Z-domain map and kernel of (E28d) for rate eta and coefficient beta. */
export function nesterovMap(eta: number, beta: number): ZDomainMap {
  return {
    lr: eta,
    node(zr: number, zi: number, t: number, out: ZNode): void {
      const qr = (1 + beta) * zr - beta;
      const qi = (1 + beta) * zi;
      const q2 = qr * qr + qi * qi;
      // u = (z - 1)(z - beta) / (eta q)
      const nr = (zr - 1) * (zr - beta) - zi * zi;
      const ni = zi * (zr - 1) + zi * (zr - beta);
      out.ur = (nr * qr + ni * qi) / (q2 * eta);
      out.ui = (ni * qr - nr * qi) / (q2 * eta);
      // (beta/q)^t in polar form; |beta/q| < 1 on |z| > 1
      const bMag = Math.exp(t * (Math.log(beta) - 0.5 * Math.log(q2)));
      const bArg = -t * Math.atan2(qi, qr);
      const br = beta === 0 ? 0 : bMag * Math.cos(bArg);
      const bi = beta === 0 ? 0 : bMag * Math.sin(bArg);
      // s = (z - beta) + beta (z - 1) (beta/q)^t
      const sr = zr - beta + beta * ((zr - 1) * br - zi * bi);
      const si = zi + beta * ((zr - 1) * bi + zi * br);
      // z k_t = z^{t+2} s / (eta q^2)
      const zMag = Math.exp(0.5 * (t + 2) * Math.log(zr * zr + zi * zi)) / (eta * q2 * q2);
      const zArg = (t + 2) * Math.atan2(zi, zr);
      const pr = zMag * Math.cos(zArg);
      const pi = zMag * Math.sin(zArg);
      // times conj(q)^2 (1/q^2 = conj(q)^2/|q|^4)
      const cr = qr * qr - qi * qi;
      const ci = -2 * qr * qi;
      const wr = pr * cr - pi * ci;
      const wi = pr * ci + pi * cr;
      out.kr = wr * sr - wi * si;
      out.ki = wr * si + wi * sr;
    },
    crossing(R: number): number {
      return ((R - 1) * (R - beta)) / (eta * ((1 + beta) * R - beta));
    },
    keyhole: nesterovKeyhole(eta, beta),
  };
}

/**
 * The keyhole data of (E28d): in y = log z the kernel is z k_t(z) = z^t f_t(z) with
 *     f_t(z) = z^2 [(z - beta) + beta (z - 1) (beta/q)^t] / (eta q^2),  q = (1 + beta) z - beta = 1 + (1 + beta)(z - 1).
 * z is a root of the characteristic polynomial at m = -u and r2 = beta z/q the other; |r2| <= |z| exactly outside
 * the disc |q| < beta (centre beta/(1 + beta), radius beta/(1 + beta): it holds the pole of u and every second
 * root), so there |beta/q|^t <= 1 and |f_t| <= |z|^2 (|z - beta| + beta |z - 1|)/(eta |q|^2) for every t. The
 * singular set: the dominant roots of the spectrum, real in (0, 1] for a = 1 - eta m >= 4 beta/(1 + beta)^2,
 * a conjugate pair on that disc's edge (|z| < 2 beta/(1 + beta)) for 0 < a < 4 beta/(1 + beta)^2, and negative
 * for a < 0, of modulus (|a| (1 + beta) + sqrt(a^2 (1 + beta)^2 + 4 |a| beta))/2 (below 1 when stable).
 */
function nesterovKeyhole(eta: number, beta: number): ZKeyhole {
  const inner = (2 * beta) / (1 + beta);
  const doubleRoot = (4 * beta) / ((1 + beta) * (1 + beta));
  return {
    innerRadius: inner,
    node(dr, di, t, out) {
      const qr = 1 + (1 + beta) * dr;
      const qi = (1 + beta) * di;
      const q2 = qr * qr + qi * qi;
      // u = (z - 1)(z - beta) / (eta q), with z - beta = 1 - beta + d
      const cr = 1 - beta + dr;
      const nr = dr * cr - di * di;
      const ni = dr * di + di * cr;
      out.ur = (nr * qr + ni * qi) / (q2 * eta);
      out.ui = (ni * qr - nr * qi) / (q2 * eta);
      // s = (z - beta) + beta (z - 1) (beta/q)^t
      let sr = cr;
      let si = di;
      if (beta > 0) {
        const bMag = Math.exp(t * (Math.log(beta) - 0.5 * Math.log(q2)));
        const bArg = -t * Math.atan2(qi, qr);
        const br = bMag * Math.cos(bArg);
        const bi = bMag * Math.sin(bArg);
        sr += beta * (dr * br - di * bi);
        si += beta * (dr * bi + di * br);
      }
      // z^2 conj(q)^2 / (eta |q|^4)
      const zr = 1 + dr;
      const pr0 = zr * zr - di * di;
      const pi0 = 2 * zr * di;
      const wr0 = qr * qr - qi * qi;
      const wi0 = -2 * qr * qi;
      const scale = 1 / (eta * q2 * q2);
      const pr = (pr0 * wr0 - pi0 * wi0) * scale;
      const pi = (pr0 * wi0 + pi0 * wr0) * scale;
      out.kr = pr * sr - pi * si;
      out.ki = pr * si + pi * sr;
    },
    factorBound(dr, di) {
      const qr = 1 + (1 + beta) * dr;
      const qi = (1 + beta) * di;
      const z2 = (1 + dr) * (1 + dr) + di * di;
      return (z2 * (Math.hypot(1 - beta + dr, di) + beta * Math.hypot(dr, di))) / (eta * (qr * qr + qi * qi));
    },
    fastRadius(eMax) {
      const a = 1 - eta * eMax;
      if (a > doubleRoot) return 0;
      if (a >= 0) return inner;
      const x = -a * (1 + beta);
      return Math.max(inner, (x + Math.sqrt(x * x - 4 * a * beta)) / 2);
    },
    slowRoot(eMax) {
      const a = 1 - eta * eMax;
      const x = a * (1 + beta);
      return (x + Math.sqrt(Math.max(0, x * x - 4 * a * beta))) / 2;
    },
  };
}

export const nesterov: OptimizerModule<Nesterov> = {
  kind: 'nesterov',
  summary: "Nesterov's accelerated gradient (full batch), step eta, coefficient beta, t = steps",
  theory: 'E28d',
  discrete: true,
  supports: { ridge: true, schedule: false, stochastic: false, reconcile: false, propagatorCost: 'log-steps' },
  // The slow root is 1 - eta m/(1 - beta) + O(eta^2), as for the heavy ball (E28d).
  laws: { kind: 'rescaled-time', time: 'eta t/(1 - beta)', theory: 'E28d', summedRate: 'sum_{s<t} eta_s / (1 - beta)' },
  make(input, names, ridge) {
    rejectFields(input, names, 'nesterov', { momentum: true });
    const lr = checkedRate(input, names, 'nesterov');
    const beta = checkedBeta(input, names);
    return { kind: 'nesterov', lr, beta, ridge };
  },
  stabilityLimit: nesterovLimit,
  divergenceLimit: nesterovLimit,
  unitRateBound: '2 (1 + beta)/(1 + 2 beta)',
  stabilityFormula: () => '2 (1 + beta) / (eta (1 + 2 beta)): THEORY E28d',
  equivalentTime: (d, t) => (d.lr * t) / (1 - d.beta),
  samplesPerStep: () => 1,
  labelParts: (d) => [`eta=${d.lr}`, `beta=${d.beta}`],
  timeKernel: (d) => ({ rule: 'z-map', map: nesterovMap(d.lr, d.beta) }),
  residual(d, m, t) {
    if (t === Infinity) return m > 0 ? 0 : 1;
    const a = 1 - d.lr * m;
    return twoStepPower(a * (1 + d.beta), a * d.beta, t);
  },
  propagate(d, m, x, t, g, h, row) {
    const a = 1 - d.lr * m;
    twoStepFactors(a * (1 + d.beta), a * d.beta, d.lr, m, x, t, g, h, row);
  },
};

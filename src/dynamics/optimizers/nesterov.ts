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
 * the spectrum (two roots minus one pole). The y-contour and keyhole rules assume the kernel z^{t-1}(z - beta)/eta
 * and do not apply: the numeric layer uses the circle rule at every time (its cost limit bounds the steps).
 */
import type { Nesterov, OptimizerModule, ZDomainMap, ZNode } from '../types.js';
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

/**
 * Heavy-ball momentum w_{t+1} = w_t - eta grad + beta (w_t - w_{t-1}) (THEORY E27, E27a), optional ridge
 * (E25) and learning-rate schedule (E28c). Per eigenvalue m the residual obeys D_{t+1} = (1 + beta - eta m) D_t
 * - beta D_{t-1}: it converges iff both roots of z^2 - (1 + beta - eta m) z + beta lie inside the unit
 * circle, i.e. eta m < 2 (1 + beta).
 */
import type { Momentum, OptimizerModule } from '../types.js';
import { checkedBeta, checkedRate, heavyBallMap, peakOf, rejectFields, twoStepFactors, twoStepPower } from './common.js';

export const momentum: OptimizerModule<Momentum> = {
  kind: 'momentum',
  summary: 'heavy-ball momentum, step eta, coefficient beta, t = steps',
  theory: 'E27',
  discrete: true,
  supports: { ridge: true, schedule: true, stochastic: false, reconcile: false, propagatorCost: 'log-steps' },
  laws: { kind: 'rescaled-time', time: 'eta t/(1 - beta)', theory: 'E27', summedRate: 'sum_{s<t} eta_s / (1 - beta)' },
  make(input, names, ridge, schedule) {
    rejectFields(input, names, 'momentum', { momentum: true });
    const lr = checkedRate(input, names, 'momentum');
    const beta = checkedBeta(input, names);
    return schedule === undefined ? { kind: 'momentum', lr, beta, ridge } : { kind: 'momentum', lr, beta, ridge, schedule };
  },
  // Its circle and keyhole rules (E27, E27a) cover every convergent setting.
  stabilityLimit: (d) => (2 * (1 + d.beta)) / peakOf(d),
  divergenceLimit: (d) => (2 * (1 + d.beta)) / peakOf(d),
  unitRateBound: '2 (1 + beta)',
  stabilityFormula: () => '2 (1 + beta) / eta: THEORY E27',
  // Its effective step at slow modes is eta / (1 - beta).
  equivalentTime: (d, t) => (d.lr * t) / (1 - d.beta),
  samplesPerStep: () => 1,
  labelParts: (d) => [`eta=${d.lr}`, `beta=${d.beta}`],
  // Under a schedule the circle rule runs at the peak rate (E28c).
  timeKernel: (d) => ({ rule: 'z-map', map: heavyBallMap(peakOf(d), d.beta, false) }),
  residual: (d, m, t) => (t === Infinity ? (m > 0 ? 0 : 1) : twoStepPower(1 + d.beta - d.lr * m, d.beta, t)),
  propagate: (d, m, x, t, g, h, row) => twoStepFactors(1 + d.beta - d.lr * m, d.beta, d.lr, m, x, t, g, h, row),
};

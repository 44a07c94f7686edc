/** Full-batch gradient descent with step eta (THEORY E26), optional ridge (E25) and learning-rate schedule (E28c). */
import type { GradientDescent, OptimizerModule } from '../types.js';
import { checkedRate, heavyBallMap, peakOf, rejectFields } from './common.js';

export const gradientDescent: OptimizerModule<GradientDescent> = {
  kind: 'gd',
  summary: 'full-batch gradient descent, step eta, t = steps',
  theory: 'E26',
  discrete: true,
  supports: { ridge: true, schedule: true, stochastic: false, reconcile: false, propagatorCost: 'closed-form' },
  laws: { kind: 'rescaled-time', time: 'eta t', theory: 'E26', summedRate: 'sum_{s<t} eta_s' },
  make(input, names, ridge, schedule) {
    rejectFields(input, names, 'gd', {});
    const lr = checkedRate(input, names, 'gd');
    return schedule === undefined ? { kind: 'gd', lr, ridge } : { kind: 'gd', lr, ridge, schedule };
  },
  // 2/eta: GD converges up to there; the y-contour map of E26 needs eta eMax < 1, and for 1 <= eta eMax < 2
  // the rules of momentum at beta = 0 serve every time.
  stabilityLimit: (d) => 2 / peakOf(d),
  divergenceLimit: (d) => 2 / peakOf(d),
  stabilityFormula: () => '2 / eta: GD diverges beyond, THEORY E26',
  equivalentTime: (d, t) => d.lr * t,
  samplesPerStep: () => 1,
  labelParts: (d) => [`eta=${d.lr}`],
  // Under a schedule the circle rule runs at the peak rate (E28c).
  timeKernel: (d) => ({ rule: 'z-map', map: heavyBallMap(peakOf(d), 0, true) }),
  residual(d, m, t) {
    if (t === Infinity) return m > 0 ? 0 : 1;
    const x = d.lr * m;
    return x < 1 ? Math.exp(t * Math.log1p(-x)) : Math.pow(1 - x, t);
  },
  propagate(d, m, x, t, g, h, row) {
    const eta = d.lr;
    const r = d.ridge;
    const q = 1 - eta * m;
    for (let j = 0; j < t.length; j++) {
      const tj = t[j];
      if (m > 0) {
        // 1 - q^t without cancellation for 0 < q < 1 (the slow modes).
        const power = q > 0 ? Math.exp(tj * Math.log1p(-eta * m)) : Math.pow(q, tj);
        const oneMinus = q > 0 ? -Math.expm1(tj * Math.log1p(-eta * m)) : 1 - power;
        g[row + j] = oneMinus / m;
        h[row + j] = r === 0 ? power : (r + x * power) / m;
      } else {
        g[row + j] = eta * tj;
        h[row + j] = 1;
      }
    }
  },
};

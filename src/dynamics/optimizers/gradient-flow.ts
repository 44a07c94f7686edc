/** Gradient flow with unit rate (THEORY E5), with an optional ridge (E25): the continuous-time optimizer. */
import { InvalidArgumentError } from '../../core/errors.js';
import type { GradientFlow, OptimizerModule } from '../types.js';
import { rejectFields } from './common.js';

/** Unit-rate gradient flow without ridge: the default of every layer. */
export const GRADIENT_FLOW: GradientFlow = Object.freeze({ kind: 'gf', ridge: 0 });

export const gradientFlow: OptimizerModule<GradientFlow> = {
  kind: 'gf',
  summary: 'gradient flow, unit rate, t continuous',
  theory: 'E5',
  discrete: false,
  supports: { ridge: true, schedule: false, stochastic: false, reconcile: true, propagatorCost: 'closed-form' },
  laws: { kind: 'gradient-flow' },
  make(input, names, ridge) {
    rejectFields(input, names, 'gf', {});
    if (input.lr !== undefined) {
      throw new InvalidArgumentError(names.lr, `does not apply to gradient flow (unit rate; use ${names.optimizer} gd)`, input.lr);
    }
    return ridge === 0 ? GRADIENT_FLOW : { kind: 'gf', ridge };
  },
  stabilityLimit: () => Infinity,
  divergenceLimit: () => Infinity,
  stabilityFormula: () => 'none: gradient flow converges at every spectrum',
  equivalentTime: (_d, t) => t,
  samplesPerStep: () => 1,
  labelParts: () => [],
  timeKernel: () => ({ rule: 'laplace' }),
  residual: (_d, m, t) => (t === Infinity ? (m > 0 ? 0 : 1) : Math.exp(-m * t)),
  propagate(d, m, x, t, g, h, row) {
    const r = d.ridge;
    for (let j = 0; j < t.length; j++) {
      if (m > 0) {
        const tj = t[j];
        g[row + j] = tj === Infinity ? 1 / m : -Math.expm1(-m * tj) / m;
        // r = 0: h = e^{-mu t} directly (no rounding from (mu e^{-mu t}) / mu).
        h[row + j] = tj === Infinity ? r / m : r === 0 ? Math.exp(-m * tj) : (r + x * Math.exp(-m * tj)) / m;
      } else {
        g[row + j] = t[j];
        h[row + j] = 1;
      }
    }
  },
};

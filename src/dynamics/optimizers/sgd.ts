/**
 * One-pass minibatch SGD with batch B at P = infinity (THEORY E28): fresh samples every step, compute
 * C = N t B. Its mean is GD; its loss has its own noise term (the numeric layer's Volterra solver, the
 * simulator's sampled runs). No ridge (E28 has none); a learning-rate schedule makes its kernel two-time
 * (E28c: the numeric layer steps the per-mode second moments).
 */
import { InvalidArgumentError } from '../../core/errors.js';
import type { GradientDescent, OnePassSgd, OptimizerModule } from '../types.js';
import { checkedRate, peakOf, rejectFields } from './common.js';

const sgdLimit = (d: OnePassSgd): number => 2 / (peakOf(d) * (1 + 1 / d.batch));

export const onePassSgd: OptimizerModule<OnePassSgd> = {
  kind: 'sgd',
  summary: 'one-pass minibatch SGD, step eta, batch B, t = steps',
  theory: 'E28',
  discrete: true,
  supports: { ridge: false, schedule: true, stochastic: true, reconcile: true, propagatorCost: 'sampled' },
  laws: { kind: 'own', theory: 'E28' },
  make(input, names, ridge, schedule) {
    rejectFields(input, names, 'sgd', { batch: true });
    const lr = checkedRate(input, names, 'sgd');
    const batch = input.batch ?? 1;
    if (!Number.isInteger(batch) || batch < 1) throw new InvalidArgumentError(names.batch, 'must be an integer >= 1', batch);
    if (ridge !== 0) throw new InvalidArgumentError(names.ridge, 'is not supported with one-pass SGD (E28 has no ridge)', ridge);
    return schedule === undefined ? { kind: 'sgd', lr, batch, ridge } : { kind: 'sgd', lr, batch, ridge, schedule };
  },
  // The per-mode factor of the exact second-moment recursion, rho(x) = (1 - eta x)^2 + (eta^2/B) x^2, is below 1
  // on (0, eMax] exactly below 2/(eta (1 + 1/B)), and rho >= 1/(B + 1) > 0 keeps the Volterra solver's y-contour
  // map valid up to it. SGD has a second condition that is not a bound on eMax alone: the kernel mass
  // (eta/B) tr[T/(2 - eta (1 + 1/B) T)] below 1 (E28; the numeric layer reports it as status 'unstable').
  // The finite model diverges beyond the same bound (the expected loss of the top mode grows; the mean, which
  // is GD, would still converge up to 2/eta).
  stabilityLimit: sgdLimit,
  divergenceLimit: sgdLimit,
  unitRateBound: '2/(1 + 1/B)',
  stabilityFormula: () => '2 / (eta (1 + 1/B)): THEORY E28',
  equivalentTime: (d, t) => d.lr * t,
  samplesPerStep: (d) => d.batch,
  labelParts: (d) => [`eta=${d.lr}`, `B=${d.batch}`],
  // The deterministic part the numeric layer inverts with the Laplace contours; its SGD solver lives apart.
  timeKernel: () => ({ rule: 'laplace' }),
  residual: (_d, m, t) => (t === Infinity ? (m > 0 ? 0 : 1) : Math.exp(-m * t)),
};

/** The mean of one-pass SGD: full-batch GD at the same rate without ridge (E28). */
export function sgdMean(d: Pick<OnePassSgd, 'lr' | 'batch' | 'schedule'>): GradientDescent {
  return d.schedule === undefined ? { kind: 'gd', lr: d.lr, ridge: 0 } : { kind: 'gd', lr: d.lr, ridge: 0, schedule: d.schedule };
}

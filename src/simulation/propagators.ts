/**
 * Exact propagators of the linear training dynamics in eigen-form (THEORY E5,
 * E25-E27). With gradient b - (K + r) w on the student weights, w = 0 at the
 * start and K = U diag(mu) U^T, every deterministic optimizer of
 * src/dynamics gives
 *     w(t) = U diag(g(mu, t)) U^T b,
 * and the training residual Phi w(t) - y has the factor h(mu, t) = 1 - mu g
 * along each eigen-direction (seed.ts). Per eigenvalue, with m = mu + r:
 *  - gradient flow (E5) and its ridge (E25): g = (1 - e^{-m t}) / m, so
 *    h = (r + mu e^{-m t}) / m; t = infinity gives the ridge regression
 *    solution g = 1 / m;
 *  - discrete GD (E26), t steps of w <- w - eta ((K + r) w - b):
 *    g = (1 - q^t) / m with q = 1 - eta m, h = (r + mu q^t) / m;
 *  - heavy-ball momentum (E27), w_{t+1} = w_t - eta grad + beta (w_t - w_{t-1}),
 *    w_{-1} = w_0 = 0: g obeys g_{t+1} = (1 + beta - eta m) g_t - beta g_{t-1} + eta,
 *    g_0 = g_{-1} = 0, a 2 x 2 linear recursion with a constant, evaluated by
 *    binary powering of its affine map (O(log t) per eigenvalue and time,
 *    no cancellation at m = 0 and no special case at the double root);
 *  - Nesterov (E28d): g_{t+1} = (1 - eta m)[(1 + beta) g_t - beta g_{t-1}] + eta, the same powering.
 * Each optimizer module (src/dynamics/optimizers) carries its propagator; this file applies it.
 * m = 0 (a zero eigenvalue without ridge) gives g = t, eta t and the
 * momentum sum respectively, h = 1.
 *
 * Stability (the exact finite model, not the contour method's condition):
 * GD converges iff |1 - eta m| < 1 for every eigenvalue, i.e. eta m_max < 2;
 * momentum iff both roots of z^2 - (1 + beta - eta m) z + beta lie inside
 * the unit circle, i.e. eta m_max < 2 (1 + beta) (0 <= beta < 1); Nesterov iff
 * eta m_max < 2 (1 + beta)/(1 + 2 beta) (E28d). Beyond
 * that the run reports the status 'unstable' with the bound, never a number.
 */
import { InvalidArgumentError } from '../core/errors.js';
import { optimizerOf, scheduledDynamics, scheduledResiduals, type Dynamics, type OnePassSgd, type ScheduledDynamics } from '../dynamics/index.js';

/** The deterministic dynamics handled here (everything but one-pass SGD). */
export type LinearDynamics = Exclude<Dynamics, OnePassSgd>;

/**
 * g and h for each eigenvalue mu[i] and time t[j], at [i * T + j]. Negative
 * rounding-level eigenvalues are clamped to 0 (they belong to a positive
 * semi-definite K).
 */
export function propagatorFactors(dynamics: LinearDynamics, mu: Float64Array, t: Float64Array): { g: Float64Array; h: Float64Array } {
  const n = mu.length;
  const T = t.length;
  const g = new Float64Array(n * T);
  const h = new Float64Array(n * T);
  const r = dynamics.ridge;
  const scheduled = scheduledDynamics(dynamics);
  if (scheduled !== undefined) {
    scheduledFactors(scheduled, mu, t, g, h);
    return { g, h };
  }
  const propagate = optimizerOf(dynamics).propagate;
  if (propagate === undefined) throw new InvalidArgumentError('dynamics', 'has no exact propagator (a stochastic optimizer: the simulator samples it)', dynamics.kind);
  for (let i = 0; i < n; i++) {
    const x = mu[i] > 0 ? mu[i] : 0;
    propagate(dynamics, x + r, x, t, g, h, i * T);
  }
  return { g, h };
}

/**
 * GD or momentum under a learning-rate schedule (THEORY E28c): the per-step recursions of D = 1 - m g and g
 * (scheduledPropagator), one pass over the steps per eigenvalue for all times (O(max t) each).
 */
function scheduledFactors(dynamics: ScheduledDynamics, mu: Float64Array, t: Float64Array, g: Float64Array, h: Float64Array): void {
  const T = t.length;
  for (let j = 0; j < T; j++) {
    if (!Number.isFinite(t[j])) throw new InvalidArgumentError('t', 'must be finite under a learning-rate schedule (the rates are applied step by step)', t[j]);
  }
  const r = dynamics.ridge;
  const x = Float64Array.from(mu, (v) => (v > 0 ? v : 0));
  const { d, g: weights } = scheduledResiduals(dynamics, x.map((v) => v + r), t);
  g.set(weights);
  for (let i = 0; i < mu.length; i++) {
    const m = x[i] + r;
    for (let j = 0; j < T; j++) h[i * T + j] = m > 0 && r !== 0 ? (r + x[i] * d[i * T + j]) / m : d[i * T + j];
  }
}

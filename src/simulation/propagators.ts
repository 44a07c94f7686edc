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
 *    no cancellation at m = 0 and no special case at the double root).
 * m = 0 (a zero eigenvalue without ridge) gives g = t, eta t and the
 * momentum sum respectively, h = 1.
 *
 * Stability (the exact finite model, not the contour method's condition):
 * GD converges iff |1 - eta m| < 1 for every eigenvalue, i.e. eta m_max < 2;
 * momentum iff both roots of z^2 - (1 + beta - eta m) z + beta lie inside
 * the unit circle, i.e. eta m_max < 2 (1 + beta) (0 <= beta < 1). Beyond
 * that the run reports the status 'unstable' with the bound, never a number.
 */
import { InvalidArgumentError } from '../core/errors.js';
import { scheduledDynamics, scheduledResiduals, type Dynamics, type ScheduledDynamics } from '../dynamics/index.js';

/** The deterministic dynamics handled here (everything but one-pass SGD). */
export type LinearDynamics = Exclude<Dynamics, { kind: 'sgd' }>;

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
  for (let i = 0; i < n; i++) {
    const x = mu[i] > 0 ? mu[i] : 0;
    const m = x + r;
    const row = i * T;
    switch (dynamics.kind) {
      case 'gf':
        for (let j = 0; j < T; j++) {
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
        break;
      case 'gd': {
        const eta = dynamics.lr;
        const q = 1 - eta * m;
        for (let j = 0; j < T; j++) {
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
        break;
      }
      case 'momentum':
        momentumFactors(dynamics.lr, dynamics.beta, m, x, t, g, h, row);
        break;
    }
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

/**
 * Momentum: the state (g_t, g_{t-1}) advances by the affine map
 * s -> Q s + c, Q = [[1 + beta - eta m, -beta], [1, 0]], c = (eta, 0).
 * From one requested time to the next the map is raised to the step count by
 * squaring (compositions (Q1, c1) o (Q2, c2) = (Q1 Q2, Q1 c2 + c1)).
 */
function momentumFactors(
  eta: number,
  beta: number,
  m: number,
  x: number,
  t: Float64Array,
  g: Float64Array,
  h: Float64Array,
  row: number,
): void {
  const a = 1 + beta - eta * m;
  let s0 = 0; // g_t
  let s1 = 0; // g_{t-1}
  let current = 0;
  for (let j = 0; j < t.length; j++) {
    if (t[j] === Infinity) {
      // The fixed point of the recursion (reached when the dynamics are stable).
      g[row + j] = m > 0 ? 1 / m : Infinity;
      h[row + j] = m > 0 ? 1 - x / m : 1;
      continue;
    }
    let steps = t[j] - current;
    if (steps < 0) {
      // Times need not be sorted: restart from t = 0.
      s0 = 0;
      s1 = 0;
      current = 0;
      steps = t[j];
    }
    // Accumulated map R (2 x 2) and offset d; base map B, e (the one-step map, squared as we go).
    let r00 = 1, r01 = 0, r10 = 0, r11 = 1, d0 = 0, d1 = 0;
    let b00 = a, b01 = -beta, b10 = 1, b11 = 0, e0 = eta, e1 = 0;
    let k = steps;
    while (k > 0) {
      if (k % 2 === 1) {
        // R <- B o R: (B R, B d + e)
        const n00 = b00 * r00 + b01 * r10;
        const n01 = b00 * r01 + b01 * r11;
        const n10 = b10 * r00 + b11 * r10;
        const n11 = b10 * r01 + b11 * r11;
        const m0 = b00 * d0 + b01 * d1 + e0;
        const m1 = b10 * d0 + b11 * d1 + e1;
        r00 = n00; r01 = n01; r10 = n10; r11 = n11; d0 = m0; d1 = m1;
      }
      k = Math.floor(k / 2);
      if (k > 0) {
        // B <- B o B
        const n00 = b00 * b00 + b01 * b10;
        const n01 = b00 * b01 + b01 * b11;
        const n10 = b10 * b00 + b11 * b10;
        const n11 = b10 * b01 + b11 * b11;
        const m0 = b00 * e0 + b01 * e1 + e0;
        const m1 = b10 * e0 + b11 * e1 + e1;
        b00 = n00; b01 = n01; b10 = n10; b11 = n11; e0 = m0; e1 = m1;
      }
    }
    const next0 = r00 * s0 + r01 * s1 + d0;
    const next1 = r10 * s0 + r11 * s1 + d1;
    s0 = next0;
    s1 = next1;
    current = t[j];
    g[row + j] = s0;
    h[row + j] = 1 - x * s0;
  }
}

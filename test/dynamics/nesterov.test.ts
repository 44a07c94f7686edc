/**
 * The Nesterov module (THEORY E28d) against independent references: a direct step-by-step recursion of the
 * iteration y_t = w_t + beta (w_t - w_{t-1}), w_{t+1} = y_t - eta grad(y_t); the roots of its characteristic
 * polynomial by the quadratic formula (the stability bound); and the Z-map's circle rule applied to the one-mode
 * transform F(u) = 1/(u + lambda), which must reproduce the recursion's residual at every step.
 */
import { describe, expect, it } from 'vitest';
import { equivalentTime, makeDynamics, nesterovMap, OPTIMIZER_MODULES, stabilityLimit, divergenceLimit, dynamicsLabel, describeDynamics, type Nesterov } from '../../src/dynamics/index.js';

/** w_t of the iteration on the one-mode loss (m/2)(w - 1)^2 from w_{-1} = w_0 = 0: the residual is 1 - w_t. */
function iterate(eta: number, beta: number, m: number, steps: number): { residual: number; weight: number } {
  let w = 0;
  let previous = 0;
  for (let s = 0; s < steps; s++) {
    const y = w + beta * (w - previous);
    previous = w;
    w = y - eta * m * (y - 1);
  }
  // g with w = g m: the weight factor per unit target (b = m)
  return { residual: 1 - w, weight: m > 0 ? w / m : NaN };
}

/** Largest root modulus of z^2 - a (1 + beta) z + a beta, a = 1 - x (quadratic formula, complex when needed). */
function spectralRadius(x: number, beta: number): number {
  const a = 1 - x;
  const p = a * (1 + beta);
  const q = a * beta;
  const disc = p * p - 4 * q;
  if (disc < 0) return Math.sqrt(q);
  const r = Math.sqrt(disc);
  return Math.max(Math.abs((p + r) / 2), Math.abs((p - r) / 2));
}

describe('makeDynamics: nesterov', () => {
  it('defaults, fields and label', () => {
    const d = makeDynamics({ optimizer: 'nesterov', lr: 0.5 }) as Nesterov;
    expect(d).toEqual({ kind: 'nesterov', lr: 0.5, beta: 0.9, ridge: 0 });
    expect(makeDynamics({ optimizer: 'nesterov', lr: 0.5, momentum: 0.3, ridge: 0.01 })).toEqual({ kind: 'nesterov', lr: 0.5, beta: 0.3, ridge: 0.01 });
    expect(dynamicsLabel(d)).toBe('nesterov(eta=0.5, beta=0.9)');
    expect(describeDynamics(d)).toEqual({ kind: 'nesterov', lr: 0.5, beta: 0.9, ridge: 0, optimizer: 'nesterov' });
    expect(equivalentTime(d, 100)).toBeCloseTo(500, 10);
  });
  it.each([
    [{ optimizer: 'nesterov' as const }, /lr is required with optimizer nesterov/],
    [{ optimizer: 'nesterov' as const, lr: 0.5, momentum: 1 }, /momentum must be in \[0, 1\), got 1/],
    [{ optimizer: 'nesterov' as const, lr: 0.5, batch: 4 }, /batch only applies with optimizer sgd/],
    [{ optimizer: 'nesterov' as const, lr: 0.5, schedule: { kind: 'cosine' as const, total: 10 } }, /schedule only applies with optimizer gd or momentum/],
  ])('refuses %o', (input, message) => {
    expect(() => makeDynamics(input as never)).toThrow(message);
  });
});

describe('stability bound 2 (1 + beta) / (eta (1 + 2 beta)) (E28d) against the roots', () => {
  it.each([0, 0.3, 0.5, 0.9, 0.99])('beta = %s: roots inside the unit circle exactly below the bound', (beta) => {
    const eta = 0.7;
    const d = makeDynamics({ optimizer: 'nesterov', lr: eta, momentum: beta });
    const bound = stabilityLimit(d);
    expect(divergenceLimit(d)).toBe(bound);
    // Every eigenvalue in (0, bound) is stable; just past it, not.
    for (let i = 1; i < 400; i++) expect(spectralRadius((eta * bound * i) / 400, beta), `m = ${(bound * i) / 400}`).toBeLessThan(1);
    expect(spectralRadius(eta * bound * (1 - 1e-9), beta)).toBeLessThan(1);
    expect(spectralRadius(eta * bound * (1 + 1e-6), beta)).toBeGreaterThan(1);
    // The finite iteration agrees: bounded just below, growing just above.
    expect(Math.abs(iterate(eta, beta, bound * 0.999, 20000).residual)).toBeLessThan(1);
    expect(Math.abs(iterate(eta, beta, bound * 1.01, 20000).residual)).toBeGreaterThan(1e3);
  });
});

describe('the exact propagator (simulator) and the residual (N = P = infinity) against the iteration', () => {
  const module = OPTIMIZER_MODULES.nesterov;
  it.each([
    [0.5, 0.9, 0.01],
    [0.5, 0.9, 0.7],
    [1.1, 0.5, 1.2], // a = 1 - eta m < 0
    [0.3, 0, 2.5], // beta = 0: GD
  ])('eta = %s, beta = %s, m = %s', (eta, beta, m) => {
    const d = makeDynamics({ optimizer: 'nesterov', lr: eta, momentum: beta }) as Nesterov;
    const t = Float64Array.from([0, 1, 2, 3, 7, 50, 333, 20, 1000]);
    const g = new Float64Array(t.length);
    const h = new Float64Array(t.length);
    module.propagate!(d, m, m, t, g, h, 0);
    t.forEach((ti, j) => {
      const ref = iterate(eta, beta, m, ti);
      const scale = 1e-12 * Math.max(1, ti);
      expect(Math.abs(h[j] - ref.residual), `h t=${ti}`).toBeLessThanOrEqual(scale);
      expect(Math.abs(g[j] - ref.weight), `g t=${ti}`).toBeLessThanOrEqual(scale * Math.max(1, Math.abs(ref.weight)));
      expect(Math.abs(module.residual(d, m, ti) - ref.residual), `D t=${ti}`).toBeLessThanOrEqual(scale);
    });
  });
});

describe('the Z-map (E28d): the circle rule on F(u) = 1/(u + lambda) reproduces the residual of every step', () => {
  /** (1/2 pi i) oint k_t(z) F(u(z)) dz on |z| = 1 + 4/t, trapezoid with 2m nodes: 2 Re sum_{j<m} z k_t(z_j) F(u_j) / (2m). */
  function circle(eta: number, beta: number, lambda: number, t: number): number {
    const map = nesterovMap(eta, beta);
    const m = Math.ceil(8 * t) + 64;
    const R = 1 + 4 / Math.max(t, 1);
    const node = { ur: 0, ui: 0, kr: 0, ki: 0 };
    let sum = 0;
    for (let j = 0; j < m; j++) {
      const th = ((j + 0.5) * Math.PI) / m;
      map.node(R * Math.cos(th), R * Math.sin(th), t, node);
      // F = 1/(u + lambda)
      const dr = node.ur + lambda;
      const di = node.ui;
      const den = dr * dr + di * di;
      sum += (node.kr * dr + node.ki * di) / den / m;
    }
    return sum;
  }
  it.each([
    [0.5, 0.9, 0.05],
    [0.5, 0.9, 1.0], // complex roots
    [1.1, 0.5, 1.2], // a < 0: a negative root near beta/(1 + beta)'s reflection
    [0.8, 0.3, 0.4],
  ])('eta = %s, beta = %s, lambda = %s', (eta, beta, lambda) => {
    for (const t of [0, 1, 2, 5, 17, 60]) {
      const exact = iterate(eta, beta, lambda, t).residual;
      expect(Math.abs(circle(eta, beta, lambda, t) - exact), `t = ${t}`).toBeLessThan(1e-11);
    }
  });
  it('crossing(R) is u on the positive real axis and u ~ z/(eta (1 + beta)) at large z', () => {
    const map = nesterovMap(0.5, 0.9);
    const node = { ur: 0, ui: 0, kr: 0, ki: 0 };
    map.node(1.3, 0, 3, node);
    expect(node.ui).toBe(0);
    expect(map.crossing(1.3)).toBeCloseTo(node.ur, 14);
    map.node(1e8, 0, 0, node);
    expect(node.ur * 0.5 * 1.9 / 1e8).toBeCloseTo(1, 6);
  });
});

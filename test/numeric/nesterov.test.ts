/**
 * The DMFT under Nesterov's accelerated gradient (THEORY E28d). References that do not share the DMFT's
 * approximation or its code path:
 *  - N = P = infinity: the loss is sum_k c_k D_t(lambda_k)^2 with D_t from a step-by-step recursion here;
 *  - N = P = 1e8 and 1e9 go through the circle rule with the module's Z-map; Richardson extrapolation removes
 *    the DMFT's own O(1/N) term and must land on the same sum (as for the schedules, test/numeric/lr-schedule).
 */
import { describe, expect, it } from 'vitest';
import { makeDynamics } from '../../src/dynamics/index.js';
import { circleStepLimit, solveCurve } from '../../src/numeric/index.js';
import { customSpectrum } from '../../src/spectrum/index.js';

/** D_t(lambda) of D_{s+1} = (1 - eta lambda)[(1 + beta) D_s - beta D_{s-1}], D_0 = D_{-1} = 1. */
function residual(eta: number, beta: number, lambda: number, t: number): number {
  let d = 1;
  let previous = 1;
  for (let s = 0; s < t; s++) {
    const next = (1 - eta * lambda) * ((1 + beta) * d - beta * previous);
    previous = d;
    d = next;
  }
  return d;
}

describe('Nesterov at N = P = infinity and N = P = 1e9 against the per-mode recursion', () => {
  const lambda = Array.from({ length: 60 }, (_, k) => (k + 1) ** -1.25);
  const c = Array.from({ length: 60 }, (_, k) => (k + 1) ** -1.5);
  const spectrum = customSpectrum(lambda, c);
  const t = [1, 10, 100, 300];
  it.each([
    [1, 0.8],
    [0.5, 0.5],
  ])('eta = %s, beta = %s', (eta, beta) => {
    const dynamics = makeDynamics({ optimizer: 'nesterov', lr: eta, momentum: beta });
    const exact = t.map((ti) => lambda.reduce((sum, l, k) => sum + c[k] * residual(eta, beta, l, ti) ** 2, 0));
    const free = solveCurve({ spectrum, N: Infinity, P: Infinity, sigma: 0, t, dynamics });
    expect(free.status).toBe('converged');
    const roundOff = 1e-13 * c.reduce((a, b) => a + b, 0);
    t.forEach((ti, i) => expect(Math.abs(free.bias[i] - exact[i]), `t = ${ti}`).toBeLessThanOrEqual(free.errorEstimate.bias[i] + roundOff));
    const [coarse, fine] = [1e8, 1e9].map((size) => solveCurve({ spectrum, N: size, P: size, sigma: 0, t, dynamics }));
    expect([coarse.status, fine.status]).toEqual(['converged', 'converged']);
    t.forEach((ti, i) => {
      const extrapolated = (10 * fine.bias[i] - coarse.bias[i]) / 9;
      const bound = (10 * fine.errorEstimate.bias[i] + coarse.errorEstimate.bias[i]) / 9 + 1e-10 * exact[i];
      expect(Math.abs(extrapolated - exact[i]), `t = ${ti}`).toBeLessThanOrEqual(bound);
    });
    // Not heavy-ball momentum: the same (eta, beta) under the heavy ball is far off at 10 steps.
    const heavyBall = solveCurve({ spectrum, N: Infinity, P: Infinity, sigma: 0, t, dynamics: makeDynamics({ optimizer: 'momentum', lr: eta, momentum: beta }) });
    expect(Math.abs(heavyBall.bias[1] - exact[1])).toBeGreaterThan(0.01 * exact[1]);
  });
});

describe('Nesterov limits', () => {
  const spectrum = customSpectrum([1, 0.5, 0.25], [1, 0.5, 0.25]);
  it("'unstable', no number, when E_max reaches 2 (1 + beta) / (eta (1 + 2 beta))", () => {
    // N = P = infinity: E_max = lambda_1 = 1, so with beta = 0.5 the bound is eta < 1.5 (heavy ball: 3, GD: 2).
    const free = (lr: number) => solveCurve({ spectrum, N: Infinity, P: Infinity, sigma: 0, t: [0, 5], dynamics: makeDynamics({ optimizer: 'nesterov', lr, momentum: 0.5 }) });
    expect(free(1.49).status).toBe('converged');
    const bad = free(1.51);
    expect(bad.statusPerTime).toEqual(['converged', 'unstable']);
    expect(Number.isNaN(bad.test[1])).toBe(true);
    expect(bad.message).toMatch(/must be below 0\.99\d+ \(2 \(1 \+ beta\) \/ \(eta \(1 \+ 2 beta\)\): THEORY E28d\)/);
  });
  it('past the circle rule cost limit at finite N or P: answered by the keyhole (E28d), not refused', () => {
    const limit = circleStepLimit();
    const dynamics = makeDynamics({ optimizer: 'nesterov', lr: 0.5, momentum: 0.9 });
    const finite = solveCurve({ spectrum, N: 64, P: 128, sigma: 0.3, t: [limit + 1, 1e6], dynamics });
    // The bias of three modes is learned to 1e-24 by then: 'below_error_estimate', honestly; the losses converge.
    expect([...finite.quantityStatus.test, ...finite.quantityStatus.train]).toEqual(['converged', 'converged', 'converged', 'converged']);
    expect((finite.settings.inversion as { rule: string }[])[0].rule).toBe('keyhole');
    // N = P = infinity needs no contour: any horizon.
    expect(solveCurve({ spectrum, N: Infinity, P: Infinity, sigma: 0, t: [1e6], dynamics }).status).toBe('converged');
  });
});

/**
 * Shared checks for the numeric tests. A train loss that interpolates (P < N,
 * or N = infinity) tends to 0 and may fall below its own error estimate: then
 * its status is 'below_error_estimate' (THEORY E16; never 'converged' with a
 * value it cannot certify). Every other quantity must be 'converged'.
 */
import { expect } from 'vitest';
import type { CurveSolution } from '../../src/numeric/index.js';

export function expectConverged(sol: CurveSolution): void {
  for (const q of ['test', 'bias', 'testA'] as const) expect(sol.quantityStatus[q].every((s) => s === 'converged')).toBe(true);
  sol.quantityStatus.train.forEach((s, i) => {
    if (s === 'below_error_estimate') expect(Math.abs(sol.train[i])).toBeLessThan(sol.errorEstimate.train[i]);
    else expect(s).toBe('converged');
  });
}

/**
 * A keyhole rule (E27a, E28c, E28d) against the circle rule of E27 where both apply (the keyhole forced onto every
 * time, the circle onto every time): both converged, within 1e-9 relative and within the sum of
 * their error estimates in every quantity.
 */
export function expectKeyholeMatchesCircle(keyhole: CurveSolution, circle: CurveSolution, t: readonly number[]): void {
  expect((circle.settings.inversion as { rule: string }[]).map((p) => p.rule)).toEqual(['circle', 'circle']);
  expect([keyhole.status, circle.status]).toEqual(['converged', 'converged']);
  for (const q of ['test', 'train', 'bias', 'testA'] as const) {
    t.forEach((ti, i) => {
      const error = Math.abs(keyhole[q][i] - circle[q][i]);
      expect(error, `${q} t = ${ti}`).toBeLessThanOrEqual(1e-9 * Math.abs(circle[q][i]));
      expect(error, `${q} t = ${ti}`).toBeLessThanOrEqual(keyhole.errorEstimate[q][i] + circle.errorEstimate[q][i]);
    });
  }
}

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

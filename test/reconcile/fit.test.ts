/** Exponent fitting on curves with known exponents and known defects. */
import { describe, expect, it } from 'vitest';
import { fitExponent, logGrid } from '../../src/reconcile/fit.js';

describe('fitExponent', () => {
  it('recovers an exact power law with a tiny error and the whole range as window', () => {
    const x = logGrid(1, 1e6, 61);
    const fit = fitExponent(x, Array.from(x, (v) => 3.5 * v ** -0.37));
    expect(fit.status).toBe('converged');
    expect(Math.abs(fit.exponent + 0.37)).toBeLessThan(1e-10);
    expect(fit.prefactor).toBeCloseTo(3.5, 8);
    expect(fit.window).toMatchObject({ from: 1, points: 61 });
  });

  it('finds the asymptotic window of a law with a large-x floor... and not the floor', () => {
    // y = x^-1 + 1e-6: slope -1 until x ~ 1e5, then a plateau (slope 0). The
    // longest stable run is the power law, not the plateau.
    const x = logGrid(1, 1e9, 91);
    const fit = fitExponent(x, Array.from(x, (v) => 1 / v + 1e-6));
    expect(fit.status).toBe('converged');
    expect(fit.exponent).toBeCloseTo(-1, 2);
    expect(fit.window!.to).toBeLessThan(1e5);
  });

  it('reports a bending curve honestly: the error bar covers the truth at the window end', () => {
    // Two power laws crossing over: y = x^-0.5 + 30 x^-0.8 (the -0.5 takes over slowly).
    const x = logGrid(1, 1e12, 121);
    const y = Array.from(x, (v) => v ** -0.5 + 30 * v ** -0.8);
    const fit = fitExponent(x, y, { slopeTolerance: 0.02 });
    expect(fit.status).toBe('converged');
    expect(Math.abs(fit.exponent + 0.5)).toBeLessThan(Math.max(3 * fit.stderr, 0.03));
  });

  it('says there is no asymptotic window instead of returning a number', () => {
    // A curve whose log-log slope keeps changing: y = exp(-sqrt(log x)^2 / 5).
    const x = logGrid(1, 1e6, 61);
    const fit = fitExponent(x, Array.from(x, (v) => Math.exp(-(Math.log(v) ** 2) / 5)));
    expect(fit.status).toBe('no_asymptotic_window');
    expect(Number.isNaN(fit.exponent)).toBe(true);
    expect(fit.window).toBeNull();
  });

  it('drops non-positive values and reports too few points', () => {
    const fit = fitExponent([1, 2, 3], [1, 0, -1]);
    expect(fit.status).toBe('too_few_points');
  });

  it('validates lengths', () => {
    expect(() => fitExponent([1, 2], [1])).toThrow(/y must have the same length as x/);
  });
});

/**
 * Near a - 1 = b the width law's local slope approaches its limit only like
 * 1/log N or N^-|a-1-b|, and the fit over a finite window is off by more than
 * the tolerance. Such rows get the verdict 'boundary' only when their drift is
 * measured; a wrong closed form near the same boundary stays a DISAGREE.
 */
import { describe, expect, it } from 'vitest';
import { boundaryEvidence, nearestBoundary } from '../../src/reconcile/boundary.js';
import { reconcileCase } from '../../src/reconcile/reconcile.js';
import { tableSummary } from '../../src/reconcile/tables.js';
import { buildTable } from '../../src/reconcile/report.js';
import { fitExponent, logGrid } from '../../src/reconcile/fit.js';

const widthRow = (a: number, b: number, override?: number) =>
  reconcileCase(a, b, { laws: ['width'], figures: false, closedFormOverride: override === undefined ? undefined : () => override }).rows[0];

describe("verdicts near the boundary a - 1 = b (width law, THEORY E19)", () => {
  it.each([
    { a: 2.4, b: 1.411 },
    { a: 2.6, b: 1.567 },
    { a: 2.2, b: 1.1 },
  ])('a = $a, b = $b: outside the tolerance, drifting toward the closed form: boundary, with the drift in the note', ({ a, b }) => {
    const row = widthRow(a, b);
    expect(Math.abs(row.difference!)).toBeGreaterThan(row.tolerance);
    expect(row.verdict).toBe('boundary');
    expect(row.note).toMatch(/near the boundary a - 1 = b, the fit window has not reached the asymptote: local slope .* falls like x\^-0\.\d+/);
  });

  it.each([
    { override: -1.6, why: 'too far: the drift is far too slow for the distance' },
    { override: -1.3, why: 'on the other side: the slope moves away from it' },
    { override: -1.45, why: '0.05 off: the drift rate does not match' },
  ])('a wrong closed form $override near the same boundary stays DISAGREE ($why)', ({ override }) => {
    const row = widthRow(2.4, 1.411, override);
    expect(row.verdict).toBe('disagree');
    expect(row.note).toMatch(/but the drift does not explain the difference/);
  });

  it('far from every boundary a disagreement is a disagreement, whatever the slopes do', () => {
    expect(nearestBoundary(3, 1.5)).toEqual({ boundary: 'a - 1 = b', delta: 0.5 });
    const row = reconcileCase(1.5, 1.25, { laws: ['time'], figures: false, closedFormOverride: () => -0.5 }).rows[0];
    expect(row.verdict).toBe('disagree');
  });

  it('boundaryEvidence on the logarithmic law at the boundary: holds for the leading exponent only', () => {
    // At a - 1 = b exactly, L ~ N^-1.4 log N: the local slope is -1.4 + 1/ln N.
    const x = logGrid(10, 1e8, 43);
    const y = Array.from(x, (n) => n ** -1.4 * Math.log(n));
    const fit = fitExponent(x, y, { slopeTolerance: 0.01, minDecades: 1.5, minPoints: 6 });
    expect(fit.status).toBe('converged');
    expect(boundaryEvidence(2.4, 1.4, -1.4, fit).holds).toBe(true);
    expect(boundaryEvidence(2.4, 1.4, -1.5, fit).holds).toBe(false);
    expect(boundaryEvidence(2.4, 1.4, -1.3, fit).holds).toBe(false);
    // The same curve at (a, b) far from a boundary: not examined.
    expect(boundaryEvidence(3, 1.5, -1.4, fit).holds).toBe(false);
  });

  it('the terminal summary says why, in one line per boundary row', () => {
    const result = reconcileCase(2.4, 1.411, { laws: ['width'], figures: false });
    const summary = tableSummary(buildTable({ cases: [result], parameters: {}, elapsedMs: 0, workers: 1 }));
    expect(summary).toMatch(/^boundary width at \(a, b\) = \(2\.4, 1\.41\): closed form -1\.4000, DMFT fit -1\.34.*near the boundary a - 1 = b/m);
    expect(summary).not.toMatch(/DISAGREE width/);
  });
});

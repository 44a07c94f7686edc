/**
 * The banded compute-optimal frontier and the lean finite-width and gap
 * measurements evaluate only part of the (N, t) grid. They must give what the
 * whole grid gives: checked against a brute-force minimum over every N of
 * whole-grid curves, solved here directly with solveCurve, on a grid small
 * enough for a unit test.
 */
import { describe, expect, it } from 'vitest';
import { solveCurve } from '../../src/numeric/index.js';
import { powerLawSpectrum } from '../../src/spectrum/index.js';
import { MEASURE_DEFAULTS, measureComputeFrontier, measureFiniteWidth, measureGap, refineMinimum, type MeasureSettings } from '../../src/reconcile/measure.js';

const SMALL: MeasureSettings = { ...MEASURE_DEFAULTS, computeN: [1, 1e4], computeC: [1e2, 1e6], computeStepsPerDecade: 6 };

/** The frontier from whole fixed-N curves (the unbanded definition). */
function bruteForceFrontier(a: number, b: number, settings: MeasureSettings) {
  const spectrum = powerLawSpectrum({ a, b, M: Infinity });
  const h = 1 / settings.computeStepsPerDecade;
  const nIdx: number[] = [];
  for (let j = Math.round(Math.log10(settings.computeN[0]) / h); j <= Math.round(Math.log10(settings.computeN[1]) / h); j++) nIdx.push(j);
  const cIdx: number[] = [];
  for (let i = Math.round(Math.log10(settings.computeC[0]) / h); i <= Math.round(Math.log10(settings.computeC[1]) / h); i++) cIdx.push(i);
  const table = nIdx.map((j) =>
    Array.from(solveCurve({ spectrum, N: Math.max(1, Math.round(10 ** (j * h))), P: Infinity, sigma: 0, t: cIdx.map((i) => 10 ** ((i - j) * h)) }).test),
  );
  return cIdx.map((_, col) => {
    let best = 0;
    for (let r = 1; r < nIdx.length; r++) if (table[r][col] < table[best][col]) best = r;
    const interior = best > 0 && best < nIdx.length - 1;
    const refined = interior ? refineMinimum(table.map((row) => Math.log(row[col])), best) : { offset: 0, value: Math.log(table[best][col]) };
    return { interior, logN: (nIdx[best] + refined.offset) * h, L: Math.exp(refined.value) };
  });
}

describe('banded compute-optimal frontier', () => {
  it.each([
    // A wrong slope guess (0 instead of about 0.5) must cost evaluations only, not accuracy.
    { a: 3, b: 1.5, guess: 0 },
  ])('a = $a, b = $b (slope guess $guess): every optimum equals the whole-grid minimum', ({ a, b, guess }) => {
    const banded = measureComputeFrontier(a, b, SMALL, { nStarExponent: guess, envelopeCurves: 0 });
    const brute = bruteForceFrontier(a, b, SMALL);
    expect(banded.C.length).toBe(brute.length);
    brute.forEach((expected, k) => {
      expect(banded.interior[k]).toBe(expected.interior);
      expect(Math.abs(Math.log10(banded.Nstar[k]) - expected.logN)).toBeLessThan(1e-9);
      expect(Math.abs(banded.Lstar[k] / expected.L - 1)).toBeLessThan(1e-9);
    });
    // It did evaluate only a band.
    expect(banded.evaluations.points).toBeLessThan(banded.evaluations.gridPoints / 2);
  });

  it('draws the envelope curves only when asked, each touching the frontier', () => {
    const frontier = measureComputeFrontier(1.5, 1.25, SMALL, { envelopeCurves: 3 });
    expect(frontier.curves.length).toBe(3);
    for (const curve of frontier.curves) {
      // Every envelope curve lies on or above the frontier and reaches it within the refinement error.
      const gaps = curve.C.map((c, k) => curve.L[k] / frontier.Lstar[frontier.C.findIndex((x) => Math.abs(x / c - 1) < 1e-9)]);
      expect(Math.min(...gaps)).toBeGreaterThan(1 - 1e-3);
      expect(Math.min(...gaps)).toBeLessThan(1.01);
    }
    expect(measureComputeFrontier(1.5, 1.25, SMALL, { envelopeCurves: 0 }).curves).toEqual([]);
  });
});

describe('lean finite-width and gap measurements', () => {
  const range = { N: [10, 300] as const, P: [10, 1000] as const };

  it('finite width without figures: the same early and late corrections and crossover times as with whole curves', () => {
    const lean = measureFiniteWidth(1.5, 1.25, { N: range.N, figures: false });
    const full = measureFiniteWidth(1.5, 1.25, { N: range.N, figures: true });
    expect(lean.figureRows).toEqual([]);
    expect(lean.crossover.tCross.filter(Number.isFinite).length).toBeGreaterThanOrEqual(lean.N.length - 1);
    expect(full.figureRows.length).toBeGreaterThan(0);
    // Whole-grid crossing from the brute-force curves (solveCurve over every time).
    const spectrum = powerLawSpectrum({ a: 1.5, b: 1.25, M: Infinity });
    lean.N.forEach((N, j) => {
      const curve = solveCurve({ spectrum, N, P: Infinity, sigma: 0, t: [...lean.t, Infinity] });
      const plateau = curve.test[lean.t.length];
      let crossing = Number.NaN;
      for (let i = 1; i < lean.t.length; i++) {
        if (curve.test[i - 1] > 2 * plateau && curve.test[i] <= 2 * plateau) {
          const f = Math.log(curve.test[i - 1] / (2 * plateau)) / Math.log(curve.test[i - 1] / curve.test[i]);
          crossing = Math.exp(Math.log(lean.t[i - 1]) + f * Math.log(lean.t[i] / lean.t[i - 1]));
          break;
        }
      }
      // NaN on both sides where L_N is already below twice its plateau at the first time (N = 10 here).
      if (Number.isNaN(crossing)) expect(lean.crossover.tCross[j]).toBeNaN();
      else expect(Math.abs(lean.crossover.tCross[j] / crossing - 1)).toBeLessThan(1e-9);
      expect(Math.abs(lean.early.delta[j] / full.early.delta[j] - 1)).toBeLessThan(1e-9);
      expect(lean.late.delta[j]).toBe(full.late.delta[j]);
    });
  });

  it('gap without figures: the same early, static and growth fits as with whole curves', () => {
    const lean = measureGap(1.5, 1.25, { P: range.P, figures: false });
    const full = measureGap(1.5, 1.25, { P: range.P, figures: true });
    // The growth window of the largest P is evaluated in both, to the same values.
    const last = lean.P.length - 1;
    const inWindow = lean.t.map((t, i) => i).filter((i) => lean.t[i] >= lean.growth.window[0] && lean.t[i] <= lean.growth.window[1]);
    expect(inWindow.length).toBeGreaterThan(2);
    for (const i of inWindow) {
      const gap = (m: typeof lean) => m.test[last][i] - m.train[last][i];
      expect(Math.abs(gap(lean) / gap(full) - 1)).toBeLessThan(1e-9);
    }
    lean.early.gap.forEach((g, j) => expect(Math.abs(g / full.early.gap[j] - 1)).toBeLessThan(1e-9));
    expect(lean.late.gap).toEqual(full.late.gap);
    expect(lean.growth.fit.status).toBe(full.growth.fit.status);
  });
});

/**
 * SGD exponents reconcile (THEORY E28, E29): at one (a, b) inside each of the
 * phases Ia, II and III the compute-optimal exponents fitted on the DMFT
 * frontier of one-pass SGD are within EXPONENT_TOLERANCE (0.02) of the closed
 * forms; phase III shows N* ~ C^{1/2} where gradient flow, measured at the
 * same (a, b) by the same search, gives (a-b)/a; the gradient-flow closed
 * form against the SGD measurement in phase III must disagree (negative
 * control). One computation (three SGD frontiers, one gradient-flow
 * frontier) is shared by the file.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { EXPONENT_TOLERANCE } from '../../src/reconcile/reconcile.js';
import { reconcileSgdCase, SGD_PHASE_CASES, sgdFrontierFigure, sgdReconciliationTable, type SgdCaseResult } from '../../src/reconcile/sgd.js';
import { prepareFigure } from '../../src/reconcile/figures.js';
import { MEASURE_DEFAULTS } from '../../src/reconcile/measure.js';
import { tableToMarkdown } from '../../src/reconcile/tables.js';

let results: SgdCaseResult[] = [];
const byPhase = (phase: string) => results.find((r) => r.phase === phase) as SgdCaseResult;
const rowOf = (r: SgdCaseResult, id: string) => r.rows.find((x) => x.id === id);

beforeAll(() => {
  results = SGD_PHASE_CASES.map((c) =>
    reconcileSgdCase(c, {
      // Gradient flow is measured beside SGD where the two differ (phase III); elsewhere closed forms only (test time).
      gradientFlow: c.a > 2 * c.b ? 'banded' : 'none',
      // Up to 1e9: beyond, the gradient-flow loss at (5, 1.5) falls below its own error estimate (~4e-8).
      gradientFlowSettings: { computeC: [1e3, 1e9] },
    }),
  );
}, 300_000);

describe('SGD compute-optimal exponents reconcile in each phase (E29)', () => {
  it('the cases are one inside each phase Ia, II, III', () => {
    expect(results.map((r) => r.phase)).toEqual(['Ia', 'II', 'III']);
  });

  it.each(['Ia', 'II', 'III'])('phase %s: N*, t* and L* fits are within 0.02 of the closed forms, on windows of 1.5+ decades', (phase) => {
    const r = byPhase(phase);
    expect(r.sgd.status).toBe('converged');
    for (const id of ['compute_optimal_N', 'compute_optimal_t', 'compute_optimal_loss']) {
      const row = rowOf(r, id);
      expect(row?.fitStatus).toBe('converged');
      expect(row?.verdict).toBe('agree');
      expect(Math.abs((row?.fitted as number) - (row?.closedForm as number))).toBeLessThanOrEqual(EXPONENT_TOLERANCE);
      expect(Math.log10((row?.window?.to as number) / (row?.window?.from as number))).toBeGreaterThanOrEqual(1.5);
      expect(row?.stderr as number).toBeLessThan(EXPONENT_TOLERANCE);
    }
  });

  it('the settings are stable: kernel norm well below 1 and eta E_max < 1 at every width solved (E26, E28)', () => {
    for (const r of results) {
      expect(r.sgd.kernelNorm?.max as number).toBeLessThan(0.3);
      expect(r.sgd.etaEMax as number).toBeLessThan(1);
    }
  });

  it('the frontier is smooth: successive N* slopes differ by < 0.02 (whole-step interpolation and quartic refinement at work)', () => {
    for (const r of results) {
      const { C, Nstar, fitted } = r.sgd;
      const slopes: number[] = [];
      for (let k = 0; k + 1 < C.length; k++) {
        slopes.push(fitted[k] && fitted[k + 1] ? Math.log(Nstar[k + 1] / Nstar[k]) / Math.log(C[k + 1] / C[k]) : Number.NaN);
      }
      let worst = 0;
      for (let k = 0; k + 1 < slopes.length; k++) if (Number.isFinite(slopes[k]) && Number.isFinite(slopes[k + 1])) worst = Math.max(worst, Math.abs(slopes[k + 1] - slopes[k]));
      expect(worst).toBeGreaterThan(0);
      expect(worst).toBeLessThan(0.02);
    }
  });
});

describe('phase III: the SGD noise sets N* ~ C^{1/2}; gradient flow keeps (a-b)/a', () => {
  it('N* exponent 1/2 within 0.02, and more than the tolerance (and 3 s.e.) away from gradient flow (a-b)/a', () => {
    const r = byPhase('III');
    const n = r.contrast.find((c) => c.id === 'compute_optimal_N');
    expect(n?.sgdClosedForm).toBe(0.5);
    expect(r.phase).toBe('III');
    expect(n?.gradientFlowClosedForm).toBeCloseTo((r.a - r.b) / r.a, 12);
    const fitted = n?.sgdFitted as number;
    expect(Math.abs(fitted - 0.5)).toBeLessThanOrEqual(EXPONENT_TOLERANCE);
    const gap = Math.abs(fitted - (r.a - r.b) / r.a);
    expect(gap).toBeGreaterThan(EXPONENT_TOLERANCE);
    expect(gap).toBeGreaterThan(3 * (n?.sgdStderr as number));
  });

  it('gradient flow measured at the same (a, b) by the same search agrees with (a-b)/a and differs from the SGD measurement', () => {
    const r = byPhase('III');
    expect(r.gradientFlow?.method).toBe('banded');
    const gfRow = r.gradientFlowRows.find((x) => x.id === 'compute_optimal_N');
    expect(gfRow?.verdict).toBe('agree');
    const sgdRow = rowOf(r, 'compute_optimal_N');
    const combined = Math.hypot(gfRow?.stderr as number, sgdRow?.stderr as number);
    expect(Math.abs((gfRow?.fitted as number) - (sgdRow?.fitted as number))).toBeGreaterThan(Math.max(EXPONENT_TOLERANCE, 3 * combined));
    const gfLoss = r.gradientFlowRows.find((x) => x.id === 'compute_optimal_loss');
    expect(gfLoss?.verdict).toBe('agree');
  });

  it('negative control: the gradient-flow closed forms against the SGD measurement in phase III disagree (N*, t* and L*)', () => {
    for (const c of byPhase('III').contrast) expect(c.sgdAgainstGradientFlow).toBe('disagree');
  });

  it('positive control: in phases Ia and II the two dynamics share their laws, and the SGD measurement agrees with both', () => {
    for (const phase of ['Ia', 'II']) {
      for (const c of byPhase(phase).contrast) {
        expect(c.closedFormGap).toBeLessThan(1e-12);
        expect(c.sgdAgainstGradientFlow).toBe('agree');
      }
    }
  });
});

describe('gradient flow beside SGD through the reconcile layer (full-table frontier of measure.ts)', () => {
  it("'table' runs reconcileCase's compute-optimal laws and carries its rows and frontier", () => {
    const r = reconcileSgdCase(SGD_PHASE_CASES[2], {
      settings: { computeC: [1e5, 1e8] },
      gradientFlow: 'table',
      tableSettings: { ...MEASURE_DEFAULTS, computeN: [1, 1e4], computeC: [1e3, 1e7] },
    });
    expect(r.gradientFlow?.method).toBe('table');
    expect(r.gradientFlowRows.map((x) => x.id).sort()).toEqual(['compute_optimal_N', 'compute_optimal_loss', 'compute_optimal_t']);
    expect(r.gradientFlowRows.every((x) => x.quantity.startsWith('gradient flow: '))).toBe(true);
    expect(r.gradientFlowRows.find((x) => x.id === 'compute_optimal_N')?.closedForm).toBeCloseTo(0.7, 12);
    const frontier = r.gradientFlow?.frontier as { C: number[]; interior: boolean[] };
    expect(frontier.C.length).toBe(33);
    expect(frontier.interior.some(Boolean)).toBe(true);
  }, 120_000);
});

describe('outputs', () => {
  it('one table for the tables module: 3 SGD rows and 3 gradient-flow rows per case, with the held settings in each note', () => {
    const table = sgdReconciliationTable(results);
    expect(table.rows).toHaveLength(18);
    expect(table.status).toBe('converged');
    const md = tableToMarkdown(table);
    expect(md).toContain('one-pass SGD (eta = 0.5, B = 4)');
    expect(md).toContain('-2/3');
    expect(table.rows.filter((r) => r.quantity.startsWith('one-pass SGD')).every((r) => r.note.includes('kernel norm'))).toBe(true);
  });

  it('the SGD frontier figure plots the fitted envelope of each case', () => {
    for (const r of results) {
      const spec = sgdFrontierFigure(r);
      expect(spec.id).toBe(`sgd_compute_optimal_frontier_a${r.a}_b${r.b}`);
      expect(spec.series.some((s) => s.name === 'lower envelope (min over N)' && s.x.length === r.sgd.fitted.filter(Boolean).length)).toBe(true);
      expect(prepareFigure(spec).warnings).toEqual([]);
    }
  });
});

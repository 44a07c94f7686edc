// Data reuse: the data-constrained frontier's closed forms and leave point, and the
// reconciliation of the reuse laws against the finite-P DMFT (docs/theory.md "Data reuse laws").
import { describe, expect, it } from 'vitest';
import { dataConstrainedClosedForms, leavePoint } from '../../src/reconcile/reuse-frontier.js';
import { reconcileReuse, reuseFrontierFigure, reuseRowsToMarkdown } from '../../src/reconcile/reuse.js';
import { sgdComputeOptimalLaws } from '../../src/reconcile/sgd-laws.js';

describe('data-constrained frontier: closed forms', () => {
  it.each([[2, 1.5], [3.5, 2], [5, 1.5]])('(a, b) = (%f, %f): the unlimited frontier meets the floor at C_x, exponent min(a-1, 2b) / |l|', (a, b) => {
    const cf = dataConstrainedClosedForms(a, b, 0.5, 4);
    if (!cf.unlimited || !cf.floor || !cf.leave) throw new Error(cf.reason);
    // the unlimited exponent is the E29 phase's (transcribed independently in sgd-laws.ts)
    expect(cf.unlimited.exponent).toBeCloseTo(sgdComputeOptimalLaws(a, b).laws.compute_optimal_loss.exponent, 12);
    expect(cf.leave.exponent).toBeCloseTo(Math.min(a - 1, 2 * b) / -cf.unlimited.exponent, 12);
    for (const P of [100, 1e4]) {
      const C = cf.leave.coefficient * P ** cf.leave.exponent;
      expect(cf.unlimited.coefficient * C ** cf.unlimited.exponent).toBeCloseTo(cf.floor.coefficient * P ** cf.floor.exponent, 12);
    }
  });
  it('leavePoint interpolates the crossing of the ratio in log C, and is NaN when never crossed', () => {
    const C = [1, 10, 100, 1000];
    const unlimited = { C, Lstar: [1, 1, 1, 1] };
    // ratio 1, 1.5, 3, 6: crosses 2 between C = 10 and 100 at log-fraction log(2/1.5)/log(2)
    const limited = { C, Lstar: [1, 1.5, 3, 6] };
    const f = Math.log(2 / 1.5) / Math.log(2);
    expect(leavePoint(limited, unlimited, 2)).toBeCloseTo(10 ** (1 + f), 10);
    expect(Number.isNaN(leavePoint(limited, unlimited, 10))).toBe(true);
    expect(() => leavePoint(limited, unlimited, 1)).toThrow(/ratio/);
  });
});

describe('reuse reconciliation against the finite-P DMFT (GD evaluator)', () => {
  const r = reconcileReuse({ frontier: { computeC: [1e3, 1e11], stepsPerDecade: 4, minSteps: 20 } });
  it('every law agrees within the tolerance, and the plateau is reached at P = 100', () => {
    const verdicts = Object.fromEntries(r.rows.map((row) => [`${row.id} ${row.quantity}`, row.verdict]));
    for (const row of r.rows) {
      if (row.id === 'frontier_floor' && row.verdict === 'no_fit') continue;
      expect(row.verdict, `${row.id}: ${row.note}`).toBe('agree');
    }
    expect(Object.keys(verdicts).some((k) => k.startsWith('frontier_floor') && k.includes('P = 100,'))).toBe(true);
    expect(r.rows.find((row) => row.id === 'frontier_floor' && row.quantity.includes('P = 100,'))?.verdict).toBe('agree');
    expect(r.status).toBe('converged');
  });
  it('below the leave point the frontier at P approaches the unlimited-data one: 0 < ratio - 1 < (C/C_x)^|l| (the sum of the two asymptotes), falling with C; epochs E = t B / P', () => {
    const f = r.frontiers[1];
    const leave = leavePoint(f, r.unlimited, 2);
    const Cx = r.closedForms.leave!.coefficient * 1000 ** r.closedForms.leave!.exponent;
    const l = -r.closedForms.unlimited!.exponent;
    let previous = Infinity;
    for (let k = f.C.length - 1; k >= 0; k--) {
      if (!(f.C[k] < leave) || !f.interior[k]) continue;
      const excess = f.Lstar[k] / r.unlimited.Lstar[k] - 1;
      expect(excess).toBeLessThan(previous);
      previous = excess;
      expect(excess).toBeGreaterThan(0);
      expect(excess).toBeLessThan((f.C[k] / Cx) ** l);
      expect(f.epochs[k]).toBeCloseTo((f.tstar[k] * 4) / 1000, 10);
    }
  });
  it('the figure has the unlimited frontier, one series per P and the floors; the table names every row', () => {
    const fig = reuseFrontierFigure(r);
    expect(fig.series.map((s) => s.name)).toEqual(['unlimited data (one pass)', 'P = 100', 'P = 1000', 'P = 1e4', 'data floor P = 100 (E18)', 'data floor P = 1000 (E18)', 'data floor P = 1e4 (E18)']);
    const md = reuseRowsToMarkdown(r.rows);
    for (const row of r.rows) expect(md).toContain(row.id);
  });
  it('a wrong closed form is a disagreement (negative control: horizon exponent b instead of b min(a-1,2b)/(a-1) at a - 1 > 2b)', () => {
    // At (a, b) = (5, 1.5) the data law is P^-2b, so the horizon is P^(2b^2/(a-1)) = P^1.125, not P^b.
    const wrong = reconcileReuse({ a: 5, b: 1.5, frontierP: [100, 1000, 10000], frontier: { computeC: [1e3, 1e6], stepsPerDecade: 2, minSteps: 20 } });
    const row = wrong.rows.find((x) => x.id === 'reuse_horizon')!;
    expect(row.closedForm).toBeCloseTo(1.125, 12);
    expect(Math.abs(row.measured! - 1.5)).toBeGreaterThan(0.2);
  });
});

describe('report section', () => {
  it('runReportWork with the section reuse gives the data-reuse Markdown and its figure', async () => {
    const { runReportWork, REPORT_SECTION_NAMES } = await import('../../src/reconcile/report-tasks.js');
    expect(REPORT_SECTION_NAMES).toContain('reuse');
    const work = await runReportWork([], { workers: 1, sections: ['reuse'] });
    expect(work.sections).toHaveLength(1);
    expect(work.sections[0].markdown).toMatch(/^## Data reuse/);
    expect(work.sections[0].markdown).toMatch(/frontier_leave_point \| .* \| agree \|/);
    expect(work.sections[0].figures.map((f) => f.id)).toEqual(['reuse_data_constrained_frontier']);
  });
});

describe('CLI', () => {
  it('reconcile --optimizer sgd --P ... --evaluator gd --format json: provenance, rows with verdicts, frontiers with epochs', async () => {
    const { cli } = await import('../cli/helpers.js');
    const r = await cli('reconcile', '--optimizer', 'sgd', '--lr', '0.5', '--batch', '4', '--P', '100,1000,10000', '--evaluator', 'gd', '--format', 'json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { tool: { name: string }; settings: { evaluator: string; lawP: number[] }; rows: { id: string; verdict: string }[]; frontiers: { P: number; epochs: number[] }[] };
    expect(out.tool.name).toBe('scaling-dmft');
    expect(out.settings).toMatchObject({ evaluator: 'gd', lawP: [100, 1000, 10000] });
    expect(out.rows.find((row) => row.id === 'frontier_leave_point')?.verdict).toBe('agree');
    expect(out.frontiers.map((f) => f.P)).toEqual([100, 1000, 10000]);
  }, 120_000);
});

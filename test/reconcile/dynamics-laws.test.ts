// THEORY (E17, E25-E28c): ridge, GD, momentum and schedule laws measured from the DMFT, with verdicts (src/reconcile/dynamics-laws.ts).
import { describe, expect, it } from 'vitest';
import { makeDynamics } from '../../src/dynamics/index.js';
import {
  DYNAMICS_LAW_CASES,
  dynamicsLawsSection,
  measureWsdDrop,
  reconcileDynamicsLaw,
  reconcileRidgeLaws,
  WSD_REPORT,
} from '../../src/reconcile/dynamics-laws.js';

describe('GD, momentum and a power-decay schedule: the time law in the dynamics\' own time', () => {
  const results = DYNAMICS_LAW_CASES.map((c) => reconcileDynamicsLaw(c));

  it.each(DYNAMICS_LAW_CASES.map((c, i) => [JSON.stringify(c.dynamics), i]))('%s: every row agrees, the DMFT converged', (_label, i) => {
    const result = results[i as number];
    expect(result.status).toBe('converged');
    expect(result.rows.length).toBeGreaterThan(0);
    for (const row of result.rows) {
      expect(row.verdict, `${row.id}: ${row.note}`).toBe('agree');
      expect(row.window!.to / row.window!.from).toBeGreaterThan(10 ** 1.5);
    }
  });

  it('GD at eta E_max = 1.5 and momentum at beta = 0.9 fit over windows reaching 1e6 steps', () => {
    expect(results[0].rows[0].window!.to).toBeGreaterThan(1e6); // x = eta t = 1.5e6
    expect(results[1].rows[0].window!.to).toBeGreaterThan(9e5); // x = eta t/(1 - beta) = t
  });

  // Measured: 0.999 (GD), 1.008 (momentum), 0.999 (schedule in S_t).
  it('the prefactor in the gradient-flow time (or summed rate) is gradient flow\'s, within 2 %', () => {
    for (const result of results) expect(Math.abs(result.prefactorRatio! - 1), result.label).toBeLessThan(0.02);
  });

  it('power decay gamma = 1/2: the exponent in steps is half the gradient-flow one, and differs from it', () => {
    const steps = results[2].rows.find((r) => r.id === 'time_steps')!;
    expect(steps.closedForm).toBeCloseTo(-0.2, 12);
    expect(Math.abs(steps.fitted! - -0.4)).toBeGreaterThan(0.15);
  });

  // The momentum factor 1/(1 - beta) of the summed rate: without it the fitted prefactor would be off by 0.1^-0.4 = 2.5.
  it('momentum under power decay: the law holds in S_t = sum eta_s/(1 - beta), prefactor included', () => {
    const result = reconcileDynamicsLaw({ a: 1.5, b: 1.25, dynamics: makeDynamics({ optimizer: 'momentum', lr: 0.05, momentum: 0.9, schedule: { kind: 'power', t0: 10, gamma: 0.5 } }) });
    for (const row of result.rows) expect(row.verdict, `${row.id}: ${row.note}`).toBe('agree');
    expect(Math.abs(result.prefactorRatio! - 1)).toBeLessThan(0.02);
  });

  // Without the window's start at gradient-flow time 10 the flat early loss was fitted (slope ~0) and called 'disagree'.
  it('a rate too small to reach the time law is no_fit with the reason, not a disagreement', () => {
    const result = reconcileDynamicsLaw({ a: 1.5, b: 1.25, dynamics: makeDynamics({ optimizer: 'gd', lr: 1e-6 }) });
    expect(result.rows[0].verdict).toBe('no_fit');
    expect(result.rows[0].note).toMatch(/eta t reaches only 1 at the last step, before the time law's window/);
  });

  it('negative control: a closed form off by 0.1 is a disagreement', () => {
    const wrong = reconcileDynamicsLaw(DYNAMICS_LAW_CASES[1], { closedFormOverride: () => -0.5 });
    expect(wrong.rows[0].verdict).toBe('disagree');
  });

  it('reading momentum in eta t (without 1/(1 - beta)) moves the prefactor by (1 - beta)^-(a-1)/b, far from 1', () => {
    // L(x) with x = eta t/(1 - beta) against x' = eta t = (1 - beta) x: prefactor' = prefactor (1 - beta)^-(a-1)/b.
    const ratio = results[1].prefactorRatio! * 0.1 ** -0.4;
    expect(ratio).toBeGreaterThan(2);
  });
});

// Nesterov states its laws as gradient flow's in eta t/(1 - beta) (its module, THEORY E28d); the reconcile layer
// reads the variable, its label and the guard from the module, so it measures Nesterov with no code of its own.
describe('Nesterov: the time law in its module\'s rescaled time', () => {
  const nesterov = { a: 1.5, b: 1.25, dynamics: makeDynamics({ optimizer: 'nesterov', lr: 0.1, momentum: 0.9 }) };
  const result = reconcileDynamicsLaw(nesterov);

  // Measured at (1.5, 1.25), eta = 0.1, beta = 0.9: -0.4008 ± 0.0068 over 1e2..1e6 steps.
  it('the DMFT exponent against eta t/(1 - beta) agrees with the gradient-flow closed form -(a-1)/b', () => {
    expect(result.status).toBe('converged');
    const row = result.rows[0];
    expect(row.variable).toBe('eta t/(1-beta)');
    expect(row.quantity).toMatch(/gradient-flow time, E28d/);
    expect(row.closedForm).toBeCloseTo(-0.4, 12);
    expect(row.verdict, row.note).toBe('agree');
    expect(row.window!.to / row.window!.from).toBeGreaterThan(10 ** 1.5);
    expect(Math.abs(result.prefactorRatio! - 1)).toBeLessThan(0.02);
  });

  it('negative control: a closed form off by 0.1 is a disagreement', () => {
    const wrong = reconcileDynamicsLaw(nesterov, { closedFormOverride: () => -0.5 });
    expect(wrong.rows[0].verdict).toBe('disagree');
  });

  it('an optimizer whose laws are not in a rescaled time is refused, naming those that are', () => {
    expect(() => reconcileDynamicsLaw({ a: 1.5, b: 1.25, dynamics: makeDynamics({ optimizer: 'sgd', lr: 0.1 }) })).toThrow(/must be one of gd, momentum, nesterov/);
    expect(() => measureWsdDrop(1.5, 1.25, nesterov.dynamics, 100, [0.5])).toThrow(/must be one of gd, momentum for a WSD schedule/);
  });
});

describe('a schedule that ends before the fit has its decades', () => {
  it('cosine over T = 100 steps: no fit, and the note says the schedule ended and what T would do', () => {
    const result = reconcileDynamicsLaw({ a: 1.5, b: 1.25, dynamics: makeDynamics({ optimizer: 'gd', lr: 0.5, schedule: { kind: 'cosine', total: 100 } }) });
    const row = result.rows[0];
    expect(row.verdict).toBe('no_fit');
    expect(row.note).toMatch(/the schedule ends at T = 100 steps, leaving 1 decades of steps where the fit needs 1\.5 \(try T >= 10000\)/);
  });
});

describe('ridge laws measured', () => {
  it.each([
    [1.5, 1.25],
    [6, 1.25],
  ])('(a, b) = (%s, %s): plateau, takeover time and crossover ridge agree with the closed forms', (a, b) => {
    const result = reconcileRidgeLaws(a, b);
    expect(result.status).toBe('converged');
    expect(result.rows.map((r) => r.id)).toEqual(['ridge_plateau', 'ridge_takeover_time', 'ridge_crossover']);
    for (const row of result.rows) expect(row.verdict, `${row.id}: ${row.fitted} vs ${row.closedForm}`).toBe('agree');
    // Measured 1.0000 at (1.5, 1.25); 0.982 at (6, 1.25), where the next term of the r^2 law is relative O(r)
    // (-2 r sum c/lambda^3 / sum c/lambda^2) and the fit window reaches r = 1e-2.
    expect(Math.abs(result.plateauPrefactorRatio! - 1)).toBeLessThan(0.03);
  });

  it('on the logarithmic boundary a - 1 = 2b, (4, 1.5): plateau and takeover are no_closed_form rows saying why, not missing', () => {
    const result = reconcileRidgeLaws(4, 1.5);
    expect(result.rows.map((r) => r.id)).toEqual(['ridge_plateau', 'ridge_takeover_time', 'ridge_crossover']);
    const [plateau, takeover, crossover] = result.rows;
    // verdict.ts decides 'no_fit' before 'no_closed_form'; either way the row has no closed form and says why.
    for (const row of [plateau, takeover]) {
      expect(row.closedForm).toBeNull();
      expect(['no_fit', 'no_closed_form']).toContain(row.verdict);
      expect(row.note).toMatch(/no closed form: (ridge plateau: )?logarithmic boundary a - 1 = 2 b/);
    }
    expect(plateau.fitted === null ? plateau.fitStatus : 'converged').not.toBe('too_few_points');
    expect(takeover.fitted).toBeNull();
    expect(takeover.note).toMatch(/not measured \(0 points\)/);
    expect(crossover.verdict).toBe('agree');
  });

  it('negative control: the takeover time exponent of the other regime (-1 at a-1 > 2b) disagrees', () => {
    const wrong = reconcileRidgeLaws(6, 1.25, { closedFormOverride: (id) => (id === 'ridge_takeover_time' ? -1 : undefined) });
    expect(wrong.rows.find((r) => r.id === 'ridge_takeover_time')!.verdict).toBe('disagree');
  });
});

describe('WSD cool-down', () => {
  // Measured at T = 1e4: L(T)/L((1-F)T) = 0.9786, 0.954, 0.8503 for F = 0.1, 0.2, 0.5, the summed-rate values to 4 digits.
  it('the measured drop follows the summed-rate law within 1 % and deepens with F', () => {
    const drops = measureWsdDrop(WSD_REPORT.a, WSD_REPORT.b, makeDynamics({ optimizer: 'gd', lr: WSD_REPORT.lr }), WSD_REPORT.total, WSD_REPORT.fractions);
    for (const d of drops) {
      expect(d.status).toBe('converged');
      expect(d.measured).toBeLessThan(1);
      expect(Math.abs(d.measured / d.summedRate - 1)).toBeLessThan(0.01);
      expect(Math.abs(d.summedRate / d.limit - 1)).toBeLessThan(0.01);
    }
    for (let i = 1; i < drops.length; i++) expect(drops[i].measured).toBeLessThan(drops[i - 1].measured);
  });

  it('the section lists every row with its verdict and the WSD table', () => {
    const drops = measureWsdDrop(WSD_REPORT.a, WSD_REPORT.b, makeDynamics({ optimizer: 'gd', lr: WSD_REPORT.lr }), 2000, [0.5]);
    const section = dynamicsLawsSection([], [reconcileDynamicsLaw(DYNAMICS_LAW_CASES[0])], drops);
    expect(section.markdown).toMatch(/time_equivalent.*agree/);
    expect(section.markdown).toMatch(/\| 0\.5 \| 2000 \|/);
  });
});

/**
 * One calling style across the API: problem (task) objects. exponentTable,
 * reconcileCase and transferFunctions take them and answer exactly what their
 * positional forms (kept for existing callers) answer.
 */
import { describe, expect, it } from 'vitest';
import { exponentTable, powerLawSpectrum, reconcileCase, transferFunctions } from '../../src/index.js';

describe('problem objects everywhere', () => {
  it('exponentTable({ a, b }, options) equals exponentTable(a, b, options)', () => {
    expect(exponentTable({ a: 1.5, b: 1.25 })).toEqual(exponentTable(1.5, 1.25));
    const dynamics = { kind: 'sgd', lr: 0.3, batch: 4 } as const;
    expect(exponentTable({ a: 7, b: 2.5 }, { dynamics })).toEqual(exponentTable(7, 2.5, { dynamics }));
    expect(exponentTable({})).toEqual(exponentTable());
  });

  it('transferFunctions({ ...model, modes, t }) equals transferFunctions(model, modes, t)', () => {
    const model = { spectrum: powerLawSpectrum({ a: 1.5, b: 1.25 }), N: 256, P: 1024 };
    const byObject = transferFunctions({ ...model, modes: [1, 10], t: [0, 1, 100, Infinity] });
    const positional = transferFunctions(model, [1, 10], [0, 1, 100, Infinity]);
    expect(byObject.value.map((v) => Array.from(v))).toEqual(positional.value.map((v) => Array.from(v)));
    expect(byObject.status).toBe('converged');
  });

  it('reconcileCase({ a, b }, options) equals reconcileCase(a, b, options)', () => {
    const options = { laws: ['time'] as const, figures: false };
    const byObject = reconcileCase({ a: 2, b: 1.5 }, { ...options, laws: [...options.laws] });
    const positional = reconcileCase(2, 1.5, { ...options, laws: [...options.laws] });
    expect(byObject.rows).toEqual(positional.rows);
    expect(byObject.rows[0].verdict).toBe('agree');
  });
});

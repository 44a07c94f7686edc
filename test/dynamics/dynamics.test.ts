import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/core/errors.js';
import { checkTimes, divergenceLimit, dynamicsLabel, equivalentTime, GRADIENT_FLOW, makeDynamics, samplesPerStep, stabilityLimit } from '../../src/dynamics/index.js';

describe('makeDynamics', () => {
  it('defaults to unit-rate gradient flow', () => {
    expect(makeDynamics()).toBe(GRADIENT_FLOW);
    expect(makeDynamics({ ridge: 0.1 })).toEqual({ kind: 'gf', ridge: 0.1 });
  });
  it('builds each optimizer with its settings', () => {
    expect(makeDynamics({ optimizer: 'gd', lr: 0.5 })).toEqual({ kind: 'gd', lr: 0.5, ridge: 0 });
    expect(makeDynamics({ optimizer: 'momentum', lr: 0.1, momentum: 0.5 })).toEqual({ kind: 'momentum', lr: 0.1, beta: 0.5, ridge: 0 });
    expect(makeDynamics({ optimizer: 'sgd', lr: 0.2, batch: 8 })).toEqual({ kind: 'sgd', lr: 0.2, batch: 8, ridge: 0 });
  });
  it.each([
    [{ optimizer: 'gf', lr: 0.1 }, '--lr does not apply to gradient flow'],
    [{ optimizer: 'gd', momentum: 0.5, lr: 0.1 }, '--momentum only applies with --optimizer momentum'],
    [{ optimizer: 'gf', batch: 4 }, '--batch only applies with --optimizer sgd'],
    [{ optimizer: 'gd' }, '--lr is required with --optimizer gd'],
    [{ optimizer: 'gd', lr: 0 }, '--lr must be > 0, got 0'],
    [{ optimizer: 'gd', lr: -1 }, '--lr must be > 0, got -1'],
    [{ optimizer: 'sgd', lr: 0.1, batch: 0.5 }, '--batch must be an integer >= 1, got 0.5'],
    [{ optimizer: 'momentum', lr: 0.1, momentum: 1 }, '--momentum must be in [0, 1), got 1'],
    [{ optimizer: 'adam' as never, lr: 0.1 }, '--optimizer must be one of gf, gd, momentum, sgd, nesterov'],
    [{ ridge: -1 }, '--ridge must be >= 0, got -1'],
  ])('rejects %j naming the flag', (input, message) => {
    const names = { optimizer: '--optimizer', lr: '--lr', momentum: '--momentum', batch: '--batch', ridge: '--ridge' };
    expect(() => makeDynamics(input as never, names)).toThrow(InvalidArgumentError);
    expect(() => makeDynamics(input as never, names)).toThrow(message);
  });
});

describe('time and compute conventions', () => {
  it('discrete optimizers take whole step counts', () => {
    expect(() => checkTimes(makeDynamics({ optimizer: 'gd', lr: 0.1 }), [0, 1, 2.5])).toThrow('whole step counts');
    expect(() => checkTimes(makeDynamics({ optimizer: 'gd', lr: 0.1 }), [0, 10, Infinity])).not.toThrow();
    expect(() => checkTimes(GRADIENT_FLOW, [0.25])).not.toThrow();
  });
  it('compute per step and equivalent time', () => {
    const sgd = makeDynamics({ optimizer: 'sgd', lr: 0.5, batch: 4 });
    expect(samplesPerStep(sgd)).toBe(4);
    expect(samplesPerStep(GRADIENT_FLOW)).toBe(1);
    expect(equivalentTime(sgd, 10)).toBe(5);
    expect(equivalentTime(makeDynamics({ optimizer: 'momentum', lr: 0.1, momentum: 0.5 }), 10)).toBeCloseTo(2, 14);
    expect(dynamicsLabel(sgd)).toBe('sgd(eta=0.5, B=4)');
  });
});

describe('stability bounds on E_max (E26-E28)', () => {
  it('GD: the numeric layer covers its whole convergent range 2/eta; SGD 2/(eta (1 + 1/B)), where rho(E_max) = (1 - eta E_max)^2 + (eta^2/B) E_max^2 reaches 1; momentum 2 (1 + beta)/eta', () => {
    const gd = makeDynamics({ optimizer: 'gd', lr: 0.5 });
    expect(stabilityLimit(gd)).toBe(4);
    expect(stabilityLimit(gd)).toBe(divergenceLimit(gd));
    const sgd = makeDynamics({ optimizer: 'sgd', lr: 0.5, batch: 4 });
    expect(stabilityLimit(sgd)).toBe(3.2);
    expect(divergenceLimit(sgd)).toBe(3.2);
    // rho(E) = 1 exactly at the bound, below 1 just inside it (the lambda^2/B term moves it from 2/eta).
    const rho = (x: number) => (1 - 0.5 * x) ** 2 + (0.25 / 4) * x * x;
    expect(rho(3.2)).toBeCloseTo(1, 14);
    expect(rho(3.19)).toBeLessThan(1);
    expect(divergenceLimit(makeDynamics({ optimizer: 'sgd', lr: 0.5, batch: 1 }))).toBe(2);
    const mom = makeDynamics({ optimizer: 'momentum', lr: 0.5, momentum: 0.5 });
    expect(stabilityLimit(mom)).toBe(6);
    expect(stabilityLimit(GRADIENT_FLOW)).toBe(Infinity);
  });
});

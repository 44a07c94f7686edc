// THEORY (E26-E28d): each module's rescaled-time law terms against its own equivalentTime, and the summed rate
// (src/symbolic/schedule-laws.ts) driven by them.
import { describe, expect, it } from 'vitest';
import { equivalentTime, makeDynamics, OPTIMIZERS, optimizerModule, rescaledTimeLaws, type Dynamics } from '../../src/dynamics/index.js';
import { summedRate } from '../../src/symbolic/index.js';

/** A module's time text ('eta t/(1 - beta)') evaluated at numbers: the text and the function must say the same. */
function evaluateTime(text: string, eta: number, beta: number, t: number): number {
  // Juxtaposition is a product: 'eta t' -> 'ETA * T'.
  const js = text.replace(/\bbeta\b/g, 'BETA').replace(/\beta t\b/g, 'ETA * T');
  return new Function('ETA', 'BETA', 'T', `return ${js};`)(eta, beta, t) as number;
}

const SAMPLES: Record<string, Dynamics> = {
  gd: makeDynamics({ optimizer: 'gd', lr: 0.3 }),
  momentum: makeDynamics({ optimizer: 'momentum', lr: 0.3, momentum: 0.7 }),
  nesterov: makeDynamics({ optimizer: 'nesterov', lr: 0.3, momentum: 0.7 }),
};

describe('rescaled-time law terms', () => {
  const rescaled = OPTIMIZERS.filter((name) => optimizerModule(name).laws.kind === 'rescaled-time');

  it('are gd, momentum and nesterov; every optimizer that takes a schedule is among them (its summed rate needs them)', () => {
    expect(rescaled).toEqual(['gd', 'momentum', 'nesterov']);
    for (const name of OPTIMIZERS) if (optimizerModule(name).supports.schedule) expect(rescaled, name).toContain(name);
  });

  it.each(['gd', 'momentum', 'nesterov'])('%s: the named time is equivalentTime, and the summed rate without a schedule is it', (name) => {
    const d = SAMPLES[name];
    const laws = rescaledTimeLaws(d)!;
    const beta = (d as { beta?: number }).beta ?? 0;
    for (const t of [1, 17, 1000]) expect(evaluateTime(laws.time, 0.3, beta, t)).toBeCloseTo(equivalentTime(d, t), 10);
    expect(summedRate(d, [0, 17, 1000])[2]).toBeCloseTo(equivalentTime(d, 1000), 9);
  });

  it('the summed rate refuses gradient flow and one-pass SGD, naming the optimizers it serves', () => {
    expect(rescaledTimeLaws(makeDynamics({}))).toBeUndefined();
    expect(() => summedRate(makeDynamics({ optimizer: 'sgd', lr: 0.1 }), [10])).toThrow(/defined for gd, momentum, nesterov/);
  });
});

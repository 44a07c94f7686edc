/**
 * Learning-rate schedules (THEORY E28c): the rate of step s against the formulas written out here,
 * validation (typed errors naming the argument and value), the peak rate in the stability bounds.
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/core/errors.js';
import {
  divergenceLimit,
  dynamicsLabel,
  makeDynamics,
  parseLearningRateSchedule,
  peakRate,
  rateFactor,
  rateRuns,
  ratesFromText,
  stabilityLimit,
  type GradientDescent,
  type LearningRateSchedule,
} from '../../src/dynamics/index.js';

const parsed = (spec: string): LearningRateSchedule => {
  const s = parseLearningRateSchedule(spec);
  if (s === undefined) throw new Error(`no schedule for ${spec}`);
  return s;
};

describe('rate factors', () => {
  it('cosine:T is (1 + cos(pi min(s, T)/T))/2', () => {
    const s = parsed('cosine:100');
    expect(rateFactor(s, 0)).toBe(1);
    expect(rateFactor(s, 50)).toBeCloseTo(0.5, 15);
    expect(rateFactor(s, 25)).toBeCloseTo((1 + Math.SQRT1_2) / 2, 15);
    expect(rateFactor(s, 100)).toBe(0);
    expect(rateFactor(s, 150)).toBe(0);
  });
  it('wsd:T:F is 1 before (1 - F) T, linear to 0 at T, 0 after', () => {
    const s = parsed('wsd:100:0.2');
    expect(rateFactor(s, 0)).toBe(1);
    expect(rateFactor(s, 79)).toBe(1);
    expect(rateFactor(s, 80)).toBe(1);
    expect(rateFactor(s, 85)).toBeCloseTo(0.75, 15);
    expect(rateFactor(s, 99)).toBeCloseTo(0.05, 15);
    expect(rateFactor(s, 100)).toBe(0);
    expect(rateFactor(s, 1000)).toBe(0);
  });
  it('step:T1:F multiplies by F from step T1 on; power:T0:G is (1 + s/T0)^-G', () => {
    const step = parsed('step:10:0.1');
    expect([rateFactor(step, 9), rateFactor(step, 10), rateFactor(step, 11)]).toEqual([1, 0.1, 0.1]);
    const power = parsed('power:10:0.5');
    expect(rateFactor(power, 0)).toBe(1);
    expect(rateFactor(power, 30)).toBeCloseTo(0.5, 15);
  });
  it('constant is no schedule', () => {
    expect(parseLearningRateSchedule('constant')).toBeUndefined();
  });
  it('a file: one factor per line (the last holds), or step,factor breakpoints interpolated linearly', () => {
    const list = ratesFromText('# rates\n1\n0.5\n\n0.25\n', 'r.txt');
    expect([0, 1, 2, 3, 10].map((s) => rateFactor(list, s))).toEqual([1, 0.5, 0.25, 0.25, 0.25]);
    const bp = ratesFromText('0,1\n10,0.5\n20,0\n', 'b.csv');
    expect([0, 5, 10, 15, 20, 30].map((s) => rateFactor(bp, s))).toEqual([1, 0.75, 0.5, 0.25, 0, 0]);
  });
});

describe('validation', () => {
  const bad: Array<[string, RegExp]> = [
    ['linear:10', /must be constant, step/],
    ['cosine', /takes 1 number/],
    ['cosine:0', /whole step count >= 1/],
    ['cosine:2.5', /whole step count/],
    ['wsd:100:0', /decay fraction F in \(0, 1\]/],
    ['wsd:100:1.5', /decay fraction/],
    ['step:-1:0.5', /whole step count >= 0/],
    ['step:10:0', /> 0/],
    ['power:0:1', /> 0/],
    ['power:10:-1', /GAMMA >= 0/],
    ['power:10:x', /GAMMA >= 0/],
  ];
  it.each(bad)('%s is refused with the flag and value', (spec, message) => {
    let caught: unknown;
    try {
      parseLearningRateSchedule(spec, '--schedule');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InvalidArgumentError);
    expect((caught as InvalidArgumentError).argument).toBe('--schedule');
    expect((caught as Error).message).toMatch(message);
  });
  it('files: unordered steps, negative or missing factors, mixed columns are refused', () => {
    for (const text of ['0,1\n0,0.5\n', '1,1\n', '1\n-0.5\n', '', '0\n0\n', '1\n2,3\n', '0,1\n5,x\n']) {
      expect(() => ratesFromText(text, 'f', '--schedule')).toThrow(InvalidArgumentError);
    }
  });
  it('a schedule applies to gd, momentum and sgd, not to gradient flow', () => {
    const schedule = parsed('cosine:10');
    expect(makeDynamics({ optimizer: 'sgd', lr: 0.1, schedule })).toEqual({ kind: 'sgd', lr: 0.1, batch: 1, ridge: 0, schedule });
    expect(() => makeDynamics({ schedule })).toThrow(/schedule only applies with optimizer gd, momentum or sgd/);
    expect(dynamicsLabel(makeDynamics({ optimizer: 'gd', lr: 0.5, schedule }))).toBe('gd(eta=0.5, schedule=cosine:10)');
  });
  it('a hand-built schedule gets the same checks', () => {
    expect(() => makeDynamics({ optimizer: 'gd', lr: 0.5, schedule: { kind: 'cosine', total: -1 } })).toThrow(/whole step count >= 1/);
    expect(() => makeDynamics({ optimizer: 'gd', lr: 0.5, schedule: { kind: 'wsd', total: 10, fraction: NaN } })).toThrow(/decay fraction/);
    expect(() => makeDynamics({ optimizer: 'gd', lr: 0.5, schedule: { kind: 'rates', steps: [0, 5], factors: [1, -1], source: 'api' } })).toThrow(InvalidArgumentError);
    expect(() => makeDynamics({ optimizer: 'gd', lr: 0.5, schedule: { kind: 'rates', steps: [1], factors: [1], source: 'api' } })).toThrow(/ascending from 0/);
    const ok = makeDynamics({ optimizer: 'gd', lr: 0.5, schedule: { kind: 'rates', steps: [0, 5], factors: [1, 0.5], source: 'api' } });
    expect(ok.kind === 'gd' && ok.schedule !== undefined && rateFactor(ok.schedule, 3)).toBeCloseTo(0.7, 15);
  });
  it('the largest rate sets the stability bounds', () => {
    const up = makeDynamics({ optimizer: 'gd', lr: 0.5, schedule: parsed('step:10:3') });
    expect(peakRate(up as GradientDescent)).toBe(1.5);
    expect(stabilityLimit(up)).toBeCloseTo(2 / 1.5, 15);
    const down = makeDynamics({ optimizer: 'momentum', lr: 0.5, momentum: 0.5, schedule: parsed('step:10:0.1') });
    expect(divergenceLimit(down)).toBeCloseTo((2 * 1.5) / 0.5, 15);
  });
});

describe('rateRuns: constant runs (one power per run in the DMFT kernel, E28c) and varying runs cover the steps', () => {
  it.each(['step:7:0.3', 'cosine:40', 'wsd:37:0.3', 'wsd:40:0.25', 'power:5:0.5', 'power:5:0'])('%s', (spec) => {
    const schedule = parsed(spec);
    const runs = rateRuns(schedule, 60);
    expect(runs[0].start).toBe(0);
    expect(runs[runs.length - 1].end).toBe(60);
    runs.forEach((r, i) => {
      if (i > 0) expect(r.start).toBe(runs[i - 1].end);
      if (!Number.isNaN(r.factor)) for (let s = r.start; s < r.end; s++) expect(rateFactor(schedule, s), `${spec} s = ${s}`).toBe(r.factor);
    });
  });
  it('file breakpoints: equal neighbours are one constant run, the last factor holds after the list', () => {
    const schedule = ratesFromText('0,1\n10,1\n20,0.5\n30,0.5', 'f');
    expect(rateRuns(schedule, 50)).toEqual([
      { start: 0, end: 10, factor: 1 },
      { start: 10, end: 20, factor: NaN },
      { start: 20, end: 30, factor: 0.5 },
      { start: 30, end: 50, factor: 0.5 },
    ]);
  });
});

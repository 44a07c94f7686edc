/**
 * The API behind `curve` and `demo` (src/reconcile/curve-report.ts): the demo
 * problem is the one the CLI's flags describe, the demo's panel carries the
 * same numbers as its report, and requests are checked before any work.
 */
import { describe, expect, it } from 'vitest';
import { parseCurveCommand } from '../../src/cli/commands/curve.js';
import { DEMO_FLAGS } from '../../src/cli/commands/demo.js';
import {
  checkCurveReport,
  computeCurveReport,
  computeDemo,
  DEMO_PROBLEM,
  demoSimulationPanel,
  formatCurveReport,
  formatDemo,
} from '../../src/reconcile/curve-report.js';
import { powerLawSpectrum } from '../../src/spectrum/index.js';

describe('curve report API', () => {
  it('the demo problem is exactly what the CLI flags of the demo describe', () => {
    const { problem } = parseCurveCommand(DEMO_FLAGS);
    expect(problem.spectrum).toEqual(DEMO_PROBLEM.spectrum);
    expect([problem.N, problem.P, problem.sigma]).toEqual([DEMO_PROBLEM.N, DEMO_PROBLEM.P, DEMO_PROBLEM.sigma]);
    expect(Array.from(problem.t)).toEqual(Array.from(DEMO_PROBLEM.t));
    expect(problem.simulation).toEqual(DEMO_PROBLEM.simulation);
  });

  it('computeDemo: agreement per series, the panel carries the report\'s numbers, the text has a verdict', async () => {
    // Two seeds, the fewest with a standard error: the structure is under test, not the statistics.
    const demo = await computeDemo({ seeds: 2, workers: 1 });
    const { theory, simulation } = demo.curve;
    expect(simulation?.seeds).toBe(2);
    const panel = demoSimulationPanel(demo);
    expect(panel.t).toEqual(Array.from(theory.t));
    expect(panel.theory.map((s) => s.name)).toEqual(['DMFT test', 'DMFT train']);
    expect(panel.theory[0].y).toEqual(Array.from(theory.test));
    expect(panel.simulation[1].mean).toEqual(Array.from(simulation!.results[0].train.mean));
    expect(panel.seeds).toEqual({ seed: 1, seeds: 2 });
    expect(demo.agrees).toBe(demo.agreements.test.agrees && demo.agreements.train.agrees && demo.agreements.testA.agrees);
    const text = formatDemo(demo);
    expect(text).toMatch(/^Verdict: (theory and simulation agree|DISAGREEMENT)/m);
    expect(text).toMatch(/--seeds 2 --seed 1/);
  });

  it('checkCurveReport refuses before any work and names the API fields and limit options', () => {
    const spectrum = powerLawSpectrum({ a: 1.5, b: 1.25 });
    const finite = powerLawSpectrum({ a: 1.5, b: 1.25, M: 100 });
    expect(() => checkCurveReport({ spectrum, N: 8, P: 8, t: new Float64Array(20_001) })).toThrow(
      /^t asks for 20001 times, more than the limit of 10000 \(raise it with limits\.maxTimes\)/,
    );
    expect(() => checkCurveReport({ spectrum, N: 8, P: 8, t: [1], simulation: { seeds: 2 } })).toThrow(/^M must be finite to simulate/);
    expect(() => checkCurveReport({ spectrum: finite, N: 8, P: 8, t: [1, Infinity], simulation: { seeds: 2 } })).toThrow(/^t must be finite to simulate/);
    expect(() => checkCurveReport({ spectrum: finite, N: 8, P: 8, t: [1], simulation: { seeds: 0 } })).toThrow(/^seeds must be an integer >= 1/);
    expect(() => checkCurveReport({ spectrum, N: 8, P: 8, t: [1] }, { workers: 0 })).toThrow(/^workers must be an integer >= 1/);
    const big = powerLawSpectrum({ a: 1.5, b: 1.25, M: 1e9 });
    expect(() => checkCurveReport({ spectrum: big, N: 256, P: 1024, t: [1], simulation: { seeds: 20 } })).toThrow(
      /^simulation needs about .* GiB, more than the limit of 4\.00 GiB \(raise it with limits\.maxSimulationBytes/,
    );
    expect(checkCurveReport({ spectrum, N: 8, P: 8, t: [1] }, { workers: 1000 }).workers.used).toBeLessThanOrEqual(1000);
  });

  it('computeCurveReport and formatCurveReport: the API a script uses', async () => {
    const report = await computeCurveReport({ spectrum: powerLawSpectrum({ a: 2, b: 1.5 }), N: Infinity, P: Infinity, t: [0, 1, Infinity] });
    // t = 0: L(0) = zeta(2) = pi^2/6 (THEORY E7); at N = P = inf the loss tends to 0.
    expect(report.theory.test[0]).toBeCloseTo(Math.PI ** 2 / 6, 9);
    expect(report.theory.test[2]).toBeLessThan(1e-9);
    expect(report.parameters.t).toEqual([0, 1, Infinity]);
    expect(formatCurveReport(report, 'json')).toMatch(/"t": \[\s*0,\s*1,\s*"inf"\s*\]/);
  });
});

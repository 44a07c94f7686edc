/**
 * The report's theory-against-simulation panel: one DMFT curve of the finite
 * model beside the Monte Carlo mean of the same model (exact gradient flow),
 * with the point-by-point agreement (agreement.ts). Plain options, so that a
 * script reproduces the report's panel (and the whole report) from the API.
 */
import { solveCurve } from '../numeric/index.js';
import { simulate } from '../simulation/index.js';
import { powerLawSpectrum } from '../spectrum/index.js';
import { compareSeries, MIN_SEEDS_FOR_ERROR, ONE_SEED_NOTE } from './agreement.js';
import type { SimulationPanel } from './report.js';

/** Settings of simulationPanel. */
export interface SimulationPanelOptions {
  readonly a: number;
  readonly b: number;
  /** Modes, width, data (finite: the simulated model). */
  readonly M: number;
  readonly N: number;
  readonly P: number;
  readonly sigma: number;
  /** Times, ascending. */
  readonly t: readonly number[];
  /** Monte Carlo seeds and the first seed. */
  readonly seeds: number;
  readonly seed: number;
  /** Worker threads of the simulation (results do not depend on it). */
  readonly workers?: number;
}

/** 16 log-spaced times from 0.1 to 1e5 (the demo's grid). */
function demoTimes(): number[] {
  const count = 16;
  const ratio = Math.log(1e5 / 1e-1) / (count - 1);
  return Array.from({ length: count }, (_, i) => (i === count - 1 ? 1e5 : 1e-1 * Math.exp(ratio * i)));
}

/** The default report's panel: a = 1.5, b = 1.25, M = 2000, N = 256, P = 1024, sigma = 0, 20 seeds from seed 1. */
export const REPORT_PANEL: SimulationPanelOptions = Object.freeze({
  a: 1.5,
  b: 1.25,
  M: 2000,
  N: 256,
  P: 1024,
  sigma: 0,
  t: Object.freeze(demoTimes()),
  seeds: 20,
  seed: 1,
});

/** Runs the DMFT and the Monte Carlo of one problem and compares them (test, train, L_A). */
export async function simulationPanel(options: SimulationPanelOptions): Promise<SimulationPanel> {
  const { a, b, M, N, P, sigma, seeds, seed } = options;
  const spectrum = powerLawSpectrum({ a, b, M });
  const t = [...options.t];
  const theory = solveCurve({ spectrum, N, P, sigma, t });
  const simulation = await simulate({ spectrum, N, P, sigma, t, seeds, seed }, { workers: options.workers });
  const mc = simulation.results[0];
  const summary = seeds < MIN_SEEDS_FOR_ERROR ? [ONE_SEED_NOTE] : (['test', 'train', 'testA'] as const).map((q) => {
    const s = compareSeries(theory[q], mc[q].mean, mc[q].stderr);
    return `${q === 'testA' ? 'L_A' : q}: max |DMFT - MC| / s.e. = ${s.maxAbsZ.toFixed(2)}, max relative difference ${(100 * s.maxRelativeDifference).toFixed(2)}%, ${s.failures} of ${t.length} times outside 3 s.e. or 2%`;
  });
  return {
    caption: `Power law a = ${a}, b = ${b}, M = ${M}, N = ${N}, P = ${P}, sigma = ${sigma}: DMFT lines, Monte Carlo points (${seeds} seeds from seed ${seed}, exact gradient flow).`,
    t,
    theory: [
      { name: 'DMFT test', y: Array.from(theory.test) },
      { name: 'DMFT train', y: Array.from(theory.train) },
    ],
    simulation: [
      { name: 'MC test', mean: Array.from(mc.test.mean), stderr: Array.from(mc.test.stderr) },
      { name: 'MC train', mean: Array.from(mc.train.mean), stderr: Array.from(mc.train.stderr) },
    ],
    summary,
    seeds: { seed, seeds },
  };
}

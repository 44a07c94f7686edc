/**
 * Cost of the DMFT under learning-rate schedules past the circle rule (THEORY E28c, src/numeric/schedule-keyhole.ts):
 * wall time of solveCurve at N = 512, P = 1024 (a = 1.5, b = 1.25, M = inf, sigma = 0.3), 8 log-spaced times from
 * 1e2 to the horizon, as a ratio to the same call at the constant rate (the keyhole of E27a), interleaved in one process.
 *
 * Rerun: npx tsx scripts/numeric/schedule-horizon-cost.ts
 */
import { makeDynamics, parseLearningRateSchedule, type Dynamics } from '../../src/dynamics/index.js';
import { solveCurve } from '../../src/numeric/index.js';
import { logGrid } from '../../src/reconcile/fit.js';
import { powerLawSpectrum } from '../../src/spectrum/index.js';

const model = { spectrum: powerLawSpectrum({ a: 1.5, b: 1.25 }), N: 512, P: 1024, sigma: 0.3 };
const time = (dynamics: Dynamics, horizon: number): { ms: number; status: string } => {
  const t = Array.from(logGrid(100, horizon, 8), Math.round);
  const t0 = performance.now();
  const sol = solveCurve({ ...model, t, dynamics });
  return { ms: performance.now() - t0, status: sol.status };
};
const all: Array<[string, 'gd' | 'momentum', number, number | undefined, string, number]> = [
  ['GD step:1000:0.1', 'gd', 0.8, undefined, 'step:1000:0.1', 1e6],
  ['GD wsd:1e6:0.2', 'gd', 0.8, undefined, 'wsd:1000000:0.2', 1e6],
  ['GD cosine:1e4', 'gd', 0.8, undefined, 'cosine:10000', 1e4],
  ['GD cosine:1e5', 'gd', 0.8, undefined, 'cosine:100000', 1e5],
  ['GD cosine:1e6', 'gd', 0.8, undefined, 'cosine:1000000', 1e6],
  ['momentum step:1000:0.1', 'momentum', 0.3, 0.5, 'step:1000:0.1', 1e6],
  ['momentum cosine:1e4', 'momentum', 0.3, 0.5, 'cosine:10000', 1e4],
  ['momentum cosine:1e5', 'momentum', 0.3, 0.5, 'cosine:100000', 1e5],
  ['momentum cosine:1e6', 'momentum', 0.3, 0.5, 'cosine:1000000', 1e6],
];
// `cosine` as the argument: the cosine cases only.
const cases = process.argv[2] === 'cosine' ? all.filter((c) => c[0].includes('cosine')) : all;
time(makeDynamics({ optimizer: 'gd', lr: 0.8 }), 1e3); // warm-up
for (const [label, optimizer, lr, beta, spec, horizon] of cases) {
  const plain = makeDynamics({ optimizer, lr, momentum: beta });
  const scheduled = makeDynamics({ optimizer, lr, momentum: beta, schedule: parseLearningRateSchedule(spec) });
  const base = time(plain, horizon);
  const run = time(scheduled, horizon);
  console.log(`${label.padEnd(24)} to ${horizon.toExponential(0)}: ${run.ms.toFixed(0)} ms (${run.status}), constant rate ${base.ms.toFixed(0)} ms, ratio ${(run.ms / base.ms).toFixed(2)}`);
}

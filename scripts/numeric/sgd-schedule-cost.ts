/**
 * Wall time of one-pass SGD under a schedule at finite N (THEORY E28c: the level-set contour, ~9.4 nodes per
 * step, stepped t times per pass, two passes: O(t^2)), against the estimate the CLI checks against --max-seconds
 * (estimateScheduledSgdSeconds). N = 256, a = 2, b = 1.5, M = inf, eta = 0.5, B = 4, cosine to t_max.
 * Run: npx tsx scripts/numeric/sgd-schedule-cost.ts [t_max ...] (default 1000 2000 5000).
 */
import { loadavg } from 'node:os';
import { makeDynamics, parseLearningRateSchedule } from '../../src/dynamics/index.js';
import { estimateScheduledSgdSeconds, solveCurve } from '../../src/numeric/index.js';
import { powerLawSpectrum } from '../../src/spectrum/index.js';

const horizons = process.argv.slice(2).map(Number);
for (const tMax of horizons.length > 0 ? horizons : [1000, 2000, 5000]) {
  const dynamics = makeDynamics({ optimizer: 'sgd', lr: 0.5, batch: 4, schedule: parseLearningRateSchedule(`cosine:${tMax}`) });
  const t = [1, 10, 100, tMax];
  const started = performance.now();
  const sol = solveCurve({ spectrum: powerLawSpectrum({ a: 2, b: 1.5 }), N: 256, P: Infinity, sigma: 0.3, t, dynamics });
  const seconds = (performance.now() - started) / 1000;
  const estimate = estimateScheduledSgdSeconds(dynamics, 256, t);
  console.log(`t_max ${tMax}: ${seconds.toFixed(1)} s (status ${sol.status}), estimate ${estimate.toFixed(1)} s, ratio ${(estimate / seconds).toFixed(2)}, load ${loadavg()[0].toFixed(1)}`);
}

/**
 * Generates test/fixtures/schedules/<case>.json: Monte Carlo ground truth of the finite random-feature model
 * (THEORY E1-E6) under full-batch GD and heavy-ball momentum with a learning-rate schedule (E28c: the exact
 * per-step propagators of the simulator), for test/reconcile/schedules-vs-simulation.test.ts.
 *
 * M = 1000 power-law modes, N = 256, P = 512, sigma in {0, 0.3} (shared draws), 2 projections A per seed,
 * 100 seeds; times: log-spaced to the schedule's end T plus every T/10 over the second half (the decay).
 * Long schedules (past the circle rule's 634 steps; the keyhole with the product kernel, E28c): M = 2000,
 * N = P = 512, 48 seeds, T = 1e4 (cosine) and 2e4 (WSD).
 *
 * Rerun: npx tsx scripts/simulation/schedule-fixtures.ts [--workers 1] [--only SUBSTRING]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { describeDynamics, makeDynamics, parseLearningRateSchedule } from '../../src/dynamics/index.js';
import { powerLawSpectrum } from '../../src/spectrum/index.js';
import { simulate, SIMULATOR_VERSION } from '../../src/simulation/index.js';
import { stepGrid } from './dynamics-cases.js';

const M = 1000;
const SIGMAS = [0, 0.3];
const SEEDS = 100;

/** The schedule cases: [name, optimizer, lr, beta, schedule spec, T]. */
export const SCHEDULE_CASES = [
  ['gd-cosine', 'gd', 0.8, undefined, 'cosine:400', 400],
  ['gd-wsd', 'gd', 0.8, undefined, 'wsd:400:0.3', 400],
  ['momentum-cosine', 'momentum', 0.3, 0.5, 'cosine:300', 300],
  ['momentum-wsd', 'momentum', 0.3, 0.5, 'wsd:300:0.3', 300],
] as const;

/** Long schedules: [name, optimizer, lr, beta, schedule spec, T], at M = 2000, N = P = 512, 48 seeds. */
export const LONG_SCHEDULE_CASES = [
  ['gd-cosine-long', 'gd', 0.8, undefined, 'cosine:10000', 10000],
  ['gd-wsd-long', 'gd', 0.8, undefined, 'wsd:20000:0.2', 20000],
  ['momentum-cosine-long', 'momentum', 0.3, 0.5, 'cosine:10000', 10000],
  ['momentum-wsd-long', 'momentum', 0.3, 0.5, 'wsd:20000:0.2', 20000],
] as const;

/** Log-spaced steps to T and every T/10 from T/2 on (the decay phase), ascending, no duplicates. */
export function scheduleGrid(T: number): number[] {
  const extra = Array.from({ length: 6 }, (_, i) => Math.round(T / 2 + (i * T) / 10));
  return [...new Set([...stepGrid(T, 14), ...extra])].sort((a, b) => a - b);
}

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1]?.endsWith('schedule-fixtures.ts')) {
  const workers = Number(option('--workers') ?? 1);
  const only = option('--only');
  const outDir = new URL('../../test/fixtures/schedules/', import.meta.url);
  mkdirSync(outDir, { recursive: true });
  const all = [
    ...SCHEDULE_CASES.map((c, index) => ({ c, index, M, N: 256, P: 512, seeds: SEEDS })),
    ...LONG_SCHEDULE_CASES.map((c, index) => ({ c, index: 10 + index, M: 2000, N: 512, P: 512, seeds: 48 })),
  ];
  for (const { c: [tag, optimizer, lr, beta, spec, T], index, M, N, P, seeds } of all) {
    const name = `${tag}_a1.5_b1.25_N${N}_P${P}`;
    if (only !== undefined && !name.includes(only)) continue;
    const t0 = Date.now();
    const dynamics = makeDynamics({ optimizer, lr, momentum: beta, schedule: parseLearningRateSchedule(spec) });
    const t = scheduleGrid(T);
    const seed = 7300 + index + 1;
    const r = await simulate({ spectrum: powerLawSpectrum({ a: 1.5, b: 1.25, M }), N, P, sigma: SIGMAS, t, seeds, seed, dynamics }, { ensemble: 2, workers });
    const arr = (x: Float64Array) => Array.from(x, (v) => (Number.isFinite(v) ? v : null));
    const doc = {
      generated: 'by scripts/simulation/schedule-fixtures.ts; do not edit (rerun: npx tsx scripts/simulation/schedule-fixtures.ts --only NAME)',
      name,
      tool: { simulator: SIMULATOR_VERSION, node: process.version },
      parameters: { spectrum: { kind: 'power-law', a: 1.5, b: 1.25, M }, N, P, sigma: SIGMAS, ensemble: 2, dynamics: describeDynamics(dynamics) },
      seed,
      seeds,
      t,
      results: r.results.map((x) => ({
        sigma: x.sigma,
        test: { mean: arr(x.test.mean), stderr: arr(x.test.stderr) },
        train: { mean: arr(x.train.mean), stderr: arr(x.train.stderr) },
        testA: { mean: arr(x.testA.mean), stderr: arr(x.testA.stderr) },
      })),
      status: r.status,
      timing: { seconds: Math.round((Date.now() - t0) / 1000), msPerSeed: Math.round(r.timing.msPerSeed) },
    };
    writeFileSync(new URL(`${name}.json`, outDir), `${JSON.stringify(doc)}\n`);
    console.log(`${new Date().toISOString()} ${name}: ${((Date.now() - t0) / 1000).toFixed(1)} s, status ${r.status}`);
  }
}

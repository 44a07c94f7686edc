/**
 * The distance between the DMFT and the finite model it describes, per
 * dynamics: the relative gap (DMFT - MC) / MC of the mean test loss against
 * the project's simulator (exact propagators, 2 projections per seed), with
 * its standard error, beside the curve report's finite-model-gap estimate
 * (src/reconcile/finite-gap.ts). Tables in docs/dynamics-validation.md,
 * section "The finite-model gap of the top modes".
 *
 * Rerun: npx tsx scripts/simulation/finite-gap.ts [--only SUBSTRING] [--scale 1]
 *   --scale multiplies every case's seed count (0.25 for a quick look); the documented table
 *   used --scale 0.5 (31 minutes on a loaded 2-core machine).
 */
import { computeCurveReport } from '../../src/reconcile/curve-report.js';
import { finiteGapEstimate } from '../../src/reconcile/finite-gap.js';
import { makeDynamics, type DynamicsInput } from '../../src/dynamics/index.js';
import { powerLawSpectrum } from '../../src/spectrum/index.js';

interface GapCase {
  readonly name: string;
  readonly a: number;
  readonly b: number;
  readonly N: number;
  readonly dynamics: DynamicsInput;
  readonly t: readonly number[];
  readonly seeds: number;
}

const TRANSIENT = [5, 10, 15, 20, 30, 50];
const momentum = (lr: number, beta: number): DynamicsInput => ({ optimizer: 'momentum', lr, momentum: beta });
/** Seeds per N: the per-draw spread of the early loss is large (the top mode carries it). */
const SEEDS: Record<number, number> = { 64: 400, 128: 300, 256: 200, 512: 100 };

const CASES: GapCase[] = [
  ...[64, 128, 256, 512].map((N) => ({ name: `momentum beta=0.9 a>2b N=${N}`, a: 4.4, b: 1.3, N, dynamics: momentum(0.2, 0.9), t: TRANSIENT, seeds: SEEDS[N] })),
  ...[128, 512].map((N) => ({ name: `momentum beta=0.9 a<2b N=${N}`, a: 2, b: 1.3, N, dynamics: momentum(0.2, 0.9), t: TRANSIENT, seeds: SEEDS[N] })),
  ...[128, 512].map((N) => ({ name: `momentum beta=0.5 a>2b N=${N}`, a: 4.4, b: 1.3, N, dynamics: momentum(0.2, 0.5), t: TRANSIENT, seeds: SEEDS[N] })),
  ...[128, 512].map((N) => ({ name: `momentum beta=0.99 a>2b N=${N}`, a: 4.4, b: 1.3, N, dynamics: momentum(0.02, 0.99), t: [20, 50, 100, 150, 200, 300], seeds: SEEDS[N] })),
  ...[128, 512].map((N) => ({ name: `gd eta=1.5 a>2b N=${N}`, a: 4.4, b: 1.3, N, dynamics: { optimizer: 'gd', lr: 1.5 } as DynamicsInput, t: [1, 2, 5, 10, 20, 50], seeds: SEEDS[N] })),
  ...[64, 512].map((N) => ({ name: `gf a>2b N=${N}`, a: 4.4, b: 1.3, N, dynamics: {} as DynamicsInput, t: [0.5, 1, 2, 5, 10, 20], seeds: SEEDS[N] })),
];

const arg = (flag: string) => {
  const i = process.argv.indexOf(flag);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const only = arg('--only');
const scale = Number(arg('--scale') ?? 1);

for (const c of CASES.filter((x) => only === undefined || x.name.includes(only))) {
  const started = performance.now();
  const seeds = Math.max(3, Math.round(c.seeds * scale));
  const report = await computeCurveReport(
    { spectrum: powerLawSpectrum({ a: c.a, b: c.b, M: 1000 }), N: c.N, P: 2 * c.N, sigma: 0, t: c.t, dynamics: makeDynamics(c.dynamics), simulation: { seeds, seed: 1 } },
    { workers: 1, limits: { maxSimulationSeconds: 1e5 } },
  );
  const mc = report.simulation!.results[0].test;
  const spectrum = powerLawSpectrum({ a: c.a, b: c.b, M: 1000 });
  const expected = finiteGapEstimate({ spectrum, N: c.N, P: 2 * c.N, dynamics: makeDynamics(c.dynamics), t: c.t, test: report.theory.test })?.expected;
  const cells = c.t.map((t, i) => {
    const gap = (report.theory.test[i] - mc.mean[i]) / mc.mean[i];
    const se = mc.stderr[i] / mc.mean[i];
    const estimate = expected?.[i];
    return `t=${t}: ${(100 * gap).toFixed(1)} +- ${(100 * se).toFixed(1)} %${estimate === undefined ? '' : ` (exp ${(100 * estimate).toFixed(1)} %)`}`;
  });
  const flag = report.finiteModelGap ? `note: ${report.finiteModelGap.regime}` : 'no note';
  console.log(`| ${c.name} | ${seeds} | ${cells.join(' | ')} | ${flag} | ${((performance.now() - started) / 1000).toFixed(0)} s |`);
}

/**
 * `scaling-dmft demo`: the DMFT curve of a default
 * problem beside the Monte Carlo of the finite model, with the agreement of
 * each point. The default is issue 2's: a = 1.5, b = 1.25, N = 256, P = 1024, M = 2000.
 */
import type { Command } from 'commander';
import { compareSeries, DEFAULT_AGREEMENT, type SeriesAgreement } from '../../reconcile/agreement.js';
import { fmt, markdownTable, emit } from '../output.js';
import { computeCurve, parseCurveFlags, type CurveFlags, type CurveReport } from './curve.js';

export const DEMO_FLAGS: CurveFlags = {
  a: '1.5',
  b: '1.25',
  M: '2000',
  N: '256',
  P: '1024',
  sigma: '0',
  t: '1e-1:1e5:16',
  simulate: true,
  seeds: '20',
  seed: '1',
  workers: '2',
};

export function formatDemo(report: CurveReport): string {
  const th = report.theory;
  const mc = report.simulation?.results[0];
  if (!mc || !report.simulation) throw new Error('demo needs a simulation');
  const series: Array<[string, ArrayLike<number>, { mean: Float64Array; stderr: Float64Array }]> = [
    ['test', th.test, mc.test],
    ['train', th.train, mc.train],
    ['L_A', th.testA, mc.testA],
  ];
  const agreements: SeriesAgreement[] = series.map(([, theory, est]) => compareSeries(theory, est.mean, est.stderr));
  const pm = (mean: number, se: number) => `${fmt(mean, 5)} ± ${fmt(se, 2)}`;
  const rows = Array.from(th.t, (t, i) => [
    fmt(t, 4),
    ...series.flatMap(([, theory, est], q) => [
      fmt(theory[i], 5),
      pm(est.mean[i], est.stderr[i]),
      fmt(agreements[q].points[i].z, 2),
    ]),
    agreements.every((a) => a.points[i].agrees) ? 'yes' : 'NO',
  ]);
  const header = ['t', 'DMFT test', 'MC test', 'z', 'DMFT train', 'MC train', 'z', 'DMFT L_A', 'MC L_A', 'z', 'agree'];
  const { standardErrors, relative } = DEFAULT_AGREEMENT;
  const sim = report.simulation;
  const summary = series.map(
    ([name], q) =>
      `${name}: max |z| ${fmt(agreements[q].maxAbsZ, 3)}, max relative difference ${fmt(100 * agreements[q].maxRelativeDifference, 3)}%, ${agreements[q].failures} of ${th.t.length} points outside ${standardErrors} s.e. or ${100 * relative}%`,
  );
  return [
    `# scaling-dmft demo: DMFT theory against the finite random-feature model`,
    '',
    `Power-law task a = 1.5, b = 1.25 (THEORY E7), M = 2000 modes, N = 256 parameters, P = 1024 samples, sigma = 0.`,
    `Theory: DMFT (THEORY E15-E16) by contour inversion, status ${th.status}, largest error estimate ${fmt(Math.max(...th.errorEstimate.test), 2)}.`,
    `Simulation: ${sim.seeds} seeds from seed ${sim.seed}, exact gradient flow, ${fmt(sim.timing.msPerSeed / 1000, 3)} s per seed.`,
    '',
    markdownTable(header, rows),
    '',
    ...summary.map((line) => `- ${line}`),
    '',
    `Verdict: ${agreements.every((a) => a.agrees) ? 'theory and simulation agree' : 'DISAGREEMENT: see the rows marked NO'} (criterion: ${standardErrors} standard errors or ${100 * relative}% relative, whichever is larger).`,
    `Reproduce: scaling-dmft curve --a 1.5 --b 1.25 --M 2000 --N 256 --P 1024 --t 1e-1:1e5:16 --simulate --seeds ${sim.seeds} --seed ${sim.seed} --format md`,
  ].join('\n');
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('default job: DMFT curve against the Monte Carlo simulation (a=1.5, b=1.25, N=256, P=1024, M=2000)')
    .option('--seeds <n>', 'Monte Carlo seeds', DEMO_FLAGS.seeds)
    .option('--workers <n>', 'worker threads for the simulation', DEMO_FLAGS.workers)
    .action(async (flags: { seeds: string; workers: string }) => {
      const request = parseCurveFlags({ ...DEMO_FLAGS, seeds: flags.seeds, workers: flags.workers });
      emit(formatDemo(await computeCurve(request)));
    });
}

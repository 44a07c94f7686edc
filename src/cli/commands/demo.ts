/**
 * `scaling-dmft demo`: the DMFT curve of a default problem beside the Monte
 * Carlo of the finite model, with the agreement of each point (a = 1.5,
 * b = 1.25, N = 256, P = 1024, M = 2000). A thin shell over the API's
 * `computeDemo` and `formatDemo` (src/reconcile/curve-report.ts).
 */
import type { Command } from 'commander';
import { emit } from '../output.js';
import { parseCount, parseSeed } from '../parse.js';
import type { CurveFlags } from './curve.js';

/**
 * The demo problem as `curve` flags: what the demo's "Reproduce:" line
 * tells the user to run. A test holds it equal to the API's DEMO_PROBLEM.
 */
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

/** Registers `demo` on the program. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('default job: DMFT curve against the Monte Carlo simulation (a=1.5, b=1.25, N=256, P=1024, M=2000)')
    .option('--seeds <n>', 'Monte Carlo seeds', '20')
    .option('--seed <seed>', 'base random seed', '1')
    .option('--workers <n>', 'worker threads for the simulation (at most the core count)', '2')
    .action(async (flags: { seeds: string; seed: string; workers: string }) => {
      const options = { seeds: parseCount('--seeds', flags.seeds), seed: parseSeed('--seed', flags.seed), workers: parseCount('--workers', flags.workers) };
      const { computeDemo, formatDemo } = await import('../../reconcile/curve-report.js');
      emit(formatDemo(await computeDemo(options)));
    });
}

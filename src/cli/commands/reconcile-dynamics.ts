/**
 * `reconcile --ridge R` and `reconcile --optimizer gd|momentum|nesterov --lr ETA [--schedule SPEC]`: the ridge
 * laws (THEORY E25) and the time law in the dynamics' own time (E26-E28d) measured from the DMFT, with
 * verdicts (src/reconcile/dynamics-laws.ts). The optimizers are those whose module states its laws as gradient
 * flow's in a rescaled time. A WSD schedule adds its measured cool-down.
 */
import { InvalidArgumentError } from '../../core/errors.js';
import { followsRescaledTime, optimizerOf, optimizersWith, scheduledDynamics, type Dynamics } from '../../dynamics/index.js';
import type { SweepCase } from '../../reconcile/sweep.js';
import type { ReconciliationTable } from '../../reconcile/types.js';

/** The table (and, for a WSD schedule, its cool-down in Markdown and as data) of these dynamics at the cases. */
export async function reconcileDynamicsCommand(
  cases: readonly SweepCase[],
  dynamics: Dynamics,
  flags: { laws?: string; shard?: string },
): Promise<{ table: ReconciliationTable; markdownExtra: string; wsd?: unknown }> {
  const rescaled = optimizersWith(followsRescaledTime);
  if (flags.shard !== undefined) throw new InvalidArgumentError('--shard', `applies to the gradient-flow sweeps, not to --ridge, ${rescaled}`, flags.shard);
  if (flags.laws !== undefined) throw new InvalidArgumentError('--laws', `does not apply to --ridge, ${rescaled} (their laws are all measured)`, flags.laws);
  const laws = await import('../../reconcile/dynamics-laws.js');
  const module = optimizerOf(dynamics);
  // Gradient flow's own laws here means gradient flow with a ridge (the ridge laws, E25).
  if (module.laws.kind === 'gradient-flow') {
    const results = cases.map(({ a, b }) => laws.reconcileRidgeLaws(a, b, { ridge: dynamics.ridge }));
    return { table: laws.dynamicsLawsTable(results, { ridge: dynamics.ridge, cases }), markdownExtra: '' };
  }
  if (!followsRescaledTime(module)) throw new InvalidArgumentError('--optimizer', `must be gf (with --ridge), ${rescaled} here`, dynamics.kind);
  if (dynamics.ridge !== 0) throw new InvalidArgumentError('--ridge', 'the ridge laws are measured under gradient flow (without --optimizer)', dynamics.ridge);
  const results = cases.map(({ a, b }) => laws.reconcileDynamicsLaw({ a, b, dynamics }));
  const table = laws.dynamicsLawsTable(results, { dynamics: results[0]?.dynamics, cases });
  const schedule = scheduledDynamics(dynamics)?.schedule;
  if (schedule?.kind !== 'wsd') return { table, markdownExtra: '' };
  const wsd = cases.map(({ a, b }) => ({ a, b, drops: laws.measureWsdDrop(a, b, dynamics, schedule.total, [schedule.fraction]) }));
  const markdownExtra = wsd.map(({ a, b, drops }) => `\nWSD cool-down at (a, b) = (${a}, ${b}), N = P = inf (measured; the summed-rate law beside it):\n\n${laws.wsdMarkdown(drops)}`).join('');
  return { table, markdownExtra, wsd };
}

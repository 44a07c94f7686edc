/**
 * The training-dynamics flags shared by `curve`, `exponents`, `reconcile` and
 * `report` (THEORY E25-E29): --optimizer gf|gd|momentum|sgd|nesterov, --lr ETA,
 * --momentum BETA, --batch B, --ridge R. Parsed into the one Dynamics
 * description every layer reads (src/dynamics).
 */
import type { Command } from 'commander';
import { InvalidArgumentError } from '../core/errors.js';
import { readInputText } from '../core/files.js';
import { isOptimizerName, makeDynamics, optimizerModule, optimizerOf, OPTIMIZERS, parseLearningRateSchedule, ratesFromText, type Dynamics, type LearningRateSchedule, type OptimizerName } from '../dynamics/index.js';
import { parseChoice, parseCount, parseReal } from './parse.js';

export interface DynamicsFlags {
  optimizer?: string;
  lr?: string;
  momentum?: string;
  batch?: string;
  ridge?: string;
  schedule?: string;
}

const FLAG_NAMES = { optimizer: '--optimizer', lr: '--lr', momentum: '--momentum', batch: '--batch', ridge: '--ridge', schedule: '--schedule' } as const;

/** Adds the dynamics options to a command (help texts in one place). */
export function addDynamicsOptions(command: Command, options: { ridge?: boolean; schedule?: boolean } = {}): Command {
  command
    .option('--optimizer <name>', `training dynamics: ${OPTIMIZERS.join(', ')} (default gf = gradient flow; discrete ones count t in steps)`)
    .option('--lr <eta>', 'learning rate eta (gd, momentum, sgd, nesterov)')
    .option('--momentum <beta>', 'momentum coefficient beta in [0, 1) (with --optimizer momentum or nesterov; default 0.9)')
    .option('--batch <B>', 'minibatch size B of one-pass SGD (with --optimizer sgd; default 1)');
  if (options.ridge ?? true) command.option('--ridge <r>', 'ridge penalty (r/2)|w|^2 (default 0)');
  if (options.schedule ?? false) {
    command.option(
      '--schedule <spec>',
      'learning-rate schedule (gd, momentum, sgd): constant, step:T1:F, cosine:T, wsd:T:F, power:T0:GAMMA, or file:PATH (one factor of --lr per line, or step,factor breakpoints)',
    );
  }
  return command;
}

/** Validated dynamics; every error names the flag the user typed. */
export function dynamicsFromFlags(flags: DynamicsFlags): Dynamics {
  const optimizer = parseChoice('--optimizer', flags.optimizer ?? 'gf', OPTIMIZERS) as OptimizerName;
  return makeDynamics(
    {
      optimizer,
      lr: flags.lr === undefined ? undefined : parseReal('--lr', flags.lr),
      momentum: flags.momentum === undefined ? undefined : parseReal('--momentum', flags.momentum),
      batch: flags.batch === undefined ? undefined : parseCount('--batch', flags.batch),
      ridge: flags.ridge === undefined ? undefined : parseReal('--ridge', flags.ridge),
      schedule: flags.schedule === undefined ? undefined : scheduleFromFlag(flags.schedule),
    },
    FLAG_NAMES,
  );
}

/** True when the --optimizer flag names a discrete optimizer (it takes --lr). */
export function optimizerTakesRate(flags: DynamicsFlags): boolean {
  const optimizer = flags.optimizer ?? 'gf';
  return isOptimizerName(optimizer) && optimizerModule(optimizer).discrete;
}

/**
 * Refuses an optimizer whose laws the reconcile layer does not measure (`command`: reconcile or report);
 * the others follow gradient flow in their gradient-flow time (see exponents).
 */
export function requireReconcilable(dynamics: Dynamics, command: string): void {
  const module = optimizerOf(dynamics);
  if (module.supports.reconcile) return;
  const measured = OPTIMIZERS.filter((name) => optimizerModule(name).supports.reconcile).join(', ');
  const time = module.laws.kind === 'rescaled-time' ? module.laws.time : 't';
  throw new InvalidArgumentError('--optimizer', `${command} measures ${measured}; ${dynamics.kind} follows gradient flow in ${time} (see exponents)`, dynamics.kind);
}

/** One factor per step: 64 MiB is millions of steps, far past the DMFT's cap. */
const MAX_SCHEDULE_FILE_BYTES = 64 * 2 ** 20;

/** --schedule: a spec, or file:PATH read here into explicit rates (an unreadable file names the flag and path). */
function scheduleFromFlag(spec: string): LearningRateSchedule | undefined {
  if (!spec.startsWith('file:')) return parseLearningRateSchedule(spec, '--schedule');
  const path = spec.slice('file:'.length);
  // The core reader: a regular file only (a device such as /dev/zero would never end), opened once, bounded in size.
  const text = readInputText('--schedule', path, MAX_SCHEDULE_FILE_BYTES, 'a shorter rate file (one factor per step, or step,factor breakpoints)');
  return ratesFromText(text, path, '--schedule');
}

/**
 * `experiment --optimizer`: gf (default; the gradient-flow experiment) or sgd (minibatch SGD on the samples);
 * true for the stochastic one.
 */
export function experimentIsStochastic(optimizer: string | undefined): boolean {
  if (optimizer === undefined) return false;
  return optimizerModule(parseChoice('--optimizer', optimizer, ['gf', 'sgd'] as const)).supports.stochastic;
}

/**
 * The training-dynamics flags shared by `curve`, `exponents`, `reconcile` and
 * `report` (THEORY E25-E29): --optimizer gf|gd|momentum|sgd, --lr ETA,
 * --momentum BETA, --batch B, --ridge R. Parsed into the one Dynamics
 * description every layer reads (src/dynamics).
 */
import type { Command } from 'commander';
import { makeDynamics, OPTIMIZERS, type Dynamics, type OptimizerName } from '../dynamics/index.js';
import { parseChoice, parseCount, parseReal } from './parse.js';

export interface DynamicsFlags {
  optimizer?: string;
  lr?: string;
  momentum?: string;
  batch?: string;
  ridge?: string;
}

const FLAG_NAMES = { optimizer: '--optimizer', lr: '--lr', momentum: '--momentum', batch: '--batch', ridge: '--ridge' } as const;

/** Adds the dynamics options to a command (help texts in one place). */
export function addDynamicsOptions(command: Command, options: { ridge?: boolean } = {}): Command {
  command
    .option('--optimizer <name>', `training dynamics: ${OPTIMIZERS.join(', ')} (default gf = gradient flow; discrete ones count t in steps)`)
    .option('--lr <eta>', 'learning rate eta (gd, momentum, sgd)')
    .option('--momentum <beta>', 'heavy-ball momentum beta in [0, 1) (with --optimizer momentum; default 0.9)')
    .option('--batch <B>', 'minibatch size B of one-pass SGD (with --optimizer sgd; default 1)');
  if (options.ridge ?? true) command.option('--ridge <r>', 'ridge penalty (r/2)|w|^2 (default 0)');
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
    },
    FLAG_NAMES,
  );
}

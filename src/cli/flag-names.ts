/**
 * API argument names and the flags users type for them: the CLI and the browser explorer both label an
 * InvalidArgumentError from the library with the flag (no other dependency, so the explorer's bundle stays small).
 */
import type { InvalidArgumentError } from '../core/errors.js';

const FLAG_OF_ARGUMENT: Record<string, string> = {
  spectrum: '--spectrum',
  lambda: '--spectrum lambda',
  c: '--spectrum c',
  a: '--a',
  b: '--b',
  M: '--M',
  N: '--N',
  P: '--P',
  sigma: '--sigma',
  t: '--t',
  seeds: '--seeds',
  seed: '--seed',
  workers: '--workers',
  modes: '--modes',
  ks: '--modes',
  ensembleSize: '--ensemble',
  simulation: '--simulate',
  dynamics: '--optimizer',
  optimizer: '--optimizer',
  lr: '--lr',
  momentum: '--momentum',
  batch: '--batch',
  ridge: '--ridge',
  sampling: '--sampling',
  sgdSampling: '--sampling',
  schedule: '--schedule',
};

/**
 * An API error re-labelled with the flag the user typed ('b' -> '--b',
 * 't[3]' -> '--t', 'spectrum f.csv (line 2)' -> '--spectrum f.csv (line 2)');
 * names that are already flags, or unknown, are kept.
 */
export function withFlagName(error: InvalidArgumentError): InvalidArgumentError {
  const head = /^[A-Za-z]+/.exec(error.argument)?.[0];
  if (head === undefined || !(head in FLAG_OF_ARGUMENT)) return error;
  const rest = error.argument.slice(head.length);
  if (rest !== '' && !rest.startsWith(' ') && !rest.startsWith('[')) return error;
  return error.renamed(`${FLAG_OF_ARGUMENT[head]}${rest.startsWith('[') ? '' : rest}`);
}

/**
 * The derivations API behind `scaling-dmft derive <name>`: list, check and
 * render the machine-checked derivations in derivations/.
 */
import { InvalidArgumentError } from '../core/errors.js';
import { DERIVATIONS } from '../../derivations/index.js';
import {
  type CheckOptions, checkDerivationSteps, type Derivation, type DerivationCheck, derivationToMarkdown, derivationToText,
} from './derivation.js';

/** Output formats of renderDerivation. */
export type DerivationFormat = 'md' | 'text';

/** The machine-checked derivations: name, title and THEORY section. */
export function listDerivations(): Array<{ name: string; title: string; theory: string }> {
  return DERIVATIONS.map((d) => ({ name: d.name, title: d.title, theory: d.theory }));
}

export function getDerivation(name: string): Derivation {
  const d = DERIVATIONS.find((x) => x.name === name);
  if (!d) throw new InvalidArgumentError('name', `must be one of ${DERIVATIONS.map((x) => x.name).join(', ')}`, name);
  return d.build();
}

/** Checks every step of the named derivation. */
export function checkDerivation(name: string, options?: CheckOptions): DerivationCheck {
  return checkDerivationSteps(getDerivation(name), options);
}

/** Renders the named derivation (with its checks) as Markdown (the docs/derivations file) or plain text. */
export function renderDerivation(name: string, format: DerivationFormat = 'md', options?: CheckOptions): string {
  if (format !== 'md' && format !== 'text') throw new InvalidArgumentError('format', "must be 'md' or 'text'", format);
  const d = getDerivation(name);
  const check = checkDerivationSteps(d, options);
  return format === 'md' ? derivationToMarkdown(d, check) : derivationToText(d, check);
}

/**
 * `reconcile --optimizer sgd --P 1000,10000,100000`: the data-reuse laws and
 * the data-constrained frontier (src/reconcile/reuse.ts) at one (a, b). Every
 * flag is checked before any work.
 */
import { InvalidArgumentError } from '../../core/errors.js';
import { TOOL } from '../../core/version.js';
import { isStochastic, type Dynamics } from '../../dynamics/index.js';
import { MAX_EXPONENT } from '../../symbolic/laws.js';
import { parseChoice, parseCount, parseReal } from '../parse.js';

const EVALUATORS = ['sgd', 'gd'] as const;

/** Runs the reuse reconciliation for the CLI flags; returns Markdown or JSON text. The solver modules load after the flags are checked. */
export async function reuseCommand(
  flags: { a?: string; b?: string; grid?: string; laws?: string; shard?: string; P?: string; evaluator?: string },
  dynamics: Dynamics,
  format: string,
): Promise<string> {
  if (!isStochastic(dynamics)) throw new InvalidArgumentError('--P', 'applies with --optimizer sgd (minibatch SGD on P fixed samples)', flags.P ?? '');
  if (flags.P === undefined) throw new InvalidArgumentError('--evaluator', 'applies with --P', flags.evaluator);
  for (const [flag, value] of [['--grid', flags.grid], ['--laws', flags.laws], ['--shard', flags.shard]] as const) {
    if (value !== undefined) throw new InvalidArgumentError(flag, 'does not apply with --P (one (a, b), the reuse laws)', value);
  }
  if (format !== 'md' && format !== 'json') throw new InvalidArgumentError('--format', 'must be md or json with --P', format);
  const P = flags.P.split(',').map((part) => parseCount('--P', part.trim()));
  if (P.length < 3 || P.some((p, k) => p < 2 || (k > 0 && p <= P[k - 1]))) throw new InvalidArgumentError('--P', 'must list three or more ascending sizes >= 2', flags.P);
  const a = flags.a === undefined ? undefined : parseReal('--a', flags.a);
  const b = flags.b === undefined ? undefined : parseReal('--b', flags.b);
  if ((a === undefined) !== (b === undefined)) throw new InvalidArgumentError(a === undefined ? '--a' : '--b', 'is required when the other exponent is given (or give neither for the default case)');
  // The closed forms' bound, as on the other reconcile paths.
  if (a !== undefined && !(a > 1 && a <= MAX_EXPONENT)) throw new InvalidArgumentError('--a', `must be in (1, ${MAX_EXPONENT}]`, flags.a);
  if (b !== undefined && !(b > 1 && b <= MAX_EXPONENT)) throw new InvalidArgumentError('--b', `must be in (1, ${MAX_EXPONENT}] (the data law needs tr Lambda finite)`, flags.b);
  const evaluator = flags.evaluator === undefined ? 'sgd' : parseChoice('--evaluator', flags.evaluator, EVALUATORS);
  const { reconcileReuse, reuseMarkdown, REUSE_DEFAULTS } = await import('../../reconcile/reuse.js');
  const { sanitizeForJson } = await import('../../reconcile/tables.js');
  const r = reconcileReuse({ a: a ?? REUSE_DEFAULTS.a, b: b ?? REUSE_DEFAULTS.b, lr: dynamics.lr, batch: dynamics.batch, lawP: P, frontierP: P, evaluator });
  if (format === 'json') {
    return `${JSON.stringify(sanitizeForJson({ tool: TOOL, command: 'reconcile --optimizer sgd --P', settings: r.settings, rows: r.rows, status: r.status, closedForms: r.closedForms, frontiers: r.frontiers.map((f) => ({ P: f.P, C: f.C, Nstar: f.Nstar, tstar: f.tstar, epochs: f.epochs, Lstar: f.Lstar, status: f.status })), unlimited: { C: r.unlimited.C, Lstar: r.unlimited.Lstar } }), null, 2)}\n`;
  }
  return `> ${TOOL.name} ${TOOL.version} reconcile --optimizer sgd --P; settings: ${JSON.stringify(r.settings)}\n\n${reuseMarkdown(r, '# Data reuse laws and the data-constrained frontier')}\n`;
}

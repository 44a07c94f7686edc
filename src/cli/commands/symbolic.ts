/**
 * `scaling-dmft exponents` and `scaling-dmft derive`: the symbolic layer's
 * closed-form laws and its machine-checked derivations.
 */
import type { Command } from 'commander';
import { InvalidArgumentError } from '../../core/errors.js';
import { TOOL } from '../../core/version.js';
import { dynamicsLawEntries, exponentTable, lawsToLatex, lawsToMarkdown, listDerivations, renderDerivation, reuseLawEntries } from '../../symbolic/index.js';
import { isStochastic } from '../../dynamics/index.js';
import { addDynamicsOptions, type DynamicsFlags, dynamicsFromFlags, optimizerTakesRate } from '../dynamicsOptions.js';
import { emit, toJson } from '../output.js';
import { parseChoice, parseReal, parseSize } from '../parse.js';

/** What the rows of `exponents --optimizer sgd --P` are (THEORY E28b). */
function finitePNote(P: number): string {
  return `finite P = ${P}: the reuse_* rows are the data-reuse laws of SGD on P samples (docs/theory.md "Data reuse laws"), measured against the DMFT by reconcile --optimizer sgd --P P1,P2,P3; the other SGD laws are those of one-pass SGD (P = inf), the data and gap laws those of gradient flow; the finite-P curve is the DMFT's: curve --optimizer sgd --P ${P}`;
}

const EXPONENT_FORMATS = ['md', 'latex', 'json'] as const;
const DERIVE_FORMATS = ['md', 'text'] as const;

export function registerSymbolic(program: Command): void {
  const exponents = program
    .command('exponents')
    .description('closed-form scaling laws with regimes and prefactors; symbolic without --a/--b (THEORY sections 6-8); with --optimizer sgd the SGD noise term, the [PPXP24] phase and the compute-optimal N*, t*, L* at C = N t B')
    .option('--a <a>', 'task-power exponent (with --b)')
    .option('--b <b>', 'eigenvalue exponent (with --a)')
    .option('--format <format>', 'md | latex | json', 'md')
    .option('--P <P>', 'with --optimizer sgd: training samples P (integer or inf; default inf = one pass)')
    .option('--out <file>', 'write to FILE instead of stdout');
  addDynamicsOptions(exponents, { ridge: true, schedule: true });
  exponents.action((flags: { a?: string; b?: string; format: string; out?: string; P?: string } & DynamicsFlags) => {
      const format = parseChoice('--format', flags.format, EXPONENT_FORMATS);
      const P = flags.P === undefined ? Infinity : parseSize('--P', flags.P);
      if ((flags.a === undefined) !== (flags.b === undefined)) {
        const missing = flags.a === undefined ? '--a' : '--b';
        throw new InvalidArgumentError(missing, 'is required when the other exponent is given (or give neither for the symbolic table)');
      }
      const a = flags.a === undefined ? undefined : parseReal('--a', flags.a);
      const b = flags.b === undefined ? undefined : parseReal('--b', flags.b);
      // The laws keep eta symbolic when --lr is not given: validate the other flags with a
      // placeholder rate (every check of the dynamics still runs), then drop it.
      const needsRate = optimizerTakesRate(flags);
      const validated = dynamicsFromFlags(needsRate && flags.lr === undefined ? { ...flags, lr: '1' } : flags);
      if (flags.P !== undefined && !isStochastic(validated)) {
        throw new InvalidArgumentError('--P', 'applies to --optimizer sgd only (the other laws carry P symbolically)', flags.P);
      }
      const dynamics = { ...validated, lr: flags.lr === undefined ? undefined : 'lr' in validated ? validated.lr : undefined };
      let table;
      try {
        table = exponentTable({ a, b }, { dynamics });
        // Ridge (E25) and schedule (E28c) laws beside the table's.
        const extra = dynamicsLawEntries(a, b, validated, { rateKnown: flags.lr !== undefined });
        table = { ...table, laws: [...table.laws, ...extra.laws], ...(extra.notes.length > 0 ? { notes: [...(table.notes ?? []), ...extra.notes] } : {}) };
      } catch (error) {
        if (error instanceof InvalidArgumentError && ['a', 'b', 'lr', 'batch'].includes(error.argument)) throw error.renamed(`--${error.argument}`);
        throw error;
      }
      if (P !== Infinity) {
        const reuse = reuseLawEntries(a, b, { eta: flags.lr === undefined ? undefined : 'lr' in validated ? validated.lr : undefined, batch: 'batch' in validated ? validated.batch : undefined, P });
        table = { ...table, laws: [...table.laws, ...reuse], notes: [...(table.notes ?? []), finitePNote(P)] };
      }
      const text =
        format === 'json' ? toJson({ tool: TOOL, ...table, ...(P !== Infinity ? { P } : {}) }) : format === 'latex' ? lawsToLatex(table) : lawsToMarkdown(table);
      emit(text, flags.out);
    });

  program
    .command('derive')
    .description('print a machine-checked derivation with its steps (list them with "derive --list")')
    .argument('[name]', 'derivation name')
    .option('--list', 'list the derivations')
    .option('--format <format>', 'md | text', 'md')
    .action((name: string | undefined, flags: { list?: boolean; format: string }) => {
      const all = listDerivations();
      if (flags.list || name === undefined) {
        emit(all.map((d) => `${d.name.padEnd(22)} ${d.title} (${d.theory})`).join('\n'));
        return;
      }
      if (!all.some((d) => d.name === name)) {
        throw new InvalidArgumentError('name', `must be one of ${all.map((d) => d.name).join(', ')}`, name);
      }
      emit(renderDerivation(name, parseChoice('--format', flags.format, DERIVE_FORMATS)));
    });
}

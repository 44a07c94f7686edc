/**
 * `scaling-dmft reconcile` and `scaling-dmft report`: closed forms
 * against DMFT fits for one (a, b) or a grid, as tables, and the full report
 * with figures.
 */
import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { availableParallelism } from 'node:os';
import { InvalidArgumentError } from '../../core/errors.js';
import { capWorkers, type WorkerChoice } from '../../core/limits.js';
import { TOOL } from '../../core/version.js';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPORT_PANEL, simulationPanel, type SimulationPanelOptions } from '../../reconcile/panel.js';
import { ALL_LAWS, type LawId } from '../../reconcile/reconcile.js';
import { MAX_EXPONENT } from '../../symbolic/laws.js';
import { renderReport, writeReport, buildTable, type SimulationPanel } from '../../reconcile/report.js';
import {
  decodeExact,
  encodeExact,
  mergeShards,
  parseShard,
  shardCases,
  STORE_FORMAT,
  writeManifest,
  writeWhole,
} from '../../reconcile/store.js';
import { DEFAULT_CASES, reconcileSweep, reconcileSweepStored, type SweepCase } from '../../reconcile/sweep.js';
import { REPORT_SECTION_NAMES, runReportWork, type ReportSectionName } from '../../reconcile/report-tasks.js';
import { tableToCsv, tableToJsonText, tableToLatex, tableToMarkdown } from '../../reconcile/tables.js';
import type { ReconciliationTable } from '../../reconcile/types.js';
import { addDynamicsOptions, dynamicsFromFlags, requireReconcilable, type DynamicsFlags } from '../dynamicsOptions.js';
import { isDiscrete, isStochastic, scheduleOf } from '../../dynamics/index.js';
import { emit, toJson } from '../output.js';
import { parseChoice, parseCount, parseReal } from '../parse.js';

const FORMATS = ['md', 'latex', 'csv', 'json'] as const;

function parseLaws(text: string | undefined): LawId[] | undefined {
  if (text === undefined) return undefined;
  const laws = text.split(',').map((s) => s.trim());
  for (const law of laws) {
    if (!(ALL_LAWS as readonly string[]).includes(law)) throw new InvalidArgumentError('--laws', `must be a comma list of ${ALL_LAWS.join(', ')}`, law);
  }
  return laws as LawId[];
}

/** The range every reconciled case must lie in, in the user's words. */
const A_RULE = 'a > 1 (the reconciliation uses infinitely many modes)';
const B_RULE = 'b >= 1 (b < 1 needs a finite M, whose laws carry M-dependent logs)';

/** The closed forms' own bound on both exponents (src/symbolic, exactAB), checked before any case starts. */
const MAX_RULE = `at most ${MAX_EXPONENT} (the closed forms' bound: beyond it the laws are degenerate)`;

function inRange({ a, b }: SweepCase): { ok: boolean; rule: string } {
  if (!(a > 1)) return { ok: false, rule: A_RULE };
  if (!(b >= 1)) return { ok: false, rule: B_RULE };
  if (!(a <= MAX_EXPONENT && b <= MAX_EXPONENT)) return { ok: false, rule: `a and b ${MAX_RULE}` };
  return { ok: true, rule: '' };
}

/**
 * "1.5:1.25,2:1.5" -> [{a: 1.5, b: 1.25}, {a: 2, b: 1.5}]; "default" -> the
 * default report grid. Every error names --grid and the pair as typed.
 */
export function parseGrid(text: string): SweepCase[] {
  if (text.trim() === 'default') return [...DEFAULT_CASES];
  return text.split(',').map((pair) => {
    const parts = pair.split(':');
    const numbers = parts.map((part) => (part.trim() === '' ? Number.NaN : Number(part)));
    if (parts.length !== 2 || !numbers.every(Number.isFinite)) {
      throw new InvalidArgumentError('--grid', 'must be a comma list of a:b pairs of finite numbers (or "default")', pair);
    }
    const found = { a: numbers[0], b: numbers[1] };
    const check = inRange(found);
    if (!check.ok) throw new InvalidArgumentError('--grid', `needs ${check.rule} in every a:b pair`, pair);
    return found;
  });
}

function casesFrom(flags: { a?: string; b?: string; grid?: string }, fallback: readonly SweepCase[] | undefined): SweepCase[] {
  if (flags.grid !== undefined) {
    if (flags.a !== undefined || flags.b !== undefined) throw new InvalidArgumentError('--grid', 'cannot be combined with --a/--b');
    return parseGrid(flags.grid);
  }
  if (flags.a === undefined && flags.b === undefined && fallback) return [...fallback];
  if (flags.a === undefined) throw new InvalidArgumentError('--a', 'is required (or give --grid)');
  if (flags.b === undefined) throw new InvalidArgumentError('--b', 'is required (or give --grid)');
  const found = { a: parseReal('--a', flags.a), b: parseReal('--b', flags.b) };
  if (!(found.a > 1)) throw new InvalidArgumentError('--a', `must be ${A_RULE.replace(/^a /, '')}`, found.a);
  if (!(found.b >= 1)) throw new InvalidArgumentError('--b', `must be ${B_RULE.replace(/^b /, '')}`, found.b);
  if (!(found.a <= MAX_EXPONENT)) throw new InvalidArgumentError('--a', `must be ${MAX_RULE}`, found.a);
  if (!(found.b <= MAX_EXPONENT)) throw new InvalidArgumentError('--b', `must be ${MAX_RULE}`, found.b);
  return [found];
}

/** A progress bar on a terminal (stderr), silent otherwise. */
function progressBar(total: number): { update: (done: number) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({ format: 'reconciling {bar} {value}/{total} cases | {duration_formatted}', stream: process.stderr, hideCursor: true });
  bar.start(total, 0);
  return { update: (done) => bar.update(done), stop: () => bar.stop() };
}

/** The report's simulation panel, reused from `dir`/simulation.json when it was computed with the same options. */
async function cachedPanel(dir: string, options: SimulationPanelOptions): Promise<SimulationPanel> {
  const path = join(dir, 'simulation.json');
  const key = encodeExact({ tool: `${TOOL.name} ${TOOL.version}`, options: { ...options, workers: undefined } });
  if (existsSync(path)) {
    try {
      const stored = decodeExact<{ key: unknown; panel: SimulationPanel }>(readFileSync(path, 'utf8'));
      if (encodeExact(stored.key) === key) return stored.panel;
    } catch {
      // unreadable: recompute
    }
  }
  const panel = await simulationPanel(options);
  mkdirSync(dir, { recursive: true });
  writeWhole(path, `${encodeExact({ key: decodeExact(key), panel })}\n`);
  return panel;
}

/** Worker threads: all cores by default (at most one per case); a request is capped at the core count, with a note. */
function workersFor(text: string | undefined, cases: number): WorkerChoice {
  return capWorkers(text === undefined ? Math.min(availableParallelism(), cases) : parseCount('--workers', text));
}

/** The cap note, as a line of the command's summary (empty when nothing was capped). */
function capNote(choice: WorkerChoice): string {
  return choice.note === undefined ? '' : `note: ${choice.note}\n`;
}

function parseSections(text: string | undefined, defaultGrid: boolean): ReportSectionName[] {
  if (text === undefined) return defaultGrid ? [...REPORT_SECTION_NAMES] : [];
  if (text.trim() === 'none') return [];
  return text.split(',').map((name) => parseChoice('--sections', name.trim(), REPORT_SECTION_NAMES));
}

const MERGE_HINT = (out: string) => `join the shards with: scaling-dmft merge --out REPORT ${out} ...`;

export function registerReconcile(program: Command): void {
  const reconcile = program
    .command('reconcile')
    .description('closed-form exponents against exponents fitted from the full DMFT, with verdicts')
    .option('--a <a>', 'task-power exponent')
    .option('--b <b>', 'eigenvalue exponent')
    .option('--grid <pairs>', 'several cases: a:b,a:b,... or "default"')
    .option('--laws <ids>', `comma list of laws (default all: ${ALL_LAWS.join(', ')})`)
    .option('--workers <n>', 'worker threads (default: all cores)')
    .option('--format <format>', 'md | latex | csv | json', 'md')
    .option('--shard <i/n>', 'compute only shard i of n of the cases into the folder --out (join with merge); reruns reuse finished cases')
    .option('--out <file>', 'write to FILE instead of stdout (with --shard: a folder)')
    .option('--P <list>', 'with --optimizer sgd: training-set sizes, three or more ascending, for the data-reuse laws and the data-constrained frontier')
    .option('--evaluator <name>', 'with --P: sgd (the finite-P SGD DMFT, default) or gd (full-batch GD at the same rate, its mean dynamics; ~10x faster)');
  addDynamicsOptions(reconcile, { ridge: true, schedule: true });
  reconcile.action(
    async (flags: { a?: string; b?: string; grid?: string; laws?: string; workers?: string; format: string; shard?: string; out?: string; P?: string; evaluator?: string } & DynamicsFlags) => {
      const format = parseChoice('--format', flags.format, FORMATS);
      const dynamics = dynamicsFromFlags(flags);
      if (isStochastic(dynamics) && scheduleOf(dynamics) !== undefined) {
        // The SGD laws (E28, E29) and the data-reuse closure (E28b) are at one rate: refused, never measured at the constant rate.
        throw new InvalidArgumentError('--schedule', 'is not measured with --optimizer sgd (its laws are derived at one rate); curve --optimizer sgd --schedule computes the scheduled loss', flags.schedule);
      }
      if (flags.P !== undefined || flags.evaluator !== undefined) {
        workersFor(flags.workers, 1); // validated like the sweep's (the reuse measurements run on this thread)
        const { reuseCommand } = await import('./reconcile-reuse.js');
        emit(await reuseCommand(flags, dynamics, format), flags.out);
        return;
      }
      if (!isStochastic(dynamics) && (isDiscrete(dynamics) || dynamics.ridge !== 0)) {
        // Ridge laws (E25), or the time law in eta t, eta t/(1 - beta) or the summed rate (E26-E28c); default (a, b) = (1.5, 1.25).
        workersFor(flags.workers, 1); // validated like the sweep's (the measurements run on this thread)
        if (scheduleOf(dynamics)?.kind === 'wsd' && format !== 'md' && format !== 'json') {
          // The cool-down is a second table that only md and json carry; csv and latex would drop it silently.
          throw new InvalidArgumentError('--format', 'must be md or json with a WSD schedule (its measured cool-down is a second table)', format);
        }
        const { reconcileDynamicsCommand } = await import('./reconcile-dynamics.js');
        const { table, markdownExtra, wsd } = await reconcileDynamicsCommand(casesFrom(flags, [{ a: 1.5, b: 1.25 }]), dynamics, flags);
        const text = format === 'json' && wsd !== undefined ? toJson({ ...JSON.parse(tableToJsonText(table)), wsd }) : formatTable(table, format);
        emit(format === 'md' ? `${text}${markdownExtra}` : text, flags.out);
        return;
      }
      requireReconcilable(dynamics, 'reconcile');
      if (isStochastic(dynamics)) {
        if (flags.shard !== undefined) throw new InvalidArgumentError('--shard', 'applies to the gradient-flow sweeps, not to --optimizer sgd', flags.shard);
        if (flags.laws !== undefined) throw new InvalidArgumentError('--laws', 'does not apply to --optimizer sgd (the compute-optimal laws are measured)', flags.laws);
        const sgd = await import('../../reconcile/sgd.js');
        const sgdCases = flags.a === undefined && flags.b === undefined && flags.grid === undefined
          ? sgd.SGD_PHASE_CASES.map(({ a, b }) => ({ a, b, lr: dynamics.lr, batch: dynamics.batch })) // the phases' (a, b) at the user's rate and batch
          : casesFrom(flags, undefined).map(({ a, b }) => ({ a, b, lr: dynamics.lr, batch: dynamics.batch }));
        const results = sgdCases.map((c) => sgd.reconcileSgdCase(c));
        emit(formatTable(sgd.sgdReconciliationTable(results), format), flags.out);
        return;
      }
      const cases = casesFrom(flags, undefined);
      const laws = parseLaws(flags.laws);
      const shard = flags.shard === undefined ? undefined : parseShard('--shard', flags.shard);
      if (shard !== undefined && flags.out === undefined) throw new InvalidArgumentError('--shard', 'needs --out FOLDER for the shard\'s results');
      const workerChoice = workersFor(flags.workers, shardCases(cases.length, shard).length || 1);
      const workers = workerChoice.used;
      const started = performance.now();
      if (shard !== undefined) {
        const out = flags.out!;
        writeManifest(out, { format: STORE_FORMAT, tool: `${TOOL.name} ${TOOL.version}`, command: 'reconcile', cases, laws: laws ?? ALL_LAWS, figures: false, seeds: 0, shard });
        const bar = progressBar(shardCases(cases.length, shard).length);
        const run = await reconcileSweepStored(cases, { laws, workers, figures: false, store: out, shard, onProgress: (done) => bar.update(done) }).finally(() => bar.stop());
        process.stdout.write(`shard ${shard.index}/${shard.count}: ${run.indices.length} case(s), ${run.reused} reused, in ${out} (${((performance.now() - started) / 1000).toFixed(1)} s); ${MERGE_HINT(out)}\n`);
        return;
      }
      // Tables only: the figures' extra curves are not evaluated.
      const bar = progressBar(cases.length);
      const results = await reconcileSweep(cases, { laws, workers, figures: false, onProgress: (done) => bar.update(done) }).finally(() => bar.stop());
      const table = buildTable({
        cases: results,
        parameters: { laws: laws ?? ALL_LAWS },
        elapsedMs: performance.now() - started,
        workers,
        command: 'scaling-dmft reconcile',
      });
      emit(formatTable(table, format), flags.out);
    },
  );

  const report = program
    .command('report')
    .description('the full report: every law reconciled for a grid of (a, b), tables (md, tex, csv, json) and SVG figures')
    .option('--a <a>', 'task-power exponent (one case)')
    .option('--b <b>', 'eigenvalue exponent (one case)')
    .option('--grid <pairs>', 'a:b,a:b,... or "default" (the paper grid, b < a-1 < 2b, a-1 > 2b, CIFAR-5M)')
    .option('--laws <ids>', 'comma list of laws (default all)')
    .option('--workers <n>', 'worker threads (default: all cores)')
    .option('--seeds <n>', 'Monte Carlo seeds for the theory-vs-simulation panel (0: skip)', String(REPORT_PANEL.seeds))
    .option('--shard <i/n>', 'compute only shard i of n of the cases into --out (join with merge)')
    .option('--sections <list>', `further sections: ${REPORT_SECTION_NAMES.join(', ')} or none (default: all for the default grid, none with --a/--b/--grid)`)
    .requiredOption('--out <dir>', 'output folder (finished cases in it are reused when rerun with the same parameters)');
  addDynamicsOptions(report, { ridge: false });
  report.action(
    async (flags: { a?: string; b?: string; grid?: string; laws?: string; workers?: string; seeds: string; shard?: string; sections?: string; out: string } & DynamicsFlags) => {
      const cases = casesFrom(flags, DEFAULT_CASES);
      const dynamics = dynamicsFromFlags(flags);
      requireReconcilable(dynamics, 'report');
      const sections = parseSections(flags.sections, flags.a === undefined && flags.b === undefined && flags.grid === undefined);
      // --optimizer sgd: the SGD section at the given step and batch (THEORY E29), whatever --sections says.
      const sgdSettings = isStochastic(dynamics) ? { lr: dynamics.lr, batch: dynamics.batch } : undefined;
      if (sgdSettings && !sections.includes('sgd')) sections.unshift('sgd');
      const laws = parseLaws(flags.laws);
      const shard = flags.shard === undefined ? undefined : parseShard('--shard', flags.shard);
      const workerChoice = workersFor(flags.workers, shardCases(cases.length, shard).length || 1);
      const workers = workerChoice.used;
      const seeds = flags.seeds === '0' ? 0 : parseCount('--seeds', flags.seeds);
      const started = performance.now();
      const panelOptions: SimulationPanelOptions = { ...REPORT_PANEL, seeds, workers };
      if (shard !== undefined) {
        writeManifest(flags.out, { format: STORE_FORMAT, tool: `${TOOL.name} ${TOOL.version}`, command: 'report', cases, laws: laws ?? ALL_LAWS, figures: true, seeds, shard, sections, sgd: sgdSettings });
      }
      const bar = progressBar(shardCases(cases.length, shard).length);
      // The simulation panel (its own seed workers) runs beside the sweep; shard 1 computes it.
      const panel = seeds > 0 && (shard === undefined || shard.index === 1) ? cachedPanel(flags.out, panelOptions) : Promise.resolve(undefined);
      if (shard !== undefined) {
        const [run, simulation] = await Promise.all([
          reconcileSweepStored(cases, { laws, workers, figures: true, store: flags.out, shard, onProgress: (done) => bar.update(done) }).finally(() => bar.stop()),
          panel,
        ]);
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        process.stdout.write(`shard ${shard.index}/${shard.count}: ${run.indices.length} case(s), ${run.reused} reused${simulation ? ', simulation panel' : ''}, in ${flags.out} (${seconds} s); ${MERGE_HINT(flags.out)}\n`);
        return;
      }
      // One pool for the cases (figures drawn in their tasks) and the sections, longest first (report-tasks.ts).
      const [run, simulation] = await Promise.all([
        runReportWork(cases, { laws, workers, store: flags.out, sections, sgdSettings, onProgress: (done) => bar.update(done) }).finally(() => bar.stop()),
        panel,
      ]);
      const report = await renderReport({
        cases: run.results,
        simulation,
        parameters: { laws: laws ?? ALL_LAWS, ...(sections.length > 0 ? { sections } : {}), ...(sgdSettings ? { sgd: sgdSettings } : {}) },
        elapsedMs: performance.now() - started,
        workers,
        sections: run.sections,
        prerendered: run.prerendered,
      });
      const written = writeReport(flags.out, report);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      process.stdout.write(
        `${report.summary}\n${simulation ? `\n${simulation.summary.join('\n')}\n` : ''}\n${TOOL.name} report: ${written.length} files in ${flags.out} (${seconds} s, ${workers} worker(s), ${run.reused} of ${cases.length} cases reused); start with ${flags.out}/report.md\n${capNote(workerChoice)}`,
      );
    });

  program
    .command('merge')
    .description('join shard folders (report --shard / reconcile --shard) into the tables and figures of one run')
    .argument('<folders...>', 'the shard folders, every shard i/n once')
    .requiredOption('--out <path>', 'report shards: the output folder; reconcile shards: the table file')
    .option('--format <format>', 'md | latex | csv | json (reconcile shards)', 'md')
    .action(async (folders: string[], flags: { out: string; format: string }) => {
      const format = parseChoice('--format', flags.format, FORMATS);
      const { manifest, results, simulationDir } = mergeShards(folders);
      if (manifest.command === 'reconcile') {
        const table = buildTable({ cases: results, parameters: { laws: manifest.laws }, elapsedMs: 0, workers: 1, command: 'scaling-dmft reconcile' });
        emit(formatTable(table, format), flags.out);
        return;
      }
      const simulation = manifest.seeds > 0 ? await cachedPanel(simulationDir!, { ...REPORT_PANEL, seeds: manifest.seeds }) : undefined;
      const sections = manifest.sections ?? [];
      const report = await renderReport({
        cases: results,
        simulation,
        parameters: { laws: manifest.laws, ...(sections.length > 0 ? { sections } : {}), ...(manifest.sgd ? { sgd: manifest.sgd } : {}) },
        elapsedMs: 0,
        workers: 1,
        // The sections are deterministic: recomputed here, they are the bytes of a single run.
        sections: (await runReportWork([], { workers: availableParallelism(), sections, sgdSettings: manifest.sgd })).sections,
      });
      const written = writeReport(flags.out, report);
      process.stdout.write(`${report.summary}\n${TOOL.name} merge: ${folders.length} shard(s), ${results.length} cases, ${written.length} files in ${flags.out}; start with ${flags.out}/report.md\n`);
    });
}

function formatTable(table: ReconciliationTable, format: (typeof FORMATS)[number]): string {
  return format === 'json' ? tableToJsonText(table) : format === 'latex' ? tableToLatex(table) : format === 'csv' ? tableToCsv(table) : tableToMarkdown(table);
}

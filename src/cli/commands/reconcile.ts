/**
 * `scaling-dmft reconcile` and `scaling-dmft report` (issue 4): closed forms
 * against DMFT fits for one (a, b) or a grid, as tables, and the full report
 * with figures.
 */
import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { availableParallelism } from 'node:os';
import { InvalidArgumentError } from '../../core/errors.js';
import { TOOL } from '../../core/version.js';
import { compareSeries } from '../../reconcile/agreement.js';
import { ALL_LAWS, type LawId } from '../../reconcile/reconcile.js';
import { renderReport, writeReport, buildTable, type SimulationPanel } from '../../reconcile/report.js';
import { DEFAULT_CASES, reconcileSweep, type SweepCase } from '../../reconcile/sweep.js';
import { tableToCsv, tableToJsonText, tableToLatex, tableToMarkdown } from '../../reconcile/tables.js';
import { emit } from '../output.js';
import { parseChoice, parseCount, parseReal } from '../parse.js';
import { computeCurve, parseCurveFlags } from './curve.js';
import { DEMO_FLAGS } from './demo.js';

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

function inRange({ a, b }: SweepCase): { ok: boolean; rule: string } {
  if (!(a > 1)) return { ok: false, rule: A_RULE };
  if (!(b >= 1)) return { ok: false, rule: B_RULE };
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
  return [found];
}

/** A progress bar on a terminal (stderr), silent otherwise. */
function progressBar(total: number): { update: (done: number) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({ format: 'reconciling {bar} {value}/{total} cases | {duration_formatted}', stream: process.stderr, hideCursor: true });
  bar.start(total, 0);
  return { update: (done) => bar.update(done), stop: () => bar.stop() };
}

export function registerReconcile(program: Command): void {
  program
    .command('reconcile')
    .description('closed-form exponents against exponents fitted from the full DMFT, with verdicts')
    .option('--a <a>', 'task-power exponent')
    .option('--b <b>', 'eigenvalue exponent')
    .option('--grid <pairs>', 'several cases: a:b,a:b,... or "default"')
    .option('--laws <ids>', `comma list of laws (default all: ${ALL_LAWS.join(', ')})`)
    .option('--workers <n>', 'worker threads (default: all cores)')
    .option('--format <format>', 'md | latex | csv | json', 'md')
    .option('--out <file>', 'write to FILE instead of stdout')
    .action(async (flags: { a?: string; b?: string; grid?: string; laws?: string; workers?: string; format: string; out?: string }) => {
      const format = parseChoice('--format', flags.format, FORMATS);
      const cases = casesFrom(flags, undefined);
      const laws = parseLaws(flags.laws);
      const workers = flags.workers === undefined ? Math.min(availableParallelism(), cases.length) : parseCount('--workers', flags.workers);
      const started = performance.now();
      const bar = progressBar(cases.length);
      // Tables only: the figures' extra curves are not evaluated.
      const results = await reconcileSweep(cases, { laws, workers, figures: false, onProgress: (done) => bar.update(done) }).finally(() => bar.stop());
      const table = buildTable({
        cases: results,
        parameters: { laws: laws ?? ALL_LAWS },
        elapsedMs: performance.now() - started,
        workers,
        command: 'scaling-dmft reconcile',
      });
      const text =
        format === 'json' ? tableToJsonText(table) : format === 'latex' ? tableToLatex(table) : format === 'csv' ? tableToCsv(table) : tableToMarkdown(table);
      emit(text, flags.out);
    });

  program
    .command('report')
    .description('the full report: every law reconciled for a grid of (a, b), tables (md, tex, csv, json) and SVG figures')
    .option('--a <a>', 'task-power exponent (one case)')
    .option('--b <b>', 'eigenvalue exponent (one case)')
    .option('--grid <pairs>', 'a:b,a:b,... or "default" (the paper grid, b < a-1 < 2b, a-1 > 2b, CIFAR-5M)')
    .option('--laws <ids>', 'comma list of laws (default all)')
    .option('--workers <n>', 'worker threads (default: all cores)')
    .option('--seeds <n>', 'Monte Carlo seeds for the theory-vs-simulation panel (0: skip)', '20')
    .requiredOption('--out <dir>', 'output folder')
    .action(async (flags: { a?: string; b?: string; grid?: string; laws?: string; workers?: string; seeds: string; out: string }) => {
      const cases = casesFrom(flags, DEFAULT_CASES);
      const laws = parseLaws(flags.laws);
      const workers = flags.workers === undefined ? Math.min(availableParallelism(), cases.length) : parseCount('--workers', flags.workers);
      const seeds = flags.seeds === '0' ? 0 : parseCount('--seeds', flags.seeds);
      const started = performance.now();
      const bar = progressBar(cases.length);
      const results = await reconcileSweep(cases, { laws, workers, onProgress: (done) => bar.update(done) }).finally(() => bar.stop());
      const simulation = seeds > 0 ? await simulationPanel(seeds, workers) : undefined;
      const report = await renderReport({
        cases: results,
        simulation,
        parameters: { laws: laws ?? ALL_LAWS },
        elapsedMs: performance.now() - started,
        workers,
      });
      const written = writeReport(flags.out, report);
      process.stdout.write(
        `${report.summary}\n${simulation ? `\n${simulation.summary.join('\n')}\n` : ''}\n${TOOL.name} report: ${written.length} files in ${flags.out} (${((performance.now() - started) / 1000).toFixed(1)} s); start with ${flags.out}/report.md\n`,
      );
    });
}

/** The demo comparison (a = 1.5, b = 1.25, N = 256, P = 1024, M = 2000) for the report's first figure. */
async function simulationPanel(seeds: number, workers: number): Promise<SimulationPanel> {
  const request = parseCurveFlags({ ...DEMO_FLAGS, seeds: String(seeds), workers: String(workers) });
  const report = await computeCurve(request);
  const th = report.theory;
  const mc = report.simulation!.results[0];
  const t = Array.from(th.t);
  const summary = (['test', 'train', 'testA'] as const).map((q) => {
    const s = compareSeries(th[q], mc[q].mean, mc[q].stderr);
    return `${q === 'testA' ? 'L_A' : q}: max |DMFT - MC| / s.e. = ${s.maxAbsZ.toFixed(2)}, max relative difference ${(100 * s.maxRelativeDifference).toFixed(2)}%, ${s.failures} of ${t.length} times outside 3 s.e. or 2%`;
  });
  return {
    caption: `Power law a = 1.5, b = 1.25, M = 2000, N = 256, P = 1024, sigma = 0: DMFT lines, Monte Carlo points (${seeds} seeds from seed ${request.simulation!.seed}, exact gradient flow).`,
    t,
    theory: [
      { name: 'DMFT test', y: Array.from(th.test) },
      { name: 'DMFT train', y: Array.from(th.train) },
    ],
    simulation: [
      { name: 'MC test', mean: Array.from(mc.test.mean), stderr: Array.from(mc.test.stderr) },
      { name: 'MC train', mean: Array.from(mc.train.mean), stderr: Array.from(mc.train.stderr) },
    ],
    summary,
    seeds: { seed: request.simulation!.seed, seeds },
  };
}

/**
 * The report's work as one pool of independent tasks: every (a, b) case
 * (with its figures rendered in the same task), every one-pass SGD case, the
 * dynamics-laws section and the real-data section. Before, the sweep ran on the workers while the
 * sections and the 58 figures waited for it and then ran one after the other
 * on the main thread; now the longest tasks start first and the main thread
 * only assembles. Each task is a pure function of its input and results are
 * placed by index (src/core/workers.ts), so the report's bytes do not depend
 * on the number of workers or on which task finished first (a figure
 * rendered in a worker is the one renderReport would draw from the same
 * result: test/reconcile/report-sections.test.ts).
 */
import { assertNever } from '../core/assert.js';
import { runTasks } from '../core/workers.js';
import { renderFigureDetailed } from './figures.js';
import type { CaseResult, LawId } from './reconcile.js';
import { caseFigures, type PrerenderedFigure, type ReportSection } from './report.js';
import { caseKey, loadCase } from './store.js';
import { runCaseTask, type CaseTask, type SweepCase } from './sweep.js';
import type { MeasureSettings } from './measure.js';
import type { SgdCase, SgdCaseResult } from './sgd.js';

/** The report's sections beyond the (a, b) reconciliation. */
export const REPORT_SECTION_NAMES = ['sgd', 'dynamics', 'reuse', 'real-data'] as const;
/** One of REPORT_SECTION_NAMES. */
export type ReportSectionName = (typeof REPORT_SECTION_NAMES)[number];

/** One task of the report's pool (structured-cloneable). */
export type ReportTask =
  | { readonly kind: 'case'; readonly task: CaseTask }
  | { readonly kind: 'sgd'; readonly sgdCase: SgdCase }
  | { readonly kind: 'dynamics' }
  | { readonly kind: 'real-data' }
  | { readonly kind: 'reuse' };

/** What a task returns. */
export type ReportTaskOutput =
  | { readonly kind: 'case'; readonly result: CaseResult; readonly figures: PrerenderedFigure[] }
  | { readonly kind: 'sgd'; readonly result: SgdCaseResult }
  | { readonly kind: 'dynamics' | 'real-data' | 'reuse'; readonly section: ReportSection };

/** Worker entry point (see src/core/workers.ts). */
export async function runReportTask(task: ReportTask): Promise<ReportTaskOutput> {
  switch (task.kind) {
    case 'case': {
      const result = runCaseTask(task.task);
      const figures: PrerenderedFigure[] = [];
      for (const spec of caseFigures(result)) {
        const rendered = await renderFigureDetailed(spec);
        figures.push({ id: spec.id, svg: rendered.svg, vegaLite: rendered.vegaLite, warnings: rendered.warnings });
      }
      return { kind: 'case', result, figures };
    }
    case 'sgd': {
      const sgd = await import('./sgd.js');
      return { kind: 'sgd', result: sgd.reconcileSgdCase(task.sgdCase) };
    }
    case 'dynamics': {
      const laws = await import('./dynamics-laws.js');
      return { kind: 'dynamics', section: laws.dynamicsLawsReportSection() };
    }
    case 'real-data': {
      const data = await import('../data/index.js');
      return { kind: 'real-data', section: data.mnistReportSection() };
    }
    case 'reuse': {
      const reuse = await import('./reuse.js');
      return { kind: 'reuse', section: reuse.reuseReportSection() };
    }
    default:
      return assertNever(task, 'report task');
  }
}

/** Settings of runReportWork. */
export interface ReportWorkOptions {
  readonly laws?: readonly LawId[];
  readonly settings?: MeasureSettings;
  /** Results folder: finished cases with the same parameters are reused, new ones saved as they finish (store.ts). */
  readonly store?: string;
  readonly workers: number;
  /** Further sections, in the report's order. */
  readonly sections?: readonly ReportSectionName[];
  /** One-pass SGD step and batch for the SGD section (default: each case's own). */
  readonly sgdSettings?: { readonly lr: number; readonly batch: number };
  readonly onProgress?: (done: number, total: number) => void;
}

/** The report's computed parts. */
export interface ReportWork {
  /** One result per case, in input order. */
  readonly results: CaseResult[];
  /** Figures rendered by the tasks (spec id -> figure); reused cases are drawn by renderReport. */
  readonly prerendered: Map<string, PrerenderedFigure>;
  readonly sections: ReportSection[];
  readonly reused: number;
}

/**
 * Relative cost of a task, to start the longest first (measured CPU on the
 * default report, 2026-11-27: real-data section 2.9 s, an (a, b) case with
 * its figures 1.5-1.7 s, an SGD case 0.7 s; 2026-12-07: the dynamics-laws
 * section about 0.7 of a case). Only the order depends on it.
 */
function expectedCost(task: ReportTask): number {
  return task.kind === 'real-data' ? 3 : task.kind === 'case' ? 1.6 : task.kind === 'dynamics' ? 1.1 : 0.7;
}

/**
 * Every case of the report (figures included) and its sections on one pool of
 * `workers` threads, longest tasks first. Cases found in `store` with the
 * same parameters are reused, as in reconcileSweepStored.
 */
export async function runReportWork(cases: readonly SweepCase[], options: ReportWorkOptions): Promise<ReportWork> {
  const found = cases.map(({ a, b }) => (options.store === undefined ? undefined : loadCase(options.store, caseKey(a, b, { ...options, figures: true }))));
  const tasks: ReportTask[] = [];
  cases.forEach(({ a, b }, k) => {
    if (found[k] === undefined) tasks.push({ kind: 'case', task: { a, b, laws: options.laws, settings: options.settings, figures: true, saveTo: options.store } });
  });
  const sections = options.sections ?? [];
  let sgdCases: readonly SgdCase[] = [];
  if (sections.includes('sgd')) {
    const sgd = await import('./sgd.js');
    sgdCases = sgd.SGD_PHASE_CASES.map((c) => ({ ...c, ...options.sgdSettings }));
    for (const sgdCase of sgdCases) tasks.push({ kind: 'sgd', sgdCase });
  }
  if (sections.includes('dynamics')) tasks.push({ kind: 'dynamics' });
  if (sections.includes('real-data')) tasks.push({ kind: 'real-data' });
  if (sections.includes('reuse')) tasks.push({ kind: 'reuse' });
  // Longest first (stable: equal costs keep the input order).
  const order = tasks.map((_, i) => i).sort((x, y) => expectedCost(tasks[y]) - expectedCost(tasks[x]) || x - y);
  const caseCount = tasks.filter((t) => t.kind === 'case').length;
  const reused = cases.length - caseCount;
  const outputs =
    tasks.length === 0
      ? []
      : await runTasks<ReportTask, ReportTaskOutput>(new URL(import.meta.url).href, 'runReportTask', order.map((i) => tasks[i]), {
          workers: Math.min(options.workers, tasks.length),
          // Progress counts the (a, b) cases only, as the sweep's bar does; the sections finish within it.
          onProgress: options.onProgress === undefined ? undefined : (done, total) => options.onProgress!(Math.min(cases.length, reused + Math.round((done * caseCount) / total)), cases.length),
        });
  const byTask = new Array<ReportTaskOutput>(tasks.length);
  order.forEach((i, k) => (byTask[i] = outputs[k]));
  const computed = byTask.flatMap((o) => (o.kind === 'case' ? [o] : []));
  const prerendered = new Map<string, PrerenderedFigure>();
  for (const o of computed) for (const figure of o.figures) prerendered.set(figure.id, figure);
  let next = 0;
  const results = found.map((result) => result ?? computed[next++].result);
  const out: ReportSection[] = [];
  for (const name of sections) {
    if (name === 'sgd') {
      const sgd = await import('./sgd.js');
      out.push(await sgd.sgdReportSection(byTask.flatMap((o) => (o.kind === 'sgd' ? [o.result] : []))));
    } else {
      const section = byTask.find((o) => o.kind === name);
      if (section !== undefined && section.kind !== 'case' && section.kind !== 'sgd') out.push(section.section);
    }
  }
  return { results, prerendered, sections: out, reused };
}

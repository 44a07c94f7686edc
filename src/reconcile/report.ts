/**
 * The report: every law of every (a, b) case reconciled, written as
 * report.md, LaTeX / CSV / JSON tables and SVG figures of the paper's figure
 * types. Everything is rendered in memory first and written at the end, so a
 * failure leaves no half-written report.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { worstStatus, type Status } from '../core/solution.js';
import { TOOL } from '../core/version.js';
import { NUMERIC_DEFAULTS } from '../numeric/index.js';
import {
  computeOptimalFrontier,
  finiteWidthCorrection,
  lossVsTimeForWidths,
  lossVsWidthAtTimes,
  renderFigureDetailed,
  theoryVsSimulation,
  trainVsTest,
  type PowerLawFit,
} from './figures.js';
import { MEASURE_DEFAULTS } from './measure.js';
import { EXPONENT_TOLERANCE, type CaseResult } from './reconcile.js';
import { tableSummary, tableToCsv, tableToJsonText, tableToLatex, tableToMarkdown } from './tables.js';
import type { ExponentFit, FigureSpec, ReconciliationTable } from './types.js';

/** Theory against simulation for one curve (the demo comparison), when run. */
export interface SimulationPanel {
  readonly caption: string;
  readonly t: readonly number[];
  readonly theory: { name: string; y: readonly number[] }[];
  readonly simulation: { name: string; mean: readonly number[]; stderr: readonly number[] }[];
  readonly summary: string[];
  readonly seeds: { seed: number; seeds: number };
}

/** The input of renderReport and buildTable. */
export interface ReportInput {
  readonly cases: readonly CaseResult[];
  readonly simulation?: SimulationPanel;
  readonly parameters: Record<string, unknown>;
  /** Not written into the report (same inputs, same bytes); kept for callers that pass them. */
  readonly elapsedMs?: number;
  readonly workers?: number;
  /** The command that produced it, for provenance (default 'scaling-dmft report'). */
  readonly command?: string;
  /** Further sections (one-pass SGD, real data), in order, after the simulation panel. */
  readonly sections?: readonly ReportSection[];
  /**
   * Figures already drawn from these same cases (by the report's worker
   * tasks, report-tasks.ts), by spec id; the others are drawn here. Drawing is
   * deterministic, so the bytes do not depend on where a figure was drawn.
   */
  readonly prerendered?: ReadonlyMap<string, PrerenderedFigure>;
}

/** A figure drawn from its spec (renderFigureDetailed), as a worker returns it. */
export interface PrerenderedFigure {
  readonly id: string;
  readonly svg: string;
  readonly vegaLite: unknown;
  readonly warnings: readonly string[];
}

/**
 * A section of the report beyond the (a, b) reconciliation: Markdown, figure
 * specs rendered like the others, and figures already rendered (SVG and
 * vega-lite spec, e.g. the SGD phase diagram), all under figures/.
 */
export interface ReportSection {
  readonly markdown: string;
  readonly figures: readonly FigureSpec[];
  readonly rendered?: readonly { readonly id: string; readonly title: string; readonly svg: string; readonly vegaLite: unknown }[];
}

/** The measurements of a case (CaseResult.measurements) as the report names them. */
const MEASUREMENT_NAMES: Readonly<Record<string, string>> = {
  time: 'time law',
  width: 'width law',
  widthBias: 'width law of the bias',
  data: 'data law',
  compute: 'compute-optimal frontier',
  finiteWidth: 'finite-width measurements',
  gap: 'train-test gap measurements',
};

/** The reconciliation table of a sweep, with provenance. */
export function buildTable(input: ReportInput): ReconciliationTable {
  const rows = input.cases.flatMap((c) => c.rows);
  const status = input.cases.reduce<Status>((s, c) => worstStatus(s, c.status), 'converged');
  const statusSources = input.cases.flatMap((c) =>
    Object.entries(c.measurements)
      .filter(([, m]) => m !== undefined && m.status !== 'converged')
      .map(([name, m]) => `(${c.a}, ${c.b}) ${MEASUREMENT_NAMES[name] ?? name}: ${m!.status}`),
  );
  return {
    rows,
    status,
    ...(statusSources.length > 0 ? { statusSources } : {}),
    caseStatuses: input.cases.map((c) => ({ a: c.a, b: c.b, status: c.status })),
    provenance: {
      tool: TOOL,
      generated: input.command ?? 'scaling-dmft report',
      parameters: { ...input.parameters, cases: input.cases.map((c) => ({ a: c.a, b: c.b, phase: c.phase })) },
      solver: {
        numeric: { methods: NUMERIC_DEFAULTS.methods, relTol: NUMERIC_DEFAULTS.relTol, absTol: NUMERIC_DEFAULTS.absTol },
        measure: MEASURE_DEFAULTS,
        exponentTolerance: EXPONENT_TOLERANCE,
      },
      seeds: input.simulation?.seeds ?? null,
    },
  };
}

function asPowerLaw(fit: ExponentFit): PowerLawFit | null {
  return fit.status === 'converged' ? { prefactor: fit.prefactor, exponent: fit.exponent, stderr: fit.stderr, window: fit.window } : null;
}

function pick<T>(values: readonly T[], count: number): T[] {
  if (values.length <= count) return [...values];
  return Array.from({ length: count }, (_, i) => values[Math.round((i * (values.length - 1)) / (count - 1))]);
}

/** The paper's figure types for one case. */
export function caseFigures(result: CaseResult): FigureSpec[] {
  const tag = `a${result.a}_b${result.b}`;
  const params = { a: result.a, b: result.b };
  const figures: FigureSpec[] = [];
  const fw = result.measurements.finiteWidth;
  if (fw) {
    // The curves the measurement evaluated whole for the figures (none when run without figures).
    if (fw.figureRows.length > 0) {
      const rows = fw.figureRows.map((j) => ({ N: fw.N[j], loss: fw.curves[j] }));
      figures.push({
        ...lossVsTimeForWidths(fw.t, [...rows, { N: Infinity, loss: fw.infinite }], { ...params, P: Infinity }),
        id: `${tag}_loss_vs_time_widths`,
      });
    }
    if (fw.figureTimes.length > 0) {
      figures.push({
        ...lossVsWidthAtTimes(fw.N, fw.figureTimes.map((i) => ({ t: fw.t[i], loss: fw.curves.map((row) => row[i]) })), { ...params, P: Infinity }),
        id: `${tag}_loss_vs_width_times`,
      });
    }
    figures.push({
      ...finiteWidthCorrection(fw.N, { t: fw.early.t, delta: fw.early.delta }, { t: Infinity, delta: fw.late.delta }, {
        early: asPowerLaw(fw.early.fit),
        late: asPowerLaw(fw.late.fit),
      }, { ...params, P: Infinity }),
      id: `${tag}_finite_width_correction`,
    });
  }
  const co = result.measurements.compute;
  if (co) {
    const envelope = pick(co.curves, 7);
    const fit = asPowerLaw(co.fits.loss);
    if (fit) {
      figures.push({
        ...computeOptimalFrontier(co.C, envelope, { C: co.C, L: co.Lstar }, fit, { ...params, P: Infinity }),
        id: `${tag}_compute_optimal_frontier`,
      });
    }
  }
  const gap = result.measurements.gap;
  if (gap) {
    // An interpolating run's train loss decays to 0; below the solver's absolute
    // tolerance (NUMERIC_DEFAULTS.absTol * L(0)) its values are rounding noise,
    // so they are left out of the plot rather than drawn as data.
    // Those points are removed from the train series (not drawn as non-finite values) and the caption says so.
    const rows = gap.figureRows.map((j) => ({ P: gap.P[j], test: gap.test[j], train: gap.train[j] }));
    if (rows.length > 0) {
      const spec = trainVsTest(gap.t, rows, { ...params, N: Infinity });
      const floors: string[] = [];
      const series = spec.series.map((s, k) => {
        if (!s.name.startsWith('train')) return s;
        const floor = NUMERIC_DEFAULTS.absTol * rows[Math.floor(k / 2)].test[0];
        const keep = s.y.map((v) => v > floor);
        const cut = keep.filter((k2) => !k2).length;
        if (cut > 0) floors.push(`${s.name} below ${floor.toExponential(0)} (round-off of an interpolating fit) at ${cut} times`);
        return { ...s, x: s.x.filter((_, i) => keep[i]), y: s.y.filter((_, i) => keep[i]) };
      });
      const caption = [spec.caption ?? '', floors.length > 0 ? `Not drawn: ${floors.join('; ')}` : ''].filter((c) => c !== '').join('. ');
      figures.push({ ...spec, series, caption, id: `${tag}_train_vs_test` });
    }
  }
  return figures;
}

/** A rendered report: files by relative path, and a summary. */
export interface RenderedReport {
  /** Relative path -> file content. */
  readonly files: Map<string, string>;
  readonly table: ReconciliationTable;
  readonly summary: string;
  readonly warnings: string[];
}

/** Renders the full report (tables in every format, SVG figures) in memory. */
export async function renderReport(input: ReportInput): Promise<RenderedReport> {
  const table = buildTable(input);
  const files = new Map<string, string>();
  const warnings: string[] = [];
  const figureLinks: string[] = [];
  const specs = [...input.cases.flatMap(caseFigures), ...(input.sections ?? []).flatMap((section) => section.figures)];
  for (const figure of (input.sections ?? []).flatMap((section) => section.rendered ?? [])) {
    files.set(`figures/${figure.id}.svg`, figure.svg.endsWith('\n') ? figure.svg : `${figure.svg}\n`);
    files.set(`figures/${figure.id}.vl.json`, `${JSON.stringify(figure.vegaLite, null, 2)}\n`);
    figureLinks.push(`- [${figure.title}](figures/${figure.id}.svg)`);
  }
  if (input.simulation) {
    const sim = input.simulation;
    specs.unshift({ ...theoryVsSimulation(sim.t, sim.theory, sim.simulation, {}), id: 'theory_vs_simulation', caption: sim.caption });
  }
  for (const spec of specs) {
    const rendered = input.prerendered?.get(spec.id) ?? (await renderFigureDetailed(spec));
    files.set(`figures/${spec.id}.svg`, rendered.svg.endsWith('\n') ? rendered.svg : `${rendered.svg}\n`);
    files.set(`figures/${spec.id}.vl.json`, `${JSON.stringify(rendered.vegaLite, null, 2)}\n`);
    warnings.push(...rendered.warnings.map((w) => `${spec.id}: ${w}`));
    figureLinks.push(`- [${spec.title}${spec.caption ? ` (${spec.caption})` : ''}](figures/${spec.id}.svg)`);
  }
  files.set('reconciliation.tex', tableToLatex(table));
  files.set('reconciliation.csv', tableToCsv(table));
  files.set('reconciliation.json', tableToJsonText(table));
  const summary = tableSummary(table);
  const disagreements = table.rows.filter((r) => r.verdict === 'disagree');
  const paperDepartures = table.rows.filter((r) => r.paper && r.closedForm !== null && Math.abs(r.paper.exponent - r.closedForm) > 1e-9);
  const md = [
    '<!-- generated by `scaling-dmft report`; do not edit -->',
    '# scaling-dmft reconciliation report',
    '',
    `Closed-form exponents (symbolic layer, THEORY sections 6-7) against exponents fitted from the full DMFT (numeric layer) for ${input.cases.length} (a, b) cases. Tolerance ${EXPONENT_TOLERANCE} on the exponent. ${TOOL.name} ${TOOL.version}. (The same inputs give the same bytes: no times or worker counts are written here; the command prints them.)`,
    '',
    '## Summary',
    '',
    '```',
    summary,
    '```',
    '',
    '## Where the paper\'s stated formulas depart from the exact theory',
    '',
    paperDepartures.length === 0
      ? 'None in these cases.'
      : paperDepartures
          .map((r) => `- (a, b) = (${r.a}, ${r.b}), ${r.id}: paper ${r.paper!.text} = ${r.paper!.exponent.toFixed(4)}; exact theory ${r.closedFormText} = ${r.closedForm!.toFixed(4)}; DMFT fit ${r.fitted === null ? 'none' : `${r.fitted.toFixed(4)} ± ${r.stderr!.toFixed(4)}`} (${r.verdict}).`)
          .join('\n'),
    '',
    '## Disagreements between closed form and DMFT',
    '',
    disagreements.length === 0
      ? 'None.'
      : disagreements.map((r) => `- (a, b) = (${r.a}, ${r.b}), ${r.id}: closed form ${r.closedForm}, DMFT ${r.fitted?.toFixed(4)} ± ${r.stderr?.toFixed(4)}; ${r.note}`).join('\n'),
    '',
    ...(input.simulation
      ? ['## DMFT against the simulation of the finite model', '', input.simulation.caption, '', ...input.simulation.summary.map((s) => `- ${s}`), '']
      : []),
    ...(input.sections ?? []).flatMap((section) => [section.markdown, '']),
    '## Table',
    '',
    tableToMarkdown(table),
    '',
    '## Figures',
    '',
    ...figureLinks,
    '',
    'Also here: `reconciliation.tex` (booktabs), `reconciliation.csv`, `reconciliation.json`; each figure has its vega-lite spec beside it (`.vl.json`).',
    '',
  ].join('\n');
  files.set('report.md', md);
  return { files, table, summary, warnings };
}

/**
 * The list of files a report wrote, kept in its folder: a rerun removes the
 * files of the earlier report it does not write again (stale figures), and
 * nothing else; files the user put there, in figures/ too, are kept.
 */
export const REPORT_FILE_LIST = 'report-files.json';

function previousReportFiles(dir: string): string[] {
  try {
    const listed = JSON.parse(readFileSync(join(dir, REPORT_FILE_LIST), 'utf8')) as unknown;
    // Only plain relative paths inside the folder (a hand-edited list cannot reach outside it).
    return Array.isArray(listed) ? listed.filter((f): f is string => typeof f === 'string' && f !== '' && !isAbsolute(f) && !f.split(/[\\/]/).includes('..')) : [];
  } catch {
    return []; // no earlier report, or an unreadable list: remove nothing
  }
}

/**
 * Writes the rendered files under `dir`: first into a sibling temporary folder,
 * then moved into place file by file, so an error while writing leaves `dir`
 * as it was. Files an earlier report wrote (REPORT_FILE_LIST) that this one
 * does not are removed; every other file in `dir` (stored case results,
 * anything of the user's, in figures/ too) is left alone.
 */
export function writeReport(dir: string, report: RenderedReport): string[] {
  const staging = join(dirname(dir), `.${basename(dir)}.staging-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    for (const [relative, content] of report.files) {
      const path = join(staging, relative);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
    }
    const written: string[] = [];
    for (const relative of report.files.keys()) {
      const target = join(dir, relative);
      mkdirSync(dirname(target), { recursive: true });
      renameSync(join(staging, relative), target);
      written.push(target);
    }
    const stale = previousReportFiles(dir).filter((relative) => !report.files.has(relative));
    const listed = [...report.files.keys()];
    writeFileSync(join(dir, REPORT_FILE_LIST), `${JSON.stringify(listed, null, 1)}\n`);
    for (const relative of stale) rmSync(join(dir, relative), { force: true });
    return written;
  } finally {
    if (existsSync(staging)) rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Reconciliation tables: one ReconciliationTable written as
 * Markdown, LaTeX (booktabs), CSV (RFC 4180) and JSON, plus a compact verdict
 * summary for the terminal.
 *
 * Every format carries the provenance (tool, date, parameters, solver
 * settings, seeds) and the overall status, and makes disagreements stand out:
 * the tool exists to catch a wrong closed form, so a DISAGREE must not be a
 * word lost in a column.
 *
 * Digits: CSV, JSON and Markdown keep full precision (the shortest decimal
 * that reads back to the same double); the LaTeX table and the terminal
 * summary print an exponent to the second significant digit of its standard
 * error (between 2 and 6 decimals), closed forms, paper values and
 * differences with 4 decimals.
 * Non-finite numbers are written 'inf', '-inf', 'NaN' in text formats and as
 * those strings in JSON (as the CLI's JSON does), never as bare tokens.
 */
import type { Status } from '../core/solution.js';
import type { FitWindow, Provenance, ReconciliationRow, ReconciliationTable, Verdict } from './types.js';

/** Verdicts as words; a disagreement in capitals. */
export const VERDICT_WORDS: Readonly<Record<Verdict, string>> = {
  agree: 'agree',
  disagree: 'DISAGREE',
  boundary: 'boundary',
  no_fit: 'no fit',
  no_closed_form: 'no closed form',
};

/** Decimals of a number without a standard error (closed forms are simple rationals; tolerances ~0.01). */
const DEFAULT_DECIMALS = 4;

// ---------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------

function nonFiniteWord(value: number): string {
  return Number.isNaN(value) ? 'NaN' : value > 0 ? 'inf' : '-inf';
}

/** Decimals that show a standard error to two significant digits, within [2, 6]. */
export function decimalsForStderr(stderr: number | null | undefined): number {
  if (stderr === null || stderr === undefined || !Number.isFinite(stderr) || stderr <= 0) return DEFAULT_DECIMALS;
  return Math.min(6, Math.max(2, 1 - Math.floor(Math.log10(stderr))));
}

/** A fixed-decimals number; 'inf' / 'NaN' for non-finite values. */
function fixed(value: number, decimals: number, signed = false): string {
  if (!Number.isFinite(value)) return nonFiniteWord(value);
  const text = value.toFixed(decimals);
  // toFixed(-0.00001, 4) is "-0.0000": a sign on a printed zero is noise.
  const zero = /^-?0\.?0*$/.test(text);
  const unsigned = zero ? text.replace(/^-/, '') : text;
  return signed && !unsigned.startsWith('-') ? `+${unsigned}` : unsigned;
}

/** A tolerance or window end, short: "0.02", "31.6", "1e4", "3.16e5" (exponent form from 1e4 on). */
function compact(value: number): string {
  if (!Number.isFinite(value)) return nonFiniteWord(value);
  const magnitude = Math.abs(value);
  if (Number.isInteger(value) && magnitude < 1e4) return String(value);
  if (magnitude >= 1e-3 && magnitude < 1e4) return String(Number(value.toPrecision(3)));
  return value.toExponential(2).replace(/\.?0+e/, 'e').replace('e+', 'e');
}

/** A plain-text value of the row's numbers, shared by Markdown and the summary. */
interface RowText {
  readonly ab: string;
  readonly closedForm: string;
  readonly paper: string;
  readonly fitted: string;
  readonly window: string;
  readonly simulation: string;
  readonly difference: string;
  readonly tolerance: string;
}

const MISSING = '-';

function withStderr(value: number | null | undefined, stderr: number | null | undefined, plusMinus: string): string {
  if (value === null || value === undefined) return MISSING;
  const decimals = decimalsForStderr(stderr);
  const main = fixed(value, decimals);
  return stderr === null || stderr === undefined ? main : `${main} ${plusMinus} ${fixed(stderr, decimals)}`;
}

function windowText(window: FitWindow | null): string {
  return window === null ? MISSING : `${compact(window.from)} to ${compact(window.to)} (${window.points} pts)`;
}

/** A number at full precision: the shortest decimal that reads back to the same double ('inf', 'NaN' otherwise). */
export function exact(value: number | null | undefined): string {
  if (value === null || value === undefined) return MISSING;
  return Number.isFinite(value) ? String(value) : nonFiniteWord(value);
}

function exactWithStderr(value: number | null | undefined, stderr: number | null | undefined, plusMinus: string): string {
  if (value === null || value === undefined) return MISSING;
  return stderr === null || stderr === undefined ? exact(value) : `${exact(value)} ${plusMinus} ${exact(stderr)}`;
}

/** Row numbers at full precision (Markdown: a table that is data, not only a picture of it). */
function rowTextExact(row: ReconciliationRow, plusMinus = '\u00b1'): RowText {
  return {
    ab: `(${exact(row.a)}, ${exact(row.b)})`,
    closedForm: exact(row.closedForm),
    paper: row.paper === undefined ? MISSING : exact(row.paper.exponent),
    fitted: exactWithStderr(row.fitted, row.stderr, plusMinus),
    window: row.window === null ? MISSING : `${exact(row.window.from)} to ${exact(row.window.to)} (${row.window.points} pts)`,
    simulation: exactWithStderr(row.simulationFitted, row.simulationStderr, plusMinus),
    difference: exact(row.difference),
    tolerance: exact(row.tolerance),
  };
}

function rowText(row: ReconciliationRow, plusMinus = '\u00b1'): RowText {
  return {
    ab: `(${compact(row.a)}, ${compact(row.b)})`,
    closedForm: row.closedForm === null ? MISSING : fixed(row.closedForm, DEFAULT_DECIMALS),
    paper: row.paper === undefined ? MISSING : fixed(row.paper.exponent, DEFAULT_DECIMALS),
    fitted: withStderr(row.fitted, row.stderr, plusMinus),
    window: windowText(row.window),
    simulation: withStderr(row.simulationFitted, row.simulationStderr, plusMinus),
    difference: row.difference === null ? MISSING : fixed(row.difference, DEFAULT_DECIMALS, true),
    tolerance: compact(row.tolerance),
  };
}

/** Whether any row states the paper's exponent / was simulated (the column is shown only then). */
function optionalColumns(rows: readonly ReconciliationRow[]): { paper: boolean; simulation: boolean } {
  return {
    paper: rows.some((r) => r.paper !== undefined),
    simulation: rows.some((r) => r.simulationFitted !== undefined),
  };
}

function provenanceLines(provenance: Provenance, status: string): string[] {
  const seeds = provenance.seeds ?? null;
  return [
    `tool: ${provenance.tool.name} ${provenance.tool.version}`,
    `generated: ${provenance.generated}`,
    `status: ${status}`,
    `parameters: ${jsonLine(provenance.parameters)}`,
    `solver: ${jsonLine(provenance.solver)}`,
    `seeds: ${seeds === null ? 'none (no simulation)' : `seed ${seeds.seed}, ${seeds.seeds} seeds`}`,
  ];
}

/** One-line JSON with non-finite numbers as words (JSON.stringify would write null). */
function jsonLine(value: unknown): string {
  return JSON.stringify(sanitizeForJson(value));
}

/** A deep copy with non-finite numbers replaced by 'inf', '-inf', 'NaN' (JSON has no such numbers). */
export function sanitizeForJson(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : nonFiniteWord(value);
  if (Array.isArray(value)) return value.map(sanitizeForJson);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Array.from(value as unknown as ArrayLike<number>, sanitizeForJson);
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) {
      if (entry !== undefined) out[key] = sanitizeForJson(entry);
    }
    return out;
  }
  return value;
}

function countVerdicts(rows: readonly ReconciliationRow[]): Record<Verdict, number> {
  const counts: Record<Verdict, number> = { agree: 0, disagree: 0, boundary: 0, no_fit: 0, no_closed_form: 0 };
  for (const row of rows) counts[row.verdict] += 1;
  return counts;
}

function verdictCountsText(rows: readonly ReconciliationRow[]): string {
  const counts = countVerdicts(rows);
  return (Object.keys(counts) as Verdict[])
    .filter((v) => counts[v] > 0)
    .map((v) => `${counts[v]} ${VERDICT_WORDS[v]}`)
    .join(', ');
}

// ---------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------

/** Settings of tableToMarkdown. */
export interface MarkdownOptions {
  /** A provenance paragraph under the table (default true). */
  readonly provenance?: boolean;
}

/** Escapes a cell: a pipe would end the cell, a newline the row. */
function markdownCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Markdown (GitHub tables): one row per law and (a, b); DISAGREE in bold. */
export function tableToMarkdown(table: ReconciliationTable, options: MarkdownOptions = {}): string {
  const show = optionalColumns(table.rows);
  const header = [
    '(a, b)', 'law', 'quantity', 'closed form', 'value',
    ...(show.paper ? ['paper'] : []),
    'DMFT fit \u00b1 s.e.', 'window',
    ...(show.simulation ? ['simulation fit \u00b1 s.e.'] : []),
    'difference', 'tolerance', 'verdict', 'note',
  ];
  const align = header.map((h) => (['value', 'paper', 'DMFT fit \u00b1 s.e.', 'simulation fit \u00b1 s.e.', 'difference', 'tolerance'].includes(h) ? '---:' : '---'));
  const body = table.rows.map((row) => {
    const text = rowTextExact(row);
    const disagree = row.verdict === 'disagree';
    const strong = (s: string) => (disagree && s !== MISSING ? `**${s}**` : s);
    const cells = [
      text.ab, `\`${row.id}\``, row.quantity, row.closedFormText, text.closedForm,
      ...(show.paper ? [row.paper === undefined ? MISSING : `${text.paper} (${row.paper.text})`] : []),
      strong(text.fitted), text.window,
      ...(show.simulation ? [text.simulation] : []),
      strong(text.difference), text.tolerance, strong(VERDICT_WORDS[row.verdict]), row.note,
    ];
    return cells;
  });
  const line = (cells: string[]) => `| ${cells.map(markdownCell).join(' | ')} |`;
  const lines = [line(header), `| ${align.join(' | ')} |`, ...body.map(line)];
  if (options.provenance ?? true) {
    lines.push('', `_${markdownCell(`${verdictCountsText(table.rows)}. ${provenanceLines(table.provenance, table.status).join('; ')}`)}_`);
  }
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------
// LaTeX
// ---------------------------------------------------------------------------

/** Settings of tableToLatex. */
export interface LatexOptions {
  /** Caption text before the provenance sentence (default: what the table compares). */
  readonly caption?: string;
  /** \label key (default 'tab:reconciliation'). */
  readonly label?: string;
}

/** Characters special to LaTeX in text mode, and their text-mode spellings. */
const LATEX_SPECIALS: Readonly<Record<string, string>> = {
  '\\': '\\textbackslash{}',
  '&': '\\&',
  '%': '\\%',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '{': '\\{',
  '}': '\\}',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
  // In the default OT1 font encoding < > | print as other glyphs.
  '<': '\\textless{}',
  '>': '\\textgreater{}',
  '|': '\\textbar{}',
};

/** Unicode a pdflatex document without extra packages would reject. */
const LATEX_UNICODE: Readonly<Record<string, string>> = {
  '\u221e': '$\\infty$',
  '\u03b1': '$\\alpha$',
  '\u03b2': '$\\beta$',
  '\u2264': '$\\leq$',
  '\u2265': '$\\geq$',
  '\u00b1': '$\\pm$',
  '\u00d7': '$\\times$',
  '\u2212': '$-$',
  '\u2192': '$\\to$',
  '\u2248': '$\\approx$',
  '\u2013': '--',
  '\u2014': '---',
};

/** Text-mode LaTeX for arbitrary text: specials escaped, common Unicode math spelled out. */
export function escapeLatex(text: string): string {
  return [...text.replace(/\r?\n/g, ' ')].map((c) => LATEX_SPECIALS[c] ?? LATEX_UNICODE[c] ?? c).join('');
}

/** A number in math mode (a proper minus sign), '--' when missing. */
function latexNumber(value: number | null | undefined, decimals = DEFAULT_DECIMALS, signed = false): string {
  if (value === null || value === undefined) return '--';
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '$\\infty$' : '$-\\infty$';
  return `$${fixed(value, decimals, signed)}$`;
}

/** Decimals of a LaTeX fit: to the standard error's second digit, at most 4 (a page has no room for more; the CSV has all). */
const LATEX_MAX_DECIMALS = 4;

function latexWithStderr(value: number | null | undefined, stderr: number | null | undefined): string {
  if (value === null || value === undefined) return '--';
  const decimals = Math.min(LATEX_MAX_DECIMALS, decimalsForStderr(stderr));
  const floor = 0.5 * 10 ** -LATEX_MAX_DECIMALS;
  if (stderr !== null && stderr !== undefined && Number.isFinite(value) && Number.isFinite(stderr) && stderr < floor) {
    return `$${fixed(value, decimals)} \\pm {<}${fixed(2 * floor, LATEX_MAX_DECIMALS)}$`;
  }
  if (stderr === null || stderr === undefined) return latexNumber(value, decimals);
  if (!Number.isFinite(value) || !Number.isFinite(stderr)) return `${latexNumber(value, decimals)} $\\pm$ ${latexNumber(stderr, decimals)}`;
  return `$${fixed(value, decimals)} \\pm ${fixed(stderr, decimals)}$`;
}

function latexCompact(value: number): string {
  if (!Number.isFinite(value)) return latexNumber(value);
  const text = compact(value);
  const match = /^(-?[\d.]+)e(-?\d+)$/.exec(text);
  if (match === null) return `$${text}$`;
  return match[1] === '1' ? `$10^{${match[2]}}$` : `$${match[1]}\\times 10^{${match[2]}}$`;
}

/** A window end as a power of ten to one decimal of the exponent: $10^{4.2}$ (narrow enough for a page). */
function latexDecade(value: number): string {
  if (!(value > 0) || !Number.isFinite(value)) return latexNumber(value);
  const exponent = Number(Math.log10(value).toFixed(1));
  return `$10^{${exponent}}$`;
}

/** A closed form or paper value to at most 4 decimals without trailing zeros ($-0.5$, $-0.4167$). */
function latexShort(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return latexNumber(value);
  return `$${String(Number(value.toFixed(DEFAULT_DECIMALS)))}$`;
}

/** Short law names for the LaTeX table (the ids are in the Markdown, CSV and JSON). */
const LATEX_LAW_NAMES: Readonly<Record<string, string>> = {
  time: 'time $t$',
  width: 'width $N$',
  width_bias: 'bias vs $N$',
  data: 'data $P$',
  compute_optimal_loss: '$L^*(C)$',
  compute_optimal_N: '$N^*(C)$',
  compute_optimal_t: '$t^*(C)$',
  early_finite_N: 'early vs $N$',
  crossover_t: '$t_\\times(N)$',
  early_finite_P: 'early gap',
  gap_static: 'gap, $t=\\infty$',
  gap_growth: 'gap vs $t$',
};

/**
 * Booktabs tables ready to paste (needs \usepackage{booktabs}): one table per
 * (a, b) case, so that each fits a page (a single table of a whole sweep
 * overflows it), with a provenance % comment block above, a caption with the
 * case, the tool, status, tolerance and verdict counts, and disagreements in
 * bold. The closed form's text, the quantity and the note are left to the
 * Markdown and CSV outputs (they do not fit a page width). Checked by
 * compiling with pdflatex in the tests: no overfull box.
 */
export function tableToLatex(table: ReconciliationTable, options: LatexOptions = {}): string {
  const show = optionalColumns(table.rows);
  const { provenance } = table;
  const columns: { head: string; align: 'l' | 'r' }[] = [
    { head: 'law', align: 'l' },
    { head: 'theory', align: 'r' },
    ...(show.paper ? [{ head: 'paper', align: 'r' as const }] : []),
    { head: 'DMFT fit', align: 'r' },
    { head: 'fit window', align: 'l' },
    ...(show.simulation ? [{ head: 'simulation', align: 'r' as const }] : []),
    { head: 'diff.', align: 'r' },
    { head: 'verdict', align: 'l' },
  ];
  const cases: { a: number; b: number; rows: ReconciliationRow[] }[] = [];
  for (const row of table.rows) {
    const last = cases[cases.length - 1];
    if (last !== undefined && last.a === row.a && last.b === row.b) last.rows.push(row);
    else cases.push({ a: row.a, b: row.b, rows: [row] });
  }
  const captionText = options.caption ?? 'Scaling exponents: closed form (theory) against the fit to the DMFT numerics (diff.\\ = fit $-$ theory)';
  // Each case's caption carries that case's status (the table's is the worst over all cases).
  const statusNote = (a: number, b: number) => {
    const status = table.caseStatuses?.find((c) => c.a === a && c.b === b)?.status ?? table.status;
    return status === 'converged' ? '' : ` Solver status: \\textbf{${escapeLatex(status)}}.`;
  };
  const seeds = provenance.seeds ?? null;
  const seedNote = seeds === null ? '' : ` Simulation seed ${seeds.seed}, ${seeds.seeds} seeds.`;
  const label = options.label ?? 'tab:reconciliation';
  // A comment line ends at the newline: provenance values are single-line JSON, so nothing escapes the comment.
  const comments = [
    `Generated by ${provenance.tool.name} ${provenance.tool.version} (tableToLatex); regenerate rather than edit.`,
    'Requires \\usepackage{booktabs}. One table per (a, b) case.',
    ...provenanceLines(provenance, table.status),
  ].map((l) => `% ${l.replace(/\r?\n/g, ' ')}`);
  const blocks = cases.map(({ a, b, rows: caseRows }) => {
    const body = caseRows.map((row) => {
      // \textbf does not embolden math: numbers (in $...$) need \boldmath, set before the math starts.
      const bold = (text: string) => (row.verdict !== 'disagree' || text === '--' ? text : text.includes('$') ? `{\\bfseries\\boldmath ${text}}` : `\\textbf{${text}}`);
      const window = row.window === null ? '--' : `${latexDecade(row.window.from)}--${latexDecade(row.window.to)}`;
      const cells = [
        LATEX_LAW_NAMES[row.id] ?? `\\texttt{${escapeLatex(row.id)}}`,
        latexShort(row.closedForm),
        ...(show.paper ? [row.paper === undefined ? '--' : latexShort(row.paper.exponent)] : []),
        bold(latexWithStderr(row.fitted, row.stderr)),
        window,
        ...(show.simulation ? [latexWithStderr(row.simulationFitted, row.simulationStderr)] : []),
        bold(latexNumber(row.difference, DEFAULT_DECIMALS, true)),
        bold(escapeLatex(VERDICT_WORDS[row.verdict])),
      ];
      return `    ${cells.join(' & ')} \\\\`;
    });
    const caption =
      `${captionText}, $(a, b) = (${compact(a)}, ${compact(b)})$; tolerance ${latexCompact(caseRows[0].tolerance)}. ` +
      `${escapeLatex(verdictCountsText(caseRows))}.${statusNote(a, b)}` +
      ` Generated by ${escapeLatex(`${provenance.tool.name} ${provenance.tool.version}`)} on ${escapeLatex(provenance.generated)}.${seedNote}`;
    return [
      '\\begin{table}[tbp]',
      '  \\centering',
      '  \\footnotesize',
      '  \\setlength{\\tabcolsep}{3pt}',
      `  \\caption{${caption}}`,
      `  \\label{${escapeLatex(`${label}-a${a}-b${b}`)}}`,
      `  \\begin{tabular}{${columns.map((c) => c.align).join('')}}`,
      '    \\toprule',
      `    ${columns.map((c) => c.head).join(' & ')} \\\\`,
      '    \\midrule',
      ...body,
      '    \\bottomrule',
      '  \\end{tabular}',
      '\\end{table}',
    ].join('\n');
  });
  return [...comments, ...blocks.flatMap((block) => [block, '']) ].join('\n');
}

// ---------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------

/** CSV columns, fixed whatever the rows hold (a stable schema for scripts). */
export const CSV_COLUMNS = [
  'a', 'b', 'id', 'quantity', 'variable', 'closed_form_text', 'closed_form', 'paper_text', 'paper',
  'fitted', 'stderr', 'window_from', 'window_to', 'window_points', 'simulation_fitted', 'simulation_stderr',
  'difference', 'tolerance', 'verdict', 'fit_status', 'note',
] as const;

function csvNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) return '';
  // String() round-trips a double exactly (shortest representation).
  return Number.isFinite(value) ? String(value) : nonFiniteWord(value);
}

/** RFC 4180 quoting; a field starting with '#' is quoted too so that no data line reads as a comment. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) || text.startsWith('#') ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A provenance line as a comment that is also one valid CSV field: '#' first
 * (pandas: comment='#'), and no comma, quote or line break, which would split
 * or quote the field. Those three are percent-encoded (%2C, %22, %0A; '%'
 * itself as %25), so the JSON reads back with decodeURIComponent.
 */
function csvComment(line: string): string {
  return `# ${line.replace(/%/g, '%25').replace(/,/g, '%2C').replace(/"/g, '%22').replace(/\r?\n/g, '%0A')}`;
}

/**
 * CSV per RFC 4180 (CRLF line ends, quoted fields where needed), full-precision
 * numbers, empty fields for missing values, and the provenance as leading '#'
 * comment lines, each a single valid CSV field (pandas: read_csv(..., comment='#')).
 */
export function tableToCsv(table: ReconciliationTable): string {
  const comments = provenanceLines(table.provenance, table.status).map(csvComment);
  const records = table.rows.map((row) => [
    csvNumber(row.a), csvNumber(row.b), row.id, row.quantity, row.variable, row.closedFormText, csvNumber(row.closedForm),
    row.paper?.text ?? '', csvNumber(row.paper?.exponent), csvNumber(row.fitted), csvNumber(row.stderr),
    csvNumber(row.window?.from), csvNumber(row.window?.to), csvNumber(row.window?.points),
    csvNumber(row.simulationFitted), csvNumber(row.simulationStderr),
    csvNumber(row.difference), csvNumber(row.tolerance), row.verdict, row.fitStatus, row.note,
  ]);
  const lines = [...comments, CSV_COLUMNS.join(','), ...records.map((r) => r.map(csvField).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

// ---------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------

/** A row in JSON: the contract fields first (docs/outputs.md), then every other field of the row. */
export type JsonRow = Record<string, unknown> & {
  id: string;
  closedForm: number | string | null;
  fitted: number | string | null;
  stderr: number | string | null;
  window: FitWindow | null;
  difference: number | string | null;
  tolerance: number | string;
  verdict: Verdict;
};

/** The JSON form of a reconciliation table. */
export interface ReconciliationJson {
  rows: JsonRow[];
  provenance: Record<string, unknown>;
  status: string;
  /** Rows per verdict (a quick check that nothing disagreed). */
  verdicts: Record<Verdict, number>;
}

/** The JSON object of a table (the JSON contract of docs/outputs.md); non-finite numbers as 'inf' / '-inf' / 'NaN'. */
export function tableToJson(table: ReconciliationTable): ReconciliationJson {
  const rows = table.rows.map((row) => {
    const { id, closedForm, fitted, stderr, window, difference, tolerance, verdict, ...rest } = row;
    return sanitizeForJson({ id, closedForm, fitted, stderr, window, difference, tolerance, verdict, ...rest }) as JsonRow;
  });
  return {
    rows,
    provenance: sanitizeForJson(table.provenance) as Record<string, unknown>,
    status: table.status,
    verdicts: countVerdicts(table.rows),
  };
}

/** tableToJson as text (2-space indent, trailing newline). */
export function tableToJsonText(table: ReconciliationTable): string {
  return `${JSON.stringify(tableToJson(table), null, 2)}\n`;
}

// ---------------------------------------------------------------------------
// Terminal summary
// ---------------------------------------------------------------------------

/** Settings of tableSummary. */
export interface SummaryOptions {
  /** ASCII marks instead of Unicode ones, for terminals or logs without UTF-8 (default false). */
  readonly ascii?: boolean;
}

/** What a status other than converged means for the numbers behind the table (src/core/solution.ts). */
const STATUS_MEANING: Readonly<Record<Status, string>> = {
  converged: '',
  unverified: ': a check of some solves exceeded its tolerance',
  below_error_estimate: ': some losses were below their own error estimate (far below L(0); their size is not known)',
  max_iter: ': some solves ran out of iterations',
  singularity_right_of_contour: ': some transforms were not analytic right of the contour',
  non_finite: ': some values were not finite',
  unstable: ': some dynamics diverge',
};

const MARKS: Readonly<Record<'unicode' | 'ascii', Readonly<Record<Verdict, string>>>> = {
  unicode: { agree: '\u2713', disagree: '\u2717', boundary: '~', no_fit: '?', no_closed_form: '\u00b7' },
  ascii: { agree: 'ok', disagree: 'XX', boundary: '~', no_fit: '?', no_closed_form: '.' },
};

/**
 * One line per (a, b), one column per law id, a verdict mark in each cell
 * (blank: not measured), a legend line, then one plain line per disagreement
 * with both values, so that a disagreement is read, not deciphered.
 */
export function tableSummary(table: ReconciliationTable, options: SummaryOptions = {}): string {
  const marks = MARKS[(options.ascii ?? false) ? 'ascii' : 'unicode'];
  const laws: string[] = [];
  const cases: string[] = [];
  const cell = new Map<string, Verdict>();
  for (const row of table.rows) {
    const ab = rowText(row).ab;
    if (!laws.includes(row.id)) laws.push(row.id);
    if (!cases.includes(ab)) cases.push(ab);
    const key = `${ab}\u0000${row.id}`;
    const previous = cell.get(key);
    // Two rows for one law and case (should not happen): keep the worse verdict.
    if (previous === undefined || row.verdict === 'disagree') cell.set(key, row.verdict);
  }
  const firstWidth = Math.max('(a, b)'.length, ...cases.map((c) => c.length));
  const widths = laws.map((l) => Math.max(l.length, 2));
  const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - [...text].length));
  const lines = [[pad('(a, b)', firstWidth), ...laws.map((l, i) => pad(l, widths[i]))].join('  ').trimEnd()];
  for (const ab of cases) {
    const cells = laws.map((law, i) => {
      const verdict = cell.get(`${ab}\u0000${law}`);
      return pad(verdict === undefined ? '' : marks[verdict], widths[i]);
    });
    lines.push([pad(ab, firstWidth), ...cells].join('  ').trimEnd());
  }
  lines.push(
    '',
    `${marks.agree} agree  ${marks.disagree} DISAGREE  ${marks.boundary} boundary (drifting toward the closed form: log correction)  ${marks.no_fit} no fit  ${marks.no_closed_form} no closed form  (blank: not measured)`,
  );
  if (table.status !== 'converged') {
    const sources = table.statusSources ?? [];
    lines.push(`solver status: ${table.status}${sources.length > 0 ? ` (from ${sources.join('; ')})` : ''}${STATUS_MEANING[table.status]}`);
  }
  for (const row of table.rows.filter((r) => r.verdict === 'disagree')) {
    const text = rowText(row, '+-');
    lines.push(
      `DISAGREE ${row.id} at (a, b) = ${text.ab}: closed form ${text.closedForm} (${row.closedFormText}), ` +
        `DMFT fit ${text.fitted}, difference ${text.difference}, tolerance ${text.tolerance}` +
        (row.paper === undefined ? '' : `; paper ${text.paper} (${row.paper.text})`),
    );
  }
  for (const row of table.rows.filter((r) => r.verdict === 'boundary')) {
    const text = rowText(row, '+-');
    const reason = row.note.split('; ').find((part) => part.startsWith('near the boundary')) ?? '';
    lines.push(`boundary ${row.id} at (a, b) = ${text.ab}: closed form ${text.closedForm}, DMFT fit ${text.fitted}, difference ${text.difference}; ${reason}`);
  }
  return `${lines.join('\n')}\n`;
}

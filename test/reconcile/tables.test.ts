/**
 * Tables: "a LaTeX table has balanced environments and one row per
 * case", and the Markdown / CSV / JSON / summary contracts of tables.ts.
 */
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import {
  CSV_COLUMNS,
  decimalsForStderr,
  escapeLatex,
  tableSummary,
  tableToCsv,
  tableToJson,
  tableToJsonText,
  tableToLatex,
  tableToMarkdown,
} from '../../src/reconcile/tables.js';
import type { ReconciliationRow, ReconciliationTable } from '../../src/reconcile/types.js';
import { buildTable } from '../../src/reconcile/report.js';
import type { CaseResult } from '../../src/reconcile/reconcile.js';

function row(overrides: Partial<ReconciliationRow>): ReconciliationRow {
  return {
    id: 'time',
    a: 1.5,
    b: 1.25,
    quantity: 'test loss vs t at N = inf, P = inf',
    variable: 't',
    closedForm: -0.4,
    closedFormText: '-(a-1)/b',
    fitted: -0.40123,
    stderr: 0.0032,
    window: { from: 10, to: 1e4, points: 25 },
    difference: -0.00123,
    tolerance: 0.02,
    verdict: 'agree',
    fitStatus: 'converged',
    note: '',
    ...overrides,
  };
}

/** Three cases, five rows: an agreement, a disagreement with a paper value, no fit, no closed form, an id with '_'. */
const TABLE: ReconciliationTable = {
  rows: [
    row({}),
    row({
      id: 'width_bias',
      quantity: 'bias vs N at t = inf | P = inf',
      closedForm: -0.5,
      closedFormText: '-min(a-1, b)',
      paper: { exponent: -1.25, text: '-b' },
      fitted: -0.38,
      stderr: 0.011,
      difference: 0.12,
      verdict: 'disagree',
      note: 'regime a-1 < b: 50% of "the paper" & #1 ~ ^ {x}',
    }),
    row({ a: 2, b: 1, id: 'data', fitted: null, stderr: null, window: null, difference: null, verdict: 'no_fit', fitStatus: 'no_asymptotic_window' }),
    row({ a: 2, b: 1, id: 'compute_optimal_loss', closedForm: null, closedFormText: 'unsupported', difference: null, verdict: 'no_closed_form' }),
    row({ a: 1.15, b: 2, fitted: -0.075, stderr: 0.0004, difference: 0.0, simulationFitted: -0.08, simulationStderr: 0.01 }),
  ],
  provenance: {
    tool: { name: 'scaling-dmft', version: '0.1.0' },
    generated: '2026-11-24T15:00:00Z',
    parameters: { a: [1.5, 2, 1.15], P: Infinity, note: 'line one\nline two' },
    solver: { method: 'talbot', nodes: 32 },
    seeds: { seed: 7, seeds: 16 },
  },
  status: 'converged',
};

/** Checks that braces balance outside escaped \{ \} and outside % comments; returns the first problem or null. */
function braceProblem(tex: string): string | null {
  let depth = 0;
  for (const line of tex.split('\n')) {
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (c === '\\') {
        i += 1; // skip the escaped character (\{, \}, \%, \\ ...)
        continue;
      }
      if (c === '%') break;
      if (c === '{') depth += 1;
      if (c === '}') depth -= 1;
      if (depth < 0) return `unmatched } in: ${line}`;
    }
  }
  return depth === 0 ? null : `${depth} unclosed {`;
}

/** Math-mode $ must pair up on every line (outside comments and \$). */
function unpairedDollarLine(tex: string): string | null {
  for (const line of tex.split('\n')) {
    if (line.startsWith('%')) continue;
    const dollars = line.replace(/\\\$/g, '').split('$').length - 1;
    if (dollars % 2 !== 0) return line;
  }
  return null;
}

function environmentStackProblem(tex: string): string | null {
  const stack: string[] = [];
  for (const match of tex.matchAll(/\\(begin|end)\{([^}]*)\}/g)) {
    if (match[1] === 'begin') stack.push(match[2]);
    else if (stack.pop() !== match[2]) return `\\end{${match[2]}} does not close the innermost environment`;
  }
  return stack.length === 0 ? null : `unclosed: ${stack.join(', ')}`;
}

/** A small RFC 4180 reader (quotes, doubled quotes, CRLF), skipping leading '#' comment lines. */
function parseCsv(text: string): { comments: string[]; records: string[][] } {
  const comments: string[] = [];
  let rest = text;
  while (rest.startsWith('#')) {
    const end = rest.indexOf('\r\n');
    comments.push(rest.slice(0, end));
    rest = rest.slice(end + 2);
  }
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i];
    if (quoted) {
      if (c === '"' && rest[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && rest[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 1;
    } else field += c;
  }
  if (field.length > 0 || record.length > 0) throw new Error('CSV does not end with CRLF');
  return { comments, records };
}

describe('tableToLatex', () => {
  const tex = tableToLatex(TABLE);

  it('has balanced \\begin/\\end environments (table, tabular) and booktabs rules in order', () => {
    expect(environmentStackProblem(tex)).toBeNull();
    expect(tex).toMatch(/\\begin\{table\}[\s\S]*\\begin\{tabular\}[\s\S]*\\toprule[\s\S]*\\midrule[\s\S]*\\bottomrule[\s\S]*\\end\{tabular\}[\s\S]*\\end\{table\}/);
  });

  it('has one table per (a, b) case, and exactly one data row per input row between \\midrule and \\bottomrule', () => {
    const tables = tex.split('\\begin{table}').slice(1);
    expect(tables).toHaveLength(new Set(TABLE.rows.map((r) => `${r.a},${r.b}`)).size);
    const dataRows = tables.flatMap((t) =>
      t.slice(t.indexOf('\\midrule') + '\\midrule'.length, t.indexOf('\\bottomrule')).split('\n').filter((l) => l.trim().endsWith('\\\\')),
    );
    expect(dataRows).toHaveLength(TABLE.rows.length);
    const columns = (tex.match(/\\begin\{tabular\}\{([lrc]+)\}/) ?? [])[1].length;
    const header = tex.split('\n').find((l) => l.includes('DMFT fit'));
    // Every row (and the header) has as many cells as the column spec.
    for (const line of [header ?? '', ...dataRows]) {
      expect(line.replace(/\\&/g, '').split('&')).toHaveLength(columns);
    }
  });

  it('escapes specials (the underscore in width_bias, & % # ~ ^ { } in text) and compiles in spirit', () => {
    expect(tex).toContain('bias vs $N$');
    expect(tableToLatex({ ...TABLE, rows: [{ ...TABLE.rows[0], id: 'new_law' }] })).toContain('\\texttt{new\\_law}');
    expect(tex).not.toMatch(/[^\\]width_bias/);
    expect(braceProblem(tex)).toBeNull();
    expect(unpairedDollarLine(tex)).toBeNull();
    expect(escapeLatex('50% & #1 ~ ^ {x} a_b \\ <'))
      .toBe('50\\% \\& \\#1 \\textasciitilde{} \\textasciicircum{} \\{x\\} a\\_b \\textbackslash{} \\textless{}');
    expect(escapeLatex('P = \u221e')).toBe('P = $\\infty$');
  });

  it('has math segments that KaTeX parses (no pdflatex here: the closest real parser at hand)', () => {
    const body = tex.split('\n').filter((l) => !l.startsWith('%')).join('\n').replace(/\\\$/g, '');
    const segments = [...body.matchAll(/\$([^$]*)\$/g)].map((m) => m[1]);
    expect(segments.length).toBeGreaterThan(20);
    for (const math of segments) expect(() => katex.renderToString(math, { throwOnError: true }), math).not.toThrow();
  });

  it('puts the disagreement in bold with both values, and verdicts as words', () => {
    const line = tex.split('\n').find((l) => l.includes('bias vs $N$')) ?? '';
    expect(line).toContain('\\textbf{DISAGREE}');
    expect(line).toContain('{\\bfseries\\boldmath $-0.380 \\pm 0.011$}');
    expect(line).toContain('{\\bfseries\\boldmath $+0.1200$}');
    expect(line).toContain('$-0.5$');
    expect(line).toContain('$-1.25$'); // the paper's value
    expect(tex).toContain('no fit');
    expect(tex).toContain('no closed form');
    expect(tex).not.toMatch(/no_fit|no_closed_form/);
  });

  it('carries provenance as a % comment block above the table and in the caption; comments stay single-line', () => {
    const before = tex.slice(0, tex.indexOf('\\begin{table}')).trimEnd().split('\n');
    expect(before.every((l) => l.startsWith('% '))).toBe(true);
    expect(before.join('\n')).toContain('"P":"inf"');
    expect(before.join('\n')).toContain('line one\\nline two'); // JSON-escaped newline, not a real one
    expect(tex).toMatch(/\\caption\{[^\n]*scaling-dmft 0\.1\.0[^\n]*2026-11-24[^\n]*seed 7, 16 seeds/);
    expect(tex).toMatch(/\\caption\{[^\n]*1 DISAGREE/);
  });

  it('prints exponents to the second significant digit of their standard error', () => {
    expect(decimalsForStderr(0.0032)).toBe(4);
    expect(decimalsForStderr(0.011)).toBe(3);
    expect(decimalsForStderr(0.0004)).toBe(5);
    expect(decimalsForStderr(null)).toBe(4);
    expect(decimalsForStderr(5)).toBe(2);
    expect(tex).toContain('$-0.4012 \\pm 0.0032$');
    // At most 4 decimals in LaTeX (the CSV and Markdown have every digit).
    expect(tex).toContain('$-0.0750 \\pm 0.0004$');
  });

  it('drops the paper and simulation columns when no row has them', () => {
    const plain = tableToLatex({ ...TABLE, rows: [TABLE.rows[0]] });
    expect(plain).toContain('\\begin{tabular}{lrrlrl}');
    expect(plain).not.toContain('paper');
    expect(plain).not.toContain('simulation fit');
  });
});

describe('tableToMarkdown', () => {
  const md = tableToMarkdown(TABLE);
  const tableLines = md.split('\n').filter((l) => l.startsWith('|'));

  it('has a header, a separator and one row per case, all with the same number of cells', () => {
    expect(tableLines).toHaveLength(TABLE.rows.length + 2);
    const cells = (l: string) => l.replace(/\\\|/g, '').split('|').length;
    for (const l of tableLines) expect(cells(l)).toBe(cells(tableLines[0]));
  });

  it('makes the disagreement bold, escapes pipes, and names verdicts in words', () => {
    const line = tableLines.find((l) => l.includes('width_bias')) ?? '';
    expect(line).toContain('**DISAGREE**');
    // Full precision: the shortest decimal that reads back to the same double.
    expect(line).toContain('**-0.38 \u00b1 0.011**');
    expect(line).toContain('**0.12**');
    expect(line).toContain('t = inf \\| P = inf');
    expect(md).toContain('| no fit |');
    expect(md).toContain('-0.08 \u00b1 0.01'); // simulation-fitted, full precision
    expect(line).toContain('10 to 10000 (25 pts)');
  });

  it('ends with a provenance line (verdict counts, tool, parameters, seeds)', () => {
    expect(md).toMatch(/_1 agree|_2 agree/);
    expect(md).toContain('1 DISAGREE');
    expect(md).toContain('scaling-dmft 0.1.0');
    expect(md).toContain('seed 7, 16 seeds');
    expect(tableToMarkdown(TABLE, { provenance: false })).not.toContain('scaling-dmft 0.1.0');
  });
});

describe('tableToCsv', () => {
  const csv = tableToCsv(TABLE);
  const { comments, records } = parseCsv(csv);

  it('parses back to one record per row plus the header, every record with every column', () => {
    expect(records).toHaveLength(TABLE.rows.length + 1);
    expect(records[0]).toEqual([...CSV_COLUMNS]);
    for (const r of records) expect(r).toHaveLength(CSV_COLUMNS.length);
  });

  it('round-trips quoted text and full-precision numbers', () => {
    const byId = records.slice(1).find((r) => r[2] === 'width_bias') ?? [];
    const col = (name: (typeof CSV_COLUMNS)[number]) => byId[CSV_COLUMNS.indexOf(name)];
    expect(col('note')).toBe(TABLE.rows[1].note);
    expect(col('closed_form_text')).toBe('-min(a-1, b)');
    expect(Number(col('fitted'))).toBe(-0.38);
    expect(col('verdict')).toBe('disagree');
    const noFit = records.slice(1).find((r) => r[2] === 'data') ?? [];
    expect(noFit[CSV_COLUMNS.indexOf('fitted')]).toBe('');
    expect(Number(records[1][CSV_COLUMNS.indexOf('difference')])).toBe(-0.00123);
  });

  it('writes provenance as leading # lines and uses CRLF line ends', () => {
    expect(comments.map((c) => c.split(':')[0])).toEqual(['# tool', '# generated', '# status', '# parameters', '# solver', '# seeds']);
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(csv.split('\r\n').length - 1).toBe(comments.length + records.length);
  });
});

describe('tableToJson', () => {
  it('round-trips through JSON text with the contract fields, and never writes Infinity or NaN tokens', () => {
    const weird: ReconciliationTable = {
      ...TABLE,
      rows: [...TABLE.rows, row({ id: 'width', fitted: Number.NaN, stderr: Infinity, difference: -Infinity, verdict: 'no_fit' })],
    };
    const text = tableToJsonText(weird);
    expect(text).not.toMatch(/\b(Infinity|NaN)\b(?!")/);
    const parsed = JSON.parse(text) as ReturnType<typeof tableToJson>;
    expect(parsed.rows).toHaveLength(weird.rows.length);
    for (const r of parsed.rows) {
      expect(Object.keys(r).slice(0, 8)).toEqual(['id', 'closedForm', 'fitted', 'stderr', 'window', 'difference', 'tolerance', 'verdict']);
      expect(r).toHaveProperty('a');
      expect(r).toHaveProperty('note');
    }
    expect(parsed.rows[0]).toMatchObject({ id: 'time', closedForm: -0.4, fitted: -0.40123, window: { from: 10, to: 1e4, points: 25 } });
    expect(parsed.rows[1].paper).toEqual({ exponent: -1.25, text: '-b' });
    expect(parsed.rows.at(-1)).toMatchObject({ fitted: 'NaN', stderr: 'inf', difference: '-inf' });
    expect(parsed.provenance).toMatchObject({ parameters: { P: 'inf' }, seeds: { seed: 7, seeds: 16 } });
    expect(parsed.status).toBe('converged');
    expect(parsed.verdicts).toEqual({ agree: 2, disagree: 1, boundary: 0, no_fit: 2, no_closed_form: 1 });
    expect(JSON.parse(JSON.stringify(tableToJson(weird)))).toEqual(parsed);
  });
});

describe('tableSummary', () => {
  it('has one line per (a, b), one column per law, and spells out each disagreement', () => {
    const text = tableSummary(TABLE);
    const lines = text.split('\n');
    expect(lines[0].split(/\s{2,}/)).toEqual(['(a, b)', 'time', 'width_bias', 'data', 'compute_optimal_loss']);
    expect(lines.slice(1, 4).map((l) => l.slice(0, l.indexOf(')') + 1))).toEqual(['(1.5, 1.25)', '(2, 1)', '(1.15, 2)']);
    expect(lines[1]).toMatch(/\u2713\s+\u2717/);
    expect(lines[2]).toMatch(/\?\s+\u00b7/);
    expect(text).toContain('DISAGREE width_bias at (a, b) = (1.5, 1.25): closed form -0.5000 (-min(a-1, b)), DMFT fit -0.380 +- 0.011');
    expect(tableSummary(TABLE, { ascii: true })).toMatch(/ok\s+XX/);
  });

  it('names where a solver status other than converged comes from, and what it means', () => {
    expect(tableSummary(TABLE)).not.toMatch(/solver status/);
    const converged = { status: 'converged' } as const;
    const cases = [
      { a: 1.5, b: 1.25, phase: 'a-1<b', rows: [], status: 'converged', elapsedMs: 0, measurements: { time: converged, gap: converged } },
      { a: 5, b: 1.25, phase: 'a-1>2b', rows: [], status: 'below_error_estimate', elapsedMs: 0, measurements: { time: converged, gap: { status: 'below_error_estimate' } } },
    ] as unknown as CaseResult[];
    const table = buildTable({ cases, parameters: {}, elapsedMs: 0, workers: 1 });
    expect(table.status).toBe('below_error_estimate');
    expect(tableSummary(table)).toContain(
      'solver status: below_error_estimate (from (5, 1.25) train-test gap measurements: below_error_estimate): some losses were below their own error estimate',
    );
  });
});

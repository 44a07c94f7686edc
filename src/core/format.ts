/**
 * Formatting of numbers and tables shared by the API's report formatters and
 * the CLI: full precision in tables (shortest round-trip text), 'inf' for
 * infinity in every format (JSON has no infinity; `null` would lose it), CSV
 * provenance comments that are themselves valid CSV records.
 */

/**
 * A number for CSV and Markdown: the shortest text that reads back as the
 * same double (String(x)), so no digit is lost; 'inf', '-inf', 'NaN' for the
 * non-finite values.
 */
export function fullPrecision(value: number): string {
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (Number.isNaN(value)) return 'NaN';
  return String(value);
}

/**
 * A number rounded for prose (summaries, the demo's ± cells), `digits`
 * significant digits; 'inf' for Infinity. Tables of results use
 * `fullPrecision`.
 */
export function fmt(value: number, digits = 6): string {
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (Number.isNaN(value)) return 'NaN';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  return magnitude >= 1e-3 && magnitude < 1e6 ? Number(value.toPrecision(digits)).toString() : value.toExponential(digits - 1);
}

/** A Markdown table from a header and rows of cells. */
export function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** One CSV cell with RFC 4180 quoting where needed. */
export function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV with RFC 4180 quoting where needed. */
export function csvTable(header: string[], rows: string[][]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\n');
}

/**
 * A provenance comment line for a CSV file: '#' then the text with commas
 * turned into '; ' and double quotes into single ones, so the line is a valid
 * one-field CSV record as well as a comment for readers that skip '#' lines
 * (pandas `comment='#'`, R `comment.char`).
 */
export function csvComment(text: string): string {
  // Commas and quotes would split or break the record: keep the line one plain field.
  return `# ${text.replace(/"/g, "'").replace(/,\s*/g, '; ').replace(/[\r\n]+/g, ' ')}`;
}

/**
 * A value as compact JSON with 'inf' for Infinity (for provenance lines of
 * Markdown output).
 */
export function compactJson(value: unknown): string {
  return JSON.stringify(value, jsonReplacer);
}

/**
 * A value as `key=value` pairs separated by '; ' (nested keys dotted, lists
 * space-separated, numbers at full precision, Infinity as 'inf'): provenance
 * for CSV comments, which must not contain commas or quotes.
 */
export function flatProvenance(value: unknown, prefix = ''): string {
  const pairs: string[] = [];
  const visit = (v: unknown, key: string): void => {
    if (v instanceof Float64Array || Array.isArray(v)) {
      const items = Array.from(v as ArrayLike<unknown>, (x) => (typeof x === 'number' ? fullPrecision(x) : typeof x === 'object' && x !== null ? compactJson(x) : String(x)));
      pairs.push(`${key}=[${items.join(' ')}]`);
    } else if (typeof v === 'object' && v !== null) {
      const entries = Object.entries(v);
      if (entries.length === 0) pairs.push(`${key}={}`);
      for (const [k, x] of entries) visit(x, key === '' ? k : `${key}.${k}`);
    } else if (typeof v === 'number') {
      pairs.push(`${key}=${fullPrecision(v)}`);
    } else {
      pairs.push(`${key}=${String(v)}`);
    }
  };
  visit(value, prefix);
  return pairs.join('; ').replace(/"/g, "'").replace(/,/g, ' ');
}

/** JSON with Infinity written as the string "inf" (JSON has no infinity). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, jsonReplacer, 2);
}

/** The replacer of `toJson`: Float64Arrays as arrays, +-Infinity as "inf"/"-inf", NaN as "NaN". */
export function jsonReplacer(_key: string, v: unknown): unknown {
  if (v instanceof Float64Array) return Array.from(v, (x) => (Number.isFinite(x) ? x : x > 0 ? 'inf' : Number.isNaN(x) ? 'NaN' : '-inf'));
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'inf' : '-inf';
  return v;
}

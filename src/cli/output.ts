/**
 * Writing command output: to stdout, or to a file written whole (temporary file
 * then rename) so that a failure never leaves a partial output file.
 */
import { renameSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';

export function emit(text: string, outPath?: string): void {
  const body = text.endsWith('\n') ? text : `${text}\n`;
  if (outPath === undefined) {
    process.stdout.write(body);
    return;
  }
  const temporary = join(dirname(outPath), `.${basename(outPath)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, body);
    renameSync(temporary, outPath);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** Number formatting for tables: 6 significant digits, 'inf' for Infinity. */
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

/** CSV with RFC 4180 quoting where needed. */
export function csvTable(header: string[], rows: string[][]): string {
  const cell = (text: string) => (/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\n');
}

/** JSON with Infinity written as the string "inf" (JSON has no infinity). */
export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (v instanceof Float64Array) return Array.from(v, (x) => (Number.isFinite(x) ? x : x > 0 ? 'inf' : Number.isNaN(x) ? 'NaN' : '-inf'));
      if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'inf' : '-inf';
      return v;
    },
    2,
  );
}

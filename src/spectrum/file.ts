/**
 * Reading a custom spectrum from a CSV or JSON file.
 *
 * CSV: two columns, eigenvalue then task power, one mode per line; '#'
 * comments; an optional header line, accepted only when every one of its
 * fields is non-numeric (e.g. `lambda,c`) and recorded in the spectrum's
 * provenance (`header`). A first row with some numeric fields is a data row
 * with a typo and is reported, never dropped as a header (that would
 * silently lose the top mode).
 * JSON: {"lambda": [...], "c": [...]} or [{"lambda": x, "c": y}, ...].
 */
import { InvalidArgumentError } from '../core/errors.js';
import { readInputText } from '../core/files.js';
import { customSpectrum, type CustomSpectrum } from './spectrum.js';

/** Parses spectrum text (CSV or JSON, see the module comment); `source` names it in errors and provenance. */
export function parseSpectrumText(text: string, source: string, format: 'csv' | 'json'): CustomSpectrum {
  return format === 'json' ? parseJson(text, source) : parseCsv(text, source);
}

/**
 * Reads a spectrum file (CSV, or JSON when the name ends in .json): a regular
 * file of at most `maxBytes` (an endless stream such as /dev/zero is refused,
 * core/files.ts); `raise` says how to lift the limit. Errors throw
 * InvalidArgumentError naming `spectrum <path> (line n)` and the bad text.
 */
export function loadSpectrumFile(path: string, maxBytes?: number, raise?: string): CustomSpectrum {
  const text = readInputText('spectrum', path, maxBytes, raise);
  const format = path.toLowerCase().endsWith('.json') ? 'json' : 'csv';
  return parseSpectrumText(text, path, format);
}

function isNumericField(field: string): boolean {
  return field !== '' && !Number.isNaN(Number(field));
}

function parseCsv(text: string, source: string): CustomSpectrum {
  const lambda: number[] = [];
  const c: number[] = [];
  const lines = text.split(/\r?\n/);
  let header: string[] | undefined;
  let sawRow = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/#.*/, '').trim();
    if (line === '') continue;
    const fields = line.split(/\s*[,;\t ]\s*/);
    const where = `spectrum ${source} (line ${i + 1})`;
    if (!sawRow) {
      sawRow = true;
      if (fields.every((f) => !isNumericField(f))) {
        header = fields; // a header: no field is a number
        continue;
      }
      const bad = fields.find((f) => !isNumericField(f));
      if (bad !== undefined) {
        throw new InvalidArgumentError(
          where,
          `is neither a header (every field non-numeric) nor a data row: field ${JSON.stringify(bad)} is not a number`,
          line,
        );
      }
    }
    if (fields.length !== 2) {
      throw new InvalidArgumentError(where, 'must have exactly two columns: lambda, c', line);
    }
    const [l, ck] = fields.map((f) => (isNumericField(f) ? Number(f) : Number.NaN));
    if (!Number.isFinite(l) || l <= 0) {
      throw new InvalidArgumentError(where, 'eigenvalue must be a positive finite number', fields[0]);
    }
    if (!Number.isFinite(ck) || ck < 0) {
      throw new InvalidArgumentError(where, 'task power must be a non-negative finite number', fields[1]);
    }
    lambda.push(l);
    c.push(ck);
  }
  if (lambda.length === 0) throw new InvalidArgumentError(`spectrum ${source}`, 'has no data rows');
  return customSpectrum(lambda, c, source, header);
}

function parseJson(text: string, source: string): CustomSpectrum {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InvalidArgumentError(`spectrum ${source}`, `is not valid JSON (${(error as Error).message})`);
  }
  if (Array.isArray(data)) {
    const lambda: unknown[] = [];
    const c: unknown[] = [];
    data.forEach((row, i) => {
      if (typeof row !== 'object' || row === null) {
        throw new InvalidArgumentError(`spectrum ${source} (row ${i + 1})`, 'must be an object {lambda, c}', row);
      }
      lambda.push((row as Record<string, unknown>).lambda);
      c.push((row as Record<string, unknown>).c);
    });
    return customSpectrum(lambda as number[], c as number[], source);
  }
  if (typeof data === 'object' && data !== null) {
    const { lambda, c } = data as Record<string, unknown>;
    if (!Array.isArray(lambda)) throw new InvalidArgumentError(`spectrum ${source}`, 'must have an array "lambda"');
    if (!Array.isArray(c)) throw new InvalidArgumentError(`spectrum ${source}`, 'must have an array "c"');
    return customSpectrum(lambda as number[], c as number[], source);
  }
  throw new InvalidArgumentError(`spectrum ${source}`, 'must be an object {lambda: [...], c: [...]} or a list of {lambda, c}');
}

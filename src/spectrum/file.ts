/**
 * Reading a custom spectrum from a CSV or JSON file.
 *
 * CSV: two columns, eigenvalue then task power, one mode per line; an optional
 * header line (any non-numeric first line, e.g. `lambda,c`); '#' comments.
 * JSON: {"lambda": [...], "c": [...]} or [{"lambda": x, "c": y}, ...].
 */
import { readFileSync } from 'node:fs';
import { InvalidArgumentError } from '../core/errors.js';
import { customSpectrum, type CustomSpectrum } from './spectrum.js';

export function parseSpectrumText(text: string, source: string, format: 'csv' | 'json'): CustomSpectrum {
  return format === 'json' ? parseJson(text, source) : parseCsv(text, source);
}

export function loadSpectrumFile(path: string): CustomSpectrum {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InvalidArgumentError('spectrum', `file cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, path);
  }
  const format = path.toLowerCase().endsWith('.json') ? 'json' : 'csv';
  return parseSpectrumText(text, path, format);
}

function parseCsv(text: string, source: string): CustomSpectrum {
  const lambda: number[] = [];
  const c: number[] = [];
  const lines = text.split(/\r?\n/);
  let sawData = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/#.*/, '').trim();
    if (line === '') continue;
    const fields = line.split(/\s*[,;\t ]\s*/);
    const numeric = fields.every((f) => f !== '' && !Number.isNaN(Number(f)));
    if (!sawData && !numeric) continue; // header line
    sawData = true;
    if (fields.length !== 2) {
      throw new InvalidArgumentError(`spectrum ${source} (line ${i + 1})`, 'must have exactly two columns: lambda, c', line);
    }
    const [l, ck] = fields.map(Number);
    if (!Number.isFinite(l) || l <= 0) {
      throw new InvalidArgumentError(`spectrum ${source} (line ${i + 1})`, 'eigenvalue must be a positive finite number', fields[0]);
    }
    if (!Number.isFinite(ck) || ck < 0) {
      throw new InvalidArgumentError(`spectrum ${source} (line ${i + 1})`, 'task power must be a non-negative finite number', fields[1]);
    }
    lambda.push(l);
    c.push(ck);
  }
  if (lambda.length === 0) throw new InvalidArgumentError(`spectrum ${source}`, 'has no data rows');
  return customSpectrum(lambda, c, source);
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

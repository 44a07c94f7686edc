/**
 * Paper-ready output: CSV and Markdown carry every digit (the shortest text
 * that reads back as the same double), t = inf is written 'inf' (never null)
 * in every format including the provenance, and CSV provenance comments are
 * valid one-field CSV records.
 */
import { describe, expect, it } from 'vitest';
import { csvComment, flatProvenance, fullPrecision, toJson } from '../../src/core/format.js';
import { cli } from './helpers.js';

const ARGS = ['curve', '--a', '1.5', '--b', '1.25', '--N', '64', '--P', '128', '--sigma', '0.1', '--t', '0,0.3,7,1e3,inf'];

/** RFC 4180 fields of one record (quoted fields, doubled quotes); throws on a malformed record. */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= line.length) throw new Error(`unterminated quote in ${line}`);
        if (line[i] === '"' && line[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else value += line[i++];
      }
      if (i < line.length && line[i] !== ',') throw new Error(`text after a closing quote in ${line}`);
      fields.push(value);
      i++;
    } else {
      const end = line.indexOf(',', i);
      const value = end === -1 ? line.slice(i) : line.slice(i, end);
      if (value.includes('"')) throw new Error(`quote inside an unquoted field in ${line}`);
      fields.push(value);
      i = end === -1 ? line.length + 1 : end + 1;
    }
  }
  return fields;
}

describe('number formatting', () => {
  it('fullPrecision round-trips every double and writes inf, -inf, NaN', () => {
    for (const x of [0.1 + 0.2, Math.PI, 1 / 3, 5e-324, 1.7976931348623157e308, -2.5e-17, 123456789.123456789]) {
      expect(Number(fullPrecision(x))).toBe(x);
    }
    expect([Infinity, -Infinity, Number.NaN].map(fullPrecision)).toEqual(['inf', '-inf', 'NaN']);
  });

  it('CSV comments have no comma or quote, so each is one CSV field; provenance writes inf', () => {
    const line = csvComment(`parameters: ${flatProvenance({ t: [1, Infinity], s: { a: 1.5, note: 'x, "y"' } })}`);
    expect(line).toBe("# parameters: t=[1 inf]; s.a=1.5; s.note=x  'y'");
    expect(csvFields(line)).toHaveLength(1);
    expect(toJson({ t: [1, Infinity], u: Float64Array.of(Infinity) })).not.toMatch(/null/);
  });
});

describe('curve outputs keep full precision and write t = inf as inf', () => {
  it('CSV and Markdown cells equal the JSON values exactly', async () => {
    const json = JSON.parse((await cli(...ARGS, '--format', 'json')).stdout);
    const csv = (await cli(...ARGS, '--format', 'csv')).stdout.trim().split('\n');
    const md = (await cli(...ARGS, '--format', 'md')).stdout.trim().split('\n');
    const csvRows = csv.filter((l) => !l.startsWith('#'));
    const header = csvRows[0].split(',');
    const mdRows = md.filter((l) => l.startsWith('| ') && !l.startsWith('| t ') && !l.startsWith('| ---'));
    expect(csvRows).toHaveLength(6);
    expect(mdRows).toHaveLength(5);
    const read = (cell: string) => (cell === 'inf' ? 'inf' : Number(cell));
    for (const key of ['t', 'test', 'train', 'bias', 'gap']) {
      const col = header.indexOf(key);
      const fromCsv = csvRows.slice(1).map((row) => read(row.split(',')[col]));
      const fromMd = mdRows.map((row) => read(row.slice(2, -2).split(' | ')[col]));
      expect(fromCsv, key).toEqual(json[key]);
      expect(fromMd, key).toEqual(json[key]);
    }
    // At least one value needs more than 6 significant digits (the former rounding).
    expect(csvRows.slice(1).some((row) => row.split(',').some((cell) => /\d{9,}/.test(cell)))).toBe(true);
  });

  it('t = inf is inf in the provenance of every format, never null; CSV comment lines are valid CSV', async () => {
    const csv = (await cli(...ARGS, '--format', 'csv')).stdout;
    const md = (await cli(...ARGS, '--format', 'md')).stdout;
    const json = (await cli(...ARGS, '--format', 'json')).stdout;
    for (const text of [csv, md, json]) expect(text).not.toMatch(/null,|\[null|null\]/);
    expect(csv).toMatch(/^# parameters: .*t=\[0 0\.3 7 1000 inf\]/m);
    expect(md).toMatch(/^> parameters: .*"t":\[0,0\.3,7,1000,"inf"\]/m);
    expect(JSON.parse(json).parameters.t).toEqual([0, 0.3, 7, 1000, 'inf']);
    for (const line of csv.trim().split('\n')) {
      if (line.startsWith('#')) expect(csvFields(line), line).toHaveLength(1);
      else expect(csvFields(line).length).toBeGreaterThan(5);
    }
  });
});

/**
 * Reading numeric arrays from the files a user hands over: CSV, JSON and
 * NumPy .npy / .npz. Written here rather than taken from a package: the .npy
 * header is a short Python-literal dict and the .npz a zip of .npy members
 * (stored, or deflated: node:zlib inflates raw deflate), so a reader of our
 * own is about 200 lines with exact, argument-naming errors, where the npm
 * packages we looked at either parse .npy only or pull in a zip library for
 * a few dozen lines of central-directory parsing.
 *
 * Every failure is an InvalidArgumentError naming the flag (or argument) the
 * file came from, the file, and where in it (line and column, array key).
 * Files larger than the caller's byte limit are refused before they are read.
 */
import { inflateRawSync } from 'node:zlib';
import { InvalidArgumentError } from '../core/errors.js';
import { inputText, readInputFile } from '../core/files.js';

/** A numeric array read from a file: row-major data with its shape (1-D or 2-D). */
export interface NumericArray {
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

export type ArrayFormat = 'csv' | 'json' | 'npy' | 'npz';

/** The format a file name implies (.npy, .npz, .json; everything else is read as CSV/text). */
export function formatOfPath(path: string): ArrayFormat {
  const lower = path.toLowerCase();
  if (lower.endsWith('.npy')) return 'npy';
  if (lower.endsWith('.npz')) return 'npz';
  if (lower.endsWith('.json')) return 'json';
  return 'csv';
}

/**
 * Reads a whole file, refusing what is not a regular file (an endless stream
 * such as /dev/zero, a pipe, a device) and a file larger than maxBytes (the
 * size guard names the limit and `raise`, how to lift it); core/files.ts.
 */
export function readFileGuarded(flag: string, path: string, maxBytes: number, raise?: string): Uint8Array {
  return readInputFile(flag, path, maxBytes, raise);
}

// ---------------------------------------------------------------------------
// CSV / text

/**
 * CSV or whitespace-separated text: one sample per line, cells separated by
 * commas, semicolons, tabs or spaces; '#' starts a comment; a first line with
 * a non-numeric cell is a header. Ragged rows, empty or non-numeric cells and
 * NaN or infinite values are errors naming the line and column.
 */
export function parseCsvArray(text: string, flag: string, source: string): NumericArray {
  const lines = text.split(/\r?\n/);
  const values: number[] = [];
  let cols = -1;
  let rows = 0;
  let firstDataLine = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/#.*/, '').trim();
    if (line === '') continue;
    const cells = line.split(/\s*[,;\t]\s*|\s+/);
    if (rows === 0 && cols === -1 && cells.every((c) => c !== '' && !isNumberText(c) && !isNanText(c))) {
      cols = -2; // header seen; the next line is data
      continue;
    }
    if (cols < 0) {
      cols = cells.length;
      firstDataLine = i + 1;
    }
    if (cells.length !== cols) {
      throw new InvalidArgumentError(
        `${flag} ${source} (line ${i + 1})`,
        `has ${cells.length} columns where line ${firstDataLine} has ${cols} (ragged rows)`,
        line.length > 40 ? `${line.slice(0, 37)}...` : line,
      );
    }
    for (let j = 0; j < cells.length; j++) values.push(parseCell(cells[j], flag, source, `line ${i + 1}, column ${j + 1}`));
    rows++;
  }
  if (rows === 0) throw new InvalidArgumentError(`${flag} ${source}`, 'has no data rows');
  return { shape: cols === 1 ? [rows] : [rows, cols], data: Float64Array.from(values) };
}

function isNumberText(cell: string): boolean {
  return cell.trim() !== '' && !Number.isNaN(Number(cell));
}

function isNanText(cell: string): boolean {
  return /^[+-]?nan$/i.test(cell.trim());
}

function parseCell(cell: string, flag: string, source: string, where: string): number {
  if (cell === '') throw new InvalidArgumentError(`${flag} ${source} (${where})`, 'is an empty cell');
  if (isNanText(cell)) throw new InvalidArgumentError(`${flag} ${source} (${where})`, 'is NaN (missing values are not allowed)', cell);
  const value = Number(cell);
  if (Number.isNaN(value)) throw new InvalidArgumentError(`${flag} ${source} (${where})`, 'is not a number', cell);
  if (!Number.isFinite(value)) throw new InvalidArgumentError(`${flag} ${source} (${where})`, 'must be finite', cell);
  return value;
}

// ---------------------------------------------------------------------------
// JSON

/** Keys under which a JSON object or .npz archive may hold the features and the targets. */
export const FEATURE_KEYS = ['features', 'x', 'X', 'psi', 'data'] as const;
export const TARGET_KEYS = ['targets', 'y', 'Y', 'labels', 'target'] as const;

/**
 * JSON: an array of numbers (1-D), an array of equal-length arrays of numbers
 * (2-D, one sample per row), or an object holding such arrays (the features
 * under one of FEATURE_KEYS, the targets under one of TARGET_KEYS).
 */
export function parseJsonArrays(text: string, flag: string, source: string): Map<string, NumericArray> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InvalidArgumentError(`${flag} ${source}`, `is not valid JSON (${(error as Error).message})`);
  }
  const out = new Map<string, NumericArray>();
  if (Array.isArray(data)) {
    out.set('', jsonArray(data, flag, source, ''));
    return out;
  }
  if (typeof data === 'object' && data !== null) {
    for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
      if (Array.isArray(value)) out.set(key, jsonArray(value, flag, source, key));
    }
    if (out.size === 0) throw new InvalidArgumentError(`${flag} ${source}`, 'has no arrays (expected [[...], ...] or {"features": [[...]], "targets": [...]})');
    return out;
  }
  throw new InvalidArgumentError(`${flag} ${source}`, 'must be an array or an object of arrays');
}

function jsonArray(rows: unknown[], flag: string, source: string, key: string): NumericArray {
  const at = (where: string) => `${flag} ${source} (${key ? `"${key}" ` : ''}${where})`;
  if (rows.length === 0) throw new InvalidArgumentError(at('array'), 'is empty');
  if (!Array.isArray(rows[0])) {
    const data = new Float64Array(rows.length);
    rows.forEach((v, i) => {
      data[i] = jsonNumber(v, at(`element ${i + 1}`));
    });
    return { shape: [rows.length], data };
  }
  const cols = (rows[0] as unknown[]).length;
  const data = new Float64Array(rows.length * cols);
  rows.forEach((row, i) => {
    if (!Array.isArray(row)) throw new InvalidArgumentError(at(`row ${i + 1}`), 'must be an array like row 1', row);
    if (row.length !== cols) throw new InvalidArgumentError(at(`row ${i + 1}`), `has ${row.length} columns where row 1 has ${cols} (ragged rows)`);
    row.forEach((v, j) => {
      data[i * cols + j] = jsonNumber(v, at(`row ${i + 1}, column ${j + 1}`));
    });
  });
  return { shape: cols === 1 ? [rows.length] : [rows.length, cols], data };
}

function jsonNumber(value: unknown, where: string): number {
  if (typeof value !== 'number') {
    if (value === null) throw new InvalidArgumentError(where, 'is null (missing values, or NaN written by a JSON encoder, are not allowed)');
    throw new InvalidArgumentError(where, 'is not a number', value);
  }
  if (!Number.isFinite(value)) throw new InvalidArgumentError(where, 'must be finite', value);
  return value;
}

// ---------------------------------------------------------------------------
// NumPy .npy (format versions 1.0, 2.0, 3.0; numpy.lib.format)

const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

interface NpyHeader {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
  dataOffset: number;
}

/** Parses the header dict {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }. */
export function parseNpyHeader(bytes: Uint8Array, where: string): NpyHeader {
  if (bytes.length < 10 || NPY_MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new InvalidArgumentError(where, 'is not a NumPy .npy array (bad magic string)');
  }
  const major = bytes[6];
  let headerLength: number;
  let start: number;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (major === 1) {
    headerLength = view.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new InvalidArgumentError(where, 'is truncated (no header length)');
    headerLength = view.getUint32(8, true);
    start = 12;
  } else {
    throw new InvalidArgumentError(where, `has an unsupported .npy format version ${major}.${bytes[7]}`);
  }
  if (start + headerLength > bytes.length) throw new InvalidArgumentError(where, 'is truncated (header runs past the end)');
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLength));
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new InvalidArgumentError(where, 'has a .npy header without descr, fortran_order and shape', header.trim());
  }
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const n = Number(s.replace(/L$/, ''));
      if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError(where, 'has a bad shape in its .npy header', shapeText);
      return n;
    });
  return { descr, fortranOrder: fortran === 'True', shape, dataOffset: start + headerLength };
}

/** Element readers for the dtypes a feature matrix may come in (numeric, either byte order, and bool). */
function elementReader(descr: string, where: string): { size: number; read: (view: DataView, offset: number) => number } {
  const order = descr[0];
  const little = order === '<' || order === '|' || order === '=';
  if (order !== '<' && order !== '>' && order !== '|' && order !== '=') {
    throw new InvalidArgumentError(where, 'has an unsupported dtype (structured or object arrays are not numeric data)', descr);
  }
  const kind = descr.slice(1);
  switch (kind) {
    case 'f8': return { size: 8, read: (v, o) => v.getFloat64(o, little) };
    case 'f4': return { size: 4, read: (v, o) => v.getFloat32(o, little) };
    case 'i8': return { size: 8, read: (v, o) => Number(v.getBigInt64(o, little)) };
    case 'u8': return { size: 8, read: (v, o) => Number(v.getBigUint64(o, little)) };
    case 'i4': return { size: 4, read: (v, o) => v.getInt32(o, little) };
    case 'u4': return { size: 4, read: (v, o) => v.getUint32(o, little) };
    case 'i2': return { size: 2, read: (v, o) => v.getInt16(o, little) };
    case 'u2': return { size: 2, read: (v, o) => v.getUint16(o, little) };
    case 'i1': return { size: 1, read: (v, o) => v.getInt8(o) };
    case 'u1': case 'b1': return { size: 1, read: (v, o) => v.getUint8(o) };
    default:
      throw new InvalidArgumentError(where, 'has an unsupported dtype (supported: float64/32, int8-64, uint8-64, bool)', descr);
  }
}

/** A whole .npy file: shape, dtype and C or Fortran order handled; NaN and infinities are errors. */
export function parseNpy(bytes: Uint8Array, where: string): NumericArray {
  const header = parseNpyHeader(bytes, where);
  if (header.shape.length > 2) throw new InvalidArgumentError(where, `must be 1-D or 2-D, has shape (${header.shape.join(', ')})`);
  const count = header.shape.reduce((p, n) => p * n, 1);
  const { size, read } = elementReader(header.descr, where);
  if (header.dataOffset + count * size > bytes.length) {
    throw new InvalidArgumentError(where, `is truncated: shape (${header.shape.join(', ')}) needs ${count * size} bytes of data`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + header.dataOffset, count * size);
  const data = new Float64Array(count);
  const rows = header.shape[0] ?? 1;
  const cols = header.shape.length === 2 ? header.shape[1] : 1;
  for (let i = 0; i < count; i++) {
    // Fortran order stores columns contiguously: element i is (i % rows, i / rows).
    const target = header.fortranOrder && header.shape.length === 2 ? (i % rows) * cols + Math.floor(i / rows) : i;
    const value = read(view, i * size);
    if (!Number.isFinite(value)) {
      const r = Math.floor(target / cols);
      const c = target % cols;
      throw new InvalidArgumentError(`${where} (row ${r + 1}${header.shape.length === 2 ? `, column ${c + 1}` : ''})`, Number.isNaN(value) ? 'is NaN (missing values are not allowed)' : 'must be finite', value);
    }
    data[target] = value;
  }
  return { shape: header.shape.length === 0 ? [1] : header.shape, data };
}

// ---------------------------------------------------------------------------
// NumPy .npz: a zip archive of .npy members (numpy.savez stores, savez_compressed deflates)

/** Reads every .npy member of a zip archive (ZIP64 records as numpy writes them are understood). */
export function parseNpz(bytes: Uint8Array, where: string): Map<string, NumericArray> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // End of central directory: signature 0x06054b50 within the last 64 KiB + 22 bytes.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 65557); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new InvalidArgumentError(where, 'is not a zip (.npz) archive (no end-of-central-directory record)');
  let entries = view.getUint16(eocd + 10, true);
  let cdOffset = view.getUint32(eocd + 16, true);
  if (cdOffset === 0xffffffff || entries === 0xffff) {
    // ZIP64 end-of-central-directory locator just before the EOCD.
    const locator = eocd - 20;
    if (locator < 0 || view.getUint32(locator, true) !== 0x07064b50) throw new InvalidArgumentError(where, 'has a broken ZIP64 directory');
    const record = Number(view.getBigUint64(locator + 8, true));
    if (view.getUint32(record, true) !== 0x06064b50) throw new InvalidArgumentError(where, 'has a broken ZIP64 directory record');
    entries = Number(view.getBigUint64(record + 32, true));
    cdOffset = Number(view.getBigUint64(record + 48, true));
  }
  const out = new Map<string, NumericArray>();
  let p = cdOffset;
  for (let e = 0; e < entries; e++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== 0x02014b50) throw new InvalidArgumentError(where, 'has a broken zip central directory');
    const method = view.getUint16(p + 10, true);
    let compressedSize = view.getUint32(p + 20, true);
    let size = view.getUint32(p + 24, true);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    let localOffset = view.getUint32(p + 42, true);
    const name = new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLength));
    // ZIP64 extended information (header id 1): the 0xffffffff fields, in order size, compressed, offset.
    let q = p + 46 + nameLength;
    const extraEnd = q + extraLength;
    while (q + 4 <= extraEnd) {
      const id = view.getUint16(q, true);
      const length = view.getUint16(q + 2, true);
      if (id === 1) {
        let r = q + 4;
        if (size === 0xffffffff) { size = Number(view.getBigUint64(r, true)); r += 8; }
        if (compressedSize === 0xffffffff) { compressedSize = Number(view.getBigUint64(r, true)); r += 8; }
        if (localOffset === 0xffffffff) { localOffset = Number(view.getBigUint64(r, true)); }
      }
      q += 4 + length;
    }
    p = extraEnd + commentLength;
    if (!name.endsWith('.npy')) continue;
    const key = name.slice(0, -4);
    const memberWhere = `${where} (member "${key}")`;
    if (view.getUint32(localOffset, true) !== 0x04034b50) throw new InvalidArgumentError(memberWhere, 'has a broken zip local header');
    const dataStart = localOffset + 30 + view.getUint16(localOffset + 26, true) + view.getUint16(localOffset + 28, true);
    const raw = bytes.subarray(dataStart, dataStart + compressedSize);
    let member: Uint8Array;
    if (method === 0) member = raw;
    else if (method === 8) {
      try {
        member = inflateRawSync(raw);
      } catch (error) {
        throw new InvalidArgumentError(memberWhere, `cannot be inflated (${(error as Error).message})`);
      }
    } else throw new InvalidArgumentError(memberWhere, `uses zip compression method ${method} (only stored and deflate are supported)`);
    if (member.length !== size) throw new InvalidArgumentError(memberWhere, `is ${member.length} bytes where the directory says ${size}`);
    out.set(key, parseNpy(member, memberWhere));
  }
  if (out.size === 0) throw new InvalidArgumentError(where, 'has no .npy members');
  return out;
}

// ---------------------------------------------------------------------------

/** Every array in a file by key ('' for a file that holds a single array). */
export function readArrays(flag: string, path: string, maxBytes: number, raise?: string): Map<string, NumericArray> {
  const format = formatOfPath(path);
  const bytes = readFileGuarded(flag, path, maxBytes, raise);
  const where = `${flag} ${path}`;
  switch (format) {
    case 'npy':
      return new Map([['', parseNpy(bytes, where)]]);
    case 'npz':
      return parseNpz(bytes, where);
    case 'json':
      return parseJsonArrays(inputText(flag, path, bytes), flag, path);
    default:
      return new Map([['', parseCsvArray(inputText(flag, path, bytes), flag, path)]]);
  }
}

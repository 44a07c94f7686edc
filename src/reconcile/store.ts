/**
 * Sweeps as independent deterministic tasks: every case's result is a file
 * (cases/a{a}_b{b}.json) written whole by the task that computed it, keyed by
 * everything that determines it (tool version, a, b, laws, measurement
 * settings, tolerance, figures). A folder of such files is
 *  - a shard: `--shard i/n` computes the cases k with k mod n = i - 1;
 *  - a resume point: a rerun into the same folder reuses every file whose key
 *    matches and recomputes (overwrites) any whose key differs, so a stale
 *    result is never reused;
 *  - an input of `merge`, which joins shard folders into the same tables and
 *    figures as one run (the results are the same numbers, serialised exactly).
 * Numbers are written as JSON's shortest round-trip decimals; non-finite ones
 * as {"$number": "inf" | "-inf" | "NaN"}, so a result reads back bit for bit.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from '../core/errors.js';
import { TOOL } from '../core/version.js';
import { MEASURE_DEFAULTS, type MeasureSettings } from './measure.js';
import { ALL_LAWS, EXPONENT_TOLERANCE, type CaseResult, type LawId } from './reconcile.js';

/** Bumped when the file layout changes: files of another format are recomputed. */
export const STORE_FORMAT = 1;

/** Everything a case result depends on. */
export interface CaseKey {
  readonly format: number;
  readonly tool: string;
  readonly a: number;
  readonly b: number;
  readonly laws: readonly LawId[];
  readonly settings: MeasureSettings;
  readonly tolerance: number;
  readonly figures: boolean;
}

export function caseKey(a: number, b: number, options: { laws?: readonly LawId[]; settings?: MeasureSettings; figures?: boolean }): CaseKey {
  const wanted = new Set(options.laws ?? ALL_LAWS);
  return {
    format: STORE_FORMAT,
    tool: `${TOOL.name} ${TOOL.version}`,
    a,
    b,
    // In the canonical order, so that "time,width" and "width,time" are one key (the rows come out in this order).
    laws: ALL_LAWS.filter((law) => wanted.has(law)),
    settings: options.settings ?? MEASURE_DEFAULTS,
    tolerance: EXPONENT_TOLERANCE,
    figures: options.figures ?? true,
  };
}

export function caseFileName(a: number, b: number): string {
  return `a${a}_b${b}.json`;
}

const NUMBER_TAG = '$number';

/** JSON text with non-finite numbers tagged (JSON.stringify would write null). */
export function encodeExact(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) return { [NUMBER_TAG]: Number.isNaN(v) ? 'NaN' : v > 0 ? 'inf' : '-inf' };
    if (ArrayBuffer.isView(v)) throw new Error('encodeExact: typed arrays are not stored (use plain arrays)');
    return v;
  });
}

export function decodeExact<T>(text: string): T {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      if (keys.length === 1 && keys[0] === NUMBER_TAG) {
        const word = (v as Record<string, string>)[NUMBER_TAG];
        return word === 'inf' ? Infinity : word === '-inf' ? -Infinity : Number.NaN;
      }
    }
    return v;
  }) as T;
}

interface StoredCase {
  readonly key: CaseKey;
  readonly result: CaseResult;
}

/** Writes a file whole: a temporary file in the same folder, then a rename. */
export function writeWhole(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** Saves one case under dir/cases (called by the task that computed it, so a crash loses only running cases). */
export function saveCase(dir: string, key: CaseKey, result: CaseResult): void {
  const folder = join(dir, 'cases');
  mkdirSync(folder, { recursive: true });
  writeWhole(join(folder, caseFileName(key.a, key.b)), `${encodeExact({ key, result } satisfies StoredCase)}\n`);
}

/** The stored result for `key`, or undefined when there is none or it was computed with other parameters. */
export function loadCase(dir: string, key: CaseKey): CaseResult | undefined {
  const path = join(dir, 'cases', caseFileName(key.a, key.b));
  if (!existsSync(path)) return undefined;
  let stored: StoredCase;
  try {
    stored = decodeExact<StoredCase>(readFileSync(path, 'utf8'));
  } catch {
    return undefined; // unreadable (e.g. truncated by a crash): recompute
  }
  return encodeExact(stored.key) === encodeExact(key) ? stored.result : undefined;
}

/** A shard `i/n` (1 <= i <= n) as given on the command line. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Parses "i/n" into a shard. */
export function parseShard(flag: string, text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = match ? Number(match[1]) : Number.NaN;
  const count = match ? Number(match[2]) : Number.NaN;
  if (!(Number.isSafeInteger(count) && count >= 1 && Number.isSafeInteger(index) && index >= 1 && index <= count)) {
    throw new InvalidArgumentError(flag, 'must be i/n with 1 <= i <= n (e.g. 2/8)', text);
  }
  return { index, count };
}

/** Indices of the cases shard i/n computes: k with k mod n = i - 1 (every case in exactly one shard). */
export function shardCases(total: number, shard: Shard | undefined): number[] {
  const all = Array.from({ length: total }, (_, k) => k);
  return shard === undefined ? all : all.filter((k) => k % shard.count === shard.index - 1);
}

/** What a shard folder holds, written by the shard and read by merge. */
export interface ShardManifest {
  readonly format: number;
  readonly tool: string;
  /** 'report' (tables and figures) or 'reconcile' (tables). */
  readonly command: 'report' | 'reconcile';
  readonly cases: readonly { a: number; b: number }[];
  readonly laws: readonly LawId[];
  readonly figures: boolean;
  /** Monte Carlo seeds of the report's simulation panel (0: none); computed by shard 1. */
  readonly seeds: number;
  readonly shard: Shard;
  /** The report's further sections ('sgd', 'real-data'), recomputed by merge. */
  readonly sections?: readonly ('sgd' | 'reuse' | 'real-data')[];
  /** report --optimizer sgd: the step size and batch of the SGD section. */
  readonly sgd?: { readonly lr: number; readonly batch: number };
}

export function writeManifest(dir: string, manifest: ShardManifest): void {
  mkdirSync(dir, { recursive: true });
  writeWhole(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

export function readManifest(dir: string): ShardManifest {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) throw new InvalidArgumentError('merge', `needs shard folders written by --shard; no manifest.json in ${JSON.stringify(dir)}`);
  let manifest: Partial<ShardManifest> | null;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as Partial<ShardManifest> | null;
  } catch (error) {
    throw new InvalidArgumentError('merge', `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); rerun that shard to rewrite it`);
  }
  const valid =
    manifest !== null && typeof manifest === 'object' && (manifest.command === 'report' || manifest.command === 'reconcile') &&
    Array.isArray(manifest.cases) && Array.isArray(manifest.laws) && typeof manifest.shard === 'object' && manifest.shard !== null &&
    Number.isInteger(manifest.shard.index) && Number.isInteger(manifest.shard.count);
  if (!valid) throw new InvalidArgumentError('merge', `${path} is not a shard manifest (command, cases, laws and shard i/n expected); rerun that shard to rewrite it`);
  return manifest as ShardManifest;
}

/** The case files present in a folder (for messages). */
export function storedCaseFiles(dir: string): string[] {
  const folder = join(dir, 'cases');
  return existsSync(folder) ? readdirSync(folder).filter((f) => f.endsWith('.json')).sort() : [];
}

/**
 * Joins shard folders: checks they are shards of one sweep (same cases, laws,
 * figures, seeds, tool; shard counts equal, no shard twice, none missing), then
 * reads every case from the folder of the shard that owns it. Throws
 * InvalidArgumentError naming the folder at fault.
 */
export function mergeShards(dirs: readonly string[]): { manifest: ShardManifest; results: CaseResult[]; simulationDir: string | undefined } {
  if (dirs.length === 0) throw new InvalidArgumentError('merge', 'needs at least one shard folder');
  const manifests = dirs.map(readManifest);
  const first = manifests[0];
  const sameSweep = (m: ShardManifest) =>
    JSON.stringify({ ...m, shard: null }) === JSON.stringify({ ...first, shard: null }) && m.shard.count === first.shard.count;
  manifests.forEach((m, k) => {
    if (!sameSweep(m)) throw new InvalidArgumentError('merge', `folder ${JSON.stringify(dirs[k])} is a shard of another sweep than ${JSON.stringify(dirs[0])}`);
  });
  const byIndex = new Map<number, string>();
  manifests.forEach((m, k) => {
    if (byIndex.has(m.shard.index)) throw new InvalidArgumentError('merge', `shard ${m.shard.index}/${m.shard.count} given twice`, dirs[k]);
    byIndex.set(m.shard.index, dirs[k]);
  });
  const missing = Array.from({ length: first.shard.count }, (_, k) => k + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0) throw new InvalidArgumentError('merge', `is missing shard(s) ${missing.map((i) => `${i}/${first.shard.count}`).join(', ')}`);
  const results = first.cases.map(({ a, b }, k) => {
    const dir = byIndex.get((k % first.shard.count) + 1)!;
    const result = loadCase(dir, caseKey(a, b, { laws: first.laws, figures: first.figures }));
    if (result === undefined) throw new InvalidArgumentError('merge', `shard folder ${JSON.stringify(dir)} has no finished result for (a, b) = (${a}, ${b}) (run its shard again to finish it)`);
    return result;
  });
  return { manifest: first, results, simulationDir: byIndex.get(1) };
}

/**
 * Writing command output: to stdout, or to a file written whole (temporary file
 * then rename) so that a failure never leaves a partial output file. Output
 * targets are checked before any work starts (`checkOutputFile`,
 * `checkOutputFolder`), so a bad `--out` costs nothing and names the user's
 * path, never the hidden temporary file.
 */
import { closeSync, existsSync, openSync, realpathSync, renameSync, rmSync, statSync, statfsSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InvalidArgumentError } from '../core/errors.js';

/**
 * Virtual file systems that are never an output target. Creating folders
 * under them misbehaves (Node 20's recursive mkdir under /proc never returns).
 * Values are the Linux statfs magic numbers (linux/magic.h).
 */
const VIRTUAL_FILE_SYSTEMS = new Map<number, string>([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x1cd1, 'devpts'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
]);
const VIRTUAL_PREFIXES = ['/proc', '/sys', '/dev'];

function errnoCode(error: unknown): string {
  return (error as NodeJS.ErrnoException)?.code ?? 'error';
}

/** The deepest existing ancestor of `path` (itself if it exists). */
function existingAncestor(path: string): string {
  let current = path;
  while (!existsSync(current)) {
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return current;
}

/** Refuses /proc, /sys, /dev and other virtual file systems (by path and by file-system type). */
function refuseVirtual(flag: string, userPath: string, absolute: string): void {
  const anchor = existingAncestor(absolute);
  let real = anchor;
  try {
    real = realpathSync(anchor);
  } catch {
    // an unreadable ancestor is reported by the write probe below
  }
  for (const prefix of VIRTUAL_PREFIXES) {
    if (real === prefix || real.startsWith(`${prefix}/`) || absolute === prefix || absolute.startsWith(`${prefix}/`)) {
      throw new InvalidArgumentError(flag, `must not be under ${prefix} (a virtual file system, not a place for output)`, userPath);
    }
  }
  try {
    const kind = VIRTUAL_FILE_SYSTEMS.get(Number(statfsSync(real).type));
    if (kind !== undefined) throw new InvalidArgumentError(flag, `must not be on a ${kind} file system (not a place for output)`, userPath);
  } catch (error) {
    if (error instanceof InvalidArgumentError) throw error;
  }
}

/** Creates and removes a probe file in `folder`: the one check that holds for root, read-only mounts and ACLs alike. */
function probeWritable(flag: string, userPath: string, folder: string, what: string): void {
  const probe = join(folder, `.scaling-dmft-probe-${process.pid}-${Date.now()}`);
  try {
    closeSync(openSync(probe, 'wx'));
  } catch (error) {
    throw new InvalidArgumentError(flag, `cannot be written: ${what} is not writable (${errnoCode(error)})`, userPath);
  }
  rmSync(probe, { force: true });
}

/**
 * Checks an output file before any work: not empty, not a folder, in an
 * existing writable folder, not on a virtual file system. Throws
 * InvalidArgumentError naming `flag` and the user's path.
 */
export function checkOutputFile(path: string, flag = '--out'): void {
  if (typeof path !== 'string' || path.trim() === '') throw new InvalidArgumentError(flag, 'must be a file path', path);
  const absolute = resolve(path);
  refuseVirtual(flag, path, absolute);
  if (existsSync(absolute)) {
    const stats = statSync(absolute);
    if (stats.isDirectory()) throw new InvalidArgumentError(flag, 'is a folder; give a file path', path);
    if (!stats.isFile()) throw new InvalidArgumentError(flag, 'exists and is not a regular file', path);
  }
  const folder = dirname(absolute);
  if (!existsSync(folder)) throw new InvalidArgumentError(flag, `must be in an existing folder (${dirname(path)} does not exist)`, path);
  if (!statSync(folder).isDirectory()) throw new InvalidArgumentError(flag, `must be in a folder (${dirname(path)} is not a folder)`, path);
  probeWritable(flag, path, folder, `its folder ${dirname(path)}`);
}

/**
 * Checks an output folder before any work (the report's `--out`): either an
 * existing writable folder, or a new one whose nearest existing ancestor is a
 * writable folder; never a file and never on a virtual file system such as
 * /proc. Throws InvalidArgumentError naming `flag` and the user's path.
 */
export function checkOutputFolder(path: string, flag = '--out'): void {
  if (typeof path !== 'string' || path.trim() === '') throw new InvalidArgumentError(flag, 'must be a folder path', path);
  const absolute = resolve(path);
  refuseVirtual(flag, path, absolute);
  if (existsSync(absolute)) {
    if (!statSync(absolute).isDirectory()) throw new InvalidArgumentError(flag, 'is a file; give a folder path', path);
    probeWritable(flag, path, absolute, 'the folder');
    // The report stages its files beside the folder, then renames them in.
    probeWritable(flag, path, dirname(absolute), `its parent folder ${dirname(path)}`);
    return;
  }
  const anchor = existingAncestor(absolute);
  if (!statSync(anchor).isDirectory()) throw new InvalidArgumentError(flag, `cannot be created (${anchor} is a file)`, path);
  probeWritable(flag, path, anchor, `the existing folder ${anchor}`);
}

/** What an --out names: a file written whole, or a folder of files (the report, shards). */
export type OutputKind = 'file' | 'folder';

/**
 * The output check every writing command passes before any work (the CLI
 * calls it for each command's --out): `checkOutputFile` or
 * `checkOutputFolder`.
 */
export function checkOutputTarget(path: string, kind: OutputKind, flag = '--out'): void {
  if (kind === 'folder') checkOutputFolder(path, flag);
  else checkOutputFile(path, flag);
}

/**
 * Writes `text` to stdout, or whole to `outPath` (temporary file, then
 * rename). A failure removes the temporary file and names the user's path.
 */
export function emit(text: string, outPath?: string, flag = '--out'): void {
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
    try {
      rmSync(temporary, { force: true });
    } catch {
      // nothing was created (e.g. the folder is a file)
    }
    throw new InvalidArgumentError(flag, `cannot be written (${errnoCode(error)})`, outPath);
  }
}

export { compactJson, csvCell, csvComment, csvTable, flatProvenance, fmt, fullPrecision, jsonReplacer, markdownTable, toJson } from '../core/format.js';

/**
 * Reading a user's input file (data, targets, spectrum) whole, with a size
 * limit: only regular files are read (an endless stream such as /dev/zero, a
 * FIFO or a terminal would grow memory without bound), and never more than
 * the size the file had when it was opened (a file that grows while read, or
 * a /proc file that reports size 0, cannot make the read run on).
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { InvalidArgumentError } from './errors.js';
import { DEFAULT_MAX_INPUT_BYTES } from './limits.js';

function mib(bytes: number): string {
  return (bytes / 2 ** 20).toPrecision(3);
}

/**
 * The bytes of the regular file `path`, refused (InvalidArgumentError naming
 * `argument` and the path) when it cannot be opened, is not a regular file,
 * or is larger than `maxBytes`; `raise` says how to lift the limit.
 */
export function readInputFile(argument: string, path: string, maxBytes: number = DEFAULT_MAX_INPUT_BYTES, raise = 'the option maxInputBytes'): Uint8Array {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO without a writer returns at once instead of waiting for one.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new InvalidArgumentError(argument, `file cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, path);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) {
      const kind = stats.isDirectory()
        ? 'a folder'
        : `${stats.isFIFO() ? 'a pipe' : stats.isSocket() ? 'a socket' : 'a device'}, a stream that may never end`;
      throw new InvalidArgumentError(argument, `must be a regular file (this is ${kind})`, path);
    }
    if (stats.size > maxBytes) {
      throw new InvalidArgumentError(argument, `file is ${mib(stats.size)} MiB, above the limit of ${mib(maxBytes)} MiB for input files (raise it with ${raise})`, path);
    }
    // A plain Uint8Array, not a Buffer: the browser explorer reads spectrum files through this too.
    const buffer = new Uint8Array(stats.size);
    let filled = 0;
    while (filled < stats.size) {
      const read = readSync(fd, buffer, filled, stats.size - filled, null);
      if (read === 0) break; // the file shrank while read: parse what is there
      filled += read;
    }
    return buffer.subarray(0, filled);
  } finally {
    closeSync(fd);
  }
}

/** An input file's bytes as UTF-8 text; beyond V8's longest string (about 512 Mi characters) refused naming the file. */
export function inputText(argument: string, path: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8').decode(bytes);
  } catch (error) {
    throw new InvalidArgumentError(argument, `file is too large to read as text (${mib(bytes.length)} MiB; ${(error as Error).message})`, path);
  }
}

/** The text of an input file (UTF-8), with the checks of `readInputFile`. */
export function readInputText(argument: string, path: string, maxBytes?: number, raise?: string): string {
  return inputText(argument, path, readInputFile(argument, path, maxBytes, raise));
}

/**
 * The Node built-ins the library imports (node:fs, node:path, node:os,
 * node:worker_threads, ...), for the browser build only: vite.config.ts
 * aliases every `node:*` module to this file, so the library is bundled
 * unchanged. Nothing here is reached on the explorer's paths except
 *
 * - a small in-memory file system: `readFileSync`/`existsSync`/`statSync`
 *   read files the page registered (a dropped spectrum file, the shipped
 *   MNIST spectrum), so `loadSpectrumFile` reads them exactly as the CLI
 *   reads the same file from disk (same parser, same provenance text);
 * - `package.json`: core/version.ts walks up from its own URL to the first
 *   package.json; every such path answers with the project's name and
 *   version, inlined at build time, so TOOL (and every CSV's provenance line)
 *   matches the CLI's;
 * - posix path helpers and `availableParallelism` (navigator.hardwareConcurrency).
 *
 * Everything else throws a one-line error naming the built-in, so a code path
 * that needs Node fails loudly instead of returning something plausible.
 */
import pkg from '../../package.json';

const files = new Map<string, string>();

/** Makes `text` readable at `path` through readFileSync (the page's own files). */
export function registerVirtualFile(path: string, text: string): void {
  files.set(path, text);
}

function unavailable(name: string): never {
  throw new Error(`${name} is not available in the browser explorer`);
}

function isPackageJson(path: string): boolean {
  return path === 'package.json' || path.endsWith('/package.json');
}

function codeError(code: string, path: string): Error {
  return Object.assign(new Error(`${code}: ${path}`), { code });
}

export function readFileSync(path: string): string {
  if (isPackageJson(String(path))) return JSON.stringify({ name: pkg.name, version: pkg.version });
  const text = files.get(String(path));
  if (text === undefined) throw codeError('ENOENT', String(path));
  return text;
}
export function existsSync(path: string): boolean {
  return isPackageJson(String(path)) || files.has(String(path));
}
export function statSync(path: string): { size: number; isFile: () => boolean; isDirectory: () => boolean } {
  const text = files.get(String(path));
  if (text === undefined) throw codeError('ENOENT', String(path));
  return { size: new TextEncoder().encode(text).length, isFile: () => true, isDirectory: () => false };
}
export const constants = { R_OK: 4, W_OK: 2, X_OK: 1, F_OK: 0, O_RDONLY: 0, O_NONBLOCK: 2048, MAX_LENGTH: 2 ** 31 - 1, MAX_STRING_LENGTH: 2 ** 29 - 24 };
export const accessSync = (): never => unavailable('fs.accessSync');
export const mkdirSync = (): never => unavailable('fs.mkdirSync');
export const writeFileSync = (): never => unavailable('fs.writeFileSync');
export const renameSync = (): never => unavailable('fs.renameSync');
export const rmSync = (): never => unavailable('fs.rmSync');
export const readdirSync = (): never => unavailable('fs.readdirSync');
// File descriptors over the registered files, for core/files.ts (readInputFile opens, fstats and reads).
const open = new Map<number, Uint8Array>();
let nextFd = 3;
export function openSync(path: string): number {
  const text = files.get(String(path));
  if (text === undefined) throw codeError('ENOENT', String(path));
  const fd = nextFd++;
  open.set(fd, new TextEncoder().encode(text));
  return fd;
}
function openBytes(fd: number): Uint8Array {
  const bytes = open.get(fd);
  if (bytes === undefined) throw codeError('EBADF', String(fd));
  return bytes;
}
export function fstatSync(fd: number): { size: number; isFile: () => boolean; isDirectory: () => boolean; isFIFO: () => boolean; isSocket: () => boolean } {
  const size = openBytes(fd).length;
  return { size, isFile: () => true, isDirectory: () => false, isFIFO: () => false, isSocket: () => false };
}
export function readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number | null): number {
  const bytes = openBytes(fd);
  const start = position ?? 0;
  const chunk = bytes.subarray(start, Math.min(bytes.length, start + length));
  buffer.set(chunk, offset);
  // One read returns the whole rest (readInputFile asks for it in one call).
  open.set(fd, bytes.subarray(start + chunk.length));
  return chunk.length;
}
export function closeSync(fd: number): void {
  open.delete(fd);
}
export const realpathSync = (): never => unavailable('fs.realpathSync');
export const statfsSync = (): never => unavailable('fs.statfsSync');
export const mkdir = async (): Promise<never> => unavailable('fs.mkdir');
export const writeFile = async (): Promise<never> => unavailable('fs.writeFile');

// node:path (posix)
export function isAbsolute(path: string): boolean {
  return String(path).startsWith('/');
}
export function join(...parts: string[]): string {
  return normalize(parts.filter((p) => p !== '').join('/'));
}
export function resolve(...parts: string[]): string {
  return join(...parts);
}
export function dirname(path: string): string {
  const i = path.replace(/\/+$/, '').lastIndexOf('/');
  return i < 0 ? '.' : i === 0 ? '/' : path.slice(0, i);
}
export function basename(path: string): string {
  return path.replace(/\/+$/, '').split('/').pop() ?? '';
}
function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '..') out.pop();
    else if (part !== '.' && part !== '') out.push(part);
  }
  return (path.startsWith('/') ? '/' : '') + out.join('/');
}

// node:url
export function fileURLToPath(url: string | URL): string {
  return new URL(String(url)).pathname;
}

// node:os
export function availableParallelism(): number {
  return globalThis.navigator?.hardwareConcurrency ?? 1;
}
export const homedir = (): never => unavailable('os.homedir');

// node:module, node:crypto, node:zlib, node:worker_threads
export const createRequire = (): never => unavailable('module.createRequire');
export const createHash = (): never => unavailable('crypto.createHash');
export const inflateRawSync = (): never => unavailable('zlib.inflateRawSync');
export class Worker {
  constructor() {
    unavailable('worker_threads.Worker');
  }
}
export const parentPort = null;
export const workerData = undefined;

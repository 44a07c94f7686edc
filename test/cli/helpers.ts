/** Driving the CLI in-process (src/cli/program.ts `run`) and through the built binary. */
import { existsSync } from 'node:fs';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';
import { run } from '../../src/cli/program.js';

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the CLI in this process, capturing stdout and stderr. */
export async function cli(...argv: string[]): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += chunk.toString();
    return true;
  });
  const started = performance.now();
  try {
    const code = await run(argv);
    return { code, stdout, stderr, ms: performance.now() - started };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const BUILT_BIN = join(ROOT, 'dist', 'src', 'cli', 'main.js');

/** Builds dist/ when it is missing (CI builds it in `npm ci` through `prepare`). */
export function ensureBuilt(): void {
  if (existsSync(BUILT_BIN)) return;
  const result = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json')], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`build failed: ${result.stdout}${result.stderr}`);
}

/** Runs the built binary in a child process with a time bound. */
/**
 * Runs the built binary. `withoutFileOverride`: as root, drop the
 * capabilities that let root write where permissions forbid it (DAC override),
 * so that a read-only folder is read-only to the run too. It stays root, so it
 * can still read a checkout that only root may traverse (an unprivileged user
 * could not, e.g. in a 0700 temporary folder).
 */
export function binary(argv: string[], options: { timeoutMs?: number; withoutFileOverride?: boolean } = {}): SpawnSyncReturns<string> {
  const command = options.withoutFileOverride ? 'setpriv' : process.execPath;
  const args = options.withoutFileOverride
    ? ['--bounding-set', '-dac_override,-dac_read_search', '--', process.execPath, BUILT_BIN, ...argv]
    : [BUILT_BIN, ...argv];
  return spawnSync(command, args, { encoding: 'utf8', timeout: options.timeoutMs ?? 60_000 });
}

/** One line on stderr, no stack trace. */
export function isOneLineError(stderr: string): boolean {
  const lines = stderr.trimEnd().split('\n');
  return lines.length === 1 && (lines[0].startsWith('scaling-dmft: error:') || lines[0].startsWith('error: ')) && !/\n\s+at /.test(stderr);
}

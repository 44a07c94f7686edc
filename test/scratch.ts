/**
 * Temporary folders for tests, removed when they are done: a folder made in a
 * test or a beforeEach hook is removed when that test finishes, one made at
 * file or describe level when the file's tests finish. Every test folder is
 * made here (a test under test/repo holds the suite to it), so a run leaves
 * no empty scaling-dmft-* folders behind in the system's temporary folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, onTestFinished } from 'vitest';

export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    onTestFinished(remove);
  } catch {
    afterAll(remove); // outside a test: at the end of the file (or describe block)
  }
  return dir;
}

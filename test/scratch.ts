/**
 * Temporary folders for tests, removed when they are done: a folder made in a
 * test or a beforeEach hook is removed when that test finishes; every folder
 * lives under the run's parent folder (test/scratch-setup.ts, removed when the
 * run ends), so folders made at file level or in beforeAll go too. Every test
 * folder is made here (a test under test/repo holds the suite to it), so a run
 * leaves no scaling-dmft-* folders behind in the system's temporary folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject, onTestFinished } from 'vitest';
import './scratch-setup.js';

export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(inject('scratchRoot') ?? tmpdir(), prefix));
  try {
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  } catch {
    // Outside a test (file level, beforeAll): removed with the run's parent folder.
  }
  return dir;
}

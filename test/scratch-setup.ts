/**
 * Global setup of the test run: one parent folder for every temporary folder
 * the tests make (test/scratch.ts), removed whole when the run ends, so that
 * folders made outside a test (file level, beforeAll) go too.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    scratchRoot: string;
  }
}

export default function setup(project: TestProject): () => void {
  const root = mkdtempSync(join(tmpdir(), 'scaling-dmft-tests-'));
  project.provide('scratchRoot', root);
  return () => rmSync(root, { recursive: true, force: true });
}

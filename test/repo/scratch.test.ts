/**
 * Tests leave no temporary folders behind: every one is made by
 * test/scratch.ts under the run's parent folder (test/scratch-setup.ts),
 * removed when its test finishes, or with the parent when the run ends.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { ROOT } from '../cli/helpers.js';
import { scratchDir } from '../scratch.js';

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? (entry.name === 'fixtures' ? [] : testFiles(join(dir, entry.name))) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

describe('temporary folders of the test suite', () => {
  it('are made only through scratchDir (no mkdtemp elsewhere under test/)', () => {
    const offenders = testFiles(join(ROOT, 'test'))
      .filter((file) => !file.endsWith(join('test', 'scratch.ts')) && !file.endsWith(join('test', 'scratch-setup.ts')))
      .filter((file) => /\bmkdtemp(Sync)?\s*\(/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(ROOT, file));
    expect(offenders).toEqual([]);
  });

  it('live under the run\'s parent folder, removed when the run ends', () => {
    const root = inject('scratchRoot');
    expect(root).toMatch(/scaling-dmft-tests-/);
    expect(dirname(scratchDir('scaling-dmft-scratch-probe-'))).toBe(root);
  });

  let made = '';
  it('scratchDir removes a folder made in a test when the test ends', () => {
    made = scratchDir('scaling-dmft-scratch-probe-');
    expect(readdirSync(made)).toEqual([]);
  });
  it('(checked by the next test)', () => {
    expect(made).not.toBe('');
    expect(() => readdirSync(made)).toThrow(/ENOENT/);
  });
});

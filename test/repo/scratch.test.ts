/**
 * Tests leave no temporary folders behind: every one is made by
 * test/scratch.ts, which removes it when its test (or file) finishes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
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
      .filter((file) => !file.endsWith(join('test', 'scratch.ts')))
      .filter((file) => /\bmkdtemp(Sync)?\s*\(/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(ROOT, file));
    expect(offenders).toEqual([]);
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

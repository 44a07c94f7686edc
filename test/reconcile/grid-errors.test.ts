/** --grid errors name the flag the user typed and the pair as typed, never internal names. */
import { describe, expect, it } from 'vitest';
import { parseGrid } from '../../src/cli/commands/reconcile.js';
import { InvalidArgumentError } from '../../src/core/errors.js';

function message(text: string): string {
  try {
    parseGrid(text);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return (error as Error).message;
  }
  throw new Error(`parseGrid accepted ${JSON.stringify(text)}`);
}

describe('--grid errors', () => {
  it.each([
    ['1.5:x', '"1.5:x"'],
    ['1.5', '"1.5"'],
    ['1.5:1.2,3', '"3"'],
    ['', '""'],
    ['1:2:3', '"1:2:3"'],
    [':1.2', '":1.2"'],
    ['0.5:1.2', '"0.5:1.2"'],
    ['2:0.5', '"2:0.5"'],
    ['2:1.5,1:1.5', '"1:1.5"'],
    ['inf:2', '"inf:2"'],
  ])('%j: names --grid and the bad pair %s', (text, shown) => {
    const text_ = message(text);
    expect(text_.startsWith('--grid ')).toBe(true);
    expect(text_).toContain(`got ${shown}`);
    // No internal names: a flag other than --grid, or a bare variable before 'must'.
    expect(text_).not.toMatch(/--a\b|--b\b|\bk\b|^--grid [ab] /);
  });

  it('accepts a:b pairs and "default"', () => {
    expect(parseGrid('1.5:1.25, 2:1.5')).toEqual([{ a: 1.5, b: 1.25 }, { a: 2, b: 1.5 }]);
    expect(parseGrid('default').length).toBeGreaterThan(1);
  });
});

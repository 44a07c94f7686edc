/**
 * The public API is documented: every export of src/index.ts has a TSDoc
 * comment (on its declaration or on the export itself), read with the
 * TypeScript compiler the way TypeDoc reads it.
 */
import ts from 'typescript';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

function undocumentedExports(entry: string): { total: number; missing: string[] } {
  const program = ts.createProgram([entry], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    // Doc comments are read from the declarations; the default library and the ambient @types
    // do not change which exports carry one, and not loading them halves the time of the check.
    noLib: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  if (!source) throw new Error(`cannot read ${entry}`);
  const module = checker.getSymbolAtLocation(source);
  if (!module) throw new Error(`${entry} is not a module`);
  const missing: string[] = [];
  const exports = checker.getExportsOfModule(module);
  for (const symbol of exports) {
    const own = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const declared = ts.displayPartsToString(target.getDocumentationComment(checker)).trim();
    if (own === '' && declared === '') missing.push(symbol.name);
  }
  return { total: exports.length, missing };
}

describe('API documentation', () => {
  it('every export of src/index.ts has a TSDoc comment (on its declaration or on the export)', () => {
    const { total, missing } = undocumentedExports(join(ROOT, 'src', 'index.ts'));
    expect(total).toBeGreaterThan(100);
    expect(missing).toEqual([]);
  });

  it('the check finds an undocumented export (negative control)', () => {
    const { missing } = undocumentedExports(join(ROOT, 'test', 'cli', 'fixtures', 'undocumented.ts'));
    expect(missing).toEqual(['bare']);
  });
});

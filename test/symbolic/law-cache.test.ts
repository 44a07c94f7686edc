// The generated law cache (src/symbolic/generated/laws.ts) is the engine's derivation as data:
// it must equal a fresh derivation, and tables read from it must equal tables derived live.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exponentTable, lawCacheSource } from '../../src/symbolic/table.js';
import { caseFromData, caseToData, exprFromData, exprToData } from '../../src/symbolic/serial.js';
import { timeLaw } from '../../src/symbolic/laws.js';
import { key } from '../../src/symbolic/expr.js';

const root = join(import.meta.dirname, '..', '..');

it('generated/laws.ts is up to date (run npx tsx scripts/symbolic/generate-law-cache.ts)', () => {
  const committed = readFileSync(join(root, 'src', 'symbolic', 'generated', 'laws.ts'), 'utf8');
  expect(committed.split('\n')[0]).toMatch(/generated .* do not edit/);
  expect(committed).toBe(lawCacheSource());
});

it('serialisation round-trips exactly', () => {
  for (const c of timeLaw()) {
    const back = caseFromData(JSON.parse(JSON.stringify(caseToData(c))));
    expect(JSON.stringify(caseToData(back))).toBe(JSON.stringify(caseToData(c)));
    if (!('unsupported' in c)) expect(key(exprFromData(exprToData(c.coefficient)))).toBe(key(c.coefficient));
  }
});

describe('tables from the cache equal tables derived live', () => {
  const points = [[1.5, 1.25], [1.15, 2], [2, 1], [4, 1.5], [7, 2.5], [4.5, 2.8], [3, 2], [2, 0.8]] as const;
  it.each(points)('gradient flow at (%f, %f)', (a, b) => {
    expect(exponentTable(a, b)).toEqual(exponentTable(a, b, { live: true }));
  });
  it.each(points)('sgd (eta = 0.2, B = 3) at (%f, %f)', (a, b) => {
    const dynamics = { kind: 'sgd' as const, lr: 0.2, batch: 3 };
    expect(exponentTable(a, b, { dynamics })).toEqual(exponentTable(a, b, { dynamics, live: true }));
  });
  it('symbolic tables', () => {
    expect(exponentTable()).toEqual(exponentTable(undefined, undefined, { live: true }));
    expect(exponentTable(undefined, undefined, { dynamics: { kind: 'sgd' } })).toEqual(exponentTable(undefined, undefined, { dynamics: { kind: 'sgd' }, live: true }));
  });
});

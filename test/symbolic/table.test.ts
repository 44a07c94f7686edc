// The exponents table (its JSON contract), renderers, converters; every emitted LaTeX parses with KaTeX.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import katex from 'katex';
import { InvalidArgumentError } from '../../src/core/errors.js';
import {
  exponentTable, fromPPXP, fromSourceCapacity, lawsToLatex, lawsToMarkdown, listDerivations, toPPXP, toSourceCapacity,
} from '../../src/symbolic/index.js';

const REQUIRED = ['time', 'data', 'width', 'width_bias', 'compute_optimal_loss', 'compute_optimal_N', 'compute_optimal_t'];
const parse = (tex: string): void => {
  katex.renderToString(tex, { throwOnError: true, displayMode: true });
};

describe('exponentTable JSON contract', () => {
  const table = exponentTable(1.5, 1.25);
  it('has a, b, phase and laws with the contract fields', () => {
    expect(table.a).toBe(1.5);
    expect(table.b).toBe(1.25);
    expect(table.phase).toBe('a-1<b');
    for (const id of REQUIRED) {
      const law = table.laws.find((l) => l.id === id);
      expect(law, id).toBeDefined();
      for (const field of ['id', 'variable', 'exponent', 'prefactor', 'condition', 'latex']) expect(law).toHaveProperty(field);
      expect(typeof law!.exponent).toBe('number');
      expect(typeof law!.prefactor).toBe('number');
    }
  });
  it('signs: losses decay, N* and t* grow', () => {
    const get = (id: string) => table.laws.find((l) => l.id === id)!.exponent as number;
    expect(get('time')).toBeLessThan(0);
    expect(get('compute_optimal_loss')).toBeLessThan(0);
    expect(get('compute_optimal_N')).toBeGreaterThan(0);
    expect(get('compute_optimal_t')).toBeGreaterThan(0);
    expect(get('compute_optimal_N') + get('compute_optimal_t')).toBeCloseTo(1, 14); // C = N t
  });
  it('exact exponents are kept as rationals', () => {
    const law = exponentTable(1.15, 2).laws.find((l) => l.id === 'compute_optimal_loss')!;
    expect(law.exponentExact).toBe('-1/20');
    expect(law.exponent).toBeCloseTo(-0.05, 15);
  });
  it('symbolic table: general forms with conditions for every id', () => {
    const sym = exponentTable();
    expect(sym.a).toBeNull();
    for (const id of REQUIRED) {
      const laws = sym.laws.filter((l) => l.id === id && !l.unsupported);
      expect(laws.length, id).toBeGreaterThan(0);
      for (const l of laws) {
        expect(typeof l.exponent).toBe('string');
        expect(l.condition.length).toBeGreaterThan(0);
      }
    }
    const width = sym.laws.filter((l) => l.id === 'width' && !l.unsupported).map((l) => `${l.exponent} | ${l.condition}`);
    expect(width).toContain('1 - a | b > 1 and a > 1 and a - 1 < b');
    expect(width).toContain('-b | b > 1 and a > 1 and a - 1 > b');
  });
  it('b < 1: static laws carry an unsupported reason, the time law holds', () => {
    const t = exponentTable(2, 0.8);
    expect(t.laws.find((l) => l.id === 'time')!.exponent).toBeCloseTo(-1.25, 14);
    expect(t.laws.find((l) => l.id === 'width')!.unsupported).toMatch(/b <= 1/);
  });
  it('b = 1: static laws are the b -> 1+ limit (exponent continuous, prefactor diverges), said in a note', () => {
    const t = exponentTable(1.5, 1);
    const w = t.laws.find((l) => l.id === 'width')!;
    expect(w.unsupported).toBeUndefined();
    expect(w.exponentExact).toBe('-1/2');
    expect(w.prefactor).toBeNull();
    expect(w.note).toMatch(/b -> 1\+ limit/);
    const near = exponentTable(1.5, 1.001).laws.find((l) => l.id === 'width')!;
    expect(near.exponent as number).toBeCloseTo(-0.5, 14);
    expect(t.laws.find((l) => l.id === 'time')!.note ?? '').not.toMatch(/limit/); // holds at b = 1 itself
    expect(t.notes?.join(' ')).toMatch(/b -> 1\+/);
    expect(t.phase).toMatch(/^b=1/);
  });
  it('invalid input throws InvalidArgumentError naming the argument', () => {
    expect(() => exponentTable(1, 2)).toThrow(InvalidArgumentError);
    expect(() => exponentTable(1, 2)).toThrow(/^a must be > 1/);
    expect(() => exponentTable(2, 0)).toThrow(/^b must be > 0/);
    expect(() => exponentTable(2, Number.NaN)).toThrow(/^b must be a finite number/);
    expect(() => exponentTable(2)).toThrow(/^b must be given together with a/);
    expect(() => exponentTable(undefined, 2)).toThrow(/^a must be given together with b/);
  });
});

describe('every emitted LaTeX parses (KaTeX, throwOnError)', () => {
  const grid = [1.5, 2].flatMap((a) => [1, 1.25, 1.5, 2].map((b) => [a, b] as const));
  it.each([...grid, [1.15, 2] as const, [5, 1.5] as const, [3.4, 1.5] as const])('table at (%f, %f)', (a, b) => {
    const t = exponentTable(a, b);
    for (const l of t.laws) parse(l.latex);
    parse(lawsToLatex(t));
    for (const m of lawsToMarkdown(t).matchAll(/\$([^$]+)\$/g)) parse(m[1].replace(/\\\|/g, '|'));
  });
  it('symbolic table', () => {
    const t = exponentTable();
    for (const l of t.laws) parse(l.latex);
    parse(lawsToLatex(t));
  });
  it('every derivation step (committed docs, kept current by derivations.test.ts)', () => {
    for (const { name } of listDerivations()) {
      const md = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'derivations', `${name}.md`), 'utf8');
      const blocks = [...md.matchAll(/\$\$([^$]+)\$\$/g)].map((m) => m[1]);
      expect(blocks.length).toBeGreaterThan(1);
      for (const tex of blocks) parse(tex);
    }
  });
});

describe('notation converters (THEORY section 9)', () => {
  it('[PPXP24]: b = 2 alpha, a = 2 alpha + 2 beta, exactly and round trip', () => {
    expect(toPPXP(2.5, 2).exact).toEqual({ alpha: '1', beta: '1/4' });
    expect(fromPPXP(1, 0.25).values).toEqual({ a: 2.5, b: 2 });
    const back = fromPPXP(toPPXP(1.15, 2).values.alpha, toPPXP(1.15, 2).values.beta);
    expect(back.exact).toEqual({ a: '23/20', b: '2' });
  });
  it('source/capacity: b = alpha_c, a = 1 + 2 alpha_c r', () => {
    expect(toSourceCapacity(2, 1.25).exact).toEqual({ alpha_c: '5/4', r: '2/5' });
    expect(fromSourceCapacity(1.25, 0.4).exact).toEqual({ a: '2', b: '5/4' });
  });
  it('rejects non-positive spectral exponents naming the argument', () => {
    expect(() => toPPXP(2, 0)).toThrow(/^b must be > 0/);
    expect(() => fromPPXP(0, 1)).toThrow(/^alpha must be > 0/);
    expect(() => fromSourceCapacity(-1, 1)).toThrow(/^alphaC must be > 0/);
  });
});

describe('E22 early-time coefficients and their caveat (THEORY E22: 3.56 against 5.59 at a = b = 2)', () => {
  it('DMFT 1/N coefficient 3.56 at (2, 2); the exact one adds 2 zeta(6) = 2.03 (5.59)', () => {
    const law = exponentTable(2, 2).laws.find((l) => l.id === 'early_finite_N')!;
    expect(law.prefactor as number).toBeCloseTo(3.5608, 3);
    expect(law.factor).toBe('t^2');
    expect(law.note).toMatch(/2 zeta\(a\+2b\)/);
    expect((law.prefactor as number) + 2 * 1.0173430619844491).toBeCloseTo(5.595, 2);
  });
});

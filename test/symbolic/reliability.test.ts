// Safeguards of the symbolic layer: exact-arithmetic size guard with floating fallback, extreme inputs,
// consistent conditions (none unsatisfiable), cheap import (derivations and nerdamer-prime lazy).
import { describe, expect, it, vi } from 'vitest';
import { DERIVATIONS } from '../../derivations/index.js';
import { exponentTable, listDerivations } from '../../src/symbolic/index.js';
import { computeOptimal, crossover, crossTermOnset } from '../../src/symbolic/balance.js';
import { BATCH, crossTermLaw, dataLaw, ETA, sgdNoiseLaw, timeLaw, widthBiasLaw, widthLaw } from '../../src/symbolic/laws.js';
import { num } from '../../src/symbolic/expr.js';
import { ExactSizeError, Rational } from '../../src/symbolic/rational.js';
import { atom, type Case, type Condition, decide, simplifyCondition } from '../../src/symbolic/terms.js';
import { A, B } from '../../src/symbolic/laws.js';
import { InvalidArgumentError } from '../../src/core/errors.js';

describe('import is cheap (on fresh module instances: test files share a worker\'s modules)', () => {
  it('importing the layer, listing derivations and building a table neither build a derivation nor load nerdamer-prime', async () => {
    // Other test files in the same worker may have built derivations already: start from a fresh module registry.
    vi.resetModules();
    const fresh = {
      cas: await import('../../src/symbolic/cas.js'),
      derivations: await import('../../derivations/index.js'),
      symbolic: await import('../../src/symbolic/index.js'),
    };
    expect(fresh.derivations.DERIVATIONS).not.toBe(DERIVATIONS);
    expect(fresh.symbolic.listDerivations().length).toBeGreaterThan(5);
    fresh.symbolic.exponentTable(1.5, 1.25);
    fresh.symbolic.exponentTable(7, 2.5, { dynamics: { kind: 'sgd', lr: 0.1 } });
    expect(fresh.derivations.DERIVATIONS.filter((d) => d.isBuilt()).map((d) => d.name)).toEqual([]);
    expect(fresh.cas.nerdamerLoaded()).toBe(false);
  });
  it('a derivation is built on first use, once', () => {
    const d = DERIVATIONS.find((x) => x.name === 'time-law')!;
    expect(d.build()).toBe(d.build());
    expect(d.isBuilt()).toBe(true);
  });
});

describe('exact arithmetic size guard', () => {
  it('Rational refuses results beyond the bit limit', () => {
    expect(() => Rational.of(3).powInt(100000)).toThrow(ExactSizeError);
    expect(() => Rational.of(3).powInt(1e9)).toThrow(ExactSizeError); // refused before computing (else: BigInt overflow)
  });
  it.each([1.00001, 1.0000001])('a = %f, b = 1.25: small output, floating values where exact forms are declined', (a) => {
    const t = exponentTable(a, 1.25);
    const text = JSON.stringify(t);
    expect(text.length).toBeLessThan(30000);
    for (const l of t.laws) expect(JSON.stringify(l).length).toBeLessThan(3000);
    const n = t.laws.find((l) => l.id === 'compute_optimal_N')!;
    expect(n.exponent as number).toBeCloseTo(1 / 2.25, 12);
  });
});

describe('extreme and invalid inputs name the argument', () => {
  it.each([
    [2, 1e-300, /^b must be in \[0.001, 1000\]/],
    [2, 1e300, /^b must be in/],
    [1e300, 2, /^a must be <= 1000/],
    [1, 2, /^a must be > 1/],
  ])('(a, b) = (%s, %s)', (a, b, message) => {
    expect(() => exponentTable(a, b)).toThrow(InvalidArgumentError);
    expect(() => exponentTable(a, b)).toThrow(message);
  });
  it('an SGD rate that diverges is refused (eta (1 + 1/B) < 2, kernel norm (eta/B) sum_k k^-b/(2 - eta (1 + 1/B) k^-b) < 1)', () => {
    expect(() => exponentTable(7, 2.5, { dynamics: { kind: 'sgd', lr: 1.5, batch: 1 } })).toThrow(/^lr must be < 2\/\(1 \+ 1\/B\) = 1 /);
    // B = 8: the per-mode bound is 2/(1 + 1/8) = 1.78 and the kernel norm 0.26 at lr = 1.2 (the exact recursion converges there).
    expect(exponentTable(7, 2.5, { dynamics: { kind: 'sgd', lr: 1.2, batch: 8 } }).laws.length).toBeGreaterThan(0);
    expect(() => exponentTable(7, 2.5, { dynamics: { kind: 'sgd', lr: 1.8, batch: 8 } })).toThrow(/^lr must be < 2\/\(1 \+ 1\/B\) = 1\.77/);
    expect(() => exponentTable(3, 1.05, { dynamics: { kind: 'sgd', lr: 0.9, batch: 1 } })).toThrow(/^lr must keep the SGD kernel norm/);
  });
  it('GD: eta in [1, 2) has laws (it converges on every mode), eta >= 2 is refused', () => {
    expect(exponentTable(2, 1.5, { dynamics: { kind: 'gd', lr: 1.5 } }).laws.length).toBeGreaterThan(0);
    expect(() => exponentTable(2, 1.5, { dynamics: { kind: 'gd', lr: 2 } })).toThrow(/^lr must be < 2/);
  });
});

// A grid fine enough to hit every boundary the laws use (a - 1 = b, a - 1 = 2b, a = b + 1, a = 2b, b = 1).
const GRID: Array<Record<string, ReturnType<typeof num>>> = [];
for (let i = 1; i <= 48; i++) for (let j = 1; j <= 24; j++) GRID.push({ a: num(Rational.of(i, 4)), b: num(Rational.of(j, 8)) });
const satisfiable = (c: Condition): boolean => c.length === 0 || GRID.some((env) => decide(c, env) === true);

describe('conditions are consistent', () => {
  it('the impossible "a > 1 and b > 1 and a <= 1" is recognised', () => {
    const one = num(1);
    expect(simplifyCondition([atom(A, '>', one), atom(B, '>', one), atom(A, '<=', one)])).toBe(false);
  });
  it('implied atoms are dropped ("a - 1 > b" implies "a > b"; "b > 1" implies "2 b > 1")', () => {
    const one = num(1);
    const c = simplifyCondition([atom(B, '>', one), atom(A, '>', num(0)), atom(num(2), '<', B), atom(A, '>', B)]);
    expect(c).not.toBe(false);
  });
  const sources: Array<[string, () => Case[]]> = [
    ['time', () => timeLaw()], ['width', () => widthLaw()], ['width bias', () => widthBiasLaw()], ['data', () => dataLaw()],
    ['cross term', () => crossTermLaw()], ['onset', () => crossTermOnset() as Case[]], ['crossover', () => crossover() as Case[]],
    ['sgd noise', () => sgdNoiseLaw()],
    ['compute-optimal gf', () => computeOptimal().map((r) => ({ unsupported: '-', variable: 'C', condition: r.condition }))],
    ['compute-optimal sgd', () => computeOptimal(A, B, { sgd: { eta: ETA, batch: BATCH } }).map((r) => ({ unsupported: '-', variable: 'C', condition: r.condition }))],
  ];
  it.each(sources)('every condition of %s holds somewhere on the (a, b) grid', (_, cases) => {
    for (const c of cases()) expect(satisfiable(c.condition), JSON.stringify(c.condition.length)).toBe(true);
  });
  it('no printed condition of the symbolic tables contradicts itself (a > 1 ... a <= 1)', () => {
    for (const dynamics of [undefined, { kind: 'sgd' as const }]) {
      for (const l of exponentTable(undefined, undefined, { dynamics }).laws) {
        expect(l.condition).not.toMatch(/a > 1 and .*a <= 1/);
        expect(l.condition).not.toMatch(/b > 1 and .*b <= 1/);
      }
    }
  });
});

describe('fallback to floating point when the exact form would be too large', () => {
  it('a law whose fold exceeds the bit limit is given in floating point, the exact form declined and said so', async () => {
    const { foldLaw } = await import('../../src/symbolic/table.js');
    const { mul, sym } = await import('../../src/symbolic/expr.js');
    const huge = num(new Rational(2n ** 3000n + 1n, 3n));
    const c: Case = { coefficient: mul(sym('a'), sym('a')), exponent: sym('b'), variable: 't', condition: [], mechanism: 'test' };
    const { entry, exact } = foldLaw('gf', 'time', c, { a: huge, b: num(-1) }, { a: 1.5, b: -1 });
    expect(exact).toBe(false);
    expect(entry.exponent).toBe(-1);
    expect(entry.exponentExact).toBeUndefined();
    expect(entry.prefactor).toBe(2.25);
    expect(entry.note).toMatch(/floating-point values: exact arithmetic declined/);
  });
  it('a prefactor beyond double range is null with a note (a = 1.0000001: N* ~ huge^(4/9))', () => {
    const n = exponentTable(1.0000001, 1.25).laws.find((l) => l.id === 'compute_optimal_N')!;
    expect(n.exponentExact).toBe('4/9');
    expect(n.prefactor).toBeNull();
    expect(n.note).toMatch(/overflows double precision/);
  });
});

// derivations/: every step checked; rendered docs not stale; a wrong step is reported failing (negative control).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDerivationSteps, type Derivation, derivationToMarkdown } from '../../src/symbolic/derivation.js';
import { checkDerivation, getDerivation, listDerivations, renderDerivation } from '../../src/symbolic/derivations.js';
import { add, div, mul, num, ONE, sub, sym } from '../../src/symbolic/expr.js';
import { flowLoss } from '../../src/symbolic/numeric.js';
import { gamma } from '../../src/symbolic/special.js';

const root = join(import.meta.dirname, '..', '..');

describe.each(listDerivations().map((d) => d.name))('derivation %s', (name) => {
  // checked once, used by both tests (the checks are the expensive part)
  const check = checkDerivation(name);
  it('every step is verified', () => {
    const failed = check.steps.filter((s) => !s.ok).map((s) => `${s.title}: ${s.method}: ${s.detail}`);
    expect(failed).toEqual([]);
    expect(check.steps.length).toBeGreaterThan(0);
  });
  it('docs/derivations file is up to date (run npx tsx scripts/symbolic/render-derivations.ts)', () => {
    const committed = readFileSync(join(root, 'docs', 'derivations', `${name}.md`), 'utf8');
    expect(committed.split('\n')[0]).toMatch(/generated .* do not edit/);
    expect(committed).toBe(derivationToMarkdown(getDerivation(name), check));
  });
});

it('renderDerivation (the CLI path) gives the same Markdown and a text form', () => {
  const md = renderDerivation('time-law', 'md');
  expect(md).toBe(readFileSync(join(root, 'docs', 'derivations', 'time-law.md'), 'utf8'));
  expect(renderDerivation('time-law', 'text')).toMatch(/check: .*passed/);
  expect(() => renderDerivation('no-such', 'md')).toThrow(/^name must be one of/);
});

describe('negative controls: wrong steps are reported failing', () => {
  const a = sym('a');
  const b = sym('b');
  it('an exact step with a wrong exponent (1/b instead of 1/(1+b))', () => {
    const d: Derivation = {
      name: 'wrong-exact', title: 't', theory: '-', summary: '-',
      parts: [{ title: 'p', params: {}, steps: [
        { title: 'rule', why: '-', latex: 'x', expr: div(div(sub(a, ONE), b), add(div(sub(a, ONE), b), sub(a, ONE))) },
        { title: 'wrong', why: '-', latex: 'y', expr: div(ONE, b) },
      ] }],
    };
    const c = checkDerivationSteps(d);
    expect(c.ok).toBe(false);
    expect(c.steps[0].method).toBe('exact rational-function arithmetic');
  });
  it('an asymptotic step with the time-law prefactor off by 2^{(a-1)/b} (2t written as t)', () => {
    const d: Derivation = {
      name: 'wrong-asymptotic', title: 't', theory: '-', summary: '-',
      parts: [{ title: 'p', params: { a: [1.2, 2], b: [1, 2] }, limit: { variable: 't', values: [1e4, 1e6, 1e8], tolerance: 1e-3 }, steps: [
        { title: 'sum', why: '-', latex: 'x', value: (p) => flowLoss(p.t, p.a, p.b) },
        { title: 'wrong', why: '-', relation: '~', latex: 'y', value: (p) => (gamma((p.a - 1) / p.b) / p.b) * Math.pow(p.t, -(p.a - 1) / p.b) },
      ] }],
    };
    expect(checkDerivationSteps(d).ok).toBe(false);
  });
  it('a numeric identity with a wrong Gamma argument', () => {
    const good = getDerivation('time-law');
    const part = good.parts[0];
    const wrong: Derivation = {
      ...good,
      parts: [{ ...part, steps: [...part.steps.slice(0, 3), { ...part.steps[3], expr: mul(num(2), part.steps[3].expr!) }] }],
    };
    expect(checkDerivationSteps(good).ok).toBe(true);
    expect(checkDerivationSteps(wrong).ok).toBe(false);
  });
});

/**
 * An optimizer is one module (docs/architecture.md): outside src/dynamics and the CLI's option parsing
 * (src/cli/dynamicsOptions.ts) no source file branches on an optimizer's name; layers ask the module through
 * the registry. This test scans src/** for a registered name (OPTIMIZERS, so a new module is covered at once)
 * as the operand of a comparison, a case label or an array-membership test. A few unions of other things are
 * spelled like an optimizer (the symbolic layer's law set 'sgd', the report's 'sgd' section, the phase
 * diagram's 'gf' panel); they are listed below with the union they belong to, and each listing must still match
 * something (no stale allowance). Second rule: every switch on a union's `.kind` ends with an exhaustive
 * `default: ... assertNever(...)`, so a new variant fails to compile where it is unhandled.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPTIMIZERS } from '../../src/dynamics/index.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SRC = join(ROOT, 'src');

/** Where naming an optimizer is the point: its modules and the registry, and the CLI's parsing of --optimizer. */
const EXEMPT = [/^src\/dynamics\//, /^src\/cli\/dynamicsOptions\.ts$/];

/** Other unions whose members are spelled like an optimizer: file, the matching source text, and which union. */
const OTHER_UNIONS: ReadonlyArray<{ file: string; text: RegExp; union: string }> = [
  { file: 'src/symbolic/table.ts', text: /\bset === 'sgd'|lawSetOf\(dynamics\.kind\) === 'sgd'/, union: "LawSet ('gf' | 'sgd'): the symbolic layer's two law sets" },
  { file: 'src/reconcile/report-tasks.ts', text: /case 'sgd':|name === 'sgd'|o\.kind === 'sgd'|section\.kind !== 'sgd'/, union: "the report's sections and task kinds ('sgd', 'real-data')" },
  { file: 'src/reconcile/phase-diagram.ts', text: /dynamics === 'gf'/, union: "DiagramDynamics ('sgd' | 'gf'): the phase diagram's two panels" },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'generated' ? [] : sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Lines that branch on one of `names` (comments skipped): comparisons, case labels, array membership. */
export function namedBranches(source: string, names: readonly string[]): Array<{ line: number; text: string }> {
  const alt = names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  const q = `['"\`]`;
  const patterns = [
    new RegExp(`(===|!==|==|!=)\\s*${q}(${alt})${q}`),
    new RegExp(`${q}(${alt})${q}\\s*(===|!==|==|!=)`),
    new RegExp(`\\bcase\\s+${q}(${alt})${q}\\s*:`),
    new RegExp(`\\[[^\\]]*${q}(${alt})${q}[^\\]]*\\]\\s*\\.(includes|indexOf)\\(`),
  ];
  const out: Array<{ line: number; text: string }> = [];
  source.split('\n').forEach((text, i) => {
    const code = text.replace(/\/\/.*$/, '').trim();
    if (code.startsWith('*') || code.startsWith('/*')) return;
    if (patterns.some((p) => p.test(code))) out.push({ line: i + 1, text: code });
  });
  return out;
}

/** Each `switch (x.kind)` block's text (a tagged union; a raw string `switch (kind)` of a parser throws in its default instead), from the switch to its closing brace. */
export function kindSwitches(source: string): Array<{ line: number; block: string }> {
  const out: Array<{ line: number; block: string }> = [];
  const re = /switch\s*\(([^)]*\.kind)\)\s*\{/g;
  for (let m = re.exec(source); m !== null; m = re.exec(source)) {
    let depth = 0;
    let end = m.index + m[0].length - 1;
    for (; end < source.length; end++) {
      if (source[end] === '{') depth++;
      else if (source[end] === '}' && --depth === 0) break;
    }
    out.push({ line: source.slice(0, m.index).split('\n').length, block: source.slice(m.index, end + 1) });
  }
  return out;
}

const files = sourceFiles(SRC).map((path) => ({ file: relative(ROOT, path).split('\\').join('/'), source: readFileSync(path, 'utf8') }));

describe('the scanner', () => {
  it('flags a branch on an optimizer name and ignores comments and constructions', () => {
    const names = OPTIMIZERS;
    expect(namedBranches("  if (dynamics.kind === 'momentum') return 1;", names)).toHaveLength(1);
    expect(namedBranches("  const beta = 'nesterov' !== d.kind ? 0 : d.beta;", names)).toHaveLength(1);
    expect(namedBranches("    case 'gd':", names)).toHaveLength(1);
    expect(namedBranches("  if (['gf', 'sgd'].includes(kind)) {", names)).toHaveLength(1);
    expect(namedBranches(" * gradient descent ('gd' === ...), E26", names)).toHaveLength(0);
    expect(namedBranches("  return makeDynamics({ optimizer: 'sgd', lr, batch });", names)).toHaveLength(0);
    expect(namedBranches("  if (dynamics.kind === 'adam') {", names)).toHaveLength(0);
  });
  it('finds a switch on kind and its default', () => {
    const src = "function f(d: D) {\n  switch (d.kind) {\n    case 'a': { return 1; }\n    default:\n      return assertNever(d);\n  }\n}\n";
    const found = kindSwitches(src);
    expect(found).toHaveLength(1);
    expect(found[0].line).toBe(2);
    expect(found[0].block).toMatch(/default:\s*return assertNever\(d\);\s*\}$/);
  });
});

describe('no optimizer name outside src/dynamics and the CLI parsing', () => {
  it('every registered optimizer is covered by the scan', () => {
    expect(OPTIMIZERS.length).toBeGreaterThanOrEqual(5);
  });

  it('no source file outside them branches on an optimizer name (other unions listed with their union)', () => {
    const offences: string[] = [];
    for (const { file, source } of files) {
      if (EXEMPT.some((re) => re.test(file))) continue;
      for (const hit of namedBranches(source, OPTIMIZERS)) {
        const allowed = OTHER_UNIONS.some((u) => u.file === file && u.text.test(hit.text));
        if (!allowed) offences.push(`${file}:${hit.line}: ${hit.text}`);
      }
    }
    expect(offences).toEqual([]);
  });

  it('each listed other union still matches (no stale allowance)', () => {
    for (const u of OTHER_UNIONS) {
      const source = files.find((f) => f.file === u.file)?.source ?? '';
      expect(namedBranches(source, OPTIMIZERS).some((hit) => u.text.test(hit.text)), `${u.file}: ${u.union}`).toBe(true);
    }
  });
});

describe('every switch on a kind is exhaustive', () => {
  it('ends with default: assertNever(...)', () => {
    const missing: string[] = [];
    for (const { file, source } of files) {
      for (const s of kindSwitches(source)) {
        if (!/default:\s*(return\s+)?assertNever\(/.test(s.block)) missing.push(`${file}:${s.line}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

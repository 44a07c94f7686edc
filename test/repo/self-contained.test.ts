/**
 * The repository stands on its own: a reader with only this clone can follow
 * every citation and link.
 *  (a) every equation label the code and docs cite (THEORY (E..), THEORY E..,
 *      a bare (E..), ranges such as E13-E16b and E15b-d) and every
 *      "THEORY section N" is defined in docs/theory.md, and the math of
 *      docs/theory.md, docs/outputs.md and docs/dependencies.md parses with
 *      KaTeX (a formula KaTeX rejects would show as raw TeX to a reader);
 *  (b) no tracked file points outside the repository (the sibling shared
 *      folder) or to tracker numbers;
 *  (c) every relative Markdown link in README.md and docs/ resolves to a file
 *      (and, for Markdown targets, to a heading when it names an anchor).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import katex from 'katex';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const THEORY_PATH = 'docs/theory.md';

/** Files under version control (the fresh clone is what a reader gets). */
function trackedFiles(): string[] {
  const git = spawnSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' });
  if (git.status !== 0) throw new Error(`git ls-files failed: ${git.stderr}`);
  return git.stdout.split('\0').filter((f) => f !== '' && existsSync(join(ROOT, f)));
}

const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');

// ---------------------------------------------------------------------------
// Markdown helpers

/** Removes fenced code blocks and inline code spans (their text is not prose, math or links). */
function withoutCode(markdown: string): string {
  return markdown.replace(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '').replace(/`+[^`\n]*`+/g, '');
}

/** Display math ($$...$$), inline math ($...$), and the text left after removing both. */
function splitMath(markdown: string): { display: string[]; inline: { tex: string; line: string }[]; rest: string } {
  const display: string[] = [];
  const noDisplay = withoutCode(markdown).replace(/\$\$([\s\S]+?)\$\$/g, (_m, tex: string) => {
    display.push(tex);
    return ' ';
  });
  const inline: { tex: string; line: string }[] = [];
  const rest = noDisplay
    .split('\n')
    .map((line) =>
      line.replace(/\$([^$\n]+?)\$/g, (_m, tex: string) => {
        inline.push({ tex, line });
        return ' ';
      }),
    )
    .join('\n');
  return { display, inline, rest };
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const m of withoutCode(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = slug(m[1]);
    let name = base;
    for (let i = 1; anchors.has(name); i++) name = `${base}-${i}`;
    anchors.add(name);
  }
  return anchors;
}

// ---------------------------------------------------------------------------
// (a) equation labels

/** Labels defined in docs/theory.md: a bold (E..) at the start of its definition. */
function definedLabels(theory: string): string[] {
  return [...theory.matchAll(/\*\*\(E(\d{1,2}[a-z]?)\)\*\*/g)].map((m) => `E${m[1]}`);
}

const EXPECTED_LABELS = [
  ...Array.from({ length: 31 }, (_, i) => `E${i + 1}`),
  'E15a', 'E15b', 'E15c', 'E15d', 'E16a', 'E16b', 'E16c', 'E27a', 'E28b', 'E28c', 'E28d',
];

/**
 * Every equation label a text cites: single labels (E7, E15a), letter ranges
 * (E15b-d: E15b, E15c, E15d) and label ranges (E25-E29, E13-E16b: both ends
 * and the whole numbers between them).
 */
function citedLabels(text: string): Set<string> {
  const labels = new Set<string>();
  for (const m of text.matchAll(/(?<![\w.])E(\d{1,2})([a-z])?(?:-([a-z]))?(?![\w])/g)) {
    const [, number, first, last] = m;
    if (first !== undefined && last !== undefined) {
      for (let c = first.charCodeAt(0); c <= last.charCodeAt(0); c++) labels.add(`E${number}${String.fromCharCode(c)}`);
    } else {
      labels.add(`E${number}${first ?? ''}`);
    }
  }
  for (const m of text.matchAll(/(?<![\w.])E(\d{1,2})[a-z]?\s*[-\u2013]\s*E(\d{1,2})[a-z]?(?![\w])/g)) {
    for (let k = Number(m[1]) + 1; k < Number(m[2]); k++) labels.add(`E${k}`);
  }
  return labels;
}

/** Section numbers cited as "THEORY section 6", "THEORY sections 3-5", "THEORY sections 6-7". */
function citedSections(text: string): Set<string> {
  const sections = new Set<string>();
  for (const m of text.matchAll(/THEORY(?:'s)?\s+sections?\s+(\d+[a-z]?(?:\s*(?:-|\u2013|,|and)\s*\d+[a-z]?)*)/g)) {
    const list = m[1];
    for (const part of list.split(/\s*(?:,|and)\s*/)) {
      const range = /^(\d+)\s*[-\u2013]\s*(\d+)$/.exec(part);
      if (range) for (let k = Number(range[1]); k <= Number(range[2]); k++) sections.add(String(k));
      else sections.add(part.trim());
    }
  }
  return sections;
}

/** Files whose citations must resolve: code, derivations, scripts, tests, README and docs. */
function citingFiles(): string[] {
  return trackedFiles().filter(
    (f) =>
      f !== THEORY_PATH &&
      (/^(src|derivations|bench|scripts|test)\/.*\.(ts|js|mjs|py|md)$/.test(f) || f === 'README.md' || /^docs\/.*\.md$/.test(f)),
  );
}

describe('(a) docs/theory.md defines every label the code cites', () => {
  const theory = read(THEORY_PATH);

  it('the citation parsers read single labels, letter ranges, label ranges and section lists', () => {
    expect([...citedLabels('THEORY (E15b-d), THEORY E13-E16b; (E26). E3 = remainder; 1E5 e7 E15abc xE2')].sort()).toEqual(
      ['E13', 'E14', 'E15', 'E15b', 'E15c', 'E15d', 'E16b', 'E26', 'E3'].sort(),
    );
    expect([...citedSections('THEORY sections 3-5 and THEORY section 8a, THEORY sections 6, 9')].sort()).toEqual(['3', '4', '5', '6', '8a', '9']);
  });

  it('defines E1-E31 with E15a-d, E16a-c and the lettered additions, each exactly once', () => {
    const defined = definedLabels(theory);
    const duplicates = defined.filter((label, i) => defined.indexOf(label) !== i);
    expect(duplicates, 'labels defined twice').toEqual([]);
    expect([...new Set(defined)].sort()).toEqual([...EXPECTED_LABELS].sort());
  });

  it('every label cited in src, derivations, bench, scripts, test, README and docs is defined', () => {
    const defined = new Set(definedLabels(theory));
    const files = citingFiles();
    expect(files.length).toBeGreaterThan(50);
    const undefinedCitations: string[] = [];
    let citations = 0;
    for (const file of files) {
      for (const label of citedLabels(read(file))) {
        citations += 1;
        if (!defined.has(label)) undefinedCitations.push(`${file}: ${label}`);
      }
    }
    expect(citations).toBeGreaterThan(100);
    expect(undefinedCitations).toEqual([]);
  });

  it('every "THEORY section N" cited is a numbered section of docs/theory.md', () => {
    const headings = new Set([...theory.matchAll(/^##\s+(\d+[a-z]?)\.\s/gm)].map((m) => m[1]));
    expect([...headings]).toEqual(expect.arrayContaining(['1', '2', '3', '4', '5', '6', '7', '8', '8a', '9', '10']));
    const missing: string[] = [];
    for (const file of citingFiles()) {
      for (const section of citedSections(read(file))) if (!headings.has(section)) missing.push(`${file}: section ${section}`);
    }
    expect(missing).toEqual([]);
  });

  it('states at the top how the code cites it', () => {
    const top = theory.split('\n## ')[0];
    expect(top).toContain('`THEORY (E15a)`');
  });

  it('lists the references it cites', () => {
    for (const key of ['BAP24', 'PPXP24', 'CBP21', 'AV04', 'WT07', 'dH82']) {
      expect(theory, key).toMatch(new RegExp(`^- \\[${key}\\] `, 'm'));
    }
  });

  describe('math parses with KaTeX (throwOnError)', () => {
    const { display, inline, rest } = splitMath(theory);
    const parse = (tex: string, displayMode: boolean): void => {
      katex.renderToString(tex, { throwOnError: true, displayMode });
    };

    it('display blocks ($$ ... $$)', () => {
      expect(display.length).toBeGreaterThan(20);
      for (const tex of display) expect(() => parse(tex, true), tex).not.toThrow();
    });

    it('inline math ($ ... $)', () => {
      expect(inline.length).toBeGreaterThan(150);
      for (const { tex } of inline) expect(() => parse(tex, false), tex).not.toThrow();
      // GitHub renders $...$ as math only without spaces just inside the dollars.
      expect(inline.filter(({ tex }) => tex !== tex.trim()).map(({ tex }) => tex)).toEqual([]);
    });

    it('no unpaired $ is left in the prose', () => {
      const stray = rest.split('\n').filter((line) => line.includes('$'));
      expect(stray).toEqual([]);
    });

    it('math inside a table row has no bare | (it would split the cell)', () => {
      const bad = inline.filter(({ tex, line }) => line.trimStart().startsWith('|') && tex.includes('|'));
      expect(bad.map((b) => b.tex)).toEqual([]);
    });

    it.each(['docs/outputs.md', 'docs/dependencies.md'])('%s: math parses and no $ is unpaired', (file) => {
      const other = splitMath(read(file));
      expect(other.inline.length).toBeGreaterThan(5);
      for (const { tex } of other.inline) expect(() => parse(tex, false), tex).not.toThrow();
      expect(other.inline.filter(({ tex }) => tex !== tex.trim()).map(({ tex }) => tex)).toEqual([]);
      for (const tex of other.display) expect(() => parse(tex, true), tex).not.toThrow();
      expect(other.rest.split('\n').filter((line) => line.includes('$'))).toEqual([]);
      const bad = other.inline.filter(({ tex, line }) => line.trimStart().startsWith('|') && tex.includes('|'));
      expect(bad.map((b) => b.tex)).toEqual([]);
    });

    it('a broken formula is caught (negative control)', () => {
      expect(() => parse('\\frac{1}{', false)).toThrow();
      expect(splitMath('text $a$ and $b').rest).toContain('$');
    });
  });
});

// ---------------------------------------------------------------------------
// (b) nothing points outside the repository or to the tracker

/** Patterns a self-contained file must not contain (each built so this file does not match itself). */
const OUTSIDE_REFERENCES: readonly RegExp[] = [
  new RegExp(['\\.\\.', 'shared'].join('/')), // the sibling shared folder
  // the working files of that folder named bare (the repository's own accounts are docs/theory.md, docs/style.md, docs/dependencies.md)
  new RegExp(`\\b(?:${['THEORY', 'STYLE', 'LIBRARIES'].join('|')})\\.md\\b`),
  /\b[Ii]ssues?\s*#?\d+\b/, // the word for a tracker entry followed by its number
  /\b(?:PRs?|[Pp]ull requests?|[Tt]ickets?)\s*#?\d+\b/,
  // a number sign before a number used as a reference: in parentheses, or after see / fixes / closes (not LaTeX or a colour)
  /\(#\d+\)|\b(?:[Ss]ee|[Ff]ix(?:es|ed)?|[Cc]los(?:es|ed)|[Rr]esolv(?:es|ed)|in|per|from)\s+#\d+\b/,
];

function outsideReferences(text: string): string[] {
  const found: string[] = [];
  for (const pattern of OUTSIDE_REFERENCES) {
    const m = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
    for (const hit of text.matchAll(m)) found.push(hit[0].trim());
  }
  return found;
}

describe('(b) no tracked file refers outside the repository or to tracker numbers', () => {
  it('the scanner catches each form and leaves ordinary text alone (negative control)', () => {
    const shared = ['..', 'shared', ['THEORY', 'md'].join('.')].join('/');
    expect(outsideReferences(`see ${shared}`)).not.toEqual([]);
    expect(outsideReferences(`measured (${['LIBRARIES', 'md'].join('.')})`)).toEqual([['LIBRARIES', 'md'].join('.')]);
    expect(outsideReferences('see docs/theory.md and docs/dependencies.md')).toEqual([]);
    // Built from pieces so that this file does not contain what it forbids.
    const entry = (word: string, number: string) => [word, number].join(' ');
    expect(outsideReferences(`as asked in ${entry('issue', '7')}`)).toEqual([entry('issue', '7')]);
    expect(outsideReferences(`${entry('issues', '2')}, 3 and 4`)).toEqual([entry('issues', '2')]);
    expect(outsideReferences(`${entry('Issue', '#9')} was closed`)).not.toEqual([]);
    expect(outsideReferences(`fixed (${'#'}12) and see ${'#'}9.`)).toHaveLength(2);
    expect(outsideReferences(`${entry('PR', '31')} merged`)).toHaveLength(1);
    expect(outsideReferences('colour "#444", fill: #e6e6e6, \\#1 and "50% & #1" in LaTeX, 1e5 steps, issue tracker, the issues we found')).toEqual([]);
  });

  it('no tracked file except package-lock.json contains them', () => {
    const offenders: string[] = [];
    for (const file of trackedFiles()) {
      if (file === 'package-lock.json' || /\.(svg|png|pdf|npy|npz)$/.test(file)) continue;
      const hits = outsideReferences(read(file));
      if (hits.length > 0) offenders.push(`${file}: ${[...new Set(hits)].join(', ')}`);
    }
    expect(offenders).toEqual([]);
  });
});

// ---------------------------------------------------------------------------
// (c) relative links resolve

interface Link {
  readonly file: string;
  readonly target: string;
}

/** Links and images with a relative target, outside code and math (where GitHub renders no link). */
function relativeLinks(file: string, markdown: string): Link[] {
  const { rest } = splitMath(markdown);
  const links: Link[] = [];
  for (const m of rest.matchAll(/!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    const target = m[1];
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http:, https:, mailto:
    links.push({ file, target });
  }
  return links;
}

function brokenLink(link: Link): string | null {
  const [pathPart, anchor] = link.target.split('#', 2);
  const path = decodeURIComponent(pathPart.split('?')[0]);
  const resolved = path === '' ? link.file : normalize(join(dirname(link.file), path));
  if (resolved.startsWith('..')) return `${link.file}: ${link.target} leaves the repository`;
  if (!existsSync(join(ROOT, resolved))) return `${link.file}: ${link.target} (no file ${resolved})`;
  if (anchor !== undefined && anchor !== '' && resolved.endsWith('.md') && !anchorsOf(read(resolved)).has(anchor.toLowerCase())) {
    return `${link.file}: ${link.target} (no heading #${anchor} in ${resolved})`;
  }
  return null;
}

/**
 * Known broken links in files this change does not own, each with the reason;
 * an entry must still be broken (so the list shrinks when the file is fixed).
 */
const KNOWN_BROKEN: ReadonlyMap<string, string> = new Map([
  // "M[Phi](s)" in plain text renders as a link to a file "s"; the formula belongs in code or math.
  ['docs/symbolic.md: s (no file docs/s)', 'Mellin transform written as M[Phi](s) outside code'],
]);

describe('(c) relative Markdown links in README.md and docs/ resolve', () => {
  const files = trackedFiles().filter((f) => f === 'README.md' || /^docs\/.*\.md$/.test(f));

  it('the link checker resolves paths and anchors (negative control)', () => {
    expect(brokenLink({ file: 'docs/theory.md', target: 'outputs.md' })).toBeNull();
    expect(brokenLink({ file: 'docs/theory.md', target: '#10-where-the-papers-stated-formulas-fail' })).toBeNull();
    expect(brokenLink({ file: 'README.md', target: 'docs/no-such-file.md' })).toMatch(/no file/);
    expect(brokenLink({ file: 'docs/theory.md', target: '#no-such-heading' })).toMatch(/no heading/);
    expect(brokenLink({ file: 'docs/theory.md', target: '../../outside.md' })).toMatch(/leaves the repository/);
    expect(relativeLinks('x.md', 'a [link](y.md), `[code](z.md)`, $M[\\Phi](s)$, [web](https://example.org)')).toEqual([{ file: 'x.md', target: 'y.md' }]);
  });

  it('every link points to an existing file (and heading)', () => {
    expect(files).toContain('README.md');
    expect(files).toContain(THEORY_PATH);
    const broken: string[] = [];
    let count = 0;
    for (const file of files) {
      for (const link of relativeLinks(file, read(file))) {
        count += 1;
        const problem = brokenLink(link);
        if (problem !== null) broken.push(problem);
      }
    }
    expect(count).toBeGreaterThan(20);
    const unexpected = broken.filter((b) => !KNOWN_BROKEN.has(b));
    expect(unexpected).toEqual([]);
    for (const known of KNOWN_BROKEN.keys()) expect(broken, `known entry fixed? remove it: ${known}`).toContain(known);
  });

  it('docs/theory.md links only inside the repository', () => {
    const links = relativeLinks(THEORY_PATH, read(THEORY_PATH));
    expect(links.length).toBeGreaterThan(10);
    for (const link of links) expect(brokenLink(link), link.target).toBeNull();
  });
});

describe('STYLE citations', () => {
  it('every "STYLE n" cited in the code is a numbered practice of docs/style.md', () => {
    const style = read('docs/style.md');
    const defined = new Set([...style.matchAll(/^(\d+)\. \*\*/gm)].map((m) => Number(m[1])));
    expect(defined.size).toBeGreaterThanOrEqual(13);
    const missing: string[] = [];
    for (const file of trackedFiles()) {
      if (!/^(src|test|derivations|bench|scripts)\/.*\.(ts|py)$/.test(file)) continue;
      for (const m of read(file).matchAll(/STYLE (\d+)(?:\s*-\s*(\d+))?((?:,\s*\d+)*)/g)) {
        const numbers = [Number(m[1]), ...(m[2] ? [Number(m[2])] : []), ...(m[3] ? m[3].split(',').filter((x) => x.trim()).map(Number) : [])];
        for (const n of numbers) if (!defined.has(n)) missing.push(`${file}: STYLE ${n}`);
      }
    }
    expect(missing).toEqual([]);
  });
});


/**
 * Outputs that go straight into a paper: the LaTeX tables compile with a real
 * pdflatex without an overfull box, every SVG figure renders with
 * rsvg-convert, and the CSV's comment lines are valid CSV. The table used is
 * the full default report (12 laws x 11 cases, the committed example), the
 * widest the tool writes. pdflatex and rsvg-convert come from Debian
 * (texlive-latex-base, texlive-latex-recommended, librsvg2-bin; .ci/run
 * installs them); without them these tests skip with a message, except in CI
 * (CI set), where they must run.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tableToCsv, tableToLatex } from '../../src/reconcile/tables.js';
import type { ReconciliationRow, ReconciliationTable } from '../../src/reconcile/types.js';
import { scratchDir } from '../scratch.js';

function available(tool: string): boolean {
  return spawnSync(tool, ['--version'], { encoding: 'utf8' }).status === 0;
}

/** it, or a visible skip when the tool is missing outside CI (in CI a missing tool fails the test). */
function withTool(tool: string) {
  if (available(tool) || process.env.CI) return it;
  console.warn(`SKIPPED: ${tool} not found (install Debian texlive-latex-base texlive-latex-recommended librsvg2-bin; .ci/run does)`);
  return it.skip;
}

const example = JSON.parse(readFileSync(join(__dirname, '../../docs/example-report/reconciliation.json'), 'utf8')) as {
  rows: Record<string, unknown>[];
  provenance: ReconciliationTable['provenance'];
  status: ReconciliationTable['status'];
};
const fromJson = (v: unknown) => (v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v === 'NaN' ? Number.NaN : v);
const rows = example.rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, fromJson(v)])) as unknown as ReconciliationRow);
// Make one row a bold disagreement (the widest cell form) and keep the rest as they are.
rows[1] = { ...rows[1], verdict: 'disagree', difference: -0.0583 };
const TABLE: ReconciliationTable = { rows, provenance: example.provenance, status: example.status };

describe('the LaTeX tables in a paper page', () => {
  withTool('pdflatex')('compile with pdflatex (article, 10pt) without an overfull box or a float too large', () => {
    const dir = scratchDir('scaling-dmft-latex-');
    writeFileSync(join(dir, 'table.tex'), tableToLatex(TABLE));
    writeFileSync(
      join(dir, 'paper.tex'),
      ['\\documentclass{article}', '\\usepackage{booktabs}', '\\begin{document}', '\\input{table}', '\\clearpage', '\\end{document}', ''].join('\n'),
    );
    const run = spawnSync('pdflatex', ['-interaction=nonstopmode', '-halt-on-error', 'paper.tex'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    const log = readFileSync(join(dir, 'paper.log'), 'latin1');
    expect(run.status, log.slice(-2000)).toBe(0);
    expect(log.match(/^(Overfull|Underfull) \\hbox.*$/gm) ?? []).toEqual([]);
    expect(log).not.toMatch(/Float too large/);
    // Every row is in the PDF's tables: one table per case, as many data lines as rows.
    const cases = new Set(rows.map((r) => `${r.a},${r.b}`)).size;
    expect(log.match(/Overfull \\vbox/g) ?? []).toEqual([]);
    expect((tableToLatex(TABLE).match(/\\begin\{table\}/g) ?? []).length).toBe(cases);
  });
});

describe('the CSV provenance comments', () => {
  it('are each one valid CSV field (no comma, quote or line break) starting with #, and decode back to the JSON', () => {
    const csv = tableToCsv(TABLE);
    const comments = csv.split('\r\n').filter((l) => l.startsWith('#'));
    expect(comments.length).toBeGreaterThanOrEqual(5);
    for (const line of comments) expect(line).not.toMatch(/[,"\r\n]/);
    const parameters = comments.find((l) => l.startsWith('# parameters: '))!;
    expect(JSON.parse(decodeURIComponent(parameters.slice('# parameters: '.length)))).toEqual(
      JSON.parse(JSON.stringify(example.provenance.parameters)),
    );
  });
});

describe('the SVG figures', () => {
  withTool('rsvg-convert')('every SVG of the example report renders with rsvg-convert to a non-empty PNG', () => {
    const folder = join(__dirname, '../../docs/example-report/figures');
    const svgs = readdirSync(folder).filter((f) => f.endsWith('.svg'));
    expect(svgs.length).toBeGreaterThan(10);
    for (const svg of svgs) {
      const run = spawnSync('rsvg-convert', ['--format', 'png', join(folder, svg)], { encoding: 'buffer', timeout: 30_000 });
      expect(run.status, `${svg}: ${run.stderr.toString()}`).toBe(0);
      // PNG signature and more than a header.
      expect(run.stdout.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
      expect(run.stdout.length).toBeGreaterThan(1000);
    }
  });
});

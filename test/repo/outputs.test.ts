/**
 * docs/outputs.md defines every output: each column and field the commands
 * write, each law id, verdict, status and report file is named there (in
 * backticks). The outputs are produced by the real code paths (the CLI run
 * in-process, the table writers, the committed example report), so a new
 * column without documentation fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../src/cli/program.js';
import { STATUS_SEVERITY } from '../../src/core/solution.js';
import { ALL_LAWS } from '../../src/reconcile/reconcile.js';
import { CSV_COLUMNS, VERDICT_WORDS, tableToJson } from '../../src/reconcile/tables.js';
import type { ReconciliationRow } from '../../src/reconcile/types.js';
import { exponentTable } from '../../src/symbolic/index.js';

const ROOT = join(import.meta.dirname, '..', '..');
const OUTPUTS = readFileSync(join(ROOT, 'docs', 'outputs.md'), 'utf8');

/** Names that outputs.md does not mention in backticks. */
function undocumented(names: Iterable<string>): string[] {
  return [...new Set(names)].filter((name) => !OUTPUTS.includes(`\`${name}\``));
}

async function cli(...argv: string[]): Promise<string> {
  let stdout = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const code = await run(argv);
    expect(code, `scaling-dmft ${argv.join(' ')}`).toBe(0);
    return stdout;
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

// Every optional column at once: ensemble, transfer functions and the simulation.
const CURVE = ['curve', '--a', '1.5', '--b', '1.25', '--N', '16', '--P', '32', '--M', '200', '--sigma', '0.3', '--t', '1,10',
  '--ensemble', '4', '--modes', '1,3', '--simulate', '--seeds', '3', '--seed', '1'];

describe('docs/outputs.md names every output', () => {
  it('the check fails for a name it does not contain (negative control)', () => {
    expect(undocumented(['test', 'no_such_column'])).toEqual(['no_such_column']);
  });

  it('curve: every CSV column', async () => {
    const csv = await cli(...CURVE, '--format', 'csv');
    const header = csv.split('\n').find((line) => !line.startsWith('#'))!.split(',');
    expect(header).toEqual(expect.arrayContaining(['t', 'test', 'test_E', 'H_1', 'H_3', 'mc_test', 'z_test', 'status']));
    // Transfer-function columns are documented once, as H_k.
    expect(undocumented(header.map((name) => (/^H_\d+$/.test(name) ? 'H_k' : name)))).toEqual([]);
  });

  it('curve: every Markdown column is a CSV column', async () => {
    const md = await cli(...CURVE, '--format', 'md');
    const header = md.split('\n').find((line) => line.startsWith('| t |'))!;
    const names = header.split('|').map((cell) => cell.trim()).filter((cell) => cell !== '');
    expect(undocumented(names.map((name) => (/^H_\d+$/.test(name) ? 'H_k' : name)))).toEqual([]);
  });

  it('curve: every JSON field, nested objects included', async () => {
    const json = JSON.parse(await cli(...CURVE, '--format', 'json')) as Record<string, Record<string, unknown>>;
    const names = [
      ...Object.keys(json),
      ...Object.keys(json.errorEstimate),
      ...Object.keys(json.diagnostics),
      ...Object.keys(json.transfer),
      ...Object.keys(json.simulation),
    ];
    expect(names).toEqual(expect.arrayContaining(['testE', 'statusPerTime', 'kappaC', 'transfer', 'simulation']));
    expect(undocumented(names)).toEqual([]);
  });

  it('curve: the finite-model-gap fields (momentum, beta = 0.9, a > 2b)', async () => {
    const json = JSON.parse(await cli('curve', '--a', '4.4', '--b', '1.3', '--M', '1000', '--N', '512', '--P', '1024', '--optimizer', 'momentum',
      '--lr', '0.2', '--momentum', '0.9', '--t', '10,20,50', '--format', 'json')) as Record<string, Record<string, unknown>>;
    const names = [...Object.keys(json), ...Object.keys(json.finiteModelGap), String(json.finiteModelGap.regime)];
    expect(names).toEqual(expect.arrayContaining(['notes', 'finiteModelGap', 'expectedGap']));
    expect(undocumented(names)).toEqual([]);
  });

  it('curve: the SGD-on-P-samples fields (--optimizer sgd at a finite --P)', async () => {
    const json = JSON.parse(await cli('curve', '--a', '2', '--b', '1.5', '--M', '200', '--N', '32', '--P', '64', '--optimizer', 'sgd',
      '--lr', '0.5', '--batch', '4', '--t', '2,20', '--format', 'json')) as Record<string, Record<string, unknown>>;
    const reuse = json.reuse as Record<string, Record<string, unknown>>;
    const names = [...Object.keys(json), ...Object.keys(reuse), ...Object.keys(reuse.errorEstimate)];
    expect(json.parameters.sampling).toBe('replacement');
    expect(names).toEqual(expect.arrayContaining(['reuse', 'sampling', 'meanGradientTerm', 'kernelNorm']));
    expect(undocumented(names)).toEqual([]);
  });

  it('demo: every table column', async () => {
    const md = await cli('demo', '--seeds', '2', '--workers', '1'); // two seeds: the fewest with z and agree columns
    const header = md.split('\n').find((line) => line.startsWith('| t |'))!;
    const names = header.split('|').map((cell) => cell.trim()).filter((cell) => cell !== '');
    expect(names).toContain('agree');
    expect(undocumented(names)).toEqual([]);
  });

  it('exponents: every law id and every JSON field', async () => {
    const numeric = JSON.parse(await cli('exponents', '--a', '3', '--b', '1.5', '--format', 'json')) as { laws: Record<string, unknown>[] };
    const symbolic = exponentTable();
    const ids = [...numeric.laws, ...symbolic.laws].map((law) => String(law.id));
    const fields = [...Object.keys(numeric), ...[...numeric.laws, ...symbolic.laws].flatMap((law) => Object.keys(law))];
    expect(ids).toEqual(expect.arrayContaining(['time', 'width', 'width_bias', 'cross_term', 'gap_growth']));
    expect(undocumented(ids)).toEqual([]);
    expect(undocumented(fields)).toEqual([]);
  });

  it('reconcile: every law id, CSV column, JSON field and verdict', () => {
    expect(undocumented(ALL_LAWS)).toEqual([]);
    expect(undocumented(CSV_COLUMNS)).toEqual([]);
    expect(undocumented(Object.keys(VERDICT_WORDS))).toEqual([]);
    expect(undocumented(Object.values(VERDICT_WORDS))).toEqual([]);
    const row: ReconciliationRow = {
      id: 'width', a: 3, b: 1.5, quantity: 'q', variable: 'N', closedForm: -1.5, closedFormText: '-3/2',
      paper: { exponent: -2, text: '-min(a-1, 2b)' }, fitted: -1.498, stderr: 0.001, window: { from: 10, to: 1e8, points: 50 },
      simulationFitted: null, simulationStderr: null, difference: 0.002, tolerance: 0.02, verdict: 'agree', fitStatus: 'converged', note: '',
    };
    const json = tableToJson({ rows: [row], status: 'converged', provenance: { tool: { name: 'scaling-dmft', version: '0' }, generated: 'g', parameters: {}, solver: {}, seeds: null } });
    const names = [...Object.keys(json), ...Object.keys(json.rows[0]), ...Object.keys(json.provenance), ...Object.keys(row.window!)];
    expect(undocumented(names)).toEqual([]);
  });

  it('every status', () => {
    expect(undocumented(Object.keys(STATUS_SEVERITY))).toEqual([]);
  });

  it('report: every file of the committed example report', () => {
    const dir = join(ROOT, 'docs', 'example-report');
    const top = readdirSync(dir).filter((name) => name !== 'figures');
    expect(top).toContain('report.md');
    expect(undocumented(top)).toEqual([]);
    const figures = readdirSync(join(dir, 'figures')).filter((name) => name.endsWith('.svg'));
    expect(figures.length).toBeGreaterThan(10);
    // a1.5_b1.25_compute_optimal_frontier.svg -> figures/a<a>_b<b>_compute_optimal_frontier.svg
    // and sgd_compute_optimal_frontier_a2_b1.5.svg -> figures/sgd_compute_optimal_frontier_a<a>_b<b>.svg
    const generic = figures.map((name) => `figures/${name.replace(/^a[\d.]+_b[\d.]+_/, 'a<a>_b<b>_').replace(/_a[\d.]+_b[\d.]+\.svg$/, '_a<a>_b<b>.svg')}`);
    expect(undocumented(generic)).toEqual([]);
  });
});

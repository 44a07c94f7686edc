// `exponents --ridge/--schedule` and `reconcile --ridge / --optimizer gd|momentum|nesterov [--schedule]` (THEORY E25-E28d).
import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

interface Row { id: string; closedForm: number; fitted: number | null; verdict: string }
interface Law { id: string; exponent: number | null; prefactor: number | null }

describe('dynamics laws from the command line', () => {
  it('exponents --ridge adds the three ridge laws at numbers', async () => {
    const result = await cli('exponents', '--a', '1.5', '--b', '1.25', '--ridge', '1e-3', '--format', 'json');
    expect(result.code).toBe(0);
    const laws = (JSON.parse(result.stdout) as { laws: Law[] }).laws;
    expect(laws.find((l) => l.id === 'ridge_plateau')?.exponent).toBeCloseTo(0.4, 12);
    expect(laws.find((l) => l.id === 'ridge_takeover_time')?.exponent).toBe(-1);
    expect(laws.find((l) => l.id === 'ridge_crossover')?.exponent).toBeCloseTo(-1.25, 12);
  });

  it('exponents --schedule power gives the time law in steps; its prefactor only with --lr', async () => {
    const withRate = await cli('exponents', '--a', '1.5', '--b', '1.25', '--optimizer', 'gd', '--lr', '0.5', '--schedule', 'power:10:0.5', '--format', 'json');
    const law = (JSON.parse(withRate.stdout) as { laws: Law[] }).laws.find((l) => l.id === 'time_steps')!;
    expect(law.exponent).toBeCloseTo(-0.2, 12);
    expect(law.prefactor).toBeGreaterThan(0);
    const symbolicRate = await cli('exponents', '--a', '1.5', '--b', '1.25', '--optimizer', 'gd', '--schedule', 'power:10:0.5', '--format', 'json');
    expect((JSON.parse(symbolicRate.stdout) as { laws: Law[] }).laws.find((l) => l.id === 'time_steps')!.prefactor).toBeNull();
  });

  it('reconcile --optimizer gd at eta E_max = 1.5 agrees in eta t', async () => {
    const result = await cli('reconcile', '--a', '1.5', '--b', '1.25', '--optimizer', 'gd', '--lr', '1.5', '--format', 'json');
    expect(result.code).toBe(0);
    const rows = (JSON.parse(result.stdout) as { rows: Row[] }).rows;
    expect(rows.map((r) => [r.id, r.verdict])).toEqual([['time_equivalent', 'agree']]);
  });

  it('reconcile --optimizer nesterov agrees in eta t/(1 - beta) (its module\'s rescaled time)', async () => {
    const result = await cli('reconcile', '--a', '1.5', '--b', '1.25', '--optimizer', 'nesterov', '--lr', '0.1', '--momentum', '0.9', '--format', 'json');
    expect(result.code, result.stderr).toBe(0);
    const rows = (JSON.parse(result.stdout) as { rows: (Row & { variable: string })[] }).rows;
    expect(rows.map((r) => [r.id, r.variable, r.verdict])).toEqual([['time_equivalent', 'eta t/(1-beta)', 'agree']]);
  });

  it('reconcile --ridge measures the ridge laws with verdicts', async () => {
    const result = await cli('reconcile', '--a', '3', '--b', '1.5', '--ridge', '1e-4', '--format', 'json');
    expect(result.code).toBe(0);
    const rows = (JSON.parse(result.stdout) as { rows: Row[] }).rows;
    expect(rows.map((r) => r.id)).toEqual(['ridge_plateau', 'ridge_takeover_time', 'ridge_crossover']);
    for (const row of rows) expect(row.verdict, row.id).toBe('agree');
  }, 60_000);
});

describe('reconcile with a WSD schedule', () => {
  it('refuses --format csv or latex in one line, before any work (the cool-down table would be dropped)', async () => {
    for (const format of ['csv', 'latex']) {
      const result = await cli('reconcile', '--optimizer', 'gd', '--lr', '0.5', '--schedule', 'wsd:10000:0.2', '--format', format);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(new RegExp(`^scaling-dmft: error: --format must be md or json with a WSD schedule .*got "${format}"\\n$`));
    }
  });
});

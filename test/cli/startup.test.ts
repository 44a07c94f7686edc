/**
 * Start-up: each command loads only the layers it uses (dynamic import per
 * command), so `--version` loads no layer at all, `exponents` neither the
 * numeric layer, the simulator nor the figure renderer, and `curve` without
 * --simulate neither the simulator, the symbolic layer nor vega. Checked on
 * the built binary with a module hook that lists every module loaded (not
 * timed: timings are in docs/performance.md).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { BUILT_BIN, ensureBuilt, ROOT } from './helpers.js';

const TRACE = join(ROOT, 'test', 'cli', 'fixtures', 'trace-loads.mjs');

function loadedModules(argv: string[]): { status: number | null; modules: string[] } {
  const result = spawnSync(process.execPath, ['--import', TRACE, BUILT_BIN, ...argv], { encoding: 'utf8', timeout: 60_000 });
  const marker = result.stderr.lastIndexOf('--loaded--');
  expect(marker, result.stderr).toBeGreaterThanOrEqual(0);
  const urls = result.stderr.slice(marker + '--loaded--'.length).trim().split('\n');
  return { status: result.status, modules: urls.map((url) => url.replace(/^file:\/\//, '').replace(ROOT, '')) };
}

const layer = (modules: string[], name: string) => modules.filter((m) => m.includes(`/dist/src/${name}/`));
const packageLoaded = (modules: string[], name: string) => modules.some((m) => m.includes(`/node_modules/${name}/`));

describe('start-up loads only what a command uses', () => {
  beforeAll(() => ensureBuilt());

  it('--version: the program and core only', () => {
    const { status, modules } = loadedModules(['--version']);
    expect(status).toBe(0);
    const own = modules.filter((m) => m.includes('/dist/src/'));
    expect(own.sort()).toEqual(['/dist/src/cli/flag-names.js', '/dist/src/cli/main.js', '/dist/src/cli/program.js', '/dist/src/core/errors.js', '/dist/src/core/version.js']);
    for (const name of ['vega', 'vega-lite', 'mathjs', 'nerdamer-prime', 'cli-progress']) expect(packageLoaded(modules, name), name).toBe(false);
  });

  it('exponents: no numeric layer, simulator, reconcile layer or vega', () => {
    const { status, modules } = loadedModules(['exponents', '--a', '1.5', '--b', '1.25', '--format', 'json']);
    expect(status).toBe(0);
    for (const name of ['numeric', 'simulation', 'reconcile']) expect(layer(modules, name), name).toEqual([]);
    for (const name of ['vega', 'vega-lite', 'mathjs']) expect(packageLoaded(modules, name), name).toBe(false);
  });

  it('curve without --simulate: no figures, vega, mathjs or nerdamer', () => {
    const { status, modules } = loadedModules(['curve', '--a', '1.5', '--b', '1.25', '--N', '16', '--P', '16', '--t', '1']);
    expect(status).toBe(0);
    // curve takes the data-set flags, so the data layer loads, and through it the simulation layer's
    // barrel (PRNG, eigensolver) and the symbolic laws' cache: about 0.1 s of module loading, no work.
    expect(modules.filter((m) => /reconcile\/(report|figures|sweep|reconcile)\.js$/.test(m))).toEqual([]);
    for (const name of ['vega', 'vega-lite', 'mathjs', 'nerdamer-prime']) expect(packageLoaded(modules, name), name).toBe(false);
  });

  it('the command tree registers only the named command (all of them for help)', async () => {
    expect((await buildProgram(['--version'])).commands.map((c) => c.name())).toEqual([]);
    expect((await buildProgram(['curve', '--a', '1'])).commands.map((c) => c.name())).toEqual(['curve']);
    const all = (await buildProgram(['--help'])).commands.map((c) => c.name());
    for (const name of ['curve', 'demo', 'exponents', 'derive', 'reconcile', 'report']) expect(all).toContain(name);
  });
});

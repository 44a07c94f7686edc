/**
 * Generates test/fixtures/dynamics/<case>.json (cases and document:
 * dynamics-cases.ts): Monte Carlo ground truth of the finite model under
 * ridge, GD, momentum and one-pass SGD for test/reconcile/dynamics-vs-simulation.test.ts
 * and test/reconcile/sgd-vs-recursion.test.ts.
 *
 * Rerun: npx tsx scripts/simulation/dynamics-fixtures.ts [--workers 1] [--only SUBSTRING]
 * (output is bit-identical for any worker count on the same Node/V8).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dynamicsCases, dynamicsDocument } from './dynamics-cases.js';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

{
  const workers = Number(option('--workers') ?? 1);
  const only = option('--only');
  const outDir = new URL('../../test/fixtures/dynamics/', import.meta.url);
  mkdirSync(outDir, { recursive: true });
  const started = Date.now();
  for (const c of dynamicsCases()) {
    if (only !== undefined && !c.name.includes(only)) continue;
    const t0 = Date.now();
    const doc = await dynamicsDocument(c, workers);
    writeFileSync(new URL(`${c.name}.json`, outDir), `${JSON.stringify(doc)}\n`);
    console.log(`${new Date().toISOString()} ${c.name}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  console.log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

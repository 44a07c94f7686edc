/**
 * Generates test/fixtures/simulation/<case>.json: Monte Carlo ground truth of
 * the finite random-feature model (THEORY E1-E6) for the DMFT comparison.
 *
 * Cases (scripts/simulation/fixture-cases.ts): M = 2000 power-law modes,
 * (a, b) in {1.5, 2} x {1, 1.5}, (N, P) in {(64, inf), (inf, 128),
 * (256, 512), (512, 256), (256, 256), (128, 2048)}, sigma in {0, 0.3} (shared
 * draws), t = 0 and 40 log-spaced points in [1e-1, 1e5]; 50 seeds, 2
 * projections A per seed; each file has the mean and s.e. of test, train, gap,
 * testA (L_A) and bias (B), the seeds and every parameter. Interpolating runs
 * (P < N) use FIXTURE_SEEDS_INTERPOLATING seeds (see fixture-cases.ts).
 *
 * Rerun: npx tsx scripts/simulation/make-fixtures.ts [--workers 1] [--only SUBSTRING]
 * (about 10 minutes on one core of the 2-core dev machine; output is
 * bit-identical for any worker count on the same Node/V8).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fixtureCases, fixtureDocument, runFixtureCase } from './fixture-cases.js';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const workers = Number(option('--workers') ?? 1);
const only = option('--only');
const outDir = new URL('../../test/fixtures/simulation/', import.meta.url);
mkdirSync(outDir, { recursive: true });

const started = Date.now();
for (const c of fixtureCases()) {
  if (only !== undefined && !c.name.includes(only)) continue;
  const t0 = Date.now();
  const result = await runFixtureCase(c, workers);
  const seconds = (Date.now() - t0) / 1000;
  const note = `${c.seeds} seeds (the planned count for this case), ${seconds.toFixed(0)} s with ${workers} worker(s)`;
  const doc = fixtureDocument(c, result, note);
  writeFileSync(new URL(`${c.name}.json`, outDir), `${JSON.stringify(doc)}\n`);
  console.log(`${new Date().toISOString()} ${c.name}: ${seconds.toFixed(1)} s, ${result.timing.msPerSeed.toFixed(0)} ms/seed, ${result.timing.form} ${result.timing.size}, ${result.status}`);
}
console.log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);

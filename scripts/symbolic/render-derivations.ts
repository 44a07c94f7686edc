/**
 * Writes docs/derivations/<name>.md for every derivation in derivations/
 * (each file's first line says it is generated). Run: npx tsx scripts/symbolic/render-derivations.ts
 * test/symbolic/derivations.test.ts fails when a committed file differs from this output.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listDerivations, renderDerivation } from '../../src/symbolic/derivations.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = join(root, 'docs', 'derivations');
mkdirSync(outDir, { recursive: true });
let failed = 0;
for (const { name } of listDerivations()) {
  const text = renderDerivation(name, 'md');
  if (text.includes('SOME STEPS FAILED')) failed++;
  writeFileSync(join(outDir, `${name}.md`), text);
  process.stdout.write(`wrote docs/derivations/${name}.md\n`);
}
if (failed) {
  process.stderr.write(`${failed} derivation(s) have failing steps\n`);
  process.exitCode = 1;
}

/**
 * Writes src/symbolic/generated/laws.ts: every law of the exponent tables
 * (gradient flow and one-pass SGD) derived by the symbolic engine, as exact
 * data, so that `exponents` only selects and folds the holding case.
 * Run: npx tsx scripts/symbolic/generate-law-cache.ts
 * test/symbolic/law-cache.test.ts fails when the committed file differs from a fresh derivation.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lawCacheSource } from '../../src/symbolic/table.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const file = join(root, 'src', 'symbolic', 'generated', 'laws.ts');
writeFileSync(file, lawCacheSource());
process.stdout.write(`wrote ${file}\n`);

/** The tool's name and version, for provenance in every output file. */
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageJson(): { name: string; version: string } {
  // Walk up from this module: works from src/ (tsx, vitest) and from dist/src/ (built bin).
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'scaling-dmft') return { name: pkg.name, version: pkg.version ?? '0.0.0' };
    }
    dir = dirname(dir);
  }
  return { name: 'scaling-dmft', version: 'unknown' };
}

/** The tool's name and version from package.json, for provenance in every output. */
export const TOOL = findPackageJson();

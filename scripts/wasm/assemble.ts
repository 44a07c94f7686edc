/**
 * WAT -> WebAssembly binary and the generated TypeScript module that carries it as base64, shared by
 * scripts/simulation/build-wasm.ts and scripts/numeric/build-wasm.ts (wabt, devDependency, pinned 1.0.39).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import wabtInit from 'wabt';

/** The binary assembled from WAT source (SIMD enabled, no debug names: deterministic bytes). */
export async function assembleWat(name: string, wat: string): Promise<Uint8Array> {
  const wabt = await wabtInit();
  const parsed = wabt.parseWat(name, wat, { simd: true });
  try {
    parsed.resolveNames();
    parsed.validate();
    return parsed.toBinary({ log: false, write_debug_names: false }).buffer;
  } finally {
    parsed.destroy();
  }
}

/** `export const NAME = '...' + ...;` under the given header lines: the binary as base64 in lines of 100. */
export function base64ModuleText(header: string, constName: string, binary: Uint8Array): string {
  const base64 = Buffer.from(binary).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < base64.length; i += 100) lines.push(`  '${base64.slice(i, i + 100)}'`);
  return `${header}
export const ${constName} =
${lines.join(' +\n')};
`;
}

/** Writes `text` to `path`, or with --check compares and exits 1 when they differ. */
export function writeOrCheck(path: string, text: string, rerun: string): void {
  if (process.argv.includes('--check')) {
    if (readFileSync(path, 'utf8') !== text) {
      console.error(`${path} is not what the WAT source assembles to: rerun ${rerun}`);
      process.exit(1);
    }
    console.log(`${path} is up to date`);
  } else {
    writeFileSync(path, text);
    console.log(`wrote ${path}`);
  }
}

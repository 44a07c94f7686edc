/**
 * Vite build of the browser explorer (`npm run explorer`, `npm run explorer:build`).
 *
 * The library is bundled unchanged from src/index.ts. Its Node-only modules
 * (files, worker threads, the on-disk MNIST cache) are imported at the top of
 * some layers but never reached on the explorer's paths, so every `node:*`
 * import is aliased to one stub (src/node-stub.ts: an in-memory file system
 * for the page's own files and package.json, posix paths, and a loud error
 * for everything else). The built site is static and relative (base './'),
 * so it runs from any static host or folder served by any static server.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const NODE_STUB = here('./src/node-stub.ts');
const LIBRARY = here('../src/');
/**
 * The library's modules run no statements at import beyond defining constants and functions, so a module none of
 * whose exports is used can be left out: without this, src/index.ts drags every layer (and Vega) into the page's
 * and the curve worker's code (measured: page 914 kB -> 26 kB, curve worker 805 kB -> 151 kB).
 */
const TREESHAKE = { moduleSideEffects: (id: string) => !id.startsWith(LIBRARY) };
/** Where the built curve worker lives in the site (main.ts starts it from there in a build). */
const CURVE_WORKER_PATH = 'assets/curve-worker.js';
const NODE_BUILTINS = ['fs', 'fs/promises', 'path', 'os', 'url', 'module', 'crypto', 'zlib', 'buffer', 'worker_threads'];

export default defineConfig(({ command }) => ({
  root: here('.'),
  base: './',
  publicDir: false,
  resolve: {
    alias: [{ find: new RegExp(`^node:(${NODE_BUILTINS.join('|')})$`), replacement: NODE_STUB }],
  },
  worker: { format: 'es', rolldownOptions: { treeshake: TREESHAKE } },
  build: {
    outDir: here('../explorer-dist'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    reportCompressedSize: false,
    rolldownOptions: {
      treeshake: TREESHAKE,
      // The curve worker is an entry of its own, at a fixed name, with its exports kept: the simulator's seeds run
      // through the library's task pool, which imports its task by module URL (src/simulation/pool.ts imports
      // itself and calls the export runSeedTask); bundled, that URL is this chunk's. Vite's worker bundling drops
      // entry exports, so this worker is built here instead (main.ts starts it from CURVE_WORKER_PATH).
      input: { index: here('./index.html'), 'curve-worker': here('./src/curve-worker.ts') },
      preserveEntrySignatures: 'exports-only',
      output: { entryFileNames: (chunk) => (chunk.name === 'curve-worker' ? CURVE_WORKER_PATH : 'assets/[name]-[hash].js') },
    },
  },
  server: { host: '127.0.0.1', port: 5173, strictPort: false },
  clearScreen: false,
  // Whether main.ts runs from a build (the curve worker at CURVE_WORKER_PATH) or from the dev server (its source).
  // Not import.meta.env.DEV: that follows NODE_ENV, which a test runner sets to 'test' while it builds.
  define: { __EXPLORER_BUILT__: JSON.stringify(command === 'build') },
}));

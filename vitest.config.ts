import { defineConfig } from 'vitest/config';
import LongestFirstSequencer from './test/sequencer.js';

/**
 * Files that run in a worker of their own. The DMFT under momentum and GD runs about 1.3x slower
 * (it was 1.7-2x before the numeric pass was split into small functions), once other files have
 * called the numeric layer with other argument shapes in the same process: V8's type feedback is
 * shared, and the pass is then optimised less well (measured: dynamics-vs-simulation 3.9 s alone,
 * 4.9 s after test/numeric/dynamics.test.ts and kappa.test.ts in one worker).
 */
const OWN_WORKER = ['test/reconcile/dynamics-vs-simulation.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Every core (vitest's default leaves one for the main process, which is mostly idle during a run:
    // on the 2-core CI machine that halved the parallelism).
    maxWorkers: '100%',
    // One parent folder for the tests' temporary folders, removed when the run ends (test/scratch.ts).
    globalSetup: ['test/scratch-setup.ts'],
    // Longest files first also when `npm ci` has removed vitest's results cache (test/sequencer.ts says why).
    sequence: { sequencer: LongestFirstSequencer },
    // CPU per test file (imports, hooks and tests) when TEST_CPU_LOG names a file (test/cpu-per-file.ts).
    setupFiles: process.env.TEST_CPU_LOG ? ['test/cpu-per-file.ts'] : [],
    projects: [
      {
        extends: true,
        test: {
          name: 'shared',
          include: ['test/**/*.test.ts'],
          exclude: OWN_WORKER,
          // Files share a worker's module graph instead of re-importing every module per file: import and
          // collection were about 40 s of CPU of the suite. Safe because tests keep no global state between
          // files: spies and environment variables are restored in afterEach/afterAll, no module is mocked,
          // no fake timers, no process.chdir, and a test that needs fresh module state resets the registry
          // (vi.resetModules); the suite passes in shuffled file order.
          isolate: false,
        },
      },
      {
        extends: true,
        test: { name: 'own-worker', include: OWN_WORKER, isolate: true },
      },
    ],
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Both cores (vitest's default leaves one for the main process, which is idle during a run).
    maxWorkers: 2,
    // Files share a worker's module graph instead of re-importing every module per file: import and
    // collection were about 40 s of CPU of the suite. Safe because tests keep no global state between
    // files: spies and environment variables are restored in afterEach/afterAll, no module is mocked,
    // no fake timers, no process.chdir; the suite is also checked in shuffled order.
    isolate: false,
  },
});

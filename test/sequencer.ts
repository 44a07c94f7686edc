/**
 * The order in which the test files start: longest first, so that neither worker is left alone with a long file
 * at the end of the run. vitest's own sequencer does this from its results cache (node_modules/.vite/vitest),
 * which `npm ci` deletes: in CI, with no cache, it starts the largest files first by bytes, and a 7 s file
 * (nesterov-vs-simulation, 2.4 kB) started 97th of 113. Here a file without a cached duration takes its time
 * from EXPECTED_SECONDS (files of 1.5 s or more on the quiet machine, vitest's JSON reporter); files in neither
 * run after them, largest first, as before. A stale table only changes the order, never what runs.
 * Rerun the table: `npx vitest run --reporter=json --outputFile=r.json`, then each file's endTime - startTime.
 */
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Wall seconds per file on the quiet 2-core machine (one run of the whole suite). */
export const EXPECTED_SECONDS: ReadonlyMap<string, number> = new Map([
  ['test/explorer/browser.test.ts', 30.8],
  ['test/numeric/sgd-schedule.test.ts', 12.6],
  ['test/reconcile/dynamics-vs-simulation.test.ts', 11.3],
  ['test/numeric/schedule-keyhole.test.ts', 10.7],
  ['test/numeric/sgd.test.ts', 9.3],
  ['test/reconcile/report-sections.test.ts', 8.2],
  ['test/reconcile/nesterov-vs-simulation.test.ts', 7.4],
  ['test/cli/property.test.ts', 6.9],
  ['test/numeric/nesterov.test.ts', 6.3],
  ['test/data/fit.test.ts', 5.8],
  ['test/numeric/lr-schedule.test.ts', 5.2],
  ['test/numeric/sgd-reuse.test.ts', 5.2],
  ['test/reconcile/paper-outputs.test.ts', 5.1],
  ['test/numeric/sgd-stepping.test.ts', 4.7],
  ['test/numeric/keyhole.test.ts', 4.2],
  ['test/reconcile/report-pool.test.ts', 3.9],
  ['test/simulation/sgd-reuse.test.ts', 3.8],
  ['test/numeric/sgd-reuse-mc.test.ts', 3.5],
  ['test/cli/api-docs.test.ts', 2.9],
  ['test/numeric/reliability.test.ts', 2.8],
  ['test/cli/fuzz.test.ts', 2.8],
  ['test/cli/library-example.test.ts', 2.7],
  ['test/simulation/fixtures.test.ts', 2.4],
  ['test/simulation/wasm.test.ts', 2.1],
  ['test/reconcile/reuse.test.ts', 2.0],
  ['test/simulation/sgd.test.ts', 2.0],
  ['test/repo/self-contained.test.ts', 1.8],
  ['test/reconcile/schedules-vs-simulation.test.ts', 1.7],
  ['test/reconcile/shards.test.ts', 1.7],
  ['test/reconcile/dynamics-laws.test.ts', 1.6],
  ['test/symbolic/law-cache.test.ts', 1.6],
  ['test/explorer/state.test.ts', 1.5],
  ['test/cli/reliability.test.ts', 1.5],
  ['test/cli/hostile-inputs.test.ts', 1.5],
]);

export default class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const cache = this.ctx.cache;
    const path = (spec: TestSpecification) => relative(root, spec.moduleId).split('\\').join('/');
    const key = (spec: TestSpecification) => `${spec.project.name}:${path(spec)}`;
    const milliseconds = (spec: TestSpecification): number | undefined => {
      const cached = cache.getFileTestResults(key(spec));
      if (cached) return cached.failed ? Infinity : cached.duration;
      const expected = EXPECTED_SECONDS.get(path(spec));
      return expected === undefined ? undefined : expected * 1000;
    };
    const bytes = (spec: TestSpecification) => cache.getFileStats(key(spec))?.size ?? 0;
    return [...files].sort((a, b) => {
      // As vitest's sequencer: group order, then project (every project's files go to the same pool of workers).
      const order = a.project.config.sequence.groupOrder - b.project.config.sequence.groupOrder;
      if (order !== 0) return order;
      if (a.project.name !== b.project.name) return a.project.name < b.project.name ? -1 : 1;
      const [ta, tb] = [milliseconds(a), milliseconds(b)];
      if (ta !== undefined && tb !== undefined) return tb - ta || bytes(b) - bytes(a);
      if (ta !== undefined) return -1;
      if (tb !== undefined) return 1;
      return bytes(b) - bytes(a);
    });
  }
}

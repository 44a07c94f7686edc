/**
 * A property test: `propertyTest([arbitraries], { numRuns, seed })(name, property)` runs fast-check's assert on
 * the property inside a vitest test, as @fast-check/vitest's `test.prop` does (the same asyncProperty over the
 * same arbitraries with the same parameters, so the same cases in the same order, and the same "(with seed=...)"
 * suffix on the name; a property that returns false fails). That package is not imported: a one-line property file
 * through vitest took 4.1-5.2 s of CPU with it against 1.4-1.7 s with fast-check alone (load 5-6), in every test
 * worker that imported it.
 */
import fc from 'fast-check';
import { it } from 'vitest';

type Arbitraries<Ts extends unknown[]> = { [K in keyof Ts]: fc.Arbitrary<Ts[K]> };

export function propertyTest<Ts extends [unknown, ...unknown[]]>(arbitraries: Arbitraries<Ts>, params: fc.Parameters<Ts> & { seed: number }) {
  return (name: string, property: (...args: Ts) => unknown, timeout?: number): void => {
    const wrapped = (...args: Ts) => Promise.resolve(property(...args));
    const asyncProperty = fc.asyncProperty as unknown as (...parts: unknown[]) => fc.IAsyncProperty<Ts>;
    it(`${name} (with seed=${params.seed})`, async () => {
      await fc.assert(asyncProperty(...arbitraries, wrapped), params);
    }, timeout);
  };
}

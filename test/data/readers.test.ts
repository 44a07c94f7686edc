/**
 * Data sets in: CSV, JSON, .npy and .npz (fixtures written by numpy in
 * scripts/data/make_array_fixtures.py), and every error a file can give, each
 * naming the flag and the place.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/core/errors.js';
import { checkDataSize, DATA_LIMITS, loadDataset, makeDataset, parseCsvArray, parseNpy, readArrays } from '../../src/data/index.js';
import { scratchDir } from '../scratch.js';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'data');
const dir = scratchDir('scaling-dmft-data-');
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
// The numbers of make_array_fixtures.py (x = (arange(36).reshape(12, 3) / 7) ** 1.5, y = arange(12) - 5.5),
// as numpy computed them: features.csv holds their repr (round-trips exactly), read here by a bare split.
const CSV_ROWS = readFileSync(join(FIX, 'features.csv'), 'utf8').trim().split('\n').slice(1).map((line) => line.split(',').map(Number));
const X = CSV_ROWS.flatMap((row) => row.slice(0, 3));
const Y = CSV_ROWS.map((row) => row[3]);

describe('readers agree with numpy on the same numbers', () => {
  it.each([
    ['features.npy + targets.npy', () => loadDataset(join(FIX, 'features.npy'), join(FIX, 'targets.npy'))],
    ['both.npz (np.savez: stored, ZIP64)', () => loadDataset(join(FIX, 'both.npz'))],
    ['both_compressed.npz (np.savez_compressed: deflate)', () => loadDataset(join(FIX, 'both_compressed.npz'))],
    ['features.csv (header, last column as target)', () => loadDataset(join(FIX, 'features.csv'))],
  ])('%s', (_name, load) => {
    const ds = load();
    expect(ds.n).toBe(12);
    expect(ds.d).toBe(3);
    for (let i = 0; i < 36; i++) expect(ds.features[i]).toBe(X[i]);
    expect(Array.from(ds.targets)).toEqual(Y);
  });

  it('float32 Fortran-order .npy is transposed into rows and widened exactly', () => {
    const arr = readArrays('--data', join(FIX, 'features_f32_fortran.npy'), 1e6).get('')!;
    expect(arr.shape).toEqual([12, 3]);
    for (let i = 0; i < 36; i++) expect(arr.data[i]).toBe(Math.fround(X[i]));
  });

  it('JSON: object with features and targets', () => {
    const path = file('d.json', JSON.stringify({ features: Array.from({ length: 12 }, (_, i) => X.slice(3 * i, 3 * i + 3)), targets: Y }));
    const ds = loadDataset(path);
    expect(ds.n).toBe(12);
    expect(ds.features[35]).toBe(X[35]);
  });
});

describe('bad files give one InvalidArgumentError naming the flag and the place', () => {
  const cases: Array<[string, () => unknown, RegExp]> = [
    ['ragged CSV rows', () => parseCsvArray('1,2,3\n4,5\n', '--data', 'f.csv'), /--data f\.csv \(line 2\) has 2 columns where line 1 has 3 \(ragged rows\)/],
    ['NaN cell', () => parseCsvArray('1,2\nNaN,3\n', '--data', 'f.csv'), /line 2, column 1\) is NaN/],
    ['non-numeric cell', () => parseCsvArray('1,2\n3,abc\n', '--data', 'f.csv'), /line 2, column 2\) is not a number, got "abc"/],
    ['empty cell', () => parseCsvArray('1,2\n3,\n', '--data', 'f.csv'), /is an empty cell/],
    ['infinite cell', () => parseCsvArray('1,2\n3,inf\n', '--data', 'f.csv'), /must be finite|is not a number/],
    ['NaN in .npy', () => loadDataset(join(FIX, 'nan.npy'), join(FIX, 'targets.npy')), /nan\.npy \(row 5, column 2\) is NaN/],
    ['JSON null', () => loadDataset(file('n.json', '{"x": [[1, 2], [null, 3]], "y": [1, 2]}')), /row 2, column 1\) is null/],
    ['JSON ragged', () => loadDataset(file('r.json', '{"x": [[1, 2], [3]], "y": [1, 2]}')), /row 2\) has 1 columns where row 1 has 2 \(ragged rows\)/],
    ['too few samples', () => loadDataset(file('few.csv', '1,2,3\n4,5,6\n')), new RegExp(`--data has 2 samples; at least ${DATA_LIMITS.minSamples} are needed`)],
    ['targets of the wrong length', () => loadDataset(join(FIX, 'features.npy'), file('t.csv', '1\n2\n3\n')), /--targets has 3 values but --data has 12 samples/],
    ['missing file', () => loadDataset(join(dir, 'nope.csv')), /--data file cannot be read \(ENOENT\)/],
    ['not an npy', () => parseNpy(new Uint8Array(20), '--data x.npy'), /bad magic string/],
    // No column of a NumPy or JSON array is a target by layout: without --targets it is refused, not its last feature taken.
    ['one .npy, no --targets', () => loadDataset(join(FIX, 'features.npy')), /--targets is required: .*features\.npy holds one array and no targets/],
    ['one-array .npz, no --targets', () => loadDataset(join(FIX, 'features_only.npz')), /--targets is required: .*features_only\.npz holds one array and no targets/],
    ['JSON matrix, no --targets', () => loadDataset(file('m.json', JSON.stringify(Array.from({ length: 12 }, (_, i) => [i, i * i, 1])))), /--targets is required: .*m\.json holds one array/],
  ];
  it.each(cases)('%s', (_name, f, message) => {
    let caught: unknown;
    try {
      f();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidArgumentError);
    expect((caught as Error).message).toMatch(message);
  });

  it('size guard: refuses before reading, naming the limit', () => {
    expect(() => checkDataSize('--data', 100, DATA_LIMITS.maxFeatures + 1)).toThrow(/above the limit of 2048 \(the dense eigendecomposition would take about \d+ s\)/);
    expect(() => checkDataSize('--data', 2e7, 1000)).toThrow(/needs about \d+ MiB \(n = 20000000, d = 1000\), above the limit of 1024 MiB/);
    expect(() => readArrays('--data', join(FIX, 'features.npy'), 100)).toThrow(/file is 0\.000397 MiB, above the limit of 0\.0000954 MiB/);
    expect(() => makeDataset(new Float64Array(20), new Float64Array(10), 10, 2)).not.toThrow();
    expect(() => makeDataset([1, 2, Number.NaN, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20], new Float64Array(10), 10, 2)).toThrow(/features \(row 2, column 1\) must be finite/);
  });
});

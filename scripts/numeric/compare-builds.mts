/**
 * Every field of solveCurve under two builds of the library (each a folder with dist/src/index.js), over the
 * dynamics and corner cases below: the largest change of each value relative to its error estimate (the
 * baseline's), the largest change of an error estimate relative to itself, and any status that differs.
 * What docs/performance.md cites for the numeric kernels ("no printed value changes beyond its error estimate").
 *
 * Run: npx tsx scripts/numeric/compare-builds.mts BASE_DIR [OTHER_DIR (default: this checkout)]
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [baseDir, otherDir = '.'] = process.argv.slice(2);
if (baseDir === undefined) throw new Error('usage: compare-builds.mts BASE_DIR [OTHER_DIR]');
type Lib = typeof import('../../src/index.js');
const load = async (dir: string): Promise<Lib> => import(pathToFileURL(resolve(dir, 'dist/src/index.js')).href);
const [base, other] = await Promise.all([load(baseDir), load(otherDir)]);

const logTimes = (n: number) => Array.from({ length: n }, (_, i) => 1e-2 * Math.pow(1e7, i / (n - 1)));
function cases(lib: Lib) {
  const spectrum = lib.powerLawSpectrum({ a: 1.5, b: 1.25 });
  const top = lib.solveCurve({ spectrum, N: 256, P: 1024, sigma: 0.3, t: [1], dynamics: lib.makeDynamics({ optimizer: 'gd', lr: 0.5 }) }).diagnostics.spectrumTop;
  const steps = [1, 2, 5, 10, 50, 200, 1e3, 1e4, 1e5];
  return [
    ['gradient flow, 100 t', { spectrum, N: 256, P: 1024, sigma: 0.3, t: logTimes(100) }],
    ['ridge 1e-3', { spectrum, N: 256, P: 1024, sigma: 0.3, t: logTimes(40), dynamics: lib.makeDynamics({ ridge: 1e-3 }) }],
    ['GD eta E_max 0.5', { spectrum, N: 256, P: 1024, sigma: 0.3, t: steps, dynamics: lib.makeDynamics({ optimizer: 'gd', lr: 0.5 / top }) }],
    ['GD eta E_max 1.5', { spectrum, N: 256, P: 1024, sigma: 0.3, t: steps, dynamics: lib.makeDynamics({ optimizer: 'gd', lr: 1.5 / top }) }],
    ['momentum 0.2, 0.5', { spectrum, N: 256, P: 1024, sigma: 0.3, t: steps, dynamics: lib.makeDynamics({ optimizer: 'momentum', lr: 0.2, momentum: 0.5 }) }],
    ['Nesterov 0.2, 0.5', { spectrum, N: 256, P: 1024, sigma: 0.3, t: steps.filter((s) => s <= 500), dynamics: lib.makeDynamics({ optimizer: 'nesterov', lr: 0.2, momentum: 0.5 }) }],
    ['one-pass SGD', { spectrum, N: 256, P: Infinity, sigma: 0.3, t: steps, dynamics: lib.makeDynamics({ optimizer: 'sgd', lr: 0.5, batch: 4 }) }],
    ['M = 2000', { spectrum: lib.powerLawSpectrum({ a: 1.5, b: 1.25, M: 2000 }), N: 256, P: 1024, sigma: 0.3, t: logTimes(40) }],
    ['finite N, P < N', { spectrum, N: 1024, P: 128, sigma: 0.3, t: logTimes(40) }],
    ['N = P = 64, sigma 0', { spectrum: lib.powerLawSpectrum({ a: 3, b: 2.5 }), N: 64, P: 64, sigma: 0, t: logTimes(40) }],
    ['N = 512, P = inf', { spectrum, N: 512, P: Infinity, sigma: 0.3, t: logTimes(40) }],
  ] as const;
}

const quantities = ['test', 'train', 'bias', 'testA', 'gap'] as const;
let worstValue = 0;
let worstEstimate = 0;
let statusChanges = 0;
const baseCases = cases(base);
const otherCases = cases(other);
for (let c = 0; c < baseCases.length; c++) {
  const [label, problem] = baseCases[c];
  const a = base.solveCurve(problem as never);
  const b = other.solveCurve(otherCases[c][1] as never);
  let value = 0;
  let estimate = 0;
  for (const q of quantities) {
    for (let i = 0; i < a.t.length; i++) {
      const err = a.errorEstimate[q][i];
      const change = Math.abs(a[q][i] - b[q][i]);
      if (change > 0) value = Math.max(value, change / err); // an exact 0 estimate (SGD's gap at P = inf) with no change: 0
      if (err > 0) estimate = Math.max(estimate, Math.abs(a.errorEstimate[q][i] - b.errorEstimate[q][i]) / err);
    }
  }
  const statuses = a.statusPerTime.filter((s, i) => s !== b.statusPerTime[i]).length + (a.status === b.status ? 0 : 1);
  for (const q of ['test', 'train', 'bias', 'testA'] as const) statusChanges += a.quantityStatus[q].filter((s, i) => s !== b.quantityStatus[q][i]).length;
  statusChanges += statuses;
  worstValue = Math.max(worstValue, value);
  worstEstimate = Math.max(worstEstimate, estimate);
  console.log(`${label.padEnd(24)} ${a.status.padEnd(22)} max |change| / error estimate ${value.toExponential(1)}, error estimates moved by ${estimate.toExponential(1)} of themselves, ${statuses} status changes`);
}
console.log(`all: max |change| / error estimate ${worstValue.toExponential(1)}; error estimates within ${worstEstimate.toExponential(1)}; ${statusChanges} status changes`);

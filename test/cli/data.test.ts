/**
 * The real-data CLI: `curve` with a data set, `spectrum fit`, `experiment`.
 * Bad input gives one line naming the flag and exit code 2, before any work;
 * the JSON of `spectrum fit` carries a and b with standard errors, the
 * windows, the phase and the law intervals.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Xoshiro128 } from '../../src/simulation/index.js';
import { cli } from './helpers.js';
import { scratchDir } from '../scratch.js';


const dir = scratchDir('scaling-dmft-data-cli-');
const previousCache = process.env.SCALING_DMFT_CACHE;
let dataFile: string;
let spectrumFile: string;
beforeAll(() => {
  process.env.SCALING_DMFT_CACHE = join(dir, 'cache');
  // A small data set: n = 120 samples, d = 6 features, y nonlinear in x (CSV, last column the target).
  const rng = new Xoshiro128([2, 2]);
  const lines = ['x1,x2,x3,x4,x5,x6,y'];
  for (let i = 0; i < 120; i++) {
    const x = Array.from({ length: 6 }, (_, j) => rng.nextNormal() * (j + 1) ** -0.8);
    lines.push([...x, Math.sin(x[0] + 2 * x[1])].join(','));
  }
  dataFile = join(dir, 'data.csv');
  writeFileSync(dataFile, `${lines.join('\n')}\n`);
  const spectrum = Array.from({ length: 300 }, (_, k) => `${(k + 1) ** -1.5},${(k + 1) ** -2}`);
  spectrumFile = join(dir, 'spectrum.csv');
  writeFileSync(spectrumFile, `lambda,c\n${spectrum.join('\n')}\n`);
});
afterAll(() => {
  if (previousCache === undefined) delete process.env.SCALING_DMFT_CACHE;
  else process.env.SCALING_DMFT_CACHE = previousCache;
});

describe('bad input: one line naming the flag, exit 2', () => {
  it.each([
    ['unknown dataset', ['curve', '--dataset', 'cifar', '--N', '64', '--P', '64', '--t', '1'], /--dataset must be one of mnist, got "cifar"/],
    ['bad target', ['curve', '--dataset', 'mnist', '--target', 'digit:12', '--N', '64', '--P', '64', '--t', '1'], /--target must be parity or digit:D with D in 0..9/],
    ['relu without width', ['curve', '--dataset', 'mnist', '--features', 'relu', '--N', '64', '--P', '64', '--t', '1'], /--width is required with --features relu/],
    ['width without relu', ['curve', '--dataset', 'mnist', '--width', '64', '--N', '64', '--P', '64', '--t', '1'], /--width only applies with --features relu/],
    ['width too large', ['curve', '--dataset', 'mnist', '--features', 'relu', '--width', '5000', '--N', '64', '--P', '64', '--t', '1'], /--width must be at most 2048/],
    ['sigma with a data set', ['curve', '--dataset', 'mnist', '--sigma', '0.1', '--N', '64', '--P', '64', '--t', '1'], /--sigma cannot be combined with a data set/],
    ['--a with a data set', ['curve', '--dataset', 'mnist', '--a', '1.5', '--N', '64', '--P', '64', '--t', '1'], /--a cannot be combined with a data set/],
    ['targets without data', ['curve', '--a', '1.5', '--b', '2', '--targets', 'y.csv', '--N', '64', '--P', '64', '--t', '1'], /--targets only applies with --dataset or --data/],
    ['missing data file', ['curve', '--data', '/nonexistent/x.csv', '--N', '64', '--P', '64', '--t', '1'], /--data file cannot be read \(ENOENT\)/],
    ['curve bad N with a data set', ['curve', '--dataset', 'mnist', '--N', '0', '--P', '64', '--t', '1'], /--N must be an integer >= 1/],
    ['fit without input', ['spectrum', 'fit'], /--spectrum or --dataset or --data is required/],
    ['fit bad window', ['spectrum', 'fit', '--spectrum', 'x.csv', '--window-b', '10-20'], /--window-b must be FROM:TO/],
    ['bootstrap without samples', ['spectrum', 'fit', '--spectrum', 'x.csv', '--bootstrap', '10'], /--bootstrap needs samples/],
    ['experiment P > 10000', ['experiment', '--dataset', 'mnist', '--N', '64', '--P', '20000'], /--P must be at most 10000/],
    ['experiment one seed', ['experiment', '--dataset', 'mnist', '--N', '64', '--P', '64', '--seeds', '1'], /--seeds must be at least 2/],
    ['experiment bad N', ['experiment', '--dataset', 'mnist', '--N', '64,abc', '--P', '64'], /--N must be an integer >= 1, got "abc"/],
    ['experiment sgd without --lr', ['experiment', '--dataset', 'mnist', '--optimizer', 'sgd', '--N', '64', '--P', '64'], /--lr is required with --optimizer sgd/],
    ['experiment sgd t = 1', ['experiment', '--dataset', 'mnist', '--optimizer', 'sgd', '--lr', '0.05', '--N', '64', '--P', '64', '--t', '1,10'], /--t must list step counts 0 or >= 2/],
    ['experiment sgd over budget', ['experiment', '--dataset', 'mnist', '--optimizer', 'sgd', '--lr', '0.05', '--batch', '64', '--N', '4096', '--P', '4096', '--t', '100000', '--max-seconds', '10'], /--max-seconds|estimated/],
    ['experiment sgd epochs with B < P', ['experiment', '--dataset', 'mnist', '--optimizer', 'sgd', '--lr', '0.05', '--batch', '8', '--sampling', 'epochs', '--N', '64', '--P', '64'], /--sampling epochs is predicted only for a batch that is a multiple of P/],
    ['experiment --lr without sgd', ['experiment', '--dataset', 'mnist', '--lr', '0.05', '--N', '64', '--P', '64'], /--lr applies with --optimizer sgd/],
    ['reconcile --P without sgd', ['reconcile', '--P', '100,1000,10000'], /--P applies with --optimizer sgd/],
    ['reconcile --P two sizes', ['reconcile', '--optimizer', 'sgd', '--lr', '0.5', '--P', '100,1000'], /--P must list three or more ascending sizes/],
    ['reconcile --P with a huge --a', ['reconcile', '--optimizer', 'sgd', '--lr', '0.5', '--P', '100,1000,10000', '--a', '1e9', '--b', '2'], /--a must be in \(1, 1000\], got "1e9"/],
    ['reconcile --P with --a only', ['reconcile', '--optimizer', 'sgd', '--lr', '0.5', '--P', '100,1000,10000', '--a', '3'], /--b is required when the other exponent is given/],
    ['reconcile --P with bad --workers', ['reconcile', '--optimizer', 'sgd', '--lr', '0.5', '--P', '100,1000,10000', '--evaluator', 'gd', '--workers', 'abc'], /--workers must be an integer >= 1, got "abc"/],
    ['reconcile --P with --grid', ['reconcile', '--optimizer', 'sgd', '--lr', '0.5', '--P', '100,1000,10000', '--grid', 'default'], /--grid does not apply with --P/],
    ['one .npy without --targets', ['spectrum', 'fit', '--data', join(import.meta.dirname, '..', 'fixtures', 'data', 'features.npy')], /--targets is required: .*features\.npy holds one array and no targets/],
  ])('%s', async (_name, argv, message) => {
    const t0 = performance.now();
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(performance.now() - t0).toBeLessThan(3000); // refused before loading MNIST or computing a population
  });
});

describe('happy paths on a small data set', () => {
  it('spectrum fit --spectrum FILE --format json: a, b with standard errors, windows, phase, law intervals', async () => {
    const r = await cli('spectrum', 'fit', '--spectrum', spectrumFile, '--replicates', '20');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { fit: { a: { value: number; stderr: number; window: { from: number; to: number } }; b: { value: number; stderr: number }; phase: string; laws: { id: string; low: number; high: number }[] } };
    expect(out.fit.b.value).toBeCloseTo(1.5, 6);
    expect(out.fit.a.value).toBeCloseTo(2, 2);
    expect(out.fit.a.stderr).toBeGreaterThan(0);
    expect(out.fit.a.window.from).toBeGreaterThanOrEqual(10);
    expect(out.fit.phase).toBe('a-1<b');
    expect(out.fit.laws.find((l) => l.id === 'time')).toBeDefined();
  }, 60_000);

  it('curve --data FILE runs the DMFT on the population with sigma from E30', async () => {
    const r = await cli('curve', '--data', dataFile, '--N', '4', '--P', '50', '--t', '0,1,inf', '--format', 'json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { parameters: { sigma: number; spectrum: { M: number } }; test: number[]; status: string };
    expect(out.parameters.spectrum.M).toBe(6);
    expect(out.parameters.sigma).toBeGreaterThan(0);
    expect(out.status).toBe('converged');
  }, 60_000);

  it('experiment --data FILE prints theory beside experiment', async () => {
    const r = await cli('experiment', '--data', dataFile, '--N', '4,16', '--P', '30', '--seeds', '3', '--t', '1,inf', '--format', 'json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { rows: { N: number; P: number; theory: number; experiment: number; stderr: number }[]; parameters: { seed: number } };
    expect(out.rows).toHaveLength(4);
    for (const row of out.rows) {
      expect(Number.isFinite(row.theory)).toBe(true);
      expect(row.stderr).toBeGreaterThan(0);
    }
    expect(out.parameters.seed).toBe(1);
  }, 60_000);
});

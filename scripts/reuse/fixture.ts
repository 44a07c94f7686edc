/**
 * Monte Carlo fixture for the SGD-on-P-samples DMFT (THEORY E28b): the sampled
 * finite model (src/simulation, minibatch SGD with replacement on P fixed
 * samples) at the sizes, mean and standard error over seeds of the
 * test and train loss per configuration, sigma and step. The DMFT test
 * (test/numeric/sgd-reuse-mc.test.ts) reads it; the seed and every parameter
 * are inside the JSON.
 *
 * Rerun: npx tsx scripts/reuse/fixture.ts [seeds] [seed] > test/fixtures/sgd-reuse-mc.json
 */
import { makeDynamics } from '../../src/dynamics/index.js';
import { powerLawSpectrum } from '../../src/spectrum/index.js';
import { simulate } from '../../src/simulation/simulate.js';

const seeds = Number(process.argv[2] ?? 64);
const seed = Number(process.argv[3] ?? 7301);
const N = 256;
const M = 1000;
const a = 2;
const b = 1.5;
const eta = 0.5;
const sigmas = [0, 0.3];
const t = [10, 30, 100, 300, 1000, 3000, 10000, 20000];
const configs = [
  { P: 256, batch: 4 },
  { P: 256, batch: 8 },
  { P: 512, batch: 4 },
  { P: 512, batch: 8 },
];
const rows: Array<Record<string, number>> = [];
const started = Date.now();
for (const config of configs) {
  const result = await simulate(
    { spectrum: powerLawSpectrum({ a, b, M }), N, P: config.P, sigma: sigmas, t, seeds, seed, dynamics: makeDynamics({ optimizer: 'sgd', lr: eta, batch: config.batch }) },
    { ensemble: 1, maxSeconds: Infinity },
  );
  for (const r of result.results) {
    t.forEach((tj, j) => {
      rows.push({ P: config.P, B: config.batch, sigma: r.sigma, t: tj, test: r.test.mean[j], testSe: r.test.stderr[j], train: r.train.mean[j], trainSe: r.train.stderr[j] });
    });
  }
  process.stderr.write(`P=${config.P} B=${config.batch}: ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
}
const parameters = { seeds, seed, N, M, a, b, eta, sigmas, t, configs, sampling: 'replacement', ensemble: 1 };
process.stdout.write(JSON.stringify({ generated: 'scripts/reuse/fixture.ts', parameters, rows }, null, 1) + '\n');

/**
 * The closure of THEORY (E28b) at fixed data and A against the sampled finite
 * model (src/simulation/sgd-reuse.ts), paired on the same draws.
 *
 * For each seed index (data Psi, labels, projection A exactly as the simulator
 * draws them, ensemble 1) this evaluates the closure (scripts/reuse/closure.ts)
 * and compares it with the sampled run of the same seed (runSeed). Prints, per
 * configuration, sigma and step: the simulator's mean and s.e. over seeds,
 * the closure's mean, and the paired mean difference with its s.e.; beside
 * them the exact expected loss of one-pass SGD (P = Infinity, sgd.ts) at the
 * same draws of A, to show where the reuse of the P samples departs from it.
 *
 * Rerun: npx tsx scripts/reuse/closure-check.ts [seeds] > docs/data/reuse-closure.json
 * (progress on stderr; the table is also printed to stderr).
 */
import { makeDynamics } from '../../src/dynamics/index.js';
import { powerLawSpectrum } from '../../src/spectrum/index.js';
import { prepareSimulation } from '../../src/simulation/simulate.js';
import { drawData, featureMap, runSeed } from '../../src/simulation/seed.js';
import { closureAtData } from './closure.js';

interface Config {
  readonly P: number;
  readonly batch: number;
}

const seeds = Number(process.argv[2] ?? 12);
const N = 256;
const M = 1000;
const a = 2;
const b = 1.5;
const eta = 0.5;
const sigmas = [0, 0.3];
const t = (process.env.TMAX ? [10, 30, 100, 300, 1000].filter((x) => x <= Number(process.env.TMAX)) : [10, 30, 100, 300, 1000, 3000, 10000, 20000]);
const configs: Config[] = [
  { P: 256, batch: 4 },
  { P: 256, batch: 8 },
  { P: 512, batch: 4 },
  { P: 512, batch: 8 },
];
const seed = 2026;

const rows: Array<Record<string, number | string>> = [];
for (const config of configs) {
  const { setup } = prepareSimulation(
    { spectrum: powerLawSpectrum({ a, b, M }), N, P: config.P, sigma: sigmas, t, seeds, seed, dynamics: makeDynamics({ optimizer: 'sgd', lr: eta, batch: config.batch }) },
    { ensemble: 1, maxSeconds: Infinity },
  );
  const onePass = prepareSimulation(
    { spectrum: powerLawSpectrum({ a, b, M }), N, P: Infinity, sigma: sigmas, t, seeds, seed, dynamics: makeDynamics({ optimizer: 'sgd', lr: eta, batch: config.batch }) },
    { ensemble: 1, maxSeconds: Infinity },
  ).setup;
  const T = t.length;
  const fresh: Float64Array[] = [];
  const sim: Float64Array[][] = [[], []];
  const clo: Float64Array[][] = [[], []];
  for (let index = 0; index < seeds; index++) {
    const out = runSeed(setup, index);
    if (out.instability !== undefined) throw new Error(`unstable at seed ${index}`);
    const c = closureAtData(setup, drawData(setup, index), featureMap(setup, index, 0), config.batch);
    fresh.push(runSeed(onePass, index).test);
    sim[0].push(out.test);
    sim[1].push(out.train);
    clo[0].push(c.test);
    clo[1].push(c.train);
    process.stderr.write(`P=${config.P} B=${config.batch} seed ${index}\n`);
  }
  for (let s = 0; s < sigmas.length; s++) {
    for (let j = 0; j < T; j++) {
      const row: Record<string, number | string> = { P: config.P, B: config.batch, sigma: sigmas[s], t: t[j] };
      row.onePassTest = fresh.reduce((p, v) => p + v[s * T + j], 0) / seeds;
      for (const [q, name] of [[0, 'test'], [1, 'train']] as const) {
        const x = sim[q].map((v) => v[s * T + j]);
        const y = clo[q].map((v) => v[s * T + j]);
        const mean = (v: number[]) => v.reduce((p, z) => p + z, 0) / v.length;
        const se = (v: number[]) => {
          const m = mean(v);
          return Math.sqrt(v.reduce((p, z) => p + (z - m) ** 2, 0) / (v.length - 1) / v.length);
        };
        const d = x.map((xi, i) => y[i] - xi);
        row[`${name}Sim`] = mean(x);
        row[`${name}SimSe`] = se(x);
        row[`${name}Closure`] = mean(y);
        row[`${name}PairedDiff`] = mean(d);
        row[`${name}PairedSe`] = se(d);
      }
      rows.push(row);
      const f = (v: number) => v.toPrecision(4);
      process.stderr.write(
        `P=${config.P} B=${config.batch} sigma=${sigmas[s]} t=${t[j]}: test sim ${f(row.testSim as number)} +- ${f(row.testSimSe as number)} closure ${f(row.testClosure as number)} (${f((100 * (row.testPairedDiff as number)) / (row.testSim as number))} % , z ${f((row.testPairedDiff as number) / (row.testPairedSe as number))}) one-pass ${f(row.onePassTest as number)} | train sim ${f(row.trainSim as number)} +- ${f(row.trainSimSe as number)} closure ${f(row.trainClosure as number)} (${f((100 * (row.trainPairedDiff as number)) / (row.trainSim as number))} %, z ${f((row.trainPairedDiff as number) / (row.trainPairedSe as number))})\n`,
      );
    }
  }
}
process.stdout.write(JSON.stringify({ generated: 'scripts/reuse/closure-check.ts', parameters: { seeds, seed, N, M, a, b, eta, sigmas, t, configs }, rows }, null, 1) + '\n');

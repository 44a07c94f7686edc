/**
 * Real-data benchmarks (called by bench/run.ts as part "data", or alone:
 * `npx tsx bench/data.ts`): MNIST loading + population (THEORY E30) + one DMFT
 * curve, cold and with the population cached; the eigensolver at d = 784
 * against which the rest is a ratio; the sparse covariance against the dense
 * Gram kernel; one seed of the real-data experiment; the spectrum fit (E31).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { centredCovariance, compareWithExperiment, fitSpectrum, loadMnist, loadSourceDataset, populationFromSource, type DataSource } from '../src/data/index.js';
import { solveCurve } from '../src/numeric/index.js';
import { gramColumns, symmetricEigen, symmetricEigenOperator } from '../src/simulation/index.js';
import { customSpectrum } from '../src/spectrum/index.js';

interface BenchRecord {
  name: string;
  ms: number;
  note?: string;
}

function cpuTime<T>(f: () => T): { ms: number; value: T } {
  const c0 = process.cpuUsage();
  const value = f();
  const c = process.cpuUsage(c0);
  return { ms: (c.user + c.system) / 1e3, value };
}

function time<T>(f: () => T): { ms: number; value: T } {
  const t0 = performance.now();
  const value = f();
  return { ms: performance.now() - t0, value };
}

const PARITY: DataSource = { kind: 'mnist', features: { kind: 'pixels' }, target: { kind: 'parity' } };
const CURVE_T = [0, 1, 10, 100, 1000, 10000, Infinity];

export async function benchData(): Promise<BenchRecord[]> {
  const records: BenchRecord[] = [];
  const cacheDir = mkdtempSync(join(tmpdir(), 'scaling-dmft-bench-'));
  try {
    const cold = time(() => {
      const sourced = populationFromSource(PARITY, { cacheDir });
      const p = sourced.population;
      const curve = solveCurve({ spectrum: customSpectrum(p.lambda, p.c, 'mnist'), N: 256, P: 512, sigma: Math.sqrt(p.sigma2), t: CURVE_T });
      return { sourced, curve };
    });
    const p = cold.value.sourced.population;
    records.push({
      name: 'mnist cold: load + population (E30) + DMFT curve (7 t)',
      ms: cold.ms,
      note: `covariance ${p.timing.covarianceMs.toFixed(0)} ms, eigen ${p.timing.eigenMs.toFixed(0)} ms, curve ${cold.value.curve.status}; target < 10000 ms`,
    });
    const warm = time(() => {
      const sourced = populationFromSource(PARITY, { cacheDir });
      const q = sourced.population;
      return { cached: sourced.cached, curve: solveCurve({ spectrum: customSpectrum(q.lambda, q.c, 'mnist'), N: 256, P: 512, sigma: Math.sqrt(q.sigma2), t: CURVE_T }) };
    });
    records.push({ name: 'mnist cached: population from cache + DMFT curve (7 t)', ms: warm.ms, note: `cached ${warm.value.cached}; ${(cold.ms / warm.ms).toFixed(1)}x faster than cold; target < 1000 ms` });

    const images = loadMnist();
    const d = 784;
    const cov = time(() => centredCovariance(images.pixels, images.n, d));
    const eig = time(() => symmetricEigen(cov.value.covariance, d));
    records.push({ name: 'symmetricEigen d=784 (baseline of this part)', ms: eig.ms });
    // What the population uses instead (E30 needs the eigenvalues and U^T b only): the live features, as computePopulation.
    const live = Array.from({ length: d }, (_, j) => j).filter((j) => cov.value.covariance[j * d + j] > 0);
    const reduced = Float64Array.from({ length: live.length ** 2 }, (_, i) => cov.value.covariance[live[Math.floor(i / live.length)] * d + live[i % live.length]]);
    const denseLive = time(() => symmetricEigen(reduced, live.length));
    const operator = time(() => symmetricEigenOperator(reduced, live.length).project(new Float64Array(live.length).fill(1)));
    records.push({
      name: `eigen of the population, d' = ${live.length} live pixels: eigenvalues + U^T b`,
      ms: operator.ms,
      note: `symmetricEigenOperator; the dense symmetricEigen with every eigenvector (used before) ${denseLive.ms.toFixed(0)} ms: ${(denseLive.ms / operator.ms).toFixed(1)}x`,
    });
    records.push({ name: 'covariance 10000 x 784, sparse rows (pixels ~19% non-zero)', ms: cov.ms, note: `${(cov.ms / eig.ms).toFixed(2)}x eigen` });
    const dense = time(() => gramColumns(images.pixels, images.n, d, 1 / images.n));
    records.push({ name: 'covariance 10000 x 784, dense Gram kernel', ms: dense.ms, note: `${(dense.ms / cov.ms).toFixed(1)}x the sparse path` });

    const fit = time(() => fitSpectrum(p.lambda, p.c, { laws: false }));
    records.push({ name: 'spectrum fit (E31), 200 residual-bootstrap replicates, no laws', ms: fit.ms, note: `${(fit.ms / eig.ms).toFixed(3)}x eigen` });
    const fitLaws = time(() => fitSpectrum(p.lambda, p.c));
    records.push({ name: 'spectrum fit with the law intervals (5 symbolic tables)', ms: fitLaws.ms });

    const dataset = loadSourceDataset(PARITY);
    const exp = time(() => compareWithExperiment(p, dataset, { N: [256], P: [512], seeds: 2, seed: 1, t: CURVE_T.slice(1) }));
    records.push({
      name: 'experiment N=256 P=512, 2 seeds + DMFT (6 t)',
      ms: exp.ms,
      note: `experiment ${exp.value.timing.experimentMs.toFixed(0)} ms, theory ${exp.value.timing.theoryMs.toFixed(0)} ms; ${(exp.value.timing.experimentMs / 2 / eig.ms).toFixed(2)}x eigen per seed`,
    });
    // The grid of docs/real-data.md, as `experiment --dataset mnist --N 64,256,1024 --P 128,512,2048 --seeds 4` runs it
    // after loading the data set and the population (bench/cli.ts times the command itself).
    const grid = cpuTime(() => compareWithExperiment(p, dataset, { N: [64, 256, 1024], P: [128, 512, 2048], seeds: 4, seed: 1 }));
    records.push({
      name: 'experiment grid N=64,256,1024 x P=128,512,2048, 4 seeds, CPU',
      ms: grid.ms,
      note: `experiment ${grid.value.timing.experimentMs.toFixed(0)} ms wall, theory ${grid.value.timing.theoryMs.toFixed(0)} ms wall; ${(grid.ms / eig.ms).toFixed(1)}x the dense eigen at d = 784; the whole command: bench/cli.ts`,
    });
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
  return records;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const r of await benchData()) console.log(`data ${r.name.padEnd(64)} ${r.ms.toFixed(1).padStart(10)} ms${r.note ? `  ${r.note}` : ''}`);
}

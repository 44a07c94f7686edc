/**
 * The spectrum-fit benchmark (THEORY E31): measured-looking spectra with a
 * known (a, b), straight power laws and the curved shapes real spectra take,
 * each seeded. Used by scripts/data/fit-benchmark.ts (the full benchmark,
 * whose output is committed) and test/data/fit.test.ts (a small seeded run).
 *
 * Every spectrum carries the noise of a measurement: eigenvalues
 * lambda_k e^{0.05 eps_k} re-sorted descending (order-statistic noise,
 * correlated over neighbouring modes) and task powers c_k e^{0.5 eps'_k}
 * (chi-square-like), except "fewer samples than features", whose noise is
 * that of a real sample covariance. Truth: the exponents of the power law
 * underneath (for the broken power law, those of its tail beyond the break,
 * which the asymptotic laws see).
 */
import { computePopulation } from '../../src/data/index.js';
import { Xoshiro128 } from '../../src/simulation/index.js';

export interface BenchmarkSpectrum {
  readonly lambda: Float64Array;
  readonly c: Float64Array;
}

export interface BenchmarkCase {
  readonly family: 'straight' | 'cutoff' | 'top-missing' | 'undersampled' | 'broken';
  readonly name: string;
  /** True exponents (c_k ~ k^-a, lambda_k ~ k^-b). */
  readonly a: number;
  readonly b: number;
  readonly make: (seed: number) => BenchmarkSpectrum;
}

/** Random stream of the benchmark's noise: key (seed, STREAM_FIT_BENCHMARK). */
const STREAM_FIT_BENCHMARK = 4243;

/** Noisy, sorted spectrum from noiseless shapes lambda(k), c(k), k = 1..M. */
function measured(M: number, lambdaOf: (k: number) => number, cOf: (k: number) => number, seed: number): BenchmarkSpectrum {
  const rng = new Xoshiro128([seed, STREAM_FIT_BENCHMARK]);
  const pairs = Array.from({ length: M }, (_, i) => {
    const k = i + 1;
    return { lambda: lambdaOf(k) * Math.exp(0.05 * rng.nextNormal()), c: cOf(k) * Math.exp(0.5 * rng.nextNormal()) };
  });
  // A measured spectrum is sorted by eigenvalue; each c_k stays with its lambda_k.
  pairs.sort((p, q) => q.lambda - p.lambda);
  return { lambda: Float64Array.from(pairs, (p) => p.lambda), c: Float64Array.from(pairs, (p) => p.c) };
}

/**
 * The population (E30) of n Gaussian samples of d features with covariance
 * diag(k^-b) and a linear target with c_k = k^-a (w*_k = k^{(b-a)/2}) plus
 * noise: n < d, so the sample covariance has rank below n and its spectrum
 * bends down near the rank.
 */
function undersampled(n: number, d: number, a: number, b: number, seed: number): BenchmarkSpectrum {
  const rng = new Xoshiro128([seed, STREAM_FIT_BENCHMARK, 1]);
  const x = new Float64Array(n * d);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 1; k <= d; k++) {
      const v = rng.nextNormal() * k ** (-b / 2);
      x[i * d + k - 1] = v;
      s += v * k ** ((b - a) / 2);
    }
    y[i] = s + 0.1 * rng.nextNormal();
  }
  const p = computePopulation({ n, d, features: x, targets: y });
  return { lambda: p.lambda, c: p.c };
}

/** The benchmark's cases; `scale` < 1 shrinks the spectra (the test's small version). */
export function benchmarkCases(scale = 1): BenchmarkCase[] {
  const M = Math.round(1000 * scale);
  const cases: BenchmarkCase[] = [];
  for (const [a, b] of [[1.25, 1.5], [2.0, 1.25], [1.5, 2.0]] as const) {
    cases.push({ family: 'straight', name: `straight a=${a} b=${b} M=${M}`, a, b, make: (s) => measured(M, (k) => k ** -b, (k) => k ** -a, s) });
  }
  for (const [a, b, cut] of [[1.5, 1.25, 1], [2.0, 1.5, 2]] as const) {
    const kc = M * cut;
    cases.push({
      family: 'cutoff',
      name: `exponential cut-off e^(-k/${kc.toFixed(0)}) a=${a} b=${b}`,
      a,
      b,
      make: (s) => measured(M, (k) => k ** -b * Math.exp(-k / kc), (k) => k ** -a * Math.exp(-k / kc), s),
    });
  }
  for (const [a, b, k0] of [[1.5, 1.25, 20], [2.0, 1.5, 40]] as const) {
    cases.push({
      family: 'top-missing',
      name: `top ${k0} modes missing a=${a} b=${b}`,
      a,
      b,
      make: (s) => measured(M, (k) => (k + k0) ** -b, (k) => (k + k0) ** -a, s),
    });
  }
  const d = Math.round(800 * scale);
  for (const [a, b] of [[1.5, 1.25], [2.0, 1.5]] as const) {
    cases.push({ family: 'undersampled', name: `n = ${d / 2} samples of d = ${d} features a=${a} b=${b}`, a, b, make: (s) => undersampled(d / 2, d, a, b, s) });
  }
  for (const [a, b1, b2] of [[1.5, 1.1, 1.8], [2.0, 1.8, 1.2]] as const) {
    const kb = Math.round(Math.sqrt(10 * M));
    cases.push({
      family: 'broken',
      name: `broken power law b=${b1} to b=${b2} at k=${kb} a=${a}`,
      a,
      b: b2,
      make: (s) => measured(M, (k) => (k <= kb ? k ** -b1 : kb ** -b1 * (k / kb) ** -b2), (k) => k ** -a, s),
    });
  }
  return cases;
}

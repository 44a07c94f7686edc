/**
 * Spectrum fits (THEORY E31): synthetic spectra with known (a, b) and
 * multiplicative noise are recovered within two standard errors, and the
 * errors are honest: on straight laws coverage near the
 * nominal 95% (2 s.e.) and 68% (1 s.e.) over 40 seeds, neither far below (errors too
 * small) nor at 100% for one s.e. (errors inflated); on curved spectra (the
 * benchmark of scripts/data/fit-benchmark-cases.ts) at least 90% at 2 s.e.,
 * the window (systematic) part included.
 */
import { describe, expect, it } from 'vitest';
import { fitSpectrum } from '../../src/data/index.js';
import { Xoshiro128 } from '../../src/simulation/index.js';
import { benchmarkCases } from '../../scripts/data/fit-benchmark-cases.js';

/**
 * lambda_k = k^-b e^{0.05 eps}, c_k = k^-a e^{0.5 eps'}, independent noise per
 * mode; `sorted` re-sorts the eigenvalues as a measured spectrum is sorted
 * (order-statistic noise, correlated over neighbouring modes).
 */
function synthetic(a: number, b: number, M: number, seed: number, sorted = false): { lambda: Float64Array; c: Float64Array } {
  const rng = new Xoshiro128([seed, 4242]);
  const lambda = new Float64Array(M);
  const c = new Float64Array(M);
  for (let k = 1; k <= M; k++) {
    lambda[k - 1] = k ** -b * Math.exp(0.05 * rng.nextNormal());
    c[k - 1] = k ** -a * Math.exp(0.5 * rng.nextNormal());
  }
  if (sorted) lambda.sort().reverse();
  return { lambda, c };
}

describe('coverage of the fitted exponents over 40 seeds (straight laws)', () => {
  // Measured with scripts/data/fit-coverage.ts (200 seeds): 2 s.e. coverage 0.96-0.985 (a) and 0.885-0.905 (b: the
  // fit sorts the eigenvalues, so every spectrum carries order-statistic noise), 1 s.e. 0.68-0.70.
  // 40 seeds (was 100, 2.5x the time) still fail every bound-breaking mutation checked: every standard error
  // times 0.5, 0.75 or 0.8 (2 s.e. coverage too low) and times 2 or 1.33 (1 s.e. coverage too high) fail on
  // a = 1.25, b = 1.5; the 100 seeds passed the 0.8 and 1.33 mutations there.
  it.each([
    [1.25, 1.5],
    [2.0, 1.25],
  ])('a = %s, b = %s', (a, b) => {
    const seeds = 40;
    let a2 = 0;
    let b2 = 0;
    let a1 = 0;
    let b1 = 0;
    for (let s = 0; s < seeds; s++) {
      const { lambda, c } = synthetic(a, b, 500, s);
      const fit = fitSpectrum(lambda, c, { residualReplicates: 40, seed: s, laws: false });
      expect(fit.a.status).toBe('converged');
      expect(fit.b.status).toBe('converged');
      const za = Math.abs(fit.a.value - a) / fit.a.stderr;
      const zb = Math.abs(fit.b.value - b) / fit.b.stderr;
      if (za <= 2) a2++;
      if (zb <= 2) b2++;
      if (za <= 1) a1++;
      if (zb <= 1) b1++;
    }
    // Nominal 0.95 and 0.68 (binomial s.d. over 40 seeds: 0.034 and 0.074).
    expect(a2 / seeds).toBeGreaterThanOrEqual(0.9);
    expect(b2 / seeds).toBeGreaterThanOrEqual(0.84);
    expect(a1 / seeds).toBeGreaterThanOrEqual(0.55);
    expect(b1 / seeds).toBeGreaterThanOrEqual(0.55);
    // Not inflated either: one s.e. must not cover nearly every seed.
    expect(a1 / seeds).toBeLessThanOrEqual(0.82);
    expect(b1 / seeds).toBeLessThanOrEqual(0.82);
  }, 120_000);
});

describe('curved spectra: the standard error includes the window (systematic) part', () => {
  // A small seeded run of scripts/data/fit-benchmark.ts (full run: scripts/data/fit-benchmark.out.txt).
  it('coverage >= 90% on curved spectra; straight laws keep their statistical error', () => {
    const curved = benchmarkCases(1).filter((c) => c.family !== 'straight' && c.family !== 'undersampled');
    const runs: Array<{ family: string; seed: number; truth: [number, number]; make: () => { lambda: Float64Array; c: Float64Array } }> = [];
    for (const c of curved) for (const seed of [0, 1]) runs.push({ family: c.family, seed, truth: [c.a, c.b], make: () => c.make(seed) });
    // Fewer samples than features at d = 600 (the full benchmark: 800), one seed each.
    for (const c of benchmarkCases(0.75).filter((c) => c.family === 'undersampled')) runs.push({ family: c.family, seed: 0, truth: [c.a, c.b], make: () => c.make(0) });
    let covered = 0;
    let fitted = 0;
    for (const run of runs) {
      const { lambda, c } = run.make();
      const fit = fitSpectrum(lambda, c, { residualReplicates: 60, seed: run.seed, laws: false });
      for (const [e, truth] of [[fit.a, run.truth[0]], [fit.b, run.truth[1]]] as const) {
        if (e.status !== 'converged') continue;
        fitted++;
        if (Math.abs(e.value - truth) <= 2 * e.stderr) covered++;
      }
    }
    expect(fitted).toBeGreaterThanOrEqual(2 * runs.length - 4);
    expect(covered / fitted).toBeGreaterThanOrEqual(0.9);
    // Straight laws: covered, and the systematic tests add nothing to most of them.
    const ratios: number[] = [];
    for (const c of benchmarkCases(1).filter((c) => c.family === 'straight')) {
      for (const seed of [0, 1]) {
        const { lambda, c: power } = c.make(seed);
        const fit = fitSpectrum(lambda, power, { residualReplicates: 60, seed, laws: false });
        for (const [e, truth] of [[fit.a, c.a], [fit.b, c.b]] as const) {
          expect(Math.abs(e.value - truth)).toBeLessThanOrEqual(2 * e.stderr);
          ratios.push(e.stderr / Math.hypot(e.components.bootstrap, e.components.drift));
        }
      }
    }
    ratios.sort((x, y) => x - y);
    expect(ratios[Math.floor(ratios.length / 2)]).toBeLessThan(1.01);
  }, 60_000);

  it('a broken power law whose two runs are both admissible: the fit names the other window and its error spans both exponents', () => {
    const M = 4000;
    const kb = 200;
    const lambda = Float64Array.from({ length: M }, (_, i) => (i + 1 <= kb ? (i + 1) ** -1.1 : kb ** -1.1 * ((i + 1) / kb) ** -1.8));
    const c = Float64Array.from({ length: M }, (_, i) => (i + 1) ** -1.5);
    const fit = fitSpectrum(lambda, c, { residualReplicates: 20, laws: false });
    expect(fit.b.status).toBe('converged');
    const other = Math.abs(fit.b.value - 1.1) < Math.abs(fit.b.value - 1.8) ? 1.8 : 1.1;
    expect(fit.b.alternatives.some((w) => Math.abs(w.value - other) < 0.05)).toBe(true);
    expect(fit.notes.join(' ')).toMatch(/the window choice changes b: /);
    expect(fit.b.stderr).toBeGreaterThanOrEqual(0.6);
    expect(Math.abs(fit.b.value - other)).toBeLessThanOrEqual(2 * fit.b.stderr);
  });
});

describe('the finite-M tail form (E31) removes the straight-line bias near a = 1', () => {
  it('a = 1.25, M = 4000, no noise: the fit gives 1.25; a straight line through log T_k on the same points gives about 1.4', () => {
    const M = 4000;
    const a = 1.25;
    const lambda = Float64Array.from({ length: M }, (_, i) => (i + 1) ** -1.5);
    const c = Float64Array.from({ length: M }, (_, i) => (i + 1) ** -a);
    const fit = fitSpectrum(lambda, c, { windowB: { from: 10, to: M }, residualReplicates: 10, laws: false });
    expect(fit.a.value).toBeGreaterThan(a - 0.01);
    expect(fit.a.value).toBeLessThan(a + 0.01);
    // The naive fit: log T_k against log k, T_k = sum_{l > k} c_l, on k = 10..M/2.
    const tail = new Float64Array(M + 1);
    for (let l = M; l >= 1; l--) tail[l - 1] = tail[l] + c[l - 1];
    const xs: number[] = [];
    const ys: number[] = [];
    for (let k = 10; k <= M / 2; k *= 1.1) {
      xs.push(Math.log(Math.round(k)));
      ys.push(Math.log(tail[Math.round(k)]));
    }
    const mx = xs.reduce((s, v) => s + v, 0) / xs.length;
    const my = ys.reduce((s, v) => s + v, 0) / ys.length;
    const slope = xs.reduce((s, x, i) => s + (x - mx) * (ys[i] - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
    expect(1 - slope).toBeGreaterThan(1.35);
  });
});

describe('windows, laws and statuses', () => {
  it('automatic window skips the head and finds the power-law run; laws are intervals containing the centre', () => {
    const { lambda, c } = synthetic(1.5, 1.25, 400, 7);
    const fit = fitSpectrum(lambda, c, { residualReplicates: 40 });
    expect(fit.b.window?.from).toBeGreaterThanOrEqual(10);
    expect(fit.b.window?.to).toBeGreaterThan(300);
    expect(fit.phase).toBe('a-1<b');
    const time = fit.laws.find((l) => l.id === 'time');
    expect(time).toBeDefined();
    // THEORY (E17): L(t) ~ t^-(a-1)/b.
    expect(time!.exponent).toBeCloseTo(-(Number(fit.a.value.toPrecision(6)) - 1) / Number(fit.b.value.toPrecision(6)), 5);
    expect(time!.low!).toBeLessThanOrEqual(time!.exponent!);
    expect(time!.high!).toBeGreaterThanOrEqual(time!.exponent!);
    expect(time!.high! - time!.low!).toBeGreaterThan(0);
  }, 60_000);

  it('a spectrum without a steady slope has no window: a status, not a number', () => {
    const M = 200;
    // Slope changes continuously: log lambda = -(log k)^2.
    const lambda = Float64Array.from({ length: M }, (_, i) => Math.exp(-(Math.log(i + 1) ** 2)));
    const c = Float64Array.from({ length: M }, (_, i) => (i + 1) ** -2);
    const fit = fitSpectrum(lambda, c, { residualReplicates: 10 });
    expect(fit.b.status).toBe('no_asymptotic_window');
    expect(Number.isNaN(fit.b.value)).toBe(true);
    expect(fit.laws).toEqual([]);
  });

  it('a best a at an end of the searched range is a status, not a number', () => {
    const M = 200;
    const lambda = Float64Array.from({ length: M }, (_, i) => (i + 1) ** -1.5);
    const c = Float64Array.from({ length: M }, (_, i) => (i + 1) ** 4); // c_k ~ k^-a with a = -4, beyond the range searched
    const fit = fitSpectrum(lambda, c, { windowB: { from: 10, to: M }, residualReplicates: 10, laws: false });
    expect(fit.a.status).toBe('at_search_bound');
    expect(Number.isNaN(fit.a.value)).toBe(true);
    expect(fit.a.message).toMatch(/end of the searched range \[-2, 10\]/);
  });

  it('a window outside the spectrum is refused, naming the argument', () => {
    const { lambda, c } = synthetic(1.5, 1.25, 100, 1);
    expect(() => fitSpectrum(lambda, c, { windowB: { from: 5, to: 200 } })).toThrow(/windowB must be integers 1 <= from < to <= 100/);
  });

  it('eigenvalues in ascending order (numpy eigh) are sorted with their c_k: the same fit as the descending file', () => {
    const { lambda, c } = synthetic(1.5, 1.25, 300, 3, true);
    const descending = fitSpectrum(lambda, c, { residualReplicates: 30, seed: 9, laws: false });
    const ascending = fitSpectrum(Float64Array.from(lambda).reverse(), Float64Array.from(c).reverse(), { residualReplicates: 30, seed: 9, laws: false });
    expect(ascending.b.value).toBe(descending.b.value);
    expect(ascending.a.value).toBe(descending.a.value);
    expect(ascending.b.value).toBeGreaterThan(1.1);
    expect(ascending.a.value).toBeGreaterThan(1.2);
    expect(descending.sortedInput).toBe(false);
    expect(ascending.sortedInput).toBe(true);
    expect(ascending.notes.join(' ')).toMatch(/not in descending order .* sorted, each c_k kept with its lambda_k/);
  });

  it('is reproducible from its seed', () => {
    const { lambda, c } = synthetic(1.5, 1.25, 300, 3);
    const f1 = fitSpectrum(lambda, c, { residualReplicates: 30, seed: 9, laws: false });
    const f2 = fitSpectrum(lambda, c, { residualReplicates: 30, seed: 9, laws: false });
    expect(f2.a.stderr).toBe(f1.a.stderr);
    expect(f2.b.stderr).toBe(f1.b.stderr);
  });
});

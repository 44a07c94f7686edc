/**
 * The real-data report section: markdown with the fit, the law intervals and
 * the agreement table (failures marked), and figure specs that the reconcile
 * layer renders to SVG without dropped points.
 */
import { describe, expect, it } from 'vitest';
import { computePopulation, fitSpectrum, realDataSection, type RealDataComparison } from '../../src/data/index.js';
import { renderFigureDetailed } from '../../src/reconcile/figures.js';
import { Xoshiro128 } from '../../src/simulation/index.js';

describe('realDataSection', () => {
  const n = 400;
  const d = 40;
  const rng = new Xoshiro128([6]);
  const x = new Float64Array(n * d);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) x[i * d + j] = rng.nextNormal() * (j + 1) ** -0.75;
    y[i] = x[i * d] + 0.3 * x[i * d + 3] + 0.2 * rng.nextNormal();
  }
  const population = computePopulation({ n, d, features: x, targets: y });
  const fit = fitSpectrum(population.lambda, population.c, { residualReplicates: 20, windowB: { from: 3, to: 30 }, laws: false });
  const comparison: RealDataComparison = {
    rows: [
      { N: 8, P: 16, t: 1, theory: 0.5, theoryError: 1e-12, theoryStatus: 'converged', median: 0.505, medianLow: 0.49, medianHigh: 0.52, experiment: 0.51, stderr: 0.01, z: -1, relativeDifference: -0.0099, agrees: true, verdict: 'agrees', heldOut: 0.52, experimentTrain: 0.4, theoryTrain: 0.41 },
      { N: 8, P: 16, t: 10, theory: 0.3, theoryError: 1e-12, theoryStatus: 'converged', median: 0.4, medianLow: 0.38, medianHigh: 0.42, experiment: 0.4, stderr: 0.01, z: -10, relativeDifference: -0.25, agrees: false, verdict: 'disagrees', heldOut: 0.41, experimentTrain: 0.2, theoryTrain: 0 },
      { N: 8, P: 16, t: 100, theory: 0.3, theoryError: 1e-12, theoryStatus: 'converged', median: 0.4, medianLow: Number.NaN, medianHigh: Number.NaN, experiment: 0.4, stderr: 0.01, z: -10, relativeDifference: -0.25, agrees: null, verdict: 'too_few_seeds', heldOut: 0.41, experimentTrain: 0.2, theoryTrain: 0.21 },
    ],
    parameters: { seeds: 4, seed: 1 },
    timing: { theoryMs: 1, experimentMs: 1 },
  };
  const section = realDataSection({ title: 'synthetic', population, fit, comparison });

  it('markdown: population, fit table, agreement table with the failing point marked', () => {
    expect(section.markdown).toContain('## Real data: synthetic');
    expect(section.markdown).toMatch(/\| b \| [\d.]+ \| [\d.e-]+ \| 3-30 \|/);
    expect(section.markdown).toContain('1 of 3 points agree; 1 without a verdict (fewer than 6 seeds)');
    expect(section.markdown).toContain('| **no** |');
    expect(section.markdown).toContain('| n/a |');
    expect(section.markdown).toMatch(/Statistic: the median over seeds with its 95% order-statistic interval/);
  });

  it('figures render to SVG with every point shown', async () => {
    expect(section.figures.map((f) => f.id)).toEqual(['real_data_spectrum', 'real_data_local_slopes', 'real_data_curves']);
    for (const figure of section.figures) {
      const rendered = await renderFigureDetailed(figure);
      expect(rendered.svg).toContain('<svg');
      expect(rendered.warnings.filter((w) => /dropped/.test(w))).toEqual([]);
    }
  }, 60_000);
});

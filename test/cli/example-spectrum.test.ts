/**
 * The README's `curve --spectrum examples/mnist-parity-spectrum.csv` example:
 * the shipped file parses, round-trips the MNIST population exactly (values
 * written as shortest round-trip decimals), and gives the same curve as
 * `--dataset mnist`.
 */
import { describe, expect, it } from 'vitest';
import { populationFromSource } from '../../src/data/index.js';
import { solveCurve } from '../../src/numeric/index.js';
import { customSpectrum, loadSpectrumFile } from '../../src/spectrum/index.js';

describe('examples/mnist-parity-spectrum.csv', () => {
  it('is the MNIST parity population and gives the same curve', () => {
    const file = loadSpectrumFile('examples/mnist-parity-spectrum.csv');
    const { population } = populationFromSource({ kind: 'mnist', features: { kind: 'pixels' }, target: { kind: 'parity' } });
    expect(Array.from(file.lambda)).toEqual(Array.from(population.lambda));
    expect(Array.from(file.c)).toEqual(Array.from(population.c));
    const t = [1, 100, 1e4];
    const fromFile = solveCurve({ spectrum: file, N: 256, P: 512, sigma: Math.sqrt(population.sigma2), t });
    const fromData = solveCurve({ spectrum: customSpectrum(population.lambda, population.c, 'mnist'), N: 256, P: 512, sigma: Math.sqrt(population.sigma2), t });
    expect(Array.from(fromFile.test)).toEqual(Array.from(fromData.test));
    expect(fromFile.status).toBe('converged');
  }, 60_000);
});

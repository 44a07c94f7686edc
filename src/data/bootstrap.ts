/**
 * Bootstrap over samples (THEORY E31): replicate populations from multinomial
 * resamples of the n samples (as integer weights, so no data is copied), for
 * the statistical part of the fitted exponents' standard errors. Each
 * replicate costs one covariance and one eigendecomposition (about 4 s for
 * MNIST pixels here).
 */
import { InvalidArgumentError } from '../core/errors.js';
import { Xoshiro128 } from '../simulation/index.js';
import { computePopulation, type PopulationInput } from './population.js';

/** Random stream of the sample bootstrap: key (seed, STREAM_SAMPLE_BOOTSTRAP, replicate). */
export const STREAM_SAMPLE_BOOTSTRAP = 32;

export function sampleBootstrapSpectra(input: PopulationInput, replicates: number, seed: number): { lambda: Float64Array; c: Float64Array }[] {
  if (!Number.isInteger(replicates) || replicates < 2) throw new InvalidArgumentError('replicates', 'must be an integer >= 2', replicates);
  const out: { lambda: Float64Array; c: Float64Array }[] = [];
  const weights = new Uint32Array(input.n);
  for (let r = 0; r < replicates; r++) {
    weights.fill(0);
    const rng = new Xoshiro128([seed, STREAM_SAMPLE_BOOTSTRAP, r]);
    for (let i = 0; i < input.n; i++) weights[Math.floor(rng.nextDouble() * input.n)]++;
    const p = computePopulation(input, weights);
    out.push({ lambda: p.lambda, c: p.c });
  }
  return out;
}

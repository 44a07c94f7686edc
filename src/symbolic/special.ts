/**
 * Real special functions needed to give prefactors as numbers: Gamma and
 * Riemann zeta. Own implementations so the symbolic layer stays synchronous
 * (mathjs costs ~1 s to import, docs/dependencies.md); test/symbolic checks both
 * against mathjs and known values.
 */
import { InvalidArgumentError } from '../core/errors.js';

// Lanczos approximation, g = 7, n = 9 (Numerical Recipes / Godfrey coefficients),
// relative accuracy ~1e-15 for real arguments.
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** Gamma(x) for real x (poles at 0, -1, -2, ... return NaN). */
export function gamma(x: number): number {
  if (!Number.isFinite(x)) return Number.NaN;
  if (x <= 0 && Number.isInteger(x)) return Number.NaN;
  if (x < 0.5) return Math.PI / (Math.sin(Math.PI * x) * gamma(1 - x)); // reflection
  if (Number.isInteger(x) && x <= 171) {
    let f = 1;
    for (let k = 2; k < x; k++) f *= k;
    return f;
  }
  const z = x - 1;
  let s = LANCZOS[0];
  for (let i = 1; i < LANCZOS_G + 2; i++) s += LANCZOS[i] / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return Math.sqrt(2 * Math.PI) * Math.pow(t, z + 0.5) * Math.exp(-t) * s;
}

// Bernoulli numbers B_2, B_4, ..., B_16 for Euler-Maclaurin.
const BERNOULLI = [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510];

/**
 * Riemann zeta(s) for real s > 1: sum_{k<n} k^-s plus the Euler-Maclaurin tail
 * n^(1-s)/(s-1) + n^-s/2 + sum_j B_2j/(2j)! s(s+1)...(s+2j-2) n^(-s-2j+1).
 * With n = 20 and 8 Bernoulli terms the error is below 1e-15 relative for s in (1, 60].
 */
export function zeta(s: number): number {
  if (!(s > 1)) throw new InvalidArgumentError('s', 'must be > 1 (zeta is only needed for convergent sums)', s);
  const n = 20;
  let sum = 0;
  for (let k = 1; k < n; k++) sum += Math.pow(k, -s);
  sum += Math.pow(n, 1 - s) / (s - 1) + 0.5 * Math.pow(n, -s);
  let rising = s; // s (s+1) ... (s+2j-2)
  let fact = 2; // (2j)!
  let power = Math.pow(n, -s - 1);
  for (let j = 1; j <= BERNOULLI.length; j++) {
    sum += (BERNOULLI[j - 1] / fact) * rising * power;
    rising *= (s + 2 * j - 1) * (s + 2 * j);
    fact *= (2 * j + 1) * (2 * j + 2);
    power /= n * n;
  }
  return sum;
}

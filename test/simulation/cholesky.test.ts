/** The Cholesky factor (src/simulation/linalg.ts): four rows at a time, the bits of the plain row loop. */
import { describe, expect, it } from 'vitest';
import { cholesky, gramColumns } from '../../src/simulation/linalg.js';
import { Xoshiro128 } from '../../src/simulation/random.js';

/** The textbook row-oriented loop (Golub & Van Loan Alg. 4.2.1), written here as the reference. */
function plainCholesky(S: Float64Array, n: number): Float64Array | null {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = S[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(s > 0)) return null;
        L[i * n + i] = Math.sqrt(s);
      } else L[i * n + j] = s / L[j * n + j];
    }
  }
  return L;
}

function positiveDefinite(n: number, key: number): Float64Array {
  const m = n + 3;
  return gramColumns(new Xoshiro128([key]).fillNormal(new Float64Array(m * n)), m, n, 1 / m);
}

describe('cholesky', () => {
  it('gives the bits of the plain loop for every size (whole blocks of four rows and the rows left over)', () => {
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 50, 101]) {
      const S = positiveDefinite(n, n);
      const ours = cholesky(S, n);
      const plain = plainCholesky(S, n);
      expect(ours).not.toBeNull();
      let differing = 0;
      for (let i = 0; i < n * n; i++) if (!Object.is(ours![i], plain![i])) differing++;
      expect(differing, `n = ${n}`).toBe(0);
    }
  });

  it('returns null for a pivot that is not positive, in a block of four or in the rows left over', () => {
    for (const [n, bad] of [[9, 0], [9, 5], [9, 7], [9, 8], [12, 11], [2, 1]]) {
      const S = positiveDefinite(n, 100 + bad);
      S[bad * n + bad] = -1; // a negative diagonal entry: the pivot of row `bad` is negative
      expect(plainCholesky(S, n), `n = ${n}, row ${bad}`).toBeNull();
      expect(cholesky(S, n), `n = ${n}, row ${bad}`).toBeNull();
    }
  });
});

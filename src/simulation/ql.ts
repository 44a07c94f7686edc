/**
 * The implicit QL iteration of EISPACK TQL2 (Wilkinson & Reinsch, Handbook
 * II/3; the JAMA structure) on a symmetric tridiagonal (d, e), recording each
 * Givens rotation instead of applying it: one sweep shared by the implicit
 * solver (spectral.ts, which applies the log to a few vectors) and the dense
 * reference (linalg.ts symmetricEigen, which replays it on the eigenvector
 * matrix: the same arithmetic in the same order as TQL2's own loop).
 */

/** Columns of the thin matrix processed together in RotationLog.backward: their slices stay in L1 while the rotations stream past. */
const COLUMN_BLOCK = 8;

/**
 * Growable log of Givens rotations (i, c, s) acting on coordinates i and
 * i + 1, grouped in sweeps: one QL sweep records i = m-1, m-2, ..., l, a
 * chain of adjacent pairs.
 */
export class RotationLog {
  private index: Int32Array;
  private cs: Float64Array;
  private sweeps: Int32Array;
  /** Index i of each rotation (the first `count` entries are valid). */
  get indices(): Int32Array {
    return this.index;
  }
  /** (c, s) of each rotation, interleaved. */
  get pairs(): Float64Array {
    return this.cs;
  }
  count = 0;
  sweepCount = 0;

  constructor(capacity: number) {
    this.index = new Int32Array(capacity);
    this.cs = new Float64Array(2 * capacity);
    this.sweeps = new Int32Array(64);
  }

  startSweep(): void {
    if (this.sweepCount === this.sweeps.length) {
      const sweeps = new Int32Array(2 * this.sweeps.length);
      sweeps.set(this.sweeps);
      this.sweeps = sweeps;
    }
    this.sweeps[this.sweepCount++] = this.count;
  }

  push(i: number, c: number, s: number): void {
    if (this.count === this.index.length) {
      const index = new Int32Array(2 * this.index.length);
      index.set(this.index);
      const cs = new Float64Array(4 * this.index.length);
      cs.set(this.cs);
      this.index = index;
      this.cs = cs;
    }
    this.index[this.count] = i;
    this.cs[2 * this.count] = c;
    this.cs[2 * this.count + 1] = s;
    this.count++;
  }

  /**
   * Applies the rotations, first to last, to the rows i, i+1 of W (n x n,
   * row-major; row r holds column r of the transformation): exactly what
   * EISPACK TQL2 (linalg.ts tql2's former inner loop) does to the eigenvector
   * matrix as it goes, in the same order, so the same bits.
   */
  replayOnRows(W: Float64Array, n: number): void {
    const { index, cs } = this;
    for (let r = 0; r < this.count; r++) {
      const c = cs[2 * r];
      const s = cs[2 * r + 1];
      const r0 = index[r] * n;
      const r1 = r0 + n;
      for (let k = 0; k < n; k++) {
        const wk1 = W[r1 + k];
        const wk0 = W[r0 + k];
        W[r1 + k] = s * wk0 + c * wk1;
        W[r0 + k] = c * wk0 - s * wk1;
      }
    }
  }

  /**
   * y <- G_R^T ... G_1^T y: the coordinates in the rotated basis. TQL2 rotates
   * the columns i, i+1 of V as (c V_i - s V_{i+1}, s V_i + c V_{i+1}); the
   * coordinates V^T b transform the same way.
   */
  forward(y: Float64Array): void {
    const { index, cs } = this;
    for (let r = 0; r < this.count; r++) {
      const c = cs[2 * r];
      const s = cs[2 * r + 1];
      const i = index[r];
      const y0 = y[i];
      const y1 = y[i + 1];
      y[i + 1] = s * y0 + c * y1;
      y[i] = c * y0 - s * y1;
    }
  }

  /**
   * Yt <- (G_1 ... G_R Y^T)^T for Yt (width x n, row q = column q of Y): the
   * last rotation first. Within a sweep (taken backwards, i = l, l+1, ...)
   * the updated coordinate i + 1 is carried to the next rotation in a
   * register (as LAPACK DLASR does), so each rotation loads and stores one
   * element per column.
   */
  backward(Yt: Float64Array, width: number, n: number): void {
    const { index, cs, sweeps } = this;
    for (let q0 = 0; q0 < width; q0 += COLUMN_BLOCK) {
      const q1 = Math.min(width, q0 + COLUMN_BLOCK);
      for (let w = this.sweepCount - 1; w >= 0; w--) {
        const first = sweeps[w];
        const last = (w + 1 < this.sweepCount ? sweeps[w + 1] : this.count) - 1;
        if (last < first) continue;
        const lo = index[last];
        for (let q = q0; q < q1; q++) {
          const base = q * n;
          let carry = Yt[base + lo];
          for (let r = last, i = base + lo; r >= first; r--, i++) {
            const c = cs[2 * r];
            const s = cs[2 * r + 1];
            const x1 = Yt[i + 1];
            Yt[i] = c * carry + s * x1;
            carry = c * x1 - s * carry;
          }
          Yt[base + lo + last - first + 1] = carry;
        }
      }
    }
  }
}

/**
 * EISPACK TQL2's QL iteration (JAMA structure, as linalg.ts tql2) without the
 * eigenvector updates: each rotation is recorded instead. Input: d diagonal,
 * e[i] couples i and i + 1. On exit d holds the eigenvalues (unsorted).
 */
export function qlRecord(d: Float64Array, e: Float64Array, n: number, log: RotationLog, maxIterations: number): boolean {
  let converged = true;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      let iterations = 0;
      do {
        if (++iterations > maxIterations) {
          converged = false;
          break;
        }
        log.startSweep();
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          log.push(i, c, s);
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] = d[l] + f;
    e[l] = 0;
  }
  return converged;
}

/**
 * Minibatch SGD on P fixed training samples (data reuse, THEORY E28b), at one
 * draw of the data and of the projection A: the sampled run.
 *
 * Model: the training set is the seed's data (seed.ts: Psi, labels
 * y = Psi w* + sigma eps) and its features Phi = Psi B^T (P x n_f). Each step
 * takes B row indices and updates
 *     w <- w - (eta/B) sum_{mu in batch} phi_mu (phi_mu . w - y_mu)
 * (the update of E28 with the rows drawn from the P training samples). The
 * indices come from the stream (seed, seedIndex, STREAM_REUSE, r):
 *  - 'replacement' (default): B indices uniform on 0..P-1 with replacement,
 *    independently at every step;
 *  - 'epochs': the concatenation of independent uniform random permutations
 *    of 0..P-1 (Fisher-Yates), read B at a time; when B divides P every batch
 *    lies inside one epoch, otherwise a batch may straddle two epochs (it is
 *    still a stretch of B consecutive indices of the stream).
 * B = P with 'epochs' is full-batch gradient descent (the sum over the batch
 * is the sum over all rows, in another order).
 *
 * The batch draws do not depend on the labels, so the run is linear in
 * (w, y) and y = y0 + sigma eps: w = w_signal + sigma w_noise, one run per
 * part shares every index (as seed.ts does for the flows). The test loss
 * follows from the residual v = w* - B^T w (seed.ts), the train loss
 * (1/P) |Phi w - y|^2 = (|r0|^2 + 2 sigma r0 . re + sigma^2 |re|^2) / P with
 * r0 = Phi w_signal - y0 and re = Phi w_noise - eps.
 *
 * Divergence: a run whose train loss at a requested step is not finite or has
 * grown beyond DIVERGED_GROWTH times its start is reported as an instability
 * (the caller's status 'unstable'), never as a number.
 */
import { matmul } from './linalg.js';
import { Xoshiro128 } from './random.js';
import { minibatchStep, type Instability } from './sgd.js';
import type { ReuseSampling } from '../dynamics/index.js';

/** Stream identifier of the batch indices (seed.ts keeps 1-3, sgd.ts 4). */
export const STREAM_REUSE = 5;


/**
 * Growth of the train loss over its start beyond which a run counts as
 * diverged: far above any transient of a convergent run (the loss of a
 * stable run never exceeds its start by more than the noise kernel's mass,
 * O(1)), far below overflow.
 */
export const DIVERGED_GROWTH = 1e12;

export interface ReuseInput {
  /** Data matrix Psi (P x M, row-major), signal labels y0 = Psi w*, noise draws eps. */
  readonly Psi: Float64Array;
  readonly y0: Float64Array;
  readonly eps: Float64Array;
  readonly M: number;
  readonly P: number;
  readonly sigmas: Float64Array;
  /** Step counts (whole numbers). */
  readonly t: Float64Array;
  readonly seed: number;
}

export interface ReuseSettings {
  readonly lr: number;
  readonly batch: number;
  readonly sampling: ReuseSampling;
}

export interface ReuseProjection {
  /** Residual parts, M x 2T: v = w* - V[:, j] - sigma V[:, T + j]. */
  readonly V: Float64Array;
  readonly width: number;
  /** Train loss per sigma and time ([s * T + j]). */
  readonly train: Float64Array;
  readonly size: number;
  readonly instability?: Instability;
}

/** Draws B row indices per step by the chosen rule (module comment). */
class BatchIndices {
  private readonly rng: Xoshiro128;
  private readonly permutation: Int32Array;
  private position: number;
  /** Largest multiple of P below 2^32: rejection keeps the index exactly uniform. */
  private readonly limit: number;

  constructor(
    key: readonly number[],
    private readonly P: number,
    private readonly sampling: ReuseSampling,
  ) {
    this.rng = new Xoshiro128(key);
    this.limit = Math.floor(4294967296 / P) * P;
    this.permutation = sampling === 'epochs' ? Int32Array.from({ length: P }, (_, i) => i) : new Int32Array(0);
    this.position = P; // a fresh permutation before the first epoch
  }

  /** Uniform on 0..n-1 (n <= P), by rejection from 32-bit outputs. */
  private uniform(n: number): number {
    const limit = n === this.P ? this.limit : Math.floor(4294967296 / n) * n;
    let x = this.rng.nextUint32();
    while (x >= limit) x = this.rng.nextUint32();
    return x % n;
  }

  fill(out: Int32Array): void {
    if (this.sampling === 'replacement') {
      for (let b = 0; b < out.length; b++) out[b] = this.uniform(this.P);
      return;
    }
    const perm = this.permutation;
    for (let b = 0; b < out.length; b++) {
      if (this.position === this.P) {
        // Fisher-Yates: every permutation equally likely.
        for (let i = this.P - 1; i > 0; i--) {
          const j = this.uniform(i + 1);
          const x = perm[i];
          perm[i] = perm[j];
          perm[j] = x;
        }
        this.position = 0;
      }
      out[b] = perm[this.position++];
    }
  }
}

/**
 * The sampled run at one projection (Bt = B^T, M x n_f, or null for
 * N = Infinity where B = I); `index` and `r` key the batch stream.
 */
export function reuseProjection(input: ReuseInput, settings: ReuseSettings, Bt: Float64Array | null, index: number, r: number): ReuseProjection {
  const { Psi, y0, eps, M, P, sigmas, t, seed } = input;
  const T = t.length;
  const S = sigmas.length;
  const nf = Bt === null ? M : Bt.length / M;
  const { lr: eta, batch } = settings;
  const Phi = Bt === null ? Psi : matmul(Psi, Bt, P, M, nf); // THEORY (E3): Phi = Psi A^T / sqrt(N)
  const indices = new BatchIndices([seed, index, STREAM_REUSE, r], P, settings.sampling);
  const chosen = new Int32Array(batch);
  const w0 = new Float64Array(nf);
  const we = new Float64Array(nf);
  const dw0 = new Float64Array(nf);
  const dwe = new Float64Array(nf);
  const W = new Float64Array(nf * 2 * T);
  const train = new Float64Array(S * T);
  const r0 = new Float64Array(P);
  const re = new Float64Array(P);
  const order = Array.from({ length: T }, (_, j) => j).sort((x, y) => t[x] - t[y]);
  const scale = eta / batch;
  let start = 0;
  for (let p = 0; p < P; p++) start += y0[p] * y0[p] + eps[p] * eps[p];
  start = start > 0 ? start / P : 1; // all-zero labels: any growth of a zero loss is measured against 1
  let instability: Instability | undefined;
  let step = 0;
  for (const j of order) {
    const target = t[j];
    while (step < target && instability === undefined) {
      indices.fill(chosen);
      minibatchStep(Phi, nf, chosen, y0, eps, w0, we, dw0, dwe, scale);
      step++;
    }
    for (let i = 0; i < nf; i++) {
      W[i * 2 * T + j] = w0[i];
      W[i * 2 * T + T + j] = we[i];
    }
    // Train residual parts r0 = Phi w_signal - y0, re = Phi w_noise - eps (module comment).
    let a = 0;
    let c = 0;
    let d = 0;
    for (let p = 0; p < P; p++) {
      const row = p * nf;
      let f0 = 0;
      let fe = 0;
      for (let i = 0; i < nf; i++) {
        f0 += Phi[row + i] * w0[i];
        fe += Phi[row + i] * we[i];
      }
      r0[p] = f0 - y0[p];
      re[p] = fe - eps[p];
      a += r0[p] * r0[p];
      c += r0[p] * re[p];
      d += re[p] * re[p];
    }
    for (let s = 0; s < S; s++) {
      const sigma = sigmas[s];
      train[s * T + j] = (a + 2 * sigma * c + sigma * sigma * d) / P;
    }
    const growth = (a + d) / P / start;
    if (instability === undefined && !(growth < DIVERGED_GROWTH)) {
      instability = { quantity: 'growth of the sampled train loss over its start (signal plus unit noise)', value: growth, bound: DIVERGED_GROWTH };
    }
  }
  const V = Bt === null ? W : matmul(Bt, W, M, nf, 2 * T);
  return { V, width: 2 * T, train, size: nf, ...(instability ? { instability } : {}) };
}

/**
 * One-pass SGD benchmarks (THEORY E28): one SGD curve to 1e8 steps (100
 * geometric step counts, M = infinity) at N = infinity and at finite N, and as
 * the baseline, measured in the same process, the brute-force O(T^2) Volterra
 * in the time domain at N = infinity with closed-form kernels (M = 1000 modes)
 * at T = 1e4 steps, so the table shows the ratio. Medians of a few runs after
 * a warm-up. Run alone: `npm run bench -- sgd` once bench/run.ts lists it, or
 * `npx tsx bench/sgd.ts`.
 */
import { makeDynamics } from '../src/dynamics/index.js';
import { solveSgdCurve } from '../src/numeric/sgd.js';
import { powerLawSpectrum } from '../src/spectrum/index.js';

interface BenchRecord {
  name: string;
  ms: number;
  note?: string;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function stepGrid(n: number, hi: number): number[] {
  return [...new Set(Array.from({ length: n }, (_, i) => Math.round(Math.pow(hi, i / (n - 1)))))];
}

/** The time-domain Volterra with closed-form K and L^0 (N = infinity, rho = (1 - eta l)^2 + (eta^2/B) l^2, E28): O(M T + T^2). */
function bruteForce(M: number, a: number, b: number, eta: number, B: number, T: number): number {
  const K = new Float64Array(T + 1);
  const L = new Float64Array(T + 1);
  const G = new Float64Array(T + 1);
  for (let k = 1; k <= M; k++) {
    const l = k ** -b;
    const c = k ** -a;
    const x = (1 - eta * l) ** 2 + (eta * eta * l * l) / B;
    let p = 1;
    for (let t = 0; t <= T; t++) {
      K[t] += l * l * p;
      G[t] += c * p;
      p *= x;
    }
  }
  const eps = (eta * eta) / B;
  for (let t = 0; t <= T; t++) {
    let s = 0;
    for (let q = 0; q < t; q++) s += K[t - 1 - q] * L[q];
    L[t] = G[t] + eps * s;
  }
  return L[T];
}

function time(run: () => void, reps: number): number {
  for (let w = 0; w < 3; w++) run(); // warm-up: V8 compiles the hot loops
  const ms: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    run();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

export async function benchSgd(): Promise<BenchRecord[]> {
  const records: BenchRecord[] = [];
  const t = stepGrid(100, 1e8);
  const dynamics = makeDynamics({ optimizer: 'sgd', lr: 0.5, batch: 4 });
  const Tbrute = 1e4;
  const brute = time(() => bruteForce(1000, 3, 1.5, 0.5, 4, Tbrute), 3);
  // The O(T^2) part alone dominates: (T^2/2) multiply-adds.
  records.push({ name: `sgd brute-force Volterra T=${Tbrute}, M=1000, N=inf (baseline)`, ms: brute, note: 'O(M T + T^2) in the time domain' });
  for (const N of [Infinity, 256]) {
    let note = '';
    const ms = time(() => {
      const sol = solveSgdCurve({ spectrum: powerLawSpectrum({ a: 3, b: 1.5 }), N, sigma: 0, t, dynamics });
      note = `${sol.status}, ${t.length} step counts to 1e8, ${sol.diagnostics.groups} groups, ${sol.diagnostics.nodes} nodes, spread ${sol.diagnostics.methodSpread.toExponential(1)}`;
    }, 5);
    records.push({
      name: `sgd curve to 1e8 steps, a=3 b=1.5 M=inf, N=${N === Infinity ? 'inf' : N}`,
      ms,
      note: `${note}; ${(ms / brute).toFixed(3)} x the brute force at T=1e4 (which, O(T^2), would need ~${((brute * (1e8 / Tbrute) ** 2) / 1e3 / 86400).toFixed(0)} days to 1e8)`,
    });
  }
  return records;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await benchSgd()) console.log(`${r.name.padEnd(62)} ${r.ms.toFixed(1).padStart(9)} ms  ${r.note ?? ''}`);
}

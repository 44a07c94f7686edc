/**
 * Numeric-layer benchmarks (called by bench/run.ts): a 100-point test + train
 * + bias curve (both inversion methods, all quantities) at finite N, P for
 * M = 1e5 and M = infinity, and how the cost grows with M and with the number
 * of time points. Each figure is the median of a few runs after one warm-up
 * (the first call also pays V8's compilation of the hot loops).
 */
import { powerLawSpectrum } from '../src/spectrum/index.js';
import { solveCurve } from '../src/numeric/index.js';

interface BenchRecord {
  name: string;
  ms: number;
  note?: string;
}

function logGrid(n: number, lo = 1e-2, hi = 1e5): number[] {
  return Array.from({ length: n }, (_, i) => lo * Math.pow(hi / lo, i / Math.max(1, n - 1)));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeCurve(M: number, points: number, reps = 3): { ms: number; note: string } {
  const problem = { spectrum: powerLawSpectrum({ a: 1.5, b: 1.25, M }), N: 256, P: 1024, sigma: 0.3, t: logGrid(points) };
  solveCurve(problem); // warm-up
  const times: number[] = [];
  let note = '';
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    const sol = solveCurve(problem);
    times.push(performance.now() - t0);
    const d = sol.diagnostics;
    note = `${sol.status}, ${d.groups} node groups, ${d.nodes} nodes, ${d.modesExact}+${d.modesQuadrature} mode nodes, spread ${d.methodSpread.toExponential(1)}`;
  }
  return { ms: median(times), note };
}

export async function benchNumeric(): Promise<BenchRecord[]> {
  const records: BenchRecord[] = [];
  for (const M of [1e5, Infinity]) {
    const { ms, note } = timeCurve(M, 100);
    records.push({ name: `curve 100 t, N=256 P=1024, M=${M === Infinity ? 'inf' : M}`, ms, note });
  }
  // Cost vs M: exact sums up to 1024 modes, quadrature (a few hundred nodes) above.
  for (const M of [500, 1000, 2000, 1e4, 1e6]) {
    const { ms, note } = timeCurve(M, 100, 1);
    records.push({ name: `curve 100 t, M=${M}`, ms, note });
  }
  // Cost vs number of time points (the node groups cover a factor 10 each).
  for (const points of [10, 30, 300, 1000]) {
    const { ms, note } = timeCurve(Infinity, points, 1);
    records.push({ name: `curve ${points} t (1e-2..1e5), M=inf`, ms, note });
  }
  return records;
}

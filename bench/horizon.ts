/**
 * Any-horizon benchmarks (called by bench/run.ts; `npm run bench -- horizon`), as ratios measured in one run:
 *  - momentum (beta 0.5 and 0.9), GD at eta E_max = 1.5 and Nesterov (beta 0.9) at 8 step counts 1..1e6 (THEORY E27,
 *    E27a, E28d),
 *    against a gradient-flow curve at the same times (the target: at most 3x);
 *  - cost against the horizon: the same solve at 1e3-1e4 and at 1e5-1e6 steps (keyhole rule: flat).
 * Model: power law a = 1.5, b = 1.25, M = infinity, N = 512, P = 1024, sigma = 0.3. Each figure is CPU time
 * (process.cpuUsage), the least of 3 runs after a warm-up (the machine is shared).
 */
import { GRADIENT_FLOW, makeDynamics, type Dynamics } from '../src/dynamics/index.js';
import { solveCurve } from '../src/numeric/index.js';
import { powerLawSpectrum } from '../src/spectrum/index.js';

interface BenchRecord {
  name: string;
  ms: number;
  note?: string;
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function leastCpu(run: () => void, reps = 3): number {
  run();
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = cpuMs();
    run();
    best = Math.min(best, cpuMs() - t0);
  }
  return best;
}

export async function benchHorizon(emit: (record: BenchRecord) => void): Promise<BenchRecord[]> {
  const model = { spectrum: powerLawSpectrum({ a: 1.5, b: 1.25 }), N: 512, P: 1024, sigma: 0.3 };
  const steps = Array.from({ length: 8 }, (_, i) => Math.round(10 ** ((6 * i) / 7)));
  const eMax = solveCurve({ ...model, t: [1], dynamics: makeDynamics({ optimizer: 'gd', lr: 0.1 }) }).diagnostics.spectrumTop;
  const records: BenchRecord[] = [];
  const push = (r: BenchRecord) => {
    records.push(r);
    emit(r);
  };
  const gfMs = leastCpu(() => solveCurve({ ...model, t: steps, dynamics: GRADIENT_FLOW }));
  push({ name: 'gradient flow, 8 times 1..1e6 (baseline)', ms: gfMs });
  const cases: Array<[string, Dynamics]> = [
    ['momentum eta 1 beta 0.5', makeDynamics({ optimizer: 'momentum', lr: 1, momentum: 0.5 })],
    ['momentum eta 0.5 beta 0.9', makeDynamics({ optimizer: 'momentum', lr: 0.5, momentum: 0.9 })],
    ['gd eta E_max 1.5', makeDynamics({ optimizer: 'gd', lr: 1.5 / eMax })],
    // Nesterov (E28d): the keyhole in its own Z-map; beta = 0.9 at the heavy-ball case's rate, for the ratio between them.
    ['nesterov eta 0.5 beta 0.9', makeDynamics({ optimizer: 'nesterov', lr: 0.5, momentum: 0.9 })],
  ];
  for (const [label, dynamics] of cases) {
    let sol = solveCurve({ ...model, t: steps, dynamics });
    const ms = leastCpu(() => {
      sol = solveCurve({ ...model, t: steps, dynamics });
    });
    const rule = String((sol.settings.inversion as Array<{ rule: string }>)[0].rule);
    push({ name: `${label}, 8 steps 1..1e6`, ms, note: `${(ms / gfMs).toFixed(2)}x gf; ${sol.status}; ${rule}; ${sol.diagnostics.nodes} nodes` });
    const early = leastCpu(() => solveCurve({ ...model, t: [1e3, 1e4], dynamics }));
    const late = leastCpu(() => solveCurve({ ...model, t: [1e5, 1e6], dynamics }));
    push({ name: `${label}, steps 1e5, 1e6 against 1e3, 1e4`, ms: late, note: `${(late / early).toFixed(2)}x the cost at 1e3, 1e4 (${early.toFixed(0)} ms)` });
  }
  return records;
}

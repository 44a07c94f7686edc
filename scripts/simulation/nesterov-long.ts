/**
 * Nesterov past the circle rule's 634 steps (THEORY E28d, the keyhole with Nesterov's own Z-map) against the
 * Monte Carlo of the finite model: the simulator applies Nesterov's exact propagator g_{t+1} = a [(1 + beta) g_t
 * - beta g_{t-1}] + eta per eigenvalue by binary powering (src/dynamics/optimizers/nesterov.ts propagate), a
 * different code path with no large-size approximation. M = 1000 power-law modes (a = 1.5, b = 1.25),
 * N = P = 512, sigma = 0.3, 2 projections A per seed, steps log-spaced from 1 to 1e5 (the circle serves the
 * first, the keyhole the rest). Prints, per time, the DMFT, the MC mean +- s.e., the z-score and the relative
 * gap for the test loss, the train loss and L_A, and the largest |z| per quantity; as a negative control the
 * same for the DMFT at half the steps (the comparison must see a factor 2 in time).
 *
 * Rerun: npx tsx scripts/simulation/nesterov-long.ts [--seeds 40] [--workers 2]
 */
import { makeDynamics } from '../../src/dynamics/index.js';
import { solveCurve } from '../../src/numeric/index.js';
import { simulate } from '../../src/simulation/index.js';
import { powerLawSpectrum } from '../../src/spectrum/index.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const seeds = arg('seeds', 40);
const workers = arg('workers', 1);
const spectrum = powerLawSpectrum({ a: 1.5, b: 1.25, M: 1000 });
const size = 512;
const sigma = 0.3;
const t = [1, 10, 100, 400, 1000, 2000, 5000, 1e4, 3e4, 1e5];
const QUANTITIES = ['test', 'train', 'testA'] as const;

for (const [lr, beta] of [[0.5, 0.9], [0.8, 0.5]]) {
  const dynamics = makeDynamics({ optimizer: 'nesterov', lr, momentum: beta });
  const theory = solveCurve({ spectrum, N: size, P: size, sigma, t, dynamics });
  const half = solveCurve({ spectrum, N: size, P: size, sigma, t: t.map((x) => Math.max(1, Math.round(x / 2))), dynamics });
  const started = Date.now();
  const mc = await simulate({ spectrum, N: size, P: size, sigma, t, seeds, seed: 11, dynamics }, { workers });
  const rules = (theory.settings.inversion as { rule: string }[])[0].rule;
  console.log(`\nnesterov eta ${lr} beta ${beta}: ${seeds} seeds (${((Date.now() - started) / 1000).toFixed(0)} s), DMFT status ${theory.status}, rule: ${rules}`);
  console.log('t | ' + QUANTITIES.map((q) => `${q}: DMFT, MC +- s.e., z, rel`).join(' | '));
  const worst: Record<string, { z: number; rel: number; zHalf: number }> = {};
  for (const q of QUANTITIES) worst[q] = { z: 0, rel: 0, zHalf: 0 };
  t.forEach((ti, i) => {
    const cells = QUANTITIES.map((q) => {
      const est = mc.results[0][q];
      const z = (theory[q][i] - est.mean[i]) / est.stderr[i];
      const rel = theory[q][i] / est.mean[i] - 1;
      const zHalf = (half[q][i] - est.mean[i]) / est.stderr[i];
      if (Math.abs(z) > Math.abs(worst[q].z)) worst[q].z = z;
      if (Math.abs(rel) > Math.abs(worst[q].rel)) worst[q].rel = rel;
      if (Math.abs(zHalf) > Math.abs(worst[q].zHalf)) worst[q].zHalf = zHalf;
      return `${theory[q][i].toFixed(5)}, ${est.mean[i].toFixed(5)} +- ${est.stderr[i].toFixed(5)}, ${z.toFixed(1)}, ${(100 * rel).toFixed(2)}%`;
    });
    console.log(`${ti} | ${cells.join(' | ')}`);
  });
  for (const q of QUANTITIES) console.log(`largest ${q}: z ${worst[q].z.toFixed(2)}, ${(100 * worst[q].rel).toFixed(2)}%; DMFT at half the steps: z ${worst[q].zHalf.toFixed(1)}`);
}

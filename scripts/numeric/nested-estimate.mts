/**
 * Measures the nested error estimate of the inversion engine (THEORY E13; src/numeric/inversion/verify.ts
 * nestedSpread) against true errors, next to the two-pass 'coarse' estimate it replaces:
 *  1. single transforms with known inverses (test/fixtures/inversion/reference.json, mpmath 40 digits; exact
 *     exponentials), trapezoid grids of n = 32, 36, 40 nodes against the midpoint rule at 32 judged by 24;
 *  2. DMFT curves (gradient flow, GD, momentum by the keyhole) against the same curve on a 64-node midpoint
 *     contour (another rule, error ~1e-15), statuses and estimate / true error.
 * A point counts when its true error exceeds 10x the round-off floor (below, both are noise).
 * Run: npx tsx scripts/numeric/nested-estimate.mts
 */
import { readFileSync } from 'node:fs';
import { makePlan, invert1, nestedDiffs1, nestedSpread, spreadError, magnitude1 } from '../../src/numeric/inversion/index.js';
import { powerLawSpectrum } from '../../src/spectrum/index.js';
import { makeDynamics } from '../../src/dynamics/index.js';
import { solveCurve, type CurveOptions } from '../../src/numeric/index.js';

const fixture = JSON.parse(readFileSync(new URL('../../test/fixtures/inversion/reference.json', import.meta.url), 'utf8'));
type F = (re: number, im: number) => [number, number];
const div = (ar: number, ai: number, br: number, bi: number): [number, number] => { const d = br * br + bi * bi; return [(ar * br + ai * bi) / d, (ai * br - ar * bi) / d]; };
const csqrt = (re: number, im: number): [number, number] => {
  const m = Math.hypot(re, im);
  if (re >= 0) { const a = Math.sqrt((m + re) / 2); return [a, im / (2 * a)]; }
  const b = (im < 0 ? -1 : 1) * Math.sqrt((m - re) / 2);
  return [Math.abs(im) / (2 * Math.abs(b)), b];
};
const LAM = Array.from({ length: 300 }, (_, k) => (k + 1) ** -2);
const CK = Array.from({ length: 300 }, (_, k) => (k + 1) ** -1.5);
const problems: { name: string; F: F; t: number[]; exact: number[] }[] = [
  { name: 'erf(sqrt t) (mpmath)', t: fixture.erf_sqrt.t, exact: fixture.erf_sqrt.value, F: (r, i) => { const [a, b] = csqrt(r + 1, i); return div(1, 0, r * a - i * b, r * b + i * a); } },
  { name: 'two poles e^-t + e^-t/100 (exact)', t: fixture.erf_sqrt.t, exact: fixture.erf_sqrt.t.map((x: number) => Math.exp(-x) + Math.exp(-x / 100)), F: (r, i) => { const [a, b] = div(1, 0, r + 1, i); const [c, d] = div(1, 0, r + 0.01, i); return [a + c, b + d]; } },
  { name: 'power-law Stieltjes sum (exact)', t: fixture.erf_sqrt.t, exact: fixture.erf_sqrt.t.map((x: number) => LAM.reduce((acc, l, k) => acc + CK[k] * Math.exp(-l * x), 0)), F: (r, i) => { let a = 0, b = 0; LAM.forEach((l, k) => { const [x, y] = div(CK[k], 0, r + l, i); a += x; b += y; }); return [a, b]; } },
];

function sample(plan: ReturnType<typeof makePlan>, F: F) {
  return plan.groups.map((g) => {
    const re = new Float64Array(g.re.length), im = new Float64Array(g.re.length);
    for (let j = 0; j < g.re.length; j++) [re[j], im[j]] = F(g.re[j], g.im[j]);
    return { re, im };
  });
}
const FLOOR = 8 * 2.220446049250313e-16;
console.log('1. single transforms: min and median of estimate / true error over points with true error > 10x floor; max estimate / max|f|');
for (const p of problems) {
  const t = Float64Array.from(p.t);
  const scale = Math.max(...p.exact.map(Math.abs));
  const rows: string[] = [];
  const report = (label: string, f: Float64Array, est: Float64Array, mag: Float64Array) => {
    const ratios: number[] = [];
    let worstEst = 0, under = 0;
    for (let i = 0; i < t.length; i++) {
      const err = Math.abs(f[i] - p.exact[i]);
      worstEst = Math.max(worstEst, est[i] / scale);
      if (err > 10 * FLOOR * mag[i]) { ratios.push(est[i] / err); if (est[i] < err) under++; }
    }
    ratios.sort((a, b) => a - b);
    rows.push(`  ${label}: ${ratios.length} points, min ${ratios[0]?.toExponential(1) ?? '-'}, median ${ratios[ratios.length >> 1]?.toExponential(1) ?? '-'}, not bounded ${under}; max estimate ${worstEst.toExponential(1)}`);
  };
  for (const n of [32, 36, 40]) {
    const plan = makePlan('hyperbolic', t, { nodes: n, grid: 'trapezoid' });
    const v = sample(plan, p.F);
    const f = invert1(plan, v);
    const mag = magnitude1(plan, v);
    const [d2, d4, edge] = nestedDiffs1(plan, v);
    report(`nested n = ${n}`, f, f.map((_, i) => spreadError(nestedSpread(d2[i], d4[i], mag[i], edge[i]), mag[i])), mag);
  }
  const prim = makePlan('hyperbolic', t, { nodes: 32 });
  const coarse = makePlan('hyperbolic', t, { nodes: 24 });
  const vp = sample(prim, p.F);
  const f = invert1(prim, vp);
  const g = invert1(coarse, sample(coarse, p.F));
  const mag = magnitude1(prim, vp);
  report('coarse (32 vs 24)', f, f.map((_, i) => spreadError(Math.abs(f[i] - g[i]), mag[i])), mag);
  console.log(p.name);
  rows.forEach((r) => console.log(r));
}

console.log('\n2. DMFT curves: estimate / true error (true: against a 64-node midpoint contour), points with true error > 1e-15 (L(0) + sigma^2)');
const spectrum = powerLawSpectrum({ a: 1.5, b: 1.25, M: Infinity });
const tGrid = Array.from({ length: 60 }, (_, i) => 1e-2 * Math.pow(1e7, i / 59));
const cases = [
  { label: 'gf N=256 P=1024 s=0.3', problem: { spectrum, N: 256, P: 1024, sigma: 0.3, t: tGrid } },
  { label: 'gf N=128 P=128 s=0', problem: { spectrum, N: 128, P: 128, sigma: 0, t: tGrid } },
  { label: 'gf N=1024 P=256 s=0.5', problem: { spectrum: powerLawSpectrum({ a: 2, b: 1.5, M: Infinity }), N: 1024, P: 256, sigma: 0.5, t: tGrid } },
  { label: 'gd eta=0.5 N=64 P=128', problem: { spectrum: powerLawSpectrum({ a: 1.5, b: 1.25, M: 200 }), N: 64, P: 128, sigma: 0.3, t: [100, 200, 500, 1000, 3000, 1e4, 3e4, 1e5], dynamics: makeDynamics({ optimizer: 'gd', lr: 0.5 }) } },
  { label: 'momentum eta=0.25 beta=0.9 N=64 P=128', problem: { spectrum: powerLawSpectrum({ a: 1.5, b: 1.25, M: 200 }), N: 64, P: 128, sigma: 0.3, t: [1000, 2000, 5000, 1e4, 3e4, 1e5, 1e6], dynamics: makeDynamics({ optimizer: 'momentum', lr: 0.25, momentum: 0.9 }) } },
];
for (const c of cases) {
  const ref = solveCurve(c.problem, { errorEstimate: 'coarse', nodes: [64, undefined] });
  const scale = ref.test[0] + 1;
  for (const [label, options] of [['nested n = 32', { errorEstimate: 'nested', nodes: [32, undefined] }], ['nested n = 36 (default)', { errorEstimate: 'nested' }], ['nested n = 40', { errorEstimate: 'nested', nodes: [40, undefined] }], ['coarse', { errorEstimate: 'coarse' }]] as [string, CurveOptions][]) {
    const sol = solveCurve(c.problem, options);
    const ratios: number[] = [];
    let under = 0;
    for (const q of ['test', 'train', 'bias', 'testA', 'gap'] as const) {
      for (let i = 0; i < sol.t.length; i++) {
        const err = Math.abs(sol[q][i] - ref[q][i]);
        if (err > 1e-15 * scale) { ratios.push(sol.errorEstimate[q][i] / err); if (sol.errorEstimate[q][i] < err) under++; }
      }
    }
    ratios.sort((a, b) => a - b);
    const notConverged = sol.statusPerTime.filter((s) => s !== 'converged').length;
    console.log(`${c.label} ${label}: ${ratios.length} points, min ${ratios[0]?.toExponential(1)}, median ${ratios[ratios.length >> 1]?.toExponential(1)}, not bounded ${under}; times not converged ${notConverged}; max test estimate ${Math.max(...sol.errorEstimate.test).toExponential(1)}`);
  }
}

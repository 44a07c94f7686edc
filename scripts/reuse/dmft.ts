/**
 * Prototype: the deterministic (DMFT) train and test loss of minibatch SGD
 * with replacement on P fixed samples, from the closure of THEORY (E28b), in
 * the Z-domain (the route E28b describes).
 *
 * Train: Lhat(z) = F(z) / (1 - c z^-1 K(z)),  c = (eta^2/B) P/(P+2),
 *   F(z) = -z [m_y(s1) - m_y(s2)] / (q (r1 - r2)),  K(z) = -z [k(s1) - k(s2)] / (q (r1 - r2)),
 *   r1,2 the roots in nu of q nu^2 - 2 eta nu + 1 - z, q = eta^2 + eps, eps = (eta^2/B)(P-2)/(P+2),
 *   s_j = -r_j, m_y(s) = R1(s) [sum_k c_k H_k(s) + sigma^2 / s], k(s) = tr Lambda - s Q(s)
 *   (E11, E15a: H_k = kappa / (s (kappa + lambda_k)), Q = g(kappa)).
 * Test: L_t = L^GD_t + X_t + Z_t,
 *   L^GD_t = sigma^2 + the GD double contour of Lsig + Lnoise (E15d, E26),
 *   X(z) = c Lhat(z) (-1 / (q (r1 - r2))) [t_O(s1) - t_O(s2)],
 *     t_O(s) = R(s) [sum_k lambda_k^2 H_k(s) + s (sum_k lambda_k H_k(s))^2 / N],
 *   Z_t ~ eps t G_{t-1} (first order in eps of the non-separable mean-gradient term),
 *     G_tau = the GD double contour at (tau, tau) of
 *     T(u, u') = u u' (Lsig + Lnoise) - u sum_k c_k H_k(u) - u' sum_k c_k H_k(u') + sum_k c_k.
 * Inversion: one-point, (1/2 pi i) oint f(z) z^{t-1} dz; two-point (GD kernel),
 * (2 pi i)^-2 oint oint z^t z'^t f(u, u') du du', u = (z - 1)/eta. For t < 100 the circle
 * |z| = 1 + 4/t (4.7 t + 16 nodes per half, src/numeric/schedule.ts), beyond it
 * fixed Talbot [AV04] in y = log z (32 nodes; the integrand is 2 pi i periodic
 * in y and the contour stays in |Im y| < pi). Spread: the same with fewer nodes.
 * Compares with the sampled finite model of docs/data/reuse-closure.json.
 *
 * Rerun: npx tsx scripts/reuse/dmft.ts [tMax] > docs/data/reuse-dmft.json
 */
import { readFileSync } from 'node:fs';
import { powerLawSpectrum } from '../../src/spectrum/index.js';
import { modeQuadrature } from '../../src/numeric/modes.js';
import { makeKappaContext, solveKappaComplex, type KappaContext } from '../../src/numeric/kappa.js';
import { pairClosedForms } from '../../src/numeric/curve.js';

const tMax = Number(process.argv[2] ?? 300);
const reference = JSON.parse(readFileSync('docs/data/reuse-closure.json', 'utf8')) as {
  parameters: { N: number; M: number; a: number; b: number; eta: number; sigmas: number[]; t: number[]; configs: Array<{ P: number; batch: number }> };
  rows: Array<Record<string, number>>;
};
const { N, M, a, b, eta, sigmas } = reference.parameters;
const modes = modeQuadrature(powerLawSpectrum({ a, b, M }));
let traceLambda = 0;
for (let k = 0; k < modes.lambda.length; k++) traceLambda += modes.weight[k] * modes.lambda[k];

type C = [number, number];
const mul = (x: C, y: C): C => [x[0] * y[0] - x[1] * y[1], x[0] * y[1] + x[1] * y[0]];
const div = (x: C, y: C): C => {
  const d = y[0] * y[0] + y[1] * y[1];
  return [(x[0] * y[0] + x[1] * y[1]) / d, (x[1] * y[0] - x[0] * y[1]) / d];
};
const add = (x: C, y: C): C => [x[0] + y[0], x[1] + y[1]];
const sub = (x: C, y: C): C => [x[0] - y[0], x[1] - y[1]];
const scale = (x: C, f: number): C => [x[0] * f, x[1] * f];
const csqrt = (x: C): C => {
  const r = Math.hypot(x[0], x[1]);
  const re = Math.sqrt((r + x[0]) / 2);
  const im = Math.sign(x[1] || 1) * Math.sqrt(Math.max(0, (r - x[0]) / 2));
  return [re, im];
};

/** Per-node objects at one complex s off the cut: kappa's R, R1 and the H_k(s) (E15a). */
interface Node {
  readonly s: C;
  readonly R: C;
  readonly R1: C;
  readonly Q: C;
  /** H_k(s) for each mode of the quadrature, re and im side by side. */
  readonly H: Float64Array;
}

function node(ctx: KappaContext, s: C): Node {
  // A negative real s left of the spectrum (the real node of the Talbot contour): approached from above.
  const sol = solveKappaComplex(ctx, s[0], s[1] === 0 && s[0] < 0 ? 1e-13 * -s[0] : s[1]);
  if (sol.status !== 'converged') throw new Error(`kappa at s = ${s}: ${sol.status} ${sol.message}`);
  const kappa: C = [sol.kRe, sol.kIm];
  const nm = modes.lambda.length;
  const H = new Float64Array(2 * nm);
  for (let j = 0; j < nm; j++) {
    const h = div(kappa, mul(s, add(kappa, [modes.lambda[j], 0])));
    H[2 * j] = h[0];
    H[2 * j + 1] = h[1];
  }
  return { s, R: [sol.rRe, sol.rIm], R1: [sol.r1Re, sol.r1Im], Q: [sol.qRe, sol.qIm], H };
}

/** Weighted mode sum sum_k w_k f_k H_k(s) with f_k = lambda_k^p c_k^e. */
function modeSum(n: Node, p: number, e: number): C {
  let re = 0;
  let im = 0;
  for (let j = 0; j < modes.lambda.length; j++) {
    const f = modes.weight[j] * Math.pow(modes.lambda[j], p) * (e === 1 ? modes.c[j] : 1);
    re += f * n.H[2 * j];
    im += f * n.H[2 * j + 1];
  }
  return [re, im];
}

/** m_y(s), k(s) and t_O(s) of the module comment. */
function onePoint(ctx: KappaContext, s: C, sigma: number): { my: C; k: C; tO: C } {
  const n = node(ctx, s);
  const my = mul(n.R1, add(modeSum(n, 0, 1), div([sigma * sigma, 0], s)));
  const k = sub([traceLambda, 0], mul(s, n.Q));
  const S1 = modeSum(n, 1, 0);
  const tO = mul(n.R, add(modeSum(n, 2, 0), scale(mul(s, mul(S1, S1)), 1 / N)));
  return { my, k, tO };
}

/** [Lhat(z), X(z)] of the module comment at one z off the singular segment [a_min, 1]. */
function transform(ctx: KappaContext, P: number, batch: number, sigma: number, z: C): [C, C] {
  const eps = ((eta * eta) / batch) * ((P - 2) / (P + 2));
  const c = ((eta * eta) / batch) * (P / (P + 2));
  const q = eta * eta + eps;
  const root = csqrt(sub([eta * eta, 0], scale(sub([1, 0], z), q)));
  const r1 = scale(add([eta, 0], root), 1 / q);
  const r2 = scale(sub([eta, 0], root), 1 / q);
  const p1 = onePoint(ctx, scale(r1, -1), sigma);
  const p2 = onePoint(ctx, scale(r2, -1), sigma);
  const part = div([-1, 0], scale(sub(r1, r2), q));
  const F = mul(mul(z, part), sub(p1.my, p2.my));
  const K = mul(mul(z, part), sub(p1.k, p2.k));
  const L = div(F, sub([1, 0], scale(div(K, z), c)));
  const X = mul(scale(L, c), mul(part, sub(p1.tO, p2.tO)));
  return [L, X];
}

/** One-point inversion (1/2 pi i) oint f(z) z^{t-1} dz of [Lhat, X]: circle (t < 100) or fixed Talbot in y = log z. */
function onePointInverse(P: number, batch: number, sigma: number, t: number, coarse: boolean): [number, number] {
  const ctx = makeKappaContext(modes, N, P);
  const out: [number, number] = [0, 0];
  if (t < 100) {
    const m0 = Math.ceil(4.7 * t) + 16;
    const nodes = coarse ? Math.ceil(m0 / 2) + 8 : m0;
    const radius = 1 + 4 / t;
    for (let j = 0; j < nodes; j++) {
      // Upper half circle (conjugate symmetry), midpoints; z^{t-1} dz = i z^t dphi.
      const phi = (Math.PI * (j + 0.5)) / nodes;
      const z: C = [radius * Math.cos(phi), radius * Math.sin(phi)];
      const zt: C = [Math.pow(radius, t) * Math.cos(t * phi), Math.pow(radius, t) * Math.sin(t * phi)];
      const [L, X] = transform(ctx, P, batch, sigma, z);
      out[0] += mul(L, zt)[0] / nodes;
      out[1] += mul(X, zt)[0] / nodes;
    }
    return out;
  }
  const n = coarse ? 24 : 32;
  const r = (2 * n) / (5 * t);
  const at = (y: C) => transform(ctx, P, batch, sigma, [Math.exp(y[0]) * Math.cos(y[1]), Math.exp(y[0]) * Math.sin(y[1])]);
  const first = at([r, 0]);
  out[0] = 0.5 * first[0][0] * Math.exp(r * t);
  out[1] = 0.5 * first[1][0] * Math.exp(r * t);
  for (let k = 1; k < n; k++) {
    const theta = (k * Math.PI) / n;
    const cot = 1 / Math.tan(theta);
    const y: C = [r * theta * cot, r * theta];
    const sigmaT = theta + (theta * cot - 1) * cot;
    const e = mul([Math.exp(t * y[0]) * Math.cos(t * y[1]), Math.exp(t * y[0]) * Math.sin(t * y[1])], [1, sigmaT]);
    const [L, X] = at(y);
    out[0] += mul(e, L)[0];
    out[1] += mul(e, X)[0];
  }
  return [(r / n) * out[0], (r / n) * out[1]];
}

/**
 * GD two-point nodes at step tau: u_j and weights w_j with
 * (2 pi i)^-2 oint oint z^tau z'^tau f(u, u') du du' = Re sum_jk w_j w_k f(u_j, u_k).
 */
function gdNodes(tau: number, coarse: boolean): { u: C[]; w: C[] } {
  const u: C[] = [];
  const w: C[] = [];
  if (tau < 100) {
    const m0 = Math.ceil(4.7 * Math.max(tau, 1)) + 16;
    const m = coarse ? Math.ceil(m0 / 2) + 8 : m0;
    const radius = 1 + 4 / Math.max(tau, 1);
    for (let j = 0; j < 2 * m; j++) {
      const phi = (Math.PI * (j + 0.5)) / m;
      const z: C = [radius * Math.cos(phi), radius * Math.sin(phi)];
      // du = dz / eta = i z dphi / eta: weight z^{tau+1} / (eta 2m) of the trapezoid on (0, 2 pi).
      const p = Math.pow(radius, tau + 1);
      u.push(scale(sub(z, [1, 0]), 1 / eta));
      w.push([(p * Math.cos((tau + 1) * phi)) / (eta * 2 * m), (p * Math.sin((tau + 1) * phi)) / (eta * 2 * m)]);
    }
    return { u, w };
  }
  // Fixed Talbot in y = log z at "time" tau + 1 (z^tau du = e^{(tau+1) y} dy / eta), every node k = -(n-1)..n-1.
  const n = coarse ? 24 : 32;
  const time = tau + 1;
  const r = (2 * n) / (5 * time);
  for (let k = -(n - 1); k < n; k++) {
    const theta = (k * Math.PI) / n;
    const cot = k === 0 ? 0 : 1 / Math.tan(theta);
    const y: C = k === 0 ? [r, 0] : [r * theta * cot, r * theta];
    const sigmaT = k === 0 ? 0 : theta + (theta * cot - 1) * cot;
    const e = mul([Math.exp(time * y[0]) * Math.cos(time * y[1]), Math.exp(time * y[0]) * Math.sin(time * y[1])], [1, sigmaT]);
    u.push(scale(sub([Math.exp(y[0]) * Math.cos(y[1]), Math.exp(y[0]) * Math.sin(y[1])], [1, 0]), 1 / eta));
    w.push(scale(e, r / (2 * n) / eta));
  }
  return { u, w };
}

/** GD test loss (without sigma^2) and G_tau of the module comment at step tau. */
function gdTwoPoint(P: number, sigma: number, tau: number, coarse: boolean): { gd: number; G: number } {
  const ctx = makeKappaContext(modes, N, P);
  const { u, w } = gdNodes(tau, coarse);
  const nodes = u.map((s) => node(ctx, s));
  const cH = nodes.map((n) => modeSum(n, 0, 1));
  let sumC = 0;
  for (let j = 0; j < modes.lambda.length; j++) sumC += modes.weight[j] * modes.c[j];
  const out = new Float64Array(6);
  let gd = 0;
  let G = 0;
  const nm = modes.lambda.length;
  for (let a = 0; a < nodes.length; a++) {
    const x = nodes[a];
    for (let b = 0; b < nodes.length; b++) {
      const y = nodes[b];
      let gr = 0, gi = 0, sr = 0, si = 0, b0r = 0, b0i = 0, b1r = 0, b1i = 0;
      for (let j = 0; j < nm; j++) {
        const hr = x.H[2 * j] * y.H[2 * j] - x.H[2 * j + 1] * y.H[2 * j + 1];
        const hi = x.H[2 * j] * y.H[2 * j + 1] + x.H[2 * j + 1] * y.H[2 * j];
        const l = modes.lambda[j];
        const wl = modes.weight[j] * l;
        const wc = modes.weight[j] * modes.c[j];
        sr += wl * hr;
        si += wl * hi;
        gr += wl * l * hr;
        gi += wl * l * hi;
        b0r += wc * hr;
        b0i += wc * hi;
        b1r += wc * l * hr;
        b1i += wc * l * hi;
      }
      pairClosedForms(x.s[0], x.s[1], x.R[0], x.R[1], x.R1[0], x.R1[1], y.s[0], y.s[1], y.R[0], y.R[1], y.R1[0], y.R1[1], gr, gi, sr, si, b0r, b0i, b1r, b1i, 1 / N, 1 / P, sigma * sigma, out);
      const test: C = [out[0], out[1]];
      const ww = mul(w[a], w[b]);
      gd += mul(ww, test)[0];
      // T(u, u') = u u' test - u cH(u) - u' cH(u') + sum c.
      const T = add(sub(sub(mul(mul(x.s, y.s), test), mul(x.s, cH[a])), mul(y.s, cH[b])), [sumC, 0]);
      G += mul(ww, T)[0];
    }
  }
  return { gd, G };
}

/** Train and test loss at step t, with the spread against the coarser rules. */
function dmft(P: number, batch: number, sigma: number, t: number): { train: number; test: number; trainSpread: number; testSpread: number } {
  const eps = ((eta * eta) / batch) * ((P - 2) / (P + 2));
  const value = (coarse: boolean) => {
    const [train, X] = onePointInverse(P, batch, sigma, t, coarse);
    const gd = gdTwoPoint(P, sigma, t, coarse).gd;
    const G = gdTwoPoint(P, sigma, t - 1, coarse).G;
    return { train, test: sigma * sigma + gd + X + eps * t * G };
  };
  const fine = value(false);
  const rough = value(true);
  return { ...fine, trainSpread: Math.abs(fine.train - rough.train), testSpread: Math.abs(fine.test - rough.test) };
}

const T = reference.parameters.t.filter((x) => x <= tMax);
const rows: Array<Record<string, number>> = [];
for (const { P, batch } of reference.parameters.configs) {
  for (const sigma of sigmas) {
    for (const t of T) {
      const d = dmft(P, batch, sigma, t);
      const row = reference.rows.find((r) => r.P === P && r.B === batch && r.sigma === sigma && r.t === t);
      const out: Record<string, number> = { P, B: batch, sigma, t, ...d };
      for (const q of ['train', 'test'] as const) {
        const sim = row?.[`${q}Sim`] ?? NaN;
        const se = row?.[`${q}SimSe`] ?? NaN;
        out[`${q}Sim`] = sim;
        out[`${q}SimSe`] = se;
        out[`${q}Closure`] = row?.[`${q}Closure`] ?? NaN;
        out[`${q}Rel`] = d[q] / sim - 1;
        out[`${q}Z`] = (d[q] - sim) / se;
      }
      rows.push(out);
      process.stderr.write(
        `P=${P} B=${batch} sigma=${sigma} t=${t}: train DMFT ${d.train.toPrecision(4)} sim ${out.trainSim.toPrecision(4)} (${(100 * out.trainRel).toFixed(2)} %, z ${out.trainZ.toFixed(2)}) | test DMFT ${d.test.toPrecision(4)} sim ${out.testSim.toPrecision(4)} (${(100 * out.testRel).toFixed(2)} %, z ${out.testZ.toFixed(2)}) spreads ${d.trainSpread.toPrecision(2)} ${d.testSpread.toPrecision(2)}\n`,
      );
    }
  }
}
process.stdout.write(JSON.stringify({ generated: 'scripts/reuse/dmft.ts', reference: 'docs/data/reuse-closure.json', rows }, null, 1) + '\n');

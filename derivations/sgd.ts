/** THEORY (E28), (E29): the one-pass SGD noise term and the compute-optimal phases Ia, II, III at C = N t B. */
import { type Derivation, defineDerivation, type Params } from '../src/symbolic/derivation.js';
import { evaluate, type Expr, toLatex, zetaE } from '../src/symbolic/expr.js';
import { computeOptimal, type ComputeOptimalResult } from '../src/symbolic/balance.js';
import { BATCH, ETA, sgdNoiseLaw } from '../src/symbolic/laws.js';
import { gdLossSumExact, minimizeLog, sgdConvolutionExact, sgdKernelExact } from '../src/symbolic/numeric.js';
import { gamma, zeta } from '../src/symbolic/special.js';
import { isUnsupported } from '../src/symbolic/terms.js';
import { a, b, div, gammaE, mul, num, ONE, pow, sub, sym, t } from './common.js';

const META = {
  name: 'sgd',
  title: 'One-pass SGD: noise term (eta/(2B)) zeta(a-b) (1/b) Gamma(2-1/b) (2 eta t)^{-(2-1/b)}; phases Ia, II, III with N* ~ C^{1/2} in phase III',
  theory: '(E28), (E29), (E21)',
} as const;

type Regime = Exclude<ComputeOptimalResult, { unsupported: string }>;

/** Built on first use (listing the derivations must not run them). */
function build(): Derivation {
  const sgd = { eta: ETA, batch: BATCH };
  const noise = sgdNoiseLaw().find((c) => !isUnsupported(c));
  if (!noise || isUnsupported(noise)) throw new Error('sgd: the engine gave no noise term');
  const regimes = computeOptimal(undefined, undefined, { sgd }).filter((r): r is Regime => !('unsupported' in r));
  const byPair = (rising: string, falling: string): Regime => {
    const r = regimes.find((x) => x.balance.rising.label.startsWith(rising) && x.balance.falling.label.startsWith(falling));
    if (!r) throw new Error(`sgd: no regime balancing ${rising} against ${falling}`);
    return r;
  };
  const phaseIa = byPair('time', 'width');
  const phaseII = byPair('time', 'cross');
  const phaseIII = byPair('SGD noise', 'cross');
  const eta = ETA;
  const B = BATCH;
  const beta2 = sub(num(2), div(ONE, b)); // 2 - 1/b
  const handNoise: Expr = mul(div(eta, mul(num(2), B)), zetaE(sub(a, b)), div(ONE, b), gammaE(beta2), pow(mul(num(2), eta, t), mul(num(-1), beta2)));
  const engineNoise: Expr = mul(noise.coefficient, pow(t, noise.exponent));

  /** The four terms of a regime at parameters p, summed, as a function of (N, C) with t = C/(N B): typed from THEORY, not from the engine. */
  const theoryLoss = (p: Params): ((n: number, c: number) => number) => {
    const s = (p.a - 1) / p.b;
    const cg = (gamma(1 - 1 / p.b) * gamma(1 / p.b)) / p.b;
    const gf = (tau: number): number => (gamma(s) / p.b) * Math.pow(2 * tau, -s);
    const width = (n: number): number => (p.a - 1 < p.b ? ((gamma(s) * gamma(1 - s)) / p.b) * Math.pow(cg, p.a - 1) * Math.pow(n, -(p.a - 1)) : zeta(p.a - p.b) * Math.pow(cg, p.b) * Math.pow(n, -p.b));
    const cross = (n: number, tau: number): number => (p.a - 1 > p.b ? (zeta(p.a - p.b) / p.b) * gamma(1 - 1 / p.b) * Math.pow(2 * tau, -(1 - 1 / p.b)) / n : 0);
    const noiseT = (tau: number): number => (p.a - 1 > p.b ? (p.eta / (2 * p.B)) * zeta(p.a - p.b) * (gamma(2 - 1 / p.b) / p.b) * Math.pow(2 * tau, -(2 - 1 / p.b)) : 0);
    return (n, c) => {
      const tau = (p.eta * c) / (n * p.B); // gradient-flow time eta t, t = C/(N B)
      return gf(tau) + width(n) + cross(n, tau) + noiseT(tau);
    };
  };
  const bruteForce = (p: Params): number => {
    const f = theoryLoss(p);
    return minimizeLog((n) => f(n, p.C), 1e-6, p.C * 1e6).value;
  };
  const lstar = (r: Regime): ((p: Params) => number) => (p) => {
    const env = { a: p.a, b: p.b, eta: p.eta, B: p.B };
    return evaluate(r.balance.Lstar.coefficient, env) * Math.pow(p.C, evaluate(r.balance.Lstar.exponent, env));
  };
  const exponentStep = (r: Regime, which: 'Nstar' | 'Lstar', title: string, why: string): { title: string; why: string; latex: string; expr: Expr } => ({
    title, why, latex: toLatex(r.balance[which].exponent), expr: r.balance[which].exponent,
  });

  const derivation: Derivation = {
    ...META,
    summary: 'The Volterra equation of (E28) at N = P = infinity, L_t = L^GD_t + (eta^2/B) sum_{s<t} K_{t-1-s} L_s, with K_tau = sum_k lambda_k^2 (1 - eta lambda_k)^{2 tau}. Both K and L^GD are summable (for a - 1 > b), so the convolution splits into L_t sum K (a renormalisation of the deterministic term by 1 + O(eta/B), same power) and K_t sum_s L_s, a new power: the noise term. The Mellin engine gives K_t ~ (1/b) Gamma(2 - 1/b) (2 eta t)^{-(2-1/b)} and the head of sum_s L_s ~ zeta(a-b)/(2 eta). With compute C = N t B at fixed B the candidate terms are time (E17), width (E19), cross (E20) at gradient-flow time eta t, and noise; the balance engine (src/symbolic/balance.ts) keeps a pair where it is the vertex of the upper envelope. Phase Ia (a < b + 1): time against width, N* ~ C^{1/(1+b)}; phase II (b + 1 < a < 2b): time against cross, N* ~ C^{(a-b)/a}; phase III (a > 2b): noise against cross, N* ~ t* ~ C^{1/2}, L* ~ C^{-(1-1/(2b))}. Under gradient flow (no noise term) the phase-II allocation continues into a > 2b. Every step below is checked: the convolution against a direct double sum over modes (no engine), the allocations against a brute-force minimum of the four summed terms.',
    parts: [
      {
        title: 'Noise convolution against its asymptotic split (a - 1 > b, direct sums, t -> infinity in steps)',
        params: { a: [5.5, 7], b: [1.3, 1.8], eta: [0.3, 0.6] },
        limit: { variable: 't', values: [1e3, 1e4, 1e5], tolerance: 1e-3 },
        steps: [
          {
            title: 'Convolution of the Volterra equation',
            why: 'sum_{s<t} K_{t-1-s} L^GD_s with L^GD_s = sum_k c_k (1 - eta lambda_k)^{2s}: the sum over s is geometric, (x_j^t - y_k^t)/(x_j - y_k) with x = (1 - eta lambda_j)^2, y = (1 - eta lambda_k)^2; direct double sum over modes (src/symbolic/numeric.ts sgdConvolutionExact), no engine.',
            latex: '\\sum_{s<t} K_{t-1-s} L^{GD}_s = \\sum_{j,k} \\lambda_j^2 c_k \\frac{x_j^t - y_k^t}{x_j - y_k}',
            value: (p) => sgdConvolutionExact(Math.round(p.t), p.a, p.b, p.eta),
          },
          {
            title: 'Split: kernel at t times the summed loss',
            relation: '~',
            why: 'Both sequences are summable (K_tau ~ tau^{-(2-1/b)}, L^GD_s ~ s^{-(a-1)/b}, a - 1 > b). The steps s << t give K_t sum_s L_s; the steps t - s << t give L_t sum K, the renormalisation of the deterministic term, smaller here by t^{-((a-1)/b - (2-1/b))} since a > 2b; the remaining corrections are O(1/t). K_t and sum_s L_s by direct sums.',
            latex: 'K_t \\sum_{s\\ge 0} L^{GD}_s',
            value: (p) => sgdKernelExact(Math.round(p.t), p.b, p.eta) * gdLossSumExact(p.a, p.b, p.eta),
          },
          {
            title: 'Mellin on the kernel',
            relation: '~',
            why: 'K_t = sum_k k^{-2b} (1 - eta k^{-b})^{2t} ~ sum_k k^{-2b} e^{-2 k^{-b} eta t}: p = 2b, s = 2 - 1/b, the Gamma integral of derivations/time-law at gradient-flow time eta t.',
            latex: '\\frac{1}{b}\\,\\Gamma\\left(2 - \\frac{1}{b}\\right) (2 \\eta t)^{-(2 - 1/b)} \\sum_{s\\ge 0} L^{GD}_s',
            value: (p) => (gamma(2 - 1 / p.b) / p.b) * Math.pow(2 * p.eta * p.t, -(2 - 1 / p.b)) * gdLossSumExact(p.a, p.b, p.eta),
          },
        ],
      },
      {
        title: 'Summed deterministic loss, leading order in eta (eta -> 0)',
        params: { a: [5, 7], b: [1.3, 1.8] },
        limit: { variable: 'eta', values: [1e-1, 1e-2, 1e-3], tolerance: 2e-3 },
        steps: [
          {
            title: 'Geometric sums per mode',
            why: 'sum_s (1 - eta lambda_k)^{2s} = 1/(eta lambda_k (2 - eta lambda_k)); direct sum over k.',
            latex: '\\sum_{s \\ge 0} L^{GD}_s = \\sum_k \\frac{c_k}{1 - (1 - \\eta\\lambda_k)^2}',
            value: (p) => gdLossSumExact(p.a, p.b, p.eta),
          },
          {
            title: 'Head of a unit-kernel sum',
            relation: '~',
            why: '1/(eta lambda (2 - eta lambda)) = (1/(2 eta lambda))(1 + O(eta lambda)); sum_k c_k/lambda_k = sum_k k^{-(a-b)} = zeta(a-b), convergent iff a - 1 > b (engine: unit kernel, head case).',
            latex: '\\frac{\\zeta(a-b)}{2\\eta}',
            value: (p) => zeta(p.a - p.b) / (2 * p.eta),
          },
        ],
      },
      {
        title: 'The noise term: hand form against the engine',
        params: { a: [5, 7], b: [1.3, 1.8], eta: [0.01, 0.5], B: [1, 16], t: [10, 1e6] },
        steps: [
          {
            title: 'Product of the two leading terms',
            why: '(eta^2/B) K_t sum_s L_s with the two results above.',
            latex: toLatex(handNoise),
            expr: handNoise,
          },
          {
            title: 'The engine\'s leading term',
            why: 'sgdNoiseLaw (src/symbolic/laws.ts): both sums through modeSumAsymptotics.',
            latex: toLatex(engineNoise),
            expr: engineNoise,
          },
        ],
      },
      {
        title: 'Phase III (a > 2b): noise against cross term, exponents',
        params: {},
        steps: [
          exponentStep(phaseIII, 'Nstar', 'N* exponent from the balance engine', 'Noise: e = 2 - 1/b, f = -(2 - 1/b); cross: e = -1/b, f = -(1 - 1/b) (t = C/(N B)); u = (f2 - f1)/(e1 - e2).'),
          { title: 'One half', why: 'u = [(2 - 1/b) - (1 - 1/b)]/[(2 - 1/b) + 1/b] = 1/2.', latex: '\\frac{1}{2}', expr: num(1, 2) },
        ],
      },
      {
        title: 'Phase III loss exponent',
        params: {},
        steps: [
          exponentStep(phaseIII, 'Lstar', 'L* exponent from the balance engine', 'f2 + e2 u with the cross term.'),
          { title: '-(1 - 1/(2b))', why: 'THEORY (E29).', latex: '-\\left(1 - \\frac{1}{2b}\\right)', expr: mul(num(-1), sub(ONE, div(ONE, mul(num(2), b)))) },
        ],
      },
      {
        title: 'Phase II (b + 1 < a < 2b): time against cross term, as for gradient flow',
        params: {},
        steps: [
          exponentStep(phaseII, 'Nstar', 'N* exponent from the balance engine', 'The noise term decays faster at this optimum exactly when a < 2b (its margin).'),
          { title: '(a - b)/a', why: 'THEORY (E29), phase II.', latex: '\\frac{a-b}{a}', expr: div(sub(a, b), a) },
        ],
      },
      {
        title: 'Phase Ia (a < b + 1): time against width, as for gradient flow',
        params: {},
        steps: [
          exponentStep(phaseIa, 'Nstar', 'N* exponent from the balance engine', 'No separate noise or cross term when a - 1 <= b.'),
          { title: '1/(1+b)', why: 'THEORY (E29), phase Ia.', latex: '\\frac{1}{1+b}', expr: div(ONE, sub(b, num(-1))) },
        ],
      },
      ...([
        ['Ia', phaseIa, { a: [1.3, 1.8], b: [1.8, 2.5] }, [1e6, 1e9, 1e12], 1e-6],
        ['II', phaseII, { a: [4.3, 4.7], b: [2.6, 2.9] }, [1e14, 1e17, 1e20], 3e-2],
        ['III', phaseIII, { a: [7.5, 8.5], b: [2.5, 3] }, [1e12, 1e15, 1e18], 3e-2],
      ] as const).map(([name, r, ab, Cs, tol]) => ({
        title: `Brute force, phase ${name}: minimum over N of all four terms at fixed C = N t B`,
        params: { ...ab, eta: [0.1, 0.5], B: [1, 8] } as Record<string, readonly [number, number]>,
        limit: { variable: 'C', values: Cs, tolerance: tol },
        steps: [
          {
            title: 'Numeric minimum of time + width + cross + noise',
            why: 'Log-grid scan plus golden section over N of the four terms typed from THEORY (E17, E19, E20, E29) with t = C/(N B); the subdominant terms decay faster by the balance margins, so the ratio approaches 1 as C grows.',
            latex: '\\min_N \\left[c_t (\\eta t)^{-\\frac{a-1}{b}} + c_W N^{-\\min(a-1,b)} + \\frac{c_\\times}{N} (\\eta t)^{-(1-\\frac{1}{b})} + \\frac{\\eta}{B} c_{\\mathrm{SGD}} (\\eta t)^{-(2-\\frac{1}{b})}\\right]_{t = C/(N B)}',
            value: bruteForce,
          },
          {
            title: 'Closed form of the balance engine',
            relation: '~' as const,
            why: `L* of the pair ${r.balance.rising.label} / ${r.balance.falling.label} with its prefactor.`,
            latex: toLatex(mul(r.balance.Lstar.coefficient, pow(sym('C'), r.balance.Lstar.exponent))),
            value: lstar(r),
          },
        ],
      })),
    ],
  };
  return derivation;
}

export default defineDerivation(META, build);

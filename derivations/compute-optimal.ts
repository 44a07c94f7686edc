/** THEORY (E21): compute-optimal allocation at C = N t, by our power-law balance rule, checked. */
import { type Derivation, defineDerivation, type Params } from '../src/symbolic/derivation.js';
import { add, div, evaluate, type Expr, mul, num, ONE, pow, sub, sym, toLatex } from '../src/symbolic/expr.js';
import { nerdamer } from '../src/symbolic/cas.js';
import { computeOptimal, termExponents, NT_BUDGET } from '../src/symbolic/balance.js';
import { minimizeLog } from '../src/symbolic/numeric.js';
import { a, b } from './common.js';

const META = {
  name: 'compute-optimal',
  title: 'Compute-optimal allocation at C = N t: N* ~ C^{1/(1+b)}, L* ~ C^{-(a-1)/(1+b)} (a - 1 < b); N* ~ C^{(a-b)/a}, L* ~ C^{-(a-1)/a} (a - 1 > b)',
  theory: '(E17), (E19), (E20), (E21)',
} as const;

/** Built on first use (listing the derivations must not run them). */
function build(): Derivation {
  const regimes = computeOptimal().filter((r): r is Exclude<typeof r, { unsupported: string }> => !('unsupported' in r));
  const low = regimes.find((r) => r.balance.falling.label.startsWith('width'));
  const high = regimes.find((r) => r.balance.falling.label.startsWith('cross'));
  if (!low || !high) throw new Error('compute-optimal: expected the two regimes a - 1 < b and a - 1 > b');

  const [c1, c2, e1, e2, f1, f2, C, N] = ['c1', 'c2', 'e1', 'e2', 'f1', 'f2', 'C', 'N'].map(sym);
  const fText = 'c1*C^f1*N^e1 + c2*C^f2*N^e2';
  // nerdamer-prime's derivative, compiled once to a JS function (docs/dependencies.md: diff is reliable)
  const dfdN = nerdamer()(`diff(${fText}, N)`).buildFunction(['c1', 'c2', 'e1', 'e2', 'f1', 'f2', 'C', 'N']) as (...x: number[]) => number;

  // log-form stationarity: log(e1 T1) - log(-e2 T2) at log N*
  const [le1, lme2, lc1, lc2, lC] = ['le1', 'lme2', 'lc1', 'lc2', 'lC'].map(sym);
  const lNstar = div(add(lme2, lc2, mul(num(-1), le1), mul(num(-1), lc1), mul(sub(f2, f1), lC)), sub(e1, e2));
  const logGap = sub(add(le1, lc1, mul(f1, lC), mul(e1, lNstar)), add(lme2, lc2, mul(f2, lC), mul(e2, lNstar)));

  /** The dominant terms of a regime as a numeric function of (N, C) at parameters p. */
  function lossAt(r: typeof low, p: Params, withAll: boolean): (n: number, c: number) => number {
    const terms = withAll ? r!.terms : [r!.balance.rising, r!.balance.falling];
    const env = { a: p.a, b: p.b };
    const num3 = terms.map((term) => {
      const { e, f } = termExponents(term, NT_BUDGET);
      return [evaluate(term.coefficient, env), evaluate(f, env), evaluate(e, env)];
    });
    return (n, c) => num3.reduce((total, [k, f, e]) => total + k * Math.pow(c, f) * Math.pow(n, e), 0);
  }

  function bruteForce(r: typeof low, withAll: boolean): (p: Params) => number {
    return (p) => {
      const f = lossAt(r, p, withAll);
      return minimizeLog((n) => f(n, p.C), 1e-6, p.C * 1e6).value;
    };
  }

  const Lstar = (r: typeof low): Expr => mul(r!.balance.Lstar.coefficient, pow(C, r!.balance.Lstar.exponent));

  const derivation: Derivation = {
    ...META,
    summary: 'Terms c_i C^{f_i} N^{e_i} at fixed compute. The pair that sets the optimum is the crossing of a rising and a falling term on the upper envelope of the exponents (src/symbolic/balance.ts); d/dN = 0 for the pair gives N*, and L* = (1 - e2/e1) T2(N*). For a - 1 > b the cross term (E20), not the width plateau, balances the time term: at the time-width balance point the cross term decays more slowly exactly when a - 1 > b. (1.15, 2) gives L* ~ C^{-1/20}.',
    parts: [
      {
        title: 'Derivative of a two-term power law (nerdamer-prime)',
        params: { c1: [0.5, 2], c2: [0.5, 2], e1: [0.2, 2], e2: [-2, -0.2], f1: [-2, 0], f2: [-2, 0], C: [10, 1000], N: [1, 100] },
        steps: [
          { title: 'N f\'(N) by nerdamer-prime diff', why: 'f(N) = c1 C^{f1} N^{e1} + c2 C^{f2} N^{e2}; derivative computed by nerdamer-prime and compiled.', latex: 'N \\frac{d}{dN}\\left(c_1 C^{f_1} N^{e_1} + c_2 C^{f_2} N^{e_2}\\right)', value: (p) => p.N * dfdN(p.c1, p.c2, p.e1, p.e2, p.f1, p.f2, p.C, p.N) },
          { title: 'Power rule', why: 'N d/dN N^e = e N^e.', latex: 'e_1 T_1 + e_2 T_2', expr: add(mul(e1, c1, pow(C, f1), pow(N, e1)), mul(e2, c2, pow(C, f2), pow(N, e2))) },
        ],
      },
      {
        title: 'Stationary point (in logarithms, exact)',
        params: {},
        steps: [
          { title: 'log(e1 T1) - log(-e2 T2) at N*', why: 'log N* = [log(-e2 c2) - log(e1 c1) + (f2 - f1) log C]/(e1 - e2); every term is linear in the logarithms, so the check is exact rational-function arithmetic.', latex: '\\log(e_1 c_1) + f_1 \\log C + e_1 \\log N^* - \\left[\\log(-e_2 c_2) + f_2 \\log C + e_2 \\log N^*\\right],\\quad \\log N^* = \\frac{\\log(-e_2 c_2) - \\log(e_1 c_1) + (f_2 - f_1) \\log C}{e_1 - e_2}', expr: logGap },
          { title: 'Zero', why: 'e1 T1 + e2 T2 = 0 at N*: a stationary point, and a minimum since N^2 f\'\' = e1 T1 (e1 - e2) > 0 for e1 > 0 > e2.', latex: '0', expr: num(0) },
        ],
      },
      {
        title: 'Exponents for a - 1 < b: time (E17) against width (E19)',
        params: {},
        steps: [
          { title: 'N* exponent from the rule', why: 'e1 = (a-1)/b, f1 = -(a-1)/b (time term with t = C/N), e2 = -(a-1), f2 = 0.', latex: '\\frac{f_2 - f_1}{e_1 - e_2}', expr: div(sub(num(0), mul(num(-1), div(sub(a, ONE), b))), sub(div(sub(a, ONE), b), mul(num(-1), sub(a, ONE)))) },
          { title: 'Simplified', why: 'Cancel a - 1.', latex: '\\frac{1}{1+b}', expr: div(ONE, add(ONE, b)) },
          { title: 'balance.ts result', why: 'computeOptimal(), regime a - 1 < b.', latex: toLatex(low.balance.Nstar.exponent), expr: low.balance.Nstar.exponent },
        ],
      },
      {
        title: 'Loss exponent for a - 1 < b',
        params: {},
        steps: [
          { title: 'L* exponent from the rule', why: 'f2 + e2 (f2 - f1)/(e1 - e2) with e2 = -(a-1), f2 = 0.', latex: '-(a-1)\\,\\frac{1}{1+b}', expr: mul(num(-1), sub(a, ONE), div(ONE, add(ONE, b))) },
          { title: 'balance.ts result', why: 'THEORY (E21): L* ~ C^{-(a-1)/(1+b)}.', latex: toLatex(low.balance.Lstar.exponent), expr: low.balance.Lstar.exponent },
        ],
      },
      {
        title: 'Exponents for a - 1 > b: time (E17) against the cross term (E20)',
        params: {},
        steps: [
          { title: 'N* exponent from the rule', why: 'Cross term c_x N^{-1} t^{-(1-1/b)} at t = C/N: e2 = -1/b, f2 = -(1 - 1/b).', latex: '\\frac{-(1 - 1/b) + (a-1)/b}{(a-1)/b + 1/b}', expr: div(add(mul(num(-1), sub(ONE, div(ONE, b))), div(sub(a, ONE), b)), add(div(sub(a, ONE), b), div(ONE, b))) },
          { title: 'Simplified', why: 'Multiply through by b.', latex: '\\frac{a-b}{a}', expr: div(sub(a, b), a) },
          { title: 'balance.ts result', why: 'computeOptimal(), regime a - 1 > b.', latex: toLatex(high.balance.Nstar.exponent), expr: high.balance.Nstar.exponent },
        ],
      },
      {
        title: 'Loss exponent for a - 1 > b',
        params: {},
        steps: [
          { title: 'L* exponent from the rule', why: 'f2 + e2 (a - b)/a.', latex: '-\\left(1 - \\frac{1}{b}\\right) - \\frac{1}{b}\\cdot\\frac{a-b}{a}', expr: sub(mul(num(-1), sub(ONE, div(ONE, b))), mul(div(ONE, b), div(sub(a, b), a))) },
          { title: 'Simplified', why: 'Common denominator a b.', latex: '-\\frac{a-1}{a}', expr: mul(num(-1), div(sub(a, ONE), a)) },
          { title: 'balance.ts result', why: 'computeOptimal(), regime a - 1 > b.', latex: toLatex(high.balance.Lstar.exponent), expr: high.balance.Lstar.exponent },
        ],
      },
      {
        title: 'Brute force, a - 1 < b: minimum over N of the two terms at fixed C',
        params: { a: [1.1, 1.8], b: [1.2, 2.5] },
        limit: { variable: 'C', values: [1e6, 1e9, 1e12], tolerance: 1e-6 },
        steps: [
          { title: 'Numeric minimum', why: 'Log-grid scan plus golden section over N in [1e-6, 1e6 C] of c_t (C/N)^{-(a-1)/b} + c_N N^{-(a-1)}.', latex: '\\min_N \\left[c_t (C/N)^{-(a-1)/b} + c_N N^{-(a-1)}\\right]', value: bruteForce(low, false) },
          { title: 'Closed form', relation: '~', why: 'The balance result with its prefactor.', latex: toLatex(Lstar(low)), expr: Lstar(low) },
        ],
      },
      {
        title: 'Brute force, a - 1 > b: minimum over N of time + width + cross terms at fixed C',
        params: { a: [4.5, 5.5], b: [1.3, 1.6] },
        limit: { variable: 'C', values: [1e12, 1e15, 1e18], tolerance: 2e-2 },
        steps: [
          { title: 'Numeric minimum of all three terms', why: 'Includes the width plateau zeta(a-b) C_g^b N^{-b}, which the balance says is subdominant at the optimum (it decays faster by C^{-(b-1)(a-b-1)/a}).', latex: '\\min_N \\left[c_t t^{-(a-1)/b} + c_W N^{-b} + c_\\times N^{-1} t^{-(1-1/b)}\\right]_{t = C/N}', value: bruteForce(high, true) },
          { title: 'Closed form', relation: '~', why: 'Balance of time and cross term with its prefactor.', latex: toLatex(Lstar(high)), expr: Lstar(high) },
        ],
      },
    ],
  };
  return derivation;
}

export default defineDerivation(META, build);

/**
 * Builder for the static-limit derivations (THEORY E16b, E18, E19): a mode sum
 * sum_k k^-a Phi(lambda_k/kappa) with kappa from g(kappa) = n, in a regime
 * where either the Mellin integral or the head of the sum wins.
 */
import type { Part, Step } from '../src/symbolic/derivation.js';
import { type Expr, toLatex, zetaE } from '../src/symbolic/expr.js';
import { gamma, zeta } from '../src/symbolic/special.js';
import type { Kernel } from '../src/symbolic/mellin.js';
import { mellinNumeric, solveKappa } from '../src/symbolic/numeric.js';
import type { Case } from '../src/symbolic/terms.js';
import { isUnsupported } from '../src/symbolic/terms.js';
import { a, b, Cg, div, gammaE, mul, num, ONE, pow, sub } from './common.js';

export interface StaticSpec {
  /** Kernel Phi(u) = u^0 (1+u)^-n of the summand k^-a Phi. */
  readonly kernel: Kernel & { kind: 'rational' };
  /** Size variable name and symbol. */
  readonly size: 'N' | 'P';
  readonly sizeSym: Expr;
  /** Multiplies the sum (the data law's variance factor); numeric and symbolic. */
  readonly factor?: { value: (p: Record<string, number>, kappa: number) => number; expr: Expr; latex: string; limitLatex: string; why: string };
  /** The quantity, numerically, at size n. */
  readonly exact: (n: number, a: number, b: number) => number;
  readonly quantityLatex: string;
  readonly quantityWhy: string;
  readonly engine: readonly Case[];
}

export function mellinPart(spec: StaticSpec, params: Part['params'], title: string): Part {
  const n = spec.kernel.n;
  const engine = spec.engine.find((c) => !isUnsupported(c) && c.mechanism === 'mellin');
  if (!engine || isUnsupported(engine)) throw new Error('static law: no Mellin case');
  const s = div(sub(a, ONE), b);
  // (1/b) Gamma(s) Gamma(n - s) / Gamma(n)
  const mellinCoef = mul(div(ONE, b), gammaE(s), gammaE(sub(num(n), s)), pow(gammaE(num(n)), num(-1)));
  const fac = spec.factor;
  const steps: Step[] = [
    { title: 'Static quantity', why: spec.quantityWhy, latex: spec.quantityLatex, value: (p) => spec.exact(p[spec.size], p.a, p.b) },
    {
      title: 'Mellin integral of the sum (kappa still exact)',
      relation: '~',
      why: `u = lambda_k/kappa = k^{-b} x, x = 1/kappa: the Mellin integral of (1+u)^{-${n}} at s = (a-1)/b converges at both ends when 0 < s < ${n} (a - 1 < ${n} b), so the sum is (1/b) x^{-s} times it (integral evaluated numerically).${fac ? ' The variance factor is kept exact.' : ''}`,
      latex: `${fac ? `${fac.latex}\\, ` : ''}\\frac{1}{b} \\kappa^{s} \\int_0^\\infty \\frac{u^{s-1}}{(1+u)^{${n}}} du`,
      value: (p) => {
        const kappa = solveKappa(p[spec.size], p.b).value;
        const sv = (p.a - 1) / p.b;
        return (fac ? fac.value(p, kappa) : 1) * (1 / p.b) * Math.pow(kappa, sv) * mellinNumeric(spec.kernel, sv);
      },
    },
    {
      title: 'Beta integral; kappa and the variance factor by their asymptotes',
      relation: '~',
      why: `integral u^{s-1}(1+u)^{-n} du = Gamma(s) Gamma(n-s)/Gamma(n); kappa ~ (C_g/${spec.size})^b from g(kappa) ~ C_g kappa^{-1/b} (derivations/effective-ridge), so kappa^s = (C_g/${spec.size})^{a-1}.${fac ? ` ${fac.why}` : ''}`,
      latex: `${fac ? `${fac.limitLatex}\\, ` : ''}\\frac{\\Gamma(s)\\,\\Gamma(${n}-s)}{b\\,\\Gamma(${n})}\\, C_g^{a-1}\\, ${spec.size}^{-(a-1)}`,
      expr: mul(fac ? fac.expr : ONE, mellinCoef, pow(Cg, sub(a, ONE)), pow(spec.sizeSym, sub(ONE, a))),
    },
    {
      title: 'The engine\'s leading term',
      why: 'staticLaw (src/symbolic/laws.ts): the mode-sum engine applied to the sum and to g(kappa), composed; must equal the hand computation.',
      latex: toLatex(mul(engine.coefficient, pow(spec.sizeSym, engine.exponent))),
      expr: mul(engine.coefficient, pow(spec.sizeSym, engine.exponent)),
    },
  ];
  return { title, params, limit: { variable: spec.size, values: [1e4, 1e6, 1e8], tolerance: 2e-3 }, steps };
}

export function headPart(spec: StaticSpec, params: Part['params'], title: string): Part {
  const n = spec.kernel.n;
  const engine = spec.engine.find((c) => !isUnsupported(c) && c.mechanism === 'head');
  if (!engine || isUnsupported(engine)) throw new Error('static law: no head case');
  const fac = spec.factor;
  const steps: Step[] = [
    { title: 'Static quantity', why: spec.quantityWhy, latex: spec.quantityLatex, value: (p) => spec.exact(p[spec.size], p.a, p.b) },
    {
      title: 'Head of the sum wins (kappa still exact)',
      relation: '~',
      why: `For a - 1 > ${n} b the Mellin integral diverges at u -> infinity (small k): each fixed mode has (1+u)^{-${n}} ~ u^{-${n}} = kappa^${n} k^{${n} b}, so the sum is kappa^${n} sum_k k^{-(a - ${n} b)} = kappa^${n} zeta(a - ${n} b).`,
      latex: `${fac ? `${fac.latex}\\, ` : ''}\\zeta(a - ${n} b)\\, \\kappa^{${n}}`,
      value: (p) => {
        const kappa = solveKappa(p[spec.size], p.b).value;
        return (fac ? fac.value(p, kappa) : 1) * zeta(p.a - n * p.b) * Math.pow(kappa, n);
      },
    },
    {
      title: 'kappa by its asymptote',
      relation: '~',
      why: `kappa ~ (C_g/${spec.size})^b (derivations/effective-ridge).${fac ? ` ${fac.why}` : ''}`,
      latex: `${fac ? `${fac.limitLatex}\\, ` : ''}\\zeta(a - ${n} b)\\, C_g^{${n} b}\\, ${spec.size}^{-${n} b}`,
      expr: mul(fac ? fac.expr : ONE, zetaE(sub(a, mul(num(n), b))), pow(Cg, mul(num(n), b)), pow(spec.sizeSym, mul(num(-n), b))),
    },
    {
      title: 'The engine\'s leading term',
      why: 'staticLaw (src/symbolic/laws.ts), case "head"; must equal the hand computation.',
      latex: toLatex(mul(engine.coefficient, pow(spec.sizeSym, engine.exponent))),
      expr: mul(engine.coefficient, pow(spec.sizeSym, engine.exponent)),
    },
  ];
  return { title, params, limit: { variable: spec.size, values: [1e4, 1e6, 1e8], tolerance: 2e-3 }, steps };
}

/** Checks the summand rewriting c_k kappa^n/(kappa + lambda_k)^n = c_k (1 + lambda_k/kappa)^{-n} exactly. */
export function summandPart(n: number): Part {
  const kap = { k: 'sym', name: 'kappa' } as const;
  const lam = { k: 'sym', name: 'lambda' } as const;
  const cc = { k: 'sym', name: 'c' } as const;
  const u = div(lam, kap);
  return {
    title: 'Summand as a kernel of u = lambda_k/kappa',
    params: { c: [0.1, 2], kappa: [0.01, 1], lambda: [0.01, 1] },
    steps: [
      {
        title: 'Summand of THEORY (E16b)',
        why: 'c_k kappa^n/(kappa + lambda_k)^n with c_k = k^{-a}.',
        latex: `c\\, \\frac{\\kappa^{${n}}}{(\\kappa + \\lambda)^{${n}}}`,
        expr: mul(cc, pow(kap, num(n)), pow({ k: 'add', terms: [kap, lam] }, num(-n))),
      },
      {
        title: 'Kernel form',
        why: 'Divide numerator and denominator by kappa^n.',
        latex: `c\\, (1 + u)^{-${n}},\\quad u = \\lambda/\\kappa`,
        expr: mul(cc, pow({ k: 'add', terms: [ONE, u] }, num(-n))),
      },
    ],
  };
}

export { gamma };

/**
 * Compute-optimal allocation, THEORY (E21): minimise a sum of power-law terms
 * c_i N^{n_i} t^{m_i} at fixed compute C = N^p t^q.
 *
 * Power-law balance rule (ours; no JS CAS solves d/dN = 0 with symbolic
 * exponents, docs/dependencies.md). With t = C^{1/q} N^{-p/q} each term is
 * c_i C^{f_i} N^{e_i}, e_i = n_i - p m_i / q, f_i = m_i / q.
 * 1. Which terms: with N = C^u the terms scale as C^{f_i + e_i u}; the optimum
 *    of the exponents is the vertex u* of the upper envelope max_i(f_i + e_i u)
 *    where a rising and a falling term cross (a linear min-max, solved exactly
 *    in rationals). The other terms decay faster there by a margin > 0.
 * 2. Balance of the pair (e1 > 0 > e2): d/dN (T1 + T2) = (e1 T1 + e2 T2)/N = 0 gives
 *    N* = [(-e2 c2)/(e1 c1)]^{1/(e1 - e2)} C^{(f2 - f1)/(e1 - e2)},
 *    and at N*, T1 = (-e2/e1) T2, so L* = (1 - e2/e1) T2(N*); t* = C^{1/q} N*^{-p/q}.
 *    It is a minimum: N^2 f'' = e1 T1 (e1 - e2) > 0.
 * The stationarity is checked by nerdamer-prime (derivative, and the log-linear
 * identity at N*) in derivations/compute-optimal.ts and numerically in tests.
 */
import { InvalidArgumentError } from '../core/errors.js';
import { Rational } from './rational.js';
import {
  add, asRational, div, type Expr, mul, neg, num, ONE, pow, simplifyExpr, sub, substitute,
} from './expr.js';
import { A, B, crossTermLaw, sgdNoiseLaw, timeLaw, widthLaw } from './laws.js';
import { and, atom, type Case, type Condition, decide, isUnsupported, type LeadingTerm, pruneCases } from './terms.js';

export interface PowerTerm {
  readonly label: string;
  readonly coefficient: Expr;
  /** Exponent of N (negative: decays with N). */
  readonly nExp: Expr;
  /** Exponent of t. */
  readonly tExp: Expr;
}

export interface Budget {
  /** C = perStep N^p t^q. */
  readonly p: Expr;
  readonly q: Expr;
  /** Samples per step (the batch B of one-pass SGD: C = N t B, THEORY E29); default 1. */
  readonly perStep?: Expr;
}

export const NT_BUDGET: Budget = { p: ONE, q: ONE };

export interface PairBalance {
  readonly rising: PowerTerm;
  readonly falling: PowerTerm;
  readonly e1: Expr;
  readonly e2: Expr;
  readonly f1: Expr;
  readonly f2: Expr;
  readonly Nstar: { coefficient: Expr; exponent: Expr };
  readonly tstar: { coefficient: Expr; exponent: Expr };
  readonly Lstar: { coefficient: Expr; exponent: Expr };
}

export function termExponents(term: PowerTerm, budget: Budget): { e: Expr; f: Expr } {
  const f = div(term.tExp, budget.q);
  return { e: simplifyExpr(sub(term.nExp, mul(budget.p, f))), f: simplifyExpr(f) };
}

/** Step 2 of the rule for an ordered pair: `rising` has e1 > 0, `falling` e2 < 0 (at fixed C). */
export function balancePair(rising: PowerTerm, falling: PowerTerm, budget: Budget): PairBalance {
  const { e: e1, f: f1 } = termExponents(rising, budget);
  const { e: e2, f: f2 } = termExponents(falling, budget);
  const de = sub(e1, e2);
  // With C = s N^p t^q, t^m = (C/s)^{m/q} N^{-p m/q}: each coefficient gains s^{-f}.
  const perStep = budget.perStep ?? ONE;
  const c1 = mul(rising.coefficient, pow(perStep, neg(f1)));
  const c2 = mul(falling.coefficient, pow(perStep, neg(f2)));
  const ratio = div(mul(neg(e2), c2), mul(e1, c1));
  const nCoef = pow(ratio, div(ONE, de));
  const nExp = simplifyExpr(div(sub(f2, f1), de));
  const lCoef = mul(sub(ONE, div(e2, e1)), c2, pow(nCoef, e2));
  const lExp = simplifyExpr(add(f2, mul(e2, nExp)));
  // t* = (C/s)^{1/q} N*^{-p/q}
  const tCoef = mul(pow(perStep, neg(div(ONE, budget.q))), pow(nCoef, neg(div(budget.p, budget.q))));
  const tExp = simplifyExpr(sub(div(ONE, budget.q), mul(div(budget.p, budget.q), nExp)));
  return {
    rising, falling, e1, e2, f1, f2,
    Nstar: { coefficient: simplifyExpr(nCoef), exponent: nExp },
    tstar: { coefficient: simplifyExpr(tCoef), exponent: tExp },
    Lstar: { coefficient: simplifyExpr(lCoef), exponent: lExp },
  };
}

/**
 * Step 1 at a rational point (all exponents fold to rationals): the pair
 * (rising, falling) whose crossing is the minimum of the upper envelope, with
 * the margins of the other terms. Returns undefined if no valid vertex (or a tie).
 */
export function selectPair(
  terms: readonly PowerTerm[], budget: Budget, env: Readonly<Record<string, Expr>>,
): { rising: number; falling: number; u: Rational } | undefined {
  const ef = terms.map((t) => {
    const { e, f } = termExponents(t, budget);
    const er = asRational(simplifyExpr(substitute(e, env)));
    const fr = asRational(simplifyExpr(substitute(f, env)));
    if (!er || !fr) throw new InvalidArgumentError('terms', 'exponents must fold to rationals at the sample point', t.label);
    return { e: er, f: fr };
  });
  const p = asRational(substitute(budget.p, env));
  const q = asRational(substitute(budget.q, env));
  let best: { rising: number; falling: number; u: Rational; v: Rational } | undefined;
  for (let i = 0; i < ef.length; i++) {
    for (let j = 0; j < ef.length; j++) {
      if (!(ef[i].e.sign() > 0 && ef[j].e.sign() < 0)) continue;
      const u = ef[j].f.sub(ef[i].f).div(ef[i].e.sub(ef[j].e));
      if (u.sign() <= 0) continue;
      if (p && q && Rational.ONE.sub(p.mul(u)).div(q).sign() <= 0) continue; // t* must grow
      const v = ef[i].f.add(ef[i].e.mul(u));
      const envelope = ef.every((x, k) => k === i || k === j || x.f.add(x.e.mul(u)).cmp(v) < 0);
      if (!envelope) continue;
      if (!best || v.cmp(best.v) < 0) best = { rising: i, falling: j, u, v };
    }
  }
  return best && { rising: best.rising, falling: best.falling, u: best.u };
}

const SAMPLE_A = ['11/10', '23/20', '3/2', '2', '5/2', '3', '4', '5', '7', '9'];
const SAMPLE_B = ['1/2', '1', '5/4', '3/2', '2', '3', '4'];

/** A rational point satisfying the condition, from a fixed grid (deterministic). */
export function samplePoint(condition: Condition): Record<string, Expr> | undefined {
  for (const sa of SAMPLE_A) {
    for (const sb of SAMPLE_B) {
      const env = { a: num(Rational.parse(sa)), b: num(Rational.parse(sb)) };
      if (decide(condition, env) === true) return env;
    }
  }
  return undefined;
}

export interface ComputeOptimalCase {
  readonly condition: Condition;
  readonly terms: readonly PowerTerm[];
  readonly balance: PairBalance;
  /** For each term not in the pair: how much faster it decays in C at the optimum (> 0). */
  readonly margins: ReadonlyArray<{ label: string; margin: Expr }>;
}

export type ComputeOptimalResult = ComputeOptimalCase | { unsupported: string; condition: Condition };

function asTerm(label: string, c: LeadingTerm, variable: 'N' | 't', extraN?: Expr): PowerTerm {
  const coefficient = extraN ? simplifyExpr(substitute(c.coefficient, { N: ONE })) : c.coefficient;
  return variable === 'N'
    ? { label, coefficient, nExp: c.exponent, tExp: num(0) }
    : { label, coefficient, nExp: extraN ?? num(0), tExp: c.exponent };
}

export interface ComputeOptimalOptions {
  /** Compute budget; default C = N t (gradient flow), C = N t B with sgd. */
  readonly budget?: Budget;
  /**
   * One-pass SGD (THEORY E28, E29): t counts steps at rate eta (gradient-flow time eta t),
   * the noise term joins the candidate terms and C = N t B. Symbols or numbers.
   */
  readonly sgd?: { readonly eta: Expr; readonly batch: Expr };
  /** Only the regimes whose condition can hold at this rational point (the table at numbers: less work). */
  readonly at?: Readonly<Record<string, Expr>>;
}

/**
 * Conditions under which e > 0, every symbol being positive (a, b, eta, B):
 * the simplified form is a rational coefficient times powers of polynomial
 * factors; even powers are non-negative (zero only on a boundary, where the
 * balance ties), a polynomial with coefficients of one sign is decided, and
 * one undecided odd factor gives one atom. Returns false when e > 0 is impossible.
 */
export function positivity(e: Expr): Condition | false {
  const x = simplifyExpr(e);
  const r = asRational(x);
  if (r) return r.sign() > 0 ? [] : false;
  let sign = 1;
  const open: Expr[] = [];
  const factors = x.k === 'mul' ? x.factors : [x];
  for (const f of factors) {
    if (f.k === 'num') {
      sign *= f.v.sign();
      continue;
    }
    let base: Expr = f;
    if (f.k === 'pow') {
      const k = asRational(f.exp);
      if (!k) return [atom(x, '>', num(0))]; // symbolic power of a positive base is positive only if the base is
      base = f.base;
      if (k.isInteger() && k.num % 2n === 0n) continue;
    }
    const s = signOfPolynomial(base);
    if (s === 0) open.push(base);
    else sign *= s;
  }
  if (open.length === 0) return sign > 0 ? [] : false;
  if (open.length === 1) return [atom(open[0], sign > 0 ? '>' : '<', num(0))];
  return [atom(x, '>', num(0))];
}

/** +1 / -1 if every term of a sum (or a product of symbols) has that sign, 0 if mixed. */
function signOfPolynomial(e: Expr): -1 | 0 | 1 {
  if (e.k === 'sym' || e.k === 'pi' || e.k === 'fn') return 1;
  if (e.k === 'num') return e.v.sign() as -1 | 0 | 1;
  if (e.k === 'pow') return asRational(e.exp)?.isInteger() && asRational(e.exp)!.num % 2n === 0n ? 1 : signOfPolynomial(e.base);
  if (e.k === 'mul') {
    let s = 1;
    for (const f of e.factors) s *= signOfPolynomial(f);
    return s as -1 | 0 | 1;
  }
  const signs = e.terms.map(signOfPolynomial);
  if (signs.every((x) => x > 0)) return 1;
  if (signs.every((x) => x < 0)) return -1;
  return 0;
}

/** The condition simplified if some (a, b) satisfies it (and the point `at`, if given, may), else undefined. */
function feasible(condition: Condition, at: Readonly<Record<string, Expr>> | undefined): Condition | undefined {
  const pruned = pruneCases([{ unsupported: '', variable: 'C', condition }]);
  if (pruned.length === 0) return undefined;
  const simple = pruned[0].condition;
  if (at && decide(simple, at) === false) return undefined;
  return samplePoint(simple) ? simple : undefined;
}

/** The candidate terms' time factor: gradient-flow time eta t for discrete optimizers (E26, E28). */
function inSteps(term: PowerTerm, eta: Expr | undefined): PowerTerm {
  if (!eta || (asRational(term.tExp)?.isZero() ?? false)) return term;
  return { ...term, coefficient: mul(term.coefficient, pow(eta, term.tExp)) };
}

/**
 * THEORY (E21), (E29) per regime of (a, b), at P = infinity: the time law
 * (E17), the width law of the full loss (E19), where it exists the cross term
 * (E20) and, for one-pass SGD, the noise term (E29). For each combination of
 * the laws' regimes, every (rising, falling) pair is balanced symbolically and
 * kept under the conditions that make it the vertex of the upper envelope:
 * e1 > 0 > e2, N* and t* growing, and every other term decaying faster at the
 * optimum (its margin > 0). Strict inequalities: on a boundary two balances
 * tie (a phase boundary, with logarithmic corrections) and no regime holds.
 */
export function computeOptimal(a: Expr = A, b: Expr = B, options: ComputeOptimalOptions | Budget = {}): ComputeOptimalResult[] {
  const opts: ComputeOptimalOptions = 'p' in options ? { budget: options } : options;
  const sgd = opts.sgd;
  const budget: Budget = opts.budget ?? (sgd ? { p: ONE, q: ONE, perStep: sgd.batch } : NT_BUDGET);
  const at = opts.at;
  const out: ComputeOptimalResult[] = [];
  const time = timeLaw(a, b).find((c) => !isUnsupported(c));
  if (!time || isUnsupported(time)) return [{ unsupported: 'the time law has no leading term (a <= 1)', condition: [atom(a, '<=', ONE)] }];
  const crosses = crossTermLaw(a, b);
  const noises: Array<Case | undefined> = sgd ? sgdNoiseLaw(a, b, sgd.eta, sgd.batch) : [undefined];
  for (const w of widthLaw(a, b)) {
    if (isUnsupported(w)) {
      const condition = feasible(and(time.condition, w.condition), at);
      if (condition) out.push({ unsupported: `width law: ${w.unsupported}`, condition });
      continue;
    }
    for (const x of crosses) {
      for (const n of noises) {
        const condition = feasible(and(time.condition, w.condition, x.condition, n?.condition ?? []), at);
        if (!condition) continue;
        const terms: PowerTerm[] = [inSteps(asTerm('time (E17)', time, 't'), sgd?.eta), asTerm('width (E19)', w, 'N')];
        if (!isUnsupported(x)) terms.push(inSteps(asTerm('cross term (E20)', x, 't', num(-1)), sgd?.eta));
        if (n && !isUnsupported(n)) terms.push(asTerm('SGD noise (E29)', n, 't'));
        const found = balanceRegimes(terms, budget, condition, at);
        // At a point on a phase boundary no pair is strictly the vertex: nothing holds there (the table says so).
        if (found.length === 0 && !at) {
          out.push({ unsupported: 'no interior optimum: no rising and falling pair of terms crosses on the upper envelope', condition });
        }
        out.push(...found);
      }
    }
  }
  return out;
}

/** Every (rising, falling) pair of the terms that is the envelope's vertex somewhere in the condition. */
function balanceRegimes(terms: readonly PowerTerm[], budget: Budget, base: Condition, at: Readonly<Record<string, Expr>> | undefined): ComputeOptimalCase[] {
  const ef = terms.map((t) => termExponents(t, budget));
  const out: ComputeOptimalCase[] = [];
  for (let i = 0; i < terms.length; i++) {
    const rises = positivity(ef[i].e);
    if (rises === false) continue;
    for (let j = 0; j < terms.length; j++) {
      if (j === i) continue;
      const falls = positivity(neg(ef[j].e));
      if (falls === false) continue;
      const u = simplifyExpr(div(sub(ef[j].f, ef[i].f), sub(ef[i].e, ef[j].e)));
      const loss = simplifyExpr(add(ef[i].f, mul(ef[i].e, u)));
      const parts: Array<Condition | false> = [
        rises, falls, positivity(u), positivity(div(sub(ONE, mul(budget.p, u)), budget.q)),
      ];
      const margins = terms.map((t, k) => ({ k, label: t.label, margin: simplifyExpr(sub(loss, add(ef[k].f, mul(ef[k].e, u)))) }))
        .filter(({ k }) => k !== i && k !== j);
      for (const m of margins) parts.push(positivity(m.margin));
      if (parts.some((p) => p === false)) continue;
      const condition = feasible(and(base, ...(parts as Condition[])), at);
      if (!condition) continue;
      const balance = balancePair(terms[i], terms[j], budget);
      out.push({ condition, terms, balance, margins: margins.map(({ label, margin }) => ({ label, margin })) });
    }
  }
  return out;
}

/**
 * THEORY (E23): the time at which the finite-width plateau (E19) is reached,
 * where the early-time term equals the plateau: c1 t^{m1} N^{n1} = c2 N^{n2}
 * gives t = (c2/c1)^{1/m1} N^{(n2 - n1)/m1}. The early term is the time law
 * (a - 1 < b) or the cross term (a - 1 > b, where it dominates the time law at t ~ N^b).
 */
export function crossover(a: Expr = A, b: Expr = B, at?: Readonly<Record<string, Expr>>): Array<LeadingTerm | { unsupported: string; variable: string; condition: Condition }> {
  const out: Array<LeadingTerm | { unsupported: string; variable: string; condition: Condition }> = [];
  const time = timeLaw(a, b).find((c) => !isUnsupported(c));
  if (!time || isUnsupported(time)) return [{ unsupported: 'no time law (a <= 1)', variable: 'N', condition: [atom(a, '<=', ONE)] }];
  const crosses = crossTermLaw(a, b);
  for (const w of widthLaw(a, b)) {
    if (isUnsupported(w)) {
      const condition = feasible(and(time.condition, w.condition), at);
      if (condition) out.push({ unsupported: `width law: ${w.unsupported}`, variable: 'N', condition });
      continue;
    }
    for (const x of crosses) {
      const condition = feasible(and(time.condition, w.condition, x.condition), at);
      if (!condition) continue;
      const early = isUnsupported(x) ? asTerm('time (E17)', time, 't') : asTerm('cross term (E20)', x, 't', num(-1));
      const m1 = early.tExp;
      const coefficient = pow(div(w.coefficient, early.coefficient), div(ONE, m1));
      const exponent = simplifyExpr(div(sub(w.exponent, early.nExp), m1));
      out.push({
        coefficient: simplifyExpr(coefficient), exponent, variable: 'N', condition,
        mechanism: `crossover of ${early.label} with the width plateau (E19)`,
      });
    }
  }
  return out;
}

/**
 * Where two terms c1 N^{n1} t^{m1} and c2 N^{n2} t^{m2} are equal, as a time:
 * t = (c2/c1)^{1/(m1 - m2)} N^{(n2 - n1)/(m1 - m2)} (power-law algebra).
 */
export function intersectionTime(t1: PowerTerm, t2: PowerTerm): { coefficient: Expr; exponent: Expr } {
  const dm = sub(t1.tExp, t2.tExp);
  return {
    coefficient: simplifyExpr(pow(div(t2.coefficient, t1.coefficient), div(ONE, dm))),
    exponent: simplifyExpr(div(sub(t2.nExp, t1.nExp), dm)),
  };
}

/**
 * THEORY (E20): the time after which the cross term exceeds the time law at
 * fixed N (a - 1 > b): t_on ~ N^{b/(a-b)}, before the plateau t ~ N^b since a - b > 1.
 */
export function crossTermOnset(a: Expr = A, b: Expr = B, at?: Readonly<Record<string, Expr>>): Array<LeadingTerm | { unsupported: string; variable: string; condition: Condition }> {
  const time = timeLaw(a, b).find((c) => !isUnsupported(c));
  if (!time || isUnsupported(time)) return [{ unsupported: 'no time law (a <= 1)', variable: 'N', condition: [atom(a, '<=', ONE)] }];
  return crossTermLaw(a, b).filter((x) => !at || decide(x.condition, at) !== false).map((x) => {
    if (isUnsupported(x)) return { unsupported: `no separate cross term: ${x.unsupported}`, variable: 'N', condition: x.condition };
    const r = intersectionTime(asTerm('time (E17)', time, 't'), asTerm('cross term (E20)', x, 't', num(-1)));
    return { ...r, variable: 'N', condition: and(time.condition, x.condition), mechanism: 'time law (E17) = cross term (E20)' };
  });
}

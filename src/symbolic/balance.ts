/**
 * Compute-optimal allocation, THEORY (E21): minimise a sum of power-law terms
 * c_i N^{n_i} t^{m_i} at fixed compute C = N^p t^q.
 *
 * Power-law balance rule (ours; no JS CAS solves d/dN = 0 with symbolic
 * exponents, LIBRARIES.md). With t = C^{1/q} N^{-p/q} each term is
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
import { A, B, crossTermLaw, timeLaw, widthLaw } from './laws.js';
import { and, atom, type Condition, decide, isUnsupported, type LeadingTerm, pruneCases } from './terms.js';

export interface PowerTerm {
  readonly label: string;
  readonly coefficient: Expr;
  /** Exponent of N (negative: decays with N). */
  readonly nExp: Expr;
  /** Exponent of t. */
  readonly tExp: Expr;
}

export interface Budget {
  /** C = N^p t^q. */
  readonly p: Expr;
  readonly q: Expr;
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
  const ratio = div(mul(neg(e2), falling.coefficient), mul(e1, rising.coefficient));
  const nCoef = pow(ratio, div(ONE, de));
  const nExp = simplifyExpr(div(sub(f2, f1), de));
  const lCoef = mul(sub(ONE, div(e2, e1)), falling.coefficient, pow(nCoef, e2));
  const lExp = simplifyExpr(add(f2, mul(e2, nExp)));
  const tCoef = pow(nCoef, neg(div(budget.p, budget.q)));
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

/**
 * THEORY (E21) per regime of (a, b), for gradient flow at P = infinity: the
 * time law (E17), the width law of the full loss (E19) and, where it exists,
 * the cross term (E20). With numbers for a, b only the holding regime is returned.
 */
export function computeOptimal(a: Expr = A, b: Expr = B, budget: Budget = NT_BUDGET): ComputeOptimalResult[] {
  const out: ComputeOptimalResult[] = [];
  const time = timeLaw(a, b).find((c) => !isUnsupported(c));
  if (!time || isUnsupported(time)) return [{ unsupported: 'the time law has no leading term (a <= 1)', condition: [atom(a, '<=', ONE)] }];
  const crosses = crossTermLaw(a, b);
  for (const w of widthLaw(a, b)) {
    if (isUnsupported(w)) {
      out.push({ unsupported: `width law: ${w.unsupported}`, condition: and(time.condition, w.condition) });
      continue;
    }
    for (const x of crosses) {
      const condition = and(time.condition, w.condition, x.condition);
      if (pruneCases([{ unsupported: '', variable: 'C', condition }]).length === 0) continue;
      const env = samplePoint(condition);
      if (!env) continue;
      const terms: PowerTerm[] = [asTerm('time (E17)', time, 't'), asTerm('width (E19)', w, 'N')];
      if (!isUnsupported(x)) terms.push(asTerm('cross term (E20)', x, 't', num(-1)));
      const pick = selectPair(terms, budget, env);
      if (!pick) {
        out.push({ unsupported: 'no interior optimum: no rising and falling pair of terms crosses on the upper envelope', condition });
        continue;
      }
      const balance = balancePair(terms[pick.rising], terms[pick.falling], budget);
      const margins = terms
        .map((t, i) => ({ t, i }))
        .filter(({ i }) => i !== pick.rising && i !== pick.falling)
        .map(({ t }) => {
          const { e, f } = termExponents(t, budget);
          // margin = L* exponent - (f + e u*) > 0: the term decays faster than L*
          return { label: t.label, margin: simplifyExpr(sub(balance.Lstar.exponent, add(f, mul(e, balance.Nstar.exponent)))) };
        });
      out.push({ condition, terms, balance, margins });
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
export function crossover(a: Expr = A, b: Expr = B): Array<LeadingTerm | { unsupported: string; variable: string; condition: Condition }> {
  const out: Array<LeadingTerm | { unsupported: string; variable: string; condition: Condition }> = [];
  const time = timeLaw(a, b).find((c) => !isUnsupported(c));
  if (!time || isUnsupported(time)) return [{ unsupported: 'no time law (a <= 1)', variable: 'N', condition: [atom(a, '<=', ONE)] }];
  const crosses = crossTermLaw(a, b);
  for (const w of widthLaw(a, b)) {
    if (isUnsupported(w)) {
      out.push({ unsupported: `width law: ${w.unsupported}`, variable: 'N', condition: w.condition });
      continue;
    }
    for (const x of crosses) {
      const condition = and(time.condition, w.condition, x.condition);
      if (pruneCases([{ unsupported: '', variable: 'N', condition }]).length === 0 || !samplePoint(condition)) continue;
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
export function crossTermOnset(a: Expr = A, b: Expr = B): Array<LeadingTerm | { unsupported: string; variable: string; condition: Condition }> {
  const time = timeLaw(a, b).find((c) => !isUnsupported(c));
  if (!time || isUnsupported(time)) return [{ unsupported: 'no time law (a <= 1)', variable: 'N', condition: [atom(a, '<=', ONE)] }];
  return crossTermLaw(a, b).map((x) => {
    if (isUnsupported(x)) return { unsupported: `no separate cross term: ${x.unsupported}`, variable: 'N', condition: x.condition };
    const r = intersectionTime(asTerm('time (E17)', time, 't'), asTerm('cross term (E20)', x, 't', num(-1)));
    return { ...r, variable: 'N', condition: and(time.condition, x.condition), mechanism: 'time law (E17) = cross term (E20)' };
  });
}

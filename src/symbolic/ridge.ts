/**
 * The ridge laws (THEORY E25), derived by the mode-sum engine (mellin.ts) as
 * the laws of laws.ts are; nothing here types in a final exponent.
 *
 * Under gradient flow with the penalty (r/2)|w|^2 every object is evaluated at
 * s_e = s + r (E25), so at t = inf the effective ridge kappa solves
 * r = kappa (1 - g(kappa)/N)(1 - g(kappa)/P) instead of the ridgeless
 * g(kappa) = min(N, P) (E15a, E16b). Three laws follow:
 *
 *  - ridge_plateau: at N = P = inf kappa = r, and the loss at t = inf is the
 *    population risk of ridge regression, L(inf; r) = sum_k c_k r^2/(r + lambda_k)^2:
 *    the bias kernel k^-a (1 + u)^-2 with u = lambda_k / r, i.e. x = 1/r. Mellin:
 *    L ~ (1/b) Gamma(s) Gamma(2 - s) r^s, s = (a-1)/b, for (a-1)/b < 2; the head
 *    of the sum, L ~ zeta(a - 2b) r^2 = r^2 sum_k c_k/lambda_k^2, for (a-1)/b > 2
 *    (a ridge that small only shrinks the learned modes); a log at (a-1)/b = 2.
 *  - ridge_takeover_time: the time law (E17) C_t t^-(a-1)/b meets the plateau
 *    C_r r^e at t_x = (C_r/C_t)^(-b/(a-1)) r^(-e b/(a-1)): t_x ~ 1/r when e = (a-1)/b
 *    (the ridge freezes the modes with lambda_k < r, which gradient flow reaches
 *    at t ~ 1/lambda_k), t_x ~ r^(-2b/(a-1)) < 1/r for (a-1)/b > 2.
 *  - ridge_crossover: at finite n = min(N, P) the ridge sets the plateau once
 *    r exceeds the ridgeless effective ridge kappa_c(n), g(kappa_c) = n
 *    (E12); g ~ A_g kappa^-(1/b) (engine, dof kernel) gives r_x = kappa_c =
 *    A_g^b n^-b. Below r_x the N or P plateau (E18, E19) holds, above it the
 *    ridge plateau; the two meet at r ~ n^-b, which is where r^((a-1)/b) and
 *    n^-(a-1) have the same size.
 */
import { div, type Expr, evaluate, neg, ONE, pow, simplifyExpr, substitute, toLatex, toText } from './expr.js';
import { A, B, dofLaw, KERNELS, timeLaw } from './laws.js';
import { modeSumAsymptotics } from './mellin.js';
import type { LawEntry } from './table.js';
import { and, atom, type Case, conditionText, decide, isUnsupported, type LeadingTerm, pruneCases, rationalEnv } from './terms.js';

function simplified(t: LeadingTerm): LeadingTerm {
  return { ...t, coefficient: simplifyExpr(t.coefficient), exponent: simplifyExpr(t.exponent) };
}

/**
 * THEORY (E25) at N = P = inf: L(inf; r) = sum_k c_k r^2/(r + lambda_k)^2 as a
 * leading term in r (r -> 0). The engine's x = 1/r power x^e is r^-e.
 */
export function ridgePlateauLaw(a: Expr = A, b: Expr = B): Case[] {
  return pruneCases(
    modeSumAsymptotics({ p: a, b, kernel: KERNELS.bias, x: 'x' }).map((c): Case => {
      if (isUnsupported(c)) return { ...c, variable: 'r', unsupported: c.unsupported.replace(/\bx\b/g, '(1/r)') };
      return simplified({ ...c, exponent: neg(c.exponent), variable: 'r', mechanism: `${c.mechanism} of the bias kernel at kappa = r (E16b, E25)` });
    }),
  );
}

/**
 * THEORY (E17) = (E25): the time t_x(r) at which the time law reaches the
 * ridge plateau, as a leading term in r: C_t t^m = C_r r^e gives
 * t = (C_r/C_t)^(1/m) r^(e/m).
 */
export function ridgeTakeoverTime(a: Expr = A, b: Expr = B): Case[] {
  const time = timeLaw(a, b).find((c) => !isUnsupported(c));
  if (!time || isUnsupported(time)) return [{ unsupported: 'no time law (a <= 1)', variable: 'r', condition: [atom(a, '<=', ONE)] }];
  return pruneCases(
    ridgePlateauLaw(a, b).map((plateau): Case => {
      const condition = and(time.condition, plateau.condition);
      if (isUnsupported(plateau)) return { unsupported: `ridge plateau: ${plateau.unsupported}`, variable: 'r', condition };
      return simplified({
        coefficient: pow(div(plateau.coefficient, time.coefficient), div(ONE, time.exponent)),
        exponent: div(plateau.exponent, time.exponent),
        variable: 'r',
        condition,
        mechanism: 'time law (E17) = ridge plateau (E25)',
      });
    }),
  );
}

/**
 * THEORY (E12), (E25): the ridge r_x(n) above which the ridge, not the size
 * n = min(N, P), sets the plateau: r_x = kappa_c(n) with g(kappa_c) = n,
 * g ~ A_g x^sigma (x = 1/kappa), so r_x = A_g^(1/sigma) n^(-1/sigma).
 */
export function ridgeCrossover(b: Expr = B): Case[] {
  return pruneCases(
    dofLaw(b).map((g): Case => {
      if (isUnsupported(g)) return { unsupported: `g(kappa): ${g.unsupported}`, variable: 'n', condition: g.condition };
      const inverse = div(ONE, g.exponent);
      return simplified({
        coefficient: pow(g.coefficient, inverse),
        exponent: neg(inverse),
        variable: 'n',
        condition: g.condition,
        mechanism: 'g(kappa_c) = n inverted (E12, E15a): the ridgeless effective ridge at size n',
      });
    }),
  );
}

/** One ridge law at numbers (a, b): quantity ~ prefactor variable^exponent, or unsupported. */
export interface RidgeLawEntry {
  readonly id: 'ridge_plateau' | 'ridge_takeover_time' | 'ridge_crossover';
  readonly quantity: string;
  readonly variable: string;
  readonly exponent: number | null;
  readonly exponentText: string;
  readonly prefactor: number | null;
  readonly condition: string;
  readonly mechanism: string;
  readonly unsupported?: string;
}

const RIDGE_LAWS = [
  { id: 'ridge_plateau', quantity: 'L(t = inf) at N = P = inf against the ridge r: ridge-regression risk (THEORY E25, E16b)', cases: ridgePlateauLaw },
  { id: 'ridge_takeover_time', quantity: 'time t_x(r) at which the time law (E17) meets the ridge plateau (THEORY E25)', cases: ridgeTakeoverTime },
  { id: 'ridge_crossover', quantity: 'ridge r_x(n) above which the ridge, not n = min(N, P), sets the plateau: kappa_c(n) (THEORY E12, E25)', cases: (_a: Expr, b: Expr) => ridgeCrossover(b) },
] as const;

/** The ridge laws folded at numbers (a, b) (a > 1, b > 0), the case that holds at each. */
export function ridgeLaws(a: number, b: number): RidgeLawEntry[] {
  const env = rationalEnv(a, b);
  return RIDGE_LAWS.map(({ id, quantity, cases }) => {
    const hit = cases(A, B).find((c) => decide(c.condition, env) === true);
    if (!hit) return { id, quantity, variable: '', exponent: null, exponentText: '', prefactor: null, condition: 'no case', mechanism: '', unsupported: 'no case of the derivation holds at these (a, b)' };
    if (isUnsupported(hit)) {
      return { id, quantity, variable: hit.variable, exponent: null, exponentText: '', prefactor: null, condition: conditionText(hit.condition), mechanism: '', unsupported: hit.unsupported };
    }
    const exponent = simplifyExpr(substitute(hit.exponent, env));
    const prefactor = evaluate(simplifyExpr(substitute(hit.coefficient, env)));
    return {
      id, quantity, variable: hit.variable,
      exponent: evaluate(exponent),
      exponentText: `${toText(hit.exponent)} = ${toText(exponent)}`,
      prefactor: Number.isFinite(prefactor) && prefactor > 0 ? prefactor : null,
      condition: conditionText(hit.condition),
      mechanism: hit.mechanism,
    };
  });
}



/**
 * The ridge laws as rows of an exponent table (the `exponents --ridge` output): folded at numbers, or
 * every case with its condition when (a, b) are symbolic.
 */
export function ridgeLawEntries(a?: number, b?: number): LawEntry[] {
  if (a !== undefined && b !== undefined) {
    return ridgeLaws(a, b).map((law) => ({
      id: law.id, quantity: law.quantity, variable: law.variable, exponent: law.exponent, prefactor: law.prefactor, condition: law.condition,
      latex: law.exponent === null ? '\\text{unsupported}' : `${law.prefactor === null ? '' : `${Number(law.prefactor.toPrecision(6))}\\, `}${law.variable}^{${Number(law.exponent.toPrecision(12))}}`,
      ...(law.unsupported ? { unsupported: law.unsupported } : { note: law.mechanism }),
    }));
  }
  return RIDGE_LAWS.flatMap(({ id, quantity, cases }) =>
    cases(A, B).map((c): LawEntry => {
      const base = { id, quantity, variable: c.variable, condition: conditionText(c.condition) };
      if (isUnsupported(c)) return { ...base, exponent: null, prefactor: null, latex: '\\text{unsupported}', unsupported: c.unsupported };
      return { ...base, exponent: toText(c.exponent), prefactor: toText(c.coefficient), latex: `${toLatex(c.coefficient)}\\, ${c.variable}^{${toLatex(c.exponent)}}`, note: c.mechanism };
    }),
  );
}

/**
 * Leading terms (STYLE 9, after SymPy's gruntz): quantity ~ coefficient *
 * variable^exponent under a condition on (a, b), or {unsupported: reason}.
 */
import { Rational } from './rational.js';
import { add, asRational, type Expr, mul, neg, num, substitute, sub, symbols as symbolsOf, toLatex, toText, simplifyExpr } from './expr.js';

export type Relation = '<' | '>' | '=' | '<=' | '>=';

/** One inequality lhs (op) rhs; a Condition is a conjunction of them. */
export interface Atom {
  readonly lhs: Expr;
  readonly op: Relation;
  readonly rhs: Expr;
}
export type Condition = readonly Atom[];

export interface LeadingTerm {
  readonly coefficient: Expr;
  readonly exponent: Expr;
  readonly variable: string;
  readonly condition: Condition;
  /** How the term arose (Mellin integral, head of the sum, balance, ...). */
  readonly mechanism: string;
  /** Set when the exponent is derived but the coefficient has no closed form here (coefficient is then a named constant). */
  readonly coefficientUnsupported?: string;
}
export interface Unsupported {
  readonly unsupported: string;
  readonly variable: string;
  readonly condition: Condition;
}
export type Case = LeadingTerm | Unsupported;

export function isUnsupported(c: Case): c is Unsupported {
  return 'unsupported' in c;
}

const FLIP: Record<Relation, Relation> = { '<': '>', '>': '<', '=': '=', '<=': '>=', '>=': '<=' };

function negativeLeading(e: Expr): boolean {
  if (e.k === 'num') return e.v.sign() < 0;
  if (e.k === 'mul') return e.factors[0]?.k === 'num' && e.factors[0].v.sign() < 0;
  if (e.k === 'add') return e.terms.every(negativeLeading);
  return false;
}

/** Builds an atom in readable form: -1 > -b becomes b > 1; a number goes right. */
export function atom(lhs: Expr, op: Relation, rhs: Expr): Atom {
  let l = simplifyExpr(lhs);
  let r = simplifyExpr(rhs);
  // x - 1 > 0 -> x > 1; a - b - 1 > 0 -> a - 1 > b: keep a (and constants) left when a is present.
  if (r.k === 'num' && r.v.isZero() && l.k === 'add') {
    const hasA = l.terms.some((t) => symbolsOf(t).has('a'));
    const moveRight = l.terms.filter((t) => (hasA ? !symbolsOf(t).has('a') && symbolsOf(t).size > 0 : t.k === 'num'));
    const keep = l.terms.filter((t) => !moveRight.includes(t));
    if (moveRight.length && keep.length) {
      l = add(...keep);
      r = neg(add(...moveRight));
    } else if (hasA && !moveRight.length) {
      const nums = l.terms.filter((t) => t.k === 'num');
      const rest = l.terms.filter((t) => t.k !== 'num');
      if (nums.length && rest.length && rest.every((t) => symbolsOf(t).has('a'))) {
        l = add(...rest);
        r = neg(add(...nums));
      }
    }
  }
  if (negativeLeading(l) && negativeLeading(r)) {
    l = neg(l);
    r = neg(r);
    op = FLIP[op];
  }
  if (l.k === 'num' && r.k !== 'num') return { lhs: r, op: FLIP[op], rhs: l };
  return { lhs: l, op, rhs: r };
}

/** Exact truth value at rational (a, b); undefined if an atom does not fold to a rational. */
export function decide(condition: Condition, env: Readonly<Record<string, Expr>>): boolean | undefined {
  for (const at of condition) {
    const d = asRational(sub(substitute(at.lhs, env), substitute(at.rhs, env)));
    if (!d) return undefined;
    const s = d.sign();
    const ok = at.op === '<' ? s < 0 : at.op === '>' ? s > 0 : at.op === '=' ? s === 0 : at.op === '<=' ? s <= 0 : s >= 0;
    if (!ok) return false;
  }
  return true;
}

/** Drops atoms that are true at the given numbers (keeps symbolic ones). */
export function residualCondition(condition: Condition, env: Readonly<Record<string, Expr>>): Condition {
  return condition.filter((at) => decide([at], env) !== true);
}

export function conditionText(condition: Condition): string {
  if (!condition.length) return 'always';
  return condition.map((at) => `${toText(at.lhs)} ${at.op} ${toText(at.rhs)}`).join(' and ');
}

const OP_LATEX: Record<Relation, string> = { '<': '<', '>': '>', '=': '=', '<=': '\\le', '>=': '\\ge' };
export function conditionLatex(condition: Condition): string {
  if (!condition.length) return '\\text{always}';
  return condition.map((at) => `${toLatex(at.lhs)} ${OP_LATEX[at.op]} ${toLatex(at.rhs)}`).join(',\\ ');
}

const STRICTER: Partial<Record<string, Relation>> = { '<|<=': '<', '<=|<': '<', '>|>=': '>', '>=|>': '>' };

/** Conjunction; of two atoms on the same sides with < and <= (or > and >=) only the stricter is kept. */
export function and(...conds: Condition[]): Condition {
  const out: Atom[] = [];
  for (const c of conds) {
    for (const at of c) {
      const sides = `${toText(at.lhs)}|${toText(at.rhs)}`;
      const idx = out.findIndex((o) => `${toText(o.lhs)}|${toText(o.rhs)}` === sides);
      if (idx < 0) {
        out.push(at);
        continue;
      }
      const prev = out[idx];
      if (prev.op === at.op) continue;
      const strict = STRICTER[`${prev.op}|${at.op}`];
      if (strict) out[idx] = { ...prev, op: strict };
      else out.push(at);
    }
  }
  return out;
}

/** Numbers for (a, b) as exact rational expressions. */
export function rationalEnv(a: number, b: number): Record<string, Expr> {
  return { a: num(Rational.fromNumber(a, 'a')), b: num(Rational.fromNumber(b, 'b')) };
}

export { add, mul };

function atomDifference(at: Atom): string {
  return toText(simplifyExpr(sub(at.lhs, at.rhs)));
}

function compatible(x: Relation, y: Relation): boolean {
  const allows = (op: Relation): Set<number> =>
    new Set(op === '<' ? [-1] : op === '>' ? [1] : op === '=' ? [0] : op === '<=' ? [-1, 0] : [0, 1]);
  const ax = allows(x);
  return [...allows(y)].some((s) => ax.has(s));
}

/**
 * Removes cases whose condition is contradictory (a constant atom that is false,
 * or two atoms on the same difference with incompatible relations) and drops
 * constant atoms that are true.
 */
export function pruneCases<T extends Case>(cases: readonly T[]): T[] {
  const out: T[] = [];
  for (const c of cases) {
    const atoms: Atom[] = [];
    let ok = true;
    const seen = new Map<string, Relation[]>();
    for (const at of c.condition) {
      const d = simplifyExpr(sub(at.lhs, at.rhs));
      if (d.k === 'num') {
        if (decide([at], {}) === false) ok = false;
        continue;
      }
      const k = atomDifference(at);
      const kn = toText(simplifyExpr(neg(d)));
      const prev = [...(seen.get(k) ?? []), ...(seen.get(kn) ?? []).map((op) => FLIP[op])];
      if (prev.some((op) => !compatible(op, at.op))) ok = false;
      seen.set(k, [...(seen.get(k) ?? []), at.op]);
      atoms.push(at);
    }
    if (ok) out.push({ ...c, condition: atoms });
  }
  return out;
}

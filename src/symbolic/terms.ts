/**
 * Leading terms (STYLE 9, after SymPy's gruntz): quantity ~ coefficient *
 * variable^exponent under a condition on (a, b), or {unsupported: reason}.
 */
import { Rational } from './rational.js';
import { type Poly, simplifyRational, toRatFunc } from './poly.js';
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

// ---------- exact reasoning on linear conditions (Fourier-Motzkin) ----------

/** sum_v coef_v v + constant (> 0 if strict, >= 0 otherwise). */
interface Linear {
  readonly coef: ReadonlyMap<string, Rational>;
  readonly constant: Rational;
  readonly strict: boolean;
}

/** d = lhs - rhs as a polynomial (undefined if not a polynomial in the symbols). */
function atomPoly(at: Atom): Poly | undefined {
  const d = sub(at.lhs, at.rhs);
  const vars = [...symbolsOf(d)].sort();
  const rf = toRatFunc(d, vars);
  if (!rf || !rf.den.isConstant() || rf.den.isZero()) return undefined;
  const dc = rf.den.leading()![1];
  return rf.num.scale(Rational.ONE.div(dc));
}

function polyToLinear(p: Poly, strict: boolean): Linear | undefined {
  const coef = new Map<string, Rational>();
  let constant = Rational.ZERO;
  for (const [m, c] of p.monos()) {
    const deg = m.reduce((x, y) => x + y, 0);
    if (deg === 0) constant = constant.add(c);
    else if (deg === 1) coef.set(p.vars[m.indexOf(1)], c);
    else return undefined;
  }
  return { coef, constant, strict };
}

/** An atom as linear constraints (two for '='), or undefined if it is not linear. */
function atomLinear(at: Atom): Linear[] | undefined {
  const p = atomPoly(at);
  if (!p) return undefined;
  const pos = polyToLinear(p, at.op === '>' || at.op === '<');
  const negd = polyToLinear(p.neg(), at.op === '>' || at.op === '<');
  if (!pos || !negd) return undefined;
  switch (at.op) {
    case '>': case '>=': return [pos];
    case '<': case '<=': return [negd];
    case '=': return [{ ...pos, strict: false }, { ...negd, strict: false }];
  }
}

function negateLinear(l: Linear): Linear {
  const coef = new Map([...l.coef].map(([v, c]) => [v, c.neg()]));
  return { coef, constant: l.constant.neg(), strict: !l.strict };
}

/** Exact feasibility of a conjunction of linear constraints over the reals (Fourier-Motzkin). */
function linearFeasible(constraints: readonly Linear[]): boolean {
  let cs = constraints.filter((c) => [...c.coef.values()].some((x) => !x.isZero()) || !(c.constant.sign() > 0 || (!c.strict && c.constant.isZero())));
  for (;;) {
    for (const c of cs) {
      if ([...c.coef.values()].every((x) => x.isZero())) {
        const s = c.constant.sign();
        if (c.strict ? s <= 0 : s < 0) return false;
      }
    }
    const v = cs.flatMap((c) => [...c.coef].filter(([, x]) => !x.isZero()).map(([name]) => name))[0];
    if (v === undefined) return true;
    const lower: Linear[] = [];
    const upper: Linear[] = [];
    const rest: Linear[] = [];
    for (const c of cs) {
      const x = c.coef.get(v) ?? Rational.ZERO;
      if (x.sign() > 0) lower.push(c);
      else if (x.sign() < 0) upper.push(c);
      else rest.push(c);
    }
    for (const lo of lower) {
      for (const up of upper) {
        const wl = up.coef.get(v)!.neg();
        const wu = lo.coef.get(v)!;
        const coef = new Map<string, Rational>();
        for (const name of new Set([...lo.coef.keys(), ...up.coef.keys()])) {
          if (name === v) continue;
          coef.set(name, (lo.coef.get(name) ?? Rational.ZERO).mul(wl).add((up.coef.get(name) ?? Rational.ZERO).mul(wu)));
        }
        rest.push({ coef, constant: lo.constant.mul(wl).add(up.constant.mul(wu)), strict: lo.strict || up.strict });
      }
    }
    cs = rest;
  }
}

/** True if the linear constraints imply the atom (its negation is infeasible with them). */
function implies(given: readonly Linear[], target: readonly Linear[]): boolean {
  return target.every((t) => !linearFeasible([...given, negateLinear(t)]));
}

/**
 * A condition in its simplest consistent form, or false if no real (a, b)
 * satisfies it. Exact for linear atoms (Fourier-Motzkin): contradictions are
 * found and atoms implied by the others are dropped (relations between
 * variables first, then one-variable bounds implied by other one-variable
 * bounds, so that "b > 1" stays readable rather than being inferred).
 * Non-linear atoms are decided when they factor into linear factors whose
 * signs the linear atoms fix (e.g. (b - 1)^2 > 0 and (a - b - 1)(b - 1) > 0
 * under b > 1, a - 1 > b); otherwise they are kept.
 */
export function simplifyCondition(condition: Condition): Condition | false {
  const linear = condition.map((at) => ({ at, lin: atomLinear(at) }));
  const allLinear = linear.flatMap((x) => x.lin ?? []);
  if (!linearFeasible(allLinear)) return false;
  const linearPolys = linear.filter((x) => x.lin).map((x) => atomPoly(x.at)!.toExpr());
  const kept: Array<{ at: Atom; lin: Linear[] | undefined }> = [];
  for (const x of linear) {
    if (x.lin) {
      kept.push(x);
      continue;
    }
    const decided = decideByFactors(x.at, allLinear, linearPolys);
    if (decided === false) return false;
    if (decided !== true) kept.push(x);
  }
  const single = (x: { lin: Linear[] | undefined }): boolean => (x.lin ?? []).every((l) => [...l.coef.values()].filter((c) => !c.isZero()).length <= 1);
  for (const pass of [false, true]) {
    for (let i = kept.length - 1; i >= 0; i--) {
      const x = kept[i];
      if (!x.lin || single(x) !== pass) continue;
      const others = kept.filter((y, j) => j !== i && y.lin && (!pass || single(y))).flatMap((y) => y.lin!);
      if (implies(others, x.lin)) kept.splice(i, 1);
    }
  }
  return kept.map((x) => x.at);
}

/** Sign of a non-linear atom from its linear factors: true (implied), false (contradicted) or undefined. */
function decideByFactors(at: Atom, given: readonly Linear[], candidates: readonly Expr[]): boolean | undefined {
  const d = sub(at.lhs, at.rhs);
  const f = simplifyRational(d, candidates);
  if (!f) return undefined;
  let sign = 1;
  let zeroPossible = false;
  for (const factor of f.k === 'mul' ? f.factors : [f]) {
    if (factor.k === 'num') {
      sign *= factor.v.sign();
      continue;
    }
    const base = factor.k === 'pow' ? factor.base : factor;
    const k = factor.k === 'pow' ? asRational(factor.exp) : Rational.ONE;
    if (!k || !k.isInteger()) return undefined;
    const p = atomPoly({ lhs: base, op: '>', rhs: num(0) });
    const lin = p && polyToLinear(p, true);
    if (!lin) return undefined;
    const positive = implies(given, [lin]);
    const negative = implies(given, [negateLinear({ ...lin, strict: false })]);
    if (!positive && !negative) {
      if (k.num % 2n !== 0n) return undefined;
      // an even power of a factor of unknown sign: >= 0, and 0 where the factor can vanish
      if (linearFeasible([...given, { ...lin, strict: false }, { ...negateLinear(lin), strict: false }])) zeroPossible = true;
      continue;
    }
    if (negative && k.num % 2n !== 0n) sign = -sign;
  }
  const s = sign;
  switch (at.op) {
    case '>': return s > 0 && !zeroPossible ? true : s < 0 ? false : undefined;
    case '>=': return s > 0 ? true : s < 0 && !zeroPossible ? false : undefined;
    case '<': return s < 0 && !zeroPossible ? true : s > 0 ? false : undefined;
    case '<=': return s < 0 ? true : s > 0 && !zeroPossible ? false : undefined;
    case '=': return zeroPossible ? undefined : false;
  }
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
    if (!ok) continue;
    const simplified = simplifyCondition(atoms);
    if (simplified !== false) out.push({ ...c, condition: simplified });
  }
  return out;
}

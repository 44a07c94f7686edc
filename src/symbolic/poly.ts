/**
 * Multivariate polynomials and rational functions over exact rationals, for
 * simplifying exponents (rational functions of a, b). nerdamer-prime's simplify
 * was found to return a wrong answer here (((1-a)(a-1))/(a+ab-b-1) ->
 * (a-1)^-2/(a+ab-b-1)) and its multivariate gcd/factor return 1 / the input,
 * so cancellation is ours: common monomials and content, then trial division
 * by the sums that occur in the input (a - 1, b + 1, a - b, ...), which is
 * where every common factor of this layer's exponents comes from.
 */
import { Rational } from './rational.js';
import { add, type Expr, mul, num, pow, sym } from './expr.js';

type Mono = number[];

/**
 * A monomial's key: its exponents as UTF-16 code units (one per variable).
 * Cheaper than "e1,e2,..." strings: no split/parse in the inner product loop,
 * which dominated the cost of building the exponent table.
 */
function monoKey(m: readonly number[]): string {
  return String.fromCharCode(...m);
}
function keyMono(k: string): Mono {
  const m: number[] = new Array(k.length);
  for (let i = 0; i < k.length; i++) m[i] = k.charCodeAt(i);
  return m;
}

export class Poly {
  /** monomial key (exponents as char codes, see monoKey) over vars -> coefficient */
  constructor(readonly vars: readonly string[], readonly terms: ReadonlyMap<string, Rational>) {}

  static constant(vars: readonly string[], c: Rational): Poly {
    return new Poly(vars, c.isZero() ? new Map() : new Map([[monoKey(vars.map(() => 0)), c]]));
  }
  static variable(vars: readonly string[], name: string): Poly {
    return new Poly(vars, new Map([[monoKey(vars.map((v) => (v === name ? 1 : 0))), Rational.ONE]]));
  }
  isZero(): boolean { return this.terms.size === 0; }
  add(o: Poly): Poly {
    const m = new Map(this.terms);
    for (const [k, c] of o.terms) {
      const prev = m.get(k);
      const s = prev === undefined ? c : prev.add(c);
      if (s.isZero()) m.delete(k);
      else m.set(k, s);
    }
    return new Poly(this.vars, m);
  }
  scale(c: Rational): Poly {
    if (c.isZero()) return new Poly(this.vars, new Map());
    if (c.isOne()) return this;
    return new Poly(this.vars, new Map([...this.terms].map(([k, v]) => [k, v.mul(c)])));
  }
  neg(): Poly { return this.scale(Rational.of(-1)); }
  sub(o: Poly): Poly { return this.add(o.neg()); }
  mul(o: Poly): Poly {
    const out = new Map<string, Rational>();
    const n = this.vars.length;
    const sum: number[] = new Array(n);
    for (const [k1, c1] of this.terms) {
      for (const [k2, c2] of o.terms) {
        for (let i = 0; i < n; i++) sum[i] = k1.charCodeAt(i) + k2.charCodeAt(i);
        const k = monoKey(sum);
        const prev = out.get(k);
        const c = c1.mul(c2);
        const s = prev === undefined ? c : prev.add(c);
        if (s.isZero()) out.delete(k);
        else out.set(k, s);
      }
    }
    return new Poly(this.vars, out);
  }
  powInt(k: number): Poly {
    let out = Poly.constant(this.vars, Rational.ONE);
    for (let i = 0; i < k; i++) out = out.mul(this);
    return out;
  }
  monos(): Array<[Mono, Rational]> {
    return [...this.terms].map(([k, c]) => [keyMono(k), c] as [Mono, Rational]).sort((x, y) => lexCmp(y[0], x[0]));
  }
  leading(): [Mono, Rational] | undefined {
    let best: [Mono, Rational] | undefined;
    for (const [k, c] of this.terms) {
      const m = keyMono(k);
      if (!best || lexCmp(m, best[0]) > 0) best = [m, c];
    }
    return best;
  }
  degree(): number { return Math.max(0, ...this.monos().map(([m]) => m.reduce((s, e) => s + e, 0))); }
  isConstant(): boolean {
    if (this.terms.size === 0) return true;
    if (this.terms.size !== 1) return false;
    const [k] = this.terms.keys();
    for (let i = 0; i < k.length; i++) if (k.charCodeAt(i) !== 0) return false;
    return true;
  }
  evalAt(env: Readonly<Record<string, Rational>>): Rational {
    let s = Rational.ZERO;
    for (const [m, c] of this.monos()) {
      let t = c;
      m.forEach((e, i) => { if (e) t = t.mul(env[this.vars[i]].powInt(e)); });
      s = s.add(t);
    }
    return s;
  }
  /** Exact quotient this / d, or undefined if d does not divide (lex-order division). */
  divExact(d: Poly): Poly | undefined {
    const dl = d.leading();
    if (!dl) return undefined;
    let r: Poly = this;
    let q = new Poly(this.vars, new Map());
    for (let guard = 0; guard < 500 && !r.isZero(); guard++) {
      const [rm, rc] = r.leading()!;
      if (!rm.every((e, i) => e >= dl[0][i])) return undefined;
      const tm = rm.map((e, i) => e - dl[0][i]);
      const t = new Poly(this.vars, new Map([[monoKey(tm), rc.div(dl[1])]]));
      q = q.add(t);
      r = r.sub(t.mul(d));
    }
    return r.isZero() ? q : undefined;
  }
  toExpr(): Expr {
    const terms = this.monos().map(([m, c]) => mul(num(c), ...m.map((e, i) => pow(sym(this.vars[i]), num(e)))));
    return terms.length ? add(...terms) : num(0);
  }
}

function lexCmp(x: Mono, y: Mono): number {
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}

export interface RatFunc { num: Poly; den: Poly }

/** Expr -> rational function, or undefined if e has non-integer powers or functions. */
export function toRatFunc(e: Expr, vars: readonly string[]): RatFunc | undefined {
  const one = Poly.constant(vars, Rational.ONE);
  switch (e.k) {
    case 'num': return { num: Poly.constant(vars, e.v), den: one };
    case 'sym': return { num: Poly.variable(vars, e.name), den: one };
    case 'add': {
      let acc: RatFunc = { num: Poly.constant(vars, Rational.ZERO), den: one };
      for (const t of e.terms) {
        const r = toRatFunc(t, vars);
        if (!r) return undefined;
        acc = { num: acc.num.mul(r.den).add(r.num.mul(acc.den)), den: acc.den.mul(r.den) };
      }
      return acc;
    }
    case 'mul': {
      let acc: RatFunc = { num: one, den: one };
      for (const f of e.factors) {
        const r = toRatFunc(f, vars);
        if (!r) return undefined;
        acc = { num: acc.num.mul(r.num), den: acc.den.mul(r.den) };
      }
      return acc;
    }
    case 'pow': {
      if (e.exp.k !== 'num' || !e.exp.v.isInteger()) return undefined;
      const k = Number(e.exp.v.num);
      if (Math.abs(k) > 12) return undefined;
      const r = toRatFunc(e.base, vars);
      if (!r) return undefined;
      return k >= 0 ? { num: r.num.powInt(k), den: r.den.powInt(k) } : { num: r.den.powInt(-k), den: r.num.powInt(-k) };
    }
    default: return undefined;
  }
}

/** Sums occurring in e (candidate factors for cancellation). */
function candidateSums(e: Expr, out: Expr[] = []): Expr[] {
  switch (e.k) {
    case 'add': out.push(e); e.terms.forEach((t) => candidateSums(t, out)); break;
    case 'mul': e.factors.forEach((t) => candidateSums(t, out)); break;
    case 'pow': candidateSums(e.base, out); candidateSums(e.exp, out); break;
    case 'fn': candidateSums(e.arg, out); break;
    default: break;
  }
  return out;
}

/**
 * Canonical simplified form of a rational function in the symbols of e, with
 * numerator and denominator shown as products of the candidate factors found.
 * Returns undefined if e is not a rational function.
 */
export function simplifyRational(e: Expr, extraCandidates: readonly Expr[] = []): Expr | undefined {
  const vars = [...collectSymbols(e)].sort();
  const rf = toRatFunc(e, vars);
  if (!rf || rf.den.isZero()) return undefined;
  if (rf.num.isZero()) return num(0);
  const cands: Poly[] = [];
  const addCand = (p: Poly): void => {
    if (p.isConstant()) return;
    const [, lc] = p.leading()!;
    const n = p.scale(Rational.ONE.div(lc));
    if (!cands.some((c) => c.sub(n).isZero())) cands.push(n);
  };
  for (const v of vars) addCand(Poly.variable(vars, v));
  for (const s of [...extraCandidates, ...candidateSums(e)]) {
    const r = toRatFunc(s, vars);
    if (r && r.den.isConstant()) addCand(r.num);
  }
  // Try sums of pairs of leaves too (e.g. b + 1 from (a-1)/b + (a-1)).
  const factorOut = (p: Poly): { factors: Array<[Poly, number]>; rest: Poly } => {
    const factors: Array<[Poly, number]> = [];
    let rest = p;
    for (const c of cands) {
      let k = 0;
      for (let q = rest.divExact(c); q && !rest.isConstant(); q = rest.divExact(c)) {
        rest = q;
        k++;
      }
      if (k) factors.push([c, k]);
    }
    return { factors, rest };
  };
  let nf = factorOut(rf.num);
  let df = factorOut(rf.den);
  // Leftover non-constant parts: try them as candidates against each other.
  if (!df.rest.isConstant()) {
    addCand(df.rest);
    nf = factorOut(rf.num);
    df = factorOut(rf.den);
  }
  if (!nf.rest.isConstant()) {
    addCand(nf.rest);
    nf = factorOut(rf.num);
    df = factorOut(rf.den);
  }
  // cancel
  const count = new Map<number, number>();
  nf.factors.forEach(([c, k]) => count.set(cands.indexOf(c), k));
  df.factors.forEach(([c, k]) => count.set(cands.indexOf(c), (count.get(cands.indexOf(c)) ?? 0) - k));
  const restN = nf.rest;
  const restD = df.rest;
  // constant content of the rests
  const lcN = restN.leading()?.[1] ?? Rational.ONE;
  const lcD = restD.leading()?.[1] ?? Rational.ONE;
  let coeff = lcN.div(lcD);
  // Display sign: a factor with more negative than positive coefficients is flipped
  // (b + 1 - a rather than -(a - b - 1)); odd powers move the sign into the coefficient.
  const oriented = (p: Poly, k: number): Poly => {
    const signs = p.monos().map(([, c]) => c.sign());
    if (signs.filter((x) => x < 0).length <= signs.filter((x) => x > 0).length) return p;
    if (k % 2 !== 0) coeff = coeff.neg();
    return p.neg();
  };
  const pieces: Expr[] = [];
  if (!restN.isConstant()) pieces.push(oriented(restN.scale(Rational.ONE.div(lcN)), 1).toExpr());
  if (!restD.isConstant()) pieces.push(pow(oriented(restD.scale(Rational.ONE.div(lcD)), 1).toExpr(), num(-1)));
  for (const [i, k] of count) if (k !== 0) pieces.push(pow(oriented(cands[i], k).toExpr(), num(k)));
  return mul(num(coeff), ...pieces);
}

function collectSymbols(e: Expr, out: Set<string> = new Set()): Set<string> {
  switch (e.k) {
    case 'sym': out.add(e.name); break;
    case 'add': e.terms.forEach((t) => collectSymbols(t, out)); break;
    case 'mul': e.factors.forEach((t) => collectSymbols(t, out)); break;
    case 'pow': collectSymbols(e.base, out); collectSymbols(e.exp, out); break;
    case 'fn': collectSymbols(e.arg, out); break;
    default: break;
  }
  return out;
}

/** Exact equality of two rational functions (cross-multiplication). */
export function ratFuncEqual(x: Expr, y: Expr): boolean | undefined {
  const vars = [...collectSymbols(add(x, y))].sort();
  const rx = toRatFunc(x, vars);
  const ry = toRatFunc(y, vars);
  if (!rx || !ry) return undefined;
  return rx.num.mul(ry.den).sub(ry.num.mul(rx.den)).isZero();
}


/**
 * A small expression tree for exponents and prefactors of asymptotic laws.
 *
 * Why our own: nerdamer-prime is reliable for rational-function and power
 * algebra but mangles Gamma (gamma(x)*x -> gamma*x^2) and prints wrong LaTeX
 * ((x/y)^a as x^a/y); mathjs prints b, m, t, N, C as units (docs/dependencies.md).
 * So prefactors containing Gamma, zeta, sin and pi live here, with
 * constant folding, like-term and like-base collection and the Gamma shift
 * rule Gamma(y+k)/Gamma(y) = y (y+1)...(y+k-1); Gamma-free subtrees are
 * simplified by nerdamer-prime (simplifyExpr) and parsed back.
 *
 * Every base raised to a symbolic power is positive in this layer (sizes,
 * times, spectral constants), so (x y)^e = x^e y^e and (x^e)^f = x^(e f) hold.
 */
import { nerdamer } from './cas.js';
import { InvalidArgumentError } from '../core/errors.js';
import { MAX_EXACT_BITS, Rational } from './rational.js';
import { gamma as gammaFn, zeta as zetaFn } from './special.js';
// Import cycle by design: poly.ts builds Exprs, simplifyExpr calls poly.ts at run time only.
import { ratFuncEqual, simplifyRational } from './poly.js';

export type FnName = 'gamma' | 'zeta' | 'sin' | 'log';

export type Expr =
  | { readonly k: 'num'; readonly v: Rational }
  | { readonly k: 'sym'; readonly name: string }
  | { readonly k: 'pi' }
  | { readonly k: 'add'; readonly terms: readonly Expr[] }
  | { readonly k: 'mul'; readonly factors: readonly Expr[] }
  | { readonly k: 'pow'; readonly base: Expr; readonly exp: Expr }
  | { readonly k: 'fn'; readonly name: FnName; readonly arg: Expr };

export const ZERO: Expr = { k: 'num', v: Rational.ZERO };
export const ONE: Expr = { k: 'num', v: Rational.ONE };
export const PI: Expr = { k: 'pi' };

export function num(v: Rational | number, den?: number): Expr {
  if (v instanceof Rational) return { k: 'num', v };
  if (den !== undefined) return { k: 'num', v: Rational.of(v, den) };
  return { k: 'num', v: Number.isInteger(v) ? Rational.of(v) : Rational.fromNumber(v) };
}
export function sym(name: string): Expr {
  return { k: 'sym', name };
}

/** Canonical text key (structural equality). */
export function key(e: Expr): string {
  switch (e.k) {
    case 'num': return e.v.toString();
    case 'sym': return e.name;
    case 'pi': return 'pi';
    case 'add': return `(${e.terms.map(key).join('+')})`;
    case 'mul': return `(${e.factors.map(key).join('*')})`;
    case 'pow': return `(${key(e.base)})^(${key(e.exp)})`;
    case 'fn': return `${e.name}(${key(e.arg)})`;
  }
}

export function asRational(e: Expr): Rational | undefined {
  return e.k === 'num' ? e.v : undefined;
}

/** Splits a term into (rational coefficient, rest). */
function splitCoeff(e: Expr): [Rational, Expr] {
  if (e.k === 'num') return [e.v, ONE];
  if (e.k === 'mul' && e.factors[0]?.k === 'num') {
    const rest = e.factors.slice(1);
    return [e.factors[0].v, rest.length === 1 ? rest[0] : { k: 'mul', factors: rest }];
  }
  return [Rational.ONE, e];
}

export function add(...input: Expr[]): Expr {
  const flat: Expr[] = [];
  for (const t of input) {
    if (t.k === 'add') flat.push(...t.terms);
    else flat.push(t);
  }
  let constant = Rational.ZERO;
  const order: string[] = [];
  const groups = new Map<string, { coeff: Rational; rest: Expr }>();
  for (const t of flat) {
    const [c, rest] = splitCoeff(t);
    if (rest.k === 'num') {
      constant = constant.add(c.mul(rest.v));
      continue;
    }
    const kk = key(rest);
    const g = groups.get(kk);
    if (g) g.coeff = g.coeff.add(c);
    else {
      groups.set(kk, { coeff: c, rest });
      order.push(kk);
    }
  }
  const terms: Expr[] = [];
  for (const kk of order) {
    const g = groups.get(kk)!;
    if (g.coeff.isZero()) continue;
    terms.push(g.coeff.isOne() ? g.rest : mulRaw([num(g.coeff), g.rest]));
  }
  if (!constant.isZero()) terms.push(num(constant));
  if (terms.length === 0) return ZERO;
  if (terms.length === 1) return terms[0];
  return { k: 'add', terms };
}

function mulRaw(factors: Expr[]): Expr {
  // coefficient first, rest flattened (used for already-normal parts)
  const out: Expr[] = [];
  for (const f of factors) {
    if (f.k === 'mul') out.push(...f.factors);
    else out.push(f);
  }
  return { k: 'mul', factors: out };
}

export function mul(...input: Expr[]): Expr {
  const flat: Expr[] = [];
  for (const f of input) {
    if (f.k === 'mul') flat.push(...f.factors);
    else flat.push(f);
  }
  let coeff = Rational.ONE;
  const order: string[] = [];
  const groups = new Map<string, { base: Expr; exp: Expr }>();
  for (const f of flat) {
    if (f.k === 'num') {
      coeff = coeff.mul(f.v);
      continue;
    }
    const base = f.k === 'pow' ? f.base : f;
    const exp = f.k === 'pow' ? f.exp : ONE;
    const kk = key(base);
    const g = groups.get(kk);
    if (g) g.exp = add(g.exp, exp);
    else {
      groups.set(kk, { base, exp });
      order.push(kk);
    }
  }
  if (coeff.isZero()) return ZERO;
  let factors: Expr[] = [];
  for (const kk of order) {
    const g = groups.get(kk)!;
    const p = pow(g.base, g.exp);
    if (p.k === 'num') coeff = coeff.mul(p.v);
    else if (p.k === 'mul') {
      for (const q of p.factors) {
        if (q.k === 'num') coeff = coeff.mul(q.v);
        else factors.push(q);
      }
    } else factors.push(p);
  }
  // THEORY-independent identity: Gamma(y+k)/Gamma(y) = y(y+1)...(y+k-1) for integer k.
  const shifted = applyGammaShift(factors);
  if (shifted) return mul(num(coeff), ...shifted);
  if (factors.length === 0) return num(coeff);
  // -(x - 1) -> 1 - x: distribute a rational coefficient over a single sum.
  if (factors.length === 1 && factors[0].k === 'add' && !coeff.isOne()) {
    return add(...factors[0].terms.map((t) => mul(num(coeff), t)));
  }
  if (!coeff.isOne()) factors = [num(coeff), ...factors];
  if (factors.length === 1) return factors[0];
  return { k: 'mul', factors };
}

function applyGammaShift(factors: Expr[]): Expr[] | undefined {
  for (let i = 0; i < factors.length; i++) {
    const fi = factors[i];
    if (!(fi.k === 'fn' && fi.name === 'gamma')) continue;
    for (let j = 0; j < factors.length; j++) {
      const fj = factors[j];
      if (!(fj.k === 'pow' && fj.base.k === 'fn' && fj.base.name === 'gamma')) continue;
      const e = asRational(fj.exp);
      if (!e || !e.equals(Rational.of(-1))) continue;
      const diff = add(fi.arg, mul(num(-1), fj.base.arg));
      const d = asRational(diff);
      if (!d || !d.isInteger() || d.num > 8n || d.num < -8n) continue;
      const k = Number(d.num);
      const y = fj.base.arg;
      const prod: Expr[] = [];
      if (k >= 0) for (let m = 0; m < k; m++) prod.push(add(y, num(m)));
      else for (let m = 1; m <= -k; m++) prod.push(pow(add(y, num(-m)), num(-1)));
      const rest = factors.filter((_, idx) => idx !== i && idx !== j);
      return [...rest, ...prod];
    }
  }
  return undefined;
}

export function neg(e: Expr): Expr {
  return mul(num(-1), e);
}
export function sub(x: Expr, y: Expr): Expr {
  return add(x, neg(y));
}
export function div(x: Expr, y: Expr): Expr {
  return mul(x, pow(y, num(-1)));
}

export function pow(base: Expr, exp: Expr): Expr {
  const e = asRational(exp);
  if (e?.isZero()) return ONE;
  if (e?.isOne()) return base;
  if (base.k === 'num') {
    if (base.v.isOne()) return ONE;
    if (base.v.isZero()) return ZERO;
    // fold an integer power only while the exact result stays small; otherwise keep x^k unevaluated (still exact)
    if (e?.isInteger() && Math.abs(Number(e.num)) * Math.max(1, base.v.bits() - 2) <= MAX_EXACT_BITS / 4) {
      return num(base.v.powInt(Number(e.num)));
    }
    return { k: 'pow', base, exp };
  }
  if (base.k === 'pow') return pow(base.base, mul(base.exp, exp));
  if (base.k === 'mul') return mul(...base.factors.map((f) => pow(f, exp)));
  return { k: 'pow', base, exp };
}

export function fn(name: FnName, arg: Expr): Expr {
  const r = asRational(arg);
  if (name === 'gamma' && r?.isInteger() && r.num >= 1n && r.num <= 20n) {
    let f = 1n;
    for (let i = 2n; i < r.num; i++) f *= i;
    return num(new Rational(f));
  }
  if (name === 'log' && r?.isOne()) return ZERO;
  return { k: 'fn', name, arg };
}
export const gammaE = (x: Expr): Expr => fn('gamma', x);
export const zetaE = (x: Expr): Expr => fn('zeta', x);

export function symbols(e: Expr, out: Set<string> = new Set()): Set<string> {
  switch (e.k) {
    case 'sym': out.add(e.name); break;
    case 'add': e.terms.forEach((t) => symbols(t, out)); break;
    case 'mul': e.factors.forEach((t) => symbols(t, out)); break;
    case 'pow': symbols(e.base, out); symbols(e.exp, out); break;
    case 'fn': symbols(e.arg, out); break;
    default: break;
  }
  return out;
}

export function hasTranscendental(e: Expr): boolean {
  switch (e.k) {
    case 'fn': case 'pi': return true;
    case 'add': return e.terms.some(hasTranscendental);
    case 'mul': return e.factors.some(hasTranscendental);
    case 'pow': return hasTranscendental(e.base) || hasTranscendental(e.exp);
    default: return false;
  }
}

/** Rebuilds e with symbols replaced (folds to exact rationals where it can). */
export function substitute(e: Expr, env: Readonly<Record<string, Expr>>): Expr {
  switch (e.k) {
    case 'num': case 'pi': return e;
    case 'sym': return env[e.name] ?? e;
    case 'add': return add(...e.terms.map((t) => substitute(t, env)));
    case 'mul': return mul(...e.factors.map((t) => substitute(t, env)));
    case 'pow': return pow(substitute(e.base, env), substitute(e.exp, env));
    case 'fn': return fn(e.name, substitute(e.arg, env));
  }
}

/** Numeric value; every symbol must be in env. */
export function evaluate(e: Expr, env: Readonly<Record<string, number>> = {}): number {
  switch (e.k) {
    case 'num': return e.v.toNumber();
    case 'pi': return Math.PI;
    case 'sym': {
      const v = env[e.name];
      if (v === undefined) throw new InvalidArgumentError('env', `has no value for symbol ${e.name}`, Object.keys(env));
      return v;
    }
    case 'add': return e.terms.reduce((s, t) => s + evaluate(t, env), 0);
    case 'mul': return e.factors.reduce((s, t) => s * evaluate(t, env), 1);
    case 'pow': return Math.pow(evaluate(e.base, env), evaluate(e.exp, env));
    case 'fn': {
      const x = evaluate(e.arg, env);
      switch (e.name) {
        case 'gamma': return gammaFn(x);
        case 'zeta': return x > 1 ? zetaFn(x) : Number.NaN;
        case 'sin': return Math.sin(x);
        case 'log': return Math.log(x);
      }
    }
  }
}

// ---------- nerdamer bridge (Gamma-free expressions only) ----------

export function toNerdamer(e: Expr): string {
  switch (e.k) {
    case 'num': return e.v.isInteger() ? `(${e.v.toString()})` : `(${e.v.num})/(${e.v.den})`;
    case 'sym': return e.name;
    case 'pi': return 'pi';
    case 'add': return `(${e.terms.map(toNerdamer).join('+')})`;
    case 'mul': return `(${e.factors.map(toNerdamer).join('*')})`;
    case 'pow': return `(${toNerdamer(e.base)})^(${toNerdamer(e.exp)})`;
    case 'fn':
      if (e.name === 'log') return `log(${toNerdamer(e.arg)})`;
      throw new InvalidArgumentError('e', `contains ${e.name}(), which nerdamer-prime mishandles (docs/dependencies.md)`, key(e));
  }
}

/** Parses nerdamer-prime's text output (+ - * / ^, parentheses, sqrt). */
export function parseExpr(text: string): Expr {
  const tokens = text.match(/\d+(?:\.\d+)?|[A-Za-z_][A-Za-z_0-9]*|[-+*/^(),]/g) ?? [];
  let pos = 0;
  const peek = (): string | undefined => tokens[pos];
  const next = (): string => {
    const t = tokens[pos++];
    if (t === undefined) throw new InvalidArgumentError('text', 'ended unexpectedly', text);
    return t;
  };
  const parseSum = (): Expr => {
    let left = parseProduct();
    while (peek() === '+' || peek() === '-') {
      const op = next();
      const right = parseProduct();
      left = op === '+' ? add(left, right) : sub(left, right);
    }
    return left;
  };
  const parseProduct = (): Expr => {
    let left = parseUnary();
    while (peek() === '*' || peek() === '/') {
      const op = next();
      const right = parseUnary();
      left = op === '*' ? mul(left, right) : div(left, right);
    }
    return left;
  };
  const parseUnary = (): Expr => {
    if (peek() === '-') {
      next();
      return neg(parseUnary());
    }
    if (peek() === '+') {
      next();
      return parseUnary();
    }
    return parsePower();
  };
  const parsePower = (): Expr => {
    const base = parseAtom();
    if (peek() === '^') {
      next();
      return pow(base, parseUnary());
    }
    return base;
  };
  const parseAtom = (): Expr => {
    const t = next();
    if (t === '(') {
      const e = parseSum();
      if (next() !== ')') throw new InvalidArgumentError('text', 'has unbalanced parentheses', text);
      return e;
    }
    if (/^\d/.test(t)) return num(Rational.parse(t));
    if (peek() === '(' && /^[A-Za-z]/.test(t)) {
      next();
      const arg = parseSum();
      if (next() !== ')') throw new InvalidArgumentError('text', 'has unbalanced parentheses', text);
      if (t === 'sqrt') return pow(arg, num(1, 2));
      if (t === 'log') return fn('log', arg);
      throw new InvalidArgumentError('text', `uses unsupported function ${t}`, text);
    }
    if (t === 'pi') return PI;
    return sym(t);
  };
  const e = parseSum();
  if (pos !== tokens.length) throw new InvalidArgumentError('text', 'has trailing tokens', text);
  return e;
}

/**
 * Simplifies: rational-function subtrees by our exact polynomial arithmetic
 * (poly.ts; nerdamer-prime's simplify returned a wrong answer on
 * ((1-a)(a-1))/(a+ab-b-1), so it is not used to produce results), the rest
 * structurally (like terms, like bases, the Gamma shift rule).
 */
export function simplifyExpr(e: Expr): Expr {
  if (e.k === 'num' || e.k === 'sym' || e.k === 'pi') return e;
  // Pure function of the expression: remember results by structural key (the
  // laws simplify the same exponents many times; bounded so it cannot grow without limit).
  const k = key(e);
  const hit = SIMPLIFIED.get(k);
  if (hit) return hit;
  const out = simplifyUncached(e);
  if (SIMPLIFIED.size >= SIMPLIFIED_MAX) SIMPLIFIED.clear();
  SIMPLIFIED.set(k, out);
  return out;
}

const SIMPLIFIED = new Map<string, Expr>();
const SIMPLIFIED_MAX = 20000;

function simplifyUncached(e: Expr): Expr {
  if (e.k === 'num' || e.k === 'sym' || e.k === 'pi') return e;
  if (!hasTranscendental(e)) {
    const r = simplifyRational(e);
    // belt and braces: the simplified form must equal the input exactly
    if (r && ratFuncEqual(r, e) === true) return r;
  }
  switch (e.k) {
    case 'add': return add(...e.terms.map(simplifyExpr));
    case 'mul': return mul(...e.factors.map(simplifyExpr));
    case 'pow': return pow(simplifyExpr(e.base), simplifyExpr(e.exp));
    case 'fn': return fn(e.name, simplifyExpr(e.arg));
  }
}


/**
 * Exact identity test for Gamma-free expressions: nerdamer expands x - y and,
 * independently, x - y is evaluated at random rational points with exact
 * arithmetic (nerdamer's rational substitution). Returns true only if both say 0.
 */
export function casEqual(x: Expr, y: Expr, points = 3, seed = 12345): boolean {
  const diff = `(${toNerdamer(x)})-(${toNerdamer(y)})`;
  let symbolic = false;
  try {
    symbolic = nerdamer()(`simplify(${diff})`).toString() === '0';
  } catch {
    symbolic = false;
  }
  if (!symbolic) return false;
  const names = [...symbols(x), ...symbols(y)];
  let state = seed >>> 0;
  const rand = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state;
  };
  for (let i = 0; i < points; i++) {
    const env: Record<string, string> = {};
    // random rationals in (1, 5): positive, as every symbol in this layer is
    for (const n of names) env[n] = `${(rand() % 400) + 101}/${(rand() % 97) + 100}`;
    const value = nerdamer()(diff, env).toString();
    if (value !== '0') return false;
  }
  return true;
}

// ---------- LaTeX printer ----------

/** Positive terms first (symbols before numbers), then negative ones: 1 - 1/b, a - 1. */
function orderTerms(terms: readonly Expr[]): Expr[] {
  const pos = terms.filter((t) => !isNegativeTerm(t));
  const negs = terms.filter((t) => isNegativeTerm(t));
  const symFirst = (xs: Expr[]): Expr[] => [...xs.filter((t) => t.k !== 'num'), ...xs.filter((t) => t.k === 'num')];
  return [...symFirst(pos), ...symFirst(negs)];
}


const SYMBOL_LATEX: Record<string, string> = {
  kappa: '\\kappa', alpha: '\\alpha', beta: '\\beta', alpha_c: '\\alpha_c', sigma: '\\sigma',
  c_t: 'c_t', c_N: 'c_N', c_x: 'c_\\times', r_t: 'r_t', r_N: 'r_N', lambda: '\\lambda',
};

function symLatex(name: string): string {
  if (SYMBOL_LATEX[name]) return SYMBOL_LATEX[name];
  const m = /^([A-Za-z]+)_([A-Za-z0-9]+)$/.exec(name);
  if (m) return `${m[1]}_{${m[2]}}`;
  return name;
}

/** Negative rational coefficient of a term (for printing a - b). */
function isNegativeTerm(e: Expr): boolean {
  const [c] = splitCoeff(e);
  return c.sign() < 0;
}

function isNegativeExponent(e: Expr): boolean {
  const [c] = splitCoeff(e);
  return c.sign() < 0;
}

export function toLatex(e: Expr): string {
  switch (e.k) {
    case 'num': {
      const v = e.v;
      if (v.isInteger()) return v.toString();
      const s = v.sign() < 0 ? '-' : '';
      const n = v.num < 0n ? -v.num : v.num;
      return `${s}\\frac{${n}}{${v.den}}`;
    }
    case 'sym': return symLatex(e.name);
    case 'pi': return '\\pi';
    case 'add': {
      const ordered = orderTerms(e.terms);
      let out = toLatex(ordered[0]);
      for (const t of ordered.slice(1)) {
        if (isNegativeTerm(t)) out += ` - ${toLatex(neg(t))}`;
        else out += ` + ${toLatex(t)}`;
      }
      return out;
    }
    case 'mul': case 'pow': return productLatex(e);
    case 'fn': {
      const name = e.name === 'gamma' ? '\\Gamma' : e.name === 'zeta' ? '\\zeta' : e.name === 'sin' ? '\\sin' : '\\log';
      return `${name}\\left(${toLatex(e.arg)}\\right)`;
    }
  }
}

function factorLatex(f: Expr): string {
  if (f.k === 'add') return `\\left(${toLatex(f)}\\right)`;
  if (f.k === 'pow') {
    const b = f.base;
    const base = b.k === 'add' || b.k === 'mul' || b.k === 'pow' || (b.k === 'num' && !b.v.isInteger()) || (b.k === 'num' && b.v.sign() < 0)
      ? `\\left(${toLatex(b)}\\right)`
      : b.k === 'fn' ? `\\left[${toLatex(b)}\\right]` : toLatex(b);
    return `${base}^{${toLatex(f.exp)}}`;
  }
  return toLatex(f);
}

function productLatex(e: Expr): string {
  const factors = e.k === 'mul' ? e.factors : [e];
  let coeff = Rational.ONE;
  const numer: Expr[] = [];
  const denom: Expr[] = [];
  for (const f of factors) {
    if (f.k === 'num') coeff = coeff.mul(f.v);
    else if (f.k === 'pow' && isNegativeExponent(f.exp)) denom.push(pow(f.base, neg(f.exp)));
    else numer.push(f);
  }
  const sign = coeff.sign() < 0 ? '-' : '';
  const cn = coeff.num < 0n ? -coeff.num : coeff.num;
  const numParts = (cn !== 1n ? [cn.toString()] : []).concat(numer.map(factorLatex));
  const denParts = (coeff.den !== 1n ? [coeff.den.toString()] : []).concat(denom.map(factorLatex));
  const lone = (parts: string[], fs: Expr[], c: bigint): string =>
    parts.length === 1 && fs.length === 1 && c === 1n && fs[0].k === 'add' ? toLatex(fs[0]) : parts.join(' \\, ');
  if (!denParts.length) return sign + (numParts.length ? numParts.join(' \\, ') : '1');
  const top = numParts.length ? lone(numParts, numer, cn) : '1';
  return `${sign}\\frac{${top}}{${lone(denParts, denom, coeff.den)}}`;
}

/** Plain-text rendering (for JSON and terminals). */
export function toText(e: Expr): string {
  switch (e.k) {
    case 'num': return e.v.toString();
    case 'sym': return e.name;
    case 'pi': return 'pi';
    case 'add': {
      const ordered = orderTerms(e.terms);
      let out = toText(ordered[0]);
      for (const t of ordered.slice(1)) out += isNegativeTerm(t) ? ` - ${toText(neg(t))}` : ` + ${toText(t)}`;
      return out;
    }
    case 'mul': case 'pow': {
      const factors = e.k === 'mul' ? e.factors : [e];
      let coeff = Rational.ONE;
      const numer: string[] = [];
      const denom: string[] = [];
      const wrap = (f: Expr): string => {
        if (f.k === 'add' || f.k === 'mul') return `(${toText(f)})`;
        if (f.k === 'num' && !f.v.isInteger()) return `(${toText(f)})`;
        if (f.k === 'pow') {
          const b = f.base.k === 'sym' || f.base.k === 'fn' || f.base.k === 'pi' || (f.base.k === 'num' && f.base.v.isInteger() && f.base.v.sign() > 0) ? toText(f.base) : `(${toText(f.base)})`;
          const x = f.exp.k === 'sym' || (f.exp.k === 'num' && f.exp.v.isInteger() && f.exp.v.sign() > 0) ? toText(f.exp) : `(${toText(f.exp)})`;
          return `${b}^${x}`;
        }
        return toText(f);
      };
      for (const f of factors) {
        if (f.k === 'num') coeff = coeff.mul(f.v);
        else if (f.k === 'pow' && isNegativeExponent(f.exp)) denom.push(wrap(pow(f.base, neg(f.exp))));
        else numer.push(wrap(f));
      }
      const sign = coeff.sign() < 0 ? '-' : '';
      const cn = coeff.num < 0n ? -coeff.num : coeff.num;
      const topParts = [...(cn !== 1n ? [cn.toString()] : []), ...numer];
      const top = topParts.length ? topParts.join(' ') : '1';
      const den = [...(coeff.den !== 1n ? [coeff.den.toString()] : []), ...denom];
      if (!den.length) return sign + top;
      const topW = numer.length + (cn !== 1n ? 1 : 0) > 1 ? `(${top})` : top;
      return `${sign}${topW}/${den.length > 1 ? `(${den.join(' ')})` : den[0]}`;
    }
    case 'fn': return `${e.name === 'gamma' ? 'Gamma' : e.name}(${toText(e.arg)})`;
  }
}

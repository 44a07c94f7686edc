/**
 * Exact, compact serialisation of expressions, conditions and cases, for the
 * generated law cache (generated/laws.ts): the symbolic derivation of every
 * law is done once by the engine, written as data, and checked against a fresh
 * derivation by test/symbolic/law-cache.test.ts, so a CLI call only selects and
 * folds (THEORY sections 6-8). Numbers stay exact ("p/q").
 */
import { InvalidArgumentError } from '../core/errors.js';
import type { Expr, FnName } from './expr.js';
import { Rational } from './rational.js';
import type { Atom, Case, Relation } from './terms.js';

export type SerialExpr = readonly unknown[];

export function exprToData(e: Expr): SerialExpr {
  switch (e.k) {
    case 'num': return ['n', e.v.toString()];
    case 'sym': return ['s', e.name];
    case 'pi': return ['pi'];
    case 'add': return ['+', ...e.terms.map(exprToData)];
    case 'mul': return ['*', ...e.factors.map(exprToData)];
    case 'pow': return ['^', exprToData(e.base), exprToData(e.exp)];
    case 'fn': return ['f', e.name, exprToData(e.arg)];
  }
}

/** The same tree back (raw nodes, no re-simplification: the cached form is the derived form). */
export function exprFromData(d: SerialExpr): Expr {
  const tag = d[0];
  switch (tag) {
    case 'n': return { k: 'num', v: Rational.parse(d[1] as string) };
    case 's': return { k: 'sym', name: d[1] as string };
    case 'pi': return { k: 'pi' };
    case '+': return { k: 'add', terms: (d.slice(1) as SerialExpr[]).map(exprFromData) };
    case '*': return { k: 'mul', factors: (d.slice(1) as SerialExpr[]).map(exprFromData) };
    case '^': return { k: 'pow', base: exprFromData(d[1] as SerialExpr), exp: exprFromData(d[2] as SerialExpr) };
    case 'f': return { k: 'fn', name: d[1] as FnName, arg: exprFromData(d[2] as SerialExpr) };
    default: throw new InvalidArgumentError('data', 'is not a serialised expression', tag);
  }
}

export interface SerialCase {
  readonly v: string;
  readonly c: ReadonlyArray<readonly [SerialExpr, Relation, SerialExpr]>;
  readonly u?: string;
  readonly coef?: SerialExpr;
  readonly exp?: SerialExpr;
  readonly m?: string;
  readonly cu?: string;
}

export function caseToData(c: Case): SerialCase {
  const condition = c.condition.map((at) => [exprToData(at.lhs), at.op, exprToData(at.rhs)] as const);
  if ('unsupported' in c) return { v: c.variable, c: condition, u: c.unsupported };
  return {
    v: c.variable, c: condition, coef: exprToData(c.coefficient), exp: exprToData(c.exponent), m: c.mechanism,
    ...(c.coefficientUnsupported ? { cu: c.coefficientUnsupported } : {}),
  };
}

export function caseFromData(d: SerialCase): Case {
  const condition: Atom[] = d.c.map(([l, op, r]) => ({ lhs: exprFromData(l), op, rhs: exprFromData(r) }));
  if (d.u !== undefined) return { unsupported: d.u, variable: d.v, condition };
  return {
    coefficient: exprFromData(d.coef!), exponent: exprFromData(d.exp!), variable: d.v, condition, mechanism: d.m ?? '',
    ...(d.cu ? { coefficientUnsupported: d.cu } : {}),
  };
}

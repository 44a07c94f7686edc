// THEORY (E20), (E21): compute-optimal exponents against brute-force minimisation, and the cross term.
import { describe, expect, it } from 'vitest';
import { gamma as mgamma, zeta as mzeta } from 'mathjs/number';
import { asRational, evaluate, num } from '../../src/symbolic/expr.js';
import { computeOptimal, type ComputeOptimalResult } from '../../src/symbolic/balance.js';
import { crossTermLaw, selectCase } from '../../src/symbolic/laws.js';
import { crossTermExact, logLogSlope, minimizeLog } from '../../src/symbolic/numeric.js';
import { Rational } from '../../src/symbolic/rational.js';
import { isUnsupported } from '../../src/symbolic/terms.js';

function regimeAt(a: number, b: number): Exclude<ComputeOptimalResult, { unsupported: string }> {
  const rs = computeOptimal(num(Rational.fromNumber(a)), num(Rational.fromNumber(b)));
  const r = rs.find((x) => !('unsupported' in x));
  if (!r || 'unsupported' in r) throw new Error(`no regime at (${a}, ${b})`);
  return r;
}

// The dominant terms typed from THEORY independently of the engine (mathjs Gamma and zeta):
// time (E17), width plateau (E19) and cross term (E20, derived in derivations/cross-term).
function theoryTerms(a: number, b: number) {
  const s = (a - 1) / b;
  const cg = ((mgamma(1 - 1 / b) as number) * (mgamma(1 / b) as number)) / b; // g ~ C_g kappa^{-1/b}
  const time = { c: ((mgamma(s) as number) / b) * Math.pow(2, -s), n: 0, t: -s };
  const width = a - 1 < b
    ? { c: ((mgamma(s) as number) * (mgamma(1 - s) as number) / b) * Math.pow(cg, a - 1), n: -(a - 1), t: 0 }
    : { c: (mzeta(a - b) as number) * Math.pow(cg, b), n: -b, t: 0 };
  const cross = { c: ((mzeta(a - b) as number) / b) * (mgamma(1 - 1 / b) as number) * Math.pow(2, -(1 - 1 / b)), n: -1, t: -(1 - 1 / b) };
  return a - 1 < b ? [time, width] : [time, width, cross];
}

function bruteForce(a: number, b: number, Cs: number[]) {
  const terms = theoryTerms(a, b);
  const res = Cs.map((C) => minimizeLog((N) => terms.reduce((s, x) => s + x.c * Math.pow(N, x.n) * Math.pow(C / N, x.t), 0), 1e-6, C * 1e6));
  return { N: logLogSlope(Cs, res.map((r) => r.x)).slope, L: logLogSlope(Cs, res.map((r) => r.value)).slope, last: res[res.length - 1] };
}

describe('known value: CIFAR-5M reading (a, b) = (1.15, 2) gives L* ~ C^-0.05 (THEORY section 9)', () => {
  it('exact -1/20', () => {
    const r = regimeAt(1.15, 2);
    expect(asRational(r.balance.Lstar.exponent)?.toString()).toBe('-1/20');
    expect(asRational(r.balance.Nstar.exponent)?.toString()).toBe('1/3');
    expect(asRational(r.balance.tstar.exponent)?.toString()).toBe('2/3');
  });
});

const LOW = [[1.5, 1.25], [1.5, 1.5], [1.5, 2], [2, 1.25], [2, 1.5], [2, 2], [1.15, 2]] as const;
describe.each(LOW)('a - 1 < b at (a, b) = (%f, %f): brute force over C = 1e6..1e12', (a, b) => {
  it('N*, L* exponents and the L* prefactor', () => {
    const r = regimeAt(a, b);
    const Cs = [1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12];
    const bf = bruteForce(a, b, Cs);
    expect(evaluate(r.balance.Nstar.exponent)).toBeCloseTo(1 / (1 + b), 12);
    expect(evaluate(r.balance.Lstar.exponent)).toBeCloseTo(-(a - 1) / (1 + b), 12);
    expect(Math.abs(bf.N - evaluate(r.balance.Nstar.exponent))).toBeLessThan(1e-4);
    expect(Math.abs(bf.L - evaluate(r.balance.Lstar.exponent))).toBeLessThan(1e-4);
    const closed = evaluate(r.balance.Lstar.coefficient) * Math.pow(1e12, evaluate(r.balance.Lstar.exponent));
    expect(Math.abs(bf.last.value / closed - 1)).toBeLessThan(1e-6);
  });
});

const HIGH = [[4, 1.25], [5, 1.5], [6, 2]] as const;
describe.each(HIGH)('a - 1 > b at (a, b) = (%f, %f): time + width + cross terms, brute force over C = 1e12..1e18', (a, b) => {
  it('the cross term sets the frontier: N* ~ C^{(a-b)/a}, L* ~ C^{-(a-1)/a}', () => {
    const r = regimeAt(a, b);
    expect(r.balance.falling.label).toMatch(/cross/);
    expect(evaluate(r.balance.Nstar.exponent)).toBeCloseTo((a - b) / a, 12);
    expect(evaluate(r.balance.Lstar.exponent)).toBeCloseTo(-(a - 1) / a, 12);
    const Cs = [1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18];
    const bf = bruteForce(a, b, Cs);
    // the width plateau is subleading by C^-(b-1)(a-b-1)/a: allow the corresponding bias of the fit
    const margin = ((b - 1) * (a - b - 1)) / a;
    const tol = 0.005 + 2 * margin * Math.pow(1e12, -margin);
    expect(Math.abs(bf.L - evaluate(r.balance.Lstar.exponent))).toBeLessThan(tol);
    expect(Math.abs(bf.N - evaluate(r.balance.Nstar.exponent))).toBeLessThan(5 * tol);
  });
  it('without the cross term the optimum would be the time-width balance, a different (wrong) exponent', () => {
    const e = (a - 1) / b;
    const naive = -(b * e) / (e + b);
    expect(Math.abs(naive - evaluate(regimeAt(a, b).balance.Lstar.exponent))).toBeGreaterThan(0.05);
  });
});

describe('cross term (E20) against the first-order expansion of (E15)', () => {
  it.each([[5, 1.5], [4.5, 1.3]])('(a, b) = (%f, %f): ratio -> 1 over t = 1e2..1e4', (a, b) => {
    const law = selectCase(crossTermLaw(), a, b);
    if (!law || isUnsupported(law)) throw new Error('no cross term');
    const devs = [1e2, 1e3, 1e4].map((t) => Math.abs((evaluate(law.coefficient, { N: 1 }) * Math.pow(t, evaluate(law.exponent))) / crossTermExact(t, a, b) - 1));
    expect(devs[2]).toBeLessThan(2e-3);
    expect(devs[2]).toBeLessThan(devs[0]);
  });
  it('is unsupported (not a separate term) for a - 1 <= b', () => {
    const c = selectCase(crossTermLaw(), 2, 1.5);
    expect(c && isUnsupported(c)).toBe(true);
  });
});

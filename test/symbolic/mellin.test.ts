// The mode-sum engine (THEORY section 6): Mellin transforms, case split, and the general budget C = N^p t^q.
import { describe, expect, it } from 'vitest';
import { Rational } from '../../src/symbolic/rational.js';
import { evaluate, num, sym } from '../../src/symbolic/expr.js';
import { type Kernel, mellinTransform, modeSumAsymptotics } from '../../src/symbolic/mellin.js';
import { mellinNumeric, modeSum, logLogSlope, minimizeLog } from '../../src/symbolic/numeric.js';
import { decide, isUnsupported, rationalEnv } from '../../src/symbolic/terms.js';
import { balancePair, type PowerTerm } from '../../src/symbolic/balance.js';

const KERNELS: Kernel[] = [
  { kind: 'rational', m: 0, n: 1 }, { kind: 'rational', m: 0, n: 2 }, { kind: 'rational', m: 1, n: 1 },
  { kind: 'rational', m: 2, n: 2 }, { kind: 'rational', m: 1, n: 3 }, { kind: 'exp', m: 0, c: Rational.of(2) }, { kind: 'exp', m: 1, c: Rational.parse('1/2') },
];

describe('Mellin transforms (closed form) against numerical quadrature', () => {
  it.each(KERNELS.map((k) => [k.kind === 'rational' ? `u^${k.m}/(1+u)^${k.n}` : `u^${k.m} e^-${k.c.toString()}u`, k] as const))('%s', (_, kernel) => {
    const hi = kernel.kind === 'rational' ? kernel.n - kernel.m : 3;
    for (const frac of [0.15, 0.5, 0.85]) {
      const s = -kernel.m + frac * (hi + kernel.m);
      const closed = evaluate(mellinTransform(kernel, num(Rational.fromNumber(Number(s.toFixed(6))))));
      expect(Math.abs(closed / mellinNumeric(kernel, Number(s.toFixed(6))) - 1)).toBeLessThan(1e-9);
    }
  });
});

describe('engine cases against direct sums (x -> infinity)', () => {
  // p, b chosen in each case of the split for the kernel (1+u)^-2: Mellin if p - 1 < 2b, head if p - 1 > 2b.
  it.each([[1.8, 1.5, 'mellin'], [5.5, 1.5, 'head'], [0.5, 1.5, 'divergent']] as const)('p = %f, b = %f: %s', (p, b, expected) => {
    const cases = modeSumAsymptotics({ p: sym('a'), b: sym('b'), kernel: { kind: 'rational', m: 0, n: 2 }, x: 'x' });
    const env = rationalEnv(p, b);
    const hit = cases.filter((c) => decide(c.condition, env) === true);
    expect(hit.length).toBe(1);
    const c = hit[0];
    if (expected === 'divergent') {
      expect(isUnsupported(c)).toBe(true);
      return;
    }
    if (isUnsupported(c)) throw new Error('unexpected unsupported');
    expect(c.mechanism).toBe(expected);
    const xs = [1e6, 1e8, 1e10];
    const values = xs.map((x) => modeSum(p, b, x, { kind: 'rational', m: 0, n: 2 }));
    const e = evaluate(c.exponent, { a: p, b });
    expect(Math.abs(logLogSlope(xs, values).slope - e)).toBeLessThan(1e-3);
    expect(Math.abs(values[2] / (evaluate(c.coefficient, { a: p, b }) * Math.pow(1e10, e)) - 1)).toBeLessThan(1e-3);
  });
  it('conditions of the cases partition the (p, b) plane at sample points', () => {
    const cases = modeSumAsymptotics({ p: sym('a'), b: sym('b'), kernel: { kind: 'rational', m: 0, n: 1 }, x: 'x' });
    for (const p of [0.5, 1, 1.7, 2.5, 3, 4.2]) {
      for (const b of [0.5, 1, 1.5, 2]) {
        expect(cases.filter((c) => decide(c.condition, rationalEnv(p, b)) === true).length).toBe(1);
      }
    }
  });
});

describe('general budget C = N^p t^q (balance rule)', () => {
  it('C = N t^2 with time and width terms: brute force agrees with the balance', () => {
    const [a, b] = [1.5, 1.25];
    const s = (a - 1) / b;
    const time: PowerTerm = { label: 'time', coefficient: num(Rational.parse('3/2')), nExp: num(0), tExp: num(Rational.fromNumber(-s)) };
    const width: PowerTerm = { label: 'width', coefficient: num(Rational.parse('5/2')), nExp: num(Rational.fromNumber(-(a - 1))), tExp: num(0) };
    const bal = balancePair(time, width, { p: num(1), q: num(2) });
    const Cs = [1e6, 1e9, 1e12];
    const res = Cs.map((C) => minimizeLog((N) => 1.5 * Math.pow(Math.sqrt(C / N), -s) + 2.5 * Math.pow(N, -(a - 1)), 1e-6, C * 1e6));
    expect(Math.abs(logLogSlope(Cs, res.map((r) => r.x)).slope - evaluate(bal.Nstar.exponent))).toBeLessThan(1e-6);
    expect(Math.abs(logLogSlope(Cs, res.map((r) => r.value)).slope - evaluate(bal.Lstar.exponent))).toBeLessThan(1e-6);
    expect(Math.abs(res[2].value / (evaluate(bal.Lstar.coefficient) * Math.pow(1e12, evaluate(bal.Lstar.exponent))) - 1)).toBeLessThan(1e-6);
  });
});

describe('numeric mode sums (the reference of every law test) against brute-force summation', () => {
  // brute force: 2e6 terms plus the leading integral tail k^{1-p} Phi(0-side) / (p - 1 + b m) correction
  function brute(p: number, b: number, x: number, phi: (u: number) => number, m: number): number {
    const K = 2_000_000;
    let s = 0;
    for (let k = 1; k <= K; k++) s += Math.pow(k, -p) * phi(Math.pow(k, -b) * x);
    // tail: Phi(u) ~ u^m for small u
    const e = p + b * m;
    return s + Math.pow(K, 1 - e) * Math.pow(x, m) / (e - 1) - 0.5 * Math.pow(K, -e) * Math.pow(x, m);
  }
  it.each([
    [2, 1.5, 30, 0, 1], [1.5, 1.25, 10, 0, 2], [0, 1.5, 30, 1, 1], [0, 2, 5, 2, 2],
  ])('p = %f, b = %f, x = %f, Phi = u^%i/(1+u)^%i', (p, b, x, m, n) => {
    const ref = brute(p, b, x, (u) => Math.pow(u, m) / Math.pow(1 + u, n), m);
    expect(Math.abs(modeSum(p, b, x, { kind: 'rational', m, n }) / ref - 1)).toBeLessThan(2e-6);
  });
});

describe('computeOptimal with C = N t^2 (general budget) against brute force', () => {
  it('(a, b) = (1.5, 1.25)', async () => {
    const { computeOptimal } = await import('../../src/symbolic/balance.js');
    const [a, b] = [1.5, 1.25];
    const rs = computeOptimal(num(Rational.fromNumber(a)), num(Rational.fromNumber(b)), { p: num(1), q: num(2) });
    const r = rs.find((x) => !('unsupported' in x));
    if (!r || 'unsupported' in r) throw new Error('no regime');
    const terms = [r.balance.rising, r.balance.falling].map((t) => ({ c: evaluate(t.coefficient), n: evaluate(t.nExp), t: evaluate(t.tExp) }));
    const Cs = [1e6, 1e9, 1e12];
    const res = Cs.map((C) => minimizeLog((N) => terms.reduce((s, x) => s + x.c * Math.pow(N, x.n) * Math.pow(Math.sqrt(C / N), x.t), 0), 1e-6, C * 1e6));
    expect(Math.abs(logLogSlope(Cs, res.map((q) => q.x)).slope - evaluate(r.balance.Nstar.exponent))).toBeLessThan(1e-6);
    expect(Math.abs(logLogSlope(Cs, res.map((q) => q.value)).slope - evaluate(r.balance.Lstar.exponent))).toBeLessThan(1e-6);
    // t* from the budget: t* = sqrt(C / N*)
    expect(evaluate(r.balance.tstar.exponent)).toBeCloseTo((1 - evaluate(r.balance.Nstar.exponent)) / 2, 12);
  });
});

describe('solveKappa is a Solution (STYLE 2)', () => {
  it('converges with a tiny residual, reports it as the error estimate', async () => {
    const { solveKappa } = await import('../../src/symbolic/numeric.js');
    const s = solveKappa(1e5, 1.5);
    expect(s.status).toBe('converged');
    expect(s.errorEstimate).toBeLessThan(1e-10);
    expect(s.iterations).toBeLessThan(50);
    expect(() => solveKappa(1e5, 1)).toThrow(/^b must be > 1/);
  });
});

/**
 * The table of laws behind `scaling-dmft exponents` (issue 3 JSON contract):
 * { a, b, phase, laws: [{ id, variable, exponent, prefactor, condition, latex }] },
 * a law reading quantity ~ prefactor * variable^exponent. With numbers the
 * exponent and prefactor are numbers (exponentExact keeps the exact rational);
 * without, they are symbolic strings and every regime is listed with its
 * condition. Extra fields: quantity, exponentExact, factor (other variables
 * the law carries, e.g. N^-1 or t^2), unsupported (reason), note.
 */
import { InvalidArgumentError } from '../core/errors.js';
import { asRational, evaluate, type Expr, mul, num, ONE, symbols, toLatex, toText } from './expr.js';
import { computeOptimal, crossover, crossTermOnset } from './balance.js';
import { A, B, crossTermLaw, dataLaw, earlyFiniteSize, exactAB, gapLaws, selectCase, timeLaw, widthBiasLaw, widthLaw } from './laws.js';
import { type Case, conditionText, isUnsupported, rationalEnv } from './terms.js';

export interface LawEntry {
  id: string;
  quantity: string;
  variable: string;
  exponent: number | string | null;
  prefactor: number | string | null;
  condition: string;
  latex: string;
  exponentExact?: string;
  factor?: string;
  unsupported?: string;
  note?: string;
}

export interface ExponentTable {
  a: number | null;
  b: number | null;
  phase: string;
  laws: LawEntry[];
}

interface LawSpec {
  id: string;
  quantity: string;
  quantityLatex: string;
  cases: (a: Expr, b: Expr) => Case[];
  note?: string;
}

function coInf(): string { return '\\infty'; }

function lawSpecs(): LawSpec[] {
  const early = (which: 'N' | 'P') => (a: Expr, b: Expr): Case[] => {
    const r = earlyFiniteSize(a, b);
    return [r[which], { ...r.unsupported, variable: which }];
  };
  // one balance computation serves the three compute-optimal ids (local cache, per table)
  const coCache = new Map<string, ReturnType<typeof computeOptimal>>();
  const coFor = (a: Expr, b: Expr): ReturnType<typeof computeOptimal> => {
    const k = `${toText(a)}|${toText(b)}`;
    const hit = coCache.get(k) ?? computeOptimal(a, b);
    coCache.set(k, hit);
    return hit;
  };
  const co = (pick: 'N' | 't' | 'L') => (a: Expr, b: Expr): Case[] =>
    coFor(a, b).map((r): Case => {
      if ('unsupported' in r) return { unsupported: r.unsupported, variable: 'C', condition: r.condition };
      const t = pick === 'N' ? r.balance.Nstar : pick === 't' ? r.balance.tstar : r.balance.Lstar;
      return {
        coefficient: t.coefficient, exponent: t.exponent, variable: 'C', condition: r.condition,
        mechanism: `balance of ${r.balance.rising.label} and ${r.balance.falling.label}${r.margins.length ? `; ${r.margins.map((m) => `${m.label} decays faster by C^-(${toText(m.margin)})`).join('; ')}` : ''}`,
      };
    });
  return [
    { id: 'time', quantity: 'L(t) at N = P = infinity (THEORY E17)', quantityLatex: `L(t)\\big|_{N,P=${coInf()}}`, cases: timeLaw },
    { id: 'data', quantity: 'L(infinity) at N = infinity, full loss, sigma = 0 (THEORY E16b, E18)', quantityLatex: `L(${coInf()})\\big|_{N=${coInf()}}`, cases: dataLaw,
      note: 'includes the variance factor 1/(1 - df2/P) -> b (df2/g -> 1 - 1/b)' },
    { id: 'width', quantity: 'L(infinity) at P = infinity, full loss (THEORY E16b, E19)', quantityLatex: `L(${coInf()})\\big|_{P=${coInf()}}`, cases: widthLaw,
      note: '[BAP24] (as reported) states N^-min(a-1, 2b) for the width bottleneck; the full loss has one power of kappa and scales as N^-min(a-1, b)' },
    { id: 'width_bias', quantity: 'B(infinity) at P = infinity: bias = infinite-ensemble loss (THEORY E14, E16b, E19)', quantityLatex: `B(${coInf()})\\big|_{P=${coInf()}}`, cases: widthBiasLaw,
      note: 'the bias scales as N^-min(a-1, 2b): the paper\'s stated width exponent holds for this quantity' },
    { id: 'cross_term', quantity: 'first-order 1/N term of L(t) at P = infinity, 1 << t << N^b (THEORY E15, E20)', quantityLatex: `\\delta L_{1/N}(t)`, cases: crossTermLaw },
    { id: 'cross_term_onset', quantity: 'time after which the cross term exceeds the time law at fixed N (THEORY E20)', quantityLatex: 't_{\\mathrm{on}}', cases: (a, b) => crossTermOnset(a, b) as Case[],
      note: 'the cross term then dominates until the width plateau at t ~ N^b' },
    { id: 'compute_optimal_N', quantity: 'N* at compute C = N t (THEORY E21)', quantityLatex: 'N^{*}', cases: co('N') },
    { id: 'compute_optimal_t', quantity: 't* at compute C = N t (THEORY E21)', quantityLatex: 't^{*}', cases: co('t') },
    { id: 'compute_optimal_loss', quantity: 'L* at compute C = N t (THEORY E21)', quantityLatex: 'L^{*}', cases: co('L'),
      note: 'prefactor of the two-term model; for a - 1 < b the optimum sits at t ~ N^b where the full crossover function, not the sum of the two asymptotes, sets the constant' },
    { id: 'crossover_t', quantity: 'time at which the width plateau is reached (THEORY E23)', quantityLatex: 't_{\\times}', cases: (a, b) => crossover(a, b) as Case[] },
    { id: 'early_finite_N', quantity: 'early-time finite-width correction L_N(t) - L_inf(t), t << 1/lambda_1 (THEORY E22)', quantityLatex: '\\delta L_{N}(t)', cases: early('N'),
      note: earlyFiniteSize().caveat },
    { id: 'early_finite_P', quantity: 'early-time finite-data correction L_P(t) - L_inf(t), t << 1/lambda_1 (THEORY E22)', quantityLatex: '\\delta L_{P}(t)', cases: early('P'),
      note: earlyFiniteSize().caveat },
    { id: 'gap_static', quantity: 'train-test gap L(inf) - Lhat(inf) at N = infinity, sigma = 0 (THEORY E16, E24)', quantityLatex: `\\mathrm{gap}(${coInf()})\\big|_{N=${coInf()}}`, cases: dataLaw,
      note: 'the ridgeless interpolator has zero train loss (R1 -> 0 as s -> 0 for P < M), so the static gap equals the data law' },
    { id: 'gap_early', quantity: 'train-test gap L(t) - Lhat(t) at N = infinity, first order in 1/P, t << 1/lambda_1 (THEORY E16, E24)', quantityLatex: '\\mathrm{gap}(t)', cases: (a, b) => gapLaws(a, b).early,
      note: 'DMFT coefficient 2 tr(Lambda) L(0); the exact finite-P slope adds 2 sum lambda c = 2 zeta(a+b) (Gaussian E[G^2]), dropped by the DMFT as in the E22 caveat' },
    { id: 'gap_growth', quantity: 'P x train-test gap at N = infinity, first order in 1/P, 1 << t << P^b (THEORY E24): grows with data reuse for a < 2, decays for a > 2', quantityLatex: 'P\\,\\mathrm{gap}(t)', cases: (a, b) => gapLaws(a, b).growth },
  ];
}

function splitCoefficient(c: Expr): { pure: Expr; factor: Expr } {
  const isPure = (e: Expr): boolean => [...symbols(e)].every((s) => s === 'a' || s === 'b');
  if (c.k === 'mul') {
    const pure = c.factors.filter(isPure);
    const other = c.factors.filter((f) => !isPure(f));
    return { pure: mul(...pure), factor: mul(...other) };
  }
  return isPure(c) ? { pure: c, factor: ONE } : { pure: ONE, factor: c };
}

function fmt(x: number): string {
  return Number.isFinite(x) ? Number(x.toPrecision(6)).toString() : String(x);
}

function entryFor(spec: LawSpec, c: Case, numeric: boolean): LawEntry {
  const base = { id: spec.id, quantity: spec.quantity, variable: c.variable, condition: conditionText(c.condition), ...(spec.note ? { note: spec.note } : {}) };
  if (isUnsupported(c)) {
    return { ...base, exponent: null, prefactor: null, latex: `${spec.quantityLatex}:\\ \\text{unsupported}`, unsupported: c.unsupported };
  }
  if (c.coefficientUnsupported) {
    const exactExp = asRational(c.exponent);
    return {
      ...base,
      exponent: numeric && exactExp ? exactExp.toNumber() : toText(c.exponent),
      ...(numeric && exactExp ? { exponentExact: exactExp.toString() } : {}),
      prefactor: null,
      latex: `${spec.quantityLatex} \\simeq ${toLatex(c.coefficient)}\\, ${c.variable}^{${toLatex(c.exponent)}}`,
      note: `${spec.note ? `${spec.note}; ` : ''}prefactor: ${c.coefficientUnsupported}`,
    };
  }
  const { pure, factor } = splitCoefficient(c.coefficient);
  const exactExp = asRational(c.exponent);
  const factorLatex = factor.k === 'num' ? '' : `${toLatex(factor)}\\, `;
  const varLatex = `${c.variable}^{${toLatex(c.exponent)}}`;
  const entry: LawEntry = {
    ...base,
    exponent: numeric && exactExp ? exactExp.toNumber() : toText(c.exponent),
    prefactor: numeric ? evaluate(pure) : toText(pure),
    latex: '',
  };
  if (numeric && exactExp) entry.exponentExact = exactExp.toString();
  if (factor.k !== 'num') entry.factor = toText(factor);
  const approx = numeric ? ` \\approx ${fmt(evaluate(pure))}\\, ${factorLatex}${varLatex}` : '';
  const pureLatex = pure.k === 'add' ? `\\left(${toLatex(pure)}\\right)` : toLatex(pure);
  entry.latex = `${spec.quantityLatex} \\simeq ${pureLatex}\\, ${factorLatex}${varLatex}${approx}`;
  return entry;
}

/** THEORY section 2 regimes for numbers. */
export function phaseOf(a: number, b: number): string {
  const env = rationalEnv(a, b);
  const am1 = env.a.k === 'num' ? env.a.v.sub(asRational(ONE)!) : undefined;
  const rb = env.b.k === 'num' ? env.b.v : undefined;
  if (!am1 || !rb) return 'unknown';
  if (rb.cmp(asRational(ONE)!) <= 0) return 'b<=1 (tr Lambda infinite: static limits undefined for M = infinity)';
  const c1 = am1.cmp(rb);
  const c2 = am1.cmp(rb.mul(asRational(num(2))!));
  if (c1 < 0) return 'a-1<b';
  if (c1 === 0) return 'a-1=b (log boundary)';
  if (c2 < 0) return 'b<a-1<2b';
  if (c2 === 0) return 'a-1=2b (log boundary)';
  return 'a-1>2b';
}

/**
 * The table of laws. With (a, b) numbers: the law that holds at that point for
 * each id (or its unsupported reason); without: every regime, symbolically.
 */
export function exponentTable(a?: number, b?: number): ExponentTable {
  if ((a === undefined) !== (b === undefined)) {
    if (a === undefined) throw new InvalidArgumentError('a', 'must be given together with b', a);
    throw new InvalidArgumentError('b', 'must be given together with a', b);
  }
  const specs = lawSpecs();
  if (a === undefined || b === undefined) {
    const laws: LawEntry[] = [];
    for (const spec of specs) for (const c of spec.cases(A, B)) laws.push(entryFor(spec, c, false));
    return { a: null, b: null, phase: 'symbolic (all regimes; see each condition)', laws };
  }
  exactAB(a, b); // validates a > 1, b > 0
  const laws: LawEntry[] = [];
  for (const spec of specs) {
    // the symbolic derivation, then the case that holds at (a, b), folded exactly
    const hit = selectCase(spec.cases(A, B), a, b);
    if (!hit) {
      laws.push({ id: spec.id, quantity: spec.quantity, variable: '', exponent: null, prefactor: null, condition: 'no case', latex: '\\text{unsupported}', unsupported: 'no case of the derivation holds at these (a, b)' });
      continue;
    }
    laws.push(entryFor(spec, hit, true));
  }
  return { a, b, phase: phaseOf(a, b), laws };
}

function escapeMd(s: string): string {
  return s.replace(/\|/g, '\\|');
}

/** Markdown table of a law list (LaTeX in $...$). */
export function lawsToMarkdown(table: ExponentTable): string {
  const head = table.a === null ? '# Scaling laws (symbolic a, b)\n' : `# Scaling laws at a = ${table.a}, b = ${table.b} (phase ${table.phase})\n`;
  const rows = table.laws.map((l) => {
    const law = l.unsupported ? `unsupported: ${l.unsupported}` : `$${l.latex}$`;
    const exp = l.exponentExact ?? (l.exponent === null ? '' : String(l.exponent));
    return `| ${l.id} | ${escapeMd(law)} | ${escapeMd(exp)} | ${escapeMd(l.condition)} |`;
  });
  return `${head}\n| id | law | exponent | condition |\n|---|---|---|---|\n${rows.join('\n')}\n`;
}

/** LaTeX (align* environment) of a law list; unsupported laws as \text. */
export function lawsToLatex(table: ExponentTable): string {
  const lines = table.laws.map((l) => {
    if (l.unsupported) return `&\\text{${l.id.replace(/_/g, '\\_')}: unsupported}`;
    return `&${l.latex}`;
  });
  return `\\begin{aligned}\n${lines.join(' \\\\\n')}\n\\end{aligned}\n`;
}


/**
 * The table of laws behind `scaling-dmft exponents` (its JSON contract):
 * { a, b, phase, optimizer, laws: [{ id, variable, exponent, prefactor, condition, latex }] },
 * a law reading quantity ~ prefactor * variable^exponent. With numbers the
 * exponent and prefactor are numbers (exponentExact keeps the exact rational);
 * without, they are symbolic strings and every regime is listed with its
 * condition. Extra fields: quantity, exponentExact, factor (other variables
 * the law carries, e.g. N^-1 or t^2), unsupported (reason), note.
 */
import { InvalidArgumentError } from '../core/errors.js';
import { optimizerModule, stabilityLimit, type Dynamics, type OptimizerName } from '../dynamics/index.js';
import { asRational, evaluate, type Expr, mul, num, ONE, simplifyExpr, substitute, symbols, toLatex, toText } from './expr.js';
import { computeOptimal, crossover, crossTermOnset } from './balance.js';
import {
  A, B, BATCH, crossTermLaw, dataLaw, EARLY_FINITE_SIZE_CAVEAT, earlyFiniteSize, ETA, exactAB, gapLaws, sgdNoiseLaw, timeLaw, widthBiasLaw, widthLaw,
} from './laws.js';
import { ExactSizeError, Rational } from './rational.js';
import { sgdKernelMass, sgdNoiseExactFactor } from './numeric.js';
import { caseFromData, caseToData, type SerialCase } from './serial.js';
import { LAW_CACHE } from './generated/laws.js';
import { type Case, conditionText, decide, isUnsupported, rationalEnv } from './terms.js';

/** One law of an exponent table: id, variable, exponent, prefactor, condition, LaTeX. */
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
  /**
   * sgd_noise at numeric (a, b, lr, batch): the factor by which the exact one-pass
   * recursion multiplies this leading-order prefactor (summed signal and the
   * resolvent 1/(1 - kernel mass)^2, THEORY E28, E29); the exponent is unchanged.
   */
  exactFactor?: number;
  unsupported?: string;
  note?: string;
}

/** The closed-form laws of one (a, b) (or symbolic), with their conditions. */
export interface ExponentTable {
  a: number | null;
  b: number | null;
  /** Training dynamics the table is for (gradient flow unless given). */
  optimizer: OptimizerName;
  /** SGD learning rate and batch when given (null: symbolic eta or default B = 1). */
  lr?: number | null;
  batch?: number | null;
  /** Regime of (a, b): for SGD the [PPXP24] phase Ia / II / III (THEORY E29). */
  phase: string;
  /** Caveats for the whole table (dynamics, exact arithmetic declined, b -> 1+ limit). */
  notes?: string[];
  laws: LawEntry[];
}

/**
 * The dynamics a table is for: any Dynamics (src/dynamics) fits; the learning
 * rate may be left out to keep eta symbolic (the CLI's `exponents --optimizer sgd`
 * without --lr).
 */
export interface TableDynamics {
  readonly kind: OptimizerName;
  readonly lr?: number;
  readonly batch?: number;
  readonly beta?: number;
}

/** Options of exponentTable: the training dynamics the laws are for. */
export interface ExponentTableOptions {
  readonly dynamics?: TableDynamics;
  /**
   * Derive every law now instead of reading the engine's cached derivation
   * (generated/laws.ts; identical, held by test/symbolic/law-cache.test.ts).
   * Slower (about 0.3-1 s); the cache is what keeps `exponents` fast.
   */
  readonly live?: boolean;
}

type Env = Readonly<Record<string, Expr>>;

interface LawSpec {
  id: string;
  quantity: string;
  quantityLatex: string;
  /** All cases (symbolic), or only those that can hold at `at` (the table at numbers). */
  cases: (a: Expr, b: Expr, at?: Env) => Case[];
  note?: string;
}

function coInf(): string { return '\\infty'; }

/** The two law sets: gradient flow (also gd and momentum at gradient-flow time) and one-pass SGD. */
export type LawSet = 'gf' | 'sgd';

function lawSetOf(optimizer: OptimizerName): LawSet {
  // An optimizer with laws of its own (one-pass SGD, E28) has its own set; the others follow gradient flow.
  return optimizerModule(optimizer).laws.kind === 'own' ? 'sgd' : 'gf';
}

function lawSpecs(set: LawSet): LawSpec[] {
  const early = (which: 'N' | 'P') => (a: Expr, b: Expr): Case[] => {
    const r = earlyFiniteSize(a, b);
    return [r[which], { ...r.unsupported, variable: which }];
  };
  // eta and B stay symbols in the derivation; numbers are substituted when the table is folded
  const sgd = set === 'sgd' ? { eta: ETA, batch: BATCH } : undefined;
  // one balance computation serves the three compute-optimal ids (local cache, per table)
  const coCache = new Map<string, ReturnType<typeof computeOptimal>>();
  const coFor = (a: Expr, b: Expr, at?: Env): ReturnType<typeof computeOptimal> => {
    const k = `${toText(a)}|${toText(b)}|${at ? `${toText(at.a)},${toText(at.b)}` : ''}`;
    const hit = coCache.get(k) ?? computeOptimal(a, b, { sgd, at });
    coCache.set(k, hit);
    return hit;
  };
  const budget = sgd ? 'C = N t B (t in steps, B samples per step)' : 'C = N t';
  const co = (pick: 'N' | 't' | 'L') => (a: Expr, b: Expr, at?: Env): Case[] =>
    coFor(a, b, at).map((r): Case => {
      if ('unsupported' in r) return { unsupported: r.unsupported, variable: 'C', condition: r.condition };
      const t = pick === 'N' ? r.balance.Nstar : pick === 't' ? r.balance.tstar : r.balance.Lstar;
      return {
        coefficient: t.coefficient, exponent: t.exponent, variable: 'C', condition: r.condition,
        mechanism: `balance of ${r.balance.rising.label} and ${r.balance.falling.label}${r.margins.length ? `; ${r.margins.map((m) => `${m.label} decays faster by C^-(${toText(m.margin)})`).join('; ')}` : ''}`,
      };
    });
  const coNote = sgd
    ? 'one-pass SGD at fixed batch B: terms time (E17), width (E19), cross (E20) at gradient-flow time eta t, and the SGD noise (E29), leading order in eta; phases Ia / II / III of [PPXP24]'
    : undefined;
  const specs: LawSpec[] = [
    { id: 'time', quantity: 'L(t) at N = P = infinity (THEORY E17)', quantityLatex: `L(t)\\big|_{N,P=${coInf()}}`, cases: timeLaw },
    { id: 'data', quantity: 'L(infinity) at N = infinity, full loss, sigma = 0 (THEORY E16b, E18)', quantityLatex: `L(${coInf()})\\big|_{N=${coInf()}}`, cases: dataLaw,
      note: 'includes the variance factor 1/(1 - df2/P) -> b (df2/g -> 1 - 1/b)' },
    { id: 'width', quantity: 'L(infinity) at P = infinity, full loss (THEORY E16b, E19)', quantityLatex: `L(${coInf()})\\big|_{P=${coInf()}}`, cases: widthLaw,
      note: '[BAP24] (as reported) states N^-min(a-1, 2b) for the width bottleneck; the full loss has one power of kappa and scales as N^-min(a-1, b)' },
    { id: 'width_bias', quantity: 'B(infinity) at P = infinity: bias = infinite-ensemble loss (THEORY E14, E16b, E19)', quantityLatex: `B(${coInf()})\\big|_{P=${coInf()}}`, cases: widthBiasLaw,
      note: 'the bias scales as N^-min(a-1, 2b): the paper\'s stated width exponent holds for this quantity' },
    { id: 'cross_term', quantity: 'first-order 1/N term of L(t) at P = infinity, 1 << t << N^b (THEORY E15, E20)', quantityLatex: `\\delta L_{1/N}(t)`, cases: crossTermLaw },
    { id: 'cross_term_onset', quantity: 'time after which the cross term exceeds the time law at fixed N (THEORY E20)', quantityLatex: 't_{\\mathrm{on}}', cases: (a, b, at) => crossTermOnset(a, b, at) as Case[],
      note: 'the cross term then dominates until the width plateau at t ~ N^b' },
    { id: 'compute_optimal_N', quantity: `N* at compute ${budget} (THEORY E21${sgd ? ', E29' : ''})`, quantityLatex: 'N^{*}', cases: co('N'), ...(coNote ? { note: coNote } : {}) },
    { id: 'compute_optimal_t', quantity: `t* at compute ${budget} (THEORY E21${sgd ? ', E29' : ''})`, quantityLatex: 't^{*}', cases: co('t'), ...(coNote ? { note: coNote } : {}) },
    { id: 'compute_optimal_loss', quantity: `L* at compute ${budget} (THEORY E21${sgd ? ', E29' : ''})`, quantityLatex: 'L^{*}', cases: co('L'),
      note: `${coNote ? `${coNote}; ` : ''}prefactor of the two-term model; for a - 1 < b the optimum sits at t ~ N^b where the full crossover function, not the sum of the two asymptotes, sets the constant` },
    { id: 'crossover_t', quantity: 'time at which the width plateau is reached (THEORY E23)', quantityLatex: 't_{\\times}', cases: (a, b, at) => crossover(a, b, at) as Case[] },
    { id: 'early_finite_N', quantity: 'early-time finite-width correction L_N(t) - L_inf(t), t << 1/lambda_1 (THEORY E22)', quantityLatex: '\\delta L_{N}(t)', cases: early('N'),
      note: EARLY_FINITE_SIZE_CAVEAT },
    { id: 'early_finite_P', quantity: 'early-time finite-data correction L_P(t) - L_inf(t), t << 1/lambda_1 (THEORY E22)', quantityLatex: '\\delta L_{P}(t)', cases: early('P'),
      note: EARLY_FINITE_SIZE_CAVEAT },
    { id: 'gap_static', quantity: 'train-test gap L(inf) - Lhat(inf) at N = infinity, sigma = 0 (THEORY E16, E24)', quantityLatex: `\\mathrm{gap}(${coInf()})\\big|_{N=${coInf()}}`, cases: dataLaw,
      note: 'the ridgeless interpolator has zero train loss (R1 -> 0 as s -> 0 for P < M), so the static gap equals the data law' },
    { id: 'gap_early', quantity: 'train-test gap L(t) - Lhat(t) at N = infinity, first order in 1/P, t << 1/lambda_1 (THEORY E16, E24)', quantityLatex: '\\mathrm{gap}(t)', cases: (a, b) => gapLaws(a, b).early,
      note: 'DMFT coefficient 2 tr(Lambda) L(0); the exact finite-P slope adds 2 sum lambda c = 2 zeta(a+b) (Gaussian E[G^2]), dropped by the DMFT as in the E22 caveat' },
    { id: 'gap_growth', quantity: 'P x train-test gap at N = infinity, first order in 1/P, 1 << t << P^b (THEORY E24): grows with data reuse for a < 2, decays for a > 2', quantityLatex: 'P\\,\\mathrm{gap}(t)', cases: (a, b) => gapLaws(a, b).growth },
  ];
  if (sgd) {
    specs.splice(specs.findIndex((x) => x.id === 'cross_term_onset') + 1, 0, {
      id: 'sgd_noise', quantity: 'SGD noise term of L_t at N = P = infinity, t in steps, leading order in eta (THEORY E28, E29)', quantityLatex: '\\delta L_{\\mathrm{SGD}}(t)',
      cases: (a, b) => sgdNoiseLaw(a, b, sgd.eta, sgd.batch),
      note: '(eta^2/B) K_t sum_s L_s of the Volterra equation to leading order in eta; the exact recursion multiplies the prefactor by exactFactor = [2 sum_k k^-(a-b)/(2 - eta (1 + 1/B) k^-b)] / zeta(a-b) / (1 - m)^2, m = (eta/B) sum_k k^-b/(2 - eta (1 + 1/B) k^-b) the kernel mass (1 + O(eta); 2.46 at eta = 0.2, B = 1, (a, b) = (6, 1.5)), given when lr is a number',
    });
  }
  return specs;
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

/** THEORY section 2 regimes for numbers (gradient flow). */
export function phaseOf(a: number, b: number): string {
  const env = rationalEnv(a, b);
  const am1 = env.a.k === 'num' ? env.a.v.sub(Rational.ONE) : undefined;
  const rb = env.b.k === 'num' ? env.b.v : undefined;
  if (!am1 || !rb) return 'unknown';
  if (rb.cmp(Rational.ONE) < 0) return 'b<1 (tr Lambda infinite: static limits undefined for M = infinity)';
  if (rb.cmp(Rational.ONE) === 0) return 'b=1 (tr Lambda infinite: static laws reported as their b -> 1+ limit)';
  const c1 = am1.cmp(rb);
  const c2 = am1.cmp(rb.mul(Rational.of(2)));
  if (c1 < 0) return 'a-1<b';
  if (c1 === 0) return 'a-1=b (log boundary)';
  if (c2 < 0) return 'b<a-1<2b';
  if (c2 === 0) return 'a-1=2b (log boundary)';
  return 'a-1>2b';
}

/**
 * The [PPXP24] phase of (a, b) for one-pass SGD (THEORY E29), b > 1:
 * Ia (a < b + 1), II (b + 1 < a < 2b), III (a > 2b); on a boundary two
 * balances tie (logarithmic corrections) and it is reported as the boundary.
 */
export function sgdPhaseOf(a: number, b: number): string {
  const env = rationalEnv(a, b);
  const ra = (env.a as { v: Rational }).v;
  const rb = (env.b as { v: Rational }).v;
  if (rb.cmp(Rational.ONE) <= 0) return 'b<=1: out of scope (the [PPXP24] phases Ib, Ic, IVa, IVb need M proportional to N)';
  const c1 = ra.cmp(rb.add(Rational.ONE));
  const c2 = ra.cmp(rb.mul(Rational.of(2)));
  if (c1 < 0) return 'Ia';
  if (c1 === 0) return 'boundary Ia/II (a = b + 1)';
  if (c2 < 0) return 'II';
  if (c2 === 0) return 'boundary II/III (a = 2b)';
  return 'III';
}

/** Every law of a set, derived now by the engine, as data (what generated/laws.ts holds). */
export function deriveLawCache(set: LawSet): Record<string, SerialCase[]> {
  const out: Record<string, SerialCase[]> = {};
  for (const spec of lawSpecs(set)) out[spec.id] = spec.cases(A, B).map(caseToData);
  return out;
}

/** The text of generated/laws.ts (one law per line, stable order). */
export function lawCacheSource(): string {
  const lines = ['// generated by scripts/symbolic/generate-law-cache.ts from the symbolic engine; do not edit', "import type { SerialCase } from '../serial.js';", ''];
  lines.push("export const LAW_CACHE: Record<'gf' | 'sgd', Record<string, SerialCase[]>> = {");
  for (const set of ['gf', 'sgd'] as const) {
    lines.push(`  ${set}: {`);
    for (const [id, cases] of Object.entries(deriveLawCache(set))) lines.push(`    ${JSON.stringify(id)}: ${JSON.stringify(cases)},`);
    lines.push('  },');
  }
  lines.push('};', '');
  return lines.join('\n');
}

const decoded = new Map<string, Case[]>();

/** The cached symbolic cases of one law (decoded once per process). */
function cachedCases(set: LawSet, id: string): Case[] {
  const k = `${set}|${id}`;
  let hit = decoded.get(k);
  if (!hit) {
    const data = LAW_CACHE[set][id];
    if (!data) throw new InvalidArgumentError('law', `has no cached derivation (regenerate generated/laws.ts)`, k);
    hit = data.map(caseFromData);
    decoded.set(k, hit);
  }
  return hit;
}

/** b -> 1+: the point at which the regime of the b = 1 limit is chosen (any b in (1, 1 + 1/2^30] gives the same case). */
const B_ABOVE_ONE = num(new Rational(2n ** 30n + 1n, 2n ** 30n));

function noCase(spec: LawSpec, phase: string, reason?: string): LawEntry {
  const boundary = /boundary|=/.test(phase);
  return {
    id: spec.id, quantity: spec.quantity, variable: '', exponent: null, prefactor: null, condition: 'no case', latex: '\\text{unsupported}',
    unsupported: reason ?? (boundary ? `(a, b) is on the ${boundaryName(phase)}, and no case of the derivation holds there` : 'no case of the derivation holds at these (a, b)'),
  };
}

/** 'boundary II/III (a = 2b)' -> 'boundary II/III (a = 2b)'; 'a-1=b (log boundary)' -> 'boundary a-1=b'. */
function boundaryName(phase: string): string {
  return phase.startsWith('boundary') ? phase : `boundary ${phase.replace(/\s*\(log boundary\)/, '')}`;
}

/** a is moved by this much to either side of a phase boundary to find the neighbouring regimes' cases. */
const BOUNDARY_STEP = new Rational(1n, 2n ** 30n);

/**
 * A law on a phase boundary, from its two sides. The cases of the derivation
 * hold on open regions (strict inequalities), so on a boundary where two
 * balances tie none holds, or, where a sum's Mellin integral is marginal
 * (a - 1 = b in the width law), a logarithmic case does. THEORY (E29) says the
 * exponents are continuous across the boundaries: the cases holding just
 * below and just above in a (a -+ 2^-30) are folded at the exact (a, b) and
 * their exponents compared exactly. Equal: `limit` is the folded law from
 * below (no logarithm: a tie of pure powers only changes the prefactor).
 * Different, or a side without a closed form: `limit` is undefined and
 * `text` says so.
 */
function boundaryLimit(
  set: LawSet,
  spec: LawSpec,
  cases: readonly Case[],
  env: Env,
  values: Readonly<Record<string, number>>,
): { limit?: LawEntry; exponent?: string; text: string } {
  const ra = asRational(env.a);
  if (!ra) return { text: 'a is symbolic' };
  const side = (delta: Rational) => cases.find((c) => decide(c.condition, { ...env, a: num(ra.add(delta)) }) === true);
  const below = side(BOUNDARY_STEP.neg());
  const above = side(BOUNDARY_STEP);
  if (!below || !above || isUnsupported(below) || isUnsupported(above)) return { text: 'a neighbouring regime has no closed form' };
  const low = foldLaw(set, spec.id, below, env, values).entry;
  const high = foldLaw(set, spec.id, above, env, values).entry;
  const same = low.exponentExact !== undefined ? low.exponentExact === high.exponentExact : low.exponent === high.exponent;
  const exponent = low.exponentExact ?? String(low.exponent);
  if (!same) return { text: `the neighbouring regimes give different exponents here (${exponent} below, ${high.exponentExact ?? String(high.exponent)} above)` };
  return { limit: low, exponent, text: `both neighbouring regimes give ${exponent} here` };
}

/** The law at numbers in floating point, the exact form declined (it would exceed the size limit). */
function floatEntry(spec: LawSpec, c: Case, values: Readonly<Record<string, number>>, reason: string): LawEntry {
  const base = entryFor(spec, c, false);
  if (isUnsupported(c)) return base;
  const { pure, factor } = splitCoefficient(c.coefficient);
  const exponent = evaluate(c.exponent, values);
  const prefactor = c.coefficientUnsupported ? null : evaluate(pure, values);
  const factorText = factor.k === 'num' ? '' : `${toLatex(factor)}\\, `;
  return {
    ...base,
    exponent,
    prefactor: prefactor !== null && Number.isFinite(prefactor) ? prefactor : null,
    latex: `${spec.quantityLatex} \\simeq ${prefactor !== null && Number.isFinite(prefactor) ? fmt(prefactor) : '\\mathrm{(overflow)}'}\\, ${factorText}${c.variable}^{${fmt(exponent)}}`,
    note: `${base.note ? `${base.note}; ` : ''}floating-point values: ${reason}${prefactor !== null && !Number.isFinite(prefactor) ? '; the prefactor is not representable as a double' : ''}`,
  };
}

/**
 * The table of laws. With (a, b) numbers: the law that holds at that point for
 * each id (or its unsupported reason); without: every regime, symbolically.
 * With dynamics: gd and momentum give the gradient-flow laws at gradient-flow
 * time (eta t, eta t/(1 - beta)); sgd adds the noise term and the SGD
 * compute-optimal allocation at C = N t B with the [PPXP24] phase.
 */
export function exponentTable(task: { readonly a?: number; readonly b?: number }, options?: ExponentTableOptions): ExponentTable;
/** The same table with (a, b) as positional arguments (kept for existing callers; prefer the task object). */
export function exponentTable(a?: number, b?: number, options?: ExponentTableOptions): ExponentTable;
export function exponentTable(
  first?: number | { readonly a?: number; readonly b?: number },
  second?: number | ExponentTableOptions,
  third: ExponentTableOptions = {},
): ExponentTable {
  if (typeof first === 'object' && first !== null) return tableFor(first.a, first.b, (second as ExponentTableOptions | undefined) ?? {});
  return tableFor(first, second as number | undefined, third);
}

function tableFor(a: number | undefined, b: number | undefined, options: ExponentTableOptions): ExponentTable {
  if ((a === undefined) !== (b === undefined)) {
    if (a === undefined) throw new InvalidArgumentError('a', 'must be given together with b', a);
    throw new InvalidArgumentError('b', 'must be given together with a', b);
  }
  const dynamics = options.dynamics;
  const optimizer = dynamics?.kind ?? 'gf';
  const set = lawSetOf(optimizer);
  const specs = lawSpecs(set);
  const casesOf = (spec: LawSpec): Case[] => (options.live ? spec.cases(A, B) : cachedCases(set, spec.id));
  const notes: string[] = [];
  const lawTerms = optimizerModule(optimizer).laws;
  if (lawTerms.kind === 'rescaled-time') {
    notes.push(`${optimizer}: the same laws as gradient flow with t replaced by the gradient-flow time ${lawTerms.time} (t = steps; small eta, THEORY ${lawTerms.theory})`);
  }
  if (set === 'sgd') {
    notes.push('sgd: t counts steps; time, cross-term and crossover laws are at gradient-flow time eta t; sgd_noise and the compute-optimal laws are in steps at compute C = N t B (THEORY E28, E29), to leading order in eta');
  }
  const sgdFields = set === 'sgd' ? { lr: dynamics?.lr ?? null, batch: dynamics?.batch ?? 1 } : {};
  if (a === undefined || b === undefined) {
    const laws: LawEntry[] = [];
    for (const spec of specs) for (const c of casesOf(spec)) laws.push(entryFor(spec, c, false));
    return { a: null, b: null, optimizer, ...sgdFields, phase: 'symbolic (all regimes; see each condition)', ...(notes.length ? { notes } : {}), laws };
  }
  exactAB(a, b); // validates a, b (named a and b; the CLI renames them to its flags)
  checkRate(dynamics, b);
  const phase = set === 'sgd' ? sgdPhaseOf(a, b) : phaseOf(a, b);
  const abEnv = rationalEnv(a, b);
  const env: Env = {
    ...abEnv,
    ...(dynamics?.lr !== undefined ? { eta: num(Rational.fromNumber(dynamics.lr, 'lr')) } : {}),
    ...(set === 'sgd' ? { B: num(Rational.fromNumber(dynamics?.batch ?? 1, 'batch')) } : {}),
  };
  const atOne = b === 1;
  // b = 1: the regime is chosen just above 1 and the law evaluated at b = 1 (its b -> 1+ limit)
  const selectEnv: Env = atOne ? { ...env, b: B_ABOVE_ONE } : env;
  const values: Record<string, number> = { a, b, ...(dynamics?.lr !== undefined ? { eta: dynamics.lr } : {}), ...(set === 'sgd' ? { B: dynamics?.batch ?? 1 } : {}) };
  const laws: LawEntry[] = [];
  let declined = false;
  let limitUsed = false;
  // (a, b) exactly on a boundary between two regimes (not b = 1, which is handled as the limit b -> 1+).
  const onPhaseBoundary = !atOne && /^boundary|log boundary/.test(phase);
  for (const spec of specs) {
    const cases = casesOf(spec);
    let hit = cases.find((c) => decide(c.condition, selectEnv) === true);
    if (atOne && hit && !isUnsupported(hit)) {
      const exact = cases.find((c) => decide(c.condition, env) === true);
      if (exact && !isUnsupported(exact)) hit = exact; // holds at b = 1 itself (time law): no limit needed
      else limitUsed = true;
    }
    if (!hit) {
      // On a phase boundary where two balances tie: the common limit of both sides (continuous, THEORY E29).
      const onBoundary = onPhaseBoundary ? boundaryLimit(set, spec, cases, env, values) : undefined;
      if (onBoundary?.limit) {
        const entry = onBoundary.limit;
        entry.condition = `${boundaryName(phase)}: the limit of both neighbouring regimes`;
        entry.note = `${entry.note ? `${entry.note}; ` : ''}on the ${boundaryName(phase)} two balances of pure powers tie: ${onBoundary.text}, the exponent is continuous across it and no logarithm enters (THEORY E29); the prefactor changes there (the tied terms add) and is not derived`;
        // The tie changes the constant: no prefactor is claimed, only the power.
        entry.prefactor = null;
        entry.latex = `${spec.quantityLatex} \\propto ${entry.factor === undefined ? '' : `${entry.factor}\\, `}${entry.variable}^{${onBoundary.exponent}}`;
        laws.push(entry);
      } else {
        laws.push(noCase(spec, phase, onBoundary && `(a, b) is on the ${boundaryName(phase)}, where no case of the derivation holds and ${onBoundary.text}: no exponent is claimed`));
      }
      continue;
    }
    if (isUnsupported(hit)) {
      const entry = entryFor(spec, hit, true);
      // A logarithmic case on a boundary: say what the power part tends to from both sides.
      const sides = onPhaseBoundary ? boundaryLimit(set, spec, cases, env, values) : undefined;
      if (sides?.exponent !== undefined) {
        entry.unsupported = `${entry.unsupported}; on the ${boundaryName(phase)} the law is a power times a logarithmic factor, not a pure power, so no exponent is given; the exponent is continuous across the boundary: ${sides.text}`;
      }
      laws.push(entry);
      continue;
    }
    const { entry, exact } = foldLaw(set, spec.id, hit, env, values);
    if (!exact) declined = true;
    if (spec.id === 'sgd_noise' && dynamics?.lr !== undefined && a - 1 > b && b > 1) entry.exactFactor = sgdNoiseExactFactor(a, b, dynamics.lr, dynamics.batch ?? 1).factor;
    if (atOne && typeof entry.prefactor === 'number' && !Number.isFinite(entry.prefactor)) entry.prefactor = null;
    if (atOne && hit !== cases.find((c) => decide(c.condition, env) === true)) {
      entry.note = `${entry.note ? `${entry.note}; ` : ''}b = 1: the b -> 1+ limit of the law for b > 1 (tr Lambda = sum_k 1/k diverges at b = 1, so the law holds only as that limit)${entry.prefactor === null ? '; the prefactor diverges as b -> 1+' : ''}`;
    }
    laws.push(entry);
  }
  if (declined) notes.push('exact arithmetic declined for some laws (rationals too large, typically a within ~1e-5 of 1): they carry floating-point values and no exponentExact');
  if (limitUsed) notes.push('b = 1: tr Lambda diverges; the static and compute-optimal laws are reported as their b -> 1+ limits (exponents continuous, prefactors may diverge)');
  return { a, b, optimizer, ...sgdFields, phase, ...(notes.length ? { notes } : {}), laws };
}

/**
 * The laws need a convergent optimizer on lambda_1 = 1: eta below the
 * dynamics' stability bound at E_max = lambda_1 = 1 (src/dynamics
 * stabilityLimit: 2 for gd, E26, where the laws come from the small modes and
 * (1 - eta lambda)^t ~ e^{-eta lambda t}; 2/(1 + 1/B) for sgd, E28; 2 (1 + beta)
 * for momentum, E27), and for sgd the kernel mass of the exact recursion,
 * m = (eta/B) sum_k k^-b / (2 - eta (1 + 1/B) k^-b), below 1 (E28), else SGD diverges.
 */
function checkRate(dynamics: TableDynamics | undefined, b: number): void {
  if (!dynamics || dynamics.lr === undefined || !optimizerModule(dynamics.kind).discrete) return;
  const module = optimizerModule(dynamics.kind);
  const eta = dynamics.lr;
  // The bound is c / eta on E_max; with E_max = 1 it reads eta < c, c the bound at eta = 1.
  const unitRate = { kind: dynamics.kind, lr: 1, beta: dynamics.beta ?? 0, batch: dynamics.batch ?? 1, ridge: 0 } as Dynamics;
  const etaMax = stabilityLimit(unitRate);
  if (!(eta < etaMax)) {
    const bound = module.unitRateBound !== undefined ? `${module.unitRateBound} = ${etaMax}` : String(etaMax);
    throw new InvalidArgumentError('lr', `must be < ${bound} (${dynamics.kind} diverges on lambda_1 = 1 beyond, THEORY ${module.theory})`, eta);
  }
  if (lawSetOf(dynamics.kind) === 'sgd' && b > 1) {
    const mass = sgdKernelMass(b, eta, dynamics.batch ?? 1);
    if (!(mass < 1)) {
      throw new InvalidArgumentError('lr', `must keep the SGD kernel norm (eta/B) sum_k k^-b/(2 - eta (1 + 1/B) k^-b) below 1 (it is ${Number(mass.toPrecision(4))} at b = ${b}, B = ${dynamics.batch ?? 1}; SGD diverges, THEORY E28)`, eta);
    }
  }
}

/**
 * One law at numbers: the symbolic case folded exactly, or, when the exact form
 * would exceed the size limit (ExactSizeError), in floating point with the exact
 * form declined and a note saying so. A prefactor that a double cannot hold
 * (overflow to infinity, underflow to 0 near a = 1) is null with a note; its exact
 * form stays in `latex`.
 */
export function foldLaw(set: LawSet, id: string, c: Case, env: Env, values: Readonly<Record<string, number>>): { entry: LawEntry; exact: boolean } {
  const spec = (SPEC_INDEX[set] ??= specIndex(set)).get(id);
  if (!spec) throw new InvalidArgumentError('id', 'is not a law id', id);
  try {
    const folded: Case = isUnsupported(c) ? c : { ...c, coefficient: simplifyExpr(substitute(c.coefficient, env)), exponent: simplifyExpr(substitute(c.exponent, env)) };
    const entry = entryFor(spec, folded, true);
    if (typeof entry.prefactor === 'number' && (!Number.isFinite(entry.prefactor) || entry.prefactor === 0)) {
      entry.note = `${entry.note ? `${entry.note}; ` : ''}the prefactor ${entry.prefactor === 0 ? 'underflows' : 'overflows'} double precision (its exact form is in latex)`;
      entry.prefactor = null;
      entry.latex = entry.latex.replace(/ \\approx .*$/, '');
    }
    return { entry, exact: true };
  } catch (error) {
    if (!(error instanceof ExactSizeError)) throw error;
    return { entry: floatEntry(spec, c, values, error.message), exact: false };
  }
}

function specIndex(set: LawSet): Map<string, LawSpec> {
  return new Map(lawSpecs(set).map((x) => [x.id, x]));
}

const SPEC_INDEX: Partial<Record<LawSet, Map<string, LawSpec>>> = {};

function escapeMd(s: string): string {
  return s.replace(/\|/g, '\\|');
}

/** Markdown table of a law list (LaTeX in $...$). */
export function lawsToMarkdown(table: ExponentTable): string {
  const dyn = !optimizerModule(table.optimizer).discrete ? '' : `, optimizer ${table.optimizer}${table.lr !== undefined ? `, eta = ${table.lr ?? 'eta (symbolic)'}` : ''}${table.batch !== undefined ? `, B = ${table.batch}` : ''}`;
  const head = table.a === null
    ? `# Scaling laws (symbolic a, b${dyn})\n`
    : `# Scaling laws at a = ${table.a}, b = ${table.b}${dyn} (phase ${table.phase})\n`;
  const notes = table.notes?.length ? `\n${table.notes.map((n) => `- ${n}`).join('\n')}\n` : '';
  const rows = table.laws.map((l) => {
    const law = l.unsupported ? `unsupported: ${l.unsupported}` : `$${l.latex}$`;
    const exp = l.exponentExact ?? (l.exponent === null ? '' : String(l.exponent));
    return `| ${l.id} | ${escapeMd(law)} | ${escapeMd(exp)} | ${escapeMd(l.condition)} |`;
  });
  return `${head}${notes}\n| id | law | exponent | condition |\n|---|---|---|---|\n${rows.join('\n')}\n`;
}

function latexText(s: string): string {
  return s.replace(/[\\{}&%$#_^~]/g, (ch) => (ch === '\\' ? '\\textbackslash{}' : ch === '^' ? '\\^{}' : ch === '~' ? '\\~{}' : `\\${ch}`)).replace(/</g, '$<$').replace(/>/g, '$>$');
}

/** LaTeX (align* environment) of a law list; unsupported laws as \text. */
export function lawsToLatex(table: ExponentTable): string {
  const lines = table.laws.map((l) => {
    if (l.unsupported) return `&\\text{${l.id.replace(/_/g, '\\_')}: unsupported}`;
    return `&${l.latex}`;
  });
  const phase = table.a === null ? '' : `&\\text{phase: ${latexText(table.phase)}${!optimizerModule(table.optimizer).discrete ? '' : ` (optimizer ${table.optimizer})`}} \\\\\n`;
  return `\\begin{aligned}\n${phase}${lines.join(' \\\\\n')}\n\\end{aligned}\n`;
}


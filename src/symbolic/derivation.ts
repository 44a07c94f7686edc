/**
 * Machine-checked derivations (STYLE 8): a derivation is a list of
 * steps, each claimed equal (=) or asymptotically equal (~) to the previous
 * one, and each claim is checked:
 *  - '=' between rational functions: exact polynomial arithmetic (poly.ts);
 *  - '=' between other Gamma-free expressions: nerdamer-prime simplify plus
 *    exact rational substitution (both must give 0);
 *  - '=' otherwise (Gamma, zeta, sums): identity testing at random points;
 *  - '~': the ratio of the two sides at increasing values of the limit
 *    variable must approach 1 (below the tolerance at the last value, and
 *    not further from 1 than at the first) at random parameter points.
 * Random points come from a seeded generator passed in (no global state).
 */
import { InvalidArgumentError } from '../core/errors.js';
import { casEqual, evaluate, type Expr, hasTranscendental } from './expr.js';
import { ratFuncEqual } from './poly.js';

export type Params = Readonly<Record<string, number>>;

export interface Step {
  readonly title: string;
  /** The expression after this step, in LaTeX. */
  readonly latex: string;
  /** Relation to the previous step (ignored for the first step). */
  readonly relation?: '=' | '~';
  /** Why the step holds (cite THEORY). */
  readonly why: string;
  /** Symbolic form, for exact checks and as numeric evaluator. */
  readonly expr?: Expr;
  /** Numeric evaluator (takes precedence over expr for numeric checks). */
  readonly value?: (p: Params) => number;
}

export interface Part {
  readonly title: string;
  /** Parameter ranges for random points. */
  readonly params: Readonly<Record<string, readonly [number, number]>>;
  /** For '~' steps: the variable sent to its limit and the values used. */
  readonly limit?: { readonly variable: string; readonly values: readonly number[]; readonly tolerance: number };
  readonly steps: readonly Step[];
}

export interface Derivation {
  readonly name: string;
  readonly title: string;
  /** THEORY equation(s) derived. */
  readonly theory: string;
  readonly summary: string;
  readonly parts: readonly Part[];
}

/** What listing needs, without running a derivation. */
export interface DerivationMeta {
  readonly name: string;
  readonly title: string;
  /** THEORY equation(s) derived. */
  readonly theory: string;
}

/** A registered derivation: its metadata now, its steps (engine calls, numeric references) on first use. */
export interface DerivationEntry extends DerivationMeta {
  build(): Derivation;
  /** True once build() has run (tests assert that listing and tables do not build). */
  isBuilt(): boolean;
}

/**
 * Registers a derivation whose body runs lazily (once): importing the
 * derivations, listing them or computing a table must not run the symbolic
 * and numeric work of every derivation.
 */
export function defineDerivation(meta: DerivationMeta, build: () => Derivation): DerivationEntry {
  let built: Derivation | undefined;
  return {
    ...meta,
    build(): Derivation {
      if (!built) {
        const d = build();
        if (d.name !== meta.name || d.title !== meta.title || d.theory !== meta.theory) {
          throw new InvalidArgumentError('derivation', 'built derivation does not match its registered name, title and theory', meta.name);
        }
        built = d;
      }
      return built;
    },
    isBuilt: () => built !== undefined,
  };
}

/** The check of one derivation step. */
export interface StepCheck {
  readonly part: number;
  readonly step: number;
  readonly title: string;
  readonly ok: boolean;
  readonly method: string;
  readonly detail: string;
}

/** The result of checking a derivation, step by step. */
export interface DerivationCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly steps: readonly StepCheck[];
}

/** Settings of checkDerivation. */
export interface CheckOptions {
  readonly seed?: number;
  /** Random points per identity / asymptotic check (default 4 / 2). */
  readonly identityPoints?: number;
  readonly asymptoticPoints?: number;
  /** Relative tolerance of numeric identities (default 1e-9). */
  readonly identityTolerance?: number;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function valueOf(step: Step, p: Params): number {
  if (step.value) return step.value(p);
  if (step.expr) return evaluate(step.expr, p);
  throw new InvalidArgumentError('step', 'needs expr or value', step.title);
}

function samplePoint(part: Part, next: () => number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, [lo, hi]] of Object.entries(part.params)) out[name] = lo + (hi - lo) * next();
  return out;
}

function checkStep(part: Part, prev: Step, cur: Step, next: () => number, options: CheckOptions): { ok: boolean; method: string; detail: string } {
  const relation = cur.relation ?? '=';
  if (relation === '=') {
    if (prev.expr && cur.expr && !hasTranscendental(prev.expr) && !hasTranscendental(cur.expr)) {
      const exact = ratFuncEqual(prev.expr, cur.expr);
      if (exact !== undefined) return { ok: exact, method: 'exact rational-function arithmetic', detail: exact ? 'difference is 0' : 'difference is not 0' };
      const cas = casEqual(prev.expr, cur.expr);
      return { ok: cas, method: 'nerdamer-prime simplify + exact rational substitution', detail: cas ? 'difference is 0' : 'difference is not 0' };
    }
    const n = options.identityPoints ?? 4;
    const tol = options.identityTolerance ?? 1e-9;
    let worst = 0;
    for (let i = 0; i < n; i++) {
      const p = samplePoint(part, next);
      if (part.limit) p[part.limit.variable] = part.limit.values[Math.floor(next() * part.limit.values.length)];
      const x = valueOf(prev, p);
      const y = valueOf(cur, p);
      const rel = Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y), 1e-300);
      if (!Number.isFinite(rel)) return { ok: false, method: `identity at ${n} random points`, detail: 'non-finite value' };
      worst = Math.max(worst, rel);
    }
    return { ok: worst <= tol, method: `identity at ${n} random points`, detail: `worst relative difference ${worst.toExponential(1)} (tolerance ${tol})` };
  }
  const limit = part.limit;
  if (!limit) return { ok: false, method: 'asymptotic ratio', detail: 'part has no limit variable' };
  const n = options.asymptoticPoints ?? 2;
  let worst = 0;
  for (let i = 0; i < n; i++) {
    const p = samplePoint(part, next);
    const devs = limit.values.map((v) => {
      const q = { ...p, [limit.variable]: v };
      return Math.abs(valueOf(cur, q) / valueOf(prev, q) - 1);
    });
    const first = devs[0];
    const last = devs[devs.length - 1];
    if (!Number.isFinite(last) || last > limit.tolerance || last > first + 1e-12) {
      return { ok: false, method: 'asymptotic ratio -> 1', detail: `|ratio - 1| = ${first.toExponential(1)} at ${limit.variable} = ${limit.values[0]}, ${last.toExponential(1)} at ${limit.values[limit.values.length - 1]} (tolerance ${limit.tolerance})` };
    }
    worst = Math.max(worst, last);
  }
  return { ok: true, method: 'asymptotic ratio -> 1', detail: `|ratio - 1| <= ${worst.toExponential(1)} at ${limit.variable} = ${limit.values[limit.values.length - 1]}` };
}

/** Checks every step of a derivation against its predecessor. */
export function checkDerivationSteps(d: Derivation, options: CheckOptions = {}): DerivationCheck {
  const next = rng(options.seed ?? 20240201);
  const steps: StepCheck[] = [];
  d.parts.forEach((part, pi) => {
    part.steps.forEach((step, si) => {
      if (si === 0) return;
      let r: { ok: boolean; method: string; detail: string };
      try {
        r = checkStep(part, part.steps[si - 1], step, next, options);
      } catch (error) {
        r = { ok: false, method: 'error', detail: (error as Error).message };
      }
      steps.push({ part: pi, step: si, title: step.title, ...r });
    });
  });
  return { name: d.name, ok: steps.every((s) => s.ok), steps };
}

/** Markdown with LaTeX ($$ ... $$); the check outcome of each step (method, pass/fail; no numbers, so the file is stable). */
export function derivationToMarkdown(d: Derivation, check: DerivationCheck): string {
  const lines: string[] = [];
  lines.push(`<!-- generated by scripts/symbolic/render-derivations.ts from derivations/${d.name}.ts; do not edit -->`);
  lines.push(`# ${d.title}`, '', `Derives THEORY ${d.theory}. ${d.summary}`, '');
  lines.push(`Check status: ${check.ok ? 'all steps verified' : 'SOME STEPS FAILED'}.`, '');
  d.parts.forEach((part, pi) => {
    lines.push(`## ${part.title}`, '');
    const ranges = Object.entries(part.params).map(([k, [lo, hi]]) => `${k} in [${lo}, ${hi}]`).join(', ');
    if (ranges) lines.push(`Random points: ${ranges}${part.limit ? `; limit ${part.limit.variable} over ${part.limit.values.join(', ')}` : ''}.`, '');
    part.steps.forEach((step, si) => {
      const rel = si === 0 ? '' : step.relation === '~' ? '\\simeq ' : '= ';
      lines.push(`${si + 1}. **${step.title}.** ${step.why}`, '', `$$${rel}${step.latex}$$`, '');
      if (si > 0) {
        const c = check.steps.find((s) => s.part === pi && s.step === si);
        lines.push(`   Check: ${c?.method ?? 'none'}: ${c?.ok ? 'passed' : 'FAILED'}.`, '');
      }
    });
  });
  return `${lines.join('\n').trimEnd()}\n`;
}

/** Plain text (terminal) rendering. */
export function derivationToText(d: Derivation, check: DerivationCheck): string {
  const lines: string[] = [`${d.title} (THEORY ${d.theory})`, d.summary, ''];
  d.parts.forEach((part, pi) => {
    lines.push(`[${part.title}]`);
    part.steps.forEach((step, si) => {
      const c = check.steps.find((s) => s.part === pi && s.step === si);
      lines.push(`  ${si + 1}. ${step.title}: ${si === 0 ? '' : step.relation === '~' ? '~ ' : '= '}${step.latex}`);
      lines.push(`     ${step.why}`);
      if (c) lines.push(`     check: ${c.method}: ${c.ok ? 'passed' : 'FAILED'} (${c.detail})`);
    });
  });
  return `${lines.join('\n')}\n`;
}

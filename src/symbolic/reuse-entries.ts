/**
 * The data-reuse laws of SGD on P samples (THEORY E28b; docs/theory.md "Data reuse laws") as rows of an
 * exponent table, the `exponents --optimizer sgd --P` output: at numbers (a, b) the case that holds there,
 * with the rate, batch, label noise and P substituted where they are given (the prefactor is a number only
 * when every symbol in it is); with (a, b) symbolic, every case with its condition. The ids are those of the
 * rows `reconcile --optimizer sgd --P` measures against the DMFT (src/reconcile/reuse.ts).
 */
import { type Expr, evaluate, num, simplifyExpr, substitute, toLatex, toText } from './expr.js';
import { A, B } from './laws.js';
import { Rational } from './rational.js';
import {
  earlyStoppingLaws, epochHorizonLaw, epochLossLaw, noiseGapLaw, noiseVarianceLaw, REUSE_BATCH, REUSE_ETA, reuseHorizonLaw, reuseLimitLaw, SAMPLES, SIGMA,
} from './reuse-laws.js';
import type { LawEntry } from './table.js';
import { type Case, conditionText, decide, isUnsupported, rationalEnv } from './terms.js';

const REUSE_LAWS: readonly { id: string; quantity: string; cases: () => Case[] }[] = [
  { id: 'reuse_horizon', quantity: 'steps t_x(P) up to which SGD on P samples follows the one-pass time law in steps (sigma = 0)', cases: () => reuseHorizonLaw(A, B) },
  { id: 'reuse_horizon_epochs', quantity: 'the reuse horizon in epochs, E_x = t_x B / P', cases: () => epochHorizonLaw(A, B) },
  { id: 'reuse_epoch_loss', quantity: 'L after E epochs at batch B (t = E P / B steps), E below the epoch horizon', cases: () => epochLossLaw(A, B) },
  { id: 'reuse_noise_gap', quantity: 'label-noise part of the train-test gap, first order in 1/P, 1 << eta t << P^b', cases: () => noiseGapLaw(A, B) },
  { id: 'reuse_noise_variance', quantity: 'label-noise variance of the test loss, first order in 1/P', cases: () => noiseVarianceLaw(A, B) },
  { id: 'reuse_early_stopping_steps', quantity: 'best step count t*(P) under label noise', cases: () => earlyStoppingLaws(A, B).steps },
  { id: 'reuse_early_stopping_loss', quantity: 'excess loss L(t*) - sigma^2 at the best step count', cases: () => earlyStoppingLaws(A, B).excess },
  { id: 'reuse_limit', quantity: 'L(t -> inf) of SGD on P samples at N >= P: the gradient-flow data law (E18)', cases: () => reuseLimitLaw(A, B) },
];

/** What is known of the symbols besides (a, b); an absent one stays a symbol in the prefactor. */
export interface ReuseValues {
  readonly eta?: number;
  readonly batch?: number;
  readonly sigma?: number;
  readonly P?: number;
}

function valueEnv(values: ReuseValues): Record<string, Expr> {
  const env: Record<string, Expr> = {};
  const put = (symbol: Expr, value: number | undefined, flag: string) => {
    if (value !== undefined && Number.isFinite(value) && symbol.k === 'sym') env[symbol.name] = num(Rational.fromNumber(value, flag));
  };
  put(REUSE_ETA, values.eta, 'lr');
  put(REUSE_BATCH, values.batch, 'batch');
  put(SIGMA, values.sigma, 'sigma');
  put(SAMPLES, values.P, 'P');
  return env;
}

/** The reuse laws as exponent-table rows (see the file comment). */
export function reuseLawEntries(a: number | undefined, b: number | undefined, values: ReuseValues = {}): LawEntry[] {
  if (a === undefined || b === undefined) {
    return REUSE_LAWS.flatMap(({ id, quantity, cases }) =>
      cases().map((c): LawEntry => {
        const base = { id, quantity, variable: c.variable, condition: conditionText(c.condition) };
        if (isUnsupported(c)) return { ...base, exponent: null, prefactor: null, latex: '\\text{unsupported}', unsupported: c.unsupported };
        return { ...base, exponent: toText(c.exponent), prefactor: toText(c.coefficient), latex: `${toLatex(c.coefficient)}\\, ${c.variable}^{${toLatex(c.exponent)}}`, note: c.mechanism };
      }),
    );
  }
  const env = { ...rationalEnv(a, b), ...valueEnv(values) };
  return REUSE_LAWS.map(({ id, quantity, cases }): LawEntry => {
    const hit = cases().find((c) => decide(c.condition, env) === true);
    if (!hit) return { id, quantity, variable: '', exponent: null, prefactor: null, condition: 'no case', latex: '\\text{unsupported}', unsupported: 'no case of the derivation holds at these (a, b)' };
    const base = { id, quantity, variable: hit.variable, condition: conditionText(hit.condition) };
    if (isUnsupported(hit)) return { ...base, exponent: null, prefactor: null, latex: '\\text{unsupported}', unsupported: hit.unsupported };
    const exponent = evaluate(simplifyExpr(substitute(hit.exponent, env)));
    const coefficient = simplifyExpr(substitute(hit.coefficient, env));
    let prefactor: number | null = null;
    try {
      prefactor = evaluate(coefficient);
    } catch {
      prefactor = null; // a symbol without a value (eta, B, sigma or P not given): the prefactor stays symbolic
    }
    const shown = prefactor !== null && Number.isFinite(prefactor) ? `${Number(prefactor.toPrecision(6))}` : toLatex(coefficient);
    const known = prefactor !== null && Number.isFinite(prefactor) ? prefactor : null;
    // A law in P at the user's P: its value there.
    const atP = known !== null && hit.variable === 'P' && values.P !== undefined && Number.isFinite(values.P)
      ? `; at P = ${values.P}: ${Number((known * values.P ** exponent).toPrecision(6))}`
      : '';
    return { ...base, exponent, prefactor: known, latex: `${shown}\\, ${hit.variable}^{${Number(exponent.toPrecision(12))}}`, note: `${hit.mechanism}${atP}` };
  });
}

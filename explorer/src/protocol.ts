/**
 * Messages between the page and its solver workers. Every request carries an
 * id; a reply names the id it answers, so the page drops replies to requests
 * it has moved past (a slider moved on).
 */
import type { ComputeFrontier, LawEntry, ReconciliationRow } from '../../src/index.js';

/** A file the worker can read through the library's file loader (in memory). */
export interface VirtualFile {
  readonly path: string;
  readonly text: string;
}

/** What the page asks: the curve (fast), or the laws, fits, frontier and diagrams (slower). */
export interface SolveRequest {
  readonly id: number;
  readonly kind: 'curve' | 'analysis';
  /** Flags of `scaling-dmft curve` (strings as typed; `simulate` a switch). */
  readonly flags: Record<string, string | boolean>;
  readonly files: readonly VirtualFile[];
}

/** The DMFT curve, the CSV the CLI writes for it, and the simulation beside it when asked. */
export interface CurveResult {
  readonly csv: string;
  readonly t: number[];
  readonly test: number[];
  readonly testErr: number[];
  readonly train: number[];
  readonly bias: number[];
  readonly gap: number[];
  readonly testA: number[];
  readonly statusPerTime: string[];
  readonly status: string;
  readonly message: string;
  readonly simulation?: {
    readonly seeds: number;
    readonly status: string;
    readonly test: { mean: number[]; stderr: number[] };
    readonly train: { mean: number[]; stderr: number[] };
  };
  /** Solve time in the worker, ms. */
  readonly ms: number;
}

/** A spectrum fit (THEORY E31) as the page draws it. */
export interface FitLine {
  readonly value: number;
  readonly stderr: number;
  readonly prefactor: number;
  readonly from: number;
  readonly to: number;
  readonly status: string;
}

/** The task's spectrum as drawn (the first modes), with its fit for a custom spectrum. */
export interface SpectrumView {
  readonly k: number[];
  readonly lambda: number[];
  readonly c: number[];
  fitA?: FitLine;
  fitB?: FitLine;
}

/** Parts of the analysis, sent as each is ready. */
export type AnalysisPart =
  | {
      readonly part: 'laws';
      /** The (a, b) the laws are evaluated at (the fit for a custom spectrum). */
      readonly a: number | null;
      readonly b: number | null;
      readonly source: 'power law' | 'spectrum fit';
      readonly phase: string;
      readonly notes: string[];
      readonly laws: LawEntry[];
      readonly lawsError?: string;
      readonly spectrum: SpectrumView;
      readonly phaseDiagram?: unknown;
    }
  | {
      readonly part: 'fits';
      readonly rows: ReconciliationRow[];
      readonly frontier?: ComputeFrontier;
      readonly ms: number;
    }
  | { readonly part: 'fits-skipped'; readonly reason: string };

/** Replies of the workers. */
export type SolveReply =
  | { readonly id: number; readonly kind: 'progress'; readonly text: string }
  | { readonly id: number; readonly kind: 'curve'; readonly result: CurveResult }
  | { readonly id: number; readonly kind: 'analysis'; readonly result: AnalysisPart }
  | { readonly id: number; readonly kind: 'done' }
  | { readonly id: number; readonly kind: 'error'; readonly message: string; readonly argument?: string };

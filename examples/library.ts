/**
 * scaling-dmft as a library: a typed ESM script over the public API, doing
 * what `scaling-dmft curve --a 1.5 --b 1.25 --N 256 --P 1024 --t 1:1e4:5,inf
 * --format csv` does (the CLI takes either a grid or a list; the API any times).
 *
 * Run it from the repository with `npx tsx examples/library.ts`. In your own
 * project, import from 'scaling-dmft' instead of '../src/index.js'.
 */
import {
  computeCurveReport,
  formatCurveReport,
  isSuccess,
  logGrid,
  powerLawSpectrum,
  type CurveReport,
  type CurveReportProblem,
} from '../src/index.js';

/** The DMFT curve of a power-law task (THEORY E7) at N = 256 parameters and P = 1024 samples. */
export async function curveExample(): Promise<CurveReport> {
  const problem: CurveReportProblem = {
    spectrum: powerLawSpectrum({ a: 1.5, b: 1.25 }), // lambda_k = k^-1.25, c_k = k^-1.5, infinitely many modes
    N: 256,
    P: 1024,
    sigma: 0,
    t: [...logGrid(1, 1e4, 5), Infinity], // five log-spaced times and the static limit
  };
  return computeCurveReport(problem);
}

/** Prints the curve as CSV and its static limit with the error estimate, and returns the text. */
export async function main(): Promise<string> {
  const report = await curveExample();
  const { theory } = report;
  if (!isSuccess(theory)) throw new Error(`the DMFT curve did not converge: ${theory.status} ${theory.message}`);
  const last = theory.t.length - 1;
  const lines = [
    formatCurveReport(report, 'csv'),
    '',
    `L(t = inf) = ${theory.test[last]} +- ${theory.errorEstimate.test[last]} (N = 256, P = 1024, THEORY E16b)`,
  ];
  const text = lines.join('\n');
  process.stdout.write(`${text}\n`);
  return text;
}

// Run when executed directly (not when imported by the test).
if (import.meta.url === `file://${process.argv[1]}`) await main();

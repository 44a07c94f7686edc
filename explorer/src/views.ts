/**
 * Vega-Lite specifications of the explorer's figures: loss curves with the
 * theory's error band (and the simulator's means with standard errors), the
 * compute-optimal frontier, the task's spectrum with its fit. Every figure
 * has tooltips and zooms and pans with the mouse wheel and drag (an interval
 * selection bound to the scales); the axes are logarithmic where the page's
 * switches say so. The phase diagram is the library's own specification
 * (renderPhaseDiagram), drawn as it comes.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ComputeFrontier } from '../../src/index.js';
import type { CurveResult, FitLine, SpectrumView } from './protocol.js';

/** Axis scales chosen on the page. */
export interface AxisChoice {
  readonly logX: boolean;
  readonly logY: boolean;
}

const HEIGHT = 300;
const ZOOM = [{ name: 'zoom', select: { type: 'interval', encodings: ['x', 'y'] }, bind: 'scales' }];
const COLOURS = { test: '#1f5fa8', train: '#d9730d', gap: '#2a9d55', bias: '#8e44ad', 'test (simulation)': '#1f5fa8', 'train (simulation)': '#d9730d' };

function scale(log: boolean): Record<string, unknown> {
  return log ? { type: 'log' } : { type: 'linear', zero: false };
}

const base = (title: string, description: string) => ({
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  title: { text: title, anchor: 'start', fontSize: 14 },
  description,
  width: 'container',
  height: HEIGHT,
  autosize: { type: 'fit-x', contains: 'padding' },
  config: { font: 'system-ui, sans-serif', axis: { labelFontSize: 11, titleFontSize: 12 }, legend: { labelFontSize: 11, orient: 'top-right' } },
});

/** Points a log axis can show: finite, and positive where the axis is logarithmic. */
function drawable(x: number, y: number, axes: AxisChoice): boolean {
  return Number.isFinite(x) && Number.isFinite(y) && (!axes.logX || x > 0) && (!axes.logY || y > 0);
}

/** Loss curves L(t): test with its error band, train, gap, bias; the simulation's means with error bars when present. */
export function curveSpec(curve: CurveResult, axes: AxisChoice): TopLevelSpec {
  const rows: Record<string, unknown>[] = [];
  const series: [string, number[]][] = [
    ['test', curve.test],
    ['train', curve.train],
    ['gap', curve.gap],
    ['bias', curve.bias],
  ];
  for (const [quantity, values] of series) {
    curve.t.forEach((t, i) => {
      if (!drawable(t, values[i], axes)) return;
      const err = quantity === 'test' ? curve.testErr[i] : undefined;
      rows.push({ t, quantity, value: values[i], err, lo: err === undefined ? undefined : values[i] - err, hi: err === undefined ? undefined : values[i] + err, status: curve.statusPerTime[i] });
    });
  }
  const simulated: Record<string, unknown>[] = [];
  const sim = curve.simulation;
  if (sim) {
    for (const [quantity, estimate] of [['test (simulation)', sim.test], ['train (simulation)', sim.train]] as const) {
      curve.t.forEach((t, i) => {
        const mean = estimate.mean[i];
        const se = estimate.stderr[i];
        if (!drawable(t, mean, axes)) return;
        simulated.push({ t, quantity, mean, se, lo: Math.max(mean - se, axes.logY ? mean * 1e-3 : -Infinity), hi: mean + se });
      });
    }
  }
  const x = { field: 't', type: 'quantitative', title: 't (time; steps for discrete optimizers)', scale: scale(axes.logX), axis: { format: '~g', labelOverlap: 'greedy' } };
  const y = { type: 'quantitative', title: 'loss', scale: scale(axes.logY), axis: { format: '~g', labelOverlap: 'greedy' } };
  const shown = Object.keys(COLOURS).filter((name) => rows.some((r) => r.quantity === name) || simulated.some((r) => r.quantity === name));
  const color = { field: 'quantity', type: 'nominal', title: null, scale: { domain: shown, range: shown.map((name) => COLOURS[name as keyof typeof COLOURS]) } };
  const layers: unknown[] = [
    {
      // THEORY error band: value +- the solver's error estimate (usually far thinner than the line).
      transform: [{ filter: "datum.quantity === 'test'" }],
      mark: { type: 'area', opacity: 0.25, color: COLOURS.test },
      encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' } },
    },
    {
      params: ZOOM,
      mark: { type: 'line', point: { size: 28 }, strokeWidth: 2 },
      encoding: {
        x,
        y: { ...y, field: 'value' },
        color,
        tooltip: [
          { field: 'quantity', type: 'nominal' },
          { field: 't', type: 'quantitative', format: '.6g' },
          { field: 'value', type: 'quantitative', format: '.10g', title: 'loss' },
          { field: 'err', type: 'quantitative', format: '.2e', title: 'error estimate' },
          { field: 'status', type: 'nominal' },
        ],
      },
    },
  ];
  if (simulated.length > 0) {
    layers.push({
      data: { values: simulated },
      layer: [
        { mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' }, color } },
        {
          mark: { type: 'point', shape: 'square', filled: false, size: 50 },
          encoding: {
            x,
            y: { ...y, field: 'mean' },
            color,
            tooltip: [
              { field: 'quantity', type: 'nominal' },
              { field: 't', type: 'quantitative', format: '.6g' },
              { field: 'mean', type: 'quantitative', format: '.6g' },
              { field: 'se', type: 'quantitative', format: '.2e', title: 'standard error' },
            ],
          },
        },
      ],
    });
  }
  return {
    ...base('Loss curves (DMFT)', 'Test, train, gap and bias losses against time, with the error band of the test loss'),
    data: { values: rows },
    layer: layers,
  } as unknown as TopLevelSpec;
}

/** The compute-optimal frontier: fixed-N curves L(C/N; N) and their lower envelope L*(C), with N* and t* in the tooltips. */
export function frontierSpec(frontier: ComputeFrontier, axes: AxisChoice): TopLevelSpec {
  const curves: Record<string, unknown>[] = [];
  for (const curve of frontier.curves) {
    curve.C.forEach((C, i) => {
      if (drawable(C, curve.L[i], axes)) curves.push({ C, L: curve.L[i], N: curve.N });
    });
  }
  const envelope = frontier.C.map((C, i) => ({ C, L: frontier.Lstar[i], Nstar: frontier.Nstar[i], tstar: frontier.tstar[i], interior: frontier.interior[i] })).filter(
    (row) => row.interior && drawable(row.C, row.L, axes),
  );
  const x = { field: 'C', type: 'quantitative', title: 'compute C = N t', scale: scale(axes.logX), axis: { format: '~g', labelOverlap: 'greedy' } };
  const y = { field: 'L', type: 'quantitative', title: 'test loss', scale: scale(axes.logY), axis: { format: '~g', labelOverlap: 'greedy' } };
  return {
    ...base('Compute-optimal frontier', 'Fixed-N loss curves against compute and their lower envelope'),
    layer: [
      {
        data: { values: curves },
        mark: { type: 'line', strokeWidth: 1, color: '#9aa5b1' },
        encoding: { x, y, detail: { field: 'N', type: 'quantitative' }, tooltip: [{ field: 'N', type: 'quantitative', format: '.4g', title: 'fixed N' }] },
      },
      {
        data: { values: envelope },
        params: ZOOM,
        mark: { type: 'line', point: { size: 24, color: '#b3261e' }, color: '#b3261e', strokeWidth: 2.5 },
        encoding: {
          x,
          y,
          tooltip: [
            { field: 'C', type: 'quantitative', format: '.4g', title: 'C' },
            { field: 'L', type: 'quantitative', format: '.6g', title: 'L*' },
            { field: 'Nstar', type: 'quantitative', format: '.4g', title: 'N*' },
            { field: 'tstar', type: 'quantitative', format: '.4g', title: 't*' },
          ],
        },
      },
    ],
  } as unknown as TopLevelSpec;
}

function fitRows(fit: FitLine | undefined, series: string): Record<string, unknown>[] {
  if (!fit) return [];
  // THEORY (E31): lambda_k ~ prefactor k^-b, c_k ~ prefactor k^-a over the fit's window.
  return [fit.from, fit.to].map((k) => ({ k, value: fit.prefactor * k ** -fit.value, series: `${series} fit k^-${fit.value.toFixed(3)} ± ${fit.stderr.toFixed(3)}` }));
}

/** The task's spectrum: eigenvalues lambda_k and task powers c_k against k, with the fitted power laws of a custom spectrum. */
export function spectrumSpec(view: SpectrumView, axes: AxisChoice): TopLevelSpec {
  const points: Record<string, unknown>[] = [];
  view.k.forEach((k, i) => {
    if (drawable(k, view.lambda[i], axes)) points.push({ k, value: view.lambda[i], series: 'lambda_k' });
    if (drawable(k, view.c[i], axes)) points.push({ k, value: view.c[i], series: 'c_k' });
  });
  const fits = [...fitRows(view.fitB, 'lambda_k'), ...fitRows(view.fitA, 'c_k')];
  const x = { field: 'k', type: 'quantitative', title: 'mode k', scale: scale(axes.logX), axis: { format: '~g', labelOverlap: 'greedy' } };
  const y = { field: 'value', type: 'quantitative', title: 'lambda_k, c_k', scale: scale(axes.logY), axis: { format: '~g', labelOverlap: 'greedy' } };
  return {
    ...base('Spectrum of the task', 'Eigenvalues and task powers per mode'),
    layer: [
      {
        data: { values: points },
        params: ZOOM,
        mark: { type: 'point', size: 10, filled: true, opacity: 0.7 },
        encoding: {
          x,
          y,
          color: { field: 'series', type: 'nominal', title: null },
          tooltip: [
            { field: 'series', type: 'nominal' },
            { field: 'k', type: 'quantitative' },
            { field: 'value', type: 'quantitative', format: '.6g' },
          ],
        },
      },
      ...(fits.length === 0
        ? []
        : [
            {
              data: { values: fits },
              mark: { type: 'line', strokeWidth: 2.5, strokeDash: [6, 3], color: '#222' },
              encoding: { x, y, detail: { field: 'series', type: 'nominal' }, tooltip: [{ field: 'series', type: 'nominal', title: 'fit' }] },
            },
          ]),
    ],
  } as unknown as TopLevelSpec;
}

/**
 * The analysis worker: the closed-form laws of the current setting
 * (exponentTable, with the ridge and schedule rows and notes of
 * dynamicsLawEntries as `exponents` prints them), the task's spectrum and, for a custom spectrum, its fit
 * (THEORY E31), the phase diagram with the current point (renderPhaseDiagram),
 * then the exponents measured from DMFT curves and the compute-optimal
 * frontier (reconcileCase, seconds). The page terminates this worker when the
 * task or the dynamics change, so a long fit is cancelled, never waited for.
 */
import { dynamicsLawEntries, exponentTable, fitSpectrum, GRADIENT_FLOW, logGrid, modeArrays, modeCount, reconcileCase, renderPhaseDiagram, type LawEntry, type Spectrum } from '../../src/index.js';
import type { FitLine, SolveRequest, SpectrumView } from './protocol.js';
import { parse, post, serve } from './worker-common.js';

/** Modes drawn in the spectrum view for an infinite power law (the figure's k axis), and how many of them are drawn. */
const SPECTRUM_VIEW_MODES = 1000;
const POWER_LAW_VIEW_POINTS = 120;

function fitLine(fit: ReturnType<typeof fitSpectrum>['a']): FitLine | undefined {
  if (fit.window === null || !Number.isFinite(fit.value)) return undefined;
  return { value: fit.value, stderr: fit.stderr, prefactor: fit.prefactor, from: fit.window.from, to: fit.window.to, status: fit.status };
}

function spectrumView(spectrum: Spectrum): SpectrumView {
  const count = Math.min(modeCount(spectrum), SPECTRUM_VIEW_MODES);
  const { lambda, c } = modeArrays(spectrum, count);
  // Every mode of a measured spectrum (its scatter is the point); a power law's modes on a log grid (a straight line).
  const k = spectrum.kind === 'custom' ? Array.from({ length: count }, (_, i) => i + 1) : [...new Set(logGrid(1, count, POWER_LAW_VIEW_POINTS).map(Math.round))];
  return { k, lambda: k.map((x) => lambda[x - 1]), c: k.map((x) => c[x - 1]) };
}

/**
 * The library labels a marked case with its fitted exponent ("fit ... ±
 * ..."); the current point has no fit of its own, so its label says what it is.
 */
function relabelMarks(spec: unknown, label: string): unknown {
  if (Array.isArray(spec)) return spec.map((x) => relabelMarks(x, label));
  if (spec === null || typeof spec !== 'object') return spec;
  const record = spec as Record<string, unknown>;
  if ('a' in record && 'b' in record && 'right' in record && typeof record.text === 'string') return { ...record, text: label };
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, relabelMarks(v, label)]));
}

async function analyse(request: SolveRequest): Promise<void> {
  const { problem } = parse(request);
  const spectrum = problem.spectrum;
  const dynamics = problem.dynamics ?? GRADIENT_FLOW;
  const view = spectrumView(spectrum);
  const notes: string[] = [];
  let a: number | null = null;
  let b: number | null = null;
  let source: 'power law' | 'spectrum fit' = 'power law';
  if (spectrum.kind === 'power-law') {
    a = spectrum.a;
    b = spectrum.b;
  } else {
    source = 'spectrum fit';
    post({ id: request.id, kind: 'progress', text: 'fitting the spectrum (THEORY E31)...' });
    try {
      const fit = fitSpectrum(spectrum.lambda, spectrum.c, { laws: false });
      view.fitA = fitLine(fit.a);
      view.fitB = fitLine(fit.b);
      if (Number.isFinite(fit.a.value) && Number.isFinite(fit.b.value)) {
        a = fit.a.value;
        b = fit.b.value;
        notes.push(`laws at the fitted a = ${fit.a.value.toPrecision(4)} ± ${fit.a.stderr.toPrecision(2)}, b = ${fit.b.value.toPrecision(4)} ± ${fit.b.stderr.toPrecision(2)} (${fit.a.status}, ${fit.b.status})`);
      } else notes.push(`the spectrum fit gave no exponents: ${fit.a.message || fit.b.message}`);
    } catch (error) {
      notes.push(`the spectrum cannot be fitted: ${(error as Error).message}`);
    }
  }
  let laws: LawEntry[] = [];
  let phase = '';
  let lawsError: string | undefined;
  if (a !== null && b !== null) {
    try {
      const table = exponentTable({ a, b }, { dynamics });
      // The ridge (E25) and schedule (E28c) rows and notes beside the table's, as `exponents` prints them.
      const extra = dynamicsLawEntries(a, b, dynamics, { rateKnown: true });
      laws = [...table.laws, ...extra.laws];
      phase = table.phase;
      notes.push(...(table.notes ?? []), ...extra.notes);
    } catch (error) {
      lawsError = (error as Error).message;
    }
  }
  let phaseDiagram: unknown;
  if (a !== null && b !== null) {
    // The current point, marked on both panels; the ranges grow to hold it.
    const mark = (panel: 'sgd' | 'gf') => ({ a: a!, b: b!, dynamics: panel, fitted: null, stderr: null, closedForm: null });
    const rendered = await renderPhaseDiagram({
      aRange: [1, Math.max(7, Math.ceil(a + 0.5))],
      bRange: [1, Math.max(3, Math.ceil(b + 0.5))],
      panelWidth: 300,
      panelHeight: 210,
      step: 0.1,
      measured: [mark('sgd'), mark('gf')],
      caption: 'Colour: the closed-form N* exponent (THEORY E29 for SGD, E21 for gradient flow). White lines: a = b + 1 and a = 2b. Diamond: the current (a, b).',
    });
    phaseDiagram = relabelMarks(rendered.vegaLite, `current (a, b) = (${a.toPrecision(4)}, ${b.toPrecision(4)})`);
  }
  post({ id: request.id, kind: 'analysis', result: { part: 'laws', a, b, source, phase, notes, laws, lawsError, spectrum: view, phaseDiagram } });
  if (spectrum.kind !== 'power-law' || dynamics.kind !== 'gf' || !(a! > 1 && b! > 1)) {
    const reason =
      spectrum.kind !== 'power-law'
        ? 'measured exponents need a power-law task (a, b)'
        : dynamics.kind !== 'gf'
          ? `measured exponents and the frontier are reconciled for gradient flow (this is ${dynamics.kind}); the closed forms above are for ${dynamics.kind}`
          : 'measured exponents need a > 1 and b > 1';
    post({ id: request.id, kind: 'analysis', result: { part: 'fits-skipped', reason } });
    return;
  }
  post({ id: request.id, kind: 'progress', text: 'measuring exponents and the compute-optimal frontier from the DMFT (a few seconds)...' });
  const started = performance.now();
  const measured = reconcileCase({ a: a!, b: b! }, { figures: true });
  post({ id: request.id, kind: 'analysis', result: { part: 'fits', rows: measured.rows, frontier: measured.measurements.compute, ms: performance.now() - started } });
}

serve(analyse);

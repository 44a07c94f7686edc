/**
 * The explorer page: controls bound to the `curve` command's flags (the URL
 * holds them), two solver workers (the curve, then the laws, fits and
 * diagrams), the figures (Vega-Lite through vega-embed), the data table
 * (#curve-table, full-precision data attributes) and the exports (the CLI's
 * CSV, SVG and PNG figures, the reproducing command line).
 */
import type { Result as EmbedResult } from 'vega-embed';
import type { TopLevelSpec } from 'vega-lite';
import { fullPrecision, isDiscrete, logGrid, makeDynamics, OPTIMIZERS, type LawEntry, type OptimizerName, type ReconciliationRow } from '../../src/index.js';
import { optimizerCatalogue, scheduleProblem } from './dynamics-fields.js';
import type { AnalysisPart, CurveResult, SolveReply, SolveRequest, VirtualFile } from './protocol.js';
import { SolverChannel } from './solver-channel.js';
import { cliCommand, commandFlags, DEFAULT_FLAGS, MNIST_SPECTRUM_PATH, queryFromState, stateFromQuery, TASK_FLAGS, type DataChoice, type ExplorerState } from './state.js';
// The shipped MNIST spectrum, copied into the site by the build (the repository's file, not a copy of it).
import mnistSpectrumUrl from '../../examples/mnist-parity-spectrum.csv?url';
import { curveSpec, frontierSpec, spectrumSpec, type AxisChoice } from './views.js';

/** A curve solve that runs longer than this is cancelled (worker restarted) when the state changes again. */
const CURVE_STALL_MS = 250;

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from index.html`);
  return element as T;
};

// ---------------------------------------------------------------------------
// State

const initial = stateFromQuery(location.search);
let data: DataChoice = initial.data;
let fileName: string | undefined = initial.file;
const flags: Record<string, string> = { ...initial.flags };
/** Files the workers can read (the MNIST spectrum once fetched, a dropped file). */
const files = new Map<string, string>();

function currentState(): ExplorerState {
  return { data, file: fileName, flags: { ...flags } };
}

// ---------------------------------------------------------------------------
// Controls

interface FieldSpec {
  readonly name: string;
  readonly label: string;
  readonly hint?: string;
  readonly placeholder?: string;
  /** Free text (a list or a spec) rather than a number: no decimal keypad. */
  readonly text?: boolean;
  /** A slider beside the text box: linear, or over log10 of an integer. */
  readonly slider?: { readonly min: number; readonly max: number; readonly step: number; readonly log?: boolean };
}

const POWER_FIELDS: FieldSpec[] = [
  { name: 'a', label: 'a (c_k ~ k^-a)', slider: { min: 1.05, max: 5, step: 0.01 } },
  { name: 'b', label: 'b (lambda_k ~ k^-b)', slider: { min: 1.05, max: 4, step: 0.01 } },
  { name: 'M', label: 'modes M', hint: 'integer or inf', placeholder: 'inf', slider: { min: 1, max: 5, step: 0.05, log: true } },
];
const MODEL_FIELDS: FieldSpec[] = [
  { name: 'N', label: 'width N', hint: 'integer or inf', slider: { min: 0, max: 6, step: 0.05, log: true } },
  { name: 'P', label: 'samples P', hint: 'integer or inf', slider: { min: 0, max: 6, step: 0.05, log: true } },
  { name: 'sigma', label: 'noise sigma', placeholder: '0', slider: { min: 0, max: 1.5, step: 0.01 } },
];
const TIME_FIELDS: FieldSpec[] = [{ name: 't', label: 'times t', hint: 'start:stop:count (log-spaced) or a list; inf allowed', text: true }];
const SIMULATION_FIELDS: FieldSpec[] = [
  { name: 'seeds', label: 'seeds', placeholder: '20' },
  { name: 'seed', label: 'base seed', placeholder: '1' },
];

const sliders = new Map<string, { input: HTMLInputElement; log: boolean; fallback?: string }>();

function inputOf(name: string): HTMLInputElement | undefined {
  return (document.getElementById(`f-${name}`) as HTMLInputElement | null) ?? undefined;
}

function syncSlider(name: string): void {
  const slider = sliders.get(name);
  // An empty box means the CLI's default (its placeholder): the slider shows that.
  const text = flags[name] ?? slider?.fallback;
  if (!slider || text === undefined) return;
  if (/^\+?inf/i.test(text.trim())) {
    slider.input.value = slider.input.max;
    return;
  }
  const value = Number(text);
  if (!Number.isFinite(value)) return;
  slider.input.value = String(slider.log ? Math.log10(Math.max(value, 1)) : value);
}

function buildFields(container: HTMLElement, specs: readonly FieldSpec[]): void {
  container.replaceChildren();
  for (const spec of specs) {
    const field = document.createElement('div');
    field.className = 'field';
    const label = document.createElement('label');
    label.htmlFor = `f-${spec.name}`;
    label.textContent = spec.label;
    const text = document.createElement('input');
    text.type = 'text';
    text.id = `f-${spec.name}`;
    text.name = spec.name;
    text.inputMode = spec.text ? 'text' : 'decimal';
    text.spellcheck = false;
    text.value = flags[spec.name] ?? '';
    if (spec.placeholder) text.placeholder = spec.placeholder;
    text.addEventListener('input', () => {
      setFlag(spec.name, text.value.trim());
      syncSlider(spec.name);
    });
    field.append(label);
    if (spec.slider) {
      const pair = document.createElement('div');
      pair.className = 'pair';
      const range = document.createElement('input');
      range.type = 'range';
      range.id = `f-${spec.name}-range`;
      range.min = String(spec.slider.min);
      range.max = String(spec.slider.max);
      range.step = String(spec.slider.step);
      range.setAttribute('aria-label', `${spec.label} slider${spec.slider.log ? ' (log scale)' : ''}`);
      range.addEventListener('input', () => {
        const x = Number(range.value);
        text.value = spec.slider!.log ? String(Math.round(10 ** x)) : String(x);
        text.removeAttribute('aria-invalid');
        setFlag(spec.name, text.value);
      });
      sliders.set(spec.name, { input: range, log: spec.slider.log ?? false, fallback: spec.placeholder });
      pair.append(range, text);
      field.append(pair);
    } else field.append(text);
    if (spec.hint) {
      const hint = document.createElement('span');
      hint.className = 'hint';
      hint.textContent = spec.hint;
      field.append(hint);
    }
    container.append(field);
    syncSlider(spec.name);
  }
}

const catalogue = optimizerCatalogue();

function currentOptimizer(): OptimizerName {
  const name = flags.optimizer ?? 'gf';
  return (OPTIMIZERS as readonly string[]).includes(name) ? (name as OptimizerName) : 'gf';
}

function buildDynamicsFields(): void {
  const entry = catalogue.find((c) => c.optimizer === currentOptimizer()) ?? catalogue[0];
  $('optimizer-summary').textContent = entry.summary;
  buildFields(
    $('dynamics-fields'),
    entry.fields.map((f) => ({
      name: f.name,
      label: f.label,
      hint: f.required ? 'required' : f.hint,
      placeholder: f.defaultValue === undefined ? undefined : f.text ? f.defaultValue : `default ${f.defaultValue}`,
      text: f.text,
    })),
  );
}

/** Times of the current grid rounded to whole steps, as a list (what a discrete optimizer needs). */
function wholeStepTimes(grid: string): string | undefined {
  const parts = grid.split(':');
  let values: number[];
  if (parts.length === 3) {
    const [start, stop, count] = parts.map(Number);
    if (!(start > 0 && stop >= start && Number.isInteger(count) && count >= 1)) return undefined;
    values = Array.from(logGrid(start, stop, count));
  } else values = grid.split(',').map((x) => Number(x));
  if (values.every((x) => Number.isInteger(x) || x === Infinity)) return undefined;
  const rounded = [...new Set(values.filter(Number.isFinite).map((x) => Math.max(1, Math.round(x))))].sort((x, y) => x - y);
  return rounded.join(',');
}

function onOptimizerChange(optimizer: OptimizerName): void {
  const entry = catalogue.find((c) => c.optimizer === optimizer)!;
  const allowed = new Set(entry.fields.map((f) => f.name));
  for (const c of catalogue) for (const f of c.fields) if (!allowed.has(f.name)) delete flags[f.name];
  if (optimizer === 'gf') delete flags.optimizer;
  else flags.optimizer = optimizer;
  // A required input (the learning rate) starts at 0.5; beyond an optimizer's stability bound the curve's status says so.
  for (const field of entry.fields) if (field.required && flags[field.name] === undefined) flags[field.name] = '0.5';
  // The library counts t in steps for discrete optimizers: round the grid to whole steps (the CLI refuses fractions).
  const dynamics = makeDynamics({ optimizer, ...Object.fromEntries(entry.fields.filter((f) => f.required).map((f) => [f.name, 0.5])) });
  if (isDiscrete(dynamics) && flags.t !== undefined) {
    const whole = wholeStepTimes(flags.t);
    if (whole !== undefined) {
      flags.t = whole;
      inputOf('t')!.value = whole;
    }
  }
  buildDynamicsFields();
  stateChanged();
}

function showDataFields(): void {
  $('power-fields').hidden = data !== 'power';
  $('file-fields').hidden = data !== 'file';
}

async function onDataChange(choice: DataChoice): Promise<void> {
  data = choice;
  if (choice === 'power') {
    for (const name of TASK_FLAGS) if (flags[name] === undefined) flags[name] = DEFAULT_FLAGS[name];
    buildFields($('power-fields'), POWER_FIELDS);
  } else for (const name of TASK_FLAGS) delete flags[name];
  if (choice === 'mnist') {
    const text = await mnistSpectrum();
    // The shipped file names the unexplained part of the target as a label noise: use it unless a sigma was typed.
    const suggested = /use --sigma ([0-9.eE+-]+)/.exec(text)?.[1];
    if (suggested !== undefined && (flags.sigma === undefined || flags.sigma === '0')) {
      flags.sigma = suggested;
      inputOf('sigma')!.value = suggested;
      syncSlider('sigma');
    }
  }
  showDataFields();
  stateChanged();
}

async function mnistSpectrum(): Promise<string> {
  let text = files.get(MNIST_SPECTRUM_PATH);
  if (text === undefined) {
    const response = await fetch(mnistSpectrumUrl);
    if (!response.ok) throw new Error(`the MNIST spectrum could not be loaded (${response.status})`);
    text = await response.text();
    files.set(MNIST_SPECTRUM_PATH, text);
  }
  return text;
}

async function onFile(file: File): Promise<void> {
  files.set(file.name, await file.text());
  fileName = file.name;
  data = 'file';
  ($('f-data') as HTMLSelectElement).value = 'file';
  for (const name of TASK_FLAGS) delete flags[name];
  showDataFields();
  stateChanged();
}

function setFlag(name: string, value: string): void {
  if (value === '') delete flags[name];
  else flags[name] = value;
  stateChanged();
}

// ---------------------------------------------------------------------------
// Solving

let nextId = 1;
/** The query each request was made for (the table says which state it shows). */
const requestQuery = new Map<number, string>();
let shownCurve = 0;
let latestCurve = 0;
let shownAnalysis = 0;
let analysisKey = '';
let lastCurve: { result: CurveResult; id: number } | undefined;
let lastLaws: (AnalysisPart & { part: 'laws' }) | undefined;
let lastFits: (AnalysisPart & { part: 'fits' }) | undefined;
let fitsNote = '';
let curveStarted = 0;
/** When the last measured fits reached the page (before they were drawn), and when the laws' figures were drawn. */
let fitsArrivedAt: number | undefined;
/** The page's own refusal of the current state (a schedule the library's parser refuses); a late curve leaves it shown. */
let refusal: string | undefined;
let analysisDrawnAt: number | undefined;

const curveChannel = new SolverChannel(
  () =>
    new Worker(
      // In a build the curve worker is an entry of its own at a fixed path (vite.config.ts says why).
      __EXPLORER_BUILT__ ? new URL('./assets/curve-worker.js', document.baseURI) : new URL(/* @vite-ignore */ './curve-worker.ts', import.meta.url),
      { type: 'module', name: 'scaling-dmft curve' },
    ),
  CURVE_STALL_MS,
  (reply) => onCurveReply(reply),
);
/** Started after the first curve, so that the two workers do not compete for the cores while the page loads. */
let analysisChannel: SolverChannel | undefined;
let analysisWaiting: SolveRequest | undefined;
function startAnalysis(): void {
  if (analysisChannel) return;
  analysisChannel = new SolverChannel(
    () => new Worker(new URL('./analysis-worker.ts', import.meta.url), { type: 'module', name: 'scaling-dmft analysis' }),
    0,
    (reply) => onAnalysisReply(reply),
  );
  if (analysisWaiting) analysisChannel.submit(analysisWaiting);
  analysisWaiting = undefined;
}

function filesFor(state: ExplorerState): VirtualFile[] {
  const path = state.data === 'mnist' ? MNIST_SPECTRUM_PATH : state.data === 'file' ? state.file : undefined;
  const text = path === undefined ? undefined : files.get(path);
  return path !== undefined && text !== undefined ? [{ path, text }] : [];
}

/** Flags that change the laws, fits and diagrams (not N, P, sigma or t, nor the sampling rule, which applies at a finite P only). */
function analysisFlags(state: ExplorerState): Record<string, string | boolean> {
  const all = commandFlags(state);
  const keep: Record<string, string | boolean> = {};
  for (const [name, value] of Object.entries(all)) if (!['N', 'P', 'sigma', 't', 'sampling', 'simulate', 'seeds', 'seed'].includes(name)) keep[name] = value;
  // The analysis parses a full command: any valid model size and time serve.
  return { ...keep, N: 'inf', P: 'inf', t: '1' };
}

function stateChanged(): void {
  const state = currentState();
  const query = queryFromState(state);
  history.replaceState(null, '', `${location.pathname}?${query}`);
  ($('cli-command') as HTMLInputElement).value = cliCommand(state);
  for (const input of document.querySelectorAll('#controls [aria-invalid]')) input.removeAttribute('aria-invalid');
  // A schedule the library's parser refuses: its one-line message, and no solve (the workers would refuse it the same way).
  refusal = state.flags.schedule === undefined ? undefined : scheduleProblem(state.flags.schedule);
  if (refusal !== undefined) {
    document.body.dataset.busy = 'false';
    setStatus(refusal, true);
    markInvalid('--schedule');
    return;
  }
  if (state.data === 'file' && filesFor(state).length === 0) {
    setStatus(`Drop the spectrum file ${state.file ?? ''} on the page (files are not kept in the URL).`, true);
    return;
  }
  const id = nextId++;
  latestCurve = id;
  requestQuery.set(id, query);
  curveStarted = performance.now();
  document.body.dataset.busy = 'true';
  setStatus('Solving the DMFT curve...');
  curveChannel.submit({ id, kind: 'curve', flags: commandFlags(state), files: filesFor(state) });
  const key = JSON.stringify(analysisFlags(state));
  if (key !== analysisKey) {
    analysisKey = key;
    const analysisId = nextId++;
    requestQuery.set(analysisId, query);
    const request: SolveRequest = { id: analysisId, kind: 'analysis', flags: analysisFlags(state), files: filesFor(state) };
    if (analysisChannel) analysisChannel.submit(request);
    else analysisWaiting = request;
  }
}

function setStatus(text: string, error = false): void {
  const status = $('status');
  status.textContent = text;
  status.classList.toggle('error', error);
}

/** Marks the field a refusal names: a flag ('--sampling') or, from the solver (computeCurveReport), the API's name ('sampling', 't[0]'). */
function markInvalid(argument: string | undefined): void {
  const flag = argument?.match(/^(?:--)?([A-Za-z-]+)/)?.[1];
  if (!flag) return;
  const name = flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  inputOf(name)?.setAttribute('aria-invalid', 'true');
}

function onCurveReply(reply: SolveReply): void {
  if (reply.id < shownCurve) return;
  if (reply.kind === 'progress') setStatus(reply.text);
  else if (reply.kind === 'error') {
    if (reply.id !== latestCurve) return; // an error of a request the page has moved past
    shownCurve = reply.id;
    document.body.dataset.busy = 'false';
    setStatus(reply.message, true);
    markInvalid(reply.argument);
  } else if (reply.kind === 'curve') {
    shownCurve = reply.id;
    lastCurve = { result: reply.result, id: reply.id };
    const latest = requestQuery.get(reply.id) === queryFromState(currentState());
    if (latest) document.body.dataset.busy = 'false';
    const r = reply.result;
    const roundTrip = performance.now() - curveStarted;
    if (refusal === undefined) {
      setStatus(
        `${r.status}: ${r.t.length} times, solved in ${r.ms.toFixed(0)} ms (${roundTrip.toFixed(0)} ms to the page)${r.simulation ? `; simulation ${r.simulation.status}, ${r.simulation.seeds} seeds` : ''}${r.message ? ` - ${r.message}` : ''}`,
        r.status !== 'converged',
      );
    }
    renderTable(r, reply.id);
    void draw('view-curves', curveSpec(r, axes())).then(startAnalysis);
  }
}

function onAnalysisReply(reply: SolveReply): void {
  if (reply.id < shownAnalysis) return;
  shownAnalysis = reply.id;
  if (reply.kind === 'progress') {
    fitsNote = reply.text;
    $('frontier-note').textContent = fitsNote;
  } else if (reply.kind === 'error') {
    $('laws-note').textContent = reply.message;
    $('frontier-note').textContent = '';
  } else if (reply.kind === 'analysis') {
    const part = reply.result;
    if (part.part === 'laws') {
      fitsNote = '';
      lastLaws = part;
      lastFits = undefined;
      renderLaws();
      clearView('view-frontier', '');
      // One figure per task, so that the page answers between them.
      void draw('view-spectrum', spectrumSpec(part.spectrum, axes()))
        .then(() => (part.phaseDiagram ? draw('view-phase', fitPhaseDiagram(part.phaseDiagram as TopLevelSpec)) : clearView('view-phase', 'No (a, b) for a phase diagram.')))
        .then(() => {
          analysisDrawnAt = performance.now();
        });
    } else if (part.part === 'fits') {
      fitsArrivedAt = performance.now();
      lastFits = part;
      renderLaws();
      renderFrontier();
    } else {
      fitsNote = `No measured exponents: ${part.reason}.`;
      $('frontier-note').textContent = `No frontier measured: ${part.reason}.`;
      clearView('view-frontier', '');
      renderLaws();
    }
  }
}

// ---------------------------------------------------------------------------
// Views

const views = new Map<string, EmbedResult>();

function axes(): AxisChoice {
  return { logX: ($('log-x') as HTMLInputElement).checked, logY: ($('log-y') as HTMLInputElement).checked };
}

/** vega-embed (with Vega and Vega-Lite, most of the page's code) loads after the first table is on the page. */
let embedModule: Promise<typeof import('vega-embed')> | undefined;

/** The newest spec waiting per figure: a figure is drawn by one loop at a time, and only its newest spec. */
const waitingSpecs = new Map<string, TopLevelSpec>();
const drawing = new Map<string, Promise<void>>();

function draw(id: string, spec: TopLevelSpec): Promise<void> {
  waitingSpecs.set(id, spec);
  const running = drawing.get(id);
  if (running) return running;
  const loop = (async () => {
    try {
      for (let next = waitingSpecs.get(id); next !== undefined; next = waitingSpecs.get(id)) {
        waitingSpecs.delete(id);
        // A task of its own per figure: the page handles input between two figures.
        await new Promise((resolve) => setTimeout(resolve, 0));
        embedModule ??= import('vega-embed');
        const { default: embed } = await embedModule;
        const result = await embed($(id), next, { actions: false, renderer: 'canvas' });
        views.get(id)?.finalize();
        views.set(id, result);
        $(id).dataset.drawn = 'true';
      }
    } finally {
      drawing.delete(id);
    }
  })();
  drawing.set(id, loop);
  return loop;
}

/** The library's phase diagram has its two panels side by side; on a narrow screen they go one above the other. */
function fitPhaseDiagram(spec: TopLevelSpec): TopLevelSpec {
  const record = spec as unknown as Record<string, unknown>;
  if ($('view-phase').clientWidth >= 700 || !Array.isArray(record.hconcat)) return spec;
  const { hconcat, ...rest } = record;
  return { ...rest, vconcat: hconcat } as unknown as TopLevelSpec;
}

function clearView(id: string, text: string): void {
  waitingSpecs.delete(id);
  views.get(id)?.finalize();
  views.delete(id);
  const container = $(id);
  container.replaceChildren();
  container.dataset.drawn = 'false';
  if (text) container.textContent = text;
}

function cell(tag: 'td' | 'th', text: string, className?: string): HTMLTableCellElement {
  const element = document.createElement(tag);
  element.textContent = text;
  if (className) element.className = className;
  return element;
}

/** Numbers for reading: 10 significant digits (the data attributes and the CSV keep every digit). */
function readable(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(10))) : fullPrecision(x);
}

function renderTable(r: CurveResult, id: number): void {
  const table = $('curve-table') as HTMLTableElement;
  const head = document.createElement('thead');
  const headRow = document.createElement('tr');
  for (const name of ['t', 'test', 'error estimate', 'train', 'gap', 'bias', 'status', ...(r.simulation ? ['test (simulation)', 's.e.'] : [])]) {
    const th = cell('th', name);
    th.scope = 'col';
    headRow.append(th);
  }
  head.append(headRow);
  const body = document.createElement('tbody');
  r.t.forEach((t, i) => {
    const row = document.createElement('tr');
    // Full precision, exactly the CSV's text: the tests and any script read these.
    row.dataset.t = fullPrecision(t);
    row.dataset.test = fullPrecision(r.test[i]);
    row.dataset.train = fullPrecision(r.train[i]);
    row.dataset.gap = fullPrecision(r.gap[i]);
    row.dataset.bias = fullPrecision(r.bias[i]);
    row.dataset.testErr = fullPrecision(r.testErr[i]);
    const th = cell('th', readable(t));
    th.scope = 'row';
    row.append(th, cell('td', readable(r.test[i])), cell('td', r.testErr[i].toExponential(1)), cell('td', readable(r.train[i])), cell('td', readable(r.gap[i])), cell('td', readable(r.bias[i])), cell('td', r.statusPerTime[i]));
    if (r.simulation) {
      row.dataset.mcTest = fullPrecision(r.simulation.test.mean[i]);
      row.dataset.mcTestSe = fullPrecision(r.simulation.test.stderr[i]);
      row.append(cell('td', readable(r.simulation.test.mean[i])), cell('td', r.simulation.test.stderr[i].toExponential(1)));
    }
    body.append(row);
  });
  table.replaceChildren(head, body);
  table.dataset.query = requestQuery.get(id) ?? '';
  // When the rows went in, in ms since the page's navigation started (the load-time check reads it).
  table.dataset.shownAt = String(performance.now());
  table.dataset.status = r.status;
}

function format(x: number | string | null | undefined, digits = 6): string {
  if (x === null || x === undefined) return '-';
  if (typeof x === 'string') return x;
  return Number.isFinite(x) ? String(Number(x.toPrecision(digits))) : fullPrecision(x);
}

function renderLaws(): void {
  const table = $('laws-table') as HTMLTableElement;
  if (!lastLaws) return;
  const note = [
    lastLaws.a !== null ? `(a, b) = (${format(lastLaws.a, 4)}, ${format(lastLaws.b, 4)}) from the ${lastLaws.source}, phase ${lastLaws.phase}` : '',
    ...lastLaws.notes,
    lastLaws.lawsError ?? '',
    lastFits ? `Fitted: exponents measured from DMFT curves in ${(lastFits.ms / 1000).toFixed(1)} s (reconcileCase).` : fitsNote,
  ].filter((x) => x !== '');
  $('laws-note').textContent = note.join(' · ');
  const rows: ReconciliationRow[] = lastFits?.rows ?? [];
  const head = document.createElement('thead');
  const hr = document.createElement('tr');
  for (const name of ['law', 'quantity', 'exponent', 'prefactor', 'fitted exponent', 'verdict']) {
    const th = cell('th', name);
    th.scope = 'col';
    hr.append(th);
  }
  head.append(hr);
  const body = document.createElement('tbody');
  const seen = new Set<string>();
  const addRow = (id: string, quantity: string, exponent: string, prefactor: string) => {
    seen.add(id);
    const fit = rows.find((r) => r.id === id);
    const tr = document.createElement('tr');
    tr.dataset.law = id;
    const th = cell('th', id);
    th.scope = 'row';
    tr.append(
      th,
      cell('td', quantity),
      cell('td', exponent),
      cell('td', prefactor),
      cell('td', fit && fit.fitted !== null ? `${format(fit.fitted, 4)} ± ${format(fit.stderr, 2)}` : lastFits ? '-' : ''),
      cell('td', fit ? fit.verdict : '', fit ? `verdict-${fit.verdict}` : undefined),
    );
    body.append(tr);
  };
  for (const law of lastLaws.laws as LawEntry[]) {
    // The exact rational only where it is short (a fitted (a, b) gives rationals with 17-digit parts).
    const exact = law.exponentExact && law.exponentExact.length <= 12 ? ` (${law.exponentExact})` : '';
    const exponent = law.unsupported ? `unsupported: ${law.unsupported}` : `${format(law.exponent)}${exact}`;
    addRow(law.id, `${law.quantity}${law.condition ? ` [${law.condition}]` : ''}`, exponent, format(law.prefactor));
  }
  for (const row of rows) if (!seen.has(row.id)) addRow(row.id, row.quantity, `${format(row.closedForm)} (${row.closedFormText})`, '-');
  table.replaceChildren(head, body);
}

function renderFrontier(): void {
  const frontier = lastFits?.frontier;
  if (!frontier) {
    $('frontier-note').textContent = 'No frontier was measured.';
    return;
  }
  const fit = (name: string, f: { exponent: number; stderr: number; status: string }) => `${name} ~ C^${format(f.exponent, 4)} ± ${format(f.stderr, 2)}`;
  const closed = (id: string) => lastLaws?.laws.find((l) => l.id === id)?.exponent;
  $('frontier-note').textContent =
    `${fit('N*', frontier.fits.N)} (closed form ${format(closed('compute_optimal_N') ?? null, 4)}), ${fit('t*', frontier.fits.t)} (closed form ${format(closed('compute_optimal_t') ?? null, 4)}), ` +
    `${fit('L*', frontier.fits.loss)} (closed form ${format(closed('compute_optimal_loss') ?? null, 4)}); held: ${frontier.held}. Hover the red envelope for N*, t* at each C.`;
  void draw('view-frontier', frontierSpec(frontier, axes()));
}

function redrawAll(): void {
  if (lastCurve) void draw('view-curves', curveSpec(lastCurve.result, axes()));
  if (lastLaws) void draw('view-spectrum', spectrumSpec(lastLaws.spectrum, axes()));
  if (lastFits) renderFrontier();
}

// ---------------------------------------------------------------------------
// Exports

function download(name: string, href: string): void {
  const link = document.createElement('a');
  link.href = href;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
}

function downloadText(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  download(name, url);
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function exportFigure(id: string, formatName: string): Promise<void> {
  const view = views.get(id)?.view;
  if (!view) return;
  const name = id.replace(/^view-/, '');
  if (formatName === 'svg') downloadText(`${name}.svg`, await view.toSVG(), 'image/svg+xml');
  else download(`${name}.png`, await view.toImageURL('png', 2));
}

// ---------------------------------------------------------------------------
// Wiring

function init(): void {
  const dataSelect = $('f-data') as HTMLSelectElement;
  dataSelect.value = data;
  dataSelect.addEventListener('change', () => void onDataChange(dataSelect.value as DataChoice));
  const optimizerSelect = $('f-optimizer') as HTMLSelectElement;
  for (const { optimizer, summary } of catalogue) {
    const option = new Option(optimizer, optimizer);
    option.title = summary;
    optimizerSelect.append(option);
  }
  optimizerSelect.value = currentOptimizer();
  optimizerSelect.addEventListener('change', () => onOptimizerChange(optimizerSelect.value as OptimizerName));
  buildFields($('power-fields'), POWER_FIELDS);
  buildFields($('model-fields'), MODEL_FIELDS);
  buildFields($('time-fields'), TIME_FIELDS);
  buildDynamicsFields();
  const simulate = $('f-simulate') as HTMLInputElement;
  const showSimulation = () => {
    if (simulate.checked) buildFields($('simulation-fields'), SIMULATION_FIELDS);
    else $('simulation-fields').replaceChildren();
  };
  simulate.checked = flags.simulate === 'true' || flags.simulate === '1';
  showSimulation();
  simulate.addEventListener('change', () => {
    if (simulate.checked) flags.simulate = 'true';
    else for (const name of ['simulate', 'seeds', 'seed']) delete flags[name];
    showSimulation();
    stateChanged();
  });
  showDataFields();
  for (const id of ['log-x', 'log-y']) $(id).addEventListener('change', redrawAll);
  $('export-csv').addEventListener('click', () => {
    if (lastCurve) downloadText('curve.csv', lastCurve.result.csv, 'text/csv');
  });
  // Each figure's SVG and PNG buttons.
  for (const slot of document.querySelectorAll<HTMLElement>('[data-exports]')) {
    const id = slot.dataset.exports!;
    for (const format of ['svg', 'png']) {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = format.toUpperCase();
      button.setAttribute('aria-label', `Export the ${id.replace(/^view-/, '')} figure as ${format.toUpperCase()}`);
      button.addEventListener('click', () => void exportFigure(id, format));
      slot.before(button);
    }
    slot.remove();
  }
  $('copy-command').addEventListener('click', () => {
    const command = ($('cli-command') as HTMLInputElement).value;
    void navigator.clipboard?.writeText(command).then(
      () => setStatus('Command copied.'),
      () => ($('cli-command') as HTMLInputElement).select(),
    );
  });
  const drop = $('drop');
  const fileInput = $('f-file') as HTMLInputElement;
  drop.addEventListener('click', () => fileInput.click());
  drop.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      fileInput.click();
    }
  });
  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    if (file) void onFile(file);
  });
  // A file dropped anywhere on the page is taken as the task's spectrum.
  document.addEventListener('dragover', (event) => {
    event.preventDefault();
    drop.classList.add('over');
  });
  document.addEventListener('dragleave', () => drop.classList.remove('over'));
  document.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('over');
    const file = event.dataTransfer?.files[0];
    if (file) void onFile(file);
  });
  // Exposed for scripts and tests: the CSV of the curve shown, and how many solves were cancelled.
  Object.assign(window, {
    scalingDmftExplorer: {
      csv: () => lastCurve?.result.csv,
      solveMs: () => ({ curve: lastCurve?.result.ms, fits: lastFits?.ms, fitsArrivedAt, analysisDrawnAt }),
      cancelled: () => ({ curve: curveChannel.cancelled, analysis: analysisChannel?.cancelled ?? 0 }),
      busy: () => ({ curve: curveChannel.isBusy, analysis: analysisChannel?.isBusy ?? false }),
    },
  });
  if (data === 'mnist') void onDataChange('mnist');
  else stateChanged();
}

init();

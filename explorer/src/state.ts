/**
 * The explorer's whole state as the `curve` command's flags, kept as the
 * strings the user typed: the URL query holds them (one parameter per flag,
 * the flag's name without dashes), the worker hands them to the library's
 * `parseCurveCommand` exactly as the CLI does, and the reproducing command
 * line is the same pairs with dashes. So a URL, the page and the CLI can only
 * disagree where the JavaScript engines' Math functions do.
 *
 * Explorer-only settings (not flags of `curve`) also live in the query:
 * `data` (power | mnist | file) and the file's name for a dropped spectrum.
 */

/** The task the page solves: a power law (a, b, M), the shipped MNIST spectrum, or a dropped spectrum file. */
export type DataChoice = 'power' | 'mnist' | 'file';

/** The page's state: flags of `curve` by name (strings as typed), and the task's source. */
export interface ExplorerState {
  readonly data: DataChoice;
  /** Name of a dropped spectrum file (the path the CLI command reads it from). */
  readonly file?: string;
  /** Flags of `scaling-dmft curve`, camelCase names as commander gives them, values as typed. */
  readonly flags: Readonly<Record<string, string>>;
}

/** Where the shipped MNIST spectrum lives in the repository (and under the site's root, without the folder). */
export const MNIST_SPECTRUM_PATH = 'examples/mnist-parity-spectrum.csv';

/**
 * The page's starting point: a power law in the a - 1 < b phase, a finite
 * model and sample count, M = inf and 60 log-spaced times (the issue's
 * reference problem for responsiveness).
 */
export const DEFAULT_FLAGS: Readonly<Record<string, string>> = Object.freeze({
  a: '1.5',
  b: '1.25',
  M: 'inf',
  N: '256',
  P: '1024',
  sigma: '0',
  t: '1:10000:60',
});

/** The flags that describe the task; a data set or file replaces them (the CLI refuses both together). */
export const TASK_FLAGS = ['a', 'b', 'M'] as const;

/** The flags whose value 'true' is written as a bare switch on the command line. */
const SWITCHES = new Set(['simulate']);

/** Explorer-only query parameters (everything else in the query is a flag). */
const PAGE_KEYS = new Set(['data', 'file']);

/** Flag order on the command line and in the URL: the task, the model, the times, the dynamics, then the rest in insertion order. */
const FLAG_ORDER = ['a', 'b', 'M', 'spectrum', 'N', 'P', 'sigma', 't', 'optimizer', 'lr', 'momentum', 'batch', 'ridge', 'schedule', 'sampling', 'simulate', 'seeds', 'seed'];

function ordered(flags: Readonly<Record<string, string>>): [string, string][] {
  const rank = (name: string) => {
    const i = FLAG_ORDER.indexOf(name);
    return i < 0 ? FLAG_ORDER.length : i;
  };
  return Object.entries(flags).sort(([x], [y]) => rank(x) - rank(y));
}

/** Commander's camelCase option name to its flag (`maxTimes` to `--max-times`). */
export function flagName(name: string): string {
  return `--${name.replace(/[A-Z]/g, (c, i: number) => (i === 0 ? c : `-${c.toLowerCase()}`))}`;
}

/** The state a URL query describes; missing flags take DEFAULT_FLAGS only when the query names no flag at all. */
export function stateFromQuery(query: string): ExplorerState {
  const params = new URLSearchParams(query);
  const flags: Record<string, string> = {};
  for (const [key, value] of params) if (!PAGE_KEYS.has(key)) flags[key] = value;
  const dataParam = params.get('data');
  const data: DataChoice = dataParam === 'mnist' || dataParam === 'file' ? dataParam : 'power';
  const named = Object.keys(flags).length > 0;
  const base = named ? {} : { ...DEFAULT_FLAGS };
  if (data !== 'power') for (const name of TASK_FLAGS) delete (base as Record<string, string>)[name];
  return { data, file: params.get('file') ?? undefined, flags: { ...base, ...flags } };
}

/** The URL query of a state (flags in command-line order, then the page's own keys). */
export function queryFromState(state: ExplorerState): string {
  const params = new URLSearchParams();
  for (const [name, value] of ordered(state.flags)) params.set(name, value);
  if (state.data !== 'power') params.set('data', state.data);
  if (state.data === 'file' && state.file !== undefined) params.set('file', state.file);
  // Commas, colons and the infinity words stay readable: none of them needs escaping in a query value.
  return params.toString().replace(/%2C/gi, ',').replace(/%3A/gi, ':');
}

/** Where the worker reads the task's spectrum from, or undefined for a power law. */
export function spectrumPath(state: ExplorerState): string | undefined {
  if (state.data === 'mnist') return MNIST_SPECTRUM_PATH;
  if (state.data === 'file') return state.file;
  return undefined;
}

/**
 * The flags handed to `parseCurveCommand`: the state's flags, the spectrum
 * file for a data choice (read from the worker's in-memory files), and the
 * output format.
 */
export function commandFlags(state: ExplorerState, format: 'csv' | 'md' | 'json' = 'csv'): Record<string, string | boolean> {
  const flags: Record<string, string | boolean> = {};
  for (const [name, value] of ordered(state.flags)) {
    if (state.data !== 'power' && (TASK_FLAGS as readonly string[]).includes(name)) continue;
    if (value === '') continue;
    flags[name] = SWITCHES.has(name) ? value === 'true' || value === '1' : value;
  }
  const path = spectrumPath(state);
  if (path !== undefined) flags.spectrum = path;
  flags.format = format;
  return flags;
}

/** Quotes a shell word when it holds anything beyond plain characters. */
function shellWord(text: string): string {
  return /^[A-Za-z0-9_.,:/+=-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The command line that writes the same CSV: `scaling-dmft curve --a 1.7 ... --format csv`. */
export function cliCommand(state: ExplorerState, format: 'csv' | 'md' | 'json' = 'csv'): string {
  const words = ['scaling-dmft', 'curve'];
  for (const [name, value] of Object.entries(commandFlags(state, format))) {
    if (value === false) continue;
    words.push(flagName(name));
    if (value !== true) words.push(shellWord(value));
  }
  return words.join(' ');
}

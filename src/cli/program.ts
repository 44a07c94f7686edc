/**
 * The command tree and the exit-code contract: 0 ok, 2 invalid input (one
 * line on stderr naming the flag and value), 1 internal error. Each command's
 * module is imported only when that command runs, so `--version` and
 * `exponents` do not load the numeric layer, the simulator or the figure
 * renderer.
 */
import { Command, CommanderError } from 'commander';
import { InvalidArgumentError } from '../core/errors.js';
import { TOOL } from '../core/version.js';
import type { OutputKind } from './output.js';
import { withFlagName } from './flag-names.js';

type Register = (program: Command) => void;

const dataModule = () => import('./commands/data.js');

/**
 * Command name -> loaders of the modules that register it, in order (the
 * data-set module adds its flags to `curve`, so it registers after it).
 */
const COMMANDS: Record<string, () => Promise<Register[]>> = {
  curve: async () => [(await import('./commands/curve.js')).registerCurve, (await dataModule()).registerCurveDataOptions],
  demo: async () => [(await import('./commands/demo.js')).registerDemo],
  exponents: async () => [(await import('./commands/symbolic.js')).registerSymbolic],
  derive: async () => [(await import('./commands/symbolic.js')).registerSymbolic],
  reconcile: async () => [(await import('./commands/reconcile.js')).registerReconcile],
  report: async () => [(await import('./commands/reconcile.js')).registerReconcile],
  merge: async () => [(await import('./commands/reconcile.js')).registerReconcile],
  spectrum: async () => [(await dataModule()).registerDataCommands],
  experiment: async () => [(await dataModule()).registerDataCommands],
};

/** The commands in help order (one module may register several). */
const COMMAND_ORDER = ['curve', 'demo', 'exponents', 'reconcile', 'spectrum'] as const;

/**
 * Which commands an argument list needs: the named command only; none for a
 * bare --version; all for help, an unknown command or no command.
 */
function commandsFor(argv: readonly string[]): string[] {
  const first = argv.find((arg) => !arg.startsWith('-'));
  if (first !== undefined && first in COMMANDS) return [first];
  if (first === undefined && argv.length > 0 && argv.every((arg) => arg === '--version' || arg === '-V')) return [];
  return [...COMMAND_ORDER];
}

/**
 * Builds the command tree with the commands an argument list needs (all of
 * them by default); exported so tests can inspect it.
 */
export async function buildProgram(argv?: readonly string[]): Promise<Command> {
  const program = new Command('scaling-dmft')
    .description('Theory solver for neural scaling laws (DMFT of the random-feature model)')
    .version(TOOL.version)
    .exitOverride()
    .showSuggestionAfterError(false)
    .configureOutput({ writeErr: (text) => process.stderr.write(text) })
    // Every command that writes has its --out checked here, before its own flags and before any work.
    .hook('preAction', (_program, action) => checkOutputOf(action));
  const registered = new Set<Register>();
  for (const name of argv === undefined ? COMMAND_ORDER : commandsFor(argv)) {
    for (const register of await COMMANDS[name]()) {
      if (registered.has(register)) continue;
      registered.add(register);
      register(program);
    }
  }
  return program;
}

/**
 * What `--out` names for each command that writes: a folder for the report
 * and for shards (reconcile --shard; merge of report shards, told by the
 * first shard's manifest), a file otherwise.
 */
async function outputKind(action: Command): Promise<OutputKind> {
  const name = action.name();
  if (name === 'report') return 'folder';
  if (name === 'reconcile') return action.opts<{ shard?: string }>().shard === undefined ? 'file' : 'folder';
  if (name === 'merge' && action.args.length > 0) {
    const { readManifest } = await import('../reconcile/store.js');
    return readManifest(action.args[0]).command === 'report' ? 'folder' : 'file';
  }
  return 'file';
}

/** The one output check (`checkOutputTarget`) for whatever command is about to run, when it has an --out. */
async function checkOutputOf(action: Command): Promise<void> {
  const out = action.opts<{ out?: unknown }>().out;
  if (out === undefined) return;
  // Loaded here, not at start-up (--version loads the program and core only).
  const { checkOutputTarget } = await import('./output.js');
  checkOutputTarget(out as string, await outputKind(action));
}

/** One line, whatever the message holds. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** Runs the CLI and returns the exit code: 0 ok, 2 invalid input, 1 internal error. */
export async function run(argv: string[]): Promise<number> {
  try {
    const program = await buildProgram(argv);
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      return 2; // commander already printed its one-line message
    }
    if (error instanceof InvalidArgumentError) {
      process.stderr.write(`scaling-dmft: error: ${oneLine(withFlagName(error).message)}\n`);
      return 2;
    }
    process.stderr.write(`scaling-dmft: internal error: ${oneLine((error as Error)?.message ?? String(error))}\n`);
    return 1;
  }
}

import { Command, CommanderError } from 'commander';
import { InvalidArgumentError } from '../core/errors.js';
import { TOOL } from '../core/version.js';
import { registerCurve } from './commands/curve.js';
import { registerDemo } from './commands/demo.js';
import { registerSymbolic } from './commands/symbolic.js';
import { registerReconcile } from './commands/reconcile.js';
import { registerData } from './commands/data.js';

/** Builds the command tree; exported so tests can drive the CLI in-process. */
export function buildProgram(): Command {
  const program = new Command('scaling-dmft')
    .description('Theory solver for neural scaling laws (DMFT of the random-feature model)')
    .version(TOOL.version)
    .exitOverride()
    .showSuggestionAfterError(false)
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  registerCurve(program);
  registerDemo(program);
  registerSymbolic(program);
  registerReconcile(program);
  registerData(program);
  return program;
}

/** Runs the CLI and returns the exit code: 0 ok, 2 invalid input, 1 internal error. */
export async function run(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      return 2; // commander already printed its one-line message
    }
    if (error instanceof InvalidArgumentError) {
      process.stderr.write(`scaling-dmft: error: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`scaling-dmft: internal error: ${(error as Error).message}\n`);
    return 1;
  }
}

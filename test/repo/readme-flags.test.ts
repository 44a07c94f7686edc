/**
 * The README's claims about flags and its `npm start` script, held against the
 * program: every dynamics flag the README lists for a command is an option of
 * that command (and the one it says is not, is not), and the script imports
 * only what the library exports and runs the report's further sections.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import * as library from '../../src/index.js';
import { ROOT } from '../cli/helpers.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

describe('README', () => {
  it('the training-dynamics flags are options of exactly the commands it names', async () => {
    const intro = /Flags of ((?:`\w+`(?:, | and )?)+)(?: \(`(--[\w-]+)` is a flag of ((?:`\w+`(?:, | and )?)+) only[^)]*\))?:\n\n((?:\|.*\n)+)/.exec(README);
    expect(intro, 'the "Flags of ..." sentence and its table').not.toBeNull();
    const commands = [...intro![1].matchAll(/`(\w+)`/g)].map((m) => m[1]);
    const [only, onlyCommands] = [intro![2], [...(intro![3] ?? '').matchAll(/`(\w+)`/g)].map((m) => m[1])];
    const flags = [...new Set(intro![4].split('\n').slice(2).flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/(--[\w-]+)/g)].map((m) => m[1])))];
    expect(commands).toEqual(['curve', 'exponents', 'reconcile', 'report']);
    expect(flags).toEqual(expect.arrayContaining(['--ridge', '--optimizer', '--lr', '--momentum', '--batch']));
    const program = await buildProgram();
    for (const name of commands) {
      const command = program.commands.find((c) => c.name() === name)!;
      for (const flag of flags) {
        const listed = flag !== only || onlyCommands.includes(name);
        expect(command.options.some((o) => o.long === flag), `${name} ${flag}`).toBe(listed);
      }
    }
  });

  it('the "npm start as a script" example imports what the library exports and runs every further section', () => {
    const block = /`npm start` as a script[^\n]*\n\n```ts\n([\s\S]*?)```/.exec(README);
    expect(block).not.toBeNull();
    const imported = /import \{([^}]*)\} from 'scaling-dmft'/.exec(block![1])![1].split(',').map((s) => s.trim()).filter(Boolean);
    for (const name of imported) expect(library, name).toHaveProperty(name);
    expect(imported).toEqual(expect.arrayContaining(['runReportWork', 'REPORT_SECTION_NAMES', 'renderReport', 'writeReport', 'simulationPanel']));
    // npm start (report on the default grid) runs every further section; the script must pass them to both calls.
    expect(block![1]).toMatch(/const sections = \[\.\.\.REPORT_SECTION_NAMES\]/);
    expect(block![1]).toMatch(/runReportWork\(DEFAULT_CASES, \{[^}]*sections/);
    expect(block![1]).toMatch(/sections: work\.sections/);
  });
});

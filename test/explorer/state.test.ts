/**
 * The explorer's state outside the browser: the URL query round-trips, the
 * flags the page hands to the library are the flags of the command line it
 * shows (run through the real CLI: same CSV, byte for byte, on one engine),
 * and the optimizer controls come from the dynamics layer (every optimizer of
 * OPTIMIZERS, each field accepted by makeDynamics, no field it refuses).
 */
import { describe, expect, it } from 'vitest';
import { computeCurveReport, formatCurveReport, makeDynamics, OPTIMIZER_MODULES, OPTIMIZERS, parseCurveCommand, parseLearningRateSchedule, type CurveFlags } from '../../src/index.js';
import { optimizerCatalogue, scheduleProblem } from '../../explorer/src/dynamics-fields.js';
import { cliCommand, commandFlags, DEFAULT_FLAGS, flagName, MNIST_SPECTRUM_PATH, queryFromState, stateFromQuery, type ExplorerState } from '../../explorer/src/state.js';
import { cli } from '../cli/helpers.js';
import { argvOf } from './command-line.js';


describe('URL state', () => {
  it.each([
    ['a=1.7&b=1.3&N=300&P=900&t=1,10,100'],
    ['a=2&b=1.5&M=2000&N=inf&P=100&sigma=0.1&t=1:1000:20&optimizer=momentum&lr=0.5&momentum=0.8'],
    ['N=300&P=900&t=1:100:5&data=mnist'],
    ['N=64&P=inf&t=inf,1,10&data=file&file=my%20spectrum.csv'],
    ['a=1.7&b=1.3&N=300&P=900&t=1,10,100&optimizer=momentum&lr=0.5&momentum=0.9&schedule=cosine:100'],
  ])('%s reads back to the same state and query', (query) => {
    const state = stateFromQuery(query);
    const again = stateFromQuery(queryFromState(state));
    expect(again).toEqual(state);
    expect(queryFromState(again)).toBe(queryFromState(state));
  });

  it('keeps the values exactly as typed (no number formatting in between)', () => {
    const state = stateFromQuery('a=1.70&b=13e-1&N=3e2&P=900&t=1,10,100');
    expect(state.flags).toMatchObject({ a: '1.70', b: '13e-1', N: '3e2' });
    expect(queryFromState(state)).toBe('a=1.70&b=13e-1&N=3e2&P=900&t=1,10,100');
  });

  it('starts from the default problem when the query names no flag, without a, b, M for a data set', () => {
    expect(stateFromQuery('').flags).toEqual(DEFAULT_FLAGS);
    expect(stateFromQuery('data=mnist').flags).not.toHaveProperty('a');
  });

  it('names flags as the CLI does', () => {
    expect(flagName('maxTimes')).toBe('--max-times');
    expect(flagName('N')).toBe('--N');
    expect(flagName('lr')).toBe('--lr');
  });
});

describe('the reproducing command line', () => {
  const cases: [string, ExplorerState][] = [
    ['power law', stateFromQuery('a=1.7&b=1.3&N=300&P=900&t=1,10,100')],
    ['momentum, finite M, noise', stateFromQuery('a=2&b=1.5&M=100&N=64&P=256&sigma=0.25&t=1,10&optimizer=momentum&lr=0.5&momentum=0.8')],
    ['the shipped MNIST spectrum', stateFromQuery('N=100&P=400&t=1:100:4&sigma=0.5&data=mnist')],
    ['momentum under a cosine schedule', stateFromQuery('a=1.7&b=1.3&N=300&P=900&t=1,10,100&optimizer=momentum&lr=0.5&momentum=0.9&schedule=cosine:100')],
    ['nesterov', stateFromQuery('a=1.7&b=1.3&N=300&P=900&t=1,10,100&optimizer=nesterov&lr=0.5&momentum=0.8')],
    ['SGD on P fixed samples', stateFromQuery('a=1.7&b=1.3&N=300&P=900&t=2,10,100&optimizer=sgd&lr=0.5&batch=8&sampling=replacement')],
  ];

  it.each(cases)('%s: the CLI run with the shown command writes the CSV the page computes from its flags', async (_name, state) => {
    const command = cliCommand(state);
    expect(command).toMatch(/^scaling-dmft curve .* --format csv$/);
    if (state.data === 'mnist') expect(command).toContain(`--spectrum ${MNIST_SPECTRUM_PATH}`);
    // The CLI resolves --spectrum against the working directory: the repository root, as for a reader.
    const run = await cli(...argvOf(command));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const parsed = parseCurveCommand(commandFlags(state) as unknown as CurveFlags);
    const report = await computeCurveReport(parsed.problem, parsed.options);
    expect(run.stdout).toBe(`${formatCurveReport(report, 'csv')}\n`);
  });
});

describe('optimizer controls come from the dynamics layer', () => {
  const catalogue = optimizerCatalogue();

  it("lists every optimizer of OPTIMIZERS with its module's summary", () => {
    expect(catalogue.map((c) => c.optimizer)).toEqual([...OPTIMIZERS]);
    for (const entry of catalogue) expect(entry.summary).toBe(OPTIMIZER_MODULES[entry.optimizer].summary);
  });

  it.each(catalogue.map((c) => [c.optimizer, c] as const))('%s: makeDynamics accepts its fields and refuses the others', (_name, entry) => {
    const values: Record<string, unknown> = { lr: 0.25, momentum: 0.5, batch: 2, ridge: 0.5, schedule: parseLearningRateSchedule('cosine:10') };
    const own = Object.fromEntries(entry.fields.map((f) => [f.name, values[f.name]]));
    expect(() => makeDynamics({ optimizer: entry.optimizer, ...own })).not.toThrow();
    for (const field of entry.fields.filter((f) => f.required)) {
      const without = { ...own };
      delete without[field.name];
      expect(() => makeDynamics({ optimizer: entry.optimizer, ...without }), `${entry.optimizer} without ${field.name}`).toThrow(field.name);
    }
    const others = Object.keys(values).filter((name) => !entry.fields.some((f) => f.name === name));
    for (const name of others) {
      expect(() => makeDynamics({ optimizer: entry.optimizer, ...own, [name]: values[name] }), `${entry.optimizer} with ${name}`).toThrow(name);
    }
  });

  it('reads the defaults makeDynamics fills in (momentum beta 0.9, batch 1, ridge 0)', () => {
    const field = (optimizer: string, name: string) => catalogue.find((c) => c.optimizer === optimizer)?.fields.find((f) => f.name === name);
    expect(field('momentum', 'momentum')).toMatchObject({ required: false, defaultValue: '0.9' });
    expect(field('sgd', 'batch')).toMatchObject({ required: false, defaultValue: '1' });
    expect(field('gf', 'ridge')).toMatchObject({ required: false, defaultValue: '0' });
    expect(field('gd', 'lr')).toMatchObject({ required: true });
    expect(field('nesterov', 'momentum')).toMatchObject({ required: false, defaultValue: '0.9' });
  });

  it('offers the schedule where the optimizer module supports one, and the sampling rule on P samples where it is stochastic', () => {
    for (const entry of catalogue) {
      expect(entry.fields.some((f) => f.name === 'schedule'), entry.optimizer).toBe(OPTIMIZER_MODULES[entry.optimizer].supports.schedule);
      expect(entry.fields.some((f) => f.name === 'sampling'), entry.optimizer).toBe(OPTIMIZER_MODULES[entry.optimizer].supports.stochastic);
    }
  });

  it("refuses a schedule with the parser's one-line message, as the CLI's --schedule", async () => {
    expect(scheduleProblem('cosine:100')).toBeUndefined();
    expect(scheduleProblem('constant')).toBeUndefined();
    for (const spec of ['cosine', 'cosine:0', 'wsd:100:2', 'linear:5']) {
      const message = scheduleProblem(spec);
      const run = await cli('curve', '--a', '1.7', '--b', '1.3', '--N', '300', '--P', '900', '--t', '1', '--optimizer', 'gd', '--lr', '0.5', '--schedule', spec);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(`scaling-dmft: error: ${message}\n`);
    }
    expect(scheduleProblem('file:rates.txt')).toMatch(/^--schedule file:PATH .*use the CLI/);
  });
});

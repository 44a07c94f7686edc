/**
 * Which parameter fields each optimizer takes, read from the library rather
 * than written down here: the optimizers are the dynamics layer's OPTIMIZERS,
 * and for each one `makeDynamics` itself says which of the numeric inputs it
 * requires (it refuses the bare optimizer naming that input), which it
 * accepts (it refuses the others naming them: "only applies with ...",
 * "does not apply to ...", "is not supported with ...") and the default it
 * fills in (the field of the result that the input sets). The learning-rate
 * schedule (a text spec, not a number) is offered where the optimizer's module
 * says it supports one, the batch sampling rule on P fixed samples where it is
 * stochastic (SGD), and each optimizer's one-line summary is its module's.
 * A new optimizer in OPTIMIZERS gets its controls without a change here.
 */
import {
  describeDynamics,
  InvalidArgumentError,
  makeDynamics,
  OPTIMIZER_MODULES,
  OPTIMIZERS,
  parseLearningRateSchedule,
  REUSE_SAMPLINGS,
  type DynamicsInput,
  type OptimizerName,
} from '../../src/index.js';

/** The numeric inputs of DynamicsInput, with a value each accepts in its valid range (to probe with) and the control's label. */
const INPUTS = [
  { name: 'lr', probe: 0.375, label: 'learning rate eta' },
  { name: 'momentum', probe: 0.375, label: 'momentum beta' },
  { name: 'batch', probe: 3, label: 'batch B' },
  { name: 'ridge', probe: 0.125, label: 'ridge r' },
] as const;

/** One parameter field of an optimizer. */
export interface DynamicsField {
  /** The DynamicsInput name, which is also the CLI flag without dashes. */
  readonly name: string;
  readonly label: string;
  readonly required: boolean;
  /** The value makeDynamics fills in when the field is left out (text), if any. */
  readonly defaultValue?: string;
  /** A text spec rather than a number (the schedule, the sampling rule). */
  readonly text?: boolean;
  /** What the text may be, under the field. */
  readonly hint?: string;
}

/** The schedule's field: the spec `--schedule` takes (file:PATH is left out: the page has no rate files). */
const SCHEDULE_FIELD: DynamicsField = {
  name: 'schedule',
  label: 'learning-rate schedule',
  required: false,
  defaultValue: 'constant',
  text: true,
  hint: 'constant, step:T1:F, cosine:T, wsd:T:F or power:T0:GAMMA (T in steps)',
};

/** The sampling rule of a stochastic optimizer on P fixed samples (`--sampling`; the CLI refuses it at P = inf). */
const SAMPLING_FIELD: DynamicsField = {
  name: 'sampling',
  label: 'batch sampling',
  required: false,
  defaultValue: REUSE_SAMPLINGS[0],
  text: true,
  hint: `${REUSE_SAMPLINGS.join(' or ')}; finite P only`,
};

function refusedArgument(input: DynamicsInput): string | undefined {
  try {
    makeDynamics(input);
    return undefined;
  } catch (error) {
    if (error instanceof InvalidArgumentError) return error.argument;
    throw error;
  }
}

/**
 * The inputs an optimizer cannot do without: makeDynamics refuses the call
 * naming one ("is required with ..."); each is added in turn until it passes.
 */
function requiredInputs(optimizer: OptimizerName): Record<string, number> {
  const filled: Record<string, number> = {};
  for (;;) {
    const refused = refusedArgument({ optimizer, ...filled });
    const input = INPUTS.find((x) => x.name === refused);
    if (refused === undefined) return filled;
    if (input === undefined || input.name in filled) throw new Error(`makeDynamics refuses optimizer ${optimizer} for ${refused}, which the explorer has no field for`);
    filled[input.name] = input.probe;
  }
}

/** The fields of one optimizer, in INPUTS order. */
export function dynamicsFields(optimizer: OptimizerName): DynamicsField[] {
  const base = requiredInputs(optimizer);
  const without = describeDynamics(makeDynamics({ optimizer, ...base }));
  const fields: DynamicsField[] = [];
  for (const input of INPUTS) {
    const required = input.name in base;
    if (!required && refusedArgument({ optimizer, ...base, [input.name]: input.probe }) !== undefined) continue;
    let defaultValue: string | undefined;
    if (!required) {
      // The result's field that the input sets: its value without the input is the default.
      const withIt = describeDynamics(makeDynamics({ optimizer, ...base, [input.name]: input.probe }));
      const key = Object.keys(withIt).find((k) => withIt[k] === input.probe && without[k] !== input.probe);
      if (key !== undefined) defaultValue = String(without[key]);
    }
    fields.push({ name: input.name, label: input.label, required, defaultValue });
  }
  if (OPTIMIZER_MODULES[optimizer].supports.schedule) fields.push(SCHEDULE_FIELD);
  if (OPTIMIZER_MODULES[optimizer].supports.stochastic) fields.push(SAMPLING_FIELD);
  return fields;
}

/** Every optimizer of the library with its one-line summary and its fields. */
export function optimizerCatalogue(): { optimizer: OptimizerName; summary: string; fields: DynamicsField[] }[] {
  return OPTIMIZERS.map((optimizer) => ({ optimizer, summary: OPTIMIZER_MODULES[optimizer].summary, fields: dynamicsFields(optimizer) }));
}

/**
 * The library's one-line refusal of a schedule spec as typed (the message `--schedule` gives), or undefined when
 * parseLearningRateSchedule accepts it. file:PATH is refused here: the page holds no rate files.
 */
export function scheduleProblem(spec: string): string | undefined {
  if (spec.startsWith('file:')) return `--schedule file:PATH reads a rate file, which the explorer does not hold: use the CLI for ${spec}`;
  try {
    parseLearningRateSchedule(spec, '--schedule');
    return undefined;
  } catch (error) {
    if (error instanceof InvalidArgumentError) return error.message;
    throw error;
  }
}

/**
 * Typed errors. Only invalid input throws (STYLE 3); iterative methods report
 * failure through a Solution status instead.
 */
export class InvalidArgumentError extends Error {
  readonly argument: string;
  readonly requirement: string;
  readonly value: unknown;
  readonly hasValue: boolean;

  constructor(argument: string, requirement: string, value?: unknown) {
    super(`${argument} ${requirement}${arguments.length > 2 ? `, got ${formatValue(value)}` : ''}`);
    this.name = 'InvalidArgumentError';
    this.argument = argument;
    this.requirement = requirement;
    this.value = value;
    this.hasValue = arguments.length > 2;
  }

  /** The same complaint about another name (an API argument re-labelled as the CLI flag the user typed). */
  renamed(argument: string): InvalidArgumentError {
    return this.hasValue
      ? new InvalidArgumentError(argument, this.requirement, this.value)
      : new InvalidArgumentError(argument, this.requirement);
  }
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (value === undefined) return 'undefined';
  try {
    const text = JSON.stringify(value);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  } catch {
    return String(value);
  }
}

/** Throws InvalidArgumentError unless `value` is a finite number (NaN and +-Infinity rejected). */
export function requireFinite(argument: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidArgumentError(argument, 'must be a finite number', value);
  }
  return value;
}

/** A size such as N, P or M: an integer >= 1, or Infinity. */
export function requireSize(argument: string, value: number): number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new InvalidArgumentError(argument, 'must be an integer >= 1 or Infinity', value);
  }
  if (value === Infinity) return value;
  if (!Number.isInteger(value) || value < 1) {
    throw new InvalidArgumentError(argument, 'must be an integer >= 1 or Infinity', value);
  }
  return value;
}

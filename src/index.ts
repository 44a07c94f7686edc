/** Public API of scaling-dmft. The CLI (src/cli) is a thin shell over these exports. */
export { InvalidArgumentError } from './core/errors.js';
export { isSuccess, worstStatus, type Solution, type Status } from './core/solution.js';
export * from './spectrum/index.js';

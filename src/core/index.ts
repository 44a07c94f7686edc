/** Public entry of the core layer: errors, result statuses, limits, formatting, the task pool, the tool's version. */
export { InvalidArgumentError, requireFinite, requireSize } from './errors.js';
export { isSuccess, worstStatus, STATUS_SEVERITY, type Solution, type Status } from './solution.js';
export { TOOL } from './version.js';
export { API_LIMIT_NAMES, DEFAULT_LIMITS, capWorkers, checkEstimatedSeconds, checkTimeCount, DEFAULT_MAX_INPUT_BYTES, type LimitNames, type Limits, type WorkerChoice } from './limits.js';
export {
  compactJson,
  csvCell,
  csvComment,
  csvTable,
  flatProvenance,
  fmt,
  fullPrecision,
  jsonReplacer,
  markdownTable,
  toJson,
} from './format.js';
export { runTasks, type TaskPoolOptions } from './workers.js';

/**
 * The optimizer registry: kind -> module (docs/architecture.md). Layers dispatch through `optimizerOf(dynamics)`; adding an
 * optimizer means one variant in types.ts, one module under optimizers/, and one line here.
 */
import type { Dynamics, OptimizerModule, OptimizerName } from './types.js';
import { gradientFlow } from './optimizers/gradient-flow.js';
import { gradientDescent } from './optimizers/gd.js';
import { momentum } from './optimizers/momentum.js';
import { onePassSgd } from './optimizers/sgd.js';
import { nesterov } from './optimizers/nesterov.js';

/** Every module, keyed by its kind (the mapped type makes a missing kind a compile error). */
export const OPTIMIZER_MODULES: { readonly [K in OptimizerName]: OptimizerModule<Extract<Dynamics, { kind: K }>> } = Object.freeze({
  gf: gradientFlow,
  gd: gradientDescent,
  momentum,
  sgd: onePassSgd,
  nesterov,
});

/** The optimizer names, in the registry's order: gf, gd, momentum, sgd, nesterov. */
export const OPTIMIZERS: readonly OptimizerName[] = Object.freeze(Object.keys(OPTIMIZER_MODULES) as OptimizerName[]);

/** True for a registered optimizer name. */
export function isOptimizerName(name: unknown): name is OptimizerName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(OPTIMIZER_MODULES, name);
}

/** The module of an optimizer name. */
export function optimizerModule(kind: OptimizerName): OptimizerModule {
  return OPTIMIZER_MODULES[kind] as unknown as OptimizerModule;
}

/** The module of a dynamics (its functions take that dynamics). */
export function optimizerOf(dynamics: Dynamics): OptimizerModule {
  return optimizerModule(dynamics.kind);
}

/**
 * Public entry of the reconcile layer: exponent fits, closed forms against
 * the DMFT and the simulation, tables, figures, reports, shards, the one-pass
 * SGD frontier and the curve and demo reports.
 */
export * from './agreement.js';
export * from './boundary.js';
export * from './curve-report.js';
export * from './dynamics-laws.js';
export * from './figures.js';
export * from './finite-gap.js';
export * from './fit.js';
export * from './measure.js';
export * from './panel.js';
export * from './phase-diagram.js';
export * from './reconcile.js';
export * from './report.js';
export * from './report-tasks.js';
export * from './sgd.js';
export * from './store.js';
export * from './sweep.js';
export * from './tables.js';
export * from './types.js';
export * from './verdict.js';
export * from './reuse.js';
export * from './reuse-frontier.js';

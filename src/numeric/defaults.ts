/**
 * Every default setting of the numeric layer, in one place (STYLE 1, 6).
 * Callers override any of them through the `options` argument; nothing here
 * is mutated at run time.
 */
export const NUMERIC_DEFAULTS = Object.freeze({
  /**
   * Mode sums (THEORY E8). Power laws with M <= this many modes are summed
   * exactly; above it the quadrature (about 250-450 nodes, relative error
   * ~1e-13 on the reference sums of test/numeric/modes.test.ts) is cheaper:
   * the pair sums of (E15b) cost n^2 K per node group.
   */
  exactModeThreshold: 1024,
  /** Exact head k = 1..K0 before the quadrature tail (Euler-Maclaurin error ~ K0^{-a-3}, see modes.ts). */
  exactHead: 100,
  /** Gauss-Legendre points per panel in u = log k. */
  panelOrder: 8,
  /** Panel width in u times b (the transition lambda_k ~ kappa spans Delta u ~ 1/b). */
  panelWidthTimesB: 0.5,
  /** Upper bound on the panel width in u (for small b). */
  panelWidthMax: 0.5,
  /**
   * Resolve transitions down to lambda = lambdaMargin * (smallest scale among
   * kappa_c, 1/t_max and, for the t = infinity value with a ridge r,
   * kappa(r) >= r); below that every summand is a smooth power series in
   * lambda / kappa and geometric panels suffice.
   */
  lambdaMargin: 1e-4,

  /** kappa solver (THEORY E15a). */
  kappaTolerance: 1e-14,
  /** Backward-error residual of (E11) above which a node is 'unverified'. */
  kappaResidualTolerance: 1e-10,
  kappaMaxIterations: 60,
  /** Newton iterations per continuation step before the step is halved. */
  continuationNewtonIterations: 8,
  /** Maximum number of halvings of one continuation step. */
  continuationMaxDepth: 30,

  /** Contour inversion (THEORY E13): primary and cross-check methods. */
  methods: ['hyperbolic', 'parabolic'] as const,
  /**
   * Error estimate of a curve (THEORY E13): 'nested' = the primary contour on a
   * trapezoid grid judged by its own sub-rules at steps 2h and 4h (the same
   * node values, no second pass; inversion/verify.ts nestedSpread; times on the
   * circle rule fall back to 'coarse'); 'coarse' = the primary contour family at
   * coarseNodes nodes (its spread to the primary bounds the primary's error when
   * the coarse rule's error is >= 2x the primary's: for the hyperbola at 24
   * nodes ~1e-10 against ~3e-14 at 32, inversion/defaults.ts; ~0.6x the
   * primary's cost); 'check' = the second method at its own nodes (1.55x).
   */
  errorEstimate: 'nested' as 'nested' | 'coarse' | 'check',
  coarseNodes: Object.freeze({ hyperbolic: 24, parabolic: 30, talbot: 16 }),
  /**
   * Nodes of the primary contour under the 'nested' estimate (trapezoid grid). The sub-rule at step 2h has half
   * the nodes, and at 32 its error at a window's largest time (the lower strip edge, amplified there) reached
   * 1e-2 relative, which made GD and momentum times unverified; at 36 the estimate bounds every measured error by
   * a factor >= 13 and leaves the statuses as the two-pass rule had them (scripts/numeric/nested-estimate.mts).
   * Cost: 36^2 pairs against 32^2 + 24^2 for the two passes, 36 kappa nodes against 56.
   */
  nestedNodes: Object.freeze({ hyperbolic: 36, parabolic: 48, talbot: 20 }),
  /** Circle rule (E27) of the coarse estimate: e^{-2 m c / t} ~ 1e-13 with c = 4 (primary 4.7 per step ~ 1e-16). */
  coarseCircleNodesPerStep: 3.7,
  /**
   * A time point is 'converged' when the spread between the two methods is at
   * most relTol * |value| + absTol * L(0).
   */
  relTol: 1e-6,
  absTol: 1e-9,
});

export type NumericDefaults = typeof NUMERIC_DEFAULTS;

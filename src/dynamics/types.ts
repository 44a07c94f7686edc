/**
 * The training dynamics as data (THEORY E5, E25-E28d) and the shape of an optimizer module. Each optimizer is
 * one file under optimizers/ implementing OptimizerModule; registry.ts lists them and every layer asks the
 * module (never the optimizer's name) for what it needs.
 */
import type { LearningRateSchedule } from './lr-schedule.js';

/** Gradient flow with unit rate (E5), optionally with a ridge penalty (E25). */
export interface GradientFlow {
  readonly kind: 'gf';
  /** Ridge penalty r >= 0 on (r/2)|w|^2 (E25); 0 is plain gradient flow. */
  readonly ridge: number;
}

/** Full-batch gradient descent with step eta (E26); t = steps. */
export interface GradientDescent {
  readonly kind: 'gd';
  readonly lr: number;
  readonly ridge: number;
  /** Rates eta_s = lr factor(s) (THEORY E28c); absent: the constant rate lr. */
  readonly schedule?: LearningRateSchedule;
}

/** Heavy-ball momentum w_{t+1} = w_t - eta grad + beta (w_t - w_{t-1}) (E27); t = steps. */
export interface Momentum {
  readonly kind: 'momentum';
  readonly lr: number;
  /** 0 <= beta < 1; beta = 0 is gradient descent. */
  readonly beta: number;
  readonly ridge: number;
  /** Rates eta_s = lr factor(s) (THEORY E28c); absent: the constant rate lr. */
  readonly schedule?: LearningRateSchedule;
}

/** One-pass minibatch SGD with batch B at P = infinity (E28); t = steps, compute C = N t B. */
export interface OnePassSgd {
  readonly kind: 'sgd';
  readonly lr: number;
  readonly batch: number;
  readonly ridge: number;
  /** Rates eta_s = lr factor(s) (THEORY E28c: a two-time Volterra kernel); absent: the constant rate lr. */
  readonly schedule?: LearningRateSchedule;
}

/**
 * Nesterov's accelerated gradient, full batch (E28d): y_t = w_t + beta (w_t - w_{t-1}),
 * w_{t+1} = y_t - eta grad(y_t); t = steps.
 */
export interface Nesterov {
  readonly kind: 'nesterov';
  readonly lr: number;
  /** 0 <= beta < 1; beta = 0 is gradient descent. */
  readonly beta: number;
  readonly ridge: number;
}

/** Training dynamics: one variant per optimizer module (registry.ts). */
export type Dynamics = GradientFlow | GradientDescent | Momentum | OnePassSgd | Nesterov;
/** One of OPTIMIZERS. */
export type OptimizerName = Dynamics['kind'];

/** Loose input (API or CLI); `makeDynamics` checks it and fills defaults. */
export interface DynamicsInput {
  readonly optimizer?: OptimizerName;
  readonly lr?: number;
  readonly momentum?: number;
  readonly batch?: number;
  readonly ridge?: number;
  /** A learning-rate schedule (optimizers whose module supports one); undefined or constant: the rate lr at every step. */
  readonly schedule?: LearningRateSchedule;
}

/**
 * Argument names used in errors. The CLI passes its flag names so that an
 * error names what the user typed (`--lr`); the API default names the fields.
 */
export interface DynamicsArgumentNames {
  readonly optimizer: string;
  readonly lr: string;
  readonly momentum: string;
  readonly batch: string;
  readonly ridge: string;
  readonly schedule?: string;
}

/**
 * The map of a discrete optimizer's Z-transform onto the gradient-flow variable u (THEORY E27, E28d): the
 * numeric layer's circle rule evaluates the Laplace-domain objects at u(z) on |z| = R and weights them with
 * z k_t(z), where (1/2 pi i) oint k_t(z) F(u(z)) dz reproduces the optimizer's residual polynomial D_t at
 * every pole of F (every eigenvalue).
 */
export interface ZDomainMap {
  /** The base rate eta (u ~ z/eta at large z). */
  readonly lr: number;
  /**
   * At z = zr + i zi and t steps: u(z) into (ur, ui) and z k_t(z) into (kr, ki). Called once per node of the
   * circle rule (not per mode), so it may allocate nothing and may use Math.pow.
   */
  node(zr: number, zi: number, t: number, out: ZNode): void;
  /** u(R) for real R > 1: where the circle crosses the positive real axis (the continuation of kappa starts there). */
  crossing(R: number): number;
  /**
   * The heavy-ball family (GD: beta = 0, momentum): the kernel is z^{t-1}(z - beta)/eta, so the y-contour
   * (E26, GD) and the keyhole rule (E27a) apply, and a learning-rate schedule's product kernel (E28c).
   * Absent for maps outside that family (Nesterov, E28d): the circle rule, and the keyhole when `keyhole` is given.
   */
  readonly heavyBall?: {
    readonly beta: number;
    /** GD: the y-contour (E26) serves the times it fits while eta E_max < 1; otherwise the keyhole (E27a). */
    readonly yContour: boolean;
  };
  /** A map outside the heavy-ball family whose kernel still fits the keyhole rule (Nesterov, E28d); absent: the circle rule only. */
  readonly keyhole?: ZKeyhole;
}

/**
 * The keyhole rule in y = log z (THEORY E27a, E28d) for a map outside the heavy-ball family: z k_t(z) = z^t f_t(z),
 * with |f_t| bounded uniformly in t outside the disc |z| <= innerRadius, so the windowed contours at time t serve
 * in y with the weights times f_t, closed by a circle |z| = r0 between innerRadius and the fast part of the
 * singular set (the numeric layer places it from the radii below and bounds the dropped closure by factorBound).
 */
export interface ZKeyhole {
  /** At z = 1 + (dr, di) (z - 1 given, for accuracy near z = 1) and t steps: u(z) into (ur, ui), f_t(z) into (kr, ki). */
  node(dr: number, di: number, t: number, out: ZNode): void;
  /** An upper bound on |f_t(z)| over every t >= 0 at z = 1 + (dr, di), |z| > innerRadius. */
  factorBound(dr: number, di: number): number;
  /** The largest |z| of the singular set (images of the spectrum [0, eMax]) off the real segment (0, 1]; 0 when there is none. */
  fastRadius(eMax: number): number;
  /** The dominant root of eMax when it is real and positive (the singular set's left end on (0, 1]). */
  slowRoot(eMax: number): number;
  /** The closure must stay outside |z| = innerRadius (inside, the kernel's second root dominates and u has its pole). */
  readonly innerRadius: number;
}

/** Scratch output of ZDomainMap.node. */
export interface ZNode {
  ur: number;
  ui: number;
  kr: number;
  ki: number;
}

/**
 * The time kernel the numeric layer integrates (THEORY E13, E26-E28d): 'laplace' is e^{u t} on the windowed
 * contours (gradient flow; the deterministic part of one-pass SGD), 'z-map' a Z-transform mapped onto u.
 */
export type TimeKernel = { readonly rule: 'laplace' } | { readonly rule: 'z-map'; readonly map: ZDomainMap };

/** How the symbolic layer obtains the optimizer's laws (THEORY E26-E28d). */
export type LawTerms =
  /** The gradient-flow laws themselves. */
  | { readonly kind: 'gradient-flow' }
  /**
   * The gradient-flow laws in a rescaled time (small eta): `time` names it (its factor per step is
   * equivalentTime(d, 1)), `theory` labels it, `summedRate` is that time under a learning-rate schedule (E28c).
   */
  | { readonly kind: 'rescaled-time'; readonly time: string; readonly theory: string; readonly summedRate: string }
  /** Laws with their own terms (one-pass SGD: the noise term, E28). */
  | { readonly kind: 'own'; readonly theory: string };

/** What each layer supports for an optimizer. */
export interface OptimizerSupport {
  /** A ridge penalty (E25). */
  readonly ridge: boolean;
  /** A learning-rate schedule (E28c). */
  readonly schedule: boolean;
  /** The loss is a random quantity of the sampled batches (the simulator averages runs; no fixed training set at P = infinity). */
  readonly stochastic: boolean;
  /** The reconcile layer measures its laws (otherwise it refuses the optimizer). */
  readonly reconcile: boolean;
  /**
   * The simulator's cost per eigenvalue and time: 'closed-form' (O(1)), 'log-steps' (binary powering of a
   * 2 x 2 map, O(log t)), 'sampled' (the stochastic runs, O(t)).
   */
  readonly propagatorCost: 'closed-form' | 'log-steps' | 'sampled';
}

/**
 * One optimizer: everything every layer needs to know about it (docs/architecture.md). The registry maps kind -> module.
 * Functions take the module's own variant D.
 */
export interface OptimizerModule<D extends Dynamics = Dynamics> {
  readonly kind: D['kind'];
  /** One line for the CLI's help and the README table. */
  readonly summary: string;
  /** The THEORY equation of its dynamics, for messages. */
  readonly theory: string;
  /** t counts steps (whole numbers) rather than continuous time. */
  readonly discrete: boolean;
  readonly supports: OptimizerSupport;
  readonly laws: LawTerms;
  /**
   * The validated variant from loose input (makeDynamics has checked the name, the ridge and the schedule;
   * `schedule` is the checked schedule or undefined). Throws InvalidArgumentError naming `names`.
   */
  make(input: DynamicsInput, names: DynamicsArgumentNames, ridge: number, schedule: LearningRateSchedule | undefined): D;
  /** The bound on E_max (top of F G plus ridge) below which the numeric layer's kernel applies. */
  stabilityLimit(d: D): number;
  /** The bound on E_max beyond which the finite model diverges. */
  divergenceLimit(d: D): number;
  /** The stability bound on eta at E_max = 1 as a formula of the other settings ('2 (1 + beta)'); absent when it is a plain number. */
  readonly unitRateBound?: string;
  /** The stability bound as a formula with its THEORY label, for messages ('2 / eta: THEORY E26'). */
  stabilityFormula(d: D): string;
  /** Gradient-flow-equivalent time of t steps (E26-E28d). */
  equivalentTime(d: D, t: number): number;
  /** Samples processed per step (C = N t B). */
  samplesPerStep(d: D): number;
  /** Label fields after the name: ['eta=0.5', 'beta=0.9']. */
  labelParts(d: D): string[];
  /** The time kernel for the numeric layer. */
  timeKernel(d: D): TimeKernel;
  /**
   * The exact residual factor D_t(m) of t steps (or time t) for the eigenvalue m >= 0 (plus ridge) at the
   * constant rate (THEORY E5, E26, E27, E28d); t = Infinity gives the limit (0 when stable). The N = P =
   * infinity sum of the numeric layer uses it.
   */
  residual(d: D, m: number, t: number): number;
  /**
   * The simulator's exact propagator at the constant rate: for eigenvalue x >= 0 of K and m = x + ridge,
   * g = weight factor (w = g b) and h = 1 - x g at every time t[j], into g[row + j], h[row + j]. Undefined
   * for a stochastic optimizer (the simulator samples it).
   */
  propagate?(d: D, m: number, x: number, t: Float64Array, g: Float64Array, h: Float64Array, row: number): void;
}

export { assertNever } from '../core/assert.js';

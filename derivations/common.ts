/** Helpers shared by the derivation files (symbols and numeric references). */
import { add, div, type Expr, fn, gammaE, mul, num, ONE, PI, pow, sub, sym } from '../src/symbolic/expr.js';

export const a = sym('a');
export const b = sym('b');
export const t = sym('t');
export const N = sym('N');
export const P = sym('P');
export const x = sym('x');
export const kappa = sym('kappa');
export const lambda = sym('lambda');
export const c = sym('c');

/** s = (a - 1)/b. */
export const s: Expr = div(sub(a, ONE), b);
/** C_g = Gamma(1 - 1/b) Gamma(1/b) / b, from g(kappa) ~ C_g kappa^{-1/b}. */
export const Cg: Expr = mul(div(ONE, b), gammaE(sub(ONE, div(ONE, b))), gammaE(div(ONE, b)));
/** The same by the reflection formula: (pi/b)/sin(pi/b). */
export const CgReflection: Expr = div(div(PI, b), fn('sin', div(PI, b)));

export { add, div, fn, gammaE, mul, num, ONE, PI, pow, sub, sym };

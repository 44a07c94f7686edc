/** Exhaustiveness guard: a switch over a union that reaches here has an unhandled variant (a compile error at the call). */
export function assertNever(x: never, what = 'value'): never {
  throw new Error(`internal: unhandled ${what} ${JSON.stringify(x)}`);
}

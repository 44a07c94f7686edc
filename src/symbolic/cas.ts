/**
 * nerdamer-prime, loaded on first use. The symbolic layer uses it only as a
 * checker (derivatives, exact substitution) when a derivation is checked, so
 * `exponents` and every other command must not pay its load time at import.
 * The synchronous require of the package's full CommonJS build ('all') works
 * both under ESM and under CommonJS loaders (tsx -e), where the ESM build's
 * calculus functions were missing at module load.
 */
import { createRequire } from 'node:module';
import type nerdamerType from 'nerdamer-prime';

export type Nerdamer = typeof nerdamerType;

let loaded: Nerdamer | undefined;

/** The nerdamer-prime function (loaded once, on the first call). */
export function nerdamer(): Nerdamer {
  loaded ??= createRequire(import.meta.url)('nerdamer-prime/all') as Nerdamer;
  return loaded;
}

/** True once a check has loaded nerdamer-prime (tests assert that importing the layer does not). */
export function nerdamerLoaded(): boolean {
  return loaded !== undefined;
}

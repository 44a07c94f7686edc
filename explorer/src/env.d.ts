/** Set by vite.config.ts: true in a build, false under the dev server. */
declare const __EXPLORER_BUILT__: boolean;

/** Build-time constants (vite.config.ts `define`). */

/** True in test builds (`npm run build:test`, Vitest, `npm run dev`): `window.__parley` exists. */
declare const __PARLEY_TEST_HANDLE__: boolean;

/**
 * Vite build and Vitest configuration for Parley's web client.
 *
 * The build lands in the Python package (`tornado_app/ui`), which the Tornado server serves at `/`,
 * `/r/<roomId>` and `/assets/...`. Tests run in Node by default; files that need a DOM opt in with
 * a `// @vitest-environment jsdom` comment.
 *
 * `npm run build:test` (mode `test`) builds the test build into `dist-test/` instead: the same
 * client plus `window.__parley` (`__PARLEY_TEST_HANDLE__`, testHandle.ts), which the browser and
 * desktop tests read; servers serve it with `--ui-dir react-ui/dist-test` (PARLEY_UI_DIR). Only the
 * production build (mode `production`) goes without it.
 */
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

export default defineConfig(({ mode }) => ({
  plugins: [react()],
  base: '/',
  define: {
    __PARLEY_TEST_HANDLE__: JSON.stringify(mode !== 'production'),
  },
  build: {
    outDir: mode === 'test' ? 'dist-test' : '../tornado_app/ui',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
  },
  server: {
    // `npm run dev` talks to a Tornado server on 8090 for the API and signaling.
    proxy: {
      '/ws': { target: 'ws://127.0.0.1:8090', ws: true },
      '/createRoom': 'http://127.0.0.1:8090',
      '/joinRoom': 'http://127.0.0.1:8090',
      '/leaveRoom': 'http://127.0.0.1:8090',
      '/room': 'http://127.0.0.1:8090',
    },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    watch: false,
    restoreMocks: true,
    // Components read their texts through i18next: every test file starts with it set up.
    setupFiles: ['./src/i18n/index.ts'],
  },
}));

/**
 * Vite build and Vitest configuration for Parley's web client.
 *
 * The build lands in the Python package (`tornado_app/ui`), which the Tornado server serves at `/`,
 * `/r/<roomId>` and `/assets/...`. Tests run in Node by default; files that need a DOM opt in with
 * a `// @vitest-environment jsdom` comment.
 */
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: '../tornado_app/ui',
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
  },
});

import { defineConfig } from 'vite';

/** Where the Express backend listens in development (`pnpm dev` starts both). */
const backend = process.env.BACKEND_URL ?? 'http://127.0.0.1:3001';

export default defineConfig({
  // The workspace packages from their TypeScript sources, as the other apps use them.
  resolve: { conditions: ['@app/source'] },
  esbuild: { jsx: 'automatic' },
  server: {
    // The page calls its own origin; Vite forwards the API and the event stream to Express. An
    // SSE response passes through the proxy as it is written (no buffering, no compression).
    proxy: { '/api': backend, '/events': backend },
  },
  build: { outDir: 'dist', emptyOutDir: true },
});

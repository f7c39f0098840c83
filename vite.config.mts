/**
 * Builds the web pages (web/app → web/dist) that web/pages.ts serves under /app/. One entry and no dynamic
 * import, so every script the page loads is named in index.html and gets its integrity hash there.
 */
import path from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
  root: path.resolve(import.meta.dirname, 'web', 'app'),
  base: '/app/',
  // JSX with React's automatic runtime, by Vite's own transformer (no plugin needed for a production build).
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  logLevel: 'warn',
  build: {
    outDir: path.resolve(import.meta.dirname, 'web', 'dist'),
    emptyOutDir: true,
    assetsDir: 'assets',
    // No inline polyfill script (the CSP allows none) and no runtime-loaded chunks.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 2000,
    sourcemap: false,
  },
});

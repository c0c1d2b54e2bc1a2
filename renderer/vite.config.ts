// Builds the renderer into dist/renderer for both hosts; the output must satisfy a CSP without 'unsafe-inline'.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // Inlined assets become data: URLs and the preload polyfill an inline snippet; keep everything as files.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    cssCodeSplit: false,
    sourcemap: true,
    target: 'es2022',
  },
});

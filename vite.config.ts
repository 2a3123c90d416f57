import { preact } from '@preact/preset-vite';
import { defineConfig } from 'vite';

// The renderer is a static bundle served by the Electron shell (app://) or the browser host.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [preact({ devToolsEnabled: false, prefreshEnabled: false })],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'chrome120',
    reportCompressedSize: false,
    modulePreload: { polyfill: false },
  },
});

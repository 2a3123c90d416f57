import { preact } from '@preact/preset-vite';
import { defineConfig } from 'vite';
import { handwritingTemplates } from './vite-plugins/handwriting-templates';

// The renderer is a static bundle served by the Electron shell (app://) or the browser host.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [preact({ devToolsEnabled: false, prefreshEnabled: false }), handwritingTemplates()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'chrome120',
    reportCompressedSize: false,
    modulePreload: { polyfill: false },
  },
});

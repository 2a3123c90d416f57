#!/usr/bin/env node
// The `kiosk` bin: registers tsx so the TypeScript CLI runs as-is, with no build step on a terminal.
// `npm start` runs the bundled dist/node/kiosk.mjs instead, which starts three times faster.
import { register } from 'tsx/esm/api';

register();
await import('./entry.ts');

/**
 * Electron's entry point (bundled to dist/electron/main.js by build.ts). Run as
 * `electron dist/electron/main.js [--config FILE] [--data DIR] [--technician]`.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../services/logging/logger';
import { runKioskShell, shellPaths } from './kiosk-shell';

void runKioskShell({
  argv: process.argv,
  env: process.env,
  paths: shellPaths(dirname(fileURLToPath(import.meta.url))),
  log: createLogger().child({ process: 'electron-main' }),
});

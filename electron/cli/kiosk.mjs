#!/usr/bin/env node
// The `kiosk` bin: registers tsx so the TypeScript CLI runs as-is (no build step on a terminal).
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('./main.ts');
process.exitCode = await runCli(process.argv);

import { runCli } from './main';

// The `kiosk` process entry: run under tsx by kiosk.mjs, or bundled to dist/node/kiosk.mjs by `npm run build`.
process.exitCode = await runCli(process.argv);

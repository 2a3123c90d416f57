/**
 * `npm run platform -- [--port N] [--data DIR] [--host ADDR] [--new-code] [--code CODE [--code-terminal ID]]`
 * Runs the reference platform with the embedded catalogue until SIGINT/SIGTERM. `--new-code`
 * prints a fresh one-time enrolment code; `--code` accepts a code chosen by the administrator.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { embeddedCatalogue } from '../kiosk-config/catalogue';
import { startPlatform } from './server/start-platform';

const usageLine =
  'usage: npm run platform -- [--port N] [--data DIR] [--host ADDR] [--new-code] [--code CODE [--code-terminal ID]]';
const help = `${usageLine}

The reference platform: the terminal API (/v1), the hall's pages (/hall), on its own SQLite store.
  --port N             port to listen on (default 8790; 0 picks a free one)
  --data DIR           the platform's data folder (default .platform-data)
  --host ADDR          address to listen on (default 127.0.0.1; 0.0.0.0 serves the hall network)
  --new-code           print a fresh one-time enrolment code for a terminal
  --code CODE          accept this enrolment code, chosen in advance
  --code-terminal ID   bind --code to one terminal id
  -h, --help           this text
Runs until Ctrl-C. The contract it serves: docs/platform-contract.md.
Exit codes: 0 stopped, 2 bad command line (as for every kiosk command, docs/cli.md).`;

function usage(message: string): never {
  process.stderr.write(`platform: ${message}\n${usageLine}\n`);
  process.exit(2);
}

let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    options: {
      port: { type: 'string', default: '8790' },
      data: { type: 'string', default: '.platform-data' },
      host: { type: 'string', default: '127.0.0.1' },
      'new-code': { type: 'boolean', default: false },
      code: { type: 'string' },
      'code-terminal': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
}
try {
  args = parse();
} catch (error) {
  usage(error instanceof Error ? error.message : String(error));
}
if (args.values.help) {
  process.stdout.write(`${help}\n`);
  process.exit(0);
}
const port = Number(args.values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  usage(`--port: expected a port number, got "${args.values.port}"`);

const log = pino(
  { base: { app: 'village-platform' }, level: process.env['PLATFORM_LOG_LEVEL'] ?? 'info' },
  pino.destination(2),
);
const platform = await startPlatform({
  port,
  host: args.values.host,
  dataDir: resolve(args.values.data),
  catalog: embeddedCatalogue,
  log,
});
process.stdout.write(`platform ready at ${platform.url}\nhall page: ${platform.url}/hall\n`);
if (args.values.code !== undefined) {
  const code = platform.createEnrolmentCode({
    code: args.values.code,
    ...(args.values['code-terminal'] === undefined ? {} : { terminalId: args.values['code-terminal'] }),
  });
  process.stdout.write(`enrolment code accepted: ${code} (one use, 24 hours)\n`);
}
if (args.values['new-code'])
  process.stdout.write(`enrolment code: ${platform.createEnrolmentCode()} (one use, 24 hours)\n`);

await new Promise<void>((done) => {
  process.once('SIGINT', done);
  process.once('SIGTERM', done);
});
await platform.close();

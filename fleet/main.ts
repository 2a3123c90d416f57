/**
 * `npm run fleet -- <command>`:
 *   keygen   [--key FILE]                     make the county's fleet key; prints the public key for kiosks
 *   console  --county C --broker URL --broker-password-file F --key FILE [--ca FILE] [--data DIR]
 *            [--broker-user U] [--port N] [--host ADDR --tls-cert F --tls-key F] [--retention-days N]
 *            [--requests-per-minute N]
 *   user     add|list|reset-password|disable|enable …  the console's staff accounts (technician|viewer)
 *   local    [--data DIR] [--county C] [--broker-port N] [--port N]   broker + console on this machine
 *   broker-config --county C                  prints the Mosquitto ACL for a county (docs/fleet.md)
 *   simulate --terminals N [--data DIR]       simulated terminals against `local` (npm run fleet:simulate)
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { publicKeyBase64Url } from '../platform/contract/terminal-identity';
import { mosquittoAcl } from './broker/mosquitto-config';
import { countyIdSchema } from './contract/fleet-topics';
import { runConsole, runLocal } from './cli/console-command';
import { runUserCommand } from './cli/user-command';
import { fleetKeyAt } from './cli/fleet-files';
import { runSimulate } from './cli/simulate-command';

const usageText = `usage: npm run fleet -- keygen|console|local|broker-config|simulate [options]  (see fleet/README.md)`;

function fail(message: string): never {
  process.stderr.write(`fleet: ${message}\n${usageText}\n`);
  process.exit(2);
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'user') {
  // Accounts are the platform's model (platform/server/accounts), kept in the console's database.
  await runUserCommand(rest);
  process.exit(0);
}
let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    args: rest,
    options: {
      data: { type: 'string' },
      county: { type: 'string' },
      broker: { type: 'string' },
      'broker-user': { type: 'string', default: 'fleet-console' },
      'broker-password-file': { type: 'string' },
      'broker-port': { type: 'string', default: '8883' },
      ca: { type: 'string' },
      key: { type: 'string' },
      port: { type: 'string', default: '8791' },
      host: { type: 'string', default: '127.0.0.1' },
      'retention-days': { type: 'string', default: '90' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'requests-per-minute': { type: 'string', default: '600' },
      terminals: { type: 'string', default: '100' },
      'state-seconds': { type: 'string', default: '60' },
      'burst-seconds': { type: 'string', default: '30' },
    },
    strict: true,
  });
}
try {
  parsed = parse();
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
const values = parsed.values;
const number = (name: keyof typeof values, min: number, max: number): number => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < min || n > max) fail(`--${name}: expected a whole number ${min}–${max}`);
  return n;
};
const county = (fallback?: string): string => {
  const value = values.county ?? fallback;
  if (value === undefined) fail('--county is needed');
  if (!countyIdSchema.safeParse(value).success) fail(`--county: lower-case letters, digits and dashes, got "${value}"`);
  return value;
};
const log = pino({ base: { app: 'fleet' }, level: process.env['FLEET_LOG_LEVEL'] ?? 'info' }, pino.destination(2));
const out = (line: string) => process.stdout.write(`${line}\n`);

function firstAccountHint(data: string): string {
  return `no staff account yet: npm run fleet -- user add li.na --role technician --data ${data}`;
}

function untilSignal(close: () => Promise<void>): void {
  const stop = () => {
    void close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

switch (command) {
  case 'keygen': {
    const file = resolve(values.key ?? 'fleet-key.pem');
    const existed = existsSync(file);
    const key = fleetKeyAt(file);
    if (!key.ok) fail(key.error);
    out(`${existed ? 'existing' : 'new'} county fleet key: ${file} (keep it secret; the console signs with it)`);
    out(`public key for the kiosks' fleet.commandKeys: ${publicKeyBase64Url(key.value.publicKey)}`);
    break;
  }
  case 'broker-config':
    process.stdout.write(mosquittoAcl(county(), [values['broker-user']]));
    break;
  case 'console': {
    if (values.broker === undefined) fail('--broker mqtts://host:port is needed');
    if (values['broker-password-file'] === undefined) fail('--broker-password-file is needed');
    if (values.key === undefined) fail('--key (the county fleet key, from `fleet keygen`) is needed');
    const running = await runConsole({
      data: resolve(values.data ?? '.fleet-console'),
      county: county(),
      broker: values.broker,
      brokerUser: values['broker-user'],
      brokerPasswordFile: values['broker-password-file'],
      ...(values.ca === undefined ? {} : { caFile: values.ca }),
      keyFile: values.key,
      port: number('port', 0, 65535),
      host: values.host,
      retentionDays: number('retention-days', 1, 3650),
      ...(values['tls-cert'] === undefined ? {} : { tlsCertFile: values['tls-cert'] }),
      ...(values['tls-key'] === undefined ? {} : { tlsKeyFile: values['tls-key'] }),
      requestsPerMinute: number('requests-per-minute', 10, 1_000_000),
      log,
    });
    if (!running.ok) fail(running.error);
    out(`fleet console at ${running.value.console.url}`);
    out(`sign in: ${running.value.signInUrl}`);
    if (running.value.noAccounts) out(firstAccountHint(values.data ?? '.fleet-console'));
    untilSignal(() => running.value.console.close());
    break;
  }
  case 'local': {
    const running = await runLocal({
      data: values.data ?? '.fleet-local',
      county: county('qingshan'),
      brokerPort: number('broker-port', 0, 65535),
      port: number('port', 0, 65535),
      log,
    });
    if (!running.ok) fail(running.error);
    out(`broker ${running.value.broker.tlsUrl} (TLS, ACL), plain loopback ${running.value.broker.plainUrl ?? '-'}`);
    out(`fleet console at ${running.value.console.url}`);
    out(`sign in: ${running.value.signInUrl}`);
    if (running.value.noAccounts) out(firstAccountHint(values.data ?? '.fleet-local'));
    out(`start a kiosk on it: npm start -- --config ${running.value.kioskConfigFile} --data .kiosk-fleet-data`);
    out(`simulated terminals: npm run fleet:simulate -- --terminals 200`);
    untilSignal(() => running.value.close());
    break;
  }
  case 'simulate': {
    const stop = await runSimulate({
      terminals: number('terminals', 1, 100_000),
      data: resolve(values.data ?? '.fleet-local'),
      statePublishSeconds: number('state-seconds', 1, 3600),
      burstEverySeconds: number('burst-seconds', 1, 3600),
      out,
    }).catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
    untilSignal(stop);
    break;
  }
  case undefined:
    fail('which command?');
    break;
  default:
    fail(`unknown command "${command}"`);
}

/**
 * `npm run fleet -- console`: the county's fleet console against its broker, and
 * `npm run fleet -- local`: a whole county on one machine for a demonstration (a Mosquitto with a
 * test CA, TLS and the ACL, the console, and a kiosk configuration file that points `npm start` at them).
 */
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { systemClock } from '../../foundation/clock';
import { createFileKeyProvider, describeKeyFileError } from '../../foundation/key-provider';
import { isLoopbackHost } from '../../foundation/loopback';
import type { Log } from '../../foundation/log';
import { err, ok, type Result } from '../../foundation/result';
import { publicKeyBase64Url } from '../../platform/contract/terminal-identity';
import { AccountStore } from '../../platform/server/accounts/account-db';
import { startBroker, type RunningBroker } from '../broker/mosquitto-process';
import { newBrokerSecret } from '../broker/mosquitto-passwords';
import { startFleetConsole, type FleetConsole } from '../console/console-server';
import {
  fleetKeyAt,
  readFleetKey,
  readSecretFile,
  writeSecretFile,
  type FleetKey,
  type LocalFleet,
} from './fleet-files';

export interface ConsoleCommandOptions {
  readonly data: string;
  readonly county: string;
  readonly broker: string;
  readonly brokerUser: string;
  readonly brokerPasswordFile: string;
  readonly caFile?: string;
  readonly keyFile: string;
  readonly port: number;
  readonly host: string;
  readonly retentionDays: number;
  /** PEM files: the console then serves HTTPS (needed for any address but loopback). */
  readonly tlsCertFile?: string;
  readonly tlsKeyFile?: string;
  /** Requests per address and minute (default 600); sign-in and commands keep their tighter limits. */
  readonly requestsPerMinute?: number;
  readonly log: Log;
}

export interface RunningConsole {
  readonly console: FleetConsole;
  readonly signInUrl: string;
  /** No staff account exists yet: say how to make the first one. */
  readonly noAccounts: boolean;
}

/**
 * Node options the console runs with (`npm run fleet` passes them; so does the bench). Its live heap
 * at 10,000 terminals is about 50 MB, but under a storm of states (a broker restart) V8 grows the
 * young generation to 64 MB semi-spaces and promotes their garbage, which took the RSS past 300 MB;
 * 4 MB semi-spaces keep it near 200 MB for a little more collection work.
 */
export const consoleNodeOptions = ['--max-semi-space-size=4'] as const;

/** The console's database in its data folder (its store and the staff accounts). */
export const consoleDatabaseFile = (data: string): string => join(data, 'console.sqlite');

/**
 * The secret that signs staff session cookies: 32 random bytes made once, owner-only (0600), in the
 * data folder, so a console restart keeps staff signed in (their sessions are in the database).
 */
export function consoleSessionSecret(data: string): Result<string, string> {
  const key = createFileKeyProvider(join(data, 'console-session.key'));
  return key.ok ? ok(key.value.getDataKey().toString('base64url')) : err(describeKeyFileError(key.error));
}

export async function runConsole(
  options: ConsoleCommandOptions,
  key?: FleetKey,
): Promise<Result<RunningConsole, string>> {
  const fleetKey = key === undefined ? readFleetKey(options.keyFile) : ok(key);
  if (!fleetKey.ok) return err(`--key: ${fleetKey.error}`);
  const password = readSecretFile(options.brokerPasswordFile);
  if (!password.ok) return err(`--broker-password-file: ${password.error}`);
  let ca: Buffer | undefined;
  if (options.caFile !== undefined) {
    try {
      ca = readFileSync(options.caFile);
    } catch {
      return err(`--ca: cannot read ${options.caFile}`);
    }
  }
  if ((options.tlsCertFile === undefined) !== (options.tlsKeyFile === undefined))
    return err('--tls-cert and --tls-key go together');
  let tls: { cert: Buffer; key: Buffer } | undefined;
  if (options.tlsCertFile !== undefined && options.tlsKeyFile !== undefined) {
    try {
      tls = { cert: readFileSync(options.tlsCertFile), key: readFileSync(options.tlsKeyFile) };
    } catch {
      return err('--tls-cert/--tls-key: cannot read the files');
    }
  } else if (!isLoopbackHost(options.host)) {
    return err(
      `--host ${options.host}: the console serves other machines over HTTPS only; give --tls-cert and --tls-key`,
    );
  }
  mkdirSync(options.data, { recursive: true });
  const sessionSecret = consoleSessionSecret(options.data);
  if (!sessionSecret.ok) return err(`--data: ${sessionSecret.error}`);
  const console_ = await startFleetConsole({
    sessionSecret: sessionSecret.value,
    port: options.port,
    host: options.host,
    ...(tls === undefined ? {} : { tls }),
    databasePath: consoleDatabaseFile(options.data),
    retentionDays: options.retentionDays,
    county: options.county,
    broker: {
      url: options.broker,
      ...(ca === undefined ? {} : { ca }),
      username: options.brokerUser,
      password: password.value,
    },
    signingKey: fleetKey.value,
    clock: systemClock,
    log: options.log,
    ...(options.requestsPerMinute === undefined ? {} : { rateLimits: { requests: options.requestsPerMinute } }),
  });
  const noAccounts = new AccountStore(console_.store.db).list().length === 0;
  return ok({ console: console_, signInUrl: `${console_.url}/fleet/login`, noAccounts });
}

export interface LocalCommandOptions {
  readonly data: string;
  readonly county: string;
  readonly brokerPort: number;
  readonly port: number;
  readonly log: Log;
}

export interface RunningLocal extends RunningConsole {
  readonly broker: RunningBroker;
  readonly kioskConfigFile: string;
  close(): Promise<void>;
}

export async function runLocal(options: LocalCommandOptions): Promise<Result<RunningLocal, string>> {
  const data = resolve(options.data);
  const brokerDir = join(data, 'broker');
  mkdirSync(brokerDir, { recursive: true });
  const key = fleetKeyAt(join(data, 'fleet-key.pem'));
  if (!key.ok) return key;
  const consoleSecret = newBrokerSecret();
  const consolePasswordFile = join(data, 'console-broker-password');
  writeSecretFile(consolePasswordFile, consoleSecret);
  const broker = await startBroker({
    dir: brokerDir,
    county: options.county,
    consoleUsers: ['fleet-console'],
    users: new Map([['fleet-console', consoleSecret]]),
    tlsPort: options.brokerPort,
    // For `fleet simulate`: plain MQTT, loopback only.
    plainPort: 0,
  });
  const running = await runConsole(
    {
      data,
      county: options.county,
      broker: broker.tlsUrl,
      brokerUser: 'fleet-console',
      brokerPasswordFile: consolePasswordFile,
      caFile: broker.certificates.caFile,
      keyFile: join(data, 'fleet-key.pem'),
      port: options.port,
      host: '127.0.0.1',
      retentionDays: 90,
      log: options.log,
    },
    key.value,
  );
  if (!running.ok) {
    await broker.stop();
    return running;
  }
  const commandKey = publicKeyBase64Url(key.value.publicKey);
  const kioskConfigFile = join(data, 'kiosk.json');
  // Merged over the kiosk's embedded defaults by `npm start -- --config <file>`.
  writeFileSync(
    kioskConfigFile,
    `${JSON.stringify(
      {
        fleet: {
          brokerUrl: broker.tlsUrl,
          county: options.county,
          caFile: broker.certificates.caFile,
          commandKeys: [commandKey],
          statePublishSeconds: 60,
          embeddedPasswordFile: broker.passwordFile,
        },
      },
      null,
      2,
    )}\n`,
  );
  const local: LocalFleet = {
    county: options.county,
    tlsUrl: broker.tlsUrl,
    plainUrl: broker.plainUrl ?? '',
    caFile: broker.certificates.caFile,
    passwordFile: broker.passwordFile,
    brokerPidFile: join(brokerDir, 'mosquitto.pid'),
    commandKey,
    consoleUrl: running.value.console.url,
  };
  writeFileSync(join(data, 'local.json'), `${JSON.stringify(local, null, 2)}\n`);
  return ok({
    ...running.value,
    broker,
    kioskConfigFile,
    async close() {
      await running.value.console.close();
      await broker.stop();
    },
  });
}

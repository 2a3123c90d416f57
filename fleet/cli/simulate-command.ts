/**
 * `npm run fleet:simulate -- --terminals N`: N simulated terminals against the broker of
 * `npm run fleet -- local` (or any broker given by --broker and --password-file), with alert
 * bursts, dropped connections and reconnects, until SIGINT. Prints a status line every 10 s.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock } from '../../foundation/clock';
import { upsertPasswords } from '../broker/mosquitto-passwords';
import { parsePublicKey } from '../../platform/contract/terminal-identity';
import type { AlertCode } from '../contract/fleet-payloads';
import { createSimulatedFleet, simulatedAccounts } from '../simulator/simulated-fleet';
import { localFleetSchema } from './fleet-files';

export interface SimulateOptions {
  readonly terminals: number;
  readonly data: string;
  readonly statePublishSeconds: number;
  /** Seconds between alert bursts and disconnect rounds. */
  readonly burstEverySeconds: number;
  readonly out: (line: string) => void;
}

const burstCodes: readonly AlertCode[] = ['printer-paper-out', 'printer-paper-near-end', 'id-reader-unplugged'];

export async function runSimulate(options: SimulateOptions): Promise<() => Promise<void>> {
  const localFile = join(options.data, 'local.json');
  let local;
  try {
    local = localFleetSchema.parse(JSON.parse(readFileSync(localFile, 'utf8')));
  } catch {
    throw new Error(`${localFile}: not found or unreadable; start \`npm run fleet -- local\` first`);
  }
  const key = parsePublicKey(local.commandKey);
  if (!key.ok) throw new Error(`${localFile}: commandKey: ${key.error}`);
  const url = new URL(local.plainUrl);
  // A fresh fleet secret per run: the accounts are added to the broker's password file, then reread.
  const fleetSecret = randomBytes(32).toString('base64url');
  upsertPasswords(local.passwordFile, simulatedAccounts(fleetSecret, options.terminals));
  try {
    process.kill(Number(readFileSync(local.brokerPidFile, 'utf8').trim()), 'SIGHUP');
  } catch {
    throw new Error(`the broker of ${localFile} is not running`);
  }
  const fleet = createSimulatedFleet({
    county: local.county,
    count: options.terminals,
    fleetSecret,
    host: url.hostname,
    port: Number(url.port),
    statePublishMs: options.statePublishSeconds * 1000,
    commandKeys: [key.value],
    clock: systemClock,
  });
  // The broker rereads its password file asynchronously: a terminal refused meanwhile retries.
  const connected = await fleet.connectAll();
  options.out(
    `fleet simulate: ${connected.connected} of ${options.terminals} terminals connected to ${local.plainUrl}` +
      (connected.failed > 0 ? ` (${connected.failed} retrying: ${connected.firstError ?? ''})` : '') +
      `; console ${local.consoleUrl}`,
  );
  const pick = () => fleet.terminals[Math.floor(Math.random() * fleet.terminals.length)];
  const rounds = setInterval(() => {
    // An alert burst: 1 % of the fleet (at least one) raises something, cleared a round later.
    const burst = Math.max(1, Math.round(options.terminals / 100));
    for (let i = 0; i < burst; i++) {
      const terminal = pick();
      const code = burstCodes[i % burstCodes.length];
      if (terminal === undefined || code === undefined) continue;
      void terminal.setAlert(code, true).catch(() => undefined);
      setTimeout(() => void terminal.setAlert(code, false).catch(() => undefined), options.burstEverySeconds * 1000);
    }
    // Dropped links (the broker publishes their Last Will), back after 5–20 s.
    for (let i = 0; i < Math.max(1, Math.round(options.terminals / 200)); i++) {
      const terminal = pick();
      if (terminal === undefined || !terminal.online) continue;
      void terminal.disconnect('lost');
      setTimeout(() => void terminal.connect().catch(() => undefined), 5000 + Math.random() * 15_000);
    }
  }, options.burstEverySeconds * 1000);
  const status = setInterval(() => {
    const health = [...fleet.expectedHealth().values()];
    const count = (h: string) => health.filter((x) => x === h).length;
    options.out(
      `fleet simulate: ${fleet.onlineCount()} online; red ${count('red')}, amber ${count('amber')}, green ${count('green')}, offline ${count('grey')}`,
    );
  }, 10_000);
  return async () => {
    clearInterval(rounds);
    clearInterval(status);
    await fleet.stop();
  };
}

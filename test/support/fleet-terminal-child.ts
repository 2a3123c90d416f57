/**
 * A terminal's fleet agent alone in a child process, for tests that kill it (the Last Will).
 * Arguments: JSON {brokerUrl, caFile, county, terminal, password, dataDir}. Prints "connected".
 */
import { readFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { systemClock, systemTimers } from '../../foundation/clock';
import { silentLog } from '../../foundation/log';
import { defaultThresholds } from '../../electron/services/fleet/alert-watch';
import { createFleetAgent } from '../../electron/services/fleet/fleet-agent';
import { createFakeFleetPort } from '../../electron/services/fleet/fake-fleet-port';
import { openFleetStore } from '../../electron/services/fleet/fleet-store';

const args = JSON.parse(process.argv[2] ?? '{}') as {
  brokerUrl: string;
  caFile: string;
  county: string;
  terminal: string;
  password: string;
  dataDir: string;
};
const store = openFleetStore(args.dataDir, systemClock);
if (!store.ok) throw new Error('fleet store did not open');
const agent = createFleetAgent({
  address: { county: args.county, terminal: args.terminal },
  brokerUrl: args.brokerUrl,
  ca: readFileSync(args.caFile),
  credentials: { username: args.terminal, password: args.password },
  commandKeys: [generateKeyPairSync('ed25519').publicKey],
  statePublishMs: 60_000,
  thresholds: defaultThresholds,
  port: createFakeFleetPort(),
  store: store.value,
  clock: systemClock,
  timers: systemTimers,
  log: silentLog,
});
agent.start();
const timer = setInterval(() => {
  if (!agent.connected) return;
  clearInterval(timer);
  process.stdout.write('connected\n');
}, 10);

/**
 * Builds the terminal's fleet agent from the configuration and the enrolment record, or explains
 * (once, in the log) why there is none: no `fleet` section, no broker account yet, an unreadable CA
 * or command key. The kiosk runs the same without it; the HTTP heartbeat is then its report.
 */
import { readFileSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import type { FleetConfig } from '../../../kiosk-config/config-schema';
import { systemClock, systemTimers } from '../../../foundation/clock';
import type { Log } from '../../../foundation/log';
import { err, ok, type Result } from '../../../foundation/result';
import { parsePublicKey } from '../../../platform/contract/terminal-identity';
import { readEnrolment } from '../platform-client/identity-store';
import { defaultThresholds } from './alert-watch';
import { createFleetAgent, type FleetAgent } from './fleet-agent';
import type { FleetTerminalPort } from './fleet-port';
import type { BrokerLinkControl } from './broker-link';
import { openFleetStore } from './fleet-store';

export interface RunningFleet {
  readonly agent: FleetAgent;
  /** Connects to the broker; called once the devices run, so the first state is not of devices still starting. */
  start(): void;
  close(): Promise<void>;
}

export function openFleet(options: {
  readonly fleet: FleetConfig | undefined;
  readonly terminalId: string;
  readonly dataDir: string;
  readonly port: FleetTerminalPort;
  readonly link: BrokerLinkControl;
  readonly log: Log;
}): Result<RunningFleet | null, string> {
  const { fleet, log } = options;
  if (fleet === undefined) return ok(null);
  const credentials = readEnrolment(options.dataDir)?.fleet;
  if (credentials === undefined) {
    log.warn(
      {},
      'fleet: no broker account yet (enrol again with a platform that issues them); using the HTTP heartbeat',
    );
    return ok(null);
  }
  let ca: Buffer | undefined;
  if (fleet.caFile !== undefined) {
    try {
      ca = readFileSync(fleet.caFile);
    } catch (error) {
      return err(`fleet.caFile ${fleet.caFile}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  const keys: KeyObject[] = [];
  for (const [index, text] of fleet.commandKeys.entries()) {
    const key = parsePublicKey(text);
    if (!key.ok) return err(`fleet.commandKeys.${index}: ${key.error}`);
    keys.push(key.value);
  }
  const store = openFleetStore(options.dataDir, systemClock);
  if (!store.ok) return err(`fleet store: ${store.error.kind}`);
  const agent = createFleetAgent({
    address: { county: fleet.county, terminal: options.terminalId },
    brokerUrl: fleet.brokerUrl,
    ...(ca === undefined ? {} : { ca }),
    credentials,
    commandKeys: keys,
    statePublishMs: fleet.statePublishSeconds * 1000,
    thresholds: {
      ...defaultThresholds,
      outboxStuckMs: fleet.outboxStuckMinutes * 60_000,
      diskLowBytes: fleet.diskLowMegabytes * 1024 * 1024,
      clockSkewMs: fleet.clockSkewSeconds * 1000,
    },
    port: options.port,
    store: store.value,
    clock: systemClock,
    timers: systemTimers,
    log,
    link: options.link,
  });
  return ok({
    agent,
    start: () => agent.start(),
    async close() {
      await agent.stop();
      store.value.close();
    },
  });
}

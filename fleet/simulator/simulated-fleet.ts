/**
 * N simulated terminals in one process (`npm run fleet:simulate`, the bench): ids, broker secrets
 * derived from one fleet secret (so the broker's password file can be written for all of them),
 * connection at a bounded pace, and the truth the console must end up showing.
 */
import { createHmac, type KeyObject } from 'node:crypto';
import type { Clock } from '../../foundation/clock';
import { SimulatedTerminal, commandKeyMap, type SimulatedHealth } from './simulated-terminal';

export interface SimulatedFleetOptions {
  readonly county: string;
  readonly count: number;
  /** Broker secrets are HMAC(fleetSecret, terminal id). */
  readonly fleetSecret: string;
  readonly host: string;
  readonly port: number;
  readonly statePublishMs: number;
  readonly commandKeys: readonly KeyObject[];
  readonly clock: Clock;
  readonly reconnectMs?: number;
}

export interface SimulatedFleet {
  readonly terminals: readonly SimulatedTerminal[];
  /** Connects every terminal, at most `concurrency` handshakes at a time. */
  connectAll(concurrency?: number): Promise<{ connected: number; failed: number; firstError: string | null }>;
  /** Terminal id → the colour the console must show for it. */
  expectedHealth(): Map<string, SimulatedHealth>;
  /** How many terminals have a live connection now. */
  onlineCount(): number;
  stop(): Promise<void>;
}

export function simulatedTerminalId(index: number): string {
  return `SIM-${String(index + 1).padStart(5, '0')}`;
}

export function simulatedSecret(fleetSecret: string, terminal: string): string {
  return createHmac('sha256', fleetSecret).update(terminal).digest('base64url');
}

/** Broker accounts of the first `count` simulated terminals, for the password file. */
export function simulatedAccounts(fleetSecret: string, count: number): Map<string, string> {
  return new Map(
    Array.from({ length: count }, (_, i) => {
      const id = simulatedTerminalId(i);
      return [id, simulatedSecret(fleetSecret, id)];
    }),
  );
}

const villages = ['柳溪村', '石桥村', '桃园村', '青山村', '河口村', '松林村', '东坪村', '西岭村'];

export function createSimulatedFleet(options: SimulatedFleetOptions): SimulatedFleet {
  const keys = commandKeyMap(options.commandKeys);
  let online = 0;
  const terminals = Array.from({ length: options.count }, (_, i) => {
    const terminal = simulatedTerminalId(i);
    return new SimulatedTerminal({
      address: { county: options.county, terminal },
      name: `模拟终端 ${i + 1}`,
      village: `${villages[i % villages.length] ?? '村'}${Math.floor(i / villages.length) + 1}组`,
      host: options.host,
      port: options.port,
      secret: simulatedSecret(options.fleetSecret, terminal),
      statePublishMs: options.statePublishMs,
      commandKeys: keys,
      clock: options.clock,
      reconnectMs: options.reconnectMs ?? 2000,
      onLink: (up) => {
        online += up ? 1 : -1;
      },
    });
  });
  return {
    terminals,
    async connectAll(concurrency = 200) {
      let next = 0;
      let failed = 0;
      let firstError: string | null = null;
      const worker = async () => {
        for (let i = next++; i < terminals.length; i = next++) {
          try {
            await terminals[i]?.connect();
          } catch (error) {
            failed += 1;
            firstError ??= error instanceof Error ? error.message : String(error);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, terminals.length) }, worker));
      return { connected: terminals.length - failed, failed, firstError };
    },
    expectedHealth: () => new Map(terminals.map((t) => [t.address.terminal, t.health])),
    onlineCount: () => online,
    async stop() {
      await Promise.all(terminals.map((t) => t.disconnect('lost')));
    },
  };
}

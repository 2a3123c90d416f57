import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { newBrokerSecret } from '../../fleet/broker/mosquitto-passwords';
import { startBroker, type RunningBroker } from '../../fleet/broker/mosquitto-process';

/**
 * A real Mosquitto on a free port with the county configuration (TLS, password file, ACL) in a
 * temporary folder, and MQTT.js clients that connect to it as a terminal or as the console.
 */
export const testCounty = 'qingshan';

export interface TestBroker {
  readonly broker: RunningBroker;
  readonly ca: Buffer;
  /** Adds a broker account (terminal id or console name) and returns its secret. */
  account(username: string): Promise<string>;
  connectAs(username: string, secret: string, options?: mqtt.IClientOptions): Promise<MqttClient>;
  close(): Promise<void>;
}

export async function startTestBroker(): Promise<TestBroker> {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-broker-'));
  const broker = await startBroker({ dir, county: testCounty, consoleUsers: ['fleet-console'] });
  // Only the listeners asked for: a default plain 1883 on every interface would be a hole (and collide).
  const opened = [...broker.log().matchAll(/listen socket on port (\d+)/g)].map((m) => m[1]);
  if (opened.includes('1883')) {
    await broker.stop();
    throw new Error(`the broker opened its default listener 1883: ${broker.log()}`);
  }
  const ca = readFileSync(broker.certificates.caFile);
  const clients: MqttClient[] = [];
  return {
    broker,
    ca,
    async account(username) {
      const secret = newBrokerSecret();
      broker.addUsers(new Map([[username, secret]]));
      await broker.reload();
      return secret;
    },
    async connectAs(username, secret, options = {}) {
      const client = await mqtt.connectAsync(broker.tlsUrl, {
        protocolVersion: 5,
        clientId: username,
        username,
        password: secret,
        ca,
        reconnectPeriod: 0,
        ...options,
      });
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.all(clients.map((c) => c.endAsync(true)));
      await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The console's MQTT side: one persistent session (so nothing published while the console is down
 * is lost), subscribed to every terminal's state, events and replies in the county; and the sender
 * of signed commands. A payload must name the terminal whose topic it came on: the broker's ACL
 * vouches for the topic, so a terminal cannot speak for another one in the body.
 */
import { randomUUID, type KeyObject } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import type { Clock } from '../../foundation/clock';
import type { Log } from '../../foundation/log';
import { signCommand } from '../contract/fleet-command-signing';
import {
  commandReplySchema,
  fleetEventSchema,
  parsePayload,
  terminalStateSchema,
  type CommandBody,
  type FleetCommand,
} from '../contract/fleet-payloads';
import { countyTopicFilter, parseTopic, terminalTopic } from '../contract/fleet-topics';
import type { ConsoleStore } from './console-store';

export interface ConsoleLinkOptions {
  readonly brokerUrl: string;
  readonly ca?: Buffer;
  readonly username: string;
  readonly password: string;
  readonly county: string;
  readonly store: ConsoleStore;
  readonly signingKey: { readonly privateKey: KeyObject; readonly publicKey: KeyObject };
  readonly clock: Clock;
  readonly log: Log;
  /** Client id of the persistent session (one per console instance). */
  readonly clientId?: string;
}

export interface ConsoleLink {
  readonly connected: boolean;
  /** Resolves once subscribed (retained states then arrive). */
  ready(): Promise<void>;
  send(terminal: string, command: FleetCommand, issuedBy: string, validityMs?: number): Promise<CommandBody>;
  close(): Promise<void>;
}

export function startConsoleLink(options: ConsoleLinkOptions): ConsoleLink {
  const { store, county, clock } = options;
  const log = options.log.child({ module: 'fleet-link' });
  let dropped = 0;
  const client: MqttClient = mqtt.connect(options.brokerUrl, {
    protocolVersion: 5,
    clientId: options.clientId ?? options.username,
    username: options.username,
    password: options.password,
    ...(options.ca === undefined ? {} : { ca: options.ca }),
    rejectUnauthorized: true,
    clean: false,
    properties: { sessionExpiryInterval: 7 * 86_400, receiveMaximum: 1000 },
    keepalive: 30,
    reconnectPeriod: 1000,
  });
  let subscribed: Promise<void> | null = null;
  let resolveReady: () => void = () => undefined;
  const readyPromise = new Promise<void>((resolve) => (resolveReady = resolve));

  client.on('connect', () => {
    log.info({ broker: options.brokerUrl }, 'console connected to the broker');
    subscribed = client
      .subscribeAsync(
        {
          [countyTopicFilter(county, 'state')]: { qos: 1 },
          [countyTopicFilter(county, 'events')]: { qos: 1 },
          [countyTopicFilter(county, 'cmd/reply')]: { qos: 1 },
        },
        {},
      )
      .then(() => resolveReady())
      .catch((error: unknown) => log.error({ error: String(error) }, 'console subscription failed'));
  });
  client.on('error', (error) => log.warn({ error: error.message }, 'broker connection problem'));
  client.on('message', (topic, payload) => {
    const address = parseTopic(topic);
    if (address === null || address.county !== county) return;
    const refuse = (why: string) => {
      dropped += 1;
      // Logged at most once per hundred: a misbehaving terminal must not flood the log.
      if (dropped % 100 === 1)
        log.warn({ terminal: address.terminal, kind: address.kind, why, dropped }, 'payload refused');
    };
    switch (address.kind) {
      case 'state': {
        const text = payload.toString('utf8');
        // A restarted console (or a resubscription) gets every retained state again: one it already
        // holds, byte for byte, was validated when it first came and is not parsed again.
        if (store.seenUnchanged(address.terminal, text)) return;
        const state = parsePayload(terminalStateSchema, text);
        if (!state.ok) return refuse(state.error);
        if (state.value.terminal !== address.terminal || state.value.county !== county)
          return refuse('names another terminal');
        store.applyState(address.terminal, county, state.value, text);
        return;
      }
      case 'events': {
        const event = parsePayload(fleetEventSchema, payload);
        if (!event.ok) return refuse(event.error);
        if (event.value.terminal !== address.terminal || event.value.county !== county)
          return refuse('names another terminal');
        store.applyEvent(event.value);
        return;
      }
      case 'cmd/reply': {
        const reply = parsePayload(commandReplySchema, payload);
        if (!reply.ok) return refuse(reply.error);
        if (reply.value.terminal !== address.terminal) return refuse('names another terminal');
        store.applyReply(reply.value);
        return;
      }
      case 'cmd':
        return;
    }
  });

  return {
    get connected() {
      return client.connected;
    },
    ready: () => readyPromise,
    async send(terminal, command, issuedBy, validityMs = 3600_000) {
      const now = clock.now();
      const body: CommandBody = {
        v: 1,
        id: randomUUID(),
        county,
        terminal,
        issuedAt: new Date(now).toISOString(),
        expiresAt: new Date(now + validityMs).toISOString(),
        issuedBy,
        command,
      };
      store.recordCommand(body);
      const envelope = signCommand(body, options.signingKey.privateKey, options.signingKey.publicKey);
      await client.publishAsync(terminalTopic({ county, terminal }, 'cmd'), JSON.stringify(envelope), { qos: 1 });
      log.info({ id: body.id, terminal, kind: command.kind, issuedBy }, 'command sent');
      return body;
    },
    async close() {
      await subscribed;
      await client.endAsync();
    },
  };
}

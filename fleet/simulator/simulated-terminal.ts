/**
 * One simulated terminal for the fleet simulator and the bench: it speaks MQTT 3.1.1 itself over
 * one socket with mqtt-packet (MQTT.js's own codec), so ten thousand fit in one process, and it
 * publishes exactly the payloads a real terminal does (fleet/contract): retained `state` with a
 * Last Will, QoS 1 `events` one at a time in order, and a reply to every command after checking
 * its signature the way a terminal does.
 */
import { randomUUID, type KeyObject } from 'node:crypto';
import { connect as connectTcp, type Socket } from 'node:net';
import mqttPacket, { type Packet } from 'mqtt-packet';
import type { Clock } from '../../foundation/clock';
import { fleetKeyId, verifyCommand } from '../contract/fleet-command-signing';
import {
  severityOf,
  type AlertCode,
  type CommandReply,
  type FleetEvent,
  type OfflineState,
  type OnlineState,
  type OpenAlert,
} from '../contract/fleet-payloads';
import { terminalTopic, type TerminalAddress } from '../contract/fleet-topics';

export interface SimulatedTerminalOptions {
  readonly address: TerminalAddress;
  readonly name: string;
  readonly village: string;
  /** host and port of a plain MQTT listener (the bench's loopback one). */
  readonly host: string;
  readonly port: number;
  readonly secret: string;
  readonly statePublishMs: number;
  /** County keys whose signed commands it obeys; without them every command is refused. */
  readonly commandKeys: ReadonlyMap<string, KeyObject>;
  readonly clock: Clock;
  /** First reconnect delay after a lost connection; doubles to 60 s, with jitter (as the real agent). */
  readonly reconnectMs: number;
  /** Told when a connection is up (true) or lost (false). */
  readonly onLink?: (up: boolean) => void;
}

/** What a simulated terminal's console view must be: offline → grey, else its worst open alert. */
export type SimulatedHealth = 'red' | 'amber' | 'green' | 'grey';

const version = 'sim-1.0.0';

export class SimulatedTerminal {
  readonly address: TerminalAddress;
  private socket: Socket | null = null;
  private connected = false;
  /** Wanted up: false after `disconnect`, so a lost link is not re-made. */
  private wanted = false;
  private nextId = 1;
  private readonly acks = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  private readonly alerts = new Map<AlertCode, OpenAlert>();
  private readonly events: Array<Omit<FleetEvent, 'v' | 'county' | 'terminal' | 'stream' | 'seq'>> = [];
  private readonly stream = randomUUID();
  private seq = 0;
  private sending = false;
  private stateTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private readonly startedAt: string;
  private readonly seenCommands = new Set<string>();

  constructor(private readonly options: SimulatedTerminalOptions) {
    this.address = options.address;
    this.startedAt = new Date(options.clock.now()).toISOString();
  }

  get online(): boolean {
    return this.connected;
  }

  get health(): SimulatedHealth {
    if (!this.connected) return 'grey';
    const severities = [...this.alerts.values()].map((a) => a.severity);
    return severities.includes('critical') ? 'red' : severities.includes('warning') ? 'amber' : 'green';
  }

  get openAlerts(): readonly AlertCode[] {
    return [...this.alerts.keys()];
  }

  /** Resolves once the broker accepted the connection and the first state is acknowledged. */
  connect(): Promise<void> {
    this.wanted = true;
    return this.open();
  }

  /** Raises (or clears) a condition: an event, then the new state, as a terminal does. */
  async setAlert(code: AlertCode, raised: boolean): Promise<void> {
    const at = new Date(this.options.clock.now()).toISOString();
    if (raised === this.alerts.has(code)) return;
    if (raised) this.alerts.set(code, { code, severity: severityOf(code), since: at });
    else this.alerts.delete(code);
    this.events.push({ at, code, severity: severityOf(code), phase: raised ? 'raised' : 'cleared' });
    await this.flushEvents();
    await this.publishState();
  }

  /**
   * Goes away: `lost` drops the socket as a crash or a cut cable does (the broker publishes the
   * Last Will); `shutdown` says offline itself and disconnects cleanly.
   */
  async disconnect(how: 'lost' | 'shutdown'): Promise<void> {
    this.wanted = false;
    clearTimeout(this.reconnectTimer);
    const socket = this.socket;
    if (socket === null) return;
    if (how === 'shutdown' && this.connected) {
      const offline: OfflineState = {
        v: 1,
        status: 'offline',
        ...this.address,
        reason: 'shutdown',
        at: new Date(this.options.clock.now()).toISOString(),
      };
      await this.publish(terminalTopic(this.address, 'state'), JSON.stringify(offline), true);
      socket.end(mqttPacket.generate({ cmd: 'disconnect' }));
    } else {
      socket.destroy();
    }
    this.closed();
  }

  private open(): Promise<void> {
    const { host, port, address, secret } = this.options;
    const socket = connectTcp({ host, port });
    socket.setNoDelay(true);
    this.socket = socket;
    const parser = mqttPacket.parser({ protocolVersion: 4 });
    const will: OfflineState = { v: 1, status: 'offline', ...address, reason: 'connection-lost', at: this.startedAt };
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (error?: Error) => {
        if (settled) return;
        settled = true;
        if (error === undefined) resolve();
        else reject(error);
      };
      parser.on('packet', (packet: Packet) => {
        switch (packet.cmd) {
          case 'connack':
            if (packet.returnCode !== 0) {
              settle(new Error(`${address.terminal}: broker refused the connection (${packet.returnCode})`));
              socket.destroy();
              return;
            }
            this.connected = true;
            this.failures = 0;
            this.options.onLink?.(true);
            this.send({
              cmd: 'subscribe',
              messageId: this.messageId(),
              subscriptions: [{ topic: terminalTopic(address, 'cmd'), qos: 1 }],
            });
            this.scheduleState();
            void this.publishState().then(() => settle(), settle);
            void this.flushEvents();
            return;
          case 'puback':
            if (packet.messageId !== undefined) {
              this.acks.get(packet.messageId)?.resolve();
              this.acks.delete(packet.messageId);
            }
            return;
          case 'publish':
            if (packet.qos > 0 && packet.messageId !== undefined)
              this.send({ cmd: 'puback', messageId: packet.messageId });
            if (packet.topic === terminalTopic(address, 'cmd')) void this.command(Buffer.from(packet.payload));
            return;
          // QoS 1 only, no session resumption: nothing else needs an answer.
          case 'suback':
          case 'pingresp':
          case 'pubrec':
          case 'pubrel':
          case 'pubcomp':
          case 'unsuback':
          case 'disconnect':
          case 'auth':
          case 'connect':
          case 'subscribe':
          case 'unsubscribe':
          case 'pingreq':
            return;
        }
      });
      parser.on('error', (error: Error) => socket.destroy(error));
      socket.on('data', (chunk: Buffer) => parser.parse(chunk));
      socket.on('error', () => undefined);
      socket.on('close', () => {
        settle(new Error(`${address.terminal}: connection closed before the broker accepted it`));
        if (this.socket === socket) this.closed();
      });
      socket.on('connect', () =>
        this.send({
          cmd: 'connect',
          protocolId: 'MQTT',
          protocolVersion: 4,
          clientId: address.terminal,
          clean: true,
          // The state every statePublishMs keeps the link alive; the broker drops it after 1.5×.
          keepalive: Math.ceil((this.options.statePublishMs * 2) / 1000),
          username: address.terminal,
          password: Buffer.from(secret),
          will: {
            topic: terminalTopic(address, 'state'),
            payload: Buffer.from(JSON.stringify(will)),
            qos: 1,
            retain: true,
          },
        }),
      );
    });
  }

  private closed(): void {
    const was = this.connected;
    this.connected = false;
    this.socket = null;
    clearTimeout(this.stateTimer);
    // Unacknowledged publishes are lost with the socket; events are re-sent from the queue.
    for (const pending of this.acks.values()) pending.reject(new Error('connection lost'));
    this.acks.clear();
    if (was) this.options.onLink?.(false);
    if (!this.wanted) return;
    this.failures += 1;
    const delay =
      Math.min(60_000, this.options.reconnectMs * 2 ** Math.min(this.failures - 1, 5)) * (0.5 + Math.random() / 2);
    this.reconnectTimer = setTimeout(() => {
      if (this.wanted) this.open().catch(() => undefined);
    }, delay);
  }

  private send(packet: Packet): void {
    this.socket?.write(mqttPacket.generate(packet));
  }

  private messageId(): number {
    const id = this.nextId;
    this.nextId = id >= 65_535 ? 1 : id + 1;
    return id;
  }

  /** A QoS 1 publish, resolved on PUBACK, rejected when the connection goes first. */
  private publish(topic: string, payload: string, retain: boolean): Promise<void> {
    if (!this.connected || this.socket === null) return Promise.reject(new Error('not connected'));
    const messageId = this.messageId();
    return new Promise<void>((resolve, reject) => {
      this.acks.set(messageId, { resolve, reject });
      this.send({ cmd: 'publish', topic, payload, qos: 1, retain, dup: false, messageId });
    });
  }

  private scheduleState(): void {
    clearTimeout(this.stateTimer);
    // Spread evenly: terminals started together must not all report in the same second.
    const delay = this.options.statePublishMs * (0.9 + Math.random() * 0.2);
    this.stateTimer = setTimeout(() => {
      void this.publishState().catch(() => undefined);
      this.scheduleState();
    }, delay);
    this.stateTimer.unref();
  }

  private state(): OnlineState {
    const now = this.options.clock.now();
    const device = (paperOut: boolean) => ({ state: paperOut ? 'paper-out' : 'ready' });
    return {
      v: 1,
      status: 'online',
      ...this.address,
      name: this.options.name,
      village: this.options.village,
      version,
      assignedVersion: null,
      startedAt: this.startedAt,
      publishedAt: new Date(now).toISOString(),
      uptimeSeconds: Math.round((now - Date.parse(this.startedAt)) / 1000),
      devices: {
        'id-reader': { state: this.alerts.has('id-reader-unplugged') ? 'no-device' : 'ready' },
        printer: device(this.alerts.has('printer-paper-out')),
        scanner: { state: 'ready' },
      },
      outbox: { depth: 0, oldestUnsentAt: null },
      diskFreeBytes: 20e9,
      clockOffsetMs: 0,
      lastResidentActivityAt: null,
      auditHead: null,
      notice: null,
      alerts: [...this.alerts.values()],
    };
  }

  private async publishState(): Promise<void> {
    if (!this.connected) return;
    await this.publish(terminalTopic(this.address, 'state'), JSON.stringify(this.state()), true);
  }

  /** One event at a time, each dropped from the queue only once acknowledged (as the real agent). */
  private async flushEvents(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      for (let next = this.events[0]; next !== undefined && this.connected; next = this.events[0]) {
        const event: FleetEvent = { v: 1, ...this.address, stream: this.stream, seq: this.seq + 1, ...next };
        try {
          await this.publish(terminalTopic(this.address, 'events'), JSON.stringify(event), false);
        } catch {
          return;
        }
        this.seq += 1;
        this.events.shift();
      }
    } finally {
      this.sending = false;
    }
  }

  private async command(payload: Buffer): Promise<void> {
    const verified = verifyCommand(payload, {
      keys: this.options.commandKeys,
      self: this.address,
      now: this.options.clock.now(),
    });
    const reply: CommandReply = {
      v: 1,
      ...this.address,
      at: new Date(this.options.clock.now()).toISOString(),
      ...(verified.ok
        ? this.seenCommands.has(verified.value.id)
          ? { id: verified.value.id, outcome: 'refused', refusal: 'replayed', message: 'already accepted' }
          : { id: verified.value.id, outcome: 'done', message: `simulated ${verified.value.command.kind}` }
        : {
            id: verified.error.id,
            outcome: 'refused',
            refusal: verified.error.refusal,
            message: verified.error.detail,
          }),
    };
    if (verified.ok) this.seenCommands.add(verified.value.id);
    await this.publish(terminalTopic(this.address, 'cmd/reply'), JSON.stringify(reply), false).catch(() => undefined);
  }
}

/** The keys map a terminal builds from its configured county keys. */
export function commandKeyMap(keys: readonly KeyObject[]): Map<string, KeyObject> {
  return new Map(keys.map((key) => [fleetKeyId(key), key]));
}

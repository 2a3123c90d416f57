/**
 * The terminal's side of the county fleet link (docs/fleet.md), over MQTT.js:
 * - `state` (retained, QoS 1) on connect, on change and every N seconds; a Last Will replaces it
 *   with `offline` when the connection is lost, and a clean stop publishes `offline` itself;
 * - `events` (QoS 1) from the fleet store, one at a time and in order, each marked delivered only
 *   once the broker acknowledged it, so alerts raised offline arrive once the broker is back;
 * - `cmd` → `cmd/reply`: only commands signed by a county fleet key, addressed to this terminal,
 *   within their validity window and never seen before; each runs at most once.
 * What it reads of the kiosk comes through the narrow FleetTerminalPort.
 */
import type { KeyObject } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { monotonicClock, type Clock, type MonotonicClock, type Timers } from '../../../foundation/clock';
import type { Log } from '../../../foundation/log';
import { assertNever } from '../../../foundation/result';
import { fleetKeyId, rememberUntil, verifyCommand } from '../../../fleet/contract/fleet-command-signing';
import {
  isCondition,
  severityOf,
  type AlertCode,
  type CommandBody,
  type CommandReply,
  type FleetEvent,
  type OfflineState,
  type OnlineState,
} from '../../../fleet/contract/fleet-payloads';
import { terminalTopic, type TerminalAddress } from '../../../fleet/contract/fleet-topics';
import { conditionsOf, type AlertThresholds } from './alert-watch';
import type { FleetTerminalPort, Notice } from './fleet-port';
import type { FleetStore } from './fleet-store';
import type { BrokerLinkControl } from './broker-link';

export interface FleetAgentOptions {
  readonly address: TerminalAddress;
  readonly brokerUrl: string;
  /** PEM of the CA that signed the broker's certificate; the system's CAs when absent. */
  readonly ca?: Buffer;
  readonly credentials: { readonly username: string; readonly password: string };
  readonly commandKeys: readonly KeyObject[];
  readonly statePublishMs: number;
  readonly thresholds: AlertThresholds;
  readonly port: FleetTerminalPort;
  readonly store: FleetStore;
  readonly clock: Clock;
  /** How long an unplugged device has been away and the refusal-reply window: elapsed time, not the wall clock. */
  readonly monotonic?: MonotonicClock;
  readonly timers: Timers;
  readonly log: Log;
  /** First reconnect delay; doubles to 60 s (plus jitter) while the broker stays away. */
  readonly reconnectMs?: number;
  readonly keepaliveSeconds?: number;
  /** Told when the link goes up or down (the HTTP heartbeat stands in while it is down). */
  readonly link?: BrokerLinkControl;
}

export interface FleetAgent {
  start(): void;
  /** Publishes `offline` (shutdown), then disconnects. */
  stop(): Promise<void>;
  readonly connected: boolean;
  /** Re-checks alert conditions now (device status changed); evaluations run one after another. */
  evaluate(): Promise<void>;
  /** Reports a one-off happening (database restored, update applied or rolled back). */
  report(code: AlertCode, detail?: string): void;
  assignedVersion(): string | null;
  notice(): Notice | null;
}

const eventBatch = 20;
const maxRefusalRepliesPerMinute = 10;

export function createFleetAgent(options: FleetAgentOptions): FleetAgent {
  const { address, store, port, clock, timers } = options;
  const monotonic = options.monotonic ?? monotonicClock;
  // Uptime goes on from the kiosk's age when the agent started, on elapsed time: a clock step does not change it.
  const startedElapsed = monotonic.elapsedMs();
  const ageAtStart = clock.now() - Date.parse(port.identity().startedAt);
  const ageAtStartMs = Number.isFinite(ageAtStart) ? Math.max(0, ageAtStart) : 0;
  const log = options.log.child({ module: 'fleet' });
  const topic = {
    state: terminalTopic(address, 'state'),
    events: terminalTopic(address, 'events'),
    cmd: terminalTopic(address, 'cmd'),
    reply: terminalTopic(address, 'cmd/reply'),
  };
  const keys = new Map(options.commandKeys.map((key) => [fleetKeyId(key), key]));
  const iso = (ms = clock.now()) => new Date(ms).toISOString();
  const startedAt = iso();

  let client: MqttClient | null = null;
  let running = false;
  let flushing = false;
  let lastStateSignature = '';
  let stateTimer: unknown;
  let periodicTimer: unknown;
  let settleTimer: unknown;
  /** Unplugged devices seen but not yet reported: code → first seen (monotonic ms). */
  const settling = new Map<AlertCode, number>();
  const commandQueue: Buffer[] = [];
  let executing = false;
  let refusalWindow = { start: 0, count: 0 };

  const will: OfflineState = { v: 1, status: 'offline', ...address, reason: 'connection-lost', at: startedAt };

  function readNotice(): Notice | null {
    const raw = store.setting('notice');
    if (raw === null) return null;
    const notice = JSON.parse(raw) as Notice;
    return Date.parse(notice.until) > clock.now() ? notice : null;
  }

  async function snapshot(): Promise<OnlineState> {
    const identity = port.identity();
    return {
      v: 1,
      status: 'online',
      ...address,
      name: identity.name,
      village: identity.village,
      version: identity.version,
      assignedVersion: store.setting('assigned-version'),
      startedAt: identity.startedAt,
      publishedAt: iso(),
      uptimeSeconds: Math.round((ageAtStartMs + monotonic.elapsedMs() - startedElapsed) / 1000),
      devices: port.devices(),
      outbox: port.outbox(),
      diskFreeBytes: await port.diskFreeBytes(),
      clockOffsetMs: port.clockOffsetMs(),
      lastResidentActivityAt: port.lastResidentActivityAt(),
      auditHead: port.auditHead(),
      notice: readNotice(),
      alerts: store.openAlerts(),
    };
  }

  /** Publishes the state when it changed (or always when `force`). */
  async function publishState(force: boolean): Promise<void> {
    const current = client;
    if (current === null || !current.connected) return;
    const state = await snapshot();
    const { publishedAt: _p, uptimeSeconds: _u, ...meaningful } = state;
    const signature = JSON.stringify(meaningful);
    if (!force && signature === lastStateSignature) return;
    lastStateSignature = signature;
    try {
      await current.publishAsync(topic.state, JSON.stringify(state), { qos: 1, retain: true });
    } catch (error) {
      lastStateSignature = ''; // publish again after the reconnect
      log.warn({ error: describe(error) }, 'fleet: state not published');
    }
  }

  function scheduleState(delayMs = 50): void {
    if (stateTimer !== undefined) return;
    stateTimer = timers.setTimeout(() => {
      stateTimer = undefined;
      void publishState(false);
    }, delayMs);
  }

  /** Sends pending events strictly one after another; stops at the first failure and resumes on reconnect. */
  async function flushEvents(): Promise<void> {
    if (flushing) return;
    flushing = true;
    try {
      for (;;) {
        const current = client;
        if (current === null || !current.connected) return;
        const batch = store.pending(eventBatch);
        if (batch.length === 0) return;
        for (const event of batch) {
          const payload: FleetEvent = { v: 1, ...address, stream: store.stream, ...event };
          try {
            await current.publishAsync(topic.events, JSON.stringify(payload), { qos: 1 });
          } catch (error) {
            log.warn({ seq: event.seq, error: describe(error) }, 'fleet: event not delivered yet');
            return;
          }
          store.markDelivered(event.seq);
        }
      }
    } finally {
      flushing = false;
    }
  }

  let evaluation: Promise<void> = Promise.resolve();
  function evaluate(): Promise<void> {
    evaluation = evaluation
      .then(evaluateNow)
      .catch((error: unknown) => log.error({ error: describe(error) }, 'fleet: evaluation failed'));
    return evaluation;
  }

  async function evaluateNow(): Promise<void> {
    if (!running) return;
    {
      const now = clock.now();
      const holding = conditionsOf(
        {
          devices: port.devices(),
          outbox: port.outbox(),
          diskFreeBytes: await port.diskFreeBytes(),
          applicationsRefused: port.applicationsRefused(),
          clockOffsetMs: port.clockOffsetMs(),
          now,
        },
        options.thresholds,
      );
      const open = new Map(store.openAlerts().map((a) => [a.code, a]));
      let changed = false;
      // Clear first: paper going from near-end to out reads as "near-end cleared, out raised".
      for (const code of open.keys()) {
        if (holding.has(code) || !isCondition(code)) continue;
        store.record(code, severityOf(code), 'cleared');
        log.info({ code }, 'fleet: alert cleared');
        changed = true;
      }
      const elapsed = monotonic.elapsedMs();
      let nextSettle = Number.POSITIVE_INFINITY;
      for (const [code, condition] of holding) {
        if (open.has(code)) continue;
        if (condition.settle) {
          const since = settling.get(code) ?? elapsed;
          settling.set(code, since);
          const due = since + options.thresholds.unpluggedSettleMs;
          if (due > elapsed) {
            nextSettle = Math.min(nextSettle, due);
            continue;
          }
        }
        settling.delete(code);
        store.record(code, severityOf(code), 'raised', condition.detail);
        log.warn({ code, detail: condition.detail }, 'fleet: alert raised');
        changed = true;
      }
      for (const code of settling.keys()) if (!holding.has(code)) settling.delete(code);
      if (settleTimer !== undefined) timers.clearTimeout(settleTimer);
      settleTimer = Number.isFinite(nextSettle)
        ? timers.setTimeout(() => {
            settleTimer = undefined;
            void evaluate();
          }, nextSettle - elapsed)
        : undefined;
      if (changed) void flushEvents();
      scheduleState(changed ? 0 : 50);
    }
  }

  async function reply(body: Omit<CommandReply, 'v' | 'county' | 'terminal' | 'at'>): Promise<void> {
    const message: CommandReply = { v: 1, ...address, at: iso(), ...body };
    try {
      await client?.publishAsync(topic.reply, JSON.stringify(message), { qos: 1 });
    } catch (error) {
      log.warn({ id: body.id, error: describe(error) }, 'fleet: reply not published');
    }
  }

  async function execute(body: CommandBody): Promise<{ ok: boolean; message: string }> {
    const command = body.command;
    switch (command.kind) {
      case 'refresh-catalogue':
        return port.actions.refreshCatalogue();
      case 'upload-diagnostics':
        return port.actions.uploadDiagnostics();
      case 'self-test':
        return port.actions.selfTest(command.device);
      case 'set-assigned-version':
        store.setSetting('assigned-version', command.version);
        scheduleState(0);
        return { ok: true, message: `assigned version ${command.version}` };
      case 'show-notice': {
        const notice = command.text.trim() === '' ? null : { text: command.text, until: command.until };
        store.setSetting('notice', notice === null ? null : JSON.stringify(notice));
        port.actions.showNotice(notice);
        scheduleState(0);
        return { ok: true, message: notice === null ? 'notice removed' : `notice shown until ${command.until}` };
      }
      default:
        return assertNever(command, 'fleet command');
    }
  }

  async function handleCommand(payload: Buffer): Promise<void> {
    const verified = verifyCommand(payload, { keys, self: address, now: clock.now() });
    if (!verified.ok) {
      log.warn({ refusal: verified.error.refusal, id: verified.error.id }, 'fleet: command refused');
      // A flood of forged commands must not turn into a flood of replies.
      const now = monotonic.elapsedMs();
      if (now - refusalWindow.start > 60_000) refusalWindow = { start: now, count: 0 };
      if (++refusalWindow.count > maxRefusalRepliesPerMinute) return;
      await reply({
        id: verified.error.id,
        outcome: 'refused',
        refusal: verified.error.refusal,
        message: verified.error.detail,
      });
      return;
    }
    const body = verified.value;
    // Claimed before it runs: a crash mid-command never lets it run a second time.
    if (!store.claimCommand(body.id, body.command.kind, rememberUntil(body))) {
      log.warn({ id: body.id }, 'fleet: command replayed, refused');
      await reply({
        id: body.id,
        outcome: 'refused',
        refusal: 'replayed',
        message: 'this command was already accepted',
      });
      return;
    }
    log.info({ id: body.id, kind: body.command.kind, issuedBy: body.issuedBy }, 'fleet: command accepted');
    let outcome: { ok: boolean; message: string };
    try {
      outcome = await execute(body);
    } catch (error) {
      outcome = { ok: false, message: `failed: ${describe(error)}` };
    }
    store.finishCommand(body.id, outcome.ok ? 'done' : 'failed');
    log.info({ id: body.id, kind: body.command.kind, ok: outcome.ok }, 'fleet: command finished');
    await reply({ id: body.id, outcome: outcome.ok ? 'done' : 'failed', message: outcome.message.slice(0, 500) });
  }

  /** Commands run one at a time, in arrival order. */
  async function drainCommands(): Promise<void> {
    if (executing) return;
    executing = true;
    try {
      for (let next = commandQueue.shift(); next !== undefined; next = commandQueue.shift()) await handleCommand(next);
    } finally {
      executing = false;
    }
  }

  function periodic(): void {
    periodicTimer = timers.setTimeout(() => {
      if (!running) return;
      store.prune(iso(clock.now() - 30 * 86_400_000));
      void publishState(true);
      void evaluate();
      periodic();
    }, options.statePublishMs);
  }

  const reconnectMs = options.reconnectMs ?? 2000;
  let failures = 0;

  return {
    start() {
      if (running) return;
      running = true;
      const connection = mqtt.connect(options.brokerUrl, {
        protocolVersion: 5,
        clientId: options.credentials.username,
        username: options.credentials.username,
        password: options.credentials.password,
        ...(options.ca === undefined ? {} : { ca: options.ca }),
        rejectUnauthorized: true,
        // A persistent session: commands sent while the terminal was away wait at the broker.
        clean: false,
        properties: { sessionExpiryInterval: 7 * 86_400 },
        keepalive: options.keepaliveSeconds ?? 30,
        reconnectPeriod: reconnectMs,
        connectTimeout: 15_000,
        will: { topic: topic.state, payload: Buffer.from(JSON.stringify(will)), qos: 1, retain: true },
      });
      client = connection;
      connection.on('connect', () => {
        failures = 0;
        options.link?.set(true);
        connection.options.reconnectPeriod = reconnectMs;
        log.info({ broker: options.brokerUrl }, 'fleet: connected');
        lastStateSignature = '';
        void connection
          .subscribeAsync(topic.cmd, { qos: 1 })
          .catch((error: unknown) => log.warn({ error: describe(error) }, 'fleet: command subscription failed'));
        void publishState(true);
        void flushEvents();
      });
      connection.on('message', (received, payload) => {
        if (received !== topic.cmd) return;
        commandQueue.push(payload);
        void drainCommands();
      });
      connection.on('reconnect', () => {
        // Back off with jitter so a county's terminals do not all return in the same second.
        failures += 1;
        connection.options.reconnectPeriod =
          Math.min(60_000, reconnectMs * 2 ** Math.min(failures, 5)) * (0.5 + Math.random() / 2);
      });
      connection.on('error', (error) => log.warn({ error: describe(error) }, 'fleet: broker connection problem'));
      connection.on('offline', () => log.warn({}, 'fleet: broker unreachable; events wait on disk'));
      connection.on('close', () => options.link?.set(false));
      void evaluate();
      periodic();
    },
    async stop() {
      running = false;
      for (const handle of [stateTimer, periodicTimer, settleTimer])
        if (handle !== undefined) timers.clearTimeout(handle);
      stateTimer = periodicTimer = settleTimer = undefined;
      const current = client;
      client = null;
      options.link?.set(false);
      if (current === null) return;
      if (current.connected) {
        const offline: OfflineState = { v: 1, status: 'offline', ...address, reason: 'shutdown', at: iso() };
        await current
          .publishAsync(topic.state, JSON.stringify(offline), { qos: 1, retain: true })
          .catch(() => undefined);
      }
      await current.endAsync();
      log.info({}, 'fleet: stopped');
    },
    get connected() {
      return client?.connected ?? false;
    },
    evaluate,
    report(code, detail) {
      store.record(code, severityOf(code), 'once', detail);
      void flushEvents();
    },
    assignedVersion: () => store.setting('assigned-version'),
    notice: readNotice,
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

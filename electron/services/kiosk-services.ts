import { join } from 'node:path';
import { defaultStorageConfig, type KioskConfig } from '../../kiosk-config/config-schema';
import type { Catalogue } from '../../kiosk-config/catalogue-schema';
import { embeddedCatalogue } from '../../kiosk-config/catalogue';
import type { Log } from '../../foundation/log';
import { profileForWidth } from '../../drivers/printer/printer-profiles';
import { err, ok, type Result } from '../../foundation/result';
import {
  monotonicClock,
  systemClock,
  systemTimers,
  type Clock,
  type MonotonicClock,
  type Timers,
} from '../../foundation/clock';
import type { Health } from '../api/contract';
import { createEventChannel, createRpcServer, type Handlers, type RpcServer } from '../api/rpc-server';
import { loadConfig } from './config/config-loader';
import { createDeviceManager, type DeviceManager } from './devices/device-manager';
import { createJourneyHandlers } from './journey/journey-handlers';
import { createRemoteHelpHandlers } from './remote-help/remote-help-handlers';
import { createRemoteHelpService, type RemoteHelpService } from './remote-help/remote-help-service';
import { createJourneyService, type JourneyService } from './journey/journey-service';
import { createKioskHandlers } from './kiosk-handlers';
import { openA4PrinterLink } from './documents/a4-printer-link';
import { createDocumentHandlers } from './documents/document-handlers';
import { createDocumentService, type DocumentService } from './documents/document-service';
import { createOutboxWorker, type OutboxWorker } from './outbox/outbox-worker';
import { openPlatformLink, type PlatformLink } from './platform-link';
import { createReceiptService, type ReceiptService } from './receipt/receipt-service';
import { createSessionHandlers } from './session/session-handlers';
import { createSessionService, type SessionService } from './session/session-service';
import { createEspeakSpeaker } from './speech/espeak-speaker';
import { createSpeechHandlers } from './speech/speech-handlers';
import { createHeadphones } from './speech/headphones';
import { describeOpenError, storePaths } from './store/database';
import { noteRestore, recoverDamagedDatabase } from './store/database-recovery';
import type { KeyProvider } from '../../foundation/key-provider';
import { describeHostKeyError, openHostDataKey } from './store/host-key-provider';
import { scheduleBackups } from './store/backup';
import { auditHeadOf } from './store/audit-log';
import { startRetention } from './store/retention';
import { openStore, type Store } from './store/store';
import { createStorageGuard, type StorageGuard } from './store/storage-guard';
import { kioskVersion } from './version';
import { readUpdateReport } from './update/update-status';
import { createLogRing, ringLog, type LogRing } from './staff/log-ring';
import { applySiteConfig, readSiteConfig } from './staff/site-config';
import { createStaffModule, type StaffModule } from './staff/staff-module';
import { fleetPortFor } from './fleet/kiosk-fleet-port';
import { describePortFailure } from './outbox/platform-port';
import { openFleet } from './fleet/fleet-wiring';
import { createBrokerLink } from './fleet/broker-link';
import { reportDatabaseRestore, reportUpdateOutcome } from './fleet/update-happenings';

/**
 * The composition root: starts every Electron-free service, in dependency order, and wires them to
 * the API contract. The Electron shell and the browser host both call this and differ only in how
 * messages reach `rpc`.
 */
export interface KioskServicesOptions {
  /** Either a file to load or an already validated configuration. */
  readonly configPath?: string;
  readonly config?: KioskConfig;
  readonly dataDir: string;
  readonly log: Log;
  /** The Electron shell passes its safeStorage key; the browser host uses an owner-only key file. */
  readonly keyProvider?: KeyProvider;
  /** How long a submission waits for the platform's case number (default 3 s). */
  readonly caseNumberWaitMs?: number;
  /** Where Electron's crash reporter writes dumps (app.getPath('crashDumps')): pruned after privacy.crashDumpDays. */
  readonly crashDumpsDir?: string;
  /** Wall time, for what is shown and stored (tests move it to play a clock set back or forward). */
  readonly clock?: Clock;
  /** Durations, lock-outs and inactivity timeouts (foundation/clock.ts MonotonicClock). */
  readonly monotonic?: MonotonicClock;
  /**
   * What the background schedules wait on: the outbox's loops (retries, heartbeat, status polls,
   * catalogue refresh), backups, retention and the embedded platform's maintenance. A soak run
   * passes timers that fire when it moves `clock` on, so a month passes in an hour.
   */
  readonly timers?: Timers;
  /** The device layer; by default the configured links (and simulators) run. */
  readonly createDevices?: (options: { config: KioskConfig; log: Log }) => DeviceManager;
}

export interface KioskServices {
  readonly rpc: RpcServer;
  readonly config: KioskConfig;
  readonly store: Store;
  readonly outbox: OutboxWorker;
  readonly platform: PlatformLink;
  readonly devices: DeviceManager;
  readonly sessions: SessionService;
  readonly journey: JourneyService;
  readonly receipts: ReceiptService;
  /** Proofs printed on A4 (查询打印). */
  readonly documents: DocumentService;
  /** Staff and technician modes (staff/). */
  readonly staff: StaffModule;
  /** The resident's video call to the hall (远程帮办). */
  readonly remoteHelp: RemoteHelpService;
  /** The last structured log lines, for the technician console and diagnostics. */
  readonly logs: LogRing;
  /** Free space in the data folder: whether new applications are taken (docs/storage.md). */
  readonly storage: StorageGuard;
  health(): Health;
  close(): Promise<void>;
}

export interface StartupFailure {
  readonly kind: 'config' | 'data-dir' | 'store' | 'device' | 'platform';
  readonly message: string;
}

async function baseConfigOf(options: KioskServicesOptions): Promise<Result<KioskConfig, StartupFailure>> {
  if (options.config !== undefined) return ok(options.config);
  const loaded = await loadConfig(options.configPath);
  return loaded.ok ? loaded : err({ kind: 'config', message: loaded.error.message });
}

function keyProviderOf(options: KioskServicesOptions, log: Log): Result<KeyProvider, StartupFailure> {
  if (options.keyProvider !== undefined) return ok(options.keyProvider);
  const hostKey = openHostDataKey(options.dataDir, { log, create: true });
  if (!hostKey.ok) return err({ kind: 'store', message: describeHostKeyError(hostKey.error) });
  log.info({ protection: hostKey.value.protection }, 'data key opened');
  return ok(hostKey.value.provider);
}

export async function startKioskServices(
  options: KioskServicesOptions,
): Promise<Result<KioskServices, StartupFailure>> {
  const { dataDir } = options;
  const clock = options.clock ?? systemClock;
  const monotonic = options.monotonic ?? monotonicClock;
  const timers = options.timers ?? systemTimers;
  // The start as people read it (fleet state); uptime is measured on the monotonic clock.
  const startedAt = clock.now();
  const startedElapsed = monotonic.elapsedMs();
  // Every line also lands in a ring buffer the technician console shows.
  const logs = createLogRing();
  const log = ringLog(options.log, logs);

  const baseConfig = await baseConfigOf(options);
  if (!baseConfig.ok) return baseConfig;
  // On-site settings a technician saved (staff/site-config.ts); a copy, because live-safe settings change in place.
  const site = readSiteConfig(dataDir);
  const applied = site.ok
    ? applySiteConfig(baseConfig.value, embeddedCatalogue, site.value)
    : err({ message: site.error, issue: null });
  if (!applied.ok) log.warn({ reason: applied.error.message }, 'on-site settings ignored');
  const config = structuredClone(applied.ok ? applied.value.config : baseConfig.value);
  // The catalogue in use; a technician's hall texts replace it at run time.
  const liveCatalogue = { current: applied.ok ? applied.value.catalogue : embeddedCatalogue };
  const catalogue = (): Catalogue => liveCatalogue.current;

  const keyProvider = keyProviderOf(options, log.child({ service: 'store' }));
  if (!keyProvider.ok) return keyProvider;
  // quick_check before the real open: a damaged database is moved aside and the newest good backup restored.
  const restored = recoverDamagedDatabase(storePaths(dataDir), {
    clock,
    log: log.child({ service: 'store' }),
  });
  if (!restored.ok) return err({ kind: 'store', message: `damaged database not recovered: ${restored.error.reason}` });
  const opened = openStore({
    dataDir,
    keyProvider: keyProvider.value,
    terminalId: config.terminal.id,
    terminalCode: config.terminal.code,
    clock,
    log: log.child({ service: 'store' }),
  });
  if (!opened.ok)
    return err({
      kind: 'store',
      message: opened.error.kind === 'bad-key' ? opened.error.reason : describeOpenError(opened.error),
    });
  const store = opened.value;
  const restore = restored.value;
  if (restore !== null)
    noteRestore(store.db, restore, (details) => store.audit({ actor: 'system', action: 'store.restored', details }));

  const link = await openPlatformLink({
    config,
    dataDir,
    catalogue: catalogue(),
    cipher: store.cipher,
    log: log.child({ service: 'platform-link' }),
    clock,
    timers,
  });
  if (!link.ok) {
    store.close();
    return err(link.error);
  }
  const platform = link.value;
  const storageConfig = config.storage ?? defaultStorageConfig;
  const storage = createStorageGuard({
    dataDir,
    refuseBelowBytes: storageConfig.refuseBelowMegabytes * 1024 * 1024,
    reserveBytes: storageConfig.reserveMegabytes * 1024 * 1024,
    log: log.child({ service: 'storage' }),
    timers: systemTimers,
  });
  // Before anything else writes: the reserve is taken while there is room.
  storage.start();

  // Services emit events into this channel from the start; the RPC server forwards them.
  const events = createEventChannel(log.child({ service: 'rpc' }));
  const devices = (options.createDevices ?? createDeviceManager)({ config, log });
  // Set by the fleet agent (built below: its port reads the outbox); the HTTP heartbeat stands in while it is down.
  const brokerLink = createBrokerLink();
  const outbox = createOutboxWorker({
    store,
    port: platform.port,
    log,
    clock,
    timers,
    storage,
    // Device states (no personal data) for the platform's view of the terminal's health.
    heartbeat: {
      wanted: () => !brokerLink.up,
      version: kioskVersion,
      devices: () => Object.fromEntries(devices.states().map((d) => [d.role, d.status.state])),
      update: () => readUpdateReport(dataDir),
      auditHead: () => auditHeadOf(store.db),
    },
  });
  const backups = scheduleBackups(store.db, store.paths.backups, {
    clock,
    timers,
    log: log.child({ service: 'backup' }),
    spaceToSpare: () => storage.state().accepting,
  });
  const retention = startRetention(store, {
    clock,
    timers,
    log: log.child({ service: 'retention' }),
    graceMs: config.privacy.retentionDays * 86_400_000,
    failedGraceMs: config.privacy.failedRetentionDays * 86_400_000,
    afterPurge: () => backups.replaceAll(),
    folders: [
      { dir: store.paths.damaged, maxAgeMs: config.privacy.failedRetentionDays * 86_400_000 },
      ...(options.crashDumpsDir === undefined
        ? []
        : [{ dir: options.crashDumpsDir, maxAgeMs: config.privacy.crashDumpDays * 86_400_000 }]),
    ],
  });

  const sessions = createSessionService(log.child({ service: 'session' }), monotonic);
  sessions.onEnded((sessionId, reason) => events.emit('session.ended', { sessionId, reason }));
  const receipts = createReceiptService({
    config,
    catalogue,
    store,
    keys: platform.keys,
    printer: devices.printer,
    profile: profileForWidth(config.devices.printerPaperWidth),
    clock,
    log: log.child({ service: 'receipt' }),
    storage,
  });
  outbox.subscribe((event) => {
    if (event.kind === 'application-submitted') receipts.recordCaseNumber(event.applicationId, event.caseNumber);
  });
  receipts.catchUp();
  const remoteHelp = createRemoteHelpService({
    port: () => platform.remoteHelp,
    sessions,
    config: () => config.remoteHelp,
    servicePoint: () => config.servicePoint.name,
    emit: (event) => events.emit('remoteHelp.event', event),
    monotonic,
    timers: systemTimers,
    log: log.child({ service: 'remote-help' }),
  });
  const journey = createJourneyService({
    catalogue,
    villageGroups: () => config.servicePoint.villageGroups,
    verifyElsewhere: (payload) => platform.verifyReceipt({ payload }),
    store,
    outbox,
    receipts,
    sessions,
    remoteAssistance: (sessionId) => remoteHelp.assistance(sessionId),
    events,
    clock,
    log: log.child({ service: 'journey' }),
    storage,
    ...(options.caseNumberWaitMs === undefined ? {} : { caseNumberWaitMs: options.caseNumberWaitMs }),
  });
  const a4Printer = openA4PrinterLink(
    config.devices.a4Printer ?? { kind: 'none' },
    log.child({ service: 'a4-printer' }),
  );
  const documents = createDocumentService({
    sessions,
    applicant: () => journey.applicantCard(),
    requestDocument: (request) => platform.requestDocument(request),
    printer: () => a4Printer.driver(),
    log: log.child({ service: 'documents' }),
  });
  const staff = await createStaffModule({
    store,
    outbox,
    receipts,
    sessions,
    marks: journey,
    config,
    baseConfig: baseConfig.value,
    baseCatalogue: embeddedCatalogue,
    catalogue,
    setCatalogue: (next) => {
      liveCatalogue.current = next;
    },
    devices,
    printer: devices.printer,
    documents,
    a4Printer,
    keys: platform.keys,
    platformUrl: platform.url,
    switchPlatform: (url) => platform.switchTo(url),
    dataKey: () => keyProvider.value.getDataKey(),
    logs,
    dataDir,
    storage,
    log: log.child({ service: 'staff' }),
    clock,
    monotonic,
    onChange: (session, reason) => events.emit('staff.changed', { role: session?.role ?? null, reason }),
  });

  devices.subscribe((event) => {
    switch (event.kind) {
      case 'card-read':
        // A card read while staff sign in (or a technician registers a staff card) is not a resident's.
        if (!staff.auth.offerCard(event.card.idNumber)) journey.cardRead(event.card);
        return;
      case 'card-removed':
        return journey.cardRemoved();
      case 'card-problem':
        return journey.cardProblem(event.problem);
      case 'scanned':
        return events.emit('scanner.scanned', { text: event.text.slice(0, 1000) });
      case 'keypad-key':
        return events.emit('keypad.key', { key: event.key });
      case 'status':
        return events.emit('device.status', { device: event.role, ...event.status });
    }
  });

  const openedFleet = openFleet({
    fleet: config.fleet,
    terminalId: config.terminal.id,
    dataDir,
    log: log.child({ service: 'fleet' }),
    link: brokerLink,
    port: fleetPortFor({
      config,
      dataDir,
      startedAt,
      store,
      outbox,
      devices,
      sessions,
      events,
      platformClock: platform.clock,
      storage,
      // The same scrubbed bundle a technician exports, signed to the platform (PUT …/diagnostics).
      async uploadDiagnostics() {
        const uploaded = await platform.port.uploadDiagnostics(staff.diagnosticsBundle());
        return uploaded.ok
          ? {
              ok: true,
              message: `diagnostics uploaded (${uploaded.value.size} bytes, ${uploaded.value.sha256.slice(0, 12)})`,
            }
          : { ok: false, message: `diagnostics not uploaded: ${describePortFailure(uploaded.error)}` };
      },
    }),
  });
  if (!openedFleet.ok) log.error({ reason: openedFleet.error }, 'fleet link not started');
  const fleet = openedFleet.ok ? openedFleet.value : null;

  const health = (): Health => ({
    status: 'ok',
    version: kioskVersion,
    uptimeSeconds: Math.round((monotonic.elapsedMs() - startedElapsed) / 1000),
    sessionActive: sessions.current !== null,
  });
  const speaker = createEspeakSpeaker({ log: log.child({ service: 'speech' }) });
  const headphones = createHeadphones({
    setting: () => config.accessibility?.headphones ?? 'detect',
    log: log.child({ service: 'speech' }),
    mutedMarker: join(dataDir, 'speaker-muted'),
  });
  // The page gives the speaker back when the mode ends; a page that could not (it crashed, it was
  // closed) must not leave the next resident without one.
  sessions.onEnded(() => void headphones.release());
  const handlers: Handlers = {
    ...createKioskHandlers({ config, catalogue, health, log }),
    'notice.get': () => ok({ notice: fleet?.agent.notice() ?? null }),
    // Read afresh: a resident about to start should not be told of space that has since returned.
    'storage.get': () => ok({ accepting: storage.check().accepting }),
    ...createSessionHandlers(sessions),
    ...createSpeechHandlers(speaker),
    ...headphones.handlers,
    ...createJourneyHandlers({ journey, receipts, assist: staff.assist }),
    ...createDocumentHandlers(documents),
    ...createRemoteHelpHandlers(remoteHelp),
    ...staff.handlers,
  };
  const rpc = createRpcServer(handlers, log.child({ service: 'rpc' }), events);

  outbox.start();
  await devices.start();
  if (fleet !== null) {
    fleet.start();
    // An update installed or rolled back while the kiosk was down is told to the county once.
    reportUpdateOutcome(fleet.agent, readUpdateReport(dataDir), dataDir);
    reportDatabaseRestore(fleet.agent, restore);
  }
  devices.subscribe((event) => {
    if (event.kind === 'status') void fleet?.agent.evaluate();
  });
  storage.subscribe((state) => {
    events.emit('storage.changed', { accepting: state.accepting });
    void fleet?.agent.evaluate();
  });
  log.info({ terminalId: config.terminal.id, platform: config.platform.mode }, 'services started');

  return ok({
    rpc,
    config,
    store,
    outbox,
    platform,
    devices,
    sessions,
    journey,
    receipts,
    documents,
    staff,
    remoteHelp,
    logs,
    storage,
    health,
    async close() {
      sessions.end('cancelled');
      await remoteHelp.close();
      staff.close();
      documents.close();
      speaker.stop();
      retention.stop();
      backups.stop();
      storage.stop();
      await fleet?.close();
      await devices.stop();
      await a4Printer.close();
      await outbox.stop();
      await platform.close();
      store.close();
      log.info({}, 'services stopped');
    },
  });
}

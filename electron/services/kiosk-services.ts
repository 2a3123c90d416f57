import { join } from 'node:path';
import type { KioskConfig } from '../../kiosk-config/config-schema';
import { embeddedCatalogue } from '../../kiosk-config/catalogue';
import type { Log } from '../../foundation/log';
import { profileForWidth } from '../../drivers/printer/printer-profiles';
import { err, ok, type Result } from '../../foundation/result';
import { createRpcServer, type Handlers, type RpcServer } from '../api/rpc-server';
import { loadConfig } from './config/config-loader';
import { createJourneyService, type JourneyService, type ReceiptPrinterPort } from './journey/journey-service';
import { startDevices, type RunningDevices } from './devices/device-wiring';
import { createOutboxWorker, type OutboxEvent, type OutboxWorker } from './outbox/outbox-worker';
import { openPlatformLink, type PlatformLink } from './platform-link';
import { createSessionService, type SessionService } from './session/session-service';
import { createEspeakSpeaker } from './speech/espeak-speaker';
import { systemClock, systemTimers } from '../../foundation/clock';
import { describeOpenError } from './store/database';
import { createFileKeyProvider, describeKeyFileError, type KeyProvider } from './store/key-provider';
import { scheduleBackups } from './store/backup';
import { startRetention } from './store/retention';
import { openStore, type Store } from './store/store';
import { kioskVersion } from './version';
import { readUpdateReport } from './update/update-status';
import type { DeviceManagerPort } from './staff/device-port';
import { createLogRing, ringLog, type LogRing } from './staff/log-ring';
import { applySiteConfig, readSiteConfig } from './staff/site-config';
import { createStaffModule, type StaffModule } from './staff/staff-module';

/**
 * Starts every Electron-free service and wires them to the API contract. The Electron shell and
 * the browser host both call this and differ only in how messages reach `rpc`.
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
}

export interface KioskServices {
  readonly rpc: RpcServer;
  readonly config: KioskConfig;
  readonly store: Store;
  readonly outbox: OutboxWorker;
  readonly platform: PlatformLink;
  readonly devices: RunningDevices;
  readonly sessions: SessionService;
  readonly journey: JourneyService;
  /** Staff and technician modes (staff/). */
  readonly staff: StaffModule;
  /** The last structured log lines, for the technician console and diagnostics. */
  readonly logs: LogRing;
  /** The device manager registers itself here for the staff health view and the technician console. */
  setDeviceManager(manager: DeviceManagerPort | null): void;
  /** Devices attach their printer here once started (see devices/). */
  setPrinter(printer: ReceiptPrinterPort | null): void;
  health(): { status: 'ok' | 'degraded'; version: string; uptimeSeconds: number; sessionActive: boolean };
  close(): Promise<void>;
}

export interface StartupFailure {
  readonly kind: 'config' | 'data-dir' | 'store' | 'device' | 'platform';
  readonly message: string;
}

export async function startKioskServices(
  options: KioskServicesOptions,
): Promise<Result<KioskServices, StartupFailure>> {
  const { dataDir } = options;
  // Every line also lands in a ring buffer the technician console shows.
  const logs = createLogRing();
  const log = ringLog(options.log, logs);
  let baseConfig = options.config;
  if (baseConfig === undefined) {
    const loaded = await loadConfig(options.configPath);
    if (!loaded.ok) return err({ kind: 'config', message: loaded.error.message });
    baseConfig = loaded.value;
  }
  // On-site settings a technician saved (staff/site-config.ts); a copy, because live-safe settings change in place.
  const site = readSiteConfig(dataDir);
  const applied = site.ok ? applySiteConfig(baseConfig, embeddedCatalogue, site.value) : site;
  if (!applied.ok) log.warn({ reason: applied.error }, 'on-site settings ignored');
  const config = structuredClone(applied.ok ? applied.value.config : baseConfig);
  let currentCatalogue = applied.ok ? applied.value.catalogue : embeddedCatalogue;
  const startedAt = Date.now();
  const catalogue = () => currentCatalogue;

  let keyProvider = options.keyProvider;
  if (keyProvider === undefined) {
    const fileKey = createFileKeyProvider(join(dataDir, 'data.key'));
    if (!fileKey.ok) return err({ kind: 'store', message: describeKeyFileError(fileKey.error) });
    keyProvider = fileKey.value;
  }
  const opened = openStore({
    dataDir,
    keyProvider,
    terminalId: config.terminal.id,
    terminalCode: config.terminal.code,
    clock: systemClock,
    log: log.child({ service: 'store' }),
  });
  if (!opened.ok)
    return err({
      kind: 'store',
      message: opened.error.kind === 'bad-key' ? opened.error.reason : describeOpenError(opened.error),
    });
  const store = opened.value;

  const link = await openPlatformLink({
    config,
    dataDir,
    catalogue: catalogue(),
    log: log.child({ service: 'platform-link' }),
  });
  if (!link.ok) {
    store.close();
    return err(link.error);
  }
  const outboxListeners = new Set<(event: OutboxEvent) => void>();
  let deviceStates: (() => ReadonlyArray<{ role: string; status: { state: string } }>) | null = null;
  const outbox = createOutboxWorker({
    db: store.db,
    applications: store.applications,
    ratings: store.ratings,
    port: link.value.port,
    log,
    clock: systemClock,
    timers: systemTimers,
    // Device states (no personal data) for the platform's view of the terminal's health.
    heartbeat: {
      version: kioskVersion,
      devices: () => Object.fromEntries((deviceStates?.() ?? []).map((d) => [d.role, d.status.state])),
      update: () => readUpdateReport(dataDir),
    },
    onEvent: (event) => {
      for (const listener of outboxListeners) listener(event);
    },
  });
  outbox.start();
  const backups = scheduleBackups(store.db, store.paths.backups, {
    clock: systemClock,
    timers: systemTimers,
    log: log.child({ service: 'backup' }),
  });
  const retention = startRetention(store.db, {
    clock: systemClock,
    timers: systemTimers,
    log: log.child({ service: 'retention' }),
    graceMs: config.privacy.retentionDays * 86_400_000,
  });

  const sessions = createSessionService(log.child({ service: 'session' }));
  let printer: ReceiptPrinterPort | null = null;
  // The rpc server is created below; events go through this late-bound emitter.
  let rpc: RpcServer | null = null;
  const plainJourney = createJourneyService({
    config,
    catalogue,
    store,
    outbox,
    onOutboxEvent: (listener) => {
      outboxListeners.add(listener);
      return () => outboxListeners.delete(listener);
    },
    keys: link.value.keys,
    sessions,
    printer: () => printer,
    profile: profileForWidth(config.devices.printerPaperWidth),
    log: log.child({ service: 'journey' }),
    ...(options.caseNumberWaitMs === undefined ? {} : { caseNumberWaitMs: options.caseNumberWaitMs }),
    emit: {
      cardRead: (sessionId, card) => rpc?.emit('card.read', { sessionId, card }),
      cardRemoved: () => rpc?.emit('card.removed', {}),
      cardProblem: (problem) => rpc?.emit('card.problem', { problem }),
    },
  });

  let deviceManager: DeviceManagerPort | null = null;
  const staff = await createStaffModule({
    store,
    outbox,
    journey: plainJourney,
    sessions,
    config,
    baseConfig,
    baseCatalogue: embeddedCatalogue,
    catalogue,
    setCatalogue: (next) => {
      currentCatalogue = next;
    },
    devices: () => deviceManager,
    printer: () => printer,
    keys: link.value.keys,
    platformUrl: link.value.url,
    dataKey: () => keyProvider.getDataKey(),
    logs,
    dataDir,
    log: log.child({ service: 'staff' }),
    onChange: (session, reason) => rpc?.emit('staff.changed', { role: session?.role ?? null, reason }),
  });
  // A card read while staff sign in (or a technician registers a staff card) is not a resident's.
  const journey = staff.withStaffCards(plainJourney);

  const health = () => ({
    status: 'ok' as const,
    version: kioskVersion,
    uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
    sessionActive: sessions.current !== null,
  });

  const speaker = createEspeakSpeaker({ log: log.child({ service: 'speech' }) });
  const handlers: Handlers = {
    'kiosk.info': () =>
      ok({
        version: kioskVersion,
        terminalId: config.terminal.id,
        terminalName: config.terminal.name,
        servicePointName: config.servicePoint.name,
        languages: config.ui.languages,
        defaultLanguage: config.ui.defaultLanguage,
        idleTimeoutSeconds: config.ui.idleTimeoutSeconds,
        idleWarningSeconds: config.ui.idleWarningSeconds,
        largeTextByDefault: config.ui.largeTextByDefault,
        voiceByDefault: config.ui.voiceByDefault,
        cameraLabel: config.devices.cameraLabel,
        retentionDays: config.privacy.retentionDays,
      }),
    'catalogue.get': () => ok(catalogue()),
    'session.start': () => ok({ sessionId: sessions.start() }),
    'session.end': ({ reason }) => {
      sessions.end(reason);
      return ok({});
    },
    'health.get': () => ok(health()),
    'ui.report': (event) => {
      log.info({ ui: event.action, screen: event.screen, target: event.target }, 'user action');
      return ok({});
    },
    'speech.speak': async (request) => ok({ spoken: await speaker.speak(request) }),
    'speech.stop': () => {
      speaker.stop();
      return ok({});
    },
    'journey.cards': () => journey.cards(),
    'journey.attachDocument': ({ requirementId, jpegBase64 }) =>
      journey.attachDocument(requirementId, Buffer.from(jpegBase64, 'base64')),
    'journey.submit': async (params) => {
      const submitted = await journey.submit(params, staff.staff.helperForSubmission());
      if (submitted.ok) staff.staff.submitted();
      return submitted;
    },
    'receipt.print': ({ applicationId, reprint }) => journey.printReceipt(applicationId, reprint),
    'rating.submit': ({ applicationId, level, reasons }) => journey.rate(applicationId, level, reasons),
    'progress.lookup': async (query) => ok(await journey.lookup(query)),
    ...staff.handlers,
  };
  rpc = createRpcServer(handlers, log.child({ service: 'rpc' }));
  const server = rpc;
  sessions.onEnded((sessionId, reason) => server.emit('session.ended', { sessionId, reason }));
  const devices = await startDevices({ config, log, journey, rpc: server });
  deviceManager = devices.manager;
  deviceStates = () => devices.manager.states();
  printer = devices.printer;
  log.info({ terminalId: config.terminal.id, platform: config.platform.mode }, 'services started');

  return ok({
    rpc: server,
    config,
    store,
    outbox,
    platform: link.value,
    devices,
    sessions,
    journey,
    staff,
    logs,
    setDeviceManager(manager) {
      deviceManager = manager;
    },
    setPrinter(next) {
      printer = next;
    },
    health,
    async close() {
      sessions.end('cancelled');
      staff.close();
      speaker.stop();
      retention.stop();
      backups.stop();
      await devices.stop();
      await outbox.stop();
      await link.value.close();
      store.close();
      log.info({}, 'services stopped');
    },
  });
}

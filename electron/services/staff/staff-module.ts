import type { Clock, MonotonicClock } from '../../../foundation/clock';
import { hkdfSync } from 'node:crypto';
import { join } from 'node:path';
import type { Catalogue } from '../../../kiosk-config/catalogue-schema';
import type { KioskConfig } from '../../../kiosk-config/config-schema';
import type { Log } from '../../../foundation/log';
import { err, ok } from '../../../foundation/result';
import { connectionOf, type Handlers } from '../../api/rpc-server';
import type { staffMethods } from '../../api/staff-contract';
import type { DocumentService } from '../documents/document-service';
import type { JourneyService } from '../journey/journey-service';
import type { OutboxWorker } from '../outbox/outbox-worker';
import type { StoredKeys } from '../platform-client/identity-store';
import type { ReceiptPrinter } from '../receipt/receipt-printer';
import type { ReceiptService } from '../receipt/receipt-service';
import type { SessionService } from '../session/session-service';
import type { Store } from '../store/store';
import { kioskVersion } from '../version';
import type { A4PrinterLinkHandle } from '../documents/a4-printer-link';
import { createA4PrinterAdmin } from '../documents/a4-printer-admin';
import { createAssistService, type AssistService } from './assist-service';
import { createDailySummaryService } from './daily-summary';
import { createDeviceAdmin } from './device-admin';
import { createDevicePin, devicePinHandlers } from './device-pin';
import type { DeviceManagerPort } from './device-port';
import { createDiagnosticsService } from './diagnostics-service';
import { createEnrolmentService } from './enrolment-service';
import { createFirstStart } from './first-start';
import { createHealthService } from './health-service';
import { mirrorLogRing, recentLogFileName, type LogRing } from './log-ring';
import { createSiteSettingsService } from './site-settings-service';
import { createStaffAccess } from './staff-access';
import { createStaffAuth, type StaffAuth, type StaffSession, type SessionEnd } from './staff-auth';
import { createStaffGuard } from './staff-guard';
import { createSendQueue } from './staff-queue';
import { lastRestoreAt } from '../store/database-recovery';
import type { StorageGuard } from '../store/storage-guard';

/**
 * Staff and technician modes wired together for kiosk-services.ts: the sign-in, one service per
 * concern, and their RPC handlers. Every handler that needs a right goes through the one guard
 * (staff-guard.ts), which checks the role and gives the service the actor its audit entries are
 * written under.
 */
export interface StaffModuleDeps {
  readonly store: Store;
  readonly outbox: OutboxWorker;
  readonly receipts: Pick<ReceiptService, 'print'>;
  readonly sessions: SessionService;
  /** Where a mark staff confirmed (不会写字) is held for the resident session's submission. */
  readonly marks: Pick<JourneyService, 'witnessMark'>;
  readonly config: KioskConfig;
  readonly baseConfig: KioskConfig;
  readonly baseCatalogue: Catalogue;
  readonly catalogue: () => Catalogue;
  readonly setCatalogue: (catalogue: Catalogue) => void;
  readonly devices: DeviceManagerPort;
  readonly printer: ReceiptPrinter;
  /** A4 documents that did not print, for staff to see and reprint (documents/failed-prints.ts). */
  readonly documents: Pick<DocumentService, 'failedPrints' | 'reprint'>;
  /** The A4 printer in use, which the technician may move to another printer. */
  readonly a4Printer: A4PrinterLinkHandle;
  readonly keys: StoredKeys;
  readonly platformUrl: string;
  /** The terminal was enrolled at another platform: the link sends there from now on. */
  readonly switchPlatform: (url: string) => void;
  readonly dataKey: () => Buffer;
  readonly logs: LogRing;
  readonly dataDir: string;
  /** Whether new applications are taken (store/storage-guard.ts), for staff health. */
  readonly storage: Pick<StorageGuard, 'state'>;
  readonly log: Log;
  /** Wall time for what is stored, and the monotonic clock lock-outs and timeouts are measured on. */
  readonly clock?: Clock;
  readonly monotonic?: MonotonicClock;
  readonly onChange: (session: StaffSession | null, reason: SessionEnd | 'signed-in') => void;
}

export type StaffHandlers = Pick<Handlers, keyof typeof staffMethods>;

export interface StaffModule {
  readonly auth: StaffAuth;
  /** Staff helping a resident: the journey asks it for the helper of the application being submitted. */
  readonly assist: AssistService;
  readonly handlers: StaffHandlers;
  /** The diagnostic bundle (no personal data) for a county fleet command to upload. */
  diagnosticsBundle(): string;
  close(): void;
}

export async function createStaffModule(deps: StaffModuleDeps): Promise<StaffModule> {
  const { log, store } = deps;
  // A key of its own for staff-card HMACs, derived from the data key: the card number is never stored.
  const cardKey = Buffer.from(hkdfSync('sha256', deps.dataKey(), Buffer.alloc(0), 'village-kiosk staff-card v1', 32));
  const auth = createStaffAuth({
    db: store.db,
    audit: (entry) => store.audit(entry),
    cardKey: () => cardKey,
    log: log.child({ module: 'staff-auth' }),
    ...(deps.clock === undefined ? {} : { clock: deps.clock }),
    ...(deps.monotonic === undefined ? {} : { monotonic: deps.monotonic }),
    onChange: deps.onChange,
  });
  auth.forgetFactoryPins();
  const guard = createStaffGuard(auth, (entry) => store.audit(entry));

  const assist = createAssistService({
    auth,
    store,
    sessions: deps.sessions,
    log: log.child({ module: 'assist' }),
    ...(deps.monotonic === undefined ? {} : { monotonic: deps.monotonic }),
  });
  const queue = createSendQueue({ store, outbox: deps.outbox, receipts: deps.receipts });
  const health = createHealthService({
    config: deps.config,
    devices: deps.devices,
    outbox: deps.outbox,
    pingPlatform: () => deps.outbox.sendHeartbeat(),
    restoredAt: () => lastRestoreAt(store.db),
    // Health answers at once even when the printer's address is black-holed (the driver waits 10 s).
    a4Printer: () => a4Admin.current(4000),
    dataDir: deps.dataDir,
    storage: deps.storage,
  });
  const summary = createDailySummaryService({
    store,
    config: deps.config,
    catalogue: deps.catalogue,
    printer: deps.printer,
  });
  const siteSettings = createSiteSettingsService({
    config: deps.config,
    baseConfig: deps.baseConfig,
    baseCatalogue: deps.baseCatalogue,
    setCatalogue: deps.setCatalogue,
    dataDir: deps.dataDir,
    log: log.child({ module: 'site-settings' }),
  });
  const deviceAdmin = createDeviceAdmin({
    devices: deps.devices,
    siteSettings,
    log: log.child({ module: 'device-admin' }),
  });
  const a4Admin = createA4PrinterAdmin({
    link: deps.a4Printer,
    siteSettings,
    terminal: () => deps.config.terminal,
    log: log.child({ module: 'a4-printer-admin' }),
  });
  const enrolment = createEnrolmentService({
    config: deps.config,
    keys: deps.keys,
    platformUrl: deps.platformUrl,
    outbox: deps.outbox,
    keepPlatform: (url, savedBy) => siteSettings.keepPlatform(url, savedBy),
    switchPlatform: deps.switchPlatform,
    dataDir: deps.dataDir,
    log: log.child({ module: 'enrolment' }),
  });
  const diagnostics = createDiagnosticsService({
    store,
    outbox: deps.outbox,
    devices: deps.devices,
    config: deps.config,
    siteConfigSavedAt: () => siteSettings.savedAt(),
    keys: deps.keys,
    platformUrl: deps.platformUrl,
    logs: deps.logs,
    dataDir: deps.dataDir,
    kioskVersion,
    log: log.child({ module: 'diagnostics' }),
  });
  const access = createStaffAccess({ auth, log: log.child({ module: 'staff-access' }) });
  const firstStart = createFirstStart({
    config: deps.config,
    auth,
    guard,
    enrolment,
    siteSettings,
    platformUrl: deps.platformUrl,
    dataDir: deps.dataDir,
    audit: (entry) => store.audit(entry),
    log: log.child({ module: 'first-start' }),
  });

  const mirror = mirrorLogRing(deps.logs, join(deps.dataDir, recentLogFileName));

  const { staff, technician } = guard;
  const handlers: StaffHandlers = {
    'setup.status': () => firstStart.status(),
    'setup.complete': (request, ctx) => firstStart.complete(request, ctx),
    'staff.signIn': async ({ pin }, ctx) => {
      const result = await auth.signInWithPin(pin, connectionOf(ctx));
      return result.ok ? ok({ role: result.value.role }) : err(result.error);
    },
    'staff.awaitCard': (_params, ctx) => {
      // A card read during a resident's session is that resident's (or the second person's of a
      // 代办): it must never be diverted to a staff sign-in. Staff take over a running session by PIN.
      if (deps.sessions.current !== null) return err({ kind: 'not-allowed', message: 'a resident session is running' });
      const waiting = auth.awaitCardSignIn(connectionOf(ctx));
      return waiting.ok ? ok({}) : waiting;
    },
    'staff.cancelAwaitCard': (_params, ctx) => {
      auth.cancelCardSignIn(connectionOf(ctx));
      return ok({});
    },
    'staff.status': (_params, ctx) => {
      // Another connection's session is not this caller's to see or use.
      const current = auth.current();
      const session = current?.connection === connectionOf(ctx) ? current : null;
      return ok({
        role: session?.role ?? null,
        staffId: session?.staffId ?? null,
        assisting: assist.assisting(),
        lockedSeconds: auth.lockout().lockedSeconds,
        cardOutcome: auth.cardOutcome(),
      });
    },
    'staff.signOut': (_params, ctx) => {
      // Only the connection that signed in ends its session; another one only closes its own pad.
      const connection = connectionOf(ctx);
      if (auth.current()?.connection === connection) auth.signOut('signed-out');
      else auth.cancelCardSignIn(connection);
      return ok({});
    },
    'staff.assist.start': staff((_params, actor) => assist.start(actor)),
    'staff.assist.cancel': (_params, ctx) => assist.cancel(connectionOf(ctx)),
    'staff.witnessMark': staff(({ markPngBase64 }, actor) => {
      const { staffId } = actor.session;
      const witnessed = deps.marks.witnessMark(Buffer.from(markPngBase64, 'base64'), staffId);
      if (witnessed.ok) actor.audit('staff.mark-witnessed');
      // Staff came to the resident's screen only to confirm: it stays the resident's, staff mode ends.
      auth.signOut('signed-out');
      return witnessed.ok ? ok({ staffId }) : witnessed;
    }),
    'staff.queue': staff(() => queue.list()),
    'staff.retry': staff(({ applicationId }, actor) => queue.retry(applicationId, actor)),
    'staff.reprint': staff(({ applicationId }, actor) => queue.reprint(applicationId, actor)),
    'staff.documents.failed': staff(() => ok({ items: deps.documents.failedPrints.list() })),
    'staff.documents.reprint': staff(({ documentNumber }, actor) => deps.documents.reprint(documentNumber, actor)),
    'staff.health': staff(() => health.health()),
    'staff.summary': staff(({ date }) => summary.summary(date)),
    'staff.summary.print': staff(({ date }, actor) => summary.print(date, actor)),
    'tech.devices': technician(() => deviceAdmin.devices()),
    'tech.discover': technician(async (_params, actor) => {
      const found = await deviceAdmin.discover(actor);
      return found.ok ? ok({ serial: [...found.value.serial], hid: [...found.value.hid] }) : found;
    }),
    'tech.assign': technician((request, actor) => deviceAdmin.assign(request, actor)),
    'tech.selfTest': technician(({ role }, actor) => deviceAdmin.selfTest(role, actor)),
    ...devicePinHandlers(guard, createDevicePin({ dataDir: deps.dataDir })),
    'tech.a4Printer': technician(() => a4Admin.view()),
    'tech.a4Printer.set': technician(({ link }, actor) => a4Admin.set(link, actor)),
    'tech.a4Printer.discover': technician((_params, actor) => a4Admin.discover(actor)),
    'tech.a4Printer.testPage': technician((_params, actor) => a4Admin.testPage(actor)),
    'tech.camera.set': technician(({ label }, actor) => deviceAdmin.setCamera(label, actor)),
    'tech.config.get': technician(() => siteSettings.get()),
    'tech.config.save': technician(({ settings }, actor) => siteSettings.save(settings, actor)),
    'tech.config.rollback': technician((_params, actor) => siteSettings.rollback(actor)),
    'tech.identity': technician(() => enrolment.identity()),
    'tech.enrol': technician((request, actor) =>
      enrolment.enrol(request, { name: actor.session.actor, audit: (...entry) => actor.audit(...entry) }),
    ),
    'tech.logs': technician((filter) => diagnostics.logs(filter)),
    'tech.diagnostics.targets': technician(() => diagnostics.targets()),
    'tech.diagnostics.export': technician((to, actor) => diagnostics.export(to, actor)),
    'tech.audit': technician(({ limit }, actor) => diagnostics.audit(limit, actor)),
    'tech.pin.set': technician((request, actor) => access.setPin(request, actor)),
    'tech.cards': technician(() => access.cards()),
    'tech.cards.register': technician(({ staffId }, actor) => access.registerCard(staffId, actor)),
    'tech.cards.remove': technician(({ staffId }, actor) => access.removeCard(staffId, actor)),
  };

  return {
    auth,
    assist,
    handlers,
    diagnosticsBundle: () => diagnostics.bundle('fleet'),
    close() {
      auth.close();
      mirror.stop();
    },
  };
}

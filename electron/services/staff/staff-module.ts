import { hkdfSync } from 'node:crypto';
import type { Catalogue } from '../../../kiosk-config/catalogue-schema';
import type { KioskConfig } from '../../../kiosk-config/config-schema';
import type { Log } from '../../../foundation/log';
import { ok } from '../../../foundation/result';
import type { Handlers } from '../../api/rpc-server';
import type { staffMethods } from '../../api/staff-contract';
import type { ReceiptPrinter } from '../receipt/receipt-printer';
import type { ReceiptService } from '../receipt/receipt-service';
import type { OutboxWorker } from '../outbox/outbox-worker';
import type { StoredKeys } from '../platform-client/identity-store';
import type { SessionService } from '../session/session-service';
import type { Store } from '../store/store';
import { kioskVersion } from '../version';
import type { DeviceManagerPort } from './device-port';
import { join } from 'node:path';
import { mirrorLogRing, recentLogFileName, type LogRing } from './log-ring';
import { createStaffAuth, type StaffAuth, type StaffSession, type SessionEnd } from './staff-auth';
import { createStaffService, type StaffService } from './staff-service';
import { createTechnicianService, type TechnicianService } from './technician-service';

/**
 * Staff and technician modes wired together for kiosk-services.ts: the auth, the two services and
 * their RPC handlers. kiosk-services spreads `handlers` into its own and asks `helperForSubmission`
 * when a resident submits.
 */
export interface StaffModuleDeps {
  readonly store: Store;
  readonly outbox: OutboxWorker;
  readonly receipts: Pick<ReceiptService, 'print'>;
  readonly sessions: SessionService;
  readonly config: KioskConfig;
  readonly baseConfig: KioskConfig;
  readonly baseCatalogue: Catalogue;
  readonly catalogue: () => Catalogue;
  readonly setCatalogue: (catalogue: Catalogue) => void;
  readonly devices: DeviceManagerPort;
  readonly printer: ReceiptPrinter;
  readonly keys: StoredKeys;
  readonly platformUrl: string;
  readonly dataKey: () => Buffer;
  readonly logs: LogRing;
  readonly dataDir: string;
  readonly log: Log;
  readonly onChange: (session: StaffSession | null, reason: SessionEnd | 'signed-in') => void;
}

export type StaffHandlers = Pick<Handlers, keyof typeof staffMethods>;

export interface StaffModule {
  readonly auth: StaffAuth;
  readonly staff: StaffService;
  readonly technician: TechnicianService;
  readonly handlers: StaffHandlers;
  close(): void;
}

export async function createStaffModule(deps: StaffModuleDeps): Promise<StaffModule> {
  const log = deps.log;
  // A key of its own for staff-card HMACs, derived from the data key: the card number is never stored.
  const cardKey = Buffer.from(hkdfSync('sha256', deps.dataKey(), Buffer.alloc(0), 'village-kiosk staff-card v1', 32));
  const auth = createStaffAuth({
    db: deps.store.db,
    audit: (entry) => deps.store.audit(entry),
    cardKey: () => cardKey,
    log: log.child({ module: 'staff-auth' }),
    onChange: deps.onChange,
  });
  await auth.ensureDefaultPins();
  const staff = createStaffService({
    auth,
    store: deps.store,
    outbox: deps.outbox,
    receipts: deps.receipts,
    sessions: deps.sessions,
    config: deps.config,
    catalogue: deps.catalogue,
    devices: deps.devices,
    printer: deps.printer,
    pingPlatform: () => deps.outbox.sendHeartbeat(),
    dataDir: deps.dataDir,
    log: log.child({ module: 'staff' }),
  });
  const technician = createTechnicianService({
    auth,
    store: deps.store,
    outbox: deps.outbox,
    config: deps.config,
    baseConfig: deps.baseConfig,
    baseCatalogue: deps.baseCatalogue,
    setCatalogue: deps.setCatalogue,
    devices: deps.devices,
    keys: deps.keys,
    platformUrl: deps.platformUrl,
    logs: deps.logs,
    dataDir: deps.dataDir,
    kioskVersion,
    log: log.child({ module: 'technician' }),
  });

  const mirror = mirrorLogRing(deps.logs, join(deps.dataDir, recentLogFileName));

  const status = () => {
    const session = auth.current();
    const lock = auth.lockout();
    return {
      role: session?.role ?? null,
      staffId: session?.staffId ?? null,
      assisting: staff.assisting(),
      defaultPin: auth.pinIsDefault('staff') || auth.pinIsDefault('technician'),
      lockedSeconds: lock.lockedSeconds,
      cardOutcome: auth.cardOutcome(),
    };
  };

  const handlers: StaffHandlers = {
    'staff.signIn': async ({ pin }) => {
      const result = await auth.signInWithPin(pin);
      if (result.ok) return ok({ ok: true as const, role: result.value.role });
      return ok({
        ok: false as const,
        reason: result.error.kind,
        triesBeforeLock: result.error.kind === 'wrong-pin' ? result.error.triesBeforeLock : 0,
        lockedSeconds: result.error.lockedSeconds,
      });
    },
    'staff.awaitCard': () => {
      auth.awaitCardSignIn();
      return ok({});
    },
    'staff.status': () => ok(status()),
    'staff.signOut': () => {
      auth.signOut('signed-out');
      return ok({});
    },
    'staff.assist.start': () => staff.startAssist(),
    'staff.assist.cancel': () => staff.cancelAssist(),
    'staff.queue': () => staff.queue(),
    'staff.retry': ({ applicationId }) => staff.retry(applicationId),
    'staff.reprint': ({ applicationId }) => staff.reprint(applicationId),
    'staff.health': () => staff.health(),
    'staff.summary': ({ date }) => staff.summary(date),
    'staff.summary.print': ({ date }) => staff.printSummary(date),
    'tech.devices': () => {
      const listed = technician.devices();
      return listed.ok
        ? ok({
            devices: listed.value.devices.map((d) => ({
              role: d.role,
              link: d.link,
              state: d.status.state,
              ...(d.status.detail === undefined ? {} : { detail: d.status.detail }),
            })),
          })
        : listed;
    },
    'tech.discover': async () => {
      const found = await technician.discover();
      return found.ok ? ok({ serial: [...found.value.serial], hid: [...found.value.hid] }) : found;
    },
    'tech.assign': ({ role, link, paperWidth }) => technician.assign(role, link, paperWidth),
    'tech.selfTest': ({ role }) => technician.selfTest(role),
    'tech.camera.set': ({ label }) => technician.setCamera(label),
    'tech.config.get': () => technician.getConfig(),
    'tech.config.save': ({ settings }) => technician.saveConfig(settings),
    'tech.config.rollback': () => technician.rollbackConfig(),
    'tech.identity': () => technician.identity(),
    'tech.enrol': ({ platformUrl, code }) => technician.enrol(platformUrl, code),
    'tech.logs': (filter) => technician.logs(filter),
    'tech.diagnostics.targets': () => technician.diagnosticsTargets(),
    'tech.diagnostics.export': (to) => technician.exportDiagnostics(to),
    'tech.audit': ({ limit }) => technician.audit(limit),
    'tech.pin.set': ({ role, pin }) => technician.setPin(role, pin),
    'tech.cards': () => technician.cards(),
    'tech.cards.register': ({ staffId }) => technician.registerCard(staffId),
    'tech.cards.remove': ({ staffId }) => technician.removeCard(staffId),
  };

  return {
    auth,
    staff,
    technician,
    handlers,
    close() {
      auth.close();
      mirror.stop();
    },
  };
}

import { monotonicClock, type MonotonicClock } from '../../../foundation/clock';
import type { DeviceLink, KioskConfig } from '../../../kiosk-config/config-schema';
import { IdCardService, type IdCardServiceOptions } from '../../../drivers/id-card/id-card-service';
import type { IdCard } from '../../../drivers/id-card/id-card-text';
import type { Log } from '../../../foundation/log';
import { profileForWidth, type PaperWidth } from '../../../drivers/printer/printer-profiles';
import { PrinterService, type PrinterState } from '../../../drivers/printer/printer-service';
import { createListeners } from '../../../foundation/listeners';
import { err, ok, type Result } from '../../../foundation/result';
import { deviceRoles, type DeviceRole, type DeviceStatus } from '../../api/device-contract';
import type { CardProblem, PrintOutcome } from '../../api/journey-contract';
import { listDevices } from '../../../drivers/transport/device-discovery';
import type { ReceiptPrinter } from '../receipt/receipt-printer';
import type { DeviceManagerPort } from '../staff/device-port';
import { describeLink, openLink, type ConcreteLink } from './device-links';
import { createSimulatorDock, type SimulatorDock } from './simulator-dock';
import { startScannerSimulatorForDock } from './scanner-dock';
import { startScannerRole } from './scanner-role';
import type { RoleRuntime } from './role-runtime';
import { startKeypadRole } from './keypad-role';
import type { KeypadKey } from '../../../foundation/keypad-keys';

/**
 * Runs the ID reader, receipt printer, scanner and tactile keypad services on their configured links,
 * reports what they see as events (cards for the journey, scans, keys and status changes for the
 * renderer), and lets a
 * technician move a device to another link (or change the paper width) at run time — no file
 * editing, no restart.
 */
export type DeviceEvent =
  | { readonly kind: 'card-read'; readonly card: IdCard }
  | { readonly kind: 'card-removed' }
  | { readonly kind: 'card-problem'; readonly problem: CardProblem }
  | { readonly kind: 'scanned'; readonly text: string }
  | { readonly kind: 'keypad-key'; readonly key: KeypadKey }
  | { readonly kind: 'status'; readonly role: DeviceRole; readonly status: DeviceStatus };

export interface DeviceManager extends DeviceManagerPort {
  /** Starts the configured devices; subscribe first, so no card is missed. */
  start(): Promise<void>;
  subscribe(listener: (event: DeviceEvent) => void): () => void;
  /** The receipt printer, handed once to whoever prints: it prints on whichever printer is attached now. */
  readonly printer: ReceiptPrinter;
  /** The simulators `simulated` links run on (the browser host's /dock routes drive them). */
  readonly dock: SimulatorDock;
  paperWidth(): PaperWidth;
  /** When the oldest start/assign still in progress began (monotonic ms, foundation/clock.ts), or null: a
   * driver open that never returns wedges the manager, and the service watchdog treats that as unhealthy. */
  busySince(): number | null;
  stop(): Promise<void>;
}

function printerStatusView(state: PrinterState): DeviceStatus {
  switch (state.state) {
    case 'no-device':
    case 'error':
      return { state: state.state, detail: state.reason };
    case 'ready':
    case 'busy':
    case 'paper-near-end':
    case 'paper-out':
    case 'cover-open':
      return { state: state.state };
  }
}

function printOutcomeOf(kind: string): PrintOutcome {
  switch (kind) {
    case 'paper-out':
      return 'paper-out';
    case 'cover-open':
      return 'cover-open';
    case 'no-device':
    case 'unconfirmed':
      return 'offline';
    default:
      return 'error';
  }
}

/**
 * The ID reader's poll and removal-probe timing (drivers/id-card/id-card-service.ts). The default is
 * the reader's own (1 s polls, two refused probes); the soak (docs/soak.md) polls faster so that a
 * month of residents fits in an hour — every poll is still a real exchange with the simulator.
 */
export type IdReaderTiming = Pick<IdCardServiceOptions, 'pollIntervalMs' | 'removalMisses'>;

export function createDeviceManager(options: {
  config: KioskConfig;
  log: Log;
  dock?: SimulatorDock;
  monotonic?: MonotonicClock;
  idReaderTiming?: IdReaderTiming;
}): DeviceManager {
  const monotonic = options.monotonic ?? monotonicClock;
  const log = options.log.child({ service: 'devices' });
  const dock = options.dock ?? createSimulatorDock(options.log, () => startScannerSimulatorForDock(options.log));
  const events = createListeners<DeviceEvent>((error) =>
    log.error({ error: error instanceof Error ? error.message : String(error) }, 'device event listener failed'),
  );
  const hooks = {
    cardRead: (card: IdCard) => events.emit({ kind: 'card-read', card }),
    cardRemoved: () => events.emit({ kind: 'card-removed' }),
    cardProblem: (problem: CardProblem) => events.emit({ kind: 'card-problem', problem }),
    scanned: (text: string) => events.emit({ kind: 'scanned', text }),
    keypadKey: (key: KeypadKey) => events.emit({ kind: 'keypad-key', key }),
  };
  const links: Record<DeviceRole, DeviceLink> = {
    'id-reader': options.config.devices.idReader,
    printer: options.config.devices.printer,
    scanner: options.config.devices.scanner,
    keypad: options.config.devices.keypad ?? { kind: 'none' },
  };
  let width: PaperWidth = options.config.devices.printerPaperWidth;
  const roles: Partial<Record<DeviceRole, RoleRuntime>> = {};
  let printerService: PrinterService | null = null;
  const inFlight = new Map<number, number>(); // operation → start (monotonic ms)
  let nextOperation = 0;
  async function tracked<T>(work: () => Promise<T>): Promise<T> {
    const operation = nextOperation++;
    inFlight.set(operation, monotonic.elapsedMs());
    try {
      return await work();
    } finally {
      inFlight.delete(operation);
    }
  }

  async function concrete(role: DeviceRole, link: DeviceLink): Promise<ConcreteLink | null> {
    switch (link.kind) {
      case 'none':
        return null;
      case 'simulated':
        switch (role) {
          case 'id-reader':
            return { kind: 'serial', path: (await dock.idReader()).devicePath, baudRate: 115200 };
          case 'printer':
            return { kind: 'serial', path: (await dock.printer(width)).devicePath, baudRate: 115200 };
          case 'scanner':
            return { kind: 'serial', path: (await dock.scanner()).devicePath, baudRate: 9600 };
          case 'keypad':
            // The keypad's boot reports over a PTY: the driver reads the serial link as a report stream.
            return { kind: 'serial', path: (await dock.keypad()).devicePath, baudRate: 9600 };
        }
        break;
      case 'serial':
      case 'tcp':
      case 'file':
      case 'hid':
        return link;
    }
  }

  function report(role: DeviceRole, status: DeviceStatus): void {
    log.info({ role, state: status.state, detail: status.detail }, 'device status');
    events.emit({ kind: 'status', role, status });
  }

  function startIdReader(link: ConcreteLink): RoleRuntime {
    const service = new IdCardService({ transport: openLink(link, log), log, ...options.idReaderTiming });
    service.on('status', (status) => {
      report(
        'id-reader',
        status.state === 'no-device' || status.state === 'error'
          ? { state: status.state, detail: status.reason }
          : { state: status.state },
      );
      if (status.state === 'no-device' || status.state === 'error') hooks.cardProblem('reader-unavailable');
    });
    service.on('card-read', (event) => hooks.cardRead(event.card));
    service.on('card-removed', () => hooks.cardRemoved());
    service.on('read-problem', (problem) => hooks.cardProblem(problem.kind));
    service.start();
    return {
      status: () => {
        const s = service.status;
        return s.state === 'no-device' || s.state === 'error'
          ? { state: s.state, detail: s.reason }
          : { state: s.state };
      },
      selfTest: async () => {
        const result = await service.selfTest();
        return result.ok
          ? { ok: true, message: `SAM ${result.value.samId}` }
          : { ok: false, message: result.error.message };
      },
      stop: () => service.stop(),
    };
  }

  async function startPrinter(link: ConcreteLink): Promise<RoleRuntime> {
    const service = new PrinterService({
      connect: () => openLink(link, log, { readable: true }),
      profile: profileForWidth(width),
      log,
      statusAvailable: link.kind !== 'file',
    });
    service.onStateChange((state) => report('printer', printerStatusView(state)));
    await service.start();
    printerService = service;
    return {
      status: () => printerStatusView(service.state),
      selfTest: async () => {
        const result = await service.selfTest({ terminalId: options.config.terminal.id });
        return result.ok
          ? { ok: true, message: `test page printed (${result.value.outcome.bytes} bytes)` }
          : { ok: false, message: result.error.message };
      },
      stop: async () => {
        if (printerService === service) printerService = null;
        await service.stop();
      },
    };
  }

  async function startRole(role: DeviceRole): Promise<Result<void, { message: string }>> {
    // A device that cannot start leaves the kiosk running: the role reports the error instead.
    try {
      const link = await concrete(role, links[role]);
      if (link === null) {
        report(role, { state: 'no-device', detail: 'not configured' });
        return ok();
      }
      switch (role) {
        case 'id-reader':
          roles[role] = startIdReader(link);
          break;
        case 'printer':
          roles[role] = await startPrinter(link);
          break;
        case 'scanner':
          roles[role] = await startScannerRole(link, {
            log,
            onScanned: hooks.scanned,
            onStatus: (status) => report('scanner', status),
          });
          break;
        case 'keypad':
          roles[role] = await startKeypadRole(link, {
            log,
            onKey: hooks.keypadKey,
            onStatus: (status) => report('keypad', status),
          });
          break;
      }
      log.info({ role, link: describeLink(links[role]) }, 'device started');
      return ok();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      report(role, { state: 'error', detail: message });
      return err({ message });
    }
  }

  async function stopRole(role: DeviceRole): Promise<void> {
    const runtime = roles[role];
    delete roles[role];
    await runtime?.stop();
  }

  const printer: ReceiptPrinter = {
    async print(job, { reprint }) {
      const service = printerService;
      if (service === null) return 'no-printer';
      const result = await service.print(job, { reprint });
      return result.ok ? 'printed' : printOutcomeOf(result.error.kind);
    },
  };

  return {
    printer,
    dock,
    subscribe: (listener) => events.subscribe(listener),
    async start() {
      await tracked(() => Promise.all(deviceRoles.map((role) => startRole(role))));
    },
    states() {
      return deviceRoles.map((role) => ({
        role,
        link: links[role],
        status: roles[role]?.status() ?? {
          state: 'no-device',
          detail: links[role].kind === 'none' ? 'not configured' : 'not started',
        },
      }));
    },
    paperWidth: () => width,
    async discover() {
      const found = await listDevices();
      for (const problem of found.problems)
        log.warn({ source: problem.source }, `device discovery: ${problem.message}`);
      // Only what the technician console shows (and the contract names): path and ids.
      return {
        serial: found.serial.map((d) => ({
          path: d.path,
          ...(d.vendorId === undefined ? {} : { vendorId: d.vendorId }),
          ...(d.productId === undefined ? {} : { productId: d.productId }),
          ...(d.manufacturer === undefined ? {} : { manufacturer: d.manufacturer }),
        })),
        hid: found.hid.map((d) => ({
          path: d.path,
          vendorId: d.vendorId,
          productId: d.productId,
          ...(d.product === undefined ? {} : { product: d.product }),
        })),
      };
    },
    async assign(role, link, assignOptions = {}) {
      log.info({ role, from: describeLink(links[role]), to: describeLink(link) }, 'device reassigned');
      return tracked(async () => {
        await stopRole(role);
        links[role] = link;
        if (role === 'printer' && assignOptions.paperWidth !== undefined) width = assignOptions.paperWidth;
        return startRole(role);
      });
    },
    busySince: () => (inFlight.size === 0 ? null : Math.min(...inFlight.values())),
    async selfTest(role) {
      const runtime = roles[role];
      if (runtime === undefined) return err({ kind: 'no-device' });
      const result = await runtime.selfTest();
      log.info({ role, ok: result.ok }, 'device self-test');
      return result.ok ? ok(result.message) : err({ kind: 'self-test-failed', detail: result.message });
    },
    async stop() {
      await Promise.all(deviceRoles.map((role) => stopRole(role)));
      await dock.stop();
    },
  };
}

import type { DeviceLink, KioskConfig } from '../../../kiosk-config/config-schema';
import { IdCardService } from '../../../drivers/id-card/id-card-service';
import type { IdCard } from '../../../drivers/id-card/id-card-text';
import type { Log } from '../../../foundation/log';
import { profileForWidth, type PaperWidth } from '../../../drivers/printer/printer-profiles';
import { PrinterService, type PrinterState } from '../../../drivers/printer/printer-service';
import { err, ok, type Result } from '../../../foundation/result';
import type { CardProblem, DeviceName, PrintOutcome } from '../../api/journey-contract';
import { listDevices } from '../../../drivers/transport/device-discovery';
import type { ReceiptPrinterPort } from '../journey/journey-service';
import type { DiscoveredDevices } from '../staff/device-port';
import { describeLink, openLink, type ConcreteLink } from './device-links';
import type { SimulatorDock } from './simulator-dock';
import { startScannerRole, type RoleRuntime } from './scanner-role';

/**
 * Runs the ID reader, receipt printer and scanner services on their configured links, turns their
 * events into what the journey and the renderer need, and lets a technician move a device to another
 * link (or change the paper width) at run time — no file editing, no restart.
 */
export type DeviceRole = DeviceName;

export interface DeviceHooks {
  cardRead(card: IdCard): void;
  cardRemoved(): void;
  cardProblem(problem: CardProblem): void;
  scanned(text: string): void;
  status(role: DeviceRole, status: { state: string; detail?: string }): void;
}

export interface DeviceState {
  readonly role: DeviceRole;
  readonly link: DeviceLink;
  readonly description: string;
  readonly status: { state: string; detail?: string };
}

export interface DeviceManager {
  start(): Promise<void>;
  states(): DeviceState[];
  /** The printer the journey prints receipts on, or null when none is attached. */
  printer(): ReceiptPrinterPort | null;
  paperWidth(): PaperWidth;
  discover(): Promise<DiscoveredDevices>;
  assign(
    role: DeviceRole,
    link: DeviceLink,
    options?: { paperWidth?: PaperWidth },
  ): Promise<Result<void, { message: string }>>;
  selfTest(role: DeviceRole): Promise<{ ok: boolean; message: string }>;
  /** When the oldest start/assign still in progress began (ms since epoch), or null: a driver open that
   * never returns wedges the manager, and the service watchdog treats that as unhealthy. */
  busySince(): number | null;
  stop(): Promise<void>;
}

function printerStatusView(state: PrinterState): { state: string; detail?: string } {
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

export function createDeviceManager(options: {
  config: KioskConfig;
  dock: SimulatorDock;
  hooks: DeviceHooks;
  log: Log;
}): DeviceManager {
  const { dock, hooks } = options;
  const log = options.log.child({ service: 'devices' });
  const links: Record<DeviceRole, DeviceLink> = {
    'id-reader': options.config.devices.idReader,
    printer: options.config.devices.printer,
    scanner: options.config.devices.scanner,
  };
  let width: PaperWidth = options.config.devices.printerPaperWidth;
  const roles: Partial<Record<DeviceRole, RoleRuntime>> = {};
  let printerService: PrinterService | null = null;
  const inFlight = new Map<number, number>(); // operation → start time
  let nextOperation = 0;
  async function tracked<T>(work: () => Promise<T>): Promise<T> {
    const operation = nextOperation++;
    inFlight.set(operation, Date.now());
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
      case 'simulated': {
        const path =
          role === 'id-reader'
            ? (await dock.idReader()).devicePath
            : role === 'printer'
              ? (await dock.printer(width)).devicePath
              : (await dock.scanner()).devicePath;
        return { kind: 'serial', path, baudRate: role === 'scanner' ? 9600 : 115200 };
      }
      case 'serial':
      case 'tcp':
      case 'file':
      case 'hid':
        return link;
    }
  }

  function report(role: DeviceRole, status: { state: string; detail?: string }): void {
    log.info({ role, state: status.state, detail: status.detail }, 'device status');
    hooks.status(role, status);
  }

  async function startIdReader(link: ConcreteLink): Promise<RoleRuntime> {
    const service = new IdCardService({ transport: openLink(link, log), log });
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
          roles[role] = await startIdReader(link);
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

  return {
    async start() {
      await tracked(() => Promise.all((['id-reader', 'printer', 'scanner'] as const).map((role) => startRole(role))));
    },
    states() {
      return (['id-reader', 'printer', 'scanner'] as const).map((role) => ({
        role,
        link: links[role],
        description: describeLink(links[role]),
        status: roles[role]?.status() ?? {
          state: 'no-device',
          detail: links[role].kind === 'none' ? 'not configured' : 'not started',
        },
      }));
    },
    printer() {
      const service = printerService;
      if (service === null) return null;
      return {
        async print(job, reprint) {
          const result = await service.print(job, { reprint });
          return result.ok ? 'printed' : printOutcomeOf(result.error.kind);
        },
      };
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
      if (runtime === undefined) return { ok: false, message: 'no device assigned' };
      const result = await runtime.selfTest();
      log.info({ role, ok: result.ok }, 'device self-test');
      return result;
    },
    async stop() {
      await Promise.all((['id-reader', 'printer', 'scanner'] as const).map((role) => stopRole(role)));
    },
  };
}

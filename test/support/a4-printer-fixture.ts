import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startIppPrinterSimulator, type IppPrinterSimulator } from '../../drivers/a4-printer/ipp-printer-simulator';
import { startKioskServices, type KioskServices } from '../../electron/services/kiosk-services';
import type { Log } from '../../foundation/log';
import { noDevicesConfig, provisionServices } from './services-fixture';

export interface A4PrinterFixture {
  /** A real IPP printer (ippeveprinter). */
  readonly printer: IppPrinterSimulator;
  /** Provisioned services with no serial devices, in their own data folder. */
  readonly services: KioskServices;
  readonly dataDir: string;
  close(): Promise<void>;
}

/**
 * Kiosk services beside a real IPP printer, for the A4 tests: `attached` configures the printer as
 * the A4 printer, `none` leaves it for the technician to set up.
 */
export async function startA4PrinterFixture(options: {
  readonly a4: 'attached' | 'none';
  readonly log: Log;
}): Promise<A4PrinterFixture> {
  const printer = await startIppPrinterSimulator();
  const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-a4-'));
  const close = async (services?: KioskServices) => {
    await services?.close();
    await printer.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  const started = await startKioskServices({
    config: {
      ...noDevicesConfig,
      devices: {
        ...noDevicesConfig.devices,
        a4Printer: options.a4 === 'attached' ? { kind: 'ipp', uri: printer.uri } : { kind: 'none' },
      },
    },
    dataDir,
    log: options.log,
  });
  if (!started.ok) {
    await close();
    throw new Error(started.error.message);
  }
  const services = started.value;
  await provisionServices(services);
  return { printer, services, dataDir, close: () => close(services) };
}

import { A4PrinterDriver } from '../../../drivers/a4-printer/a4-printer-driver';
import { startIppPrinterSimulator, type IppPrinterSimulator } from '../../../drivers/a4-printer/ipp-printer-simulator';
import type { Log } from '../../../foundation/log';
import { assertNever } from '../../../foundation/result';
import type { A4PrinterLink } from '../../../kiosk-config/config-schema';

/**
 * The configured A4 printer as a driver. The simulated one (ippeveprinter) starts on first use, so
 * a kiosk that never prints a proof never starts it; if it cannot start (cups-ipp-utils missing)
 * the printer is reported as not configured and the reason logged. The technician may move it to
 * another printer at run time (`replace`); the document service asks for the driver at every use.
 */
export interface A4PrinterLinkHandle {
  /** The link in use now. */
  link(): A4PrinterLink;
  driver(): Promise<A4PrinterDriver | null>;
  /** Uses `link` from now on; a simulated printer this handle started is stopped. */
  replace(link: A4PrinterLink): Promise<void>;
  close(): Promise<void>;
}

interface OpenLink {
  driver(): Promise<A4PrinterDriver | null>;
  close(): Promise<void>;
}

function openLink(link: A4PrinterLink, log: Log): OpenLink {
  switch (link.kind) {
    case 'none':
      return { driver: () => Promise.resolve(null), close: () => Promise.resolve() };
    case 'ipp': {
      const driver = new A4PrinterDriver({ uri: link.uri, log });
      return { driver: () => Promise.resolve(driver), close: () => Promise.resolve() };
    }
    case 'simulated': {
      let starting: Promise<{ simulator: IppPrinterSimulator; driver: A4PrinterDriver } | null> | null = null;
      return {
        driver: async () => {
          starting ??= startIppPrinterSimulator().then(
            (simulator) => {
              log.info({ uri: simulator.uri }, 'simulated A4 printer started');
              return { simulator, driver: new A4PrinterDriver({ uri: simulator.uri, log }) };
            },
            (error: unknown) => {
              log.error(
                { reason: error instanceof Error ? error.message : String(error) },
                'simulated A4 printer not started',
              );
              return null;
            },
          );
          return (await starting)?.driver ?? null;
        },
        close: async () => {
          await (await starting)?.simulator.close();
        },
      };
    }
    default:
      return assertNever(link);
  }
}

export function openA4PrinterLink(link: A4PrinterLink, log: Log): A4PrinterLinkHandle {
  let current = { link, open: openLink(link, log) };
  return {
    link: () => current.link,
    driver: () => current.open.driver(),
    async replace(next) {
      const previous = current.open;
      current = { link: next, open: openLink(next, log) };
      await previous.close();
    },
    close: () => current.open.close(),
  };
}

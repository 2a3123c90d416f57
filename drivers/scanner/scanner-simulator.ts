import iconv from 'iconv-lite';
import type { Log } from '../../foundation/log';
import { silentLog } from '../../foundation/log';
import { openPtyPair, type PtyPairOptions } from '../simulators/pty';
import { SerialTransport } from '../transport/serial-transport';

/**
 * A serial barcode/QR scanner on a pseudo-terminal: the kiosk opens `devicePath` like a USB-CDC
 * scanner; scan(text) sends the code with a CRLF suffix, as scanners do by default.
 */
export interface ScannerSimulatorOptions {
  readonly pty?: PtyPairOptions;
  readonly baudRate?: number;
  readonly log?: Log;
}

export interface ScanOptions {
  /** Older Chinese scanners send GB codes; default UTF-8. */
  readonly encoding?: 'utf-8' | 'gbk';
  /** Default CRLF; '' relies on the kiosk's inter-byte timeout. */
  readonly suffix?: '\r\n' | '\r' | '\n' | '';
}

export interface ScannerSimulator {
  readonly devicePath: string;
  /** Queues one scan; resolves true once written, false when unplugged (callers may ignore it). */
  scan(text: string, options?: ScanOptions): Promise<boolean>;
  unplug(): Promise<void>;
  replug(): Promise<void>;
  stop(): Promise<void>;
}

export function scanBytes(text: string, options: ScanOptions = {}): Uint8Array {
  const body = options.encoding === 'gbk' ? iconv.encode(text, 'gbk') : Buffer.from(text, 'utf8');
  return Buffer.concat([body, Buffer.from(options.suffix ?? '\r\n', 'latin1')]);
}

export async function startScannerSimulator(options: ScannerSimulatorOptions = {}): Promise<ScannerSimulator> {
  const log = (options.log ?? silentLog).child({ simulator: 'scanner' });
  const pty = await openPtyPair(options.pty);
  const transport = new SerialTransport({ path: pty.simulatorPath, baudRate: options.baudRate ?? 9600, log });
  const opened = await transport.open();
  if (!opened.ok) {
    await pty.close();
    throw new Error(`scanner simulator cannot open its PTY end: ${opened.error.message}`);
  }
  // Scans go out in order even when callers do not wait for each other.
  let queue: Promise<boolean> = Promise.resolve(true);
  log.info({ devicePath: pty.devicePath }, 'scanner simulator ready');

  return {
    devicePath: pty.devicePath,
    scan(text, scanOptions) {
      const bytes = scanBytes(text, scanOptions);
      queue = queue.then(async () => {
        const written = await transport.write(bytes);
        // Scanning while unplugged goes nowhere, as with a real scanner.
        if (written.ok) log.info({ length: text.length }, 'code scanned');
        else log.warn({ kind: written.error.kind }, 'scan not delivered: scanner unplugged');
        return written.ok;
      });
      return queue;
    },
    async unplug() {
      await pty.unplug();
      await transport.close();
      log.info({}, 'scanner unplugged');
    },
    async replug() {
      await pty.replug();
      const again = await transport.open();
      if (!again.ok) throw new Error(`scanner simulator cannot reopen its PTY end: ${again.error.message}`);
      log.info({}, 'scanner plugged back');
    },
    async stop() {
      await queue;
      await transport.close();
      await pty.close();
      log.info({}, 'scanner simulator stopped');
    },
  };
}

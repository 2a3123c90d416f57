import { createServer, type Server, type Socket } from 'node:net';
import type { Log } from '../../foundation/log';
import { silentLog } from '../../foundation/log';
import { openPtyPair, type PtyPair } from '../simulators/pty';
import { SerialTransport } from '../transport/serial-transport';
import { profileForWidth, type PaperWidth } from './printer-profiles';
import { SimulatedPrinter, type PrintedReceipt, type SimulatedPrinterState } from './simulated-printer';

/**
 * A receipt printer you can plug in without hardware: the simulated printer on the far end of a
 * PTY pair (the kiosk opens `devicePath` like a USB-serial printer) or on a loopback TCP port (like
 * a network printer on 9100). Tests and `kiosk simulate printer` use it.
 */
export interface PrinterSimulatorOptions {
  readonly width?: PaperWidth;
  /** Listen on loopback TCP instead of a PTY; port 0 (default) picks a free one. */
  readonly tcp?: boolean | { readonly port?: number };
  readonly log?: Log;
}

export interface PrinterSimulator {
  /** PTY path to open as the printer, or `127.0.0.1:PORT` in TCP mode. */
  readonly devicePath: string;
  readonly tcp: { readonly host: string; readonly port: number } | null;
  setState(patch: Partial<SimulatedPrinterState>): void;
  state(): SimulatedPrinterState;
  receipts(): readonly PrintedReceipt[];
  onReceipt(listener: (receipt: PrintedReceipt) => void): () => void;
  unplug(): Promise<void>;
  replug(): Promise<void>;
  stop(): Promise<void>;
}

export async function startPrinterSimulator(options: PrinterSimulatorOptions = {}): Promise<PrinterSimulator> {
  const log = (options.log ?? silentLog).child({ simulator: 'printer' });
  const profile = profileForWidth(options.width ?? 80);
  if (options.tcp !== undefined && options.tcp !== false) {
    return startTcp(profile, options.tcp === true ? 0 : (options.tcp.port ?? 0), log);
  }
  return startPty(profile, log);
}

function common(printer: SimulatedPrinter) {
  return {
    setState: (patch: Partial<SimulatedPrinterState>) => printer.setState(patch),
    state: () => printer.state(),
    receipts: () => printer.receipts(),
    onReceipt: (listener: (receipt: PrintedReceipt) => void) => printer.onReceipt(listener),
  };
}

async function startPty(profile: ReturnType<typeof profileForWidth>, log: Log): Promise<PrinterSimulator> {
  const pair: PtyPair = await openPtyPair();
  let port: SerialTransport | null = null;
  const printer = new SimulatedPrinter(profile, (bytes) => void port?.write(bytes), log);
  const attach = async () => {
    const transport = new SerialTransport({ path: pair.simulatorPath, baudRate: 115200 });
    transport.onData((chunk) => printer.receive(chunk));
    const opened = await transport.open();
    if (!opened.ok) throw new Error(`printer simulator cannot open its PTY end: ${opened.error.message}`);
    port = transport;
  };
  const detach = async () => {
    const p = port;
    port = null;
    if (p !== null) await p.close();
  };
  await attach();
  log.info({ devicePath: pair.devicePath, width: profile.paperWidth }, 'printer simulator ready');
  return {
    devicePath: pair.devicePath,
    tcp: null,
    ...common(printer),
    async unplug() {
      await pair.unplug();
      await detach();
      log.info({}, 'printer simulator unplugged');
    },
    async replug() {
      if (pair.plugged) return;
      await pair.replug();
      await attach();
      log.info({}, 'printer simulator plugged back in');
    },
    async stop() {
      await detach();
      await pair.close();
    },
  };
}

async function startTcp(
  profile: ReturnType<typeof profileForWidth>,
  requestedPort: number,
  log: Log,
): Promise<PrinterSimulator> {
  const host = '127.0.0.1';
  const sockets = new Set<Socket>();
  const printer = new SimulatedPrinter(
    profile,
    (bytes) => {
      for (const s of sockets) s.write(bytes);
    },
    log,
  );
  let server: Server | null = null;
  const listen = (port: number) =>
    new Promise<Server>((resolve, reject) => {
      const s = createServer((socket) => {
        sockets.add(socket);
        socket.on('data', (chunk: Buffer) => printer.receive(chunk));
        socket.on('error', () => {}); // the kiosk hanging up is not our failure
        socket.on('close', () => sockets.delete(socket));
      });
      s.once('error', reject);
      s.listen(port, host, () => resolve(s));
    });
  const close = async () => {
    const s = server;
    server = null;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    if (s !== null) await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  server = await listen(requestedPort);
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : requestedPort;
  log.info({ host, port, width: profile.paperWidth }, 'printer simulator listening');
  return {
    devicePath: `${host}:${port}`,
    tcp: { host, port },
    ...common(printer),
    async unplug() {
      await close();
    },
    async replug() {
      if (server === null) server = await listen(port);
    },
    async stop() {
      await close();
    },
  };
}

import { createServer, Socket, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TcpTransport } from '../../drivers/transport/tcp-transport';
import type { TransportError } from '../../drivers/transport/transport';
import { until } from '../support/until';

let server: Server | null = null;
const peers: Socket[] = [];
afterEach(async () => {
  for (const p of peers.splice(0)) p.destroy();
  await new Promise<void>((resolve) => (server === null ? resolve() : server.close(() => resolve())));
  server = null;
});

/** A loopback "printer": records what it receives, lets the test answer and hang up. */
async function printer(): Promise<{ port: number; received: () => Buffer; peer: () => Socket | undefined }> {
  const chunks: Buffer[] = [];
  server = createServer((socket) => {
    peers.push(socket);
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { port: address.port, received: () => Buffer.concat(chunks), peer: () => peers[0] };
}

describe('TcpTransport', () => {
  it('writes to and reads from a loopback printer, then closes cleanly', async () => {
    const p = await printer();
    const t = new TcpTransport({ host: '127.0.0.1', port: p.port });
    expect(t.description).toBe(`tcp:127.0.0.1:${p.port}`);
    expect((await t.open()).ok).toBe(true);
    const got: number[] = [];
    t.onData((c) => got.push(...c));
    expect((await t.write(Uint8Array.of(0x1b, 0x40, 0x10, 0x04, 0x01))).ok).toBe(true);
    await until(() => p.received().length === 5);
    expect([...p.received()]).toEqual([0x1b, 0x40, 0x10, 0x04, 0x01]);
    p.peer()?.write(Uint8Array.of(0x16));
    await until(() => got.length === 1);
    expect(got).toEqual([0x16]);
    const closes: (TransportError | undefined)[] = [];
    t.onClose((e) => closes.push(e));
    await t.close();
    expect(closes).toEqual([undefined]);
    expect(t.isOpen).toBe(false);
  });

  it('reports the printer hanging up as disconnected', async () => {
    const p = await printer();
    const t = new TcpTransport({ host: '127.0.0.1', port: p.port });
    expect((await t.open()).ok).toBe(true);
    const closes: (TransportError | undefined)[] = [];
    t.onClose((e) => closes.push(e));
    await until(() => p.peer() !== undefined);
    p.peer()?.destroy();
    await until(() => closes.length === 1);
    expect(closes[0]?.kind).toBe('disconnected');
    const w = await t.write(Uint8Array.of(1));
    expect(w.ok ? 'ok' : w.error.kind).toBe('disconnected');
  });

  it('maps a refused connection to not-found', async () => {
    const p = await printer();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    server = null;
    const r = await new TcpTransport({ host: '127.0.0.1', port: p.port }).open();
    expect(r.ok ? 'ok' : r.error.kind).toBe('not-found');
  });

  it('gives up with timeout when the connect never completes', async () => {
    // A socket whose connect goes nowhere, like a SYN to a powered-off printer.
    const silent = new Socket();
    let destroyed = false;
    silent.connect = () => silent;
    silent.destroy = () => {
      destroyed = true;
      return silent;
    };
    const started = Date.now();
    const r = await new TcpTransport({ host: '192.0.2.1', connectTimeoutMs: 100, createSocket: () => silent }).open();
    expect(r.ok ? 'ok' : r.error.kind).toBe('timeout');
    expect(destroyed).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  });
});

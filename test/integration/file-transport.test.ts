import { execFileSync } from 'node:child_process';
import { constants } from 'node:fs';
import { mkdtemp, open, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileTransport } from '../../drivers/transport/file-transport';
import type { TransportError } from '../../drivers/transport/transport';
import { until } from '../support/until';

let dir = '';
const toClose: FileTransport[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'file-transport-'));
});
afterEach(async () => {
  for (const t of toClose.splice(0)) await t.close();
  await rm(dir, { recursive: true, force: true });
});

function transport(path: string, readable = false): FileTransport {
  const t = new FileTransport({ path, readable, idleReadMs: 10 });
  toClose.push(t);
  return t;
}

describe('FileTransport', () => {
  it('writes bytes to an existing device file', async () => {
    const path = join(dir, 'lp0');
    await writeFile(path, '');
    const t = transport(path);
    expect((await t.open()).ok).toBe(true);
    expect((await t.write(Uint8Array.of(0x1b, 0x40, 0xb2, 0xe2))).ok).toBe(true);
    expect((await t.write(Buffer.from('ok\n'))).ok).toBe(true);
    expect([...(await readFile(path))]).toEqual([0x1b, 0x40, 0xb2, 0xe2, ...Buffer.from('ok\n')]);
  });

  it('reports a missing file as not-found and does not create it', async () => {
    const path = join(dir, 'lp9');
    const r = await transport(path).open();
    expect(r.ok ? 'ok' : r.error.kind).toBe('not-found');
    await expect(readFile(path)).rejects.toThrow(/ENOENT/);
  });

  it('closes with disconnected when the device file disappears', async () => {
    const path = join(dir, 'lp0');
    await writeFile(path, '');
    const t = transport(path);
    expect((await t.open()).ok).toBe(true);
    const closes: (TransportError | undefined)[] = [];
    t.onClose((e) => closes.push(e));
    await unlink(path);
    await until(() => closes.length === 1);
    expect(closes[0]?.kind).toBe('disconnected');
    expect(t.isOpen).toBe(false);
  });

  it('reads what a bidirectional device sends back (FIFO)', async () => {
    const path = join(dir, 'fifo');
    execFileSync('mkfifo', [path]);
    // Hold the other end open read-write so neither side's open blocks or sees EOF.
    const peer = await open(path, constants.O_RDWR | constants.O_NONBLOCK);
    try {
      const t = transport(path, true);
      expect((await t.open()).ok).toBe(true);
      const got: number[] = [];
      t.onData((c) => got.push(...c));
      await peer.write(Uint8Array.of(0x12, 0x16));
      await until(() => got.length === 2);
      expect(got).toEqual([0x12, 0x16]);
      const closes: (TransportError | undefined)[] = [];
      t.onClose((e) => closes.push(e));
      await t.close();
      expect(closes).toEqual([undefined]);
    } finally {
      await peer.close();
    }
  });
});

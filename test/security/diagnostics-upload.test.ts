/**
 * A terminal uploads its diagnostic bundle when the county's fleet console asks it to. Attacker: an
 * unsigned caller, a terminal writing under another terminal's id, an oversized body, and a bundle
 * that carries an ID number. The platform keeps the last bundles per terminal, sealed on disk.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../platform/contract/http-signature';
import { maxDiagnosticsBytes } from '../../platform/contract/api-schemas';
import { addHallAccount, HallClient } from '../support/hall-client';
import { sha256Hex, startPlatformFixture, type PlatformFixture } from '../support/platform-fixture';

let fx: PlatformFixture;
beforeAll(async () => {
  fx = await startPlatformFixture();
});
afterAll(async () => {
  await fx.close();
});

const bundle = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ kind: 'village-kiosk diagnostics', marker: 'diag-marker-7f3a', ...extra });

async function put(terminalId: string, body: Buffer, signed = true): Promise<number> {
  const url = `${fx.platform.url}/v1/terminals/${terminalId}/diagnostics`;
  const headers = signed
    ? signRequest({ method: 'PUT', url, body }, { keyId: fx.terminalId, privateKey: fx.keys.privateKey })
    : {};
  const response = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...headers },
    body: new Uint8Array(body),
  });
  await response.arrayBuffer();
  return response.status;
}

describe('diagnostics upload', () => {
  it('stores a signed bundle of the terminal itself, sealed on disk', async () => {
    const uploaded = await fx.client.uploadDiagnostics(bundle());
    expect(uploaded.ok && uploaded.value.size).toBe(bundle().length);
    const files = readdirSync(fx.dataDir).filter((f) => f.startsWith('platform.sqlite'));
    for (const file of files) expect(readFileSync(join(fx.dataDir, file)).includes('diag-marker-7f3a')).toBe(false);
  });

  it('refuses unsigned uploads and uploads under another terminal', async () => {
    expect(await put(fx.terminalId, Buffer.from(bundle()), false)).toBe(401);
    expect(await put('QS-LX-0002', Buffer.from(bundle()))).toBe(403);
  });

  it('refuses bodies over the limit, bodies that are not a bundle, and bundles with an ID number', async () => {
    expect(await put(fx.terminalId, Buffer.from(bundle({ pad: 'x'.repeat(maxDiagnosticsBytes) })))).toBe(413);
    expect(await put(fx.terminalId, Buffer.from('{"kind":"something else"}'))).toBe(422);
    expect(await put(fx.terminalId, Buffer.from(bundle({ note: 'card 110105194912310021 failed' })))).toBe(422);
    const refused = await fx.client.uploadDiagnostics(bundle({ phone: '13800138000' }));
    expect(!refused.ok && refused.error.kind).toBe('final');
  });

  // Fails when the download is opened to officers (not admins) or its audit entry is dropped.
  it('lets a hall admin download a stored bundle from the terminals page, audited; officers may not', async () => {
    const stored = bundle({ marker: 'diag-download-91c2' });
    expect((await fx.client.uploadDiagnostics(stored)).ok).toBe(true);
    const path = `/hall/admin/terminals/${fx.terminalId}/diagnostics/${sha256Hex(Buffer.from(stored))}`;
    await addHallAccount(fx.dataDir, 'qian.admin', 'admin');
    await addHallAccount(fx.dataDir, 'sun.officer', 'officer');
    const officer = new HallClient(fx.platform.url);
    expect(await officer.signIn('sun.officer')).toBe(303);
    expect((await officer.getBytes(path)).response.status).toBe(403);
    const stranger = new HallClient(fx.platform.url);
    expect((await stranger.getBytes(path)).response.status).toBe(303);

    const admin = new HallClient(fx.platform.url);
    expect(await admin.signIn('qian.admin')).toBe(303);
    expect((await admin.get('/hall/admin/terminals')).body).toContain(path);
    const download = await admin.getBytes(path);
    expect(download.response.status).toBe(200);
    expect(download.response.headers.get('content-disposition')).toMatch(/^attachment; filename="diagnostics-/);
    expect(download.bytes.toString()).toBe(stored);
    expect((await admin.getBytes(`${path.slice(0, -4)}0000`)).response.status).toBe(404);
    const audit = (await admin.get(`/hall/admin/audit`)).body;
    expect(audit).toContain('下载终端诊断包');
    expect(audit).toContain('qian.admin');
  });
});

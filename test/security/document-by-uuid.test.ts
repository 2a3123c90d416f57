/**
 * Attacker: holds a receipt (or a photo of one), so knows the application UUID in its QR code and
 * can guess the document address. The UUID reaches nothing by itself; a signed-in officer gets the
 * document uncached, and the audit log says who looked at which case, when.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReceiptPayload } from '../../platform/contract/receipt-payload';
import { HallClient } from '../support/hall-client';
import { startHallFixture, type HallFixture } from '../support/hall-fixture';
import { sha256Hex } from '../support/platform-fixture';

let h: HallFixture;
beforeAll(async () => {
  h = await startHallFixture();
});
afterAll(async () => {
  await h.close();
});

describe('a document by its application UUID', () => {
  it('gives the photo to nobody who merely holds the receipt', async () => {
    const parsed = parseReceiptPayload(h.payload);
    const uuid = parsed.ok ? parsed.value.contents.applicationId : '';
    expect(uuid).toBe(h.submission.id);
    const path = `/hall/applications/${uuid}/documents/${sha256Hex(h.docs.face)}`;
    const response = await fetch(`${h.fx.platform.url}${path}`, { redirect: 'manual' });
    expect(response.status).toBe(303);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.includes(h.docs.face)).toBe(false);
    // Nor through the terminals' API: that needs a terminal's signature.
    const api = await fetch(`${h.fx.platform.url}/v1/applications/${uuid}`);
    expect(api.status).toBe(401);
  });

  it('serves it to a signed-in officer, never cached, and records who looked', async () => {
    const officer = new HallClient(h.fx.platform.url);
    expect(await officer.signIn('li.na')).toBe(303);
    await officer.get(`/hall/applications/${h.submission.id}`);
    const doc = await officer.getBytes(`/hall/applications/${h.submission.id}/documents/${sha256Hex(h.docs.face)}`);
    expect(doc.response.status).toBe(200);
    expect(doc.response.headers.get('cache-control')).toBe('no-store');
    expect(doc.bytes.equals(h.docs.face)).toBe(true);

    const admin = new HallClient(h.fx.platform.url);
    expect(await admin.signIn('zhao.admin')).toBe(303);
    const audit = await admin.get(`/hall/admin/audit?case=${h.caseNumber}`);
    expect(audit.response.status).toBe(200);
    const rows = [
      ...audit.body.matchAll(/<tr><td>[^<]*<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td>/g),
    ].map((m) => [m[1], m[2], m[3]]);
    expect(rows).toContainEqual(['li.na', '查看材料', h.caseNumber]);
    expect(rows).toContainEqual(['li.na', '查看申报', h.caseNumber]);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordingLog } from '../../drivers/log';
import { embeddedCatalogue } from '../../kiosk-config/catalogue';
import { connectToEmbeddedPlatform } from '../../electron/services/platform-client/embedded-enrolment';
import { loadTerminalKeys } from '../../electron/services/platform-client/identity-store';
import { startPlatform } from '../../platform/server/start-platform';

const root = mkdtempSync(join(tmpdir(), 'vk-embedded-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('embedded default setup', () => {
  it('enrols the terminal automatically on every start, keeping its key across restarts', async () => {
    const fingerprints: string[] = [];
    for (let start = 0; start < 2; start++) {
      const platform = await startPlatform({ port: 0, dataDir: join(root, 'platform'), catalog: embeddedCatalogue, log: recordingLog() });
      try {
        const connected = await connectToEmbeddedPlatform(platform, { terminalId: 'QS-LX-0001', dataDir: join(root, 'kiosk'), log: recordingLog() });
        expect(connected.ok).toBe(true);
        if (!connected.ok) return;
        fingerprints.push(connected.value.fingerprint);
        const catalog = await connected.value.client.fetchCatalog(null);
        expect(catalog.ok && !catalog.value.notModified).toBe(true);
      } finally {
        await platform.close();
      }
    }
    expect(fingerprints[0]).toBe(fingerprints[1]);
    const keys = loadTerminalKeys(join(root, 'kiosk'));
    expect(keys.ok && keys.value.fingerprint).toBe(fingerprints[0]);
  });
});

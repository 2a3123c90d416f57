import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flipFuses, FuseV1Options, FuseVersion, getCurrentFuseWire } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../build-deb';

/**
 * The Electron variant's fuses, as electron-builder.json sets them (electron-builder applies them
 * with @electron/fuses when it packs). Checked by flipping a fuse wire laid out as in an Electron
 * binary — sentinel, wire version, length, one byte per fuse — with Electron's own defaults.
 */
const config = JSON.parse(readFileSync(join(projectRoot, 'electron-builder.json'), 'utf8')) as {
  electronFuses: Record<string, boolean>;
  asar: boolean;
};
const names: Record<string, FuseV1Options> = {
  runAsNode: FuseV1Options.RunAsNode,
  enableCookieEncryption: FuseV1Options.EnableCookieEncryption,
  enableNodeOptionsEnvironmentVariable: FuseV1Options.EnableNodeOptionsEnvironmentVariable,
  enableNodeCliInspectArguments: FuseV1Options.EnableNodeCliInspectArguments,
  enableEmbeddedAsarIntegrityValidation: FuseV1Options.EnableEmbeddedAsarIntegrityValidation,
  onlyLoadAppFromAsar: FuseV1Options.OnlyLoadAppFromAsar,
  loadBrowserProcessSpecificV8Snapshot: FuseV1Options.LoadBrowserProcessSpecificV8Snapshot,
  grantFileProtocolExtraPrivileges: FuseV1Options.GrantFileProtocolExtraPrivileges,
};

function fakeElectronBinary(path: string): void {
  // Electron's defaults: RunAsNode, NODE_OPTIONS, --inspect and file:// privileges on; the rest off.
  const defaults = '10110001';
  writeFileSync(
    path,
    Buffer.concat([
      Buffer.alloc(64, 0x7f),
      Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'),
      Buffer.from([1, 8]),
      Buffer.from(defaults),
      Buffer.alloc(64, 0x7f),
    ]),
  );
}

describe('the Electron variant fuses', () => {
  it('turn off running as Node, NODE_OPTIONS and --inspect, and turn on cookie encryption and asar-only loading', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-fuses-'));
    try {
      const binary = join(dir, 'village-kiosk');
      fakeElectronBinary(binary);
      const wire: Partial<Record<FuseV1Options, boolean>> = {};
      for (const [key, value] of Object.entries(config.electronFuses)) {
        const index = names[key];
        if (index === undefined) throw new Error(`unknown fuse ${key}`);
        wire[index] = value;
      }
      await flipFuses(binary, { version: FuseVersion.V1, ...wire });
      const state = await getCurrentFuseWire(binary);
      const on = (fuse: FuseV1Options) => Number(state[fuse]) === 49; // '1'
      expect(on(FuseV1Options.RunAsNode)).toBe(false);
      expect(on(FuseV1Options.EnableNodeOptionsEnvironmentVariable)).toBe(false);
      expect(on(FuseV1Options.EnableNodeCliInspectArguments)).toBe(false);
      expect(on(FuseV1Options.EnableCookieEncryption)).toBe(true);
      expect(on(FuseV1Options.OnlyLoadAppFromAsar)).toBe(true);
      expect(on(FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe(true);
      expect(config.asar).toBe(true); // asar-only loading needs the app in an asar
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

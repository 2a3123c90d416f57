import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { arphicLicenceAsset, copyrightFile, licenceBody } from './copyright';

describe("the package's copyright file", () => {
  const dirs: string[] = [];
  const renderer = (withHandwriting: boolean) => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-copyright-'));
    dirs.push(dir);
    if (withHandwriting) {
      mkdirSync(dirname(join(dir, arphicLicenceAsset)), { recursive: true });
      writeFileSync(join(dir, arphicLicenceAsset), 'ARPHIC PUBLIC LICENSE\r\n\r\nCopyright (C) 1999 Arphic\r\n');
    }
    return dir;
  };
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('carries the Arphic Public License in full when the handwriting templates ship', () => {
    const text = copyrightFile({ installRoot: '/usr/lib/village-kiosk', rendererDir: renderer(true) });
    expect(text).toContain(
      'Files: usr/lib/village-kiosk/app/dist/renderer/assets/handwriting-templates-*\nCopyright: 1999 Arphic',
    );
    expect(text).toContain('License: Arphic-1999\n ARPHIC PUBLIC LICENSE\n .\n Copyright (C) 1999 Arphic\n');
    expect(text).toContain('Files: usr/lib/village-kiosk/node/*');
  });

  it('names no Arphic files when the renderer ships no handwriting templates', () => {
    expect(copyrightFile({ installRoot: '/usr/lib/village-kiosk', rendererDir: renderer(false) })).not.toContain(
      'Arphic',
    );
  });

  it('writes a licence as a paragraph body: indented lines, blank lines as " ."', () => {
    expect(licenceBody('A\n\n  B  \n')).toBe(' A\n .\n   B');
  });
});

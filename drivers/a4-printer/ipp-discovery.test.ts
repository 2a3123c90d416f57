import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverIppPrinters, parseIppfindLines } from './ipp-discovery';

const dir = mkdtempSync(join(tmpdir(), 'kiosk-ippfind-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in for ippfind that records its arguments and answers as told. */
function fakeIppfind(name: string, script: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\nprintf '%s\\n' "$@" > '${path}.args'\n${script}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe('IPP printer discovery (ippfind)', () => {
  it('lists each IPP printer once, by URI and DNS-SD name, and nothing that is not IPP', () => {
    const output = [
      'ipp://hp-m404.local.:631/ipp/print\tHP LaserJet M404 [1A2B3C]',
      'ipps://hp-m404.local.:443/ipp/print\tHP LaserJet M404 [1A2B3C]',
      'ipp://hp-m404.local.:631/ipp/print\tHP LaserJet M404 [1A2B3C]',
      'http://router.local./\tRouter',
      'ipp://bad uri/\tSpaces',
      '',
    ].join('\n');
    expect(parseIppfindLines(output)).toEqual([
      { uri: 'ipp://hp-m404.local.:631/ipp/print', name: 'HP LaserJet M404 [1A2B3C]' },
      { uri: 'ipps://hp-m404.local.:443/ipp/print', name: 'HP LaserJet M404 [1A2B3C]' },
    ]);
    expect(parseIppfindLines('ipp://a/1\nipp://b/2\nipp://c/3', 2)).toHaveLength(2);
  });

  it('runs ippfind on both IPP service types without a shell and reads what it found', async () => {
    const binary = fakeIppfind('found', `printf 'ipp://a4.local.:631/ipp/print\\tOffice A4\\n'`);
    expect(await discoverIppPrinters({ binary, seconds: 1 })).toEqual({
      kind: 'found',
      printers: [{ uri: 'ipp://a4.local.:631/ipp/print', name: 'Office A4' }],
    });
    const args = readFileSync(`${binary}.args`, 'utf8').split('\n');
    expect(args.slice(0, 4)).toEqual(['-T', '1', '_ipp._tcp', '_ipps._tcp']);
    expect(args).toContain('{service_uri}');
  });

  it('tells "nothing found" from "cannot search" (no Avahi, no ippfind)', async () => {
    expect(await discoverIppPrinters({ binary: fakeIppfind('none', 'exit 1'), seconds: 1 })).toEqual({
      kind: 'found',
      printers: [],
    });
    expect(
      await discoverIppPrinters({
        binary: fakeIppfind('no-avahi', `echo 'ippfind: Unable to use Bonjour: Daemon not running' >&2; exit 2`),
        seconds: 1,
      }),
    ).toEqual({ kind: 'unavailable', reason: 'ippfind: Unable to use Bonjour: Daemon not running' });
    expect(await discoverIppPrinters({ binary: join(dir, 'missing'), seconds: 1 })).toEqual({
      kind: 'unavailable',
      reason: 'ippfind is not installed',
    });
  });
});

import { readFileSync } from 'node:fs';

/**
 * The kiosk's version, reported in health checks and heartbeats. Read at run time from the
 * package.json two folders up — the same file from the sources (electron/services/) and from the
 * bundles (dist/node/, dist/electron/) — so the Debian package's build stamps the version it
 * releases into the installed app's package.json and the running kiosk reports exactly that.
 */
function readVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  const version = (JSON.parse(text) as { version?: unknown }).version;
  if (typeof version !== 'string' || version === '') throw new Error('package.json has no version');
  return version;
}

export const kioskVersion: string = readVersion();

import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { destroyFile } from '../../../foundation/destroy-file';
import { err, ok, type Result } from '../../../foundation/result';

/**
 * Decommissioning (`kiosk wipe`): everything in the kiosk's data folder is destroyed so that nothing
 * can be read back. The keys go first — the data key (file, systemd credential or safeStorage-wrapped),
 * the terminal's sealed Ed25519 key, the launch code and the broker credentials in the
 * enrolment record — so an interrupted wipe already leaves the encrypted fields unreadable. Every
 * file is overwritten with random bytes and synced before it is unlinked (on flash storage a worn-out
 * block may keep an old copy: the destroyed keys are what makes the encrypted data unrecoverable
 * there; docs/deploy.md says to retire the card as well). The folder itself stays, empty.
 */
export interface WipeReport {
  readonly files: number;
  readonly bytes: number;
}

export interface WipeFailure {
  readonly kind: 'not-a-data-folder' | 'io';
  readonly message: string;
}

/** What marks a kiosk data folder: a wipe elsewhere (`--data /`) is refused. */
const markers = ['kiosk.sqlite', 'data.key', 'data.key.cred', 'data-key.safe-storage', 'identity', 'site-config.json'];

/** Secrets, destroyed before anything else. */
const secret = /(\.key|\.pem|\.sealed|\.cred|\.safe-storage|launch-code|enrolment\.json)$/;

/** The order files are destroyed in: the secrets first, so a wipe cut short leaves the rest unreadable. */
export function inWipeOrder(files: readonly string[]): string[] {
  return [...files.filter((f) => secret.test(f)), ...files.filter((f) => !secret.test(f))];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return entry.isFile() ? [path] : [];
  });
}

export function isKioskDataFolder(dataDir: string): boolean {
  return markers.some((name) => existsSync(join(dataDir, name)));
}

export function wipeDataFolder(dataDir: string): Result<WipeReport, WipeFailure> {
  if (!isKioskDataFolder(dataDir))
    return err({
      kind: 'not-a-data-folder',
      message: `${dataDir} holds no kiosk data (no ${markers.join(', ')}): nothing wiped`,
    });
  let current = dataDir;
  try {
    const files = filesUnder(dataDir);
    let bytes = 0;
    for (const file of inWipeOrder(files)) {
      current = file;
      bytes += destroyFile(file);
    }
    for (const entry of readdirSync(dataDir)) {
      current = join(dataDir, entry);
      rmSync(current, { recursive: true, force: true });
    }
    return ok({ files: files.length, bytes });
  } catch (cause) {
    return err({
      kind: 'io',
      message: `${current}: ${(cause as NodeJS.ErrnoException).code ?? (cause instanceof Error ? cause.message : 'error')}`,
    });
  }
}

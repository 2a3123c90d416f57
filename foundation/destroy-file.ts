import { randomFillSync } from 'node:crypto';
import { closeSync, fsyncSync, lstatSync, openSync, rmSync, writeSync } from 'node:fs';

/**
 * Destroys a file that held a secret or personal data: overwritten in place with random bytes and
 * synced before it is unlinked, so the blocks it occupied do not keep the old content (`kiosk wipe`,
 * and a plain key once its sealed or wrapped copy exists).
 */
const chunk = 1 << 20;

/** Overwrites the file with random bytes and syncs it; answers its size. */
function overwrite(path: string): number {
  const size = lstatSync(path).size;
  const fd = openSync(path, 'r+');
  try {
    const noise = Buffer.alloc(Math.min(chunk, Math.max(size, 1)));
    for (let at = 0; at < size; at += noise.length) {
      randomFillSync(noise);
      writeSync(fd, noise, 0, Math.min(noise.length, size - at), at);
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return size;
}

/** Overwrites a file with random bytes, syncs and deletes it (a key must not outlive its use); answers its size. */
export function destroyFile(path: string): number {
  const size = overwrite(path);
  rmSync(path, { force: true });
  return size;
}

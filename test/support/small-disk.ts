import { execFileSync } from 'node:child_process';
import { closeSync, fstatSync, ftruncateSync, mkdirSync, openSync, statfsSync, writeSync } from 'node:fs';

/**
 * A filesystem of its own for a kiosk's data folder (tmpfs with a size limit), which a test fills the
 * way a runaway file fills a terminal's disk. Mounting needs root; callers skip, saying so, without it.
 */
export const canMountSmallDisk = process.getuid?.() === 0;
const MB = 1024 * 1024;

/** Mounts a tmpfs of `megabytes` at `path` (made if absent); the returned function unmounts it. */
export function mountSmallDisk(path: string, megabytes: number): () => void {
  mkdirSync(path, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m,mode=0700`, 'tmpfs', path]);
  return () => {
    execFileSync('umount', ['--lazy', path]);
  };
}

export function freeBytes(dir: string): number {
  const stats = statfsSync(dir);
  return stats.bavail * stats.bsize;
}

/** Appends to `path` until the filesystem answers ENOSPC. */
export function fillUp(path: string): void {
  const fd = openSync(path, 'a');
  try {
    for (const size of [MB, 64 * 1024, 4096, 512, 1]) {
      const chunk = Buffer.alloc(size, 0x5a);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (cause) {
        if ((cause as NodeJS.ErrnoException).code !== 'ENOSPC') throw cause;
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** Gives back `bytes` of a filler file, so the filesystem has about that much free. */
export function giveBack(path: string, bytes: number): void {
  const fd = openSync(path, 'r+');
  try {
    ftruncateSync(fd, Math.max(0, fstatSync(fd).size - bytes));
  } finally {
    closeSync(fd);
  }
}

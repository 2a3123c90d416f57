import { closeSync, fsyncSync, openSync, rmSync, statfsSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Timers } from '../../../foundation/clock';
import type { Log } from '../../../foundation/log';

/**
 * Free space in the data folder, watched so the terminal refuses a new application before a full disk
 * could lose one (docs/storage.md). Below `refuseBelowBytes` new applications are refused; everything
 * already saved keeps being sent. A reserve file holds back a few megabytes: when the disk is (nearly)
 * full it is deleted, so the outbox can still record what it sent and SQLite's WAL can still commit; it is
 * made again when space returns, and only then are applications taken again — no restart.
 */
export interface StorageState {
  /** False: new applications are refused (the resident is told before the questions and at submit). */
  readonly accepting: boolean;
  /** Free space for the kiosk's user (statfs bavail × bsize); null when it could not be read. */
  readonly freeBytes: number | null;
  /** The reserve file is in place (false after it was released for a full disk). */
  readonly reserveHeld: boolean;
}

/** What making the reserve came to: made, no room for it, or refused for another reason (a read-only remount, a folder in the way). */
type ReserveOutcome = 'made' | 'no-space' | 'failed';

export interface StorageGuardOptions {
  readonly dataDir: string;
  /** New applications are refused below this much free space. */
  readonly refuseBelowBytes: number;
  /** Size of the reserve file released when the disk fills. */
  readonly reserveBytes: number;
  readonly log: Log;
  readonly timers: Timers;
  /** How often free space is read while nothing else asks (each submission and session start ask too). */
  readonly everyMs?: number;
  /** Free bytes of the data folder's filesystem; tests replace it. */
  readonly freeBytes?: (dir: string) => number;
}

export interface StorageGuard {
  state(): StorageState;
  /** Reads free space now, releases or remakes the reserve, and tells subscribers of a change. */
  check(): StorageState;
  /** A write failed for want of space (SQLITE_FULL, ENOSPC): refuse at once and release the reserve. */
  reportFull(where: string): void;
  subscribe(listener: (state: StorageState) => void): () => void;
  start(): void;
  stop(): void;
}

export const reserveFileName = 'space-reserve';
const chunkBytes = 1024 * 1024;

/** A write that failed because the filesystem is full: SQLite's SQLITE_FULL or the system's ENOSPC. */
export function isDiskFull(cause: unknown): boolean {
  if (typeof cause !== 'object' || cause === null || !('code' in cause)) return false;
  return cause.code === 'SQLITE_FULL' || cause.code === 'ENOSPC';
}

function statfsFree(dir: string): number {
  const stats = statfsSync(dir);
  return stats.bavail * stats.bsize;
}

export function createStorageGuard(options: StorageGuardOptions): StorageGuard {
  const { dataDir, refuseBelowBytes, reserveBytes, log, timers } = options;
  const readFree = options.freeBytes ?? statfsFree;
  const everyMs = options.everyMs ?? 30_000;
  const reservePath = join(dataDir, reserveFileName);
  const listeners = new Set<(state: StorageState) => void>();
  let timer: unknown = null;
  let current: StorageState = { accepting: true, freeBytes: null, reserveHeld: false };
  /** The last reserve attempt failed for another reason than space (kept between checks). */
  let reserveImpossible = false;

  function reserveInPlace(): boolean {
    try {
      return statSync(reservePath).size >= reserveBytes;
    } catch {
      return false;
    }
  }

  /** Written with real bytes (not a sparse file): only blocks actually held can be given back. */
  function makeReserve(): ReserveOutcome {
    let fd: number | null = null;
    try {
      fd = openSync(reservePath, 'w', 0o600);
      const chunk = Buffer.alloc(Math.min(chunkBytes, reserveBytes));
      for (let written = 0; written < reserveBytes;) {
        written += writeSync(fd, chunk, 0, Math.min(chunk.length, reserveBytes - written));
      }
      fsyncSync(fd);
      closeSync(fd);
      return 'made';
    } catch (cause) {
      if (fd !== null) closeSync(fd);
      try {
        rmSync(reservePath, { force: true });
      } catch {
        // A folder in the reserve's place: nothing of ours to remove.
      }
      log.warn({ error: cause instanceof Error ? cause.message : String(cause) }, 'storage: reserve not made');
      return isDiskFull(cause) ? 'no-space' : 'failed';
    }
  }

  function releaseReserve(why: string): void {
    try {
      rmSync(reservePath, { force: true });
      log.warn({ why, bytes: reserveBytes }, 'storage: reserve released so what is saved can still be sent');
    } catch (cause) {
      log.error({ error: cause instanceof Error ? cause.message : String(cause) }, 'storage: reserve not released');
    }
  }

  function publish(next: StorageState): StorageState {
    const changed = next.accepting !== current.accepting || next.reserveHeld !== current.reserveHeld;
    current = next;
    if (changed) {
      if (next.accepting) log.info({ freeBytes: next.freeBytes }, 'storage: space again, applications taken');
      else log.error({ freeBytes: next.freeBytes }, 'storage: too little space, new applications refused');
      for (const listener of listeners) listener(next);
    }
    return next;
  }

  function read(): number | null {
    try {
      return readFree(dataDir);
    } catch {
      return null;
    }
  }

  function check(): StorageState {
    let free = read();
    let held = reserveInPlace();
    // Nearly full: the reserve goes first, so sends can be recorded and nothing saved waits on it.
    if (held && free !== null && free < reserveBytes) {
      releaseReserve('nearly full');
      held = false;
      free = read();
    }
    // Space returned: the reserve is made again before applications are taken, with room to spare.
    // A reserve refused for another reason than space does not refuse residents on a disk with room:
    // the margin is lost (the log says so), the threshold still stands — until a reserve is made again.
    if (!held && free !== null && free >= refuseBelowBytes + reserveBytes) {
      const outcome = makeReserve();
      held = outcome === 'made';
      if (outcome !== 'no-space') reserveImpossible = outcome === 'failed';
      free = read();
    }
    // An unreadable filesystem is not taken as full (the write itself still reports a full disk):
    // the last decision stands until it can be read again.
    const accepting = free === null ? current.accepting : (held || reserveImpossible) && free >= refuseBelowBytes;
    return publish({ accepting, freeBytes: free, reserveHeld: held });
  }

  function schedule(): void {
    timer = timers.setTimeout(() => {
      check();
      schedule();
    }, everyMs);
  }

  return {
    state: () => current,
    check,
    reportFull(where) {
      log.error({ where }, 'storage: a write failed, the disk is full');
      if (reserveInPlace()) releaseReserve(`write failed in ${where}`);
      publish({ accepting: false, freeBytes: read(), reserveHeld: false });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start() {
      check();
      if (timer === null) schedule();
    },
    stop() {
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
    },
  };
}

import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recordingLog, type RecordedLine } from '../../../foundation/log';
import { createStorageGuard, isDiskFull, reserveFileName, type StorageState } from './storage-guard';

const MB = 1024 * 1024;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A guard over a real folder whose free space the test sets (the reserve file's size counts against it). */
function guardWith(free: { bytes: number }) {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-storage-'));
  dirs.push(dir);
  const lines: RecordedLine[] = [];
  const pending: Array<() => void> = [];
  const reservePath = join(dir, reserveFileName);
  const held = () => (existsSync(reservePath) ? statSync(reservePath).size : 0);
  const guard = createStorageGuard({
    dataDir: dir,
    refuseBelowBytes: 20 * MB,
    reserveBytes: 4 * MB,
    log: recordingLog(lines),
    timers: { setTimeout: (fn) => pending.push(fn), clearTimeout: () => undefined },
    freeBytes: () => free.bytes - held(),
  });
  const changes: StorageState[] = [];
  guard.subscribe((state) => changes.push(state));
  return { guard, lines, changes, reservePath, pending };
}

describe('storage guard', () => {
  it('takes applications with room to spare, holding a reserve of real bytes', () => {
    const { guard, reservePath } = guardWith({ bytes: 100 * MB });
    guard.start();
    expect(guard.state()).toEqual({ accepting: true, freeBytes: 96 * MB, reserveHeld: true });
    expect(statSync(reservePath).size).toBe(4 * MB);
    expect(statSync(reservePath).blocks * 512).toBeGreaterThanOrEqual(4 * MB);
  });

  it('refuses below the threshold but keeps the reserve while the disk is not yet full', () => {
    const free = { bytes: 100 * MB };
    const { guard, changes, reservePath } = guardWith(free);
    guard.start();
    free.bytes = 15 * MB;
    expect(guard.check()).toEqual({ accepting: false, freeBytes: 11 * MB, reserveHeld: true });
    expect(existsSync(reservePath)).toBe(true);
    expect(changes.at(-1)).toEqual({ accepting: false, freeBytes: 11 * MB, reserveHeld: true });
  });

  it('gives the reserve back when the disk is nearly full, and makes it again only once there is room for both', () => {
    const free = { bytes: 100 * MB };
    const { guard, reservePath, lines } = guardWith(free);
    guard.start();
    free.bytes = 5 * MB; // 1 MB left beside the reserve
    expect(guard.check()).toEqual({ accepting: false, freeBytes: 5 * MB, reserveHeld: false });
    expect(existsSync(reservePath)).toBe(false);
    expect(lines.some((l) => l.message.includes('reserve released'))).toBe(true);
    // Above the threshold but not with the reserve on top: still refused, no reserve made.
    free.bytes = 22 * MB;
    expect(guard.check()).toEqual({ accepting: false, freeBytes: 22 * MB, reserveHeld: false });
    free.bytes = 30 * MB;
    expect(guard.check()).toEqual({ accepting: true, freeBytes: 26 * MB, reserveHeld: true });
    expect(statSync(reservePath).size).toBe(4 * MB);
  });

  it('refuses at once when a write reports the disk full, whatever statfs said', () => {
    const { guard, changes, reservePath } = guardWith({ bytes: 100 * MB });
    guard.start();
    guard.reportFull('application');
    expect(guard.state().accepting).toBe(false);
    expect(existsSync(reservePath)).toBe(false);
    expect(changes.at(-1)).toMatchObject({ accepting: false, reserveHeld: false });
    // The next look finds the room (the failed write was large): taken again, reserve back.
    expect(guard.check()).toMatchObject({ accepting: true, reserveHeld: true });
  });

  it('looks again on its own timer, so space that returns is seen without a restart', () => {
    const free = { bytes: 5 * MB };
    const { guard, pending, changes } = guardWith(free);
    guard.start();
    expect(guard.state().accepting).toBe(false);
    free.bytes = 100 * MB;
    pending.shift()?.();
    expect(guard.state().accepting).toBe(true);
    expect(changes.at(-1)).toMatchObject({ accepting: true });
  });

  it('takes applications on a disk with room when the reserve cannot be made for another reason than space', () => {
    const free = { bytes: 100 * MB };
    const { guard, reservePath, lines } = guardWith(free);
    mkdirSync(reservePath); // something in the reserve's place: writing it fails with EISDIR, not ENOSPC
    guard.start();
    expect(guard.state()).toMatchObject({ accepting: true, reserveHeld: false });
    expect(lines.some((l) => l.message.includes('reserve not made'))).toBe(true);
    // Between the threshold and threshold + reserve no new reserve is tried: still taken, as with one held.
    free.bytes = 22 * MB;
    expect(guard.check().accepting).toBe(true);
    free.bytes = 15 * MB;
    expect(guard.check().accepting).toBe(false); // the threshold still stands
  });

  it('keeps its last decision while free space cannot be read', () => {
    const free = { bytes: 100 * MB, readable: true };
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-storage-'));
    dirs.push(dir);
    const guard = createStorageGuard({
      dataDir: dir,
      refuseBelowBytes: 20 * MB,
      reserveBytes: 4 * MB,
      log: recordingLog([]),
      timers: { setTimeout: () => undefined, clearTimeout: () => undefined },
      freeBytes: () => {
        if (!free.readable) throw new Error('statfs failed');
        return free.bytes;
      },
    });
    free.readable = false;
    guard.start(); // unreadable from the first look: not taken as full
    expect(guard.state()).toMatchObject({ accepting: true, freeBytes: null });
    free.readable = true;
    free.bytes = 10 * MB;
    expect(guard.check().accepting).toBe(false);
    free.readable = false;
    expect(guard.check().accepting).toBe(false); // still refused until it can be read again
  });

  it('knows a full disk by SQLite’s and the system’s codes only', () => {
    expect(isDiskFull(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }))).toBe(true);
    expect(isDiskFull(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }))).toBe(true);
    expect(isDiskFull(Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' }))).toBe(false);
    expect(isDiskFull(new Error('disk full'))).toBe(false);
    expect(isDiskFull('ENOSPC')).toBe(false);
  });
});

import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recordingLog } from '../../../foundation/log';
import { backup, scheduleBackups } from './backup';
import { manualClock, manualMonotonicClock, manualTimers } from '../../../foundation/clock';
import { openDatabase } from './database';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('scheduled backups', () => {
  it('waits an hour, then backs up daily and keeps the newest seven; stop cancels', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-backup-'));
    dirs.push(dir);
    const opened = openDatabase(join(dir, 'kiosk.sqlite'));
    if (!opened.ok) throw new Error('open');
    const clock = manualClock();
    const timers = manualTimers(manualMonotonicClock());
    const log = recordingLog();
    const schedule = scheduleBackups(opened.value, join(dir, 'backups'), { clock, timers, log });
    expect(timers.nextDueInMs()).toBe(60 * 60_000);
    for (let day = 0; day < 9; day++) {
      timers.fireNext();
      clock.advance(24 * 60 * 60_000);
    }
    expect(readdirSync(join(dir, 'backups'))).toHaveLength(7);
    expect(timers.nextDueInMs()).toBe(24 * 60 * 60_000);
    expect(log.lines.filter((l) => l.message === 'backup written')).toHaveLength(9);
    schedule.stop();
    expect(timers.nextDueInMs()).toBeNull();
    opened.value.close();
  });

  it('skips the daily copy while the disk is short, and takes it again once there is room', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-backup-'));
    dirs.push(dir);
    const opened = openDatabase(join(dir, 'kiosk.sqlite'));
    if (!opened.ok) throw new Error('open');
    const timers = manualTimers(manualMonotonicClock());
    const log = recordingLog();
    let room = false;
    const schedule = scheduleBackups(opened.value, join(dir, 'backups'), {
      clock: manualClock(),
      timers,
      log,
      spaceToSpare: () => room,
    });
    timers.fireNext();
    expect(log.lines.map((l) => l.message)).toEqual(['backup skipped: too little disk space']);
    expect(timers.nextDueInMs()).toBe(24 * 60 * 60_000);
    room = true;
    timers.fireNext();
    expect(readdirSync(join(dir, 'backups'))).toHaveLength(1);
    schedule.stop();
    opened.value.close();
  });

  it('keeps an earlier backup of the same stamp when a second copy is refused (the clock set back)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-backup-'));
    dirs.push(dir);
    const opened = openDatabase(join(dir, 'kiosk.sqlite'));
    if (!opened.ok) throw new Error('open');
    const clock = manualClock();
    const first = backup(opened.value, join(dir, 'backups'), { clock });
    if (!first.ok) throw new Error(first.error.reason);
    const again = backup(opened.value, join(dir, 'backups'), { clock });
    expect(again.ok).toBe(false);
    expect(readdirSync(join(dir, 'backups'))).toEqual([first.value.path.slice(join(dir, 'backups').length + 1)]);
    opened.value.close();
  });
});

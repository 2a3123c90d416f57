import type { Stats } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasDisplay, sandboxHelperProblem } from './start';

const statWith = (stats: Partial<Stats> | undefined) => (() => stats as Stats | undefined) as never;

describe('kiosk start: the Electron shell only where it can run', () => {
  it('sees a display only with DISPLAY or WAYLAND_DISPLAY', () => {
    expect(hasDisplay({})).toBe(false);
    expect(hasDisplay({ WAYLAND_DISPLAY: 'wayland-0' })).toBe(true);
    expect(hasDisplay({ DISPLAY: ':0' })).toBe(true);
  });

  it('accepts chrome-sandbox as root:4755 (or absent) and names the fix otherwise', () => {
    expect(sandboxHelperProblem('/opt/e/electron', statWith({ uid: 0, mode: 0o104755 }))).toBeNull();
    expect(sandboxHelperProblem('/opt/e/electron', statWith(undefined))).toBeNull();
    expect(sandboxHelperProblem('/opt/e/electron', statWith({ uid: 1000, mode: 0o100755 }))).toMatch(
      /\/opt\/e\/chrome-sandbox must be owned by root with mode 4755: sudo chown root:root/,
    );
    expect(sandboxHelperProblem('/opt/e/electron', statWith({ uid: 0, mode: 0o100755 }))).not.toBeNull();
  });
});

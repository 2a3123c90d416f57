import { describe, expect, it, vi } from 'vitest';
import type { A4PrinterDriver } from '../../../drivers/a4-printer/a4-printer-driver';
import { freeLoopbackPort } from '../../../drivers/a4-printer/ipp-printer-simulator';
import { a4StateFromIpp } from '../../../drivers/a4-printer/ipp-status';
import { silentLog } from '../../../foundation/log';
import { ok } from '../../../foundation/result';
import type { A4PrinterLink } from '../../../kiosk-config/config-schema';
import type { AuditValue } from '../store/audit-log';
import type { Actor } from '../staff/staff-guard';
import { createA4PrinterAdmin, viewOf } from './a4-printer-admin';
import type { A4PrinterLinkHandle } from './a4-printer-link';

const ipp = { kind: 'ipp', uri: 'ipp://printer.local/ipp/print' } as const;

describe('A4 printer admin', () => {
  it('shows what IPP said: the blocking condition, the warnings, the reason when offline', () => {
    expect(viewOf(ipp, a4StateFromIpp(3, ['media-empty-report']), 'Example')).toEqual({
      link: ipp,
      state: 'media-empty',
      warnings: [],
      model: 'Example',
      detail: null,
    });
    expect(viewOf(ipp, a4StateFromIpp(3, ['toner-low-warning']), null)).toMatchObject({
      state: 'ready',
      warnings: ['toner-low'],
    });
    expect(viewOf(ipp, { state: 'offline', reason: 'unreachable: ECONNREFUSED' }, null)).toMatchObject({
      state: 'offline',
      detail: 'unreachable: ECONNREFUSED',
    });
  });

  it('never shows a password given in the URI (the view goes to the device view and to staff health)', () => {
    const withPassword = { kind: 'ipp', uri: 'ipps://kiosk:s3cret-pw@printer.local:631/ipp/print' } as const;
    const view = viewOf(withPassword, a4StateFromIpp(3, []), null);
    expect(view.link).toEqual({ kind: 'ipp', uri: 'ipps://printer.local:631/ipp/print' });
    expect(JSON.stringify(view)).not.toContain('s3cret');
  });

  it('changes and keeps nothing when no printer answers at the URI, and audits no password from it', async () => {
    let replaced: A4PrinterLink | null = null;
    let kept = false;
    const audited: Array<[string, Record<string, AuditValue> | undefined]> = [];
    const link: A4PrinterLinkHandle = {
      link: () => ({ kind: 'none' }),
      driver: () => Promise.resolve(null),
      replace: (next) => {
        replaced = next;
        return Promise.resolve();
      },
      close: () => Promise.resolve(),
    };
    const admin = createA4PrinterAdmin({
      link,
      siteSettings: {
        keepDeviceChoice: () => {
          kept = true;
          return ok();
        },
      },
      terminal: () => ({ id: 'VK-1', name: 'test' }),
      log: silentLog,
    });
    const actor: Actor = {
      session: {} as Actor['session'],
      audit: (action, details) => {
        audited.push([action, details]);
      },
    };
    const uri = `ipp://admin:s3cret@127.0.0.1:${await freeLoopbackPort()}/ipp/print`;
    const answer = await admin.set({ kind: 'ipp', uri }, actor);
    expect(answer.ok ? null : answer.error.kind).toBe('unreachable');
    expect(replaced).toBeNull();
    expect(kept).toBe(false);
    expect(audited.map(([action]) => action)).toEqual(['tech.a4-printer-refused']);
    expect(JSON.stringify(audited)).not.toContain('s3cret');
    expect(JSON.stringify(audited)).toContain('ipp://127.0.0.1:');
  });

  it('answers the health view within its bound when the printer’s address swallows packets', async () => {
    vi.useFakeTimers();
    try {
      const silent = { probe: () => new Promise(() => undefined) } as unknown as A4PrinterDriver;
      const admin = createA4PrinterAdmin({
        link: {
          link: () => ipp,
          driver: () => Promise.resolve(silent),
          replace: () => Promise.resolve(),
          close: () => Promise.resolve(),
        },
        siteSettings: { keepDeviceChoice: () => ok() },
        terminal: () => ({ id: 'VK-1', name: 'test' }),
        log: silentLog,
      });
      const shown = admin.current(4000);
      await vi.advanceTimersByTimeAsync(4000);
      expect(await shown).toMatchObject({ link: ipp, state: 'offline', detail: 'no answer in 4000 ms' });
    } finally {
      vi.useRealTimers();
    }
  });
});

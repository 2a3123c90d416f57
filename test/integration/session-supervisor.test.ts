import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { superviseBrowser } from '../../electron/cli/commands/session';

/** The session's heartbeat against the real Chromium: a page whose script hangs gets its browser restarted. */
describe('the kiosk session supervisor', () => {
  it('kills the browser when its page stops answering the heartbeat', async () => {
    const profile = mkdtempSync(join(tmpdir(), 'kiosk-session-'));
    const errors: string[] = [];
    try {
      const hangsAfterLoad = 'data:text/html,<p>kiosk</p><script>setTimeout(() => { for (;;) {} }, 1500)</script>';
      const started = Date.now();
      const why = await superviseBrowser(
        '/usr/bin/chromium',
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--no-first-run',
          `--user-data-dir=${profile}`,
          '--remote-debugging-pipe',
          hangsAfterLoad,
        ],
        6000,
        { out: () => {}, progress: () => {}, err: (line) => errors.push(line) },
      );
      expect(why).toBe('page unresponsive');
      expect(Date.now() - started).toBeGreaterThan(6000);
      expect(errors[0]).toMatch(/did not answer for 6 s; restarting the browser/);
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
  }, 60_000);
});

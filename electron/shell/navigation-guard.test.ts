import type { WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { recordingLog } from '../../foundation/log';
import { FakeWebContents, fakeEvent } from './fake-electron';
import { guardNavigation } from './navigation-guard';

function guarded() {
  const contents = new FakeWebContents();
  const log = recordingLog();
  guardNavigation(contents as unknown as WebContents, log);
  return { contents, log };
}

describe('guardNavigation', () => {
  it.each(['will-navigate', 'will-redirect'])('%s: blocks leaving the app', (name) => {
    const { contents, log } = guarded();
    const event = fakeEvent({ url: 'https://evil.example/phish?x=1' });
    contents.emit(name, event, event.url);
    expect(event.defaultPrevented).toBe(true);
    expect(log.lines.find((line) => line.message === 'navigation blocked')).toMatchObject({
      level: 'warn',
      fields: { target: 'https://evil.example' },
    });
  });

  it.each(['file:///etc/passwd', 'app://other/index.html', 'http://127.0.0.1:8787/', 'javascript:alert(1)'])(
    'will-navigate to %s is blocked',
    (url) => {
      const { contents } = guarded();
      const event = fakeEvent({ url });
      contents.emit('will-navigate', event, url);
      expect(event.defaultPrevented).toBe(true);
    },
  );

  it.each(['will-navigate', 'will-redirect'])('%s: allows staying inside app://kiosk', (name) => {
    const { contents } = guarded();
    const event = fakeEvent({ url: 'app://kiosk/index.html#/services' });
    contents.emit(name, event, event.url);
    expect(event.defaultPrevented).toBe(false);
  });

  it('denies every new window, even to the app itself', () => {
    const { contents } = guarded();
    expect(contents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'app://kiosk/index.html' })).toEqual({ action: 'deny' });
  });

  it('prevents attaching a <webview>', () => {
    const { contents } = guarded();
    const event = fakeEvent();
    contents.emit('will-attach-webview', event, {}, { src: 'https://example.com' });
    expect(event.defaultPrevented).toBe(true);
  });
});

import type { Session } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { recordingLog } from '../../foundation/log';
import { installPermissionHandlers, isPermissionGranted } from './permissions';

type RequestHandler = (
  contents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
  details: object,
) => void;
type CheckHandler = (contents: unknown, permission: string, origin: string, details: object) => boolean;
type DeviceHandler = (details: object) => boolean;

function installed() {
  const session = {
    setPermissionRequestHandler: vi.fn(),
    setPermissionCheckHandler: vi.fn(),
    setDevicePermissionHandler: vi.fn(),
  };
  const log = recordingLog();
  installPermissionHandlers(session as unknown as Session, log);
  const request = session.setPermissionRequestHandler.mock.calls[0]?.[0] as RequestHandler;
  const check = session.setPermissionCheckHandler.mock.calls[0]?.[0] as CheckHandler;
  const device = session.setDevicePermissionHandler.mock.calls[0]?.[0] as DeviceHandler;
  const ask = (permission: string, details: object) => {
    const callback = vi.fn();
    request(null, permission, callback, details);
    expect(callback).toHaveBeenCalledTimes(1);
    return callback.mock.calls[0]?.[0] as boolean;
  };
  return { ask, check, device, log };
}

const app = { requestingUrl: 'app://kiosk/index.html', isMainFrame: true };

describe('permission request handler', () => {
  it('grants camera and microphone to the app', () => {
    const { ask, log } = installed();
    expect(ask('media', { ...app, mediaTypes: ['video'] })).toBe(true);
    expect(ask('media', { ...app, mediaTypes: ['video', 'audio'] })).toBe(true);
    expect(log.lines.filter((line) => line.message === 'permission request').map((line) => line.fields)).toContainEqual(
      expect.objectContaining({ permission: 'media', granted: true }),
    );
  });

  it.each(['https://evil.example/', 'app://other/', 'file:///tmp/x.html', 'http://127.0.0.1:8787/'])(
    'denies media to %s',
    (requestingUrl) => {
      expect(installed().ask('media', { requestingUrl, isMainFrame: true, mediaTypes: ['video'] })).toBe(false);
    },
  );

  it('denies media to a sub frame, even of the app', () => {
    expect(installed().ask('media', { ...app, isMainFrame: false, mediaTypes: ['video'] })).toBe(false);
  });

  it.each([
    'geolocation',
    'notifications',
    'clipboard-read',
    'display-capture',
    'fullscreen',
    'midi',
    'openExternal',
    'pointerLock',
    'keyboardLock',
    'fileSystem',
    'window-management',
    'unknown',
  ])('denies %s even to the app', (permission) => {
    expect(installed().ask(permission, app)).toBe(false);
  });
});

describe('permission check handler', () => {
  it('answers yes only for media from the app', () => {
    const { check } = installed();
    expect(check(null, 'media', 'app://kiosk', { isMainFrame: true, mediaType: 'video' })).toBe(true);
    expect(check(null, 'media', 'https://evil.example', { isMainFrame: true, mediaType: 'video' })).toBe(false);
    expect(check(null, 'geolocation', 'app://kiosk', { isMainFrame: true })).toBe(false);
    expect(check(null, 'hid', 'app://kiosk', { isMainFrame: true })).toBe(false);
    expect(check(null, 'serial', 'app://kiosk', { isMainFrame: true })).toBe(false);
  });
});

describe('device permission handler', () => {
  it('denies WebHID, Web Serial and WebUSB: devices belong to the services', () => {
    const { device } = installed();
    for (const deviceType of ['hid', 'serial', 'usb'])
      expect(device({ deviceType, origin: 'app://kiosk', device: {} })).toBe(false);
  });
});

describe('isPermissionGranted', () => {
  it('refuses media kinds other than camera and microphone', () => {
    expect(
      isPermissionGranted({
        permission: 'media',
        requestingUrl: 'app://kiosk/',
        isMainFrame: true,
        mediaTypes: ['video', 'screen'],
      }),
    ).toBe(false);
  });
});

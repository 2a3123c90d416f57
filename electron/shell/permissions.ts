import type { Session } from 'electron';
import type { Log } from '../../foundation/log';
import { isAppUrl, originForLog } from './app-origin';

/**
 * The page gets the camera and microphone (document photos, voice) and nothing else, and only
 * when asked by the app's own top frame. Web HID/serial/USB are denied too: devices belong to the
 * services, not the page.
 */
export interface PermissionAsk {
  readonly permission: string;
  readonly requestingUrl: string | undefined;
  readonly isMainFrame: boolean;
  /** For 'media': what the page wants; anything but camera/microphone (e.g. screen) is refused. */
  readonly mediaTypes?: readonly string[] | undefined;
}

const allowedMediaTypes: ReadonlySet<string> = new Set(['video', 'audio', 'unknown']);

export function isPermissionGranted(ask: PermissionAsk): boolean {
  if (ask.permission !== 'media') return false;
  if (!ask.isMainFrame || !isAppUrl(ask.requestingUrl)) return false;
  return (ask.mediaTypes ?? []).every((type) => allowedMediaTypes.has(type));
}

export function installPermissionHandlers(session: Session, log: Log): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? details.mediaTypes : undefined;
    const granted = isPermissionGranted({
      permission,
      requestingUrl: details.requestingUrl,
      isMainFrame: details.isMainFrame,
      mediaTypes,
    });
    log.info(
      { permission, mediaTypes: mediaTypes ?? [], origin: originForLog(details.requestingUrl), granted },
      'permission request',
    );
    callback(granted);
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    isPermissionGranted({
      permission,
      requestingUrl: requestingOrigin,
      isMainFrame: details.isMainFrame,
      mediaTypes: details.mediaType === undefined ? undefined : [details.mediaType],
    }),
  );
  session.setDevicePermissionHandler((details) => {
    log.warn({ deviceType: details.deviceType, origin: originForLog(details.origin) }, 'device permission denied');
    return false;
  });
}

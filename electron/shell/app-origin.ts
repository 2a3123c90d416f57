/**
 * The renderer's one origin. Every trust decision in the shell (navigation, permissions, IPC
 * sender) asks `isAppUrl`, so there is exactly one definition of "our own page".
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'kiosk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

/**
 * True when `url` (a full URL or a bare origin) belongs to the kiosk app. WHATWG URL gives custom
 * schemes an opaque ("null") origin outside Chromium, so scheme and host are compared instead of
 * `.origin`; credentials or a port make it a different origin.
 */
export function isAppUrl(url: string | undefined | null): boolean {
  if (typeof url !== 'string') return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === ''
  );
}

/** Scheme and host only, for logs: a full URL might carry a query we must not record. */
export function originForLog(url: string | undefined | null): string {
  if (typeof url !== 'string') return '(none)';
  try {
    const parsed = new URL(url);
    return parsed.host === '' ? parsed.protocol : `${parsed.protocol}//${parsed.host}`;
  } catch {
    return '(unparsable)';
  }
}

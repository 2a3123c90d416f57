import { timingSafeEqual } from 'node:crypto';

/**
 * Security headers for the page the browser host serves. Same policy as the Electron shell's
 * `app://` protocol: nothing but the app's own scripts, styles and socket.
 */
/** The HttpOnly cookie that carries the socket's token to the kiosk's own page (browser-host.ts). */
export const SESSION_COOKIE = 'kiosk-session';

/** The file in the data folder that holds the current one-time launch code (browser-host.ts). */
export const launchCodeFileName = 'launch-code';

export function contentSecurityPolicy(origin: string): string {
  const socket = origin.replace(/^http/, 'ws');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: mediastream:",
    `connect-src 'self' ${socket}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Constant-time comparison of a presented secret with the expected one. */
export function tokensMatch(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

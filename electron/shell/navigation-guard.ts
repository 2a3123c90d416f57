import type { WebContents } from 'electron';
import type { Log } from '../../foundation/log';
import { isAppUrl, originForLog } from './app-origin';

/**
 * The page may never leave the app: no navigation or redirect elsewhere, no new windows, no
 * <webview>. Installed on every WebContents the app creates ('web-contents-created').
 */
export function guardNavigation(contents: WebContents, log: Log): void {
  const keepInApp = (kind: string) => (event: { url: string; preventDefault(): void }) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    log.warn({ kind, target: originForLog(event.url) }, 'navigation blocked');
  };
  contents.on('will-navigate', keepInApp('navigate'));
  contents.on('will-redirect', keepInApp('redirect'));
  contents.setWindowOpenHandler(({ url }) => {
    log.warn({ target: originForLog(url) }, 'window.open denied');
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.warn({}, 'webview attach denied');
  });
}

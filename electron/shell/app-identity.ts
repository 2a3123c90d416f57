import { join } from 'node:path';
import type { App } from 'electron';

/**
 * Who the app is, settled before `ready`: Electron otherwise names it "Electron" and keeps its
 * profile, crash dumps, single-instance lock and safeStorage key under ~/.config/Electron, where
 * any rename or second Electron app would lose or share them. With `--data DIR` (the installed
 * variant) the profile lives inside the kiosk's own data folder.
 */
export const appName = 'village-kiosk';

export function userDataDir(app: Pick<App, 'getPath'>, dataDir: string | undefined): string {
  return dataDir === undefined ? join(app.getPath('appData'), appName) : join(dataDir, 'electron-profile');
}

export function settleAppIdentity(
  app: Pick<App, 'setName' | 'setPath' | 'getPath' | 'commandLine'>,
  dataDir: string | undefined,
): string {
  app.setName(appName);
  const userData = userDataDir(app, dataDir);
  app.setPath('userData', userData);
  // Speech on Linux goes through speech-dispatcher (espeak-ng), which Chromium leaves off by default.
  app.commandLine.appendSwitch('enable-speech-dispatcher');
  return userData;
}

import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

/**
 * The one kiosk window. Every web preference here is a security checklist item with its own test
 * (window-options.test.ts): the page is an untrusted web page that reaches the services only
 * through the preload's `window.kiosk`.
 */
export function secureWebPreferences(preloadPath: string, technician: boolean): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    // A kiosk is always in front; throttling would stall the idle timer and device events.
    backgroundThrottling: false,
    // DevTools exist only for a technician; without the flag they cannot even be opened.
    devTools: technician,
  };
}

export function kioskWindowOptions(preloadPath: string, technician: boolean): BrowserWindowConstructorOptions {
  return {
    show: false, // shown on 'ready-to-show', so the resident never sees a blank frame
    fullscreen: true,
    kiosk: true,
    frame: false,
    autoHideMenuBar: true,
    backgroundColor: '#ffffff',
    title: '村级自助服务终端',
    webPreferences: secureWebPreferences(preloadPath, technician),
  };
}

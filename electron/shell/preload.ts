/**
 * The sandboxed preload (bundled to CommonJS by build.ts: sandboxed preloads cannot load ES
 * modules nor any module but 'electron'). It exposes `window.kiosk` and nothing else.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createKioskBridge } from './kiosk-bridge';

contextBridge.exposeInMainWorld('kiosk', createKioskBridge(ipcRenderer));

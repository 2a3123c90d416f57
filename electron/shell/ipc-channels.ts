/** IPC channel names shared by the main-process bridge and the preload (which may import nothing heavier). */
export const RPC_CHANNEL = 'kiosk:rpc';
export const EVENT_CHANNEL = 'kiosk:event';

import { createRequire } from 'node:module';

/** The kiosk's version, reported in health checks and heartbeats. */
export const kioskVersion: string = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

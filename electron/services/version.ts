import packageJson from '../../package.json' with { type: 'json' };

/** The kiosk's version, reported in health checks and heartbeats. */
export const kioskVersion: string = packageJson.version;

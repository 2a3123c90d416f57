import type { CrashReporter, CrashReporterStartOptions } from 'electron';
import type { Log } from '../../foundation/log';

/**
 * Crash dumps stay on the terminal (app.getPath('crashDumps')) for a technician to collect: they
 * can hold fragments of memory, i.e. residents' data, so they are never uploaded anywhere, and the
 * retention timer deletes them after privacy.crashDumpDays (store/retention.ts).
 */
export const localCrashReporterOptions: CrashReporterStartOptions = {
  uploadToServer: false,
  submitURL: '',
  productName: 'village-kiosk',
  compress: true,
  ignoreSystemCrashHandler: false,
};

export function startLocalCrashReporter(crashReporter: Pick<CrashReporter, 'start'>, log: Log): void {
  crashReporter.start(localCrashReporterOptions);
  log.info({ upload: false }, 'crash reporter started (local dumps only)');
}

import type { PowerSaveBlocker } from 'electron';
import type { Log } from '../../foundation/log';

/** A kiosk screen must never blank or sleep while the app runs; returns a stop function. */
export function keepDisplayAwake(blocker: Pick<PowerSaveBlocker, 'start' | 'stop'>, log: Log): () => void {
  const id = blocker.start('prevent-display-sleep');
  log.info({ blockerId: id }, 'display sleep prevented');
  return () => {
    blocker.stop(id);
    log.info({ blockerId: id }, 'display sleep allowed again');
  };
}

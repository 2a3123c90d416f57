import { mkdirSync } from 'node:fs';
import { createFieldCipher, type FieldCipher } from '../../foundation/field-cipher';
import { silentLog } from '../../foundation/log';
import { describeHostKeyError, openHostDataKey } from '../../electron/services/store/host-key-provider';

/**
 * The cipher over a kiosk data folder's data key as the browser host keeps it (systemd credential or
 * owner-only file; made when absent): for tests that prepare a folder (enrol its terminal key) before
 * a kiosk process starts on it, or read what a kiosk stored.
 */
export function kioskDataCipher(dataDir: string): FieldCipher {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = openHostDataKey(dataDir, { log: silentLog, create: true });
  if (!key.ok) throw new Error(describeHostKeyError(key.error));
  const cipher = createFieldCipher(key.value.provider);
  if (!cipher.ok) throw new Error(cipher.error.reason);
  return cipher.value;
}

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createFieldCipher, type FieldCipher } from '../../foundation/field-cipher';
import { createFileKeyProvider, describeKeyFileError } from '../../foundation/key-provider';

/**
 * The cipher over a kiosk data folder's data key as the browser host keeps it (made when absent):
 * for tests that prepare a folder (enrol its terminal key) before a kiosk process starts on it.
 */
export function kioskDataCipher(dataDir: string): FieldCipher {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = createFileKeyProvider(join(dataDir, 'data.key'));
  if (!key.ok) throw new Error(describeKeyFileError(key.error));
  const cipher = createFieldCipher(key.value);
  if (!cipher.ok) throw new Error(cipher.error.reason);
  return cipher.value;
}

import { existsSync } from 'node:fs';
import { createFieldCipher, type FieldCipher } from '../../foundation/field-cipher';
import { silentLog } from '../../foundation/log';
import { auditKeyPurpose, type AuditKey } from '../services/store/audit-log';
import { describeOpenError, openDatabase, storePaths, type Db } from '../services/store/database';
import { describeHostKeyError, openHostDataKey } from '../services/store/host-key-provider';
import { fail, type CliIo } from './cli-io';
import { dataDirOf, type DataOptions } from './cli-options';
import { exitCodes } from './exit-codes';

/**
 * The store as the technician commands read it: read-only, so it is safe while the kiosk runs,
 * and without the data key, since they read no personal data.
 */
export function openStoreReadOnly(options: DataOptions, io: CliIo): Db {
  const db = openDatabase(storePaths(dataDirOf(options)).database, { readonly: true });
  if (db.ok) return db.value;
  return fail(io, db.error.kind === 'open-failed' ? exitCodes.failed : exitCodes.data, describeOpenError(db.error));
}

/**
 * The store's cipher over the browser host's data key (systemd credential or owner-only file,
 * services/store/host-key-provider.ts), for the commands that need the data key: the audit chain's
 * MAC key, the sealed terminal key. With `create`, a missing key is made (first start from the
 * command line) and a plain key file adopted as a credential; otherwise it must exist. A terminal
 * whose data key the OS keyring wraps (Electron) is refused: a key made here would not be its key.
 */
export function readDataCipher(options: DataOptions, io: CliIo, create: boolean, elsewhere: string): FieldCipher {
  const dataDir = dataDirOf(options);
  const { keyFile, credentialKeyFile, wrappedKeyFile } = storePaths(dataDir);
  const hasKey = existsSync(keyFile) || existsSync(credentialKeyFile);
  if (!hasKey && existsSync(wrappedKeyFile))
    return fail(io, exitCodes.failed, `this terminal keeps its data key in the OS keyring (Electron): ${elsewhere}`);
  if (!create && !hasKey) return fail(io, exitCodes.failed, `${keyFile}: no data key here; ${elsewhere}`);
  return cipherOf(dataDir, io, create);
}

/** The audit chain's MAC key (see readDataCipher). */
export function readAuditKey(options: DataOptions, io: CliIo): AuditKey {
  return readDataCipher(options, io, false, 'check the audit log from the technician console').deriveKey(
    auditKeyPurpose,
  );
}

/**
 * The audit key when this user can open the data key here, else null (nothing is created): a
 * credential only root can decrypt leaves the chain unchecked, not the diagnostics undone.
 */
export function findAuditKey(options: DataOptions): AuditKey | null {
  const key = openHostDataKey(dataDirOf(options), { log: silentLog, create: false });
  if (!key.ok) return null;
  const cipher = createFieldCipher(key.value.provider);
  return cipher.ok ? cipher.value.deriveKey(auditKeyPurpose) : null;
}

function cipherOf(dataDir: string, io: CliIo, create: boolean): FieldCipher {
  const key = openHostDataKey(dataDir, { log: silentLog, create });
  if (!key.ok) return fail(io, exitCodes.failed, describeHostKeyError(key.error));
  const cipher = createFieldCipher(key.value.provider);
  if (!cipher.ok) return fail(io, exitCodes.failed, cipher.error.reason);
  return cipher.value;
}

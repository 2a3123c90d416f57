import { existsSync } from 'node:fs';
import { createFieldCipher, type FieldCipher } from '../../foundation/field-cipher';
import { createFileKeyProvider, describeKeyFileError } from '../../foundation/key-provider';
import { auditKeyPurpose, type AuditKey } from '../services/store/audit-log';
import { describeOpenError, openDatabase, storePaths, type Db } from '../services/store/database';
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
 * The store's cipher from the data key file (the browser-host variant's), for the commands that
 * need the data key: the audit chain's MAC key, the sealed terminal key. With `create`, a missing
 * key file is made (first start from the command line); otherwise it must exist. A terminal whose
 * data key the OS keyring wraps (Electron) is refused: a key file made here would not be its key.
 */
export function readDataCipher(options: DataOptions, io: CliIo, create: boolean, elsewhere: string): FieldCipher {
  const { keyFile, wrappedKeyFile } = storePaths(dataDirOf(options));
  if (create && !existsSync(keyFile) && existsSync(wrappedKeyFile))
    return fail(io, exitCodes.failed, `this terminal keeps its data key in the OS keyring (Electron): ${elsewhere}`);
  if (!create && !existsSync(keyFile)) return fail(io, exitCodes.failed, `${keyFile}: no data key here; ${elsewhere}`);
  return cipherFrom(keyFile, io);
}

/** The audit chain's MAC key (see readDataCipher). */
export function readAuditKey(options: DataOptions, io: CliIo, create = false): AuditKey {
  return readDataCipher(
    options,
    io,
    create,
    create ? 'use the on-screen setup instead' : 'check the audit log from the technician console',
  ).deriveKey(auditKeyPurpose);
}

/** The audit key when the data key file exists, else null (nothing is created). */
export function findAuditKey(options: DataOptions, io: CliIo): AuditKey | null {
  const keyFile = storePaths(dataDirOf(options)).keyFile;
  return existsSync(keyFile) ? cipherFrom(keyFile, io).deriveKey(auditKeyPurpose) : null;
}

function cipherFrom(keyFile: string, io: CliIo): FieldCipher {
  const provider = createFileKeyProvider(keyFile);
  if (!provider.ok) return fail(io, exitCodes.failed, describeKeyFileError(provider.error));
  const cipher = createFieldCipher(provider.value);
  if (!cipher.ok) return fail(io, exitCodes.failed, cipher.error.reason);
  return cipher.value;
}

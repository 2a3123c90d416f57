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

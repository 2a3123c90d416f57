/**
 * The kiosk's durable store in one value: the database opened and migrated, the field cipher, and
 * the repositories over them. Services wiring calls `openStore` once at start and `close` at exit.
 */
import { err, ok, type Result } from '../../../foundation/result';
import type { Log } from '../../../foundation/log';
import { createOutboxQueue, type OutboxQueue } from '../outbox/outbox-queue';
import { createApplicationRepository, type ApplicationRepository } from './application-repository';
import {
  appendAudit,
  auditKeyPurpose,
  verifyAuditChain,
  type AuditEntry,
  type AuditRow,
  type AuditVerdict,
} from './audit-log';
import type { Clock } from '../../../foundation/clock';
import { openDatabase, storePaths, type Db, type StoreOpenError, type StorePaths } from './database';
import { createFieldCipher, type CipherSetupError, type FieldCipher } from '../../../foundation/field-cipher';
import type { KeyProvider } from '../../../foundation/key-provider';
import { createRatingRepository, type RatingRepository } from './rating-repository';
import { createReceiptRepository, type ReceiptRepository } from './receipt-repository';

export interface StoreOptions {
  readonly dataDir: string;
  readonly keyProvider: KeyProvider;
  readonly terminalId: string;
  readonly terminalCode: string;
  readonly clock: Clock;
  readonly log: Log;
}

export interface Store {
  readonly db: Db;
  readonly paths: StorePaths;
  readonly cipher: FieldCipher;
  readonly applications: ApplicationRepository;
  readonly receipts: ReceiptRepository;
  readonly ratings: RatingRepository;
  /** The outbox table; the repositories enqueue into it inside their own transactions. */
  readonly outbox: OutboxQueue;
  /** Appends to the MAC-chained audit log (joins the caller's transaction when there is one). */
  audit(entry: AuditEntry): AuditRow;
  /** Checks the audit chain under this terminal's key: the first broken row, or the head. */
  verifyAudit(): AuditVerdict;
  close(): void;
}

export type StoreError = StoreOpenError | CipherSetupError;

export function openStore(options: StoreOptions): Result<Store, StoreError> {
  const cipher = createFieldCipher(options.keyProvider);
  if (!cipher.ok) return cipher;
  const paths = storePaths(options.dataDir);
  // ':memory:' serves unit tests; a real kiosk always has a data directory.
  const opened = openDatabase(options.dataDir === ':memory:' ? ':memory:' : paths.database, { log: options.log });
  if (!opened.ok) return err(opened.error);
  const db = opened.value;
  options.log.info({ keyId: cipher.value.keyId }, 'store: opened');
  const outbox = createOutboxQueue(db);
  const auditKey = cipher.value.deriveKey(auditKeyPurpose);
  return ok({
    db,
    paths,
    cipher: cipher.value,
    applications: createApplicationRepository(db, cipher.value, { ...options, outbox }),
    receipts: createReceiptRepository(db, cipher.value, options.clock),
    ratings: createRatingRepository(db, cipher.value, options.clock, outbox),
    outbox,
    audit: (entry) => appendAudit(db, auditKey, options.clock, entry),
    verifyAudit: () => verifyAuditChain(db, auditKey),
    close: () => {
      if (db.open) db.close();
    },
  });
}

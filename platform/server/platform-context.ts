import type { Catalogue } from '../../kiosk-config/catalogue-schema';
import type { Log } from '../../foundation/log';
import type { FleetCredentialIssuer } from './fleet-credentials';
import type { PlatformStore } from './platform-db';
import type { DocumentKeys } from './documents/document-issuer';
import type { RemoteHelp } from './remote-help/remote-help';

/** What every route of the reference platform works with. */
export interface PlatformContext {
  readonly store: PlatformStore;
  readonly catalog: Catalogue;
  /** Serialised once: the ETag names exactly these bytes. */
  readonly catalogBody: string;
  readonly catalogEtag: string;
  readonly log: Log;
  readonly now: () => Date;
  readonly caseNumberPrefix: string;
  readonly signatureWindowSeconds: number;
  /** Requests per address and minute on the unauthenticated terminal routes. */
  readonly rateLimits: { readonly receiptVerify: number; readonly enrol: number };
  /** Signs issued documents (查询打印); the office named on them. */
  readonly documents: { readonly keys: DocumentKeys; readonly issuingOffice: string; readonly sealPng?: Buffer };
  /** Issues broker accounts at enrolment when the county runs a fleet broker. */
  readonly fleetCredentials: FleetCredentialIssuer | null;
  /** Remote help calls: the queue, their metadata, the ICE configuration. */
  readonly remoteHelp: RemoteHelp;
}

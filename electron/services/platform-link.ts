import { dirname, join } from 'node:path';
import type { Catalogue } from '../../kiosk-config/catalogue-schema';
import type { KioskConfig } from '../../kiosk-config/config-schema';
import type { FieldCipher } from '../../foundation/field-cipher';
import type { Log } from '../../foundation/log';
import { systemClock, type Clock, type Timers } from '../../foundation/clock';
import { isLoopbackHost } from '../../foundation/loopback';
import { err, ok, type Result } from '../../foundation/result';
import { mosquittoPasswordFileIssuer } from '../../platform/server/fleet-credentials';
import { startPlatform, type RunningPlatform } from '../../platform/server/start-platform';
import type { PlatformPort, PortFailure } from './outbox/platform-port';
import type { RemoteHelpPort } from './remote-help/remote-help-port';
import {
  createHttpPlatformClient,
  createRemoteHelpClient,
  enrol,
  receiptVerify,
  requestDocument,
} from './platform-client/http-platform-client';
import { createPlatformClock, type PlatformClock } from './platform-client/platform-clock';
import type { DocumentRequest, DocumentResponse, ReceiptVerifyResponse } from '../../platform/contract/api-schemas';
import {
  loadOrCreateTerminalKeys,
  readEnrolment,
  samePlatform,
  writeEnrolment,
  type StoredKeys,
} from './platform-client/identity-store';

/**
 * The kiosk's link to the online platform: its own key pair, its enrolment, and the signed HTTP
 * client. With `platform.mode: embedded` (the default) the reference platform runs in-process on
 * loopback and the terminal enrols itself, so a fresh clone submits for real with no set-up.
 */
export interface PlatformLink {
  readonly keys: StoredKeys;
  readonly port: PlatformPort;
  /** The platform's time as measured from its answers (the fleet reports the offset). */
  readonly clock: PlatformClock;
  /** The platform requests go to. */
  readonly url: string;
  /**
   * Sends to another platform from now on: only once the terminal is enrolled there (the enrolment
   * record names it) and nothing waits for the old one (enrolment-service.ts checks both).
   */
  switchTo(url: string): void;
  /** Asks for a proof or record (查询打印): answered at once, never queued like applications. */
  requestDocument(request: DocumentRequest): Promise<Result<DocumentResponse, PortFailure>>;
  /**
   * The platform's public receipt check (what the paper shows, nothing more): progress of a receipt
   * another terminal printed.
   */
  verifyReceipt(request: { payload: string }): Promise<Result<ReceiptVerifyResponse, PortFailure>>;
  /** Remote help by video: queue a call, its events, signalling, its end (docs/remote-help.md). */
  readonly remoteHelp: RemoteHelpPort;
  /** The embedded platform, for the simulation dock (stop/start to rehearse a network outage). */
  readonly embedded: EmbeddedPlatformControl | null;
  close(): Promise<void>;
}

export interface EmbeddedPlatformControl {
  readonly running: boolean;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export interface PlatformLinkFailure {
  readonly kind: 'platform';
  readonly message: string;
}

export async function openPlatformLink(options: {
  config: KioskConfig;
  dataDir: string;
  catalogue: Catalogue;
  /** The kiosk store's cipher: the embedded platform keeps its copy of residents' data under the same key. */
  cipher: FieldCipher;
  log: Log;
  /** Wall time to sign with and, for the embedded platform, to judge by (a soak run passes an accelerated one). */
  clock?: Clock;
  /** What the embedded platform's hourly maintenance waits on. */
  timers?: Timers;
}): Promise<Result<PlatformLink, PlatformLinkFailure>> {
  const { config, dataDir, log } = options;
  const wallClock = options.clock ?? systemClock;
  // One wall clock for signing, the embedded platform's judgement and the enrolment record (the soak moves it on).
  const now = () => new Date(wallClock.now());
  const keys = loadOrCreateTerminalKeys(dataDir, options.cipher, log);
  if (!keys.ok) return err({ kind: 'platform', message: keys.error.message });

  let platform: RunningPlatform | null = null;
  let embeddedPort = 0;
  // Demonstration: the embedded platform issues broker accounts into a local Mosquitto's password file.
  const passwordFile = config.fleet?.embeddedPasswordFile;
  const fleetCredentials =
    passwordFile === undefined
      ? undefined
      : mosquittoPasswordFileIssuer({ passwordFile, brokerPidFile: join(dirname(passwordFile), 'mosquitto.pid') });
  const startEmbedded = async () => {
    platform = await startPlatform({
      port: embeddedPort,
      dataDir: join(dataDir, 'embedded-platform'),
      catalog: options.catalogue,
      cipher: options.cipher,
      // The same retention as the kiosk's own copy: counted from arrival, which is the kiosk's acknowledgement.
      retention: { after: 'received', graceMs: config.privacy.retentionDays * 86_400_000 },
      log: log.child({ service: 'embedded-platform' }),
      ...(options.clock === undefined ? {} : { now }),
      ...(options.timers === undefined ? {} : { timers: options.timers }),
      ...(fleetCredentials === undefined ? {} : { fleetCredentials }),
      remoteHelp: {
        // The county's rules, which a real platform has from its own settings: recording, and how
        // long a call waits for an officer (the terminal keeps no timer of its own beside it).
        recording:
          config.platform.embeddedCallRecordingDays === undefined
            ? { enabled: false }
            : { enabled: true, retentionDays: config.platform.embeddedCallRecordingDays },
        ...(config.remoteHelp === undefined ? {} : { noAnswerSeconds: config.remoteHelp.noAnswerSeconds }),
      },
    });
    embeddedPort = Number(new URL(platform.url).port);
  };
  let url: string;
  if (config.platform.mode === 'embedded') {
    try {
      await startEmbedded();
    } catch (error) {
      return err({
        kind: 'platform',
        message: `embedded platform did not start: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
    url = (platform as RunningPlatform | null)?.url ?? '';
  } else {
    url = config.platform.url ?? '';
  }
  const timeoutMs = config.platform.requestTimeoutSeconds * 1000;

  const enrolled = readEnrolment(dataDir);
  const running = platform as RunningPlatform | null;
  // A terminal enrolled at a remote platform whose settings were set back to the embedded one does
  // not enrol itself there: what waits for the remote platform must not go to the embedded one.
  const enrolledRemotely =
    enrolled !== null && URL.canParse(enrolled.platformUrl) && !isLoopbackHost(new URL(enrolled.platformUrl).hostname);
  if (running !== null && enrolledRemotely) {
    log.error(
      { terminalId: config.terminal.id },
      'enrolled at a remote platform but configured for the embedded one: nothing is sent until the address names the enrolled platform',
    );
  } else if (running !== null) {
    // Embedded: the kiosk runs the platform, so it is that platform's administrator and enrols
    // itself; a new key (a wiped data folder) replaces the old one as an audited re-key. A terminal
    // enrolled before the fleet link existed enrols again to receive its broker credentials.
    const known = running.terminalFingerprint(config.terminal.id);
    const needsFleet = fleetCredentials !== undefined && enrolled?.fleet === undefined;
    let fleet = enrolled?.fleet;
    if (known !== keys.value.fingerprint || needsFleet) {
      const code = running.createEnrolmentCode({
        terminalId: config.terminal.id,
        rekey: known !== null,
        issuedBy: 'kiosk (embedded platform)',
      });
      const result = await enrol(
        url,
        code,
        { terminalId: config.terminal.id, privateKey: keys.value.privateKey, publicKey: keys.value.publicKey },
        // Signed by the same wall clock the embedded platform judges by (one clock for both sides).
        { timeoutMs, log, now },
      );
      if (!result.ok) return err({ kind: 'platform', message: `automatic enrolment failed: ${result.error.reason}` });
      fleet = result.value.fleet;
      log.info(
        { terminalId: config.terminal.id, fingerprint: keys.value.fingerprint },
        'enrolled with the embedded platform',
      );
    }
    if (
      enrolled === null ||
      enrolled.platformUrl !== url ||
      enrolled.fingerprint !== keys.value.fingerprint ||
      enrolled.fleet !== fleet
    )
      writeEnrolment(dataDir, {
        terminalId: config.terminal.id,
        platformUrl: url,
        fingerprint: keys.value.fingerprint,
        enrolledAt: now().toISOString(),
        ...(fleet === undefined ? {} : { fleet }),
      });
  } else if (enrolled === null) {
    log.warn(
      { terminalId: config.terminal.id },
      'not enrolled: a technician must run `kiosk enrol`; applications queue until then',
    );
  }

  const clock = createPlatformClock({ log, localNow: () => wallClock.now() });
  let clientOptions = {
    now,
    baseUrl: url,
    terminalId: config.terminal.id,
    privateKey: keys.value.privateKey,
    clock,
    timeoutMs,
    log,
  };
  let client = createHttpPlatformClient(clientOptions);
  let remoteHelp = createRemoteHelpClient(clientOptions);
  const here = () => enrolledHere(clientOptions.baseUrl, dataDir);
  const port = boundToEnrolment(() => client, here, {
    uploadAttachment: true,
    submitApplication: true,
    getApplicationStatus: true,
    submitRating: true,
    uploadDiagnostics: true,
    heartbeat: true,
    fetchCatalog: true,
  });
  const embedded: EmbeddedPlatformControl | null =
    config.platform.mode === 'embedded'
      ? {
          get running() {
            return platform !== null;
          },
          async stop() {
            const current = platform;
            platform = null;
            await current?.close();
            log.warn({}, 'embedded platform stopped');
          },
          async start() {
            if (platform === null) await startEmbedded();
            log.info({}, 'embedded platform started');
          },
        }
      : null;
  return ok({
    keys: keys.value,
    port,
    clock,
    get url() {
      return clientOptions.baseUrl;
    },
    switchTo(next) {
      clientOptions = { ...clientOptions, baseUrl: next };
      client = createHttpPlatformClient(clientOptions);
      remoteHelp = createRemoteHelpClient(clientOptions);
      log.warn({}, 'platform link moved to the platform the terminal is now enrolled at');
    },
    requestDocument: (request) =>
      here() ? requestDocument(clientOptions, request) : Promise.resolve(err(enrolledElsewhere)),
    verifyReceipt: (request) =>
      here()
        ? receiptVerify(clientOptions.baseUrl, request, { timeoutMs: 5000 })
        : Promise.resolve(err(enrolledElsewhere)),
    // A call is queued only where the terminal is enrolled; its polls, signals and end follow it there.
    remoteHelp: boundToEnrolment(() => remoteHelp, here, {
      queueCall: true,
      callEvents: false,
      consentCall: false,
      sendSignal: false,
      endCall: false,
    }),
    embedded,
    async close() {
      await platform?.close();
    },
  });
}

/**
 * The terminal's key and enrolment belong to one platform. When the enrolment record names another
 * one than the address this link was started with (the address changed without a new enrolment
 * there, or the terminal was enrolled elsewhere since), nothing is sent: applications queued for one
 * platform never go to another. They wait, held as "not enrolled" for staff, until the address and
 * the enrolment agree again. No record at all: the platform itself answers whether it knows the key.
 */
function enrolledHere(url: string, dataDir: string): boolean {
  const enrolled = readEnrolment(dataDir);
  return enrolled === null || samePlatform(enrolled.platformUrl, url);
}

const enrolledElsewhere: PortFailure = {
  kind: 'held',
  hold: { kind: 'not-enrolled' },
  reason: 'the terminal is enrolled at another platform than the configured address: enrol here first',
};

/**
 * A port whose requests are held (not sent) while the terminal is enrolled at another platform than
 * this link's address. `checked` names every method (a new one does not compile until named): true
 * for those checked at each request; false for those bound to an earlier checked one — a call's
 * polls and signals go where the call was queued, without reading the enrolment file again for
 * each of them (a call's set-up sends a few dozen).
 */
function boundToEnrolment<P extends { [K in keyof P]: (...args: never[]) => Promise<Result<unknown, PortFailure>> }>(
  port: () => P,
  here: () => boolean,
  checked: { readonly [K in keyof P]: boolean },
): P {
  const held = () => Promise.resolve(err(enrolledElsewhere));
  const bound: Partial<Record<keyof P, unknown>> = {};
  for (const name of Object.keys(checked) as Array<keyof P>) {
    bound[name] = (...args: never[]) => (!checked[name] || here() ? port()[name](...args) : held());
  }
  return bound as P;
}

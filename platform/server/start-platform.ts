/**
 * Starts the reference platform: the /v1 contract for terminals and the hall's pages for signed-in
 * staff, over its own SQLite database with personal data encrypted by the field cipher. The
 * embedded kiosk setup, `npm run platform` and the tests all start it through `startPlatform`.
 */
import { systemTimers, type MonotonicClock, type Timers } from '../../foundation/clock';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Catalogue } from '../../kiosk-config/catalogue-schema';
import type { FieldCipher } from '../../foundation/field-cipher';
import type { Log } from '../../foundation/log';
import { isLoopbackHost } from '../../foundation/loopback';
import { defaultWindowSeconds } from '../contract/http-signature';
import type { LockoutPolicy } from './accounts/account-db';
import { mountAccounts } from './accounts/mount-accounts';
import { issueEnrolmentCode } from './enrolment-codes';
import { page } from './hall-pages';
import { hallContentSecurityPolicy, hallRoles, registerHallRoutes } from './hall-routes';
import type { FleetCredentialIssuer } from './fleet-credentials';
import type { PlatformContext } from './platform-context';
import { openPlatformDb, platformKeyFileCipher, PlatformStore, type RetentionPolicy } from './platform-db';
import { sendProblem } from './problem';
import { registerTerminalApi } from './terminal-api';
import { loadOrCreateDocumentKeys } from './documents/document-issuer';
import { createRemoteHelp, type RemoteHelpOptions } from './remote-help/remote-help';
import { registerRemoteHelpTerminalRoutes } from './remote-help/terminal-routes';
import { registerRemoteHelpHallRoutes } from './remote-help/hall-routes';

export interface PlatformOptions {
  /** 0 picks a free port. */
  readonly port: number;
  /** Loopback by default; the hall network needs an explicit address such as 0.0.0.0. */
  readonly host?: string;
  readonly dataDir: string;
  /**
   * Encrypts submission bodies, documents, notes and comments. The embedded platform gets the
   * kiosk's; by default the platform keeps its own key file in `dataDir` (platformKeyFileCipher).
   */
  readonly cipher?: FieldCipher;
  readonly catalog: Catalogue;
  readonly log: Log;
  /** PEM certificate chain and key: the platform then serves HTTPS only. */
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
  /** Serve plain HTTP on a non-loopback address anyway (`--insecure-http`). */
  readonly allowInsecureHttp?: boolean;
  /** When residents' personal data is deleted (default: 30 days after a case is closed). */
  readonly retention?: RetentionPolicy;
  /** Injectable clock for tests. */
  readonly now?: () => Date;
  /** What the hourly maintenance (retention, expired hall sessions) waits on; a soak run passes accelerated ones. */
  readonly timers?: Timers;
  /** Elapsed time for hall sign-in lock-outs and session limits (tests pass a manual one). */
  readonly monotonic?: MonotonicClock;
  /** Case numbers are PREFIX + YYYYMMDD + 5-digit daily sequence. */
  readonly caseNumberPrefix?: string;
  readonly signatureWindowSeconds?: number;
  /** Requests per address and minute on the unauthenticated routes. */
  readonly rateLimits?: { readonly receiptVerify?: number; readonly enrol?: number; readonly signIn?: number };
  readonly lockout?: LockoutPolicy;
  readonly sessionIdleMs?: number;
  /** Broker accounts for enrolling terminals (docs/fleet.md); none when absent. */
  readonly fleetCredentials?: FleetCredentialIssuer;
  /** Named on issued documents (查询打印), with its seal image (PNG) when configured. */
  readonly issuingOffice?: string;
  readonly sealPng?: Buffer;
  /** Remote help by video: ICE servers (STUN/TURN), time limits (docs/remote-help.md). */
  readonly remoteHelp?: RemoteHelpOptions;
  /** Where the hall's page scripts are (default: dist/hall, written by `npm run build`). */
  readonly hallAssetsDir?: string;
}

export interface EnrolmentCodeOptions {
  /** The only terminal that may use the code. */
  readonly terminalId: string;
  /** Allow replacing the key of a terminal already enrolled (an admin's explicit re-key). */
  readonly rekey?: boolean;
  /** Use this code (e.g. from a configuration file) instead of a random one. */
  readonly code?: string;
  readonly ttlMs?: number;
  /** Who allowed it, for the audit log. */
  readonly issuedBy?: string;
}

export interface RunningPlatform {
  readonly url: string;
  /** Makes a one-time enrolment code for one terminal, valid for 24 hours unless told otherwise. */
  createEnrolmentCode(options: EnrolmentCodeOptions): string;
  /** The fingerprint of the terminal's current key, or null when it is not enrolled. */
  terminalFingerprint(terminalId: string): string | null;
  /** Applies the retention policy now (it also runs at start and hourly); returns the cases purged. */
  runRetention(): number;
  close(): Promise<void>;
}

/**
 * The hall page scripts `npm run build` writes (dist/hall). Found relative to this module, which sits
 * two folders below the project root both as source (platform/server/) and bundled (dist/node/).
 */
export const defaultHallAssetsDir = fileURLToPath(new URL('../../dist/hall', import.meta.url));

export const defaultRetention: RetentionPolicy = { after: 'closed', graceMs: 30 * 86_400_000 };

/** Why a platform must not start as asked: plain HTTP on a network address without the explicit flag. */
export class PlatformStartRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlatformStartRefused';
  }
}

export function plainHttpListenRefusal(host: string, tls: boolean, allowInsecureHttp: boolean): string | null {
  if (tls || allowInsecureHttp || isLoopbackHost(host)) return null;
  return (
    `refusing to serve plain HTTP on ${host}: hall passwords, session cookies and residents' documents would cross ` +
    'the network in clear (browsers also drop Secure cookies over plain HTTP). Give --tls-cert FILE --tls-key FILE, ' +
    'or --insecure-http if a TLS proxy in front of this port does that job'
  );
}

export async function startPlatform(options: PlatformOptions): Promise<RunningPlatform> {
  const log = options.log.child({ service: 'platform' });
  const host = options.host ?? '127.0.0.1';
  const refusal = plainHttpListenRefusal(host, options.tls !== undefined, options.allowInsecureHttp === true);
  if (refusal !== null) throw new PlatformStartRefused(refusal);

  let cipher = options.cipher;
  if (cipher === undefined) {
    const own = platformKeyFileCipher(options.dataDir);
    if (!own.ok) throw new PlatformStartRefused(own.error);
    cipher = own.value;
  }
  const db = openPlatformDb(options.dataDir, cipher);
  const catalogBody = JSON.stringify(options.catalog);
  const now = options.now ?? (() => new Date());
  const ctx: PlatformContext = {
    store: new PlatformStore(db, cipher),
    catalog: options.catalog,
    catalogBody,
    catalogEtag: `"${createHash('sha256').update(catalogBody).digest('base64url').slice(0, 27)}"`,
    log,
    now,
    caseNumberPrefix: options.caseNumberPrefix ?? 'YL',
    signatureWindowSeconds: options.signatureWindowSeconds ?? defaultWindowSeconds,
    rateLimits: {
      receiptVerify: options.rateLimits?.receiptVerify ?? 30,
      enrol: options.rateLimits?.enrol ?? 10,
    },
    fleetCredentials: options.fleetCredentials ?? null,
    documents: {
      keys: loadOrCreateDocumentKeys(options.dataDir, cipher),
      issuingOffice: options.issuingOffice ?? '县社会保险事业管理中心',
      ...(options.sealPng === undefined ? {} : { sealPng: options.sealPng }),
    },
    remoteHelp: createRemoteHelp(db, options.remoteHelp ?? {}, now, log.child({ part: 'remote-help' })),
  };
  const retention = options.retention ?? defaultRetention;

  let server: Awaited<ReturnType<typeof buildServer>>;
  try {
    server = await buildServer(options, ctx, db);
    await server.app.listen({ port: options.port, host });
  } catch (error) {
    ctx.remoteHelp.close();
    db.close();
    throw error;
  }
  const { app } = server;
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const url = `${options.tls === undefined ? 'http' : 'https'}://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
  log.info({ url }, 'platform listening');

  const runRetention = () => {
    const purged = ctx.store.purgePersonalData(retention, ctx.now());
    if (purged > 0) log.info({ purged }, 'retention: personal data deleted');
    return purged;
  };
  const maintenance = () => {
    try {
      runRetention();
      server.purgeExpiredSessions();
    } catch (error) {
      log.error({ error: error instanceof Error ? error.message : String(error) }, 'maintenance failed');
    }
  };
  const timers = options.timers ?? systemTimers;
  let timer: unknown;
  const everyHour = () => {
    maintenance();
    timer = timers.setTimeout(everyHour, 3600_000);
  };
  everyHour();

  return {
    url,
    createEnrolmentCode(codeOptions) {
      const issued = issueEnrolmentCode(ctx.store, ctx.now(), {
        terminalId: codeOptions.terminalId,
        purpose: codeOptions.rekey === true ? 'rekey' : 'enrol',
        issuedBy: codeOptions.issuedBy ?? 'platform operator',
        ...(codeOptions.code === undefined ? {} : { code: codeOptions.code }),
        ...(codeOptions.ttlMs === undefined ? {} : { ttlMs: codeOptions.ttlMs }),
      });
      if (!issued.ok) throw new Error(issued.error);
      log.info({ terminalId: codeOptions.terminalId, rekey: codeOptions.rekey === true }, 'enrolment code created');
      return issued.value;
    },
    terminalFingerprint: (terminalId) => ctx.store.terminal(terminalId)?.fingerprint ?? null,
    runRetention,
    async close() {
      timers.clearTimeout(timer);
      await app.close();
      db.close();
      log.info({}, 'platform stopped');
    },
  };
}

async function buildServer(
  options: PlatformOptions,
  ctx: PlatformContext,
  db: ReturnType<typeof openPlatformDb>,
): Promise<{ app: FastifyInstance; purgeExpiredSessions: () => number }> {
  const { log } = ctx;
  // fastify's own logger is off: it would log URLs and errors in its own shape; requests are logged below without personal data.
  const app = Fastify({
    logger: false,
    bodyLimit: 256 * 1024,
    return503OnClosing: true,
    ...(options.tls === undefined ? {} : { https: { cert: options.tls.cert, key: options.tls.key } }),
  }) as unknown as FastifyInstance;
  // Signatures cover the exact bytes, so every body arrives raw and routes parse it themselves.
  app.removeAllContentTypeParsers();
  // The 256 KiB limit holds for JSON; the attachment route raises its own to maxAttachmentBytes.
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: hallContentSecurityPolicy,
    referrerPolicy: { policy: 'no-referrer' },
    // Over plain HTTP (loopback) the header would be ignored anyway; over TLS it pins the hall to HTTPS.
    strictTransportSecurity: options.tls === undefined ? false : { maxAge: 31_536_000 },
  });
  // Limits are per route (sign-in, receipt check, enrolment): terminals behind one NAT share an address.
  await app.register(fastifyRateLimit, { global: false });

  app.addHook('onResponse', (request, reply, done) => {
    log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
    done();
  });
  app.setNotFoundHandler((_request, reply) => sendProblem(reply, 404, 'Not found'));
  app.setErrorHandler((error: { statusCode?: number; code?: string; message: string }, request, reply) => {
    const status =
      error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) log.error({ route: request.routeOptions.url, code: error.code }, 'request failed');
    return sendProblem(
      reply,
      status,
      status === 413
        ? 'Body too large'
        : status === 429
          ? 'Too many requests'
          : status === 500
            ? 'Internal error'
            : 'Bad request',
      status === 500 ? {} : { detail: error.message },
    );
  });

  // Every answer's Date is the platform's own clock (the one signatures are judged by): terminals
  // correct their signing time from it.
  app.addHook('onSend', (_request, reply, payload, done) => {
    void reply.header('date', ctx.now().toUTCString());
    done(null, payload);
  });
  registerTerminalApi(app, ctx);
  registerRemoteHelpTerminalRoutes(app, ctx, ctx.remoteHelp);
  // Long polls waiting for a call's next event are answered before the server waits for open requests.
  app.addHook('preClose', (done) => {
    ctx.remoteHelp.close();
    done();
  });

  let purge = () => 0;
  await app.register(async (hall) => {
    const accounts = await mountAccounts(hall, {
      db,
      basePath: '/hall',
      homePath: '/hall',
      roles: hallRoles,
      now: ctx.now,
      ...(options.monotonic === undefined ? {} : { monotonic: options.monotonic }),
      log: log.child({ part: 'hall-accounts' }),
      audit: (event) =>
        ctx.store.audit({ actor: event.actor, action: event.action, detail: event.detail ?? null }, ctx.now()),
      renderPage: (title, body) => page(title, body),
      ...(options.lockout === undefined ? {} : { lockout: options.lockout }),
      ...(options.sessionIdleMs === undefined ? {} : { idleMs: options.sessionIdleMs }),
      ...(options.rateLimits?.signIn === undefined ? {} : { signInPerMinute: options.rateLimits.signIn }),
    });
    purge = () => accounts.purgeExpiredSessions();
    registerHallRoutes(hall, ctx, accounts);
    registerRemoteHelpHallRoutes(hall, ctx, accounts, options.hallAssetsDir ?? defaultHallAssetsDir);
  });
  return { app, purgeExpiredSessions: () => purge() };
}

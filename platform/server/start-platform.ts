/**
 * Starts the reference platform: the /v1 contract for terminals and the hall's pages, over its
 * own SQLite database. The embedded kiosk setup, `npm run platform` and the tests all start it
 * through `startPlatform`.
 */
import { createHash } from 'node:crypto';
import Fastify from 'fastify';
import type { Catalogue } from '../../kiosk-config/catalogue-schema';
import type { Log } from '../../foundation/log';
import { defaultWindowSeconds } from '../contract/http-signature';
import { registerHallRoutes } from './hall-routes';
import type { FleetCredentialIssuer } from './fleet-credentials';
import type { PlatformContext } from './platform-context';
import { newEnrolmentCode, normalizeEnrolmentCode, openPlatformDb, PlatformStore } from './platform-db';
import { sendProblem } from './problem';
import { registerTerminalApi } from './terminal-api';

export interface PlatformOptions {
  /** 0 picks a free port. */
  readonly port: number;
  /** Loopback by default; the hall network needs an explicit address such as 0.0.0.0. */
  readonly host?: string;
  readonly dataDir: string;
  readonly catalog: Catalogue;
  readonly log: Log;
  /** Injectable clock for tests. */
  readonly now?: () => Date;
  /** Case numbers are PREFIX + YYYYMMDD + 5-digit daily sequence. */
  readonly caseNumberPrefix?: string;
  readonly signatureWindowSeconds?: number;
  /** Broker accounts for enrolling terminals (docs/fleet.md); none when absent. */
  readonly fleetCredentials?: FleetCredentialIssuer;
}

export interface EnrolmentCodeOptions {
  /** Use this code (e.g. from a configuration file) instead of a random one. */
  readonly code?: string;
  /** Only this terminal may use the code. */
  readonly terminalId?: string;
  readonly ttlMs?: number;
}

export interface RunningPlatform {
  readonly url: string;
  /** Makes a one-time enrolment code, valid for 24 hours unless told otherwise. */
  createEnrolmentCode(options?: EnrolmentCodeOptions): string;
  close(): Promise<void>;
}

export async function startPlatform(options: PlatformOptions): Promise<RunningPlatform> {
  const log = options.log.child({ service: 'platform' });
  const db = openPlatformDb(options.dataDir);
  const catalogBody = JSON.stringify(options.catalog);
  const ctx: PlatformContext = {
    store: new PlatformStore(db),
    catalog: options.catalog,
    catalogBody,
    catalogEtag: `"${createHash('sha256').update(catalogBody).digest('base64url').slice(0, 27)}"`,
    log,
    now: options.now ?? (() => new Date()),
    caseNumberPrefix: options.caseNumberPrefix ?? 'YL',
    signatureWindowSeconds: options.signatureWindowSeconds ?? defaultWindowSeconds,
    fleetCredentials: options.fleetCredentials ?? null,
  };

  // fastify's own logger is off: it would log URLs and errors in its own shape; requests are logged below without personal data.
  const app = Fastify({ logger: false, bodyLimit: 256 * 1024, return503OnClosing: true });
  // Signatures cover the exact bytes, so every body arrives raw and routes parse it themselves.
  app.removeAllContentTypeParsers();
  // The 256 KiB limit holds for JSON; the attachment route raises its own to maxAttachmentBytes.
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

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
      status === 413 ? 'Body too large' : status === 500 ? 'Internal error' : 'Bad request',
      status === 500 ? {} : { detail: error.message },
    );
  });

  registerTerminalApi(app, ctx);
  registerHallRoutes(app, ctx);

  try {
    await app.listen({ port: options.port, host: options.host ?? '127.0.0.1' });
  } catch (error) {
    db.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const host =
    options.host === undefined || options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log.info({ url }, 'platform listening');

  return {
    url,
    createEnrolmentCode(codeOptions = {}) {
      const code =
        codeOptions.code === undefined
          ? newEnrolmentCode()
          : normalizeEnrolmentCode(codeOptions.code).replace(/^(.{4})(.{4})$/, '$1-$2');
      ctx.store.addEnrolmentCode(code, ctx.now(), codeOptions.ttlMs ?? 24 * 3600_000, codeOptions.terminalId ?? null);
      log.info({ terminalId: codeOptions.terminalId ?? null }, 'enrolment code created');
      return code;
    },
    async close() {
      await app.close();
      db.close();
      log.info({}, 'platform stopped');
    },
  };
}

import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import { fastify, type FastifyInstance } from 'fastify';
import type { RawData } from 'ws';
import type { Log } from '../../foundation/log';
import type { KioskServices } from '../services/kiosk-services';
import { contentSecurityPolicy, TOKEN_PLACEHOLDER, tokensMatch } from './host-security';

/**
 * The browser host: the same services as the Electron shell, reached over a WebSocket on
 * 127.0.0.1 by a page it serves itself. The page gets a secret token generated at each launch;
 * the socket is accepted only with that token and from the page's own origin.
 */
export interface BrowserHostOptions {
  readonly services: KioskServices;
  readonly rendererDir: string;
  readonly port: number;
  readonly log: Log;
  /** Extra routes a caller mounts (the simulator dock); they may check the launch token. */
  readonly extraRoutes?: (app: FastifyInstance, token: () => string) => void;
  /** What GET /healthz answers (default: the services' own health). */
  readonly health?: () => Promise<unknown>;
}

export interface BrowserHost {
  readonly url: string;
  readonly token: string;
  close(): Promise<void>;
}

/** A WebSocket message as text, whichever form ws hands it over in. */
export function messageText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return (Buffer.isBuffer(data) ? data : Buffer.from(data)).toString('utf8');
}

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const { services, log } = options;
  const token = randomBytes(32).toString('base64url');
  let indexTemplate: string;
  try {
    indexTemplate = await readFile(join(options.rendererDir, 'index.html'), 'utf8');
  } catch {
    throw new Error(`the renderer is not built (${options.rendererDir}/index.html missing): run \`npm run build\``);
  }
  if (!indexTemplate.includes(TOKEN_PLACEHOLDER)) throw new Error('renderer index.html has no token placeholder');

  const app = fastify({ logger: false, bodyLimit: 1024 * 1024 });
  // The largest call is a photo (at most 4 MB of base64, api/journey-contract.ts) in its envelope.
  await app.register(fastifyWebsocket, { options: { maxPayload: 5 * 1024 * 1024 } });
  await app.register(fastifyStatic, { root: options.rendererDir, index: false, wildcard: true, prefix: '/' });

  let origin = '';
  // DNS rebinding: a foreign page whose name now resolves to 127.0.0.1 still sends its own name as
  // Host. Only requests that name exactly the address and port served here are answered.
  app.addHook('onRequest', async (request, reply) => {
    if (request.headers.host === new URL(origin).host) return;
    log.warn({ host: request.headers.host?.slice(0, 100) ?? null }, 'request refused: foreign Host');
    await reply.code(421).send({ error: 'misdirected request' });
  });
  const page = () => indexTemplate.replace(TOKEN_PLACEHOLDER, token);
  const sendPage = (reply: {
    header(k: string, v: string): unknown;
    type(t: string): { send(b: string): unknown };
  }) => {
    reply.header('Content-Security-Policy', contentSecurityPolicy(origin));
    reply.header('Cache-Control', 'no-store');
    reply.header('X-Content-Type-Options', 'nosniff');
    return reply.type('text/html; charset=utf-8').send(page());
  };
  app.get('/', (_req, reply) => sendPage(reply));
  app.get('/index.html', (_req, reply) => sendPage(reply));
  app.get('/healthz', () => (options.health === undefined ? services.health() : options.health()));

  app.get(
    '/rpc',
    {
      websocket: true,
      preValidation: async (request, reply) => {
        const query = request.query as Record<string, unknown>;
        if (!tokensMatch(query['token'], token)) {
          log.warn({ remote: request.ip }, 'websocket refused: bad token');
          return reply.code(401).send({ error: 'bad token' });
        }
        if (request.headers.origin !== origin) {
          log.warn({ origin: request.headers.origin ?? null }, 'websocket refused: foreign origin');
          return reply.code(403).send({ error: 'foreign origin' });
        }
        return undefined;
      },
    },
    (socket) => {
      const unsubscribe = services.rpc.onNotification((notification) => socket.send(JSON.stringify(notification)));
      socket.on('message', (data) => {
        void services.rpc.handle(messageText(data), { transport: 'websocket' }).then((response) => {
          if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(response));
        });
      });
      socket.on('close', unsubscribe);
    },
  );
  options.extraRoutes?.(app, () => token);

  await app.listen({ host: '127.0.0.1', port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  origin = `http://127.0.0.1:${port}`;
  log.info({ port }, 'browser host listening');
  return {
    url: `${origin}/`,
    token,
    async close() {
      await app.close();
    },
  };
}

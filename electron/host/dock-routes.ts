import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ID_READER_FAULTS } from '../../drivers/id-card/id-reader-model';
import { SAMPLE_CARD_NAMES } from '../../drivers/id-card/sample-cards';
import { keypadKeys } from '../../foundation/keypad-keys';
import type { SimulatorDock } from '../services/devices/simulator-dock';
import { tokensMatch } from './host-security';
import type { EmbeddedPlatformControl } from '../services/platform-link';

/**
 * HTTP control of the simulators and the embedded platform for development, demos and e2e tests:
 * insert and remove cards, set reader faults, set printer states, read what was printed, scan a
 * code, press a keypad key, take the platform down and up. Mounted by the browser host only when devices are simulated
 * or `--dev-dock` is given, and guarded by its token.
 */
const printerPatch = z.strictObject({
  online: z.boolean().optional(),
  paper: z.enum(['ok', 'near-end', 'out']).optional(),
  coverOpen: z.boolean().optional(),
  error: z.enum(['cutter', 'unrecoverable', 'auto-recoverable']).nullable().optional(),
  paperOutAfterBytes: z.number().int().nonnegative().nullable().optional(),
  responding: z.boolean().optional(),
});

export function mountDockRoutes(
  app: FastifyInstance,
  options: { dock: SimulatorDock; platform: EmbeddedPlatformControl | null; token: () => string },
): void {
  // The routes live in their own plugin under /dock and the token hook is scoped to it: the hook runs
  // for whatever route the router matched (it decodes and normalises the path), so a percent-escaped
  // spelling such as /%64ock/… cannot reach a dock route past the check.
  void app.register(
    (scope, _opts, done) => {
      scope.addHook('onRequest', async (request, reply) => {
        if (!tokensMatch(request.headers['x-kiosk-token'], options.token()))
          await reply.code(401).send({ error: 'bad token' });
      });
      dockRoutes(scope, options);
      done();
    },
    { prefix: '/dock' },
  );
}

function dockRoutes(
  app: FastifyInstance,
  options: { dock: SimulatorDock; platform: EmbeddedPlatformControl | null },
): void {
  const { dock } = options;
  const answer = (done: boolean, what: string) =>
    done ? { ok: true } : { ok: false, error: `${what} is not simulated` };

  app.post('/id-reader/card', async (request, reply) => {
    const body = z.strictObject({ name: z.enum(SAMPLE_CARD_NAMES) }).safeParse(request.body);
    if (!body.success) return reply.code(400).send({ error: `card must be one of ${SAMPLE_CARD_NAMES.join(', ')}` });
    return answer(dock.insertCard(body.data.name), 'the ID reader');
  });
  app.delete('/id-reader/card', (_request, reply) => reply.send(answer(dock.removeCard(), 'the ID reader')));
  app.post('/id-reader/fault', async (request, reply) => {
    const body = z.strictObject({ fault: z.enum(ID_READER_FAULTS).nullable() }).safeParse(request.body);
    if (!body.success)
      return reply.code(400).send({ error: `fault must be null or one of ${ID_READER_FAULTS.join(', ')}` });
    return answer(dock.setCardFault(body.data.fault), 'the ID reader');
  });
  app.post('/printer/state', async (request, reply) => {
    const body = printerPatch.safeParse(request.body);
    if (!body.success)
      return reply
        .code(400)
        .send({ error: body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
    const patch = Object.fromEntries(Object.entries(body.data).filter(([, v]) => v !== undefined));
    return answer(dock.setPrinterState(patch), 'the printer');
  });
  app.get('/printer/receipts', (_request, reply) =>
    reply.send(
      (dock.running.printer?.receipts() ?? []).map((r, index) => ({
        index,
        text: r.text,
        qrPayloads: r.qrPayloads,
        cut: r.cut,
        bytes: r.bytes,
      })),
    ),
  );
  app.get('/printer/receipts/:index', async (request, reply) => {
    const index = Number((request.params as { index: string }).index);
    const receipt = dock.running.printer?.receipts()[index];
    if (receipt === undefined) return reply.code(404).send({ error: 'no such receipt' });
    return reply.type('image/png').send(receipt.png);
  });
  app.post('/scanner/scan', async (request, reply) => {
    const body = z.strictObject({ text: z.string().min(1).max(1000) }).safeParse(request.body);
    if (!body.success) return reply.code(400).send({ error: 'text is required' });
    return answer(dock.scan(body.data.text), 'the scanner');
  });
  app.post('/keypad/press', async (request, reply) => {
    const body = z.strictObject({ key: z.enum(keypadKeys) }).safeParse(request.body);
    if (!body.success) return reply.code(400).send({ error: `key must be one of ${keypadKeys.join(', ')}` });
    return answer(dock.pressKey(body.data.key), 'the keypad');
  });
  app.post('/platform/:action', async (request, reply) => {
    const action = (request.params as { action: string }).action;
    if (options.platform === null) return reply.code(409).send({ error: 'the platform is not embedded' });
    if (action === 'stop') await options.platform.stop();
    else if (action === 'start') await options.platform.start();
    else return reply.code(404).send({ error: 'stop or start' });
    return { ok: true, running: options.platform.running };
  });
}

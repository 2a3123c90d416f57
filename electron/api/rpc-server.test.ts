import { describe, expect, it } from 'vitest';
import { recordingLog } from '../../foundation/log';
import { err, ok } from '../../foundation/result';
import { embeddedCatalogue } from '../../kiosk-config/catalogue';
import { createRpcServer, type Handlers } from './rpc-server';
import { ErrorCode } from './jsonrpc';
import { staffMethods } from './staff-contract';

const SESSION = '6f1c2a0e-7a53-4c1e-9a43-2b1b8d0e5f10';
const unused = () => {
  throw new Error('not used in these tests');
};

function handlers(overrides: Partial<Handlers> = {}): Handlers {
  return {
    'kiosk.info': () =>
      ok({
        version: '1',
        terminalId: 'T',
        terminalName: 'N',
        servicePointName: 'P',
        servicePointPhone: '',
        villageGroups: ['一组'],
        languages: ['zh-CN'],
        defaultLanguage: 'zh-CN',
        idleTimeoutSeconds: 120,
        idleWarningSeconds: 30,
        largeTextByDefault: false,
        voiceByDefault: false,
        cameraLabel: '',
        retentionDays: 7,
        remoteHelp: null,
      }),
    'catalogue.get': () => ok(embeddedCatalogue),
    'notice.get': () => ok({ notice: null }),
    'storage.get': () => ok({ accepting: true }),
    'session.start': () => ok({ sessionId: SESSION }),
    'session.end': () => ok({}),
    'health.get': () => ok({ status: 'ok', version: '1', uptimeSeconds: 1, sessionActive: false }),
    'ui.report': () => ok({}),
    'speech.speak': () => ok({ spoken: false }),
    'speech.stop': () => ok({}),
    'audio.headphones': () => ok({ setting: 'detect', jack: 'unknown', headphonesIn: false }),
    'audio.privateListening': () => ok({ headphonesIn: false, speakerMuted: false }),
    'journey.cards': () => ok({ cards: [] }),
    'journey.attachDocument': unused,
    'document.printerState': unused,
    'document.request': unused,
    'document.page': unused,
    'document.print': unused,
    'remoteHelp.start': unused,
    'remoteHelp.consent': unused,
    'remoteHelp.signal': unused,
    'remoteHelp.end': unused,
    'remoteHelp.helped': unused,
    'journey.submit': unused,
    'receipt.print': unused,
    'rating.submit': unused,
    'progress.lookup': () => ok({ found: false, reason: 'unknown' }),
    'progress.byCard': unused,
    ...(Object.fromEntries(Object.keys(staffMethods).map((name) => [name, unused])) as unknown as Pick<
      Handlers,
      keyof typeof staffMethods
    >),
    ...overrides,
  };
}

const ctx = { transport: 'test' } as const;

describe('rpc server', () => {
  it('answers a valid request with its validated result', async () => {
    const rpc = createRpcServer(handlers(), recordingLog());
    expect(await rpc.handle({ jsonrpc: '2.0', id: 1, method: 'session.start', params: {} }, ctx)).toEqual({
      jsonrpc: '2.0',
      id: 1,
      result: { sessionId: SESSION },
    });
  });

  it('parses string messages and reports a parse error for garbage', async () => {
    const rpc = createRpcServer(handlers(), recordingLog());
    expect(
      await rpc.handle('{"jsonrpc":"2.0","id":"a","method":"session.end","params":{"reason":"finished"}}', ctx),
    ).toEqual({ jsonrpc: '2.0', id: 'a', result: {} });
    expect(await rpc.handle('{not json', ctx)).toMatchObject({ id: null, error: { code: ErrorCode.parseError } });
  });

  it('refuses malformed envelopes, unknown methods and invalid params with typed errors', async () => {
    const rpc = createRpcServer(handlers(), recordingLog());
    expect(await rpc.handle({ id: 2, method: 'kiosk.info' }, ctx)).toMatchObject({
      id: 2,
      error: { code: ErrorCode.invalidRequest },
    });
    expect(await rpc.handle({ jsonrpc: '2.0', id: 3, method: 'kiosk.reboot' }, ctx)).toMatchObject({
      id: 3,
      error: { code: ErrorCode.methodNotFound },
    });
    expect(
      await rpc.handle({ jsonrpc: '2.0', id: 4, method: 'session.end', params: { reason: 'bored' } }, ctx),
    ).toMatchObject({
      id: 4,
      error: { code: ErrorCode.invalidParams, data: { kind: 'invalid-params', issues: [{ path: 'reason' }] } },
    });
    // Extra keys are refused too: the service never sees fields the contract does not name.
    expect(
      await rpc.handle({ jsonrpc: '2.0', id: 5, method: 'session.start', params: { admin: true } }, ctx),
    ).toMatchObject({ error: { code: ErrorCode.invalidParams } });
  });

  it('sends a declared failure as data (its log line stays behind), and thrown bugs as internal errors, never a crash', async () => {
    const log = recordingLog();
    const rpc = createRpcServer(
      handlers({
        'journey.attachDocument': () => err({ kind: 'not-a-jpeg', message: 'starts with 89 50' }),
        'staff.signIn': () => err({ kind: 'wrong-pin', triesBeforeLock: 2, lockedSeconds: 0, message: 'wrong' }),
        'session.end': () => {
          throw new Error('boom');
        },
      }),
      log,
    );
    const attach = { requirementId: 'household-register', jpegBase64: 'AAAA' };
    expect(await rpc.handle({ jsonrpc: '2.0', id: 6, method: 'journey.attachDocument', params: attach }, ctx)).toEqual({
      jsonrpc: '2.0',
      id: 6,
      error: { code: ErrorCode.serviceError, message: 'not-a-jpeg', data: { kind: 'not-a-jpeg' } },
    });
    expect(log.lines.find((l) => l.message === 'call refused')?.fields).toMatchObject({ reason: 'starts with 89 50' });
    expect(await rpc.handle({ jsonrpc: '2.0', id: 7, method: 'staff.signIn', params: { pin: '1' } }, ctx)).toEqual({
      jsonrpc: '2.0',
      id: 7,
      error: {
        code: ErrorCode.serviceError,
        message: 'wrong-pin',
        data: { kind: 'wrong-pin', triesBeforeLock: 2, lockedSeconds: 0 },
      },
    });
    expect(
      await rpc.handle({ jsonrpc: '2.0', id: 8, method: 'session.end', params: { reason: 'finished' } }, ctx),
    ).toMatchObject({ error: { code: ErrorCode.internalError } });
  });

  it('never lets a failure the contract does not declare reach the renderer', async () => {
    const log = recordingLog();
    // A bug that the types would catch: session.start declares no failures at all.
    const rpc = createRpcServer(
      handlers({ 'session.start': (() => err({ kind: 'reader-unplugged' })) as unknown as Handlers['session.start'] }),
      log,
    );
    expect(await rpc.handle({ jsonrpc: '2.0', id: 9, method: 'session.start', params: {} }, ctx)).toMatchObject({
      error: { code: ErrorCode.internalError, data: { kind: 'bad-failure' } },
    });
    expect(log.lines.some((l) => l.message === 'failure not declared by the contract')).toBe(true);
  });

  it('never lets a result that breaks the contract reach the renderer', async () => {
    const log = recordingLog();
    const rpc = createRpcServer(handlers({ 'session.start': () => ok({ sessionId: 'not-a-uuid' }) }), log);
    expect(await rpc.handle({ jsonrpc: '2.0', id: 8, method: 'session.start', params: {} }, ctx)).toMatchObject({
      error: { code: ErrorCode.internalError, data: { kind: 'bad-result' } },
    });
    expect(log.lines.some((l) => l.message === 'result failed contract validation')).toBe(true);
  });

  it('forwards valid events as notifications and drops invalid ones', () => {
    const rpc = createRpcServer(handlers(), recordingLog());
    const seen: unknown[] = [];
    const unsubscribe = rpc.onNotification((n) => seen.push(n));
    rpc.emit('session.ended', { sessionId: SESSION, reason: 'timeout' });
    rpc.emit('session.ended', { sessionId: SESSION, reason: 'lunch' as 'timeout' });
    unsubscribe();
    rpc.emit('session.ended', { sessionId: SESSION, reason: 'finished' });
    expect(seen).toEqual([
      { jsonrpc: '2.0', method: 'session.ended', params: { sessionId: SESSION, reason: 'timeout' } },
    ]);
  });
});

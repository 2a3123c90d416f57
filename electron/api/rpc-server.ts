import type { z } from 'zod';
import { createListeners } from '../../foundation/listeners';
import type { Log } from '../../foundation/log';
import type { Result } from '../../foundation/result';
import {
  events,
  isMethodName,
  methods,
  type EventName,
  type EventPayload,
  type FailureOf,
  type MethodName,
  type ResultOf,
} from './contract';
import type { Refusal } from './failures';
import {
  ErrorCode,
  requestSchema,
  type JsonRpcErrorObject,
  type JsonRpcNotification,
  type JsonRpcResponse,
  type RequestId,
} from './jsonrpc';

/** Who is calling; transports fill it in after their own origin/token checks. */
export interface CallContext {
  readonly transport: 'electron-ipc' | 'websocket' | 'test';
  /**
   * The connection the call came on (one per browser-host socket): a staff session belongs to
   * the connection that signed in. Absent where the transport has only one (Electron's window).
   */
  readonly connection?: string;
}

/** The connection a call came on; a transport with a single connection is that connection. */
export function connectionOf(ctx: CallContext): string {
  return ctx.connection ?? ctx.transport;
}

export type HandlerOutcome<M extends MethodName> = Result<ResultOf<M>, Refusal<FailureOf<M>>>;

export type Handler<M extends MethodName> = (
  params: z.output<(typeof methods)[M]['params']>,
  ctx: CallContext,
) => Promise<HandlerOutcome<M>> | HandlerOutcome<M>;

export type Handlers = { [M in MethodName]: Handler<M> };

/** What services are given to tell the renderer something: payloads are validated like results. */
export interface EventSink {
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
}

/** Events as JSON-RPC notifications: services emit into it, transports forward what comes out. */
export interface EventChannel extends EventSink {
  /** Subscribe to event notifications for a transport to forward. */
  onNotification(listener: (notification: JsonRpcNotification) => void): () => void;
}

export interface RpcServer extends EventChannel {
  /** Handle one raw message (already JSON-parsed, or a string). Never throws. */
  handle(raw: unknown, ctx: CallContext): Promise<JsonRpcResponse>;
}

function failure(id: RequestId | null, error: JsonRpcErrorObject): JsonRpcResponse {
  return { jsonrpc: '2.0', id, error };
}

function issuesOf(error: z.ZodError) {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

/** Made before the services (they emit into it) and handed to the RPC server once the handlers exist. */
export function createEventChannel(log: Log): EventChannel {
  const listeners = createListeners<JsonRpcNotification>((error) =>
    log.error({ error: error instanceof Error ? error.message : String(error) }, 'notification listener failed'),
  );
  return {
    onNotification: (listener) => listeners.subscribe(listener),
    emit(name, payload) {
      const checked = events[name].safeParse(payload);
      if (!checked.success) {
        log.error({ event: name, issues: issuesOf(checked.error) }, 'event failed contract validation');
        return;
      }
      listeners.emit({ jsonrpc: '2.0', method: name, params: checked.data });
    },
  };
}

export function createRpcServer(
  handlers: Handlers,
  log: Log,
  channel: EventChannel = createEventChannel(log),
): RpcServer {
  async function dispatch<M extends MethodName>(
    name: M,
    params: unknown,
    ctx: CallContext,
    id: RequestId,
  ): Promise<JsonRpcResponse> {
    const spec = methods[name];
    const parsed = spec.params.safeParse(params ?? {});
    if (!parsed.success) {
      return failure(id, {
        code: ErrorCode.invalidParams,
        message: `invalid params for ${name}`,
        data: { kind: 'invalid-params', issues: issuesOf(parsed.error) },
      });
    }
    const handler = handlers[name] as Handler<M>;
    const outcome = await handler(parsed.data as z.output<(typeof methods)[M]['params']>, ctx);
    if (!outcome.ok) {
      const refusal: { kind?: unknown; message?: unknown } = outcome.error;
      log.info({ method: name, failure: refusal.kind, reason: refusal.message }, 'call refused');
      // Only the failures the contract declares cross, without the log line; anything else is a bug.
      const declared = spec.errors.safeParse(outcome.error);
      if (!declared.success) {
        log.error({ method: name, issues: issuesOf(declared.error) }, 'failure not declared by the contract');
        return failure(id, { code: ErrorCode.internalError, message: 'internal error', data: { kind: 'bad-failure' } });
      }
      const data = declared.data as { kind: string };
      return failure(id, { code: ErrorCode.serviceError, message: data.kind, data });
    }
    const checked = spec.result.safeParse(outcome.value);
    if (!checked.success) {
      // A service broke the contract: a bug, reported as internal so the renderer never sees bad data.
      log.error({ method: name, issues: issuesOf(checked.error) }, 'result failed contract validation');
      return failure(id, { code: ErrorCode.internalError, message: 'internal error', data: { kind: 'bad-result' } });
    }
    return { jsonrpc: '2.0', id, result: checked.data };
  }

  return {
    async handle(raw, ctx) {
      let message = raw;
      if (typeof raw === 'string') {
        try {
          message = JSON.parse(raw);
        } catch {
          return failure(null, { code: ErrorCode.parseError, message: 'parse error' });
        }
      }
      const request = requestSchema.safeParse(message);
      if (!request.success) {
        const id = typeof message === 'object' && message !== null && 'id' in message ? message.id : null;
        const safeId = typeof id === 'string' || typeof id === 'number' ? id : null;
        return failure(safeId, {
          code: ErrorCode.invalidRequest,
          message: 'invalid request',
          data: { kind: 'invalid-request', issues: issuesOf(request.error) },
        });
      }
      const { id, method: name, params } = request.data;
      if (!isMethodName(name)) {
        return failure(id, { code: ErrorCode.methodNotFound, message: `unknown method ${name}` });
      }
      try {
        return await dispatch(name, params, ctx, id);
      } catch (error) {
        log.error({ method: name, error: error instanceof Error ? error.message : String(error) }, 'handler threw');
        return failure(id, {
          code: ErrorCode.internalError,
          message: 'internal error',
          data: { kind: 'handler-threw' },
        });
      }
    },
    onNotification: (listener) => channel.onNotification(listener),
    emit: (name, payload) => channel.emit(name, payload),
  };
}

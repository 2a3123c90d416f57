import { z } from 'zod';

/**
 * JSON-RPC 2.0 envelope. The same messages travel over Electron IPC and over the browser host's
 * WebSocket, so both transports share one validator and one dispatcher (rpc-server.ts).
 */
export const JSONRPC_VERSION = '2.0';

export const requestIdSchema = z.union([z.string().max(64), z.number().int()]);
export type RequestId = z.infer<typeof requestIdSchema>;

export const requestSchema = z.strictObject({
  jsonrpc: z.literal(JSONRPC_VERSION),
  id: requestIdSchema,
  method: z.string().min(1).max(100),
  params: z.unknown().optional(),
});
export type JsonRpcRequest = z.infer<typeof requestSchema>;

/** Standard codes, plus the kiosk's own in the implementation-defined server range. */
export const ErrorCode = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
  /** A service refused the call for a reason the user or staff can act on (see `data.kind`). */
  serviceError: -32000,
  /** The caller is not allowed to make this call (wrong origin, no staff session). */
  forbidden: -32001,
} as const;
export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface JsonRpcErrorObject {
  readonly code: ErrorCodeValue;
  readonly message: string;
  /** For a service error, the declared failure itself (`kind` and its typed fields). */
  readonly data?: {
    readonly kind: string;
    readonly issues?: ReadonlyArray<{ path: string; message: string }>;
    readonly [field: string]: unknown;
  };
}

export type JsonRpcResponse =
  | { readonly jsonrpc: '2.0'; readonly id: RequestId; readonly result: unknown }
  | { readonly jsonrpc: '2.0'; readonly id: RequestId | null; readonly error: JsonRpcErrorObject };

export interface JsonRpcNotification {
  readonly jsonrpc: '2.0';
  readonly method: string;
  readonly params: unknown;
}

export const responseSchema = z.union([
  z.strictObject({ jsonrpc: z.literal(JSONRPC_VERSION), id: requestIdSchema, result: z.unknown() }),
  z.strictObject({
    jsonrpc: z.literal(JSONRPC_VERSION),
    id: requestIdSchema.nullable(),
    error: z.object({ code: z.number().int(), message: z.string(), data: z.unknown().optional() }),
  }),
]);

export const notificationSchema = z.strictObject({
  jsonrpc: z.literal(JSONRPC_VERSION),
  method: z.string(),
  params: z.unknown(),
});

/**
 * A terminal's remote help signalling reduced to signed fetches, for the platform's route tests and
 * the relay test (the kiosk's own client is the terminal side's business): every request is signed
 * with the terminal's key exactly as the kiosk signs.
 */
import type { KeyObject } from 'node:crypto';
import { signRequest } from '../../platform/contract/http-signature';
import {
  callEventsSchema,
  callQueuedSchema,
  type CallEvent,
  type CallQueued,
  type RtcSignal,
} from '../../platform/contract/remote-help';

export class RemoteHelpTerminal {
  /** The last event seq read. */
  after = 0;

  constructor(
    readonly baseUrl: string,
    readonly terminalId: string,
    readonly privateKey: KeyObject,
  ) {}

  async request(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    options: { signal?: AbortSignal; raw?: Buffer; unsigned?: boolean } = {},
  ): Promise<Response> {
    const url = `${this.baseUrl}${path}`;
    const bytes = options.raw ?? (body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body)));
    const headers =
      options.unsigned === true
        ? {}
        : signRequest({ method, url, body: bytes }, { keyId: this.terminalId, privateKey: this.privateKey });
    return fetch(url, {
      method,
      headers: { ...headers, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) },
      ...(method === 'POST' ? { body: new Uint8Array(bytes) } : {}),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  }

  async call(servicePoint?: string): Promise<CallQueued> {
    const response = await this.request('POST', '/v1/remote-help/calls', {
      language: 'zh',
      ...(servicePoint === undefined ? {} : { servicePoint }),
    });
    if (response.status !== 201) throw new Error(`call refused: ${response.status} ${await response.text()}`);
    this.after = 0;
    this.backlog = [];
    return callQueuedSchema.parse(await response.json());
  }

  /** Events read but not yet handed out (`until` stops at the one it wants). */
  private backlog: CallEvent[] = [];

  /** The events not yet handed out, or one long poll's worth; remembers how far it read. */
  async events(callId: string, signal?: AbortSignal): Promise<CallEvent[]> {
    if (this.backlog.length > 0) return this.backlog.splice(0);
    const response = await this.request(
      'GET',
      `/v1/remote-help/calls/${callId}/events?after=${this.after}`,
      undefined,
      {
        ...(signal === undefined ? {} : { signal }),
      },
    );
    if (response.status !== 200) throw new Error(`events refused: ${response.status} ${await response.text()}`);
    const { events } = callEventsSchema.parse(await response.json());
    const last = events.at(-1);
    if (last !== undefined) this.after = last.seq;
    return events.map((e) => e.event);
  }

  /** Reads until an event of this type arrives; later events stay for the next read. */
  async until<T extends CallEvent['type']>(callId: string, type: T): Promise<Extract<CallEvent, { type: T }>> {
    for (;;) {
      const events = await this.events(callId);
      const index = events.findIndex((e) => e.type === type);
      if (index >= 0) {
        this.backlog = events.slice(index + 1);
        return events[index] as Extract<CallEvent, { type: T }>;
      }
    }
  }

  signal(callId: string, signal: RtcSignal): Promise<Response> {
    return this.request('POST', `/v1/remote-help/calls/${callId}/signals`, signal);
  }

  end(callId: string, reason: 'hung-up' | 'gave-up' | 'session-ended' = 'hung-up'): Promise<Response> {
    return this.request('POST', `/v1/remote-help/calls/${callId}/end`, { reason });
  }
}

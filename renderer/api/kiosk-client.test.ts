import { describe, expect, it } from 'vitest';
import type { KioskBridge } from '../../electron/api/bridge';
import { createKioskClient } from './kiosk-client';

function bridge(answer: (message: { id: number }) => unknown): KioskBridge {
  return {
    call: (message) => Promise.resolve(answer(message as { id: number })),
    subscribe: () => () => undefined,
  };
}

describe('kiosk client', () => {
  it('answers a result, a declared failure with its data, or unavailable — and never throws', async () => {
    const answers = [
      (id: number) => ({ jsonrpc: '2.0', id, result: { cards: [] } }),
      (id: number) => ({
        jsonrpc: '2.0',
        id,
        error: { code: -32000, message: 'no-session', data: { kind: 'no-session' } },
      }),
      (id: number) => ({
        jsonrpc: '2.0',
        id,
        error: { code: -32603, message: 'internal error', data: { kind: 'bad-result' } },
      }),
      () => {
        throw new Error('socket closed');
      },
    ];
    const client = createKioskClient(bridge((message) => answers.shift()?.(message.id)));
    expect(await client.call('journey.cards', {})).toEqual({ ok: true, value: { cards: [] } });
    expect(await client.call('journey.cards', {})).toEqual({ ok: false, error: { kind: 'no-session' } });
    expect(await client.call('journey.cards', {})).toEqual({ ok: false, error: { kind: 'unavailable' } });
    expect(await client.call('journey.cards', {})).toEqual({ ok: false, error: { kind: 'unavailable' } });
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodePeerMessage,
  maxPeerMessageBytes,
  parsePeerMessage,
  type MirrorItem,
  type PeerMessage,
} from './remote-help-peer';

const text = (max: number) => fc.string({ maxLength: max, unit: 'grapheme' }).filter((s) => s.length <= max);
const item: fc.Arbitrary<MirrorItem> = fc.record(
  {
    id: text(64),
    role: fc.constantFrom('heading', 'text', 'button', 'choice', 'field'),
    label: text(500),
    value: text(500),
    selected: fc.boolean(),
    disabled: fc.boolean(),
  },
  { requiredKeys: ['id', 'role', 'label'] },
);
const message: fc.Arbitrary<PeerMessage> = fc.oneof(
  fc.record({
    t: fc.constant('mirror' as const),
    seq: fc.nat(),
    mirror: fc.record({
      screen: text(64),
      language: fc.constantFrom('zh' as const, 'en' as const),
      items: fc.array(item, { maxLength: 20 }),
    }),
  }),
  fc.record({ t: fc.constant('proposal-answered' as const), proposalId: text(64), accepted: fc.boolean() }),
  fc.record({ t: fc.constant('point' as const), itemId: fc.option(text(64), { nil: null }) }),
  fc.record({ t: fc.constant('propose' as const), proposalId: text(64), itemId: text(64), value: text(500) }),
);

const mirror = (items: unknown[]) =>
  JSON.stringify({ t: 'mirror', seq: 1, mirror: { screen: 's', language: 'zh', items } });

describe('remote-help peer messages', () => {
  it('reads back every message it sends (property)', () => {
    fc.assert(
      fc.property(message, (m) => {
        const encoded = encodePeerMessage(m);
        expect(encoded).not.toBeNull();
        expect(parsePeerMessage(encoded)).toEqual(m);
      }),
    );
  });

  it('never throws on any text, and anything it accepts is one of the four messages (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.anything().map((v) => JSON.stringify(v) ?? ''),
        ),
        (input) => {
          const parsed = parsePeerMessage(input);
          if (parsed !== null) expect(['mirror', 'proposal-answered', 'point', 'propose']).toContain(parsed.t);
        },
      ),
    );
  });

  it('drops a message with one field broken, whichever (property)', () => {
    fc.assert(
      fc.property(message, fc.nat(), (m, pick) => {
        const fields = Object.keys(m).filter((k) => k !== 't');
        const field = fields[pick % fields.length];
        if (field === undefined) return;
        // A number where text or a record is expected, text where a number or boolean is.
        const broken = { ...m, [field]: typeof (m as Record<string, unknown>)[field] === 'number' ? 'x' : 7 };
        expect(parsePeerMessage(JSON.stringify(broken))).toBeNull();
      }),
    );
  });

  it('drops non-strings, bad JSON, arrays and unknown types', () => {
    expect(parsePeerMessage(undefined)).toBeNull();
    expect(parsePeerMessage(new ArrayBuffer(4))).toBeNull();
    expect(parsePeerMessage('{')).toBeNull();
    expect(parsePeerMessage('[]')).toBeNull();
    expect(parsePeerMessage('null')).toBeNull();
    expect(parsePeerMessage(JSON.stringify({ t: 'eval', code: 'x' }))).toBeNull();
    expect(parsePeerMessage(JSON.stringify({ t: 'point' }))).toBeNull();
  });

  it('drops an oversized message and will not send one', () => {
    const big = 'x'.repeat(maxPeerMessageBytes);
    expect(parsePeerMessage(JSON.stringify({ t: 'point', itemId: big }))).toBeNull();
    const items = Array.from({ length: 200 }, (_, i) => ({
      id: `i${i}`,
      role: 'text' as const,
      label: '字'.repeat(400),
    }));
    expect(encodePeerMessage({ t: 'mirror', seq: 1, mirror: { screen: 's', language: 'zh', items } })).toBeNull();
  });

  it('drops a mirror with an unknown role, a non-boolean flag, a long value or too many items', () => {
    expect(parsePeerMessage(mirror([{ id: 'a', role: 'script', label: 'x' }]))).toBeNull();
    expect(parsePeerMessage(mirror([{ id: 'a', role: 'button', label: 'x', selected: 'yes' }]))).toBeNull();
    expect(parsePeerMessage(mirror([{ id: 'a', role: 'field', label: 'x', value: 'v'.repeat(501) }]))).toBeNull();
    const many = Array.from({ length: 301 }, (_, i) => ({ id: `i${i}`, role: 'text', label: '' }));
    expect(parsePeerMessage(mirror(many))).toBeNull();
    expect(
      parsePeerMessage(JSON.stringify({ t: 'mirror', seq: 1.5, mirror: { screen: 's', language: 'zh', items: [] } })),
    ).toBeNull();
    expect(
      parsePeerMessage(JSON.stringify({ t: 'mirror', seq: 1, mirror: { screen: 's', language: 'fr', items: [] } })),
    ).toBeNull();
  });

  it('passes on only the fields it knows (nothing the sender added reaches the other screen)', () => {
    const parsed = parsePeerMessage(mirror([{ id: 'a', role: 'button', label: '下一步', onclick: 'x', html: '<b>' }]));
    expect(parsed).toEqual({
      t: 'mirror',
      seq: 1,
      mirror: { screen: 's', language: 'zh', items: [{ id: 'a', role: 'button', label: '下一步' }] },
    });
  });
});

import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';

function capture(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  return { stream, text: () => text };
}

describe('createLogger', () => {
  it('writes one JSON object per line for the journal and files', () => {
    const out = capture();
    createLogger({ destination: out.stream }).child({ service: 'id-card' }).info({ state: 'ready' }, 'reader status');
    const record = JSON.parse(out.text().trim()) as Record<string, unknown>;
    expect(record).toMatchObject({ app: 'village-kiosk', service: 'id-card', state: 'ready', msg: 'reader status' });
  });

  it('writes one short human line per record for a person at a terminal', () => {
    const out = capture();
    createLogger({ destination: out.stream, pretty: true })
      .child({ service: 'id-card' })
      .info({ state: 'ready' }, 'reader status');
    const lines = out.text().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: \(id-card\) reader status \{"state":"ready"\}$/);
  });

  it('redacts personal fields in both forms', () => {
    for (const pretty of [false, true]) {
      const out = capture();
      createLogger({ destination: out.stream, pretty }).info({ idNumber: '110105194403150012' }, 'oops');
      expect(out.text()).not.toContain('110105194403150012');
      expect(out.text()).toContain('[redacted]');
    }
  });
});

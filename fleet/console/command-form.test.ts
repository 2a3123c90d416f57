import { describe, expect, it } from 'vitest';
import { commandFromForm } from './console-server';

const now = Date.parse('2026-11-24T08:00:00.000Z');

describe('a command from the console form', () => {
  it('builds each kind the schema accepts', () => {
    expect(commandFromForm({ kind: 'refresh-catalogue' }, now)).toEqual({ kind: 'refresh-catalogue' });
    expect(commandFromForm({ kind: 'self-test', device: 'printer' }, now)).toEqual({
      kind: 'self-test',
      device: 'printer',
    });
    expect(commandFromForm({ kind: 'set-assigned-version', version: ' 1.4.2 ' }, now)).toEqual({
      kind: 'set-assigned-version',
      version: '1.4.2',
    });
    expect(commandFromForm({ kind: 'show-notice', text: ' 明天停电 ', hours: '2' }, now)).toEqual({
      kind: 'show-notice',
      text: '明天停电',
      until: new Date(now + 2 * 3600_000).toISOString(),
    });
  });

  it('a notice without hours lasts a day; an empty one takes the notice down', () => {
    expect(commandFromForm({ kind: 'show-notice', text: '' }, now)).toEqual({
      kind: 'show-notice',
      text: '',
      until: new Date(now + 24 * 3600_000).toISOString(),
    });
  });

  it('refuses what the protocol would refuse', () => {
    expect(commandFromForm({ kind: 'format-disk' }, now)).toBeNull();
    expect(commandFromForm({ kind: 'self-test', device: 'camera' }, now)).toBeNull();
    expect(commandFromForm({ kind: 'set-assigned-version', version: '1.0; rm -rf /' }, now)).toBeNull();
    expect(commandFromForm({ kind: 'show-notice', text: 'x'.repeat(201) }, now)).toBeNull();
    expect(commandFromForm({ kind: 'show-notice', text: 'x', hours: '999' }, now)).toBeNull();
    expect(commandFromForm('kind=refresh-catalogue', now)).toBeNull();
  });
});

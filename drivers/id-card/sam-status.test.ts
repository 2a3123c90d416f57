import { describe, expect, it } from 'vitest';
import { SAM_COMMAND_NAMES } from './sam-frame';
import { describeSamStatus, interpretSw3, samStatusErrorKind } from './sam-status';

describe('SW3 interpretation', () => {
  it('find card succeeds on 9F only; every other command on 90', () => {
    for (const command of SAM_COMMAND_NAMES) {
      const success = command === 'find-card' ? 0x9f : 0x90;
      const other = command === 'find-card' ? 0x90 : 0x9f;
      expect(interpretSw3(command, success).ok).toBe(true);
      expect(interpretSw3(command, other)).toEqual({ ok: false, error: { kind: 'unexpected-status', sw3: other } });
    }
  });

  it.each([
    [0x10, 'checksum-error'],
    [0x11, 'length-error'],
    [0x21, 'bad-command'],
    [0x23, 'not-permitted'],
    [0x24, 'unknown-error'],
    [0x31, 'auth-failed'],
    [0x32, 'auth-failed'],
    [0x33, 'verification-error'],
    [0x40, 'unknown-card-type'],
    [0x41, 'read-failed'],
    [0x47, 'random-number-failed'],
    [0x60, 'sam-self-test-failed'],
    [0x66, 'sam-not-authorised'],
    [0x80, 'no-card'],
    [0x81, 'select-failed'],
    [0x91, 'no-content'],
    [0x00, 'unexpected-status'],
    [0xff, 'unexpected-status'],
  ] as const)('SW3 %i is %s', (sw3, kind) => {
    expect(samStatusErrorKind(sw3)).toBe(kind);
    expect(interpretSw3('read-text-photo', sw3)).toEqual({ ok: false, error: { kind, sw3 } });
    expect(describeSamStatus({ kind, sw3 })).toContain(`SW3 ${sw3.toString(16).padStart(2, '0').toUpperCase()}`);
  });
});

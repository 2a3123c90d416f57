import { describe, expect, it } from 'vitest';
import {
  buildSamRequest,
  buildSamResponse,
  encodeSamFrame,
  samCommandOf,
  SAM_COMMAND_NAMES,
  type SamCommand,
} from './sam-frame';

const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(' ');

describe('SAM request frames', () => {
  it('builds the documented find-card example byte for byte', () => {
    expect(hex(buildSamRequest('find-card'))).toBe('AA AA AA 96 69 00 03 20 01 22');
  });

  // LEN = 3 (CMD PARA CHK); CHK = 00 ^ 03 ^ CMD ^ PARA, worked out by hand from the table.
  const expected: Record<SamCommand, string> = {
    'reset-sam': 'AA AA AA 96 69 00 03 10 FF EC',
    'sam-self-check': 'AA AA AA 96 69 00 03 11 FF ED',
    'read-sam-id': 'AA AA AA 96 69 00 03 12 FF EE',
    'find-card': 'AA AA AA 96 69 00 03 20 01 22',
    'select-card': 'AA AA AA 96 69 00 03 20 02 21',
    'read-text-photo': 'AA AA AA 96 69 00 03 30 01 32',
    'read-text-photo-fingerprint': 'AA AA AA 96 69 00 03 30 10 23',
    'read-added-address': 'AA AA AA 96 69 00 03 30 03 30',
  };
  it.each(SAM_COMMAND_NAMES)('builds %s', (command) => {
    expect(hex(buildSamRequest(command))).toBe(expected[command]);
  });

  it('maps CMD PARA back to the command', () => {
    for (const command of SAM_COMMAND_NAMES) {
      const frame = buildSamRequest(command);
      expect(samCommandOf(frame[7] ?? -1, frame[8] ?? -1)).toBe(command);
    }
    expect(samCommandOf(0x20, 0x03)).toBeUndefined();
  });

  it('counts data and CHK in LEN and XORs from LEN_H to the last data byte', () => {
    expect(hex(buildSamRequest('find-card', Uint8Array.of(0x01, 0x02)))).toBe('AA AA AA 96 69 00 05 20 01 01 02 27');
    expect(hex(buildSamResponse(0x9f))).toBe('AA AA AA 96 69 00 04 00 00 9F 9B');
  });

  it('writes a big-endian LEN for long bodies', () => {
    const frame = encodeSamFrame(new Uint8Array(1287));
    expect(frame.length).toBe(1295);
    expect([frame[5], frame[6]]).toEqual([0x05, 0x08]);
    expect(frame[1294]).toBe(0x05 ^ 0x08);
  });
});

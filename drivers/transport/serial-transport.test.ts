import { describe, expect, it } from 'vitest';
import { classifySerialError, serialError } from './serial-transport';

describe('classifySerialError', () => {
  it.each([
    [new Error('Error: No such file or directory, cannot open /dev/ttyUSB0'), 'not-found'],
    [Object.assign(new Error('x'), { code: 'ENOENT' }), 'not-found'],
    [Object.assign(new Error('x'), { code: 'ENXIO' }), 'not-found'],
    [new Error('Error: Permission denied, cannot open /dev/ttyS0'), 'permission-denied'],
    [Object.assign(new Error('x'), { code: 'EACCES' }), 'permission-denied'],
    [new Error('Error Resource temporarily unavailable Cannot lock port'), 'busy'],
    [Object.assign(new Error('x'), { code: 'EBUSY' }), 'busy'],
    [Object.assign(new Error('Port is disconnected'), { disconnected: true }), 'disconnected'],
    [new Error('EIO: i/o error, write'), 'disconnected'],
    [Object.assign(new Error('x'), { code: 'ETIMEDOUT' }), 'timeout'],
    [new Error('Invalid data bits setting 9'), 'io-error'],
    ['a bare string', 'io-error'],
  ] as const)('%s -> %s', (error, kind) => {
    expect(classifySerialError(error)).toBe(kind);
  });

  it('names the port and the likely fix in the message', () => {
    const e = serialError(new Error('Error: Permission denied, cannot open /dev/ttyS0'), '/dev/ttyS0');
    expect(e.kind).toBe('permission-denied');
    expect(e.message).toContain('/dev/ttyS0');
    expect(e.message).toContain('dialout');
  });
});

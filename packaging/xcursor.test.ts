import { describe, expect, it } from 'vitest';
import { transparentXcursor } from './xcursor';

describe('the blank cursor', () => {
  it('is an Xcursor file with one fully transparent 1×1 image', () => {
    const file = transparentXcursor(24);
    expect(file.subarray(0, 4).toString('latin1')).toBe('Xcur');
    expect(file.readUInt32LE(12)).toBe(1); // entries
    const image = file.readUInt32LE(24);
    expect(file.readUInt32LE(image + 4)).toBe(0xfffd0002);
    expect([file.readUInt32LE(image + 16), file.readUInt32LE(image + 20)]).toEqual([1, 1]);
    expect(file.readUInt32LE(image + 36) >>> 24).toBe(0); // alpha
    expect(file.length).toBe(image + 36 + 4);
  });
});

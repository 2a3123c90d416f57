import { describe, expect, it } from 'vitest';
import { classifySocketError } from './tcp-transport';

describe('classifySocketError', () => {
  it.each([
    ['ECONNREFUSED', 'not-found'],
    ['ENOTFOUND', 'not-found'],
    ['EHOSTUNREACH', 'not-found'],
    ['EACCES', 'permission-denied'],
    ['ETIMEDOUT', 'timeout'],
    ['ECONNRESET', 'disconnected'],
    ['EPIPE', 'disconnected'],
    ['EWHATEVER', 'io-error'],
    [undefined, 'io-error'],
  ] as const)('%s -> %s', (code, kind) => {
    expect(classifySocketError(code)).toBe(kind);
  });
});

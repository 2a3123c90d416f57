import { describe, expect, it } from 'vitest';
import { isLoopbackHost, plainHttpRefusal } from './loopback';

describe('isLoopbackHost', () => {
  it('knows loopback in every spelling', () => {
    for (const host of [
      'localhost',
      'LOCALHOST',
      'kiosk.localhost',
      '127.0.0.1',
      '127.9.8.7',
      '::1',
      '[::1]',
      '::ffff:127.0.0.1',
      '0:0:0:0:0:0:0:1',
    ])
      expect(isLoopbackHost(host), host).toBe(true);
  });
  it('refuses everything else, including look-alikes', () => {
    for (const host of [
      '0.0.0.0',
      '::',
      '10.0.0.1',
      '128.0.0.1',
      '127.0.0.1.nip.io',
      'localhost.example.com',
      '::2',
      'example.com',
      '',
    ])
      expect(isLoopbackHost(host), host).toBe(false);
  });
});

describe('plainHttpRefusal', () => {
  it('allows https anywhere and http on loopback only', () => {
    expect(plainHttpRefusal('https://platform.example.gov.cn')).toBeNull();
    expect(plainHttpRefusal('http://127.0.0.1:8790')).toBeNull();
    expect(plainHttpRefusal('http://[::1]:8790/')).toBeNull();
    expect(plainHttpRefusal('http://10.1.2.3:8790')).toMatch(/^http:\/\/ sends .* use https:\/\//);
    expect(plainHttpRefusal('http://127.0.0.1.nip.io')).not.toBeNull();
    expect(plainHttpRefusal('ftp://127.0.0.1')).toMatch(/use https/);
  });
});

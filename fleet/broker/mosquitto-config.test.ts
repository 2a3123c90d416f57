import { describe, expect, it } from 'vitest';
import { listenerSettings, mosquittoConfig } from './mosquitto-config';

describe('mosquitto configuration', () => {
  const config = mosquittoConfig({
    listeners: [
      { port: 8883, host: '0.0.0.0', tls: { certFile: '/c.pem', keyFile: '/k.pem' } },
      { port: 1884, host: '127.0.0.1' },
    ],
    passwordFile: '/p',
    aclFile: '/a',
    persistenceDir: '/d',
    maxConnections: 500,
  });
  const lines = config.split('\n').map((line) => line.split(' ')[0] ?? '');

  // Mosquitto opens its default listener (plain MQTT on 1883, every interface) for any listener
  // setting written before the first `listener` line.
  it('writes no listener setting before the first listener', () => {
    const first = lines.indexOf('listener');
    expect(first).toBeGreaterThan(0);
    expect(lines.slice(0, first).filter((key) => (listenerSettings as readonly string[]).includes(key))).toEqual([]);
  });

  it('gives every listener its connection limit and username client ids', () => {
    const blocks = config.split('\nlistener ').slice(1);
    expect(blocks).toHaveLength(2);
    for (const block of blocks) {
      expect(block).toContain('max_connections 500');
      expect(block).toContain('use_username_as_clientid true');
    }
  });

  it('refuses plain MQTT off loopback', () => {
    expect(() =>
      mosquittoConfig({
        listeners: [{ port: 1883, host: '0.0.0.0' }],
        passwordFile: '/p',
        aclFile: '/a',
        persistenceDir: '/d',
      }),
    ).toThrow(/loopback/);
  });
});

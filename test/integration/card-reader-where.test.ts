import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../kiosk-config/config-schema';
import { noDevicesConfig, provisionedKioskInTempDir, rpcCall } from '../support/services-fixture';

/**
 * Where the ID card reader is differs between cabinets: the service point says it in the
 * configuration (ui.cardReaderWhere), and the audio keypad mode tells a resident who cannot see.
 */
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const where = { 'zh-CN': '读卡区在屏幕正下方的台面上', en: 'The card reader is on the shelf right below the screen' };

describe('where the card reader is', () => {
  it('reaches the page from the configuration, and is absent when the configuration says nothing', async () => {
    const configured = { ...noDevicesConfig, ui: { ...noDevicesConfig.ui, cardReaderWhere: where } };
    const { services } = await provisionedKioskInTempDir('kiosk-reader-where-', cleanups, configured);
    expect((await rpcCall(services, 'kiosk.info')).cardReaderWhere).toEqual(where);
    const plain = await provisionedKioskInTempDir('kiosk-reader-plain-', cleanups);
    expect((await rpcCall(plain.services, 'kiosk.info')).cardReaderWhere).toBeUndefined();
  });

  it('is refused in the configuration when a language is missing or empty', () => {
    const withWhere = (cardReaderWhere: unknown) =>
      configSchema.safeParse({ ...noDevicesConfig, ui: { ...noDevicesConfig.ui, cardReaderWhere } }).success;
    expect(withWhere(where)).toBe(true);
    expect(withWhere({ 'zh-CN': '右下方' })).toBe(false);
    expect(withWhere({ 'zh-CN': '', en: 'x' })).toBe(false);
  });
});

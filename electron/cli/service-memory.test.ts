import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unitEnvironment } from '../../packaging/systemd-unit';
import { electronVariantArgs } from './commands/session';
import { serviceAllocatorEnvironment, serviceV8Flags } from './service-memory';

const unit = readFileSync(join(import.meta.dirname, '../../packaging/systemd/village-kiosk.service'), 'utf8');
const environment = unitEnvironment(unit);

describe('the services memory settings', () => {
  it('are the ones the headless unit gives its service', () => {
    expect(environment).toMatchObject(serviceAllocatorEnvironment);
    expect(environment['NODE_OPTIONS']?.split(' ')).toEqual(serviceV8Flags);
  });

  it('reach the Electron variant as --js-flags, before its own arguments', () => {
    expect(electronVariantArgs('/var/lib/village-kiosk')).toEqual([
      '--js-flags=--max-semi-space-size=4 --max-old-space-size=256',
      '--data',
      '/var/lib/village-kiosk',
      '--config',
      '/etc/village-kiosk/config.json',
    ]);
  });
});

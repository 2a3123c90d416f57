import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KeypadService } from '../../drivers/keypad/keypad-service';
import type { KeypadPress } from '../../drivers/keypad/keypad-driver';
import { SerialTransport } from '../../drivers/transport/serial-transport';
import { until } from '../support/until';

/** `kiosk simulate keypad` as a real `kiosk` process: its PTY read by the kiosk's own keypad service. */
const root = join(import.meta.dirname, '..', '..');
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('kiosk simulate keypad', () => {
  it('presses the key named on each line, refuses unknown names, and can be unplugged', async () => {
    const child = spawn(process.execPath, [join(root, 'electron', 'cli', 'kiosk.mjs'), 'simulate', 'keypad'], {
      cwd: root,
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (out += t));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    cleanups.push(async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    });
    const lines = () => out.split('\n').filter((l) => l !== '');
    await until(() => lines().some((l) => l.startsWith('keypad simulator: device ')), 15_000);
    const devicePath = lines()[0]?.replace('keypad simulator: device ', '') ?? '';

    const service = new KeypadService({ connect: () => new SerialTransport({ path: devicePath }), framing: 'stream' });
    cleanups.push(() => service.stop());
    const presses: KeypadPress[] = [];
    service.on('press', (p) => presses.push(p));
    await service.start();
    expect(service.status).toEqual({ state: 'ready' });

    child.stdin.write('help\ndown\nself-destruct\nenter\n');
    await until(() => presses.length === 3);
    expect(presses.map((p) => [p.key, p.name])).toEqual([
      ['help', 'keypad 0'],
      ['down', 'keypad 2'],
      ['enter', 'keypad 6'],
    ]);
    await until(() => lines().includes('pressed enter'));
    expect(lines()).toContain(
      'unknown key "self-destruct": one of up, down, back, enter, help, repeat, volume-up, volume-down, rate-up, rate-down, privacy',
    );

    child.stdin.write('!unplug\n');
    await until(() => service.status.state === 'no-device');
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(lines().at(-1)).toBe('keypad simulator stopped');
  });
});

/**
 * `npm run platform` with a TURN server: the shared secret comes from a file or the systemd
 * credential `turn-secret` (never argv), and each call's TURN credential is computed from it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrol } from '../../electron/services/platform-client/http-platform-client';
import { generateTerminalKeys } from '../../platform/contract/terminal-identity';
import { repoRoot } from '../support/kiosk-process';
import { RemoteHelpTerminal } from '../support/remote-help-terminal';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vk-turn-cli-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function platform(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): { child: ChildProcess; ready: Promise<string>; exit: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'platform/main.ts', '--port', '0', ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  let stdout = '';
  const ready = new Promise<string>((resolve) => {
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
      const url = /platform ready at (\S+)/.exec(stdout)?.[1];
      if (url !== undefined) resolve(url);
    });
  });
  const exit = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stderr })),
  );
  return { child, ready, exit };
}

describe('npm run platform with a TURN server', () => {
  it('refuses a TURN url without the shared secret (exit 2, one line)', async () => {
    const run = platform(['--data', join(dir, 'p1'), '--turn-url', 'turn:127.0.0.1:3478'], {
      CREDENTIALS_DIRECTORY: '',
    });
    // Should the refusal be gone, the platform would run: stop it once it is ready.
    void run.ready.then(() => run.child.kill('SIGTERM'));
    const { code, stderr } = await run.exit;
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(
      'platform: --turn-url needs the shared secret: --turn-secret-file FILE, or the systemd credential turn-secret',
    );
  });

  it('reads the secret from the systemd credential turn-secret and hands out credentials computed from it', async () => {
    const credentials = join(dir, 'credentials');
    const secret = 'a-long-shared-secret-for-coturn-2026';
    rmSync(credentials, { recursive: true, force: true });
    mkdirSync(credentials, { mode: 0o700 });
    writeFileSync(join(credentials, 'turn-secret'), `${secret}\n`, { mode: 0o600 });
    const run = platform(
      [
        '--data',
        join(dir, 'p2'),
        '--turn-url',
        'turn:127.0.0.1:3478',
        '--ice-relay-only',
        '--code',
        'K7QP-M2XD',
        '--code-terminal',
        'QS-LX-0009',
      ],
      { CREDENTIALS_DIRECTORY: credentials },
    );
    try {
      const url = await run.ready;
      const keys = generateTerminalKeys();
      const enrolled = await enrol(url, 'K7QP-M2XD', { terminalId: 'QS-LX-0009', ...keys });
      expect(enrolled.ok).toBe(true);
      const call = await new RemoteHelpTerminal(url, 'QS-LX-0009', keys.privateKey).call();
      expect(call.iceTransportPolicy).toBe('relay');
      const [turn] = call.iceServers;
      expect(turn?.urls).toEqual(['turn:127.0.0.1:3478']);
      expect(turn?.username).toMatch(/^\d+:QS-LX-0009$/);
      expect(turn?.credential).toBe(
        createHmac('sha1', secret)
          .update(turn?.username ?? '')
          .digest('base64'),
      );
    } finally {
      run.child.kill('SIGTERM');
      await run.exit;
    }
  });
});

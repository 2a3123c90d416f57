/**
 * `npm run platform` with a TURN server: the shared secret comes from a file or the systemd
 * credential `turn-secret` (never argv), and each call's TURN credential is computed from it.
 * With the county's recording rule (`--call-recording-days`): each call hands it out, and the
 * resident's consent to it is kept with the call's metadata.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
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

describe('npm run platform with the county recording calls', () => {
  it('refuses a retention that is not 1–3650 days (exit 2, one line)', async () => {
    const run = platform(['--data', join(dir, 'p3'), '--call-recording-days', '0']);
    void run.ready.then(() => run.child.kill('SIGTERM'));
    const { code, stderr } = await run.exit;
    expect(code).toBe(2);
    expect(stderr.trim()).toBe('platform: --call-recording-days: expected 1–3650, got "0"');
  });

  it('hands the rule out with each call and keeps the resident’s consent to it, refusing a consent to another rule', async () => {
    const run = platform([
      '--data',
      join(dir, 'p4'),
      '--call-recording-days',
      '30',
      '--code',
      'K7QP-M2XE',
      '--code-terminal',
      'QS-LX-0008',
    ]);
    try {
      const url = await run.ready;
      const keys = generateTerminalKeys();
      expect((await enrol(url, 'K7QP-M2XE', { terminalId: 'QS-LX-0008', ...keys })).ok).toBe(true);
      const terminal = new RemoteHelpTerminal(url, 'QS-LX-0008', keys.privateKey);
      const call = await terminal.call();
      expect(call.recording).toEqual({ enabled: true, retentionDays: 30 });
      const consent = (recordingDays: number | null) =>
        terminal.request('POST', `/v1/remote-help/calls/${call.callId}/consent`, { recordingDays });
      // A terminal that showed "not recorded" (or another retention) did not get this consent.
      const notRecorded = await consent(null);
      expect(notRecorded.status).toBe(409);
      expect(await notRecorded.json()).toMatchObject({ reason: 'recording-rule' });
      expect((await consent(7)).status).toBe(409);
      expect((await consent(30)).status).toBe(204);
      const db = new Database(join(dir, 'p4', 'platform.sqlite'), { readonly: true });
      try {
        const row = db
          .prepare('SELECT consented_at, recording_days FROM remote_help_calls WHERE call_id = ?')
          .get(call.callId) as { consented_at: string | null; recording_days: number | null };
        expect(row.recording_days).toBe(30);
        expect(row.consented_at).not.toBeNull();
      } finally {
        db.close();
      }
      expect((await terminal.end(call.callId)).status).toBe(204);
      expect((await consent(30)).status).toBe(409); // an ended call takes no consent
    } finally {
      run.child.kill('SIGTERM');
      await run.exit;
    }
  });
});

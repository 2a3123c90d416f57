import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLog } from '../../foundation/log';
import { embeddedCatalogue } from '../../kiosk-config/catalogue';
import { defaultConfig } from '../../kiosk-config/default-config';
import { enrol } from '../../electron/services/platform-client/http-platform-client';
import { loadOrCreateTerminalKeys } from '../../electron/services/platform-client/identity-store';
import { kioskDataCipher } from './data-key';
import { openPlatformDb, platformKeyFileCipher, PlatformStore } from '../../platform/server/platform-db';
import { startPlatform } from '../../platform/server/start-platform';
import { repoRoot } from './kiosk-process';

/**
 * Kills a submitting kiosk with SIGKILL at random moments, restarts it, and at the end checks that
 * every application the resident was told was saved exists exactly once on the platform.
 */
export interface CrashReport {
  readonly kills: number;
  readonly applications: number;
  readonly lost: number;
  readonly duplicated: number;
}

/**
 * When to kill a run: once it has reported `afterSaves` applications saved, after `fraction` of the
 * time its last submission took — so the kill lands inside the next submission however slow the
 * machine is (a fixed window after start killed runs on a loaded machine before they saved anything).
 */
interface KillPlan {
  readonly afterSaves: number;
  readonly fraction: number;
}

function runChild(
  dataDir: string,
  url: string,
  marker: string,
  drain: boolean,
  onLine: (line: string) => void,
  kill: KillPlan | null,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(repoRoot, 'test/support/crash-child.ts'),
        dataDir,
        url,
        marker,
        ...(drain ? ['--drain'] : []),
      ],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let buffer = '';
    let stderr = '';
    let saves = 0;
    let lastMark = 0;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        onLine(line);
        if (kill === null) continue;
        const now = performance.now();
        if (line === 'READY') lastMark = now;
        if (!line.startsWith('SAVED ')) continue;
        saves++;
        if (saves === kill.afterSaves) {
          setTimeout(() => child.kill('SIGKILL'), Math.floor(kill.fraction * (now - lastMark)));
        }
        lastMark = now;
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' || code === 0) resolve();
      else reject(new Error(`crash child exited ${code}: ${stderr.slice(-2000)}`));
    });
  });
}

export async function runCrashTrial(options: { kills: number; random?: () => number }): Promise<CrashReport> {
  const random = options.random ?? Math.random;
  const root = mkdtempSync(join(tmpdir(), 'kiosk-crash-'));
  const kioskDir = join(root, 'kiosk');
  const platform = await startPlatform({
    port: 0,
    dataDir: join(root, 'platform'),
    catalog: embeddedCatalogue,
    log: silentLog,
  });
  try {
    const keys = loadOrCreateTerminalKeys(kioskDir, kioskDataCipher(kioskDir), silentLog);
    if (!keys.ok) throw new Error(keys.error.message);
    const code = platform.createEnrolmentCode({ terminalId: defaultConfig.terminal.id });
    const enrolled = await enrol(platform.url, code, {
      terminalId: defaultConfig.terminal.id,
      privateKey: keys.value.privateKey,
      publicKey: keys.value.publicKey,
    });
    if (!enrolled.ok) throw new Error(`enrol: ${enrolled.error.reason}`);

    const saved = new Map<string, string>();
    const onLine = (line: string) => {
      const match = /^SAVED (\S+) (\S+)$/.exec(line);
      if (match?.[1] !== undefined && match[2] !== undefined) saved.set(match[1], match[2]);
    };
    for (let k = 0; k < options.kills; k++) {
      await runChild(
        kioskDir,
        platform.url,
        `139${String(k).padStart(4, '0')}`,
        false,
        onLine,
        // One to three applications saved, then a kill somewhere inside the next one.
        { afterSaves: 1 + Math.floor(random() * 3), fraction: random() },
      );
    }
    let drained = false;
    await runChild(
      kioskDir,
      platform.url,
      'drain',
      true,
      (line) => {
        if (line === 'DONE 0') drained = true;
      },
      null,
    );
    if (!drained) throw new Error('the outbox did not drain');

    // The platform stores bodies encrypted under its own key file: read them through its store.
    const cipher = platformKeyFileCipher(join(root, 'platform'));
    if (!cipher.ok) throw new Error(cipher.error);
    const db = openPlatformDb(join(root, 'platform'), cipher.value);
    const store = new PlatformStore(db, cipher.value);
    const ids = db.prepare('SELECT application_id FROM applications').all() as Array<{ application_id: string }>;
    const bodies = ids.map((r) => store.applicationBody(r.application_id) ?? '{}');
    db.close();
    const byMarker = new Map<string, number>();
    for (const body of bodies) {
      const marker = String((JSON.parse(body) as { answers: { phone?: unknown } }).answers.phone);
      byMarker.set(marker, (byMarker.get(marker) ?? 0) + 1);
    }
    let lost = 0;
    for (const marker of saved.keys()) if (!byMarker.has(marker)) lost++;
    let duplicated = 0;
    for (const count of byMarker.values()) if (count > 1) duplicated += count - 1;
    return { kills: options.kills, applications: saved.size, lost, duplicated };
  } finally {
    await platform.close();
    rmSync(root, { recursive: true, force: true });
  }
}

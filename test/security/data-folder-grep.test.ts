/**
 * Attacker: takes the terminal's disk (or a copy of its data folder). After a real submission —
 * the kiosk's services with the embedded platform inside, as `npm start` runs them — no file in
 * the data folder (both SQLite databases, their WAL files, the backup, the log) holds the
 * resident's name, ID number, phone or bank number in clear; and once retention has run, nothing
 * of the document photo is left in the embedded platform, not even its ciphertext.
 */
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startKioskServices } from '../../electron/services/kiosk-services';
import { backup } from '../../electron/services/store/backup';
import { systemClock } from '../../foundation/clock';
import { recordingLog, type RecordedLine } from '../../foundation/log';
import { defaultConfig } from '../../kiosk-config/default-config';
import { decodedSampleCard } from '../support/sample-id-cards';
import { applyForAllowance, tinyJpeg } from '../support/services-fixture';

const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-grep-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

// Retention 0 days: personal data goes at the next retention run (here: the restart).
const config = { ...defaultConfig, privacy: { ...defaultConfig.privacy, retentionDays: 0 } };
const card = decodedSampleCard('resident-long-term');
const resident = { name: card.name, idNumber: card.idNumber, phone: '13812345678', bank: '6222020200112233446' };

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : entry.isFile() ? [path] : [];
  });
}

function hits(needles: Record<string, Buffer>, root: string = dataDir): string[] {
  const found: string[] = [];
  for (const file of filesUnder(root)) {
    const bytes = readFileSync(file);
    for (const [what, needle] of Object.entries(needles)) if (bytes.includes(needle)) found.push(`${what} in ${file}`);
  }
  return found;
}

const encodings = (text: string) => ({ utf8: Buffer.from(text, 'utf8'), utf16le: Buffer.from(text, 'utf16le') });

async function runKiosk<T>(work: (services: Awaited<ReturnType<typeof start>>) => T | Promise<T>): Promise<T> {
  const services = await start();
  try {
    return await work(services);
  } finally {
    await services.close();
  }
}
async function start() {
  const lines: RecordedLine[] = [];
  const started = await startKioskServices({ config, dataDir, log: recordingLog(lines) });
  if (!started.ok) throw new Error(started.error.message);
  // The kiosk logs to stderr (the journal); the test keeps what it logged in the folder, so the same grep covers it.
  const logs = join(dataDir, 'logs');
  mkdirSync(logs, { recursive: true });
  return Object.assign(started.value, {
    flushLog: () =>
      writeFileSync(join(logs, 'kiosk.log'), lines.map((l) => JSON.stringify(l)).join('\n'), { flag: 'a' }),
  });
}

/** 48 bytes from the middle of every stored document blob: enough to find a copy anywhere. */
function storedDocumentSlices(database: string, query: string): Buffer[] {
  const db = new Database(database, { readonly: true });
  try {
    return (db.prepare(query).all() as Array<{ blob: Buffer | null }>)
      .map((r) => r.blob)
      .filter((b): b is Buffer => b !== null && b.length > 64)
      .map((b) => Buffer.from(b.subarray(Math.floor(b.length / 2) - 24, Math.floor(b.length / 2) + 24)));
  } finally {
    db.close();
  }
}

describe("the kiosk's data folder after a submission", () => {
  const platformDb = join(dataDir, 'embedded-platform', 'platform.sqlite');
  let platformSlices: Buffer[] = [];

  it('holds no personal data in clear in any file', async () => {
    await runKiosk(async (services) => {
      const result = await applyForAllowance(services);
      expect(result.caseNumber).not.toBeNull();
      const written = backup(services.store.db, services.store.paths.backups, { clock: systemClock });
      expect(written.ok).toBe(true);
      services.flushLog();
      const files = filesUnder(dataDir).map((f) => f.slice(dataDir.length));
      // The grep covers what it must: both databases with their WAL, the backup, the log.
      expect(files).toEqual(
        expect.arrayContaining([expect.stringMatching(/embedded-platform\/platform\.sqlite-wal$/)]),
      );
      expect(files.some((f) => /backups?\//.test(f))).toBe(true);
      expect(files.filter((f) => f.endsWith('.sqlite')).length).toBeGreaterThanOrEqual(2);
      const needles: Record<string, Buffer> = { photo: tinyJpeg.subarray(4, 100) };
      for (const [what, text] of Object.entries(resident))
        for (const [encoding, bytes] of Object.entries(encodings(text))) needles[`${what} (${encoding})`] = bytes;
      expect(hits(needles)).toEqual([]);
      // The grep can see plain text: the service code is stored in clear, and it finds it.
      expect(hits({ control: Buffer.from('OLD-AGE-ALLOWANCE') }).length).toBeGreaterThan(0);
      platformSlices = storedDocumentSlices(platformDb, 'SELECT bytes_enc AS blob FROM attachments');
      expect(platformSlices.length).toBeGreaterThan(0);
      expect(
        hits(
          Object.fromEntries(platformSlices.map((s, i) => [`ciphertext ${i}`, s])),
          join(dataDir, 'embedded-platform'),
        ).length,
      ).toBeGreaterThan(0);
    });
  });

  it('holds nothing of the photo in the embedded platform once retention has run', async () => {
    const slices = Object.fromEntries(platformSlices.map((s, i) => [`ciphertext ${i}`, s]));
    await runKiosk((services) => {
      services.flushLog();
      // While it runs, too: the deleted rows' old pages must not live on in the WAL.
      expect(hits(slices, join(dataDir, 'embedded-platform'))).toEqual([]);
    });
    expect(hits(slices, join(dataDir, 'embedded-platform'))).toEqual([]);
    const db = new Database(platformDb, { readonly: true });
    expect(db.prepare('SELECT COUNT(*) AS n FROM attachments').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM applications WHERE body_enc IS NOT NULL').get()).toEqual({ n: 0 });
    db.close();
    expect(statSync(platformDb).size).toBeGreaterThan(0);
  });
});

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordingLog } from '../../foundation/log';
import { createEspeakSpeaker } from '../../electron/services/speech/espeak-speaker';

/** The real espeak-ng, writing to a WAV file instead of a sound card (there is none here). */
const installed = (() => {
  try {
    execFileSync('espeak-ng', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const dir = mkdtempSync(join(tmpdir(), 'kiosk-espeak-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function waitForFile(path: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last = -1;
  while (Date.now() < until) {
    // espeak-ng fills in the WAV header sizes when it finishes: wait for a stable, complete file.
    const size = existsSync(path) ? statSync(path).size : -1;
    if (size > 44 && size === last && readFileSync(path).readUInt32LE(40) === size - 44) return;
    last = size;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no complete WAV at ${path}`);
}

describe.runIf(installed)('espeak-ng speaker (real espeak-ng)', () => {
  it('speaks Mandarin and English into WAV files', async () => {
    for (const [language, text] of [
      ['zh-CN', '请把身份证放在读卡器上'],
      ['en', 'Please place your ID card on the reader'],
    ] as const) {
      const wavFile = join(dir, `${language}.wav`);
      const log = recordingLog();
      const speaker = createEspeakSpeaker({ log, wavFile });
      await expect(speaker.speak({ text, language, volume: 0.8 })).resolves.toBe(true);
      await waitForFile(wavFile);
      const wav = readFileSync(wavFile);
      expect(wav.subarray(0, 4).toString()).toBe('RIFF');
      expect(wav.subarray(8, 12).toString()).toBe('WAVE');
      // At 22 050 Hz, 16-bit mono, over a second of speech for these sentences.
      expect(wav.length - 44).toBeGreaterThan(22_050 * 2);
      expect(log.lines.some((l) => l.level === 'warn')).toBe(false);
      expect(JSON.stringify(log.lines)).not.toContain(text);
    }
  });

  it('reports false, not a crash, when the binary is missing', async () => {
    const speaker = createEspeakSpeaker({ log: recordingLog(), binary: join(dir, 'no-such-espeak') });
    await expect(speaker.speak({ text: '你好', language: 'zh-CN', volume: 1 })).resolves.toBe(false);
  });
});

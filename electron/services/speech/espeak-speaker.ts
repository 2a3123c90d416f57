import { spawn as nodeSpawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import type { Language } from '../../../kiosk-config/config-schema';
import type { Log } from '../../../foundation/log';

/**
 * Speaks for pages whose browser has no voice (no speech-dispatcher voices on most kiosk Linux
 * images): espeak-ng, one utterance at a time — a new one stops the one before, so the speech
 * always matches the screen. The text goes in on stdin, not argv, so it never shows in the
 * process list (texts may include masked personal data) and can never be taken for an option.
 * Logs carry only length and language.
 */
export interface EspeakSpeaker {
  /** Resolves once espeak-ng has started (true) or could not (false). Never rejects. */
  speak(request: { text: string; language: Language; volume: number; rate?: number | undefined }): Promise<boolean>;
  stop(): void;
}

export type SpawnFn = (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess;

export interface EspeakOptions {
  readonly log: Log;
  readonly spawn?: SpawnFn;
  readonly binary?: string;
  /** Words per minute; espeak's default 175 is fast for elderly listeners. */
  readonly wordsPerMinute?: number;
  /** Write a WAV file instead of playing (tests, diagnostics). */
  readonly wavFile?: string;
}

const voices: Record<Language, string> = { 'zh-CN': 'cmn', en: 'en' };

/** espeak-ng amplitude runs 0–200 with 100 as normal; volume 1 is the loudest it offers. */
export function amplitudeFor(volume: number): number {
  return Math.round(Math.min(1, Math.max(0, volume)) * 200);
}

export function espeakArgs(language: Language, volume: number, wordsPerMinute: number, wavFile?: string): string[] {
  return [
    '-v',
    voices[language],
    '-a',
    String(amplitudeFor(volume)),
    '-s',
    String(wordsPerMinute),
    ...(wavFile === undefined ? [] : ['-w', wavFile]),
    '--stdin',
  ];
}

export function createEspeakSpeaker(options: EspeakOptions): EspeakSpeaker {
  const { log } = options;
  const spawn = options.spawn ?? nodeSpawn;
  const binary = options.binary ?? 'espeak-ng';
  let current: ChildProcess | null = null;
  let missingLogged = false;

  const stop = () => {
    if (current === null) return;
    const child = current;
    current = null;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      log.debug({ pid: child.pid }, 'speech stopped');
    }
  };

  return {
    stop,
    speak({ text, language, volume, rate = 1 }) {
      stop();
      const wordsPerMinute = Math.round((options.wordsPerMinute ?? 145) * Math.min(2, Math.max(0.5, rate)));
      const args = espeakArgs(language, volume, wordsPerMinute, options.wavFile);
      return new Promise<boolean>((resolve) => {
        let child: ChildProcess;
        try {
          child = spawn(binary, args, { stdio: ['pipe', 'ignore', 'pipe'] });
        } catch (error) {
          log.warn({ error: String(error) }, 'speech could not start');
          resolve(false);
          return;
        }
        current = child;
        let stderr = '';
        child.stderr?.on('data', (chunk: Buffer) => {
          stderr = (stderr + chunk.toString()).slice(-300);
        });
        child.once('error', (error: NodeJS.ErrnoException) => {
          if (current === child) current = null;
          if (error.code === 'ENOENT') {
            if (!missingLogged) log.warn({ binary }, 'espeak-ng is not installed; the service cannot speak');
            missingLogged = true;
          } else {
            log.warn({ error: error.message }, 'speech failed');
          }
          resolve(false);
        });
        child.once('spawn', () => {
          log.info({ language, length: text.length, volume, wordsPerMinute }, 'speaking');
          child.stdin?.on('error', () => undefined); // killed before it read everything: fine
          child.stdin?.end(text);
          resolve(true);
        });
        child.once('exit', (code, signal) => {
          if (current === child) current = null;
          // espeak's stderr is about audio devices, never the text.
          if (code !== 0 && signal === null) log.warn({ code, stderr: stderr.trim() }, 'speech ended with an error');
        });
      });
    },
  };
}

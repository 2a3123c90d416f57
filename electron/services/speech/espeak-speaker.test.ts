import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type { ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { recordingLog } from '../../../foundation/log';
import { amplitudeFor, createEspeakSpeaker, espeakArgs, type SpawnFn } from './espeak-speaker';

/** A child process that records what it was given and is started/killed by the test. */
class FakeChild extends EventEmitter {
  readonly stdin = new PassThrough();
  readonly stderr = new PassThrough();
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  readonly pid = 4242;
  written = '';
  killedWith: string | null = null;
  constructor() {
    super();
    this.stdin.on('data', (d: Buffer) => (this.written += d.toString()));
  }
  kill(signal: NodeJS.Signals) {
    this.killedWith = signal;
    this.signalCode = signal;
    this.emit('exit', null, signal);
    return true;
  }
  exit(code: number) {
    this.exitCode = code;
    this.emit('exit', code, null);
  }
}

function fakeSpawn(behaviour: 'start' | 'missing' | 'throw' = 'start') {
  const calls: Array<{ command: string; args: readonly string[]; child: FakeChild }> = [];
  const spawn: SpawnFn = (command, args) => {
    if (behaviour === 'throw') throw new Error('EAGAIN');
    const child = new FakeChild();
    calls.push({ command, args, child });
    queueMicrotask(() => {
      if (behaviour === 'missing')
        child.emit('error', Object.assign(new Error('spawn espeak-ng ENOENT'), { code: 'ENOENT' }));
      else child.emit('spawn');
    });
    return child as unknown as ChildProcess;
  };
  return { spawn, calls };
}

const secret = '请确认 张* 的身份证 110105********1234';

describe('espeak speaker', () => {
  it('speaks Chinese with the cmn voice, the text on stdin, never in argv or logs', async () => {
    const log = recordingLog();
    const { spawn, calls } = fakeSpawn();
    const speaker = createEspeakSpeaker({ log, spawn });
    await expect(speaker.speak({ text: secret, language: 'zh-CN', volume: 0.5 })).resolves.toBe(true);
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call?.command).toBe('espeak-ng');
    expect(call?.args).toEqual(['-v', 'cmn', '-a', '100', '-s', '145', '--stdin']);
    await new Promise((r) => setImmediate(r));
    expect(call?.child.written).toBe(secret);
    expect(JSON.stringify(log.lines)).not.toContain('110105');
    expect(JSON.stringify(log.lines)).not.toContain('张');
    expect(log.lines.find((line) => line.message === 'speaking')?.fields).toMatchObject({
      language: 'zh-CN',
      length: secret.length,
    });
  });

  it('uses the en voice and a WAV file when asked', () => {
    expect(espeakArgs('en', 1, 160, '/tmp/x.wav')).toEqual([
      '-v',
      'en',
      '-a',
      '200',
      '-s',
      '160',
      '-w',
      '/tmp/x.wav',
      '--stdin',
    ]);
  });

  it('speaks faster or slower by the rate the speed keys set, within half and twice the pace', async () => {
    const { spawn, calls } = fakeSpawn();
    const speaker = createEspeakSpeaker({ log: recordingLog(), spawn });
    await speaker.speak({ text: 'one', language: 'en', volume: 1, rate: 1.5 });
    await speaker.speak({ text: 'two', language: 'en', volume: 1, rate: 9 });
    await speaker.speak({ text: 'three', language: 'en', volume: 1, rate: 0.6 });
    expect(calls.map((c) => c.args[c.args.indexOf('-s') + 1])).toEqual(['218', '290', '87']);
  });

  it('maps volume to amplitude within 0–200, clamping nonsense', () => {
    expect([0, 0.25, 1, -3, 7].map(amplitudeFor)).toEqual([0, 50, 200, 0, 200]);
  });

  it('a new utterance stops the one still speaking; stop() stops the current one', async () => {
    const { spawn, calls } = fakeSpawn();
    const speaker = createEspeakSpeaker({ log: recordingLog(), spawn });
    await speaker.speak({ text: 'one', language: 'en', volume: 1 });
    await speaker.speak({ text: 'two', language: 'en', volume: 1 });
    expect(calls[0]?.child.killedWith).toBe('SIGTERM');
    expect(calls[1]?.child.killedWith).toBeNull();
    speaker.stop();
    expect(calls[1]?.child.killedWith).toBe('SIGTERM');
  });

  it('does not kill an utterance that has already finished', async () => {
    const { spawn, calls } = fakeSpawn();
    const speaker = createEspeakSpeaker({ log: recordingLog(), spawn });
    await speaker.speak({ text: 'one', language: 'en', volume: 1 });
    calls[0]?.child.exit(0);
    speaker.stop();
    expect(calls[0]?.child.killedWith).toBeNull();
  });

  it('answers false when espeak-ng is missing, logs that once, never throws', async () => {
    const log = recordingLog();
    const speaker = createEspeakSpeaker({ log, spawn: fakeSpawn('missing').spawn });
    await expect(speaker.speak({ text: 'a', language: 'en', volume: 1 })).resolves.toBe(false);
    await expect(speaker.speak({ text: 'b', language: 'en', volume: 1 })).resolves.toBe(false);
    expect(log.lines.filter((l) => l.message.includes('not installed'))).toHaveLength(1);
    speaker.stop();
  });

  it('answers false when spawning throws', async () => {
    const speaker = createEspeakSpeaker({ log: recordingLog(), spawn: fakeSpawn('throw').spawn });
    await expect(speaker.speak({ text: 'a', language: 'en', volume: 1 })).resolves.toBe(false);
  });

  it('logs a failed run by exit code, not by text', async () => {
    const log = recordingLog();
    const { spawn, calls } = fakeSpawn();
    const speaker = createEspeakSpeaker({ log, spawn });
    await speaker.speak({ text: secret, language: 'zh-CN', volume: 1 });
    calls[0]?.child.stderr.write('ALSA lib pcm.c: unknown PCM default\n');
    await new Promise((r) => setImmediate(r));
    calls[0]?.child.exit(1);
    expect(log.lines.filter((line) => line.level === 'warn').map((line) => line.fields)).toContainEqual(
      expect.objectContaining({ code: 1 }),
    );
    expect(JSON.stringify(log.lines)).not.toContain('110105');
  });
});

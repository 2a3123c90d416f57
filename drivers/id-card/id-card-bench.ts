import { silentLog } from '../../foundation/log';
import { SerialTransport } from '../transport/serial-transport';
import { IdCardService } from './id-card-service';
import { decodeIdCardText } from './id-card-text';
import { encodeIdCardText } from './id-card-text-encoder';
import { startIdReaderSimulator } from './id-reader-simulator';
import { buildSamResponse } from './sam-frame';
import { SamFrameDecoder } from './sam-frame-decoder';
import { encodeCardReadData, parseCardReadData, parseSamResponse } from './sam-response';
import { sampleCard, type SampleCardName } from './sample-cards';

/**
 * Measurements for bench/ (the lead's runner prints them; nothing here prints).
 */
export interface DecodeBenchResult {
  readonly frames: number;
  readonly bytes: number;
  readonly ms: number;
  readonly framesPerSecond: number;
  readonly megabytesPerSecond: number;
}

/**
 * Decodes `n` full 30 01 answers (1295 bytes each) fed in `chunkSize`-byte chunks, as they come
 * off a serial port, through frame decoding, response parsing and text decoding.
 */
export function benchDecodeFrames(n: number, chunkSize = 64): DecodeBenchResult {
  const card = sampleCard('resident-young');
  const frame = buildSamResponse(
    0x90,
    encodeCardReadData('text-photo', {
      text: encodeIdCardText(card.text),
      photo: card.photo,
      fingerprint: new Uint8Array(0),
    }),
  );
  const decoder = new SamFrameDecoder();
  let decoded = 0;
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    for (let at = 0; at < frame.length; at += chunkSize) {
      for (const event of decoder.push(frame.subarray(at, at + chunkSize))) {
        if (event.kind !== 'frame') throw new Error(`benchmark frame failed to decode: ${event.kind}`);
        const response = parseSamResponse(event.body);
        const data = response.ok ? parseCardReadData('text-photo', response.value.data) : null;
        if (data?.ok !== true || !decodeIdCardText(data.value.text).ok)
          throw new Error('benchmark frame failed to parse');
        decoded++;
      }
    }
  }
  const ms = performance.now() - started;
  if (decoded !== n) throw new Error(`decoded ${decoded} of ${n} frames`);
  const bytes = n * frame.length;
  return { frames: n, bytes, ms, framesPerSecond: (n / ms) * 1000, megabytesPerSecond: bytes / 1e6 / (ms / 1000) };
}

export interface ReadLatencyResult {
  /** Per read: simulator wrote the last byte of the card answer → service emitted card-read. */
  readonly samplesMs: readonly number[];
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly maxMs: number;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/**
 * Times reader last byte → card-read over a real PTY pair (the PTY does not pace bytes like a
 * 115200 baud line, so this measures the kiosk's own share of the delay).
 */
export async function benchReadLatency(
  reads: number,
  options: { baudRate?: number; card?: SampleCardName } = {},
): Promise<ReadLatencyResult> {
  const sim = await startIdReaderSimulator({ baudRate: options.baudRate ?? 115200 });
  const service = new IdCardService({
    transport: new SerialTransport({ path: sim.devicePath, baudRate: options.baudRate ?? 115200 }),
    log: silentLog,
    pollIntervalMs: 10,
  });
  let lastByteAt = Number.NaN;
  const samples: number[] = [];
  const unsubscribe = sim.onReplyWritten((command, at) => {
    if (command === 'read-text-photo') lastByteAt = at;
  });
  try {
    service.start();
    for (let i = 0; i < reads; i++) {
      const read = new Promise<number>((resolve) => {
        const off = service.on('card-read', () => {
          off();
          resolve(performance.now());
        });
      });
      sim.insertCard(options.card ?? 'resident-young');
      samples.push((await read) - lastByteAt);
      const removed = new Promise<void>((resolve) => {
        const off = service.on('card-removed', () => {
          off();
          resolve();
        });
      });
      sim.removeCard();
      await removed;
    }
  } finally {
    unsubscribe();
    await service.stop();
    await sim.stop();
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    samplesMs: samples,
    medianMs: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    maxMs: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildSamResponse, encodeSamFrame } from './sam-frame';
import { SamFrameDecoder, type SamDecoded } from './sam-frame-decoder';

const bytes = (...b: number[]) => Uint8Array.from(b);
const frames = (events: SamDecoded[]) => events.filter((e) => e.kind === 'frame').map((e) => [...e.body]);

function feedInChunks(stream: Uint8Array, cuts: number[], decoder = new SamFrameDecoder()): SamDecoded[] {
  const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
  const out: SamDecoded[] = [];
  let prev = 0;
  for (const p of [...points, stream.length]) {
    out.push(...decoder.push(stream.subarray(prev, p)));
    prev = p;
  }
  return out;
}

const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

describe('SamFrameDecoder', () => {
  it('decodes a frame fed one byte at a time', () => {
    const decoder = new SamFrameDecoder();
    const frame = buildSamResponse(0x9f);
    const out: SamDecoded[] = [];
    for (const b of frame) out.push(...decoder.push(bytes(b)));
    expect(out).toEqual([{ kind: 'frame', body: bytes(0, 0, 0x9f) }]);
    expect(decoder.pendingBytes).toBe(0);
  });

  it('skips noise before the preamble, including a partial preamble', () => {
    const decoder = new SamFrameDecoder();
    const out = decoder.push(concat([bytes(0x01, 0xaa, 0xaa, 0x96, 0xaa, 0xaa), buildSamResponse(0x90)]));
    expect(frames(out)).toEqual([[0, 0, 0x90]]);
    expect(decoder.discardedBytes).toBe(6);
  });

  it('reports a bad checksum as a value and decodes the next frame', () => {
    const bad = buildSamResponse(0x90);
    bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 0xff;
    const out = new SamFrameDecoder().push(concat([bad, buildSamResponse(0x80)]));
    expect(out[0]).toMatchObject({ kind: 'bad-checksum', declaredLength: 4 });
    expect(frames(out)).toEqual([[0, 0, 0x80]]);
  });

  it('recovers a complete frame that followed a truncated one (lost bytes)', () => {
    const long = buildSamResponse(0x90, new Uint8Array(40).fill(7));
    const truncated = long.subarray(0, 20);
    const out = new SamFrameDecoder().push(concat([truncated, buildSamResponse(0x9f), new Uint8Array(40)]));
    expect(out.some((e) => e.kind === 'bad-checksum')).toBe(true);
    expect(frames(out)).toContainEqual([0, 0, 0x9f]);
  });

  it('rejects impossible lengths and resynchronises', () => {
    const decoder = new SamFrameDecoder({ maxLength: 100 });
    const out = decoder.push(concat([bytes(0xaa, 0xaa, 0xaa, 0x96, 0x69, 0xff, 0xff), buildSamResponse(0x90)]));
    expect(out[0]).toEqual({ kind: 'bad-length', declaredLength: 0xffff });
    expect(frames(out)).toEqual([[0, 0, 0x90]]);
    expect(new SamFrameDecoder().push(bytes(0xaa, 0xaa, 0xaa, 0x96, 0x69, 0x00, 0x01, 0x00))[0]).toEqual({
      kind: 'bad-length',
      declaredLength: 1,
    });
  });

  it('reset() drops a partial frame', () => {
    const decoder = new SamFrameDecoder();
    decoder.push(buildSamResponse(0x90).subarray(0, 8));
    decoder.reset();
    expect(decoder.pendingBytes).toBe(0);
    expect(frames(decoder.push(buildSamResponse(0x9f)))).toEqual([[0, 0, 0x9f]]);
  });

  it('property: random byte streams never throw and the buffer stays bounded', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 30 }),
        fc.boolean(),
        (chunks, withPreambles) => {
          const decoder = new SamFrameDecoder({ maxLength: 512 });
          for (const chunk of chunks) {
            // Preambles make the decoder wait for lengths and checksums, the interesting paths.
            const c = withPreambles ? concat([bytes(0xaa, 0xaa, 0xaa, 0x96, 0x69), chunk]) : chunk;
            decoder.push(c);
            expect(decoder.pendingBytes).toBeLessThanOrEqual(7 + 512);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  const body = fc.uint8Array({ minLength: 2, maxLength: 1400 });

  it('property: encode → decode round-trips any sequence of frames, with noise between them', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.uint8Array({ maxLength: 20 }), body), { maxLength: 6 }), (parts) => {
        // Noise must not itself contain the start of a preamble for the frame count to be exact.
        const clean = parts.map(([noise, b]) => [noise.map((x) => (x === 0xaa ? 0x55 : x)), b] as const);
        const stream = concat(clean.flatMap(([noise, b]) => [noise, encodeSamFrame(b)]));
        expect(frames(new SamFrameDecoder().push(stream))).toEqual(clean.map(([, b]) => [...b]));
      }),
      { numRuns: 200 },
    );
  });

  it('property: any chunking of any stream yields the same events', () => {
    const stream = fc
      .array(
        fc.oneof(
          body.map(encodeSamFrame),
          fc.uint8Array({ maxLength: 30 }),
          fc.constant(bytes(0xaa, 0xaa, 0xaa, 0x96, 0x69)),
        ),
        { maxLength: 8 },
      )
      .map(concat);
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 12 }), (s, cuts) => {
        expect(feedInChunks(s, cuts)).toEqual(new SamFrameDecoder().push(s));
      }),
      { numRuns: 300 },
    );
  });
});

describe('SamFrameDecoder with Node Buffers', () => {
  it('returns plain Uint8Array copies, not views of the chunk', () => {
    const chunk = Buffer.from(buildSamResponse(0x90, bytes(1, 2, 3)));
    const [event] = new SamFrameDecoder().push(chunk);
    if (event?.kind !== 'frame') throw new Error('expected a frame');
    expect(Buffer.isBuffer(event.body)).toBe(false);
    chunk.fill(0);
    expect([...event.body]).toEqual([0, 0, 0x90, 1, 2, 3]);
  });
});

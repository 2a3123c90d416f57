import { SAM_HEADER_LENGTH, SAM_PREAMBLE, xorChecksum } from './sam-frame';

/**
 * Streaming decoder for SAM frames: feed it chunks as they arrive from the link, get back every
 * complete frame. It never throws, resynchronises on the preamble after noise, and holds at most
 * one maximal frame of bytes.
 */
export type SamDecoded =
  | { readonly kind: 'frame'; readonly body: Uint8Array }
  /** A frame whose checksum did not match; its bytes are rescanned for a later preamble. */
  | {
      readonly kind: 'bad-checksum';
      readonly expected: number;
      readonly actual: number;
      readonly declaredLength: number;
    }
  /** LEN outside what this decoder accepts; the preamble is skipped. */
  | { readonly kind: 'bad-length'; readonly declaredLength: number };

export interface SamFrameDecoderOptions {
  /** Smallest LEN accepted (body + CHK). Requests have ≥ 3 (CMD PARA CHK), responses ≥ 4. */
  readonly minLength?: number;
  /** Largest LEN accepted; bounds the buffer. 30 10 with a fingerprint is 2314. */
  readonly maxLength?: number;
}

export const DEFAULT_MAX_FRAME_LENGTH = 4096;

const P0 = SAM_PREAMBLE[0] ?? 0xaa;

export class SamFrameDecoder {
  private buffer = new Uint8Array(0);
  private discarded = 0;
  private readonly minLength: number;
  private readonly maxLength: number;

  constructor(options: SamFrameDecoderOptions = {}) {
    this.minLength = Math.max(2, options.minLength ?? 3);
    this.maxLength = Math.min(0xffff, Math.max(this.minLength, options.maxLength ?? DEFAULT_MAX_FRAME_LENGTH));
  }

  /** Bytes thrown away as noise so far (not part of any frame). */
  get discardedBytes(): number {
    return this.discarded;
  }

  /** Bytes waiting for the rest of a frame. */
  get pendingBytes(): number {
    return this.buffer.length;
  }

  /** Forget any partial frame (after a timeout, so a late tail is not glued to the next answer). */
  reset(): void {
    this.discarded += this.buffer.length;
    this.buffer = new Uint8Array(0);
  }

  push(chunk: Uint8Array): SamDecoded[] {
    const out: SamDecoded[] = [];
    let buf: Uint8Array;
    // A plain view of the chunk: Buffer#slice would alias instead of copy, and callers get plain Uint8Arrays.
    if (this.buffer.length === 0) buf = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    else {
      buf = new Uint8Array(this.buffer.length + chunk.length);
      buf.set(this.buffer, 0);
      buf.set(chunk, this.buffer.length);
    }
    let pos = 0;
    for (;;) {
      const start = findPreamble(buf, pos);
      if (start < 0) {
        // Keep a tail that may be the start of a preamble split across chunks.
        const keep = preamblePrefixLength(buf, pos);
        this.discarded += buf.length - pos - keep;
        pos = buf.length - keep;
        break;
      }
      this.discarded += start - pos;
      pos = start;
      if (buf.length - pos < SAM_HEADER_LENGTH) break;
      const declaredLength = ((buf[pos + 5] ?? 0) << 8) | (buf[pos + 6] ?? 0);
      if (declaredLength < this.minLength || declaredLength > this.maxLength) {
        out.push({ kind: 'bad-length', declaredLength });
        this.discarded += 1;
        pos += 1;
        continue;
      }
      const end = pos + SAM_HEADER_LENGTH + declaredLength;
      if (buf.length < end) break;
      const expected = xorChecksum(buf, pos + 5, end - 1);
      const actual = buf[end - 1] ?? 0;
      if (expected !== actual) {
        // A lost byte shifts the end into the next frame: rescan from just after this preamble.
        out.push({ kind: 'bad-checksum', expected, actual, declaredLength });
        this.discarded += 1;
        pos += 1;
        continue;
      }
      out.push({ kind: 'frame', body: buf.slice(pos + SAM_HEADER_LENGTH, end - 1) });
      pos = end;
    }
    this.buffer = pos >= buf.length ? new Uint8Array(0) : buf.slice(pos);
    return out;
  }
}

function findPreamble(buf: Uint8Array, from: number): number {
  const last = buf.length - SAM_PREAMBLE.length;
  for (let i = buf.indexOf(P0, from); i !== -1 && i <= last; i = buf.indexOf(P0, i + 1)) {
    if (buf[i + 1] === 0xaa && buf[i + 2] === 0xaa && buf[i + 3] === 0x96 && buf[i + 4] === 0x69) return i;
  }
  return -1;
}

/** Length of the longest suffix of buf[from..] that is a proper prefix of the preamble. */
function preamblePrefixLength(buf: Uint8Array, from: number): number {
  const available = buf.length - from;
  for (let n = Math.min(SAM_PREAMBLE.length - 1, available); n > 0; n--) {
    let match = true;
    for (let k = 0; k < n; k++) {
      if (buf[buf.length - n + k] !== SAM_PREAMBLE[k]) {
        match = false;
        break;
      }
    }
    if (match) return n;
  }
  return 0;
}

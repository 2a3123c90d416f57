import { err, ok, type Result } from '../../foundation/result';

/** A response body split into its status words and data. */
export interface SamResponse {
  readonly sw1: number;
  readonly sw2: number;
  readonly sw3: number;
  readonly data: Uint8Array;
}

export function parseSamResponse(body: Uint8Array): Result<SamResponse, 'too-short'> {
  if (body.length < 3) return err('too-short');
  return ok({ sw1: body[0] ?? 0, sw2: body[1] ?? 0, sw3: body[2] ?? 0, data: body.subarray(3) });
}

export const ID_CARD_TEXT_LENGTH = 256;

/** The raw content of a card read: text block, WLT photo, and (30 10 only) fingerprint data. */
export interface RawCardData {
  readonly text: Uint8Array;
  readonly photo: Uint8Array;
  /** Empty for 30 01 and for cards without fingerprints. */
  readonly fingerprint: Uint8Array;
}

export type CardReadLayout = 'text-photo' | 'text-photo-fingerprint';

export interface MalformedCardData {
  readonly kind: 'malformed-card-data';
  readonly reason: string;
}

const u16 = (data: Uint8Array, at: number) => ((data[at] ?? 0) << 8) | (data[at + 1] ?? 0);

/**
 * Splits the data of a 30 01 / 30 10 response: big-endian lengths first (text, photo, and for
 * 30 10 fingerprint), then the blocks in that order. Lengths must add up exactly, so a frame that
 * is well-formed but of the wrong shape (a late answer to another command) is refused.
 */
export function parseCardReadData(layout: CardReadLayout, data: Uint8Array): Result<RawCardData, MalformedCardData> {
  const headerLength = layout === 'text-photo' ? 4 : 6;
  if (data.length < headerLength)
    return err({ kind: 'malformed-card-data', reason: `data too short for a card read (${data.length} bytes)` });
  const textLength = u16(data, 0);
  const photoLength = u16(data, 2);
  const fingerprintLength = layout === 'text-photo' ? 0 : u16(data, 4);
  if (textLength !== ID_CARD_TEXT_LENGTH)
    return err({ kind: 'malformed-card-data', reason: `text length ${textLength}, expected ${ID_CARD_TEXT_LENGTH}` });
  const total = headerLength + textLength + photoLength + fingerprintLength;
  if (total !== data.length)
    return err({ kind: 'malformed-card-data', reason: `lengths add up to ${total} bytes but ${data.length} arrived` });
  const textStart = headerLength;
  const photoStart = textStart + textLength;
  const fingerprintStart = photoStart + photoLength;
  return ok({
    text: data.slice(textStart, photoStart),
    photo: data.slice(photoStart, fingerprintStart),
    fingerprint: data.slice(fingerprintStart, total),
  });
}

/** The inverse, for simulators and tests. */
export function encodeCardReadData(layout: CardReadLayout, card: RawCardData): Uint8Array {
  const headerLength = layout === 'text-photo' ? 4 : 6;
  const fingerprint = layout === 'text-photo' ? new Uint8Array(0) : card.fingerprint;
  const out = new Uint8Array(headerLength + card.text.length + card.photo.length + fingerprint.length);
  out[0] = card.text.length >> 8;
  out[1] = card.text.length & 0xff;
  out[2] = card.photo.length >> 8;
  out[3] = card.photo.length & 0xff;
  if (layout === 'text-photo-fingerprint') {
    out[4] = fingerprint.length >> 8;
    out[5] = fingerprint.length & 0xff;
  }
  out.set(card.text, headerLength);
  out.set(card.photo, headerLength + card.text.length);
  out.set(fingerprint, headerLength + card.text.length + card.photo.length);
  return out;
}

import { encodeIdCardText } from './id-card-text-encoder';
import { buildSamResponse, samCommandOf, type SamCommand } from './sam-frame';
import { encodeCardReadData } from './sam-response';
import { noiseBytes, sampleCard, type SampleCard, type SampleCardName } from './sample-cards';

/**
 * How a resident ID-card reader behaves, without any link: requests in, timed replies out. The
 * PTY simulator and in-memory tests both drive it. Behaviour follows common readers: after a
 * successful read the card is halted, so find answers 80 until the card is lifted and placed
 * again, while select still answers 90 as long as the card lies on the reader.
 */
export const ID_READER_FAULTS = [
  'no-card',
  'card-moved',
  'checksum-error',
  'noise-before-preamble',
  'split-response',
  'slow-answers',
] as const;
export type IdReaderFault = (typeof ID_READER_FAULTS)[number];

export function isIdReaderFault(value: string): value is IdReaderFault {
  return (ID_READER_FAULTS as readonly string[]).includes(value);
}

/** A reply: bytes in chunks, the first sent after `delayMs`, the next ones `gapMs` apart. */
export interface ReaderReply {
  readonly command: SamCommand | 'garbled' | 'unknown';
  readonly chunks: readonly Uint8Array[];
  readonly delayMs: number;
  readonly gapMs: number;
}

export interface IdReaderModelOptions {
  /** Halt the card after a read (find → 80 until re-placed); default true, like real readers. */
  readonly haltAfterRead?: boolean;
  /** Delay of every answer under the 'slow-answers' fault. */
  readonly slowAnswerMs?: number;
}

const SAM_ID = Uint8Array.from([
  0x05, 0x00, 0x01, 0x00, 0x12, 0x34, 0x56, 0x78, 0x00, 0x00, 0x00, 0x2a, 0x11, 0x22, 0x33, 0x44,
]);
const SW_FIND_OK = 0x9f;
const SW_OK = 0x90;

export class IdReaderModel {
  private card: SampleCard | null = null;
  private halted = false;
  private fault: IdReaderFault | null = null;
  private readonly haltAfterRead: boolean;
  private readonly slowAnswerMs: number;
  private noiseSeed = 12345;
  /** Every command answered, in order (for tests). */
  readonly log: (SamCommand | 'garbled' | 'unknown')[] = [];

  constructor(options: IdReaderModelOptions = {}) {
    this.haltAfterRead = options.haltAfterRead ?? true;
    this.slowAnswerMs = options.slowAnswerMs ?? 1200;
  }

  insertCard(card: SampleCardName | SampleCard): void {
    this.card = typeof card === 'string' ? sampleCard(card) : card;
    this.halted = false;
  }

  removeCard(): void {
    this.card = null;
    this.halted = false;
  }

  /** Power lost (cable pulled): the RF field drops, so a halted card answers find again afterwards. */
  powerCycle(): void {
    this.halted = false;
  }

  setFault(fault: IdReaderFault | null): void {
    this.fault = fault;
  }

  get currentFault(): IdReaderFault | null {
    return this.fault;
  }

  get hasCard(): boolean {
    return this.card !== null;
  }

  /** A request whose checksum or length was wrong: readers answer SW3 10. */
  garbled(): ReaderReply {
    return this.reply('garbled', buildSamResponse(0x10));
  }

  /** A well-formed request body (CMD PARA [data]). */
  handle(body: Uint8Array): ReaderReply {
    const command = samCommandOf(body[0] ?? -1, body[1] ?? -1);
    if (command === undefined) return this.reply('unknown', buildSamResponse(0x21));
    return this.reply(command, this.answer(command));
  }

  private answer(command: SamCommand): Uint8Array {
    switch (command) {
      case 'reset-sam':
      case 'sam-self-check':
        return buildSamResponse(SW_OK);
      case 'read-sam-id':
        return buildSamResponse(SW_OK, SAM_ID);
      case 'find-card':
        if (this.card === null || this.halted || this.fault === 'no-card') return buildSamResponse(0x80);
        return buildSamResponse(SW_FIND_OK, new Uint8Array(4));
      case 'select-card':
        if (this.card === null || this.fault === 'no-card') return buildSamResponse(0x81);
        return buildSamResponse(SW_OK, new Uint8Array(8));
      case 'read-text-photo':
      case 'read-text-photo-fingerprint':
        return this.readAnswer(command === 'read-text-photo' ? 'text-photo' : 'text-photo-fingerprint');
      case 'read-added-address':
        return buildSamResponse(0x91);
    }
  }

  private readAnswer(layout: 'text-photo' | 'text-photo-fingerprint'): Uint8Array {
    if (this.card === null || this.fault === 'card-moved') return buildSamResponse(0x41);
    const data = encodeCardReadData(layout, {
      text: encodeIdCardText(this.card.text),
      photo: this.card.photo,
      fingerprint: this.card.fingerprint,
    });
    const frame = buildSamResponse(SW_OK, data);
    if (this.fault === 'checksum-error') {
      // A bit error on the long answer: the checksum no longer matches.
      frame[frame.length - 1] = (frame[frame.length - 1] ?? 0) ^ 0x5a;
      return frame;
    }
    if (this.haltAfterRead) this.halted = true;
    return frame;
  }

  private reply(command: ReaderReply['command'], frame: Uint8Array): ReaderReply {
    this.log.push(command);
    const delayMs = this.fault === 'slow-answers' ? this.slowAnswerMs : 0;
    if (this.fault === 'noise-before-preamble') {
      // Line noise never contains AA, so it cannot start a false preamble.
      const noise = noiseBytes(this.noiseSeed++, 1 + (this.noiseSeed % 16)).map((b) => (b === 0xaa ? 0x55 : b));
      return { command, chunks: [noise, frame], delayMs, gapMs: 0 };
    }
    if (this.fault === 'split-response') {
      // Cut inside the preamble, inside the header and in the body.
      const cuts = [2, 6, Math.max(7, Math.floor(frame.length / 2)), frame.length].filter(
        (c, i, a) => c <= frame.length && (i === 0 || c > (a[i - 1] ?? 0)),
      );
      const chunks: Uint8Array[] = [];
      let prev = 0;
      for (const c of cuts) {
        if (c > prev) chunks.push(frame.subarray(prev, c));
        prev = c;
      }
      return { command, chunks, delayMs, gapMs: 15 };
    }
    return { command, chunks: [frame], delayMs, gapMs: 0 };
  }
}

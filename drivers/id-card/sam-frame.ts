/**
 * Frames of the resident ID-card reader's SAM protocol (docs/devices/id-card-reader.md):
 *
 *   AA AA AA 96 69 | LEN_H LEN_L | body… | CHK
 *
 * A request body is `CMD PARA [data]`, a response body `SW1 SW2 SW3 [data]`. LEN (big-endian)
 * counts the body plus CHK; CHK is the XOR of LEN_H…last body byte. Requests and responses share
 * this shape, so the simulator and the driver use the same encoder and decoder.
 */

export const SAM_PREAMBLE: readonly number[] = [0xaa, 0xaa, 0xaa, 0x96, 0x69];
/** Preamble + 2 length bytes. */
export const SAM_HEADER_LENGTH = 7;
/** LEN is 16 bits, so no body can exceed this. */
export const SAM_MAX_BODY_LENGTH = 0xffff - 1;

export type SamCommand =
  | 'reset-sam'
  | 'sam-self-check'
  | 'read-sam-id'
  | 'find-card'
  | 'select-card'
  | 'read-text-photo'
  | 'read-text-photo-fingerprint'
  | 'read-added-address';

export interface SamCommandSpec {
  readonly cmd: number;
  readonly para: number;
  /** SW3 meaning success for this command. */
  readonly successSw3: number;
}

/** The command table. `reset-sam` is 10 FF per the doc (marked unverified there: some readers use 01 FF). */
export const SAM_COMMANDS: Readonly<Record<SamCommand, SamCommandSpec>> = {
  'reset-sam': { cmd: 0x10, para: 0xff, successSw3: 0x90 },
  'sam-self-check': { cmd: 0x11, para: 0xff, successSw3: 0x90 },
  'read-sam-id': { cmd: 0x12, para: 0xff, successSw3: 0x90 },
  'find-card': { cmd: 0x20, para: 0x01, successSw3: 0x9f },
  'select-card': { cmd: 0x20, para: 0x02, successSw3: 0x90 },
  'read-text-photo': { cmd: 0x30, para: 0x01, successSw3: 0x90 },
  'read-text-photo-fingerprint': { cmd: 0x30, para: 0x10, successSw3: 0x90 },
  'read-added-address': { cmd: 0x30, para: 0x03, successSw3: 0x90 },
};

export const SAM_COMMAND_NAMES = Object.keys(SAM_COMMANDS) as readonly SamCommand[];

/** Which command a request body names, if any (the simulator's dispatch). */
export function samCommandOf(cmd: number, para: number): SamCommand | undefined {
  return SAM_COMMAND_NAMES.find((name) => SAM_COMMANDS[name].cmd === cmd && SAM_COMMANDS[name].para === para);
}

/** XOR of `bytes[start..end)`. */
export function xorChecksum(bytes: Uint8Array, start: number, end: number): number {
  let chk = 0;
  for (let i = start; i < end; i++) chk ^= bytes[i] ?? 0;
  return chk;
}

/** Wraps a body (request or response) into a complete frame. */
export function encodeSamFrame(body: Uint8Array): Uint8Array {
  if (body.length > SAM_MAX_BODY_LENGTH) throw new RangeError(`SAM frame body too long: ${body.length} bytes`);
  const len = body.length + 1;
  const frame = new Uint8Array(SAM_HEADER_LENGTH + len);
  frame.set(SAM_PREAMBLE, 0);
  frame[5] = len >> 8;
  frame[6] = len & 0xff;
  frame.set(body, SAM_HEADER_LENGTH);
  frame[frame.length - 1] = xorChecksum(frame, 5, frame.length - 1);
  return frame;
}

export function buildSamRequest(command: SamCommand, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const { cmd, para } = SAM_COMMANDS[command];
  const body = new Uint8Array(2 + data.length);
  body[0] = cmd;
  body[1] = para;
  body.set(data, 2);
  return encodeSamFrame(body);
}

/** A response frame as a reader sends it (used by simulators and tests). */
export function buildSamResponse(sw3: number, data: Uint8Array = new Uint8Array(0), sw1 = 0, sw2 = 0): Uint8Array {
  const body = new Uint8Array(3 + data.length);
  body[0] = sw1;
  body[1] = sw2;
  body[2] = sw3;
  body.set(data, 3);
  return encodeSamFrame(body);
}

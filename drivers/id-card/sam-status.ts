import { err, ok, type Result } from '../../foundation/result';
import { SAM_COMMANDS, type SamCommand } from './sam-frame';

/** The reader's SW3 error codes (docs/devices/id-card-reader.md), by name. */
export const SAM_STATUS_ERRORS = {
  0x10: 'checksum-error',
  0x11: 'length-error',
  0x21: 'bad-command',
  0x23: 'not-permitted',
  0x24: 'unknown-error',
  0x31: 'auth-failed',
  0x32: 'auth-failed',
  0x33: 'verification-error',
  0x40: 'unknown-card-type',
  0x41: 'read-failed',
  0x47: 'random-number-failed',
  0x60: 'sam-self-test-failed',
  0x66: 'sam-not-authorised',
  0x80: 'no-card',
  0x81: 'select-failed',
  0x91: 'no-content',
} as const;

type KnownStatusName = (typeof SAM_STATUS_ERRORS)[keyof typeof SAM_STATUS_ERRORS];

/**
 * Why a command did not succeed, as the reader said it. `unexpected-status` covers codes outside
 * the table and another command's success code (9F answering a select).
 */
export type SamStatusErrorKind = KnownStatusName | 'unexpected-status';

export interface SamStatusError {
  readonly kind: SamStatusErrorKind;
  readonly sw3: number;
}

export function samStatusErrorKind(sw3: number): SamStatusErrorKind {
  const name = (SAM_STATUS_ERRORS as Record<number, KnownStatusName | undefined>)[sw3];
  return name ?? 'unexpected-status';
}

/** SW3 of a response to `command` → success or the named failure. */
export function interpretSw3(command: SamCommand, sw3: number): Result<void, SamStatusError> {
  if (sw3 === SAM_COMMANDS[command].successSw3) return ok();
  return err({ kind: samStatusErrorKind(sw3), sw3 });
}

export function describeSamStatus(error: SamStatusError): string {
  const hex = error.sw3.toString(16).padStart(2, '0').toUpperCase();
  switch (error.kind) {
    case 'checksum-error':
      return `the reader got a request with a bad checksum (SW3 ${hex})`;
    case 'length-error':
      return `the reader got a request with a bad length (SW3 ${hex})`;
    case 'bad-command':
      return `the reader does not know this command (SW3 ${hex})`;
    case 'not-permitted':
      return `the reader does not permit this command now (SW3 ${hex})`;
    case 'unknown-error':
      return `the reader reported an unknown error (SW3 ${hex})`;
    case 'auth-failed':
      return `card and SAM could not authenticate each other (SW3 ${hex})`;
    case 'verification-error':
      return `the card failed verification (SW3 ${hex})`;
    case 'unknown-card-type':
      return `the reader does not know this card type (SW3 ${hex})`;
    case 'read-failed':
      return `reading the card failed; it was probably moved (SW3 ${hex})`;
    case 'random-number-failed':
      return `the reader could not get a random number from the card (SW3 ${hex})`;
    case 'sam-self-test-failed':
      return `the reader's SAM module failed its self-test (SW3 ${hex})`;
    case 'sam-not-authorised':
      return `the reader's SAM module is not authorised (SW3 ${hex})`;
    case 'no-card':
      return `no card on the reader (SW3 ${hex})`;
    case 'select-failed':
      return `selecting the card failed (SW3 ${hex})`;
    case 'no-content':
      return `the card has no such content (SW3 ${hex})`;
    case 'unexpected-status':
      return `the reader answered with an unexpected status (SW3 ${hex})`;
  }
}

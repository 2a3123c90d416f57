import { pino } from 'pino';
import type { Log } from '../../../foundation/log';

/**
 * Structured JSON logs (one object per line) to stderr, so stdout stays for the ready line and
 * CLI output. Field names that could carry personal data are redacted as a second line of defence;
 * the first is that callers never log such fields.
 */
export const redactedPaths = [
  'name',
  'idNumber',
  'address',
  'birthDate',
  'phone',
  'answers',
  'photo',
  'signature',
  '*.name',
  '*.idNumber',
  '*.address',
  '*.phone',
];

export function createLogger(options: { level?: string; destination?: NodeJS.WritableStream } = {}): Log {
  return pino(
    {
      level: options.level ?? process.env['KIOSK_LOG_LEVEL'] ?? 'info',
      base: { app: 'village-kiosk' },
      redact: { paths: redactedPaths, censor: '[redacted]' },
    },
    options.destination ?? pino.destination(2),
  );
}

import { pino } from 'pino';
import { build as prettyStream } from 'pino-pretty';
import type { Log } from '../../../foundation/log';

/**
 * Structured JSON logs (one object per line) to stderr, so stdout stays for the ready line and
 * CLI output; the journal and log files get exactly that. A person watching a terminal gets the
 * same records as short lines (pino-pretty: time, level, message, fields). Field names that could
 * carry personal data are redacted as a second line of defence; the first is that callers never
 * log such fields.
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

export function createLogger(
  options: { level?: string; destination?: NodeJS.WritableStream; pretty?: boolean } = {},
): Log {
  const pretty = options.pretty ?? (options.destination === undefined && process.stderr.isTTY);
  return pino(
    {
      level: options.level ?? process.env['KIOSK_LOG_LEVEL'] ?? 'info',
      base: { app: 'village-kiosk' },
      redact: { paths: redactedPaths, censor: '[redacted]' },
    },
    pretty ? humanLines(options.destination) : (options.destination ?? pino.destination(2)),
  );
}

/** One short line per record, for a terminal: `17:04:33 INFO (id-card): card read cardType=resident`. */
function humanLines(destination: NodeJS.WritableStream | undefined): NodeJS.WritableStream {
  return prettyStream({
    destination: destination ?? 2,
    sync: true,
    colorize: destination === undefined,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,app,service,module',
    messageFormat: '{if service}({service}) {end}{if module}({module}) {end}{msg}',
    singleLine: true,
  });
}

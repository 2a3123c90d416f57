/**
 * The structured logger every driver and service receives. pino's Logger satisfies it; tests pass
 * a recording logger. Log fields must never carry personal data (names, ID numbers, photos).
 */
export interface Log {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
  debug(fields: Record<string, unknown>, message: string): void;
  child(bindings: Record<string, unknown>): Log;
}

export interface RecordedLine {
  readonly level: 'info' | 'warn' | 'error' | 'debug';
  readonly fields: Record<string, unknown>;
  readonly message: string;
}

/** A logger that keeps lines in memory, for tests and for the technician console's recent-log view. */
export function recordingLog(
  lines: RecordedLine[] = [],
  bindings: Record<string, unknown> = {},
): Log & { lines: RecordedLine[] } {
  const write = (level: RecordedLine['level']) => (fields: Record<string, unknown>, message: string) => {
    lines.push({ level, fields: { ...bindings, ...fields }, message });
  };
  return {
    lines,
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    debug: write('debug'),
    child: (more) => recordingLog(lines, { ...bindings, ...more }),
  };
}

export const silentLog: Log = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child: () => silentLog,
};

import type { Log } from '../../../drivers/log';

/**
 * The last few hundred structured log lines, kept in memory for the technician console and the
 * diagnostic bundle. `ringLog` wraps the Log the services receive, so every line still reaches the
 * real logger unchanged. Only flat primitive fields are kept, and fields whose names could carry
 * personal data are dropped here too (callers never log them; this is the second line of defence).
 */
export interface LogLine {
  readonly at: string;
  readonly level: 'info' | 'warn' | 'error' | 'debug';
  readonly message: string;
  /** The `service` / `device` / `role` bindings, when set: what the console filters by. */
  readonly source: string;
  readonly fields: Record<string, string | number | boolean | null>;
}

export interface LogRing {
  lines(filter?: { source?: string; level?: LogLine['level']; limit?: number }): LogLine[];
  sources(): string[];
}

const personalKeys = /^(name|idnumber|address|birthdate|phone|answers?|photo|signature|pin|code|card|comment|text)$/i;

export function createLogRing(capacity = 500): LogRing & { push(line: LogLine): void } {
  const buffer: LogLine[] = [];
  return {
    push(line) {
      buffer.push(line);
      if (buffer.length > capacity) buffer.splice(0, buffer.length - capacity);
    },
    lines(filter = {}) {
      const wanted = buffer.filter((l) => (filter.source === undefined || l.source === filter.source) && (filter.level === undefined || l.level === filter.level));
      return wanted.slice(-(filter.limit ?? 200));
    },
    sources: () => [...new Set(buffer.map((l) => l.source))].sort(),
  };
}

function keep(fields: Record<string, unknown>): LogLine['fields'] {
  const kept: LogLine['fields'] = {};
  for (const [key, value] of Object.entries(fields)) {
    if (personalKeys.test(key)) continue;
    if (value === null || typeof value === 'number' || typeof value === 'boolean') kept[key] = value;
    else if (typeof value === 'string') kept[key] = value.slice(0, 300);
  }
  return kept;
}

export function ringLog(inner: Log, ring: { push(line: LogLine): void }, bindings: Record<string, unknown> = {}, now: () => Date = () => new Date()): Log {
  const write = (level: LogLine['level']) => (fields: Record<string, unknown>, message: string) => {
    inner[level](fields, message);
    // Debug lines would push the useful ones out of a small ring.
    if (level === 'debug') return;
    const all = { ...bindings, ...fields };
    const source = [all['device'], all['service'], all['module']].find((v): v is string => typeof v === 'string') ?? 'kiosk';
    ring.push({ at: now().toISOString(), level, message: message.slice(0, 300), source, fields: keep(fields) });
  };
  return {
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    debug: write('debug'),
    child: (more) => ringLog(inner.child(more), ring, { ...bindings, ...more }, now),
  };
}

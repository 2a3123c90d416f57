import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Log } from '../../../foundation/log';

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
  /** Lines ever pushed: tells a writer whether anything changed. */
  count(): number;
}

const personalKeys = /^(name|idnumber|address|birthdate|phone|answers?|photo|signature|pin|code|card|comment|text)$/i;

export function createLogRing(capacity = 500): LogRing & { push(line: LogLine): void } {
  const buffer: LogLine[] = [];
  let pushed = 0;
  return {
    push(line) {
      pushed += 1;
      buffer.push(line);
      if (buffer.length > capacity) buffer.splice(0, buffer.length - capacity);
    },
    lines(filter = {}) {
      const wanted = buffer.filter(
        (l) =>
          (filter.source === undefined || l.source === filter.source) &&
          (filter.level === undefined || l.level === filter.level),
      );
      return wanted.slice(-(filter.limit ?? 200));
    },
    sources: () => [...new Set(buffer.map((l) => l.source))].sort(),
    count: () => pushed,
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

export function ringLog(
  inner: Log,
  ring: { push(line: LogLine): void },
  bindings: Record<string, unknown> = {},
  now: () => Date = () => new Date(),
): Log {
  const write = (level: LogLine['level']) => (fields: Record<string, unknown>, message: string) => {
    inner[level](fields, message);
    // Debug lines would push the useful ones out of a small ring.
    if (level === 'debug') return;
    const all = { ...bindings, ...fields };
    const source =
      [all['device'], all['service'], all['module']].find((v): v is string => typeof v === 'string') ?? 'kiosk';
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

/** Where the running kiosk keeps a copy of the ring, so `kiosk diagnostics export` can include it. */
export const recentLogFileName = 'recent-log.json';

/** Copies the ring to a file every few seconds when it changed; `stop` writes a last copy. */
export function mirrorLogRing(ring: LogRing, path: string, everyMs = 10_000): { stop(): void } {
  let written = -1;
  const flush = () => {
    if (ring.count() === written) return;
    written = ring.count();
    try {
      writeFileSync(`${path}.tmp`, JSON.stringify(ring.lines({ limit: 500 })), { mode: 0o600 });
      renameSync(`${path}.tmp`, path);
    } catch {
      // Diagnostics only: a full disk must not disturb the kiosk.
    }
  };
  const timer = setInterval(flush, everyMs);
  timer.unref?.();
  return {
    stop() {
      clearInterval(timer);
      flush();
    },
  };
}

export function readMirroredLog(path: string): LogLine[] {
  try {
    const lines = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return Array.isArray(lines) ? (lines as LogLine[]) : [];
  } catch {
    return [];
  }
}

/**
 * The terminal's local time: China Standard Time (UTC+8, no daylight saving), whatever the machine's
 * own time zone says. Local numbers, receipts, the daily summary and the screens count days in it.
 */
export const terminalTimeZone = 'Asia/Shanghai';
const utcOffsetMs = 8 * 60 * 60_000;

/** YYYY-MM-DD of the local day. */
export function localDay(date: Date): string {
  return new Date(date.getTime() + utcOffsetMs).toISOString().slice(0, 10);
}

/** YYYY-MM-DD HH:mm in local time, as a receipt or a printed summary shows it. */
export function localDateTime(date: Date): string {
  return new Date(date.getTime() + utcOffsetMs).toISOString().slice(0, 16).replace('T', ' ');
}

/** The local day `day` (YYYY-MM-DD) as a half-open range of ISO instants [from, to). */
export function localDayBounds(day: string): readonly [string, string] {
  const start = Date.parse(`${day}T00:00:00.000Z`) - utcOffsetMs;
  return [new Date(start).toISOString(), new Date(start + 86_400_000).toISOString()];
}

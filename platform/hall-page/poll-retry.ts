/**
 * The hall page's long polls, when the platform answers "later" (docs/remote-help.md): how long to
 * wait before the next poll.
 */

/**
 * How long to wait before polling again after an answer that says "later": the platform is busy
 * (503), this session polls too fast (429), or a newer poll of this session (another tab) took this
 * one's place (409). Null for any other answer: polling again would not help.
 */
export function retryAfterMs(response: {
  status: number;
  headers: { get(name: string): string | null };
}): number | null {
  if (![409, 429, 503].includes(response.status)) return null;
  const seconds = Number(response.headers.get('retry-after') ?? '');
  // Bounded either way: a missing or absurd header never stops the page or makes it spin.
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 60) * 1000 : 2000;
}

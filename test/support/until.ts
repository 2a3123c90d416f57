/**
 * Waits until `check` holds, polling every 10 ms; for tests observing asynchronous device I/O that
 * has no event to wait on. The timeout only bounds a failure, so it is generous: a loaded machine
 * must not turn a slow success into a failure.
 */
export async function until(check: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Polls `read` (every 50 ms) until `accept` holds for what it answered; resolves with that value. The
 * e2e tests' expect.poll, without vitest, so the soak harness (a plain Node script) drives journeys with
 * the same code. A timeout names what was awaited and the last value seen.
 */
export async function untilValue<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > end) throw new Error(`${what} not met within ${timeoutMs} ms (last: ${JSON.stringify(value)})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

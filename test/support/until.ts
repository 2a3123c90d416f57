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

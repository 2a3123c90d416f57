/**
 * Expected failures (an unplugged reader, paper out, a bad frame) are values, not exceptions:
 * callers must look at them, and the type says which failures can happen.
 */
export type Result<T, E> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export function ok<T>(value: T): Result<T, never>;
export function ok(): Result<void, never>;
export function ok<T>(value?: T): Result<T | undefined, never> {
  return { ok: true, value };
}

export function err<E>(error: E): Result<never, E> {
  return { ok: false, error };
}

/** For exhaustive switches: the compiler proves this is unreachable. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}

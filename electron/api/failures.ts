import { z } from 'zod';

/**
 * Expected failures are part of the contract: every method declares the kinds it may answer with,
 * each a word the renderer turns into its own sentence (an exhaustive switch, so a new kind cannot
 * be forgotten). A failure may carry typed data (seconds left, an HTTP status) and, for the
 * technician console, a `detail` from the operating system; never a sentence meant for the screen.
 * The service side may add a `message` for its log; it is stripped before the failure crosses.
 */
type KindObjects<K extends readonly string[]> = { -readonly [I in keyof K]: z.ZodObject<{ kind: z.ZodLiteral<K[I]> }> };

/** Failures that are just a kind: one object type per kind, so a switch narrows to each. */
export function kinds<const K extends readonly [string, ...string[]]>(...names: K) {
  return z.union(names.map((name) => z.object({ kind: z.literal(name) })) as KindObjects<K>);
}

/** A method that always answers (its refusals, if any, are part of its result). */
export const noFailures = z.never();

/** Refusals of every staff and technician call: no staff session (signed out, timed out) or the wrong role. */
export const notAllowed = kinds('not-allowed');

/** A failure with a technical detail for the technician (an errno, a path, the platform's reason). */
export function detailed<const K extends string>(kind: K) {
  return z.object({ kind: z.literal(kind), detail: z.string().max(500) });
}

export function method<P extends z.ZodType, R extends z.ZodType, E extends z.ZodType = typeof noFailures>(
  params: P,
  result: R,
  errors?: E,
): { params: P; result: R; errors: E } {
  return { params, result, errors: (errors ?? noFailures) as E };
}

/** What a service hands back when it refuses: the declared failure, plus an optional line for the log. */
export type Refusal<F> = F & { readonly message?: string };

/**
 * The exit codes of every `kiosk` command, one meaning each (the table in docs/cli.md). Scripts
 * and the technician console rely on them: a new command picks from here, never a new number.
 */
export const exitCodes = {
  /** Done; or what was checked is fine (receipt valid, audit chain intact). */
  ok: 0,
  /** It did not work, or the answer is no: a device problem, a refusal, an invalid receipt, no card in time. */
  failed: 1,
  /** The command line or a file it names is wrong: unknown option, bad value, invalid configuration. */
  usage: 2,
  /** The platform could not be reached; nothing changed, try again later. */
  unreachable: 3,
  /** Stored data failed a check: the audit chain is broken, or the database is not the version this software reads. */
  data: 4,
} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

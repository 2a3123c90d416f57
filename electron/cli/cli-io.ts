/**
 * Where CLI commands write. Commands take it as a parameter so tests capture output without
 * spawning a process. Exit codes travel as `CliExit` so a command never calls process.exit itself.
 */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** Thrown by a command to end with a code after it has printed its one clear line. */
export class CliExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

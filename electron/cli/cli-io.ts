import type { ExitCode } from './exit-codes';

/**
 * Where CLI commands write. Commands take it as a parameter so tests capture output without
 * spawning a process. Exit codes travel as `CliExit` so a command never calls process.exit itself.
 */
export interface CliIo {
  /** Results: what `--json` turns into one JSON document. */
  out(line: string): void;
  /** Problems, one clear line each. */
  err(line: string): void;
  /** "Waiting for …" while something takes long: for a person watching, so only shown on a terminal. */
  progress(line: string): void;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  progress: (line) => {
    if (process.stderr.isTTY) process.stderr.write(`${line}\n`);
  },
};

/** Thrown by a command to end with a code after it has printed its one clear line. */
export class CliExit extends Error {
  constructor(readonly code: ExitCode) {
    super(`exit ${code}`);
  }
}

/** Prints one problem line and ends the command with `code`. */
export function fail(io: CliIo, code: ExitCode, line: string): never {
  io.err(line.startsWith('kiosk: ') ? line : `kiosk: ${line}`);
  throw new CliExit(code);
}

/**
 * Reads a password for the command line: typed without echo at a terminal, or the first line of
 * standard input when it is piped (scripts, tests). Never from argv, where `ps` and shell
 * history would keep it.
 */
import type { Readable, Writable } from 'node:stream';

export interface SecretInput {
  readonly stdin: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  readonly stderr: Writable;
}

let pipedLines: Promise<string[]> | null = null;

/** Piped input is read once; each call takes the next line. */
async function nextPipedLine(stdin: Readable): Promise<string | null> {
  pipedLines ??= (async () => {
    let text = '';
    for await (const chunk of stdin) text += String(chunk);
    return text.split(/\r?\n/);
  })();
  const lines = await pipedLines;
  return lines.length === 0 ? null : (lines.shift() ?? null);
}

function typedWithoutEcho(io: SecretInput, prompt: string): Promise<string | null> {
  io.stderr.write(prompt);
  io.stdin.setRawMode?.(true);
  io.stdin.resume();
  return new Promise((done) => {
    let typed = '';
    const finish = (value: string | null) => {
      io.stdin.off('data', onData);
      io.stdin.setRawMode?.(false);
      io.stdin.pause();
      io.stderr.write('\n');
      done(value);
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return finish(typed);
        if (char === '\u0003' || char === '\u0004') return finish(null); // Ctrl-C, Ctrl-D
        if (char === '\u007f' || char === '\b') typed = [...typed].slice(0, -1).join('');
        else typed += char;
      }
    };
    io.stdin.on('data', onData);
  });
}

export function readSecret(io: SecretInput, prompt: string): Promise<string | null> {
  return io.stdin.isTTY === true ? typedWithoutEcho(io, prompt) : nextPipedLine(io.stdin);
}

/**
 * The console of a `kiosk simulate …` command: hands every line typed on stdin to `onLine` (so a
 * technician can place cards, pull cables, …) and returns on SIGINT/SIGTERM.
 */
export async function runSimulatorConsole(onLine: (line: string) => Promise<void> | void): Promise<void> {
  let pending = '';
  const onData = (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) void onLine(line.trim());
  };
  process.stdin.on('data', onData);
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  process.stdin.off('data', onData);
  process.stdin.pause();
}

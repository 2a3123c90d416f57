import { runCli } from '../../electron/cli/main';

/**
 * Runs `kiosk ARGS…` in-process and captures what it printed and its exit code. Waiting messages
 * (shown only on a terminal) are kept apart in `progress`.
 */
export async function runCliCaptured(
  ...args: string[]
): Promise<{ code: number; out: string[]; err: string[]; progress: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const progress: string[] = [];
  const code = await runCli(['node', 'kiosk', ...args], {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    progress: (l) => progress.push(l),
  });
  return { code, out, err, progress };
}

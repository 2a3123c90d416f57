import { runCli } from '../../electron/cli/main';

/** Runs `kiosk ARGS…` in-process and captures what it printed and its exit code. */
export async function runCliCaptured(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['node', 'kiosk', ...args], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

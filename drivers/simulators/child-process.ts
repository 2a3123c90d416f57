import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * The helper programs simulators start (socat, ippeveprinter, a private dbus-daemon) must never
 * outlive the test or kiosk that started them. Children still alive are killed when the process
 * exits; a process killed outright never runs that hook, so they are also started with a
 * parent-death signal (util-linux setpriv, which execs the program in place).
 */
export function withParentDeath(command: string): [string, string[]] {
  return existsSync('/usr/bin/setpriv') ? ['/usr/bin/setpriv', ['--pdeathsig', 'TERM', command]] : [command, []];
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

export function trackChild(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of live) c.kill('SIGTERM');
    });
  }
}

/** SIGTERM and wait for the exit; nothing to do for a child already gone. */
export async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}

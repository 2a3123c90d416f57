import { DgramSocket } from 'node-unix-socket';

/**
 * systemd's notification protocol (sd_notify(3)): newline-separated `KEY=VALUE` lines in one
 * datagram to the AF_UNIX socket named by $NOTIFY_SOCKET. Node has no AF_UNIX datagram sockets,
 * so node-unix-socket (an N-API addon, the same build under Node and Electron) sends them. Sent
 * from the main process itself, so the unit can keep `NotifyAccess=main`.
 */
export interface ServiceNotifier {
  /** Whether a service manager is listening at all (false outside systemd: every call is a no-op). */
  readonly active: boolean;
  /** Watchdog period asked for by the unit (`WatchdogSec=`), or null when none was set for us. */
  readonly watchdogMs: number | null;
  send(state: Readonly<Record<string, string>>): Promise<void>;
  close(): void;
}

/** `@name` is the abstract namespace, spelled with a leading NUL byte in the address. */
export function notifySocketAddress(value: string): string {
  return value.startsWith('@') ? `\0${value.slice(1)}` : value;
}

export function encodeNotification(state: Readonly<Record<string, string>>): Buffer {
  const lines = Object.entries(state).map(([key, value]) => {
    if (!/^[A-Z_][A-Z0-9_]*$/.test(key)) throw new Error(`sd_notify: bad key ${key}`);
    // A value is one line: a newline would start a forged assignment.
    return `${key}=${value.replace(/[\r\n]+/g, ' ')}`;
  });
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}

/**
 * The watchdog period applies only to us: WATCHDOG_PID, when set, names the process systemd
 * expects pings from (a child inheriting the environment must not take it for itself).
 */
export function watchdogPeriodMs(env: Readonly<Record<string, string | undefined>>, pid: number): number | null {
  const usec = Number(env['WATCHDOG_USEC']);
  if (!Number.isFinite(usec) || usec <= 0) return null;
  const owner = env['WATCHDOG_PID'];
  if (owner !== undefined && owner !== '' && Number(owner) !== pid) return null;
  return Math.floor(usec / 1000);
}

export function openServiceNotifier(
  env: Readonly<Record<string, string | undefined>> = process.env,
  pid: number = process.pid,
): ServiceNotifier {
  const path = env['NOTIFY_SOCKET'];
  const watchdogMs = watchdogPeriodMs(env, pid);
  if (path === undefined || path === '') {
    return { active: false, watchdogMs, send: async () => {}, close: () => {} };
  }
  const address = notifySocketAddress(path);
  const socket = new DgramSocket();
  let closed = false;
  return {
    active: true,
    watchdogMs,
    send(state) {
      if (closed) return Promise.resolve();
      const message = encodeNotification(state);
      return new Promise<void>((resolve, reject) => {
        socket.sendTo(message, 0, message.length, address, (error) => (error ? reject(error) : resolve()));
      });
    },
    close() {
      if (closed) return;
      closed = true;
      socket.close();
    },
  };
}

import { existsSync, lstatSync, readdirSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Log } from '../../foundation/log';
import { silentLog } from '../../foundation/log';

/**
 * Notices device nodes appearing and disappearing without polling: inotify (fs.watch) on the
 * folders where they live, debounced, then a directory listing diffed against the last one.
 * udev creates /dev/ttyUSB0, /dev/hidraw3 and the /dev/serial/by-id/* links the moment a device
 * is plugged in, and removes them on unplug, so this sees both. (udevadm monitor would give the
 * same information but needs the udev daemon; inotify works in containers and on PTY links too.)
 */
export interface HotplugEvent {
  readonly type: 'added' | 'removed';
  readonly path: string;
}

export interface HotplugWatcher {
  onChange(listener: (event: HotplugEvent) => void): () => void;
  /** Paths currently present (after the last rescan). */
  present(): readonly string[];
  close(): void;
}

export interface HotplugOptions {
  /** Folders to watch; default /dev and /dev/serial/by-id. Missing ones are picked up when they appear. */
  readonly dirs?: readonly string[];
  /** Which entries count as devices; default serial and HID nodes (plus anything in by-id). */
  readonly accept?: (path: string) => boolean;
  /** Quiet time before rescanning; udev makes several entries per plug. */
  readonly debounceMs?: number;
  readonly log?: Log;
}

const SERIAL_OR_HID = /^(tty(USB|ACM|S|AMA|XRUSB|CH343USB)\d+|hidraw\d+|kiosk-.+)$/;

export function isDeviceNode(path: string): boolean {
  return dirname(path).endsWith('/by-id') || SERIAL_OR_HID.test(basename(path));
}

/** Present entries with an identity (inode + change time): a device unplugged and replugged
 * within one debounce window keeps its name but gets a new node, and must still be reported.
 * The inode alone is not enough; filesystems reuse a freed inode number at once. */
function list(dir: string, accept: (path: string) => boolean): Map<string, string> {
  const found = new Map<string, string>();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return found; // the folder went away (by-id vanishes with the last USB-serial adapter)
  }
  for (const name of names) {
    const path = join(dir, name);
    if (!accept(path)) continue;
    try {
      const stat = lstatSync(path, { bigint: true });
      found.set(path, `${stat.ino}:${stat.ctimeNs}`);
    } catch {
      // removed between the listing and the stat
    }
  }
  return found;
}

export function watchDevicePaths(options: HotplugOptions = {}): HotplugWatcher {
  const dirs = options.dirs ?? ['/dev', '/dev/serial/by-id'];
  const accept = options.accept ?? isDeviceNode;
  const debounceMs = options.debounceMs ?? 50;
  const log = (options.log ?? silentLog).child({ component: 'hotplug' });
  const listeners = new Set<(event: HotplugEvent) => void>();
  const watchers = new Map<string, FSWatcher>();
  let known = new Map<string, string>();
  const scan = () => new Map(dirs.flatMap((dir) => [...list(dir, accept)]));
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  const attach = () => {
    for (const dir of dirs) {
      if (watchers.has(dir) || !existsSync(dir)) continue;
      try {
        const w = watch(dir, { persistent: false }, () => schedule());
        w.on('error', () => {
          // The folder itself was removed; forget it so it is re-attached when it comes back.
          w.close();
          watchers.delete(dir);
          schedule();
        });
        watchers.set(dir, w);
      } catch (error) {
        log.warn({ dir, error: String(error) }, 'cannot watch device folder');
      }
    }
  };

  const rescan = () => {
    timer = null;
    if (closed) return;
    attach();
    const now = scan();
    const events: HotplugEvent[] = [];
    for (const [path, id] of known) if (now.get(path) !== id) events.push({ type: 'removed', path });
    for (const [path, id] of now) if (known.get(path) !== id) events.push({ type: 'added', path });
    known = now;
    for (const event of events) {
      log.info({ path: event.path }, `device ${event.type}`);
      for (const listener of [...listeners]) listener(event);
    }
  };

  function schedule(): void {
    if (closed) return;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(rescan, debounceMs);
  }

  attach();
  known = scan();

  return {
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    present: () => [...known.keys()],
    close() {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      for (const w of watchers.values()) w.close();
      watchers.clear();
      listeners.clear();
    },
  };
}

/** Calls `onGone` once when `path` disappears (a printer's /dev/usb/lp0 on unplug). */
export function watchForRemoval(path: string, onGone: () => void, debounceMs = 20): () => void {
  const watcher = watchDevicePaths({ dirs: [dirname(path)], accept: (p) => p === path, debounceMs });
  watcher.onChange((event) => {
    if (event.type === 'removed') {
      watcher.close();
      onGone();
    }
  });
  return () => watcher.close();
}

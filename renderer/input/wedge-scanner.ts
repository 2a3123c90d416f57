/**
 * Keyboard-wedge scanners "type" a code as a burst of keystrokes (< 30 ms apart) ending in Enter
 * (docs/devices/scanners.md). This tells such bursts apart from a person at a keyboard by timing alone.
 * Printable keys are held back for at most one gap: a burst that ends in Enter becomes a scan and
 * its keys never reach the page; anything slower is released as ordinary typing. The on-screen
 * keyboard never produces key events, so it is not affected at all.
 *
 * Pure logic with injected timestamps, so it is tested without a browser.
 */
export interface WedgeTiming {
  /** A gap of this many ms or more between keys means a person typed them. */
  readonly maxGapMs: number;
  /** Shorter bursts are typing, not codes (a fast double key press). */
  readonly minLength: number;
}

export const defaultWedgeTiming: WedgeTiming = { maxGapMs: 30, minLength: 4 };

export interface KeyVerdict {
  /** True: the key event must be stopped (held, or part of a scan). */
  readonly consume: boolean;
  /** A complete scanned code. */
  readonly scan?: string;
  /** Held keys that turned out to be typing; hand them to the focused field, before this key. */
  readonly release?: string;
}

/** Keys that scanners send around characters (Shift for capitals) and that say nothing about timing. */
const modifierKeys = new Set(['Shift', 'CapsLock', 'NumLock']);

export class WedgeScanner {
  private held = '';
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly timing: WedgeTiming = defaultWedgeTiming) {}

  /** One keydown: `key` is KeyboardEvent.key, `at` a monotonic time in ms. */
  key(key: string, at: number): KeyVerdict {
    if (modifierKeys.has(key)) return { consume: false };
    const released = this.releaseIfStale(at);
    if (key.length === 1) {
      this.held += key;
      this.lastAt = at;
      return withRelease({ consume: true }, released);
    }
    if (key === 'Enter' && this.held.length >= this.timing.minLength) {
      const scan = this.held;
      this.reset();
      return withRelease({ consume: true, scan }, released);
    }
    // Enter after too few keys, or any other key: what was held is typing, and this key passes.
    const typing = released + this.held;
    this.reset();
    return withRelease({ consume: false }, typing);
  }

  /** Called by a timer once a gap has passed: held keys older than a gap are typing. */
  flushDue(at: number): string | null {
    const released = this.releaseIfStale(at);
    return released === '' ? null : released;
  }

  /** True while keys are held back (the caller should schedule `flushDue`). */
  get holding(): boolean {
    return this.held !== '';
  }

  private releaseIfStale(at: number): string {
    if (this.held === '' || at - this.lastAt < this.timing.maxGapMs) return '';
    const released = this.held;
    this.reset();
    return released;
  }

  private reset(): void {
    this.held = '';
    this.lastAt = Number.NEGATIVE_INFINITY;
  }
}

function withRelease(verdict: KeyVerdict, released: string): KeyVerdict {
  return released === '' ? verdict : { ...verdict, release: released };
}

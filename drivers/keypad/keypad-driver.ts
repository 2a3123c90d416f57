import { keepAliveTimers, type Timers } from '../../foundation/clock';
import type { KeypadKey } from '../../foundation/keypad-keys';
import { assertNever } from '../../foundation/result';
import {
  BootKeyboardState,
  BootReportStream,
  keypadKeyForUsage,
  repeatsWhileHeld,
  usageName,
  type KeypadReportError,
} from './keypad-codec';

/**
 * Bytes from the keypad's link → key presses. The keypad only talks (no commands go to it), so the
 * driver's job is framing, the held-key state and the slow repeat of the keys that repeat.
 *
 * Framing: a HID link hands over one input report per chunk ('report'); the simulator's PTY carries
 * the same 8-byte reports back to back and the driver cuts them ('stream').
 */
export type KeypadFraming = 'report' | 'stream';

export interface KeypadPress {
  /** The kiosk key, or null for a key with no job (7, 9, NumLock…): the self-test still names it. */
  readonly key: KeypadKey | null;
  readonly usage: number;
  /** e.g. "keypad 5"; for technicians and logs (keys are not personal data). */
  readonly name: string;
  /** true for the repeats of a held volume or rate key. */
  readonly repeat: boolean;
}

export interface KeypadRepeat {
  /** How long a repeating key is held before it first repeats. */
  readonly delayMs: number;
  readonly intervalMs: number;
}

/** Slow on purpose: each step of volume or rate is spoken before the next one comes. */
export const defaultKeypadRepeat: KeypadRepeat = { delayMs: 800, intervalMs: 500 };

export interface KeypadDriverOptions {
  readonly framing: KeypadFraming;
  readonly onPress: (press: KeypadPress) => void;
  /** A report of another layout, or a stream out of step; the next good report clears it. */
  readonly onReportError: (error: KeypadReportError) => void;
  readonly onGoodReport?: () => void;
  /** More keys at once than the keypad can report (someone leaning on it). */
  readonly onRollover?: () => void;
  readonly repeat?: KeypadRepeat;
  readonly timers?: Timers;
}

export class KeypadDriver {
  private readonly state = new BootKeyboardState();
  private readonly stream = new BootReportStream();
  private readonly timers: Timers;
  private readonly repeat: KeypadRepeat;
  private repeating: { usage: number; timer: unknown } | null = null;

  constructor(private readonly options: KeypadDriverOptions) {
    this.timers = options.timers ?? keepAliveTimers;
    this.repeat = options.repeat ?? defaultKeypadRepeat;
  }

  push(chunk: Uint8Array): void {
    switch (this.options.framing) {
      case 'report':
        this.report(chunk);
        return;
      case 'stream': {
        const cut = this.stream.push(chunk);
        for (const report of cut.reports) this.report(report);
        if (cut.error !== null) this.options.onReportError(cut.error);
        return;
      }
      default:
        assertNever(this.options.framing, 'keypad framing');
    }
  }

  /** The link went away: keys held are released (without presses), repeats stop, a partial report is dropped. */
  reset(): void {
    this.state.releaseAll();
    this.stream.reset();
    this.stopRepeat();
  }

  private report(report: Uint8Array): void {
    const applied = this.state.apply(report);
    // A report we cannot read, or a rollover (an elbow on the pad), no longer says which keys are
    // held: a repeating volume or rate key stops rather than running on until a clean release.
    if (!applied.ok) {
      this.stopRepeat();
      this.options.onReportError(applied.error);
      return;
    }
    this.options.onGoodReport?.();
    if (applied.value.rollover) {
      this.stopRepeat();
      this.options.onRollover?.();
      return;
    }
    for (const { usage, down } of applied.value.transitions) {
      if (!down) {
        if (this.repeating?.usage === usage) this.stopRepeat();
        continue;
      }
      // A new key down ends the repeat of the one before, as on any keyboard.
      this.stopRepeat();
      const press = this.pressOf(usage, false);
      this.options.onPress(press);
      if (press.key !== null && repeatsWhileHeld(press.key)) this.startRepeat(usage);
    }
  }

  private pressOf(usage: number, repeat: boolean): KeypadPress {
    return { key: keypadKeyForUsage(usage), usage, name: usageName(usage), repeat };
  }

  private startRepeat(usage: number): void {
    const tick = (wait: number) => {
      this.repeating = {
        usage,
        timer: this.timers.setTimeout(() => {
          this.options.onPress(this.pressOf(usage, true));
          tick(this.repeat.intervalMs);
        }, wait),
      };
    };
    tick(this.repeat.delayMs);
  }

  private stopRepeat(): void {
    if (this.repeating !== null) this.timers.clearTimeout(this.repeating.timer);
    this.repeating = null;
  }
}

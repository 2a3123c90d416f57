import type { KeypadKey } from '../../foundation/keypad-keys';
import { err, ok, type Result } from '../../foundation/result';

/**
 * Pure decoding for the tactile keypad: USB HID keyboard boot-protocol input reports → key-down /
 * key-up transitions → the kiosk's keypad key names. docs/devices/tactile-keypad.md explains the
 * report, the mapping and why each key has the job it has.
 *
 * Boot keyboard input report (HID 1.11, appendix B.1), 8 bytes:
 *   byte 0     modifier bits (Ctrl, Shift, Alt, GUI; left then right)
 *   byte 1     reserved
 *   bytes 2–7  up to six usages of keys held now (keyboard page 0x07), 0 = empty slot
 * A report says which keys are down, not what changed: presses and releases are the difference
 * between successive reports. When more keys are down than the keyboard can report, every slot
 * holds 0x01 (ErrorRollOver); then nothing can be said about which keys changed.
 */
export const BOOT_REPORT_SIZE = 8;
const SLOTS_START = 2;

/** Keyboard-page usages that are error codes, not keys (HID Usage Tables §10). */
export const USAGE_ERROR_ROLLOVER = 0x01;
const USAGE_POST_FAIL = 0x02;
const USAGE_ERROR_UNDEFINED = 0x03;

/** The keyboard-page usages the mapping below names (HID Usage Tables, keyboard/keypad page 0x07). */
export const Usage = {
  enter: 0x28,
  escape: 0x29,
  backspace: 0x2a,
  space: 0x2c,
  f1: 0x3a,
  f2: 0x3b,
  f3: 0x3c,
  f4: 0x3d,
  f5: 0x3e,
  arrowRight: 0x4f,
  arrowLeft: 0x50,
  arrowDown: 0x51,
  arrowUp: 0x52,
  numLock: 0x53,
  keypadDivide: 0x54,
  keypadMultiply: 0x55,
  keypadMinus: 0x56,
  keypadPlus: 0x57,
  keypadEnter: 0x58,
  keypad1: 0x59,
  keypad2: 0x5a,
  keypad3: 0x5b,
  keypad4: 0x5c,
  keypad5: 0x5d,
  keypad6: 0x5e,
  keypad7: 0x5f,
  keypad8: 0x60,
  keypad9: 0x61,
  keypad0: 0x62,
  keypadDecimal: 0x63,
  volumeUp: 0x80,
  volumeDown: 0x81,
  keypadBackspace: 0xbb,
} as const;

/**
 * Which key does what. Two key sets, whose usages do not overlap, so one table serves both:
 * a USB numeric keypad (the 5 with its bump is the anchor: 8/2 move, 4 goes back, 6 and the tall
 * Enter select, 5 repeats) and an EZ Access-style keypad or keyboard (arrows, Enter, Escape, F1…).
 * Keys not listed (7, 9, 1, 3, NumLock, letters) do nothing: they are the ones hit by accident.
 */
const keyForUsage: ReadonlyMap<number, KeypadKey> = new Map<number, KeypadKey>([
  // USB numeric keypad
  [Usage.keypad8, 'up'],
  [Usage.keypad2, 'down'],
  [Usage.keypad4, 'back'],
  [Usage.keypad6, 'enter'],
  [Usage.keypadEnter, 'enter'],
  [Usage.keypad5, 'repeat'],
  [Usage.keypad0, 'help'],
  [Usage.keypadDecimal, 'privacy'],
  [Usage.keypadPlus, 'volume-up'],
  [Usage.keypadMinus, 'volume-down'],
  [Usage.keypadMultiply, 'rate-up'],
  [Usage.keypadDivide, 'rate-down'],
  [Usage.keypadBackspace, 'back'],
  // EZ Access-style key set (and a plain keyboard's navigation keys)
  [Usage.arrowUp, 'up'],
  [Usage.arrowDown, 'down'],
  [Usage.arrowLeft, 'back'],
  [Usage.arrowRight, 'enter'],
  [Usage.enter, 'enter'],
  [Usage.escape, 'back'],
  [Usage.backspace, 'back'],
  [Usage.space, 'repeat'],
  [Usage.f1, 'help'],
  [Usage.f2, 'repeat'],
  [Usage.f3, 'privacy'],
  [Usage.f4, 'rate-down'],
  [Usage.f5, 'rate-up'],
  [Usage.volumeUp, 'volume-up'],
  [Usage.volumeDown, 'volume-down'],
]);

export function keypadKeyForUsage(usage: number): KeypadKey | null {
  return keyForUsage.get(usage) ?? null;
}

/** The usages that map to `key` (for the simulator and the docs). The first is the numeric keypad's. */
export function usagesForKey(key: KeypadKey): number[] {
  return [...keyForUsage].filter(([, k]) => k === key).map(([usage]) => usage);
}

const usageNames: ReadonlyMap<number, string> = new Map(
  Object.entries(Usage).map(([name, usage]) => [
    usage,
    name
      .replace(/([A-Z])/g, ' $1')
      .replace(/^keypad(\d)/, 'keypad $1')
      .toLowerCase(),
  ]),
);

/** A key's name for technicians ("keypad 5", "arrow up", "usage 0x1e"); keys carry no personal data. */
export function usageName(usage: number): string {
  return usageNames.get(usage) ?? `usage 0x${usage.toString(16).padStart(2, '0')}`;
}

/**
 * Only volume and speech rate repeat while held (slowly): one press of up/down must say one item,
 * never run through a list faster than it can be spoken.
 */
export function repeatsWhileHeld(key: KeypadKey): boolean {
  switch (key) {
    case 'volume-up':
    case 'volume-down':
    case 'rate-up':
    case 'rate-down':
      return true;
    case 'up':
    case 'down':
    case 'back':
    case 'enter':
    case 'help':
    case 'repeat':
    case 'privacy':
      return false;
  }
}

export interface KeypadReportError {
  readonly kind: 'unknown-report-layout';
  readonly message: string;
}

export type BootReport =
  | { readonly kind: 'keys'; readonly modifiers: number; readonly usages: readonly number[] }
  /** More keys down than the keyboard can report (or its self-test failed): which ones is unknown. */
  | { readonly kind: 'rollover' };

const hex = (n: number) => `0x${n.toString(16).padStart(2, '0')}`;

export function parseBootReport(report: Uint8Array): Result<BootReport, KeypadReportError> {
  if (report.length !== BOOT_REPORT_SIZE)
    return err({
      kind: 'unknown-report-layout',
      message: `unsupported keypad report: ${report.length} bytes (expected an 8-byte boot keyboard report)`,
    });
  const slots = [...report.subarray(SLOTS_START)];
  if (slots.some((u) => u === USAGE_ERROR_ROLLOVER || u === USAGE_POST_FAIL || u === USAGE_ERROR_UNDEFINED))
    return ok({ kind: 'rollover' });
  const usages = [...new Set(slots.filter((u) => u !== 0))];
  return ok({ kind: 'keys', modifiers: report[0] ?? 0, usages });
}

/**
 * Builds the report a keyboard sends while `usages` are held (the simulator and the tests use it).
 * More than six keys is what a keyboard reports as rollover.
 */
export function encodeBootReport(usages: readonly number[], modifiers = 0): Uint8Array {
  const report = new Uint8Array(BOOT_REPORT_SIZE);
  report[0] = modifiers & 0xff;
  if (usages.length > BOOT_REPORT_SIZE - SLOTS_START) report.fill(USAGE_ERROR_ROLLOVER, SLOTS_START);
  else usages.forEach((usage, i) => (report[SLOTS_START + i] = usage & 0xff));
  return report;
}

export interface KeyTransition {
  readonly usage: number;
  readonly down: boolean;
}

/**
 * The keys held now, from successive reports: each report yields the keys that went down and the
 * keys that came up since the one before. A rollover report changes nothing (the keys held are
 * unknown until the next proper report, which then tells the difference in full).
 */
export class BootKeyboardState {
  private held: readonly number[] = [];

  apply(report: Uint8Array): Result<{ transitions: KeyTransition[]; rollover: boolean }, KeypadReportError> {
    const parsed = parseBootReport(report);
    if (!parsed.ok) return parsed;
    if (parsed.value.kind === 'rollover') return ok({ transitions: [], rollover: true });
    const now = parsed.value.usages;
    const transitions: KeyTransition[] = [
      ...this.held.filter((u) => !now.includes(u)).map((usage) => ({ usage, down: false })),
      ...now.filter((u) => !this.held.includes(u)).map((usage) => ({ usage, down: true })),
    ];
    this.held = now;
    return ok({ transitions, rollover: false });
  }

  /** The link went away: every key held counts as released. */
  releaseAll(): KeyTransition[] {
    const released = this.held.map((usage) => ({ usage, down: false }));
    this.held = [];
    return released;
  }

  get heldUsages(): readonly number[] {
    return this.held;
  }
}

/**
 * Cuts a byte stream into 8-byte reports, for links that carry the reports without their
 * boundaries (the simulator's PTY, docs/devices/tactile-keypad.md). The reserved byte must be 0
 * there: a report whose byte 1 is not 0 means the stream lost its place, and the bytes buffered
 * so far are dropped, so the next chunk (a writer sends whole reports) starts afresh.
 */
export class BootReportStream {
  private pending: number[] = [];

  /** The whole reports in `chunk` (with what came before it); `error` when the stream lost its place. */
  push(chunk: Uint8Array): { reports: Uint8Array[]; error: KeypadReportError | null } {
    this.pending.push(...chunk);
    const reports: Uint8Array[] = [];
    while (this.pending.length >= BOOT_REPORT_SIZE) {
      const report = Uint8Array.from(this.pending.splice(0, BOOT_REPORT_SIZE));
      if (report[1] !== 0) {
        this.pending = [];
        return {
          reports,
          error: {
            kind: 'unknown-report-layout',
            message: `keypad stream out of step: reserved byte ${hex(report[1] ?? 0)} (expected 0x00)`,
          },
        };
      }
      reports.push(report);
    }
    return { reports, error: null };
  }

  reset(): void {
    this.pending = [];
  }
}

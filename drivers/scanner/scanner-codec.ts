import iconv from 'iconv-lite';
import { err, ok, type Result } from '../../foundation/result';

/**
 * Pure decoding for barcode/QR scanners: the serial line assembler and the HID POS report parser.
 * Scanned text may carry personal data (a QR code can hold an ID number): callers log lengths,
 * never text.
 */

export interface DecodedText {
  readonly text: string;
  readonly encoding: 'utf-8' | 'gbk';
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 when the bytes are valid UTF-8, else GBK (older Chinese scanners send GB codes). */
export function decodeScanText(bytes: Uint8Array): DecodedText {
  try {
    return { text: strictUtf8.decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(Buffer.from(bytes), 'gbk'), encoding: 'gbk' };
  }
}

/** Timers the assembler uses; tests pass fakes so timeouts are exact and instant. */
export interface ScanTimers {
  set(ms: number, fn: () => void): unknown;
  clear(handle: unknown): void;
}

export const realTimers: ScanTimers = {
  set: (ms, fn) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface LineAssemblerOptions {
  /** Silence that ends a code without a terminator (scanners set to send no suffix). */
  readonly interByteTimeoutMs?: number;
  readonly timers?: ScanTimers;
  /** Bytes without a terminator beyond this are line noise, dropped (a QR code holds < 3 KB). */
  readonly maxLength?: number;
  /** Told how many bytes were dropped, so the service can log it. */
  readonly onOverflow?: (droppedBytes: number) => void;
}

const CR = 0x0d;
const LF = 0x0a;

/**
 * Turns a serial byte stream into codes. A code ends at CR, at LF (so CRLF, CR and LF suffixes
 * all work: the LF after a CR just ends an empty code) or after `interByteTimeoutMs` of silence.
 * Empty codes are ignored. Chunk boundaries never matter, only terminators and silence.
 */
export class ScanLineAssembler {
  private pending: number[] = [];
  private timer: unknown = null;
  private readonly timeoutMs: number;
  private readonly timers: ScanTimers;
  private readonly maxLength: number;

  constructor(
    private readonly onCode: (code: DecodedText & { readonly bytes: Uint8Array }) => void,
    private readonly options: LineAssemblerOptions = {},
  ) {
    this.timeoutMs = options.interByteTimeoutMs ?? 50;
    this.timers = options.timers ?? realTimers;
    this.maxLength = options.maxLength ?? 8192;
  }

  push(chunk: Uint8Array): void {
    for (const byte of chunk) {
      if (byte === CR || byte === LF) {
        this.end();
      } else {
        this.pending.push(byte);
        if (this.pending.length > this.maxLength) {
          const dropped = this.pending.length;
          this.pending = [];
          this.options.onOverflow?.(dropped);
        }
      }
    }
    this.restartTimer();
  }

  /** Ends the code in progress now (also what the inter-byte timeout does). */
  flush(): void {
    this.end();
    this.stopTimer();
  }

  /** Drops any partial code (the link went away mid-code). */
  reset(): void {
    this.pending = [];
    this.stopTimer();
  }

  private end(): void {
    if (this.pending.length === 0) return;
    const bytes = Uint8Array.from(this.pending);
    this.pending = [];
    const decoded = decodeScanText(bytes);
    if (decoded.text.trim() === '') return;
    this.onCode({ ...decoded, bytes });
  }

  private stopTimer(): void {
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
  }

  private restartTimer(): void {
    this.stopTimer();
    if (this.pending.length > 0) this.timer = this.timers.set(this.timeoutMs, () => this.flush());
  }
}

/*
 * HID POS (usage page 0x8C, "Barcode Scanner") scanned-data input report. The layout implemented
 * is the one Honeywell (and scanners copying it) send, as captured from real devices in public
 * code (python_hon_usbhid, WebHidBarcodeScanner):
 *
 *   byte 0      report id 0x02
 *   byte 1      number of data bytes in this report (0–56)
 *   bytes 2–4   AIM symbology identifier, e.g. "]Q1" (QR), "]E0" (EAN-13), "]C0" (Code 128)
 *   bytes 5–60  data, zero padded
 *   byte 61     vendor code id (ignored)
 *   byte 62     reserved
 *   byte 63     1 = more reports follow for this code, 0 = last report
 *
 * Any other report id or size is rejected with an error naming it: a scanner with a different
 * layout must be added deliberately (or switched to serial/USB-CDC mode), never guessed at.
 */
export const HID_POS_USAGE_PAGE = 0x8c;
export const HID_POS_REPORT_ID = 0x02;
export const HID_POS_REPORT_SIZE = 64;
const HID_POS_MAX_DATA = 56;

export interface HidPosFragment {
  readonly aim: string;
  readonly data: Uint8Array;
  readonly more: boolean;
}

export interface HidReportError {
  readonly kind: 'unknown-report-layout';
  readonly message: string;
}

export function parseHidPosReport(report: Uint8Array): Result<HidPosFragment, HidReportError> {
  const id = report[0];
  if (report.length !== HID_POS_REPORT_SIZE || id !== HID_POS_REPORT_ID) {
    return err({
      kind: 'unknown-report-layout',
      message: `unsupported HID POS report: id 0x${(id ?? 0).toString(16).padStart(2, '0')}, ${report.length} bytes (expected id 0x02, 64 bytes)`,
    });
  }
  const length = report[1] ?? 0;
  if (length > HID_POS_MAX_DATA) {
    return err({
      kind: 'unknown-report-layout',
      message: `unsupported HID POS report: data length ${length} exceeds ${HID_POS_MAX_DATA}`,
    });
  }
  const more = report[63];
  if (more !== 0 && more !== 1) {
    return err({
      kind: 'unknown-report-layout',
      message: `unsupported HID POS report: continuation byte 0x${(more ?? 0).toString(16)} (expected 0 or 1)`,
    });
  }
  return ok({
    aim: String.fromCharCode(report[2] ?? 0, report[3] ?? 0, report[4] ?? 0),
    data: report.slice(5, 5 + length),
    more: more === 1,
  });
}

/** Builds a report in the layout above; used by tests and the HID simulator side. */
export function encodeHidPosReports(data: Uint8Array, aim = ']Q1'): Uint8Array[] {
  const reports: Uint8Array[] = [];
  for (let offset = 0; offset < data.length || reports.length === 0; offset += HID_POS_MAX_DATA) {
    const part = data.subarray(offset, offset + HID_POS_MAX_DATA);
    const report = new Uint8Array(HID_POS_REPORT_SIZE);
    report[0] = HID_POS_REPORT_ID;
    report[1] = part.length;
    for (let i = 0; i < 3; i++) report[2 + i] = aim.charCodeAt(i) & 0x7f;
    report.set(part, 5);
    report[61] = 0x3f;
    report[63] = offset + HID_POS_MAX_DATA < data.length ? 1 : 0;
    reports.push(report);
  }
  return reports;
}

/** AIM identifiers (ISO/IEC 15424) of the symbologies a kiosk meets, by their first two characters. */
const AIM_SYMBOLOGIES: Readonly<Record<string, string>> = {
  ']Q': 'qr',
  ']d': 'data-matrix',
  ']z': 'aztec',
  ']L': 'pdf417',
  ']C': 'code128',
  ']A': 'code39',
  ']G': 'code93',
  ']E': 'ean-upc',
  ']I': 'itf',
  ']F': 'codabar',
};

export function symbologyFromAim(aim: string): string | undefined {
  return AIM_SYMBOLOGIES[aim.slice(0, 2)];
}

/** Joins multi-report HID POS codes; a report with an unknown layout is returned as an error. */
export class HidPosAssembler {
  private parts: Uint8Array[] = [];

  constructor(
    private readonly onCode: (
      code: DecodedText & { readonly aim: string; readonly symbology: string | undefined },
    ) => void,
  ) {}

  push(report: Uint8Array): Result<void, HidReportError> {
    const parsed = parseHidPosReport(report);
    if (!parsed.ok) {
      this.parts = [];
      return parsed;
    }
    this.parts.push(parsed.value.data);
    if (parsed.value.more) return ok();
    const bytes = Buffer.concat(this.parts);
    this.parts = [];
    const decoded = decodeScanText(bytes);
    if (decoded.text.trim() !== '')
      this.onCode({ ...decoded, aim: parsed.value.aim, symbology: symbologyFromAim(parsed.value.aim) });
    return ok();
  }

  reset(): void {
    this.parts = [];
  }
}

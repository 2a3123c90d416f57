import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  decodeScanText,
  encodeHidPosReports,
  HidPosAssembler,
  parseHidPosReport,
  ScanLineAssembler,
  symbologyFromAim,
  type ScanTimers,
} from './scanner-codec';

/** Timers that fire only when the test says so. */
function manualTimers(): ScanTimers & { fire(): void; pending: number } {
  const waiting = new Map<number, () => void>();
  let next = 1;
  return {
    set(_ms, fn) {
      waiting.set(next, fn);
      return next++;
    },
    clear(handle) {
      waiting.delete(handle as number);
    },
    fire() {
      const fns = [...waiting.values()];
      waiting.clear();
      for (const fn of fns) fn();
    },
    get pending() {
      return waiting.size;
    },
  };
}

function assemble(chunks: Uint8Array[], timers = manualTimers()): string[] {
  const codes: string[] = [];
  const a = new ScanLineAssembler((c) => codes.push(c.text), { timers });
  for (const c of chunks) a.push(c);
  return codes;
}

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

describe('decodeScanText', () => {
  it('decodes valid UTF-8 as UTF-8', () => {
    expect(decodeScanText(bytes('申报编号 A-1'))).toEqual({ text: '申报编号 A-1', encoding: 'utf-8' });
  });

  it('falls back to GBK for bytes that are not valid UTF-8', () => {
    expect(decodeScanText(iconv.encode('回执 2024-001', 'gbk'))).toEqual({ text: '回执 2024-001', encoding: 'gbk' });
  });
});

describe('ScanLineAssembler', () => {
  it('ends codes at CR, LF and CRLF and ignores empty codes', () => {
    expect(assemble([bytes('AB\rCD\nEF\r\n\r\n\n  \rGH\r')])).toEqual(['AB', 'CD', 'EF', 'GH']);
  });

  it('ends a code after the inter-byte timeout, and only then', () => {
    const timers = manualTimers();
    const codes: string[] = [];
    const a = new ScanLineAssembler((c) => codes.push(c.text), { timers, interByteTimeoutMs: 50 });
    a.push(bytes('1234'));
    a.push(bytes('5678'));
    expect(codes).toEqual([]);
    expect(timers.pending).toBe(1);
    timers.fire();
    expect(codes).toEqual(['12345678']);
    a.push(bytes('X\r'));
    expect(timers.pending).toBe(0); // nothing pending, no timer left running
    expect(codes).toEqual(['12345678', 'X']);
  });

  it('keeps a multi-byte character split across chunks whole', () => {
    const all = bytes('证件\r');
    expect(assemble([all.slice(0, 1), all.slice(1, 4), all.slice(4)])).toEqual(['证件']);
  });

  it('decodes a GBK code and reports the encoding', () => {
    const got: { text: string; encoding: string }[] = [];
    const a = new ScanLineAssembler((c) => got.push({ text: c.text, encoding: c.encoding }), {
      timers: manualTimers(),
    });
    a.push(Uint8Array.from([...iconv.encode('村委会', 'gbk'), 0x0d]));
    expect(got).toEqual([{ text: '村委会', encoding: 'gbk' }]);
  });

  it('drops an overlong run without terminator and says how much', () => {
    const dropped: number[] = [];
    const codes: string[] = [];
    const a = new ScanLineAssembler((c) => codes.push(c.text), {
      timers: manualTimers(),
      maxLength: 10,
      onOverflow: (n) => dropped.push(n),
    });
    a.push(bytes('0123456789ABC'));
    a.push(bytes('ok\r'));
    expect(dropped).toEqual([11]);
    expect(codes).toEqual(['BCok']);
  });

  it('reset drops a partial code', () => {
    const codes: string[] = [];
    const a = new ScanLineAssembler((c) => codes.push(c.text), { timers: manualTimers() });
    a.push(bytes('half'));
    a.reset();
    a.push(bytes('whole\r'));
    expect(codes).toEqual(['whole']);
  });

  it('yields the same codes for any chunking of the same byte stream', () => {
    const code = fc.string({
      unit: fc.constantFrom('A', '9', '-', '申', '报', 'é', ' ', '/'),
      minLength: 0,
      maxLength: 12,
    });
    const terminator = fc.constantFrom('\r', '\n', '\r\n');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(code, terminator), { maxLength: 8 }),
        fc.array(fc.nat(40), { maxLength: 10 }),
        (lines, cuts) => {
          const stream = bytes(lines.map(([c, t]) => c + t).join(''));
          const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((x, y) => x - y);
          const chunks: Uint8Array[] = [];
          let from = 0;
          for (const p of [...points, stream.length]) {
            chunks.push(stream.slice(from, p));
            from = p;
          }
          const whole = assemble([stream]);
          expect(assemble(chunks)).toEqual(whole);
          expect(whole).toEqual(lines.map(([c]) => c).filter((c) => c.trim() !== ''));
        },
      ),
    );
  });
});

describe('HID POS reports', () => {
  // A report as captured from a Honeywell scanner in HID POS mode (python_hon_usbhid README).
  const captured = Uint8Array.from([
    2,
    8,
    93,
    90,
    54,
    82,
    69,
    86,
    73,
    78,
    70,
    6,
    46,
    ...new Array<number>(48).fill(0),
    54,
    0,
    0,
  ]);

  it('parses a captured report', () => {
    const r = parseHidPosReport(captured);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.aim).toBe(']Z6');
      expect(Buffer.from(r.value.data).toString('latin1')).toBe('REVINF\x06.');
      expect(r.value.more).toBe(false);
    }
  });

  it('rejects unknown layouts loudly, naming what it saw', () => {
    const wrongId = Uint8Array.from(captured);
    wrongId[0] = 0x04;
    const short = captured.slice(0, 32);
    const badLength = Uint8Array.from(captured);
    badLength[1] = 57;
    const badFlag = Uint8Array.from(captured);
    badFlag[63] = 7;
    for (const [report, mention] of [
      [wrongId, 'id 0x04'],
      [short, '32 bytes'],
      [badLength, 'length 57'],
      [badFlag, 'continuation byte 0x7'],
    ] as const) {
      const r = parseHidPosReport(report);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.kind).toBe('unknown-report-layout');
        expect(r.error.message).toContain(mention);
      }
    }
  });

  it('joins continued reports into one code with its symbology', () => {
    const text = 'https://example.gov.cn/progress?id=ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-申报-2024';
    const reports = encodeHidPosReports(bytes(text), ']Q1');
    expect(reports.length).toBeGreaterThan(1);
    expect(reports.every((r) => r.length === 64)).toBe(true);
    const codes: { text: string; symbology: string | undefined }[] = [];
    const a = new HidPosAssembler((c) => codes.push({ text: c.text, symbology: c.symbology }));
    for (const r of reports) expect(a.push(r).ok).toBe(true);
    expect(codes).toEqual([{ text, symbology: 'qr' }]);
  });

  it('round-trips any code through reports', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 300 }).filter((s) => s.trim() !== '' && !s.includes('\uFFFD')),
        (text) => {
          const codes: string[] = [];
          const a = new HidPosAssembler((c) => codes.push(c.text));
          for (const r of encodeHidPosReports(bytes(text))) a.push(r);
          expect(codes).toEqual([text]);
        },
      ),
    );
  });

  it('names common AIM symbologies and leaves unknown ones undefined', () => {
    expect(symbologyFromAim(']Q1')).toBe('qr');
    expect(symbologyFromAim(']E0')).toBe('ean-upc');
    expect(symbologyFromAim(']C0')).toBe('code128');
    expect(symbologyFromAim(']Z6')).toBeUndefined();
  });
});

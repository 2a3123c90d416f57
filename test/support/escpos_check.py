#!/usr/bin/env python3
"""Independent ESC/POS stream checker (Python 3 stdlib only).

Written from the command table in docs/devices/receipt-printer.md, without looking at or importing the
project's TypeScript encoder, so that tests can confirm printer bytes are well formed by a second,
separate reading: no npm or Debian package decodes ESC/POS (they all encode).

Usage: escpos_check.py FILE   (or '-' for stdin)
Prints one JSON object: {"ok": true, "lines": [...], "qr": [...], "barcodes": [...], "rasters": [...],
"cuts": N, "status_requests": [...]} and exits 0, or {"ok": false, "error": ..., "offset": N} and exits 1.
Strict: an unknown command or a malformed length is an error, not skipped.
"""
import json
import sys


class Bad(Exception):
    def __init__(self, message, offset):
        super().__init__(message)
        self.offset = offset


def check(data):
    out = {"ok": True, "lines": [], "qr": [], "barcodes": [], "rasters": [], "cuts": 0, "status_requests": []}
    chinese = False
    line = bytearray()
    i = 0
    n = len(data)

    def need(count, at):
        if at + count > n:
            raise Bad("command truncated", at)

    def flush_line(at):
        if chinese:
            try:
                text = bytes(line).decode("gbk")
            except UnicodeDecodeError:
                raise Bad("text is not valid GBK", at)
        else:
            if any(b >= 0x80 for b in line):
                raise Bad("byte >= 0x80 outside Chinese mode", at)
            text = bytes(line).decode("ascii")
        out["lines"].append(text)
        line.clear()

    while i < n:
        b = data[i]
        if b == 0x0A:
            flush_line(i)
            i += 1
        elif b == 0x10:
            need(3, i)
            if data[i + 1] != 0x04 or data[i + 2] not in (1, 2, 3, 4):
                raise Bad("unknown DLE command", i)
            out["status_requests"].append(data[i + 2])
            i += 3
        elif b == 0x1B:
            need(2, i)
            f = data[i + 1]
            if f == 0x40:
                chinese = False
                i += 2
            elif f in (0x61, 0x45, 0x64):
                need(3, i)
                if f == 0x61 and data[i + 2] not in (0, 1, 2):
                    raise Bad("bad alignment", i)
                i += 3
            else:
                raise Bad("unknown ESC command 0x%02X" % f, i)
        elif b == 0x1C:
            need(2, i)
            f = data[i + 1]
            if f == 0x26:
                chinese = True
                i += 2
            elif f == 0x2E:
                chinese = False
                i += 2
            elif f == 0x21:
                need(3, i)
                i += 3
            else:
                raise Bad("unknown FS command 0x%02X" % f, i)
        elif b == 0x1D:
            need(2, i)
            f = data[i + 1]
            if f in (0x21, 0x68, 0x77, 0x61):
                need(3, i)
                i += 3
            elif f == 0x56:
                need(4, i)
                if data[i + 2] != 0x42:
                    raise Bad("only partial cut with feed (GS V 66 n) expected", i)
                out["cuts"] += 1
                i += 4
            elif f == 0x28:
                need(5, i)
                if data[i + 2] != 0x6B:
                    raise Bad("unknown GS ( function", i)
                length = data[i + 3] + data[i + 4] * 256
                need(5 + length, i)
                body = data[i + 5 : i + 5 + length]
                if len(body) < 2 or body[0] != 0x31:
                    raise Bad("QR command without cn=49", i)
                fn = body[1]
                if fn == 0x41 and not (length == 4 and body[2] in (0x31, 0x32)):
                    raise Bad("bad QR model", i)
                if fn == 0x43 and not (length == 3 and 1 <= body[2] <= 16):
                    raise Bad("bad QR module size", i)
                if fn == 0x45 and not (length == 3 and 0x30 <= body[2] <= 0x33):
                    raise Bad("bad QR error level", i)
                if fn == 0x50:
                    if body[2] != 0x30:
                        raise Bad("QR store needs m=48", i)
                    payload = bytes(body[3:])
                    out["qr"].append({"declared": length - 3, "actual": len(payload), "payload": payload.decode("utf-8")})
                if fn == 0x51 and not (length == 3 and body[2] == 0x30):
                    raise Bad("bad QR print", i)
                if fn not in (0x41, 0x43, 0x45, 0x50, 0x51):
                    raise Bad("unknown QR function", i)
                i += 5 + length
            elif f == 0x6B:
                need(4, i)
                if data[i + 2] != 0x49:
                    raise Bad("only Code 128 (m=73) expected", i)
                length = data[i + 3]
                need(4 + length, i)
                body = bytes(data[i + 4 : i + 4 + length])
                if body[:2] != b"{B":
                    raise Bad("Code 128 must start with code set B", i)
                out["barcodes"].append(body[2:].replace(b"{{", b"{").decode("ascii"))
                i += 4 + length
            elif f == 0x76:
                need(8, i)
                if data[i + 2] != 0x30 or data[i + 3] != 0:
                    raise Bad("bad raster mode", i)
                x = data[i + 4] + data[i + 5] * 256
                y = data[i + 6] + data[i + 7] * 256
                need(8 + x * y, i)
                out["rasters"].append({"width_bytes": x, "rows": y})
                i += 8 + x * y
            else:
                raise Bad("unknown GS command 0x%02X" % f, i)
        elif b < 0x20 or b == 0x7F:
            raise Bad("stray control byte 0x%02X" % b, i)
        elif chinese and b >= 0x81:
            need(2, i)
            if not (0x40 <= data[i + 1] <= 0xFE and data[i + 1] != 0x7F):
                raise Bad("bad GBK trail byte", i)
            line += data[i : i + 2]
            i += 2
        else:
            line.append(b)
            i += 1
    if line:
        flush_line(n)
    return out


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "-"
    data = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()
    try:
        result = check(data)
    except Bad as bad:
        print(json.dumps({"ok": False, "error": str(bad), "offset": bad.offset}, ensure_ascii=False))
        return 1
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

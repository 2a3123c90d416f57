#!/usr/bin/env python3
"""An ID-card reader emulator written independently of the kiosk's TypeScript code, from the
protocol description in docs/devices/id-card-reader.md only. Tests use it to check that the kiosk reads
a reader "written by someone else" the same way as its own simulator.

Usage: third-party-id-reader.py --port PATH --card-json FILE
  PATH  the reader end of a PTY pair (e.g. made by socat)
  FILE  {"text": {"cardType": ..., fields as printed on the card}, "photoHex": ..., "fingerprintHex": ...}
Prints "ready" once listening; runs until killed or the line hangs up. Standard library only.
"""
import argparse
import json
import os
import select
import sys
import termios
import tty

PREAMBLE = bytes([0xAA, 0xAA, 0xAA, 0x96, 0x69])

# Text block layouts: (field, size in bytes), in card order; the type char sits at bytes 248-249.
LAYOUTS = {
    "resident": [("name", 30), ("genderCode", 2), ("nationCode", 4), ("birthDate", 16), ("address", 70),
                 ("idNumber", 36), ("issuer", 30), ("validFrom", 16), ("validUntil", 16), (None, 36)],
    "foreign-permanent": [("englishName", 120), ("genderCode", 2), ("cardNumber", 30), ("nationality", 6),
                          ("chineseName", 30), ("validFrom", 16), ("validUntil", 16), ("birthDate", 16),
                          ("cardVersion", 4), ("authorityCode", 8), (None, 2), (None, 6)],
    "hk-mo-tw-permit": [("name", 30), ("genderCode", 2), (None, 4), ("birthDate", 16), ("address", 70),
                        ("idNumber", 36), ("issuer", 30), ("validFrom", 16), ("validUntil", 16),
                        ("passNumber", 18), ("issueCount", 4), (None, 6), (None, 2), (None, 6)],
}
TYPE_CHARS = {"resident": " ", "foreign-permanent": "I", "hk-mo-tw-permit": "J"}


def field_bytes(value, size):
    raw = value.encode("utf-16-le", "surrogatepass")
    if len(raw) > size:
        raise ValueError("field too long")
    return raw + " ".encode("utf-16-le") * ((size - len(raw)) // 2)


def text_block(text):
    card_type = text["cardType"]
    if card_type == "other":
        block = bytearray(256)
        block[248:250] = text["typeChar"].encode("utf-16-le")
        return bytes(block)
    out = bytearray()
    for name, size in LAYOUTS[card_type]:
        out += field_bytes(text.get(name, "") if name else "", size)
    out[248:250] = TYPE_CHARS[card_type].encode("utf-16-le")
    assert len(out) == 256
    return bytes(out)


def frame(body):
    length = len(body) + 1
    head = bytes([length >> 8, length & 0xFF])
    chk = 0
    for b in head + body:
        chk ^= b
    return PREAMBLE + head + body + bytes([chk])


def response(sw3, data=b""):
    return frame(bytes([0x00, 0x00, sw3]) + data)


def u16(n):
    return bytes([n >> 8, n & 0xFF])


class Reader:
    def __init__(self, card):
        self.text = text_block(card["text"])
        self.photo = bytes.fromhex(card.get("photoHex", ""))
        self.fingerprint = bytes.fromhex(card.get("fingerprintHex", ""))

    def answer(self, cmd, para):
        if (cmd, para) in ((0x10, 0xFF), (0x11, 0xFF)):
            return response(0x90)
        if (cmd, para) == (0x12, 0xFF):
            return response(0x90, bytes(range(16)))
        if (cmd, para) == (0x20, 0x01):
            return response(0x9F)
        if (cmd, para) == (0x20, 0x02):
            return response(0x90)
        if (cmd, para) == (0x30, 0x01):
            return response(0x90, u16(len(self.text)) + u16(len(self.photo)) + self.text + self.photo)
        if (cmd, para) == (0x30, 0x10):
            return response(0x90, u16(len(self.text)) + u16(len(self.photo)) + u16(len(self.fingerprint))
                            + self.text + self.photo + self.fingerprint)
        if (cmd, para) == (0x30, 0x03):
            return response(0x91)
        return response(0x21)


def requests(buf):
    """Yields (cmd, para) or None (bad checksum) for each complete request; returns the rest."""
    found = []
    while True:
        start = buf.find(PREAMBLE)
        if start < 0:
            return found, buf[-4:]
        buf = buf[start:]
        if len(buf) < 7:
            return found, buf
        length = (buf[5] << 8) | buf[6]
        if length < 3 or len(buf) < 7 + length:
            if length < 3:
                buf = buf[1:]
                continue
            return found, buf
        body, chk = buf[7:6 + length], buf[6 + length]
        calc = 0
        for b in buf[5:6 + length]:
            calc ^= b
        found.append((body[0], body[1]) if calc == chk else None)
        buf = buf[7 + length:]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", required=True)
    parser.add_argument("--card-json", required=True)
    args = parser.parse_args()
    with open(args.card_json, encoding="utf-8") as f:
        reader = Reader(json.load(f))
    fd = os.open(args.port, os.O_RDWR | os.O_NOCTTY)
    tty.setraw(fd)
    attrs = termios.tcgetattr(fd)
    attrs[4] = attrs[5] = termios.B115200
    termios.tcsetattr(fd, termios.TCSANOW, attrs)
    print("ready", flush=True)
    buf = b""
    while True:
        ready, _, _ = select.select([fd], [], [], 1.0)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            return 0
        if not chunk:
            return 0
        found, buf = requests(buf + chunk)
        for req in found:
            os.write(fd, reader.answer(*req) if req else response(0x10))


if __name__ == "__main__":
    sys.exit(main())

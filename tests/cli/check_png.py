#!/usr/bin/env python3
"""Checks that a file is a valid PNG, with the standard library only:
the signature, every chunk's CRC, IHDR first and IEND last, and IDAT
inflating to exactly the rows IHDR announces, each with a known filter.
Prints WIDTHxHEIGHT; exits 1 with the reason otherwise."""
import struct
import sys
import zlib


def check(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return "no PNG signature"
    at, chunks, idat = 8, [], b""
    while at < len(data):
        if at + 12 > len(data):
            return "truncated chunk at byte %d" % at
        (n,) = struct.unpack(">I", data[at:at + 4])
        kind, body = data[at + 4:at + 8], data[at + 8:at + 8 + n]
        (crc,) = struct.unpack(">I", data[at + 8 + n:at + 12 + n])
        if len(body) != n or zlib.crc32(kind + body) != crc:
            return "bad %s chunk at byte %d" % (kind, at)
        chunks.append(kind)
        if kind == b"IHDR":
            w, h, depth, color = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        at += 12 + n
    if not chunks or chunks[0] != b"IHDR" or chunks[-1] != b"IEND":
        return "IHDR must come first and IEND last"
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(color)
    if depth != 8 or channels is None:
        return "unexpected depth %d / colour type %d" % (depth, color)
    d = zlib.decompressobj()
    raw = d.decompress(idat)
    if not d.eof or d.unused_data:
        return "IDAT is not one complete zlib stream"
    row = 1 + w * channels
    if len(raw) != h * row:
        return "IDAT holds %d bytes, IHDR says %d" % (len(raw), h * row)
    if any(raw[y * row] > 4 for y in range(h)):
        return "a row has an unknown filter type"
    print("%dx%d" % (w, h))
    return None


if __name__ == "__main__":
    why = check(sys.argv[1])
    if why:
        print("%s: %s" % (sys.argv[1], why), file=sys.stderr)
        sys.exit(1)

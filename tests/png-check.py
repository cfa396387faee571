#!/usr/bin/env python3
"""png-check.py FILE WIDTH HEIGHT: FILE is a PNG of that size that is not
blank: at least two colours cover a fair part of it (a page of text and
tables, not a white or a single-colour screen).  Decodes the PNG itself
(zlib + the five scanline filters), so it needs nothing beyond python3."""
import struct, sys, zlib

def fail(msg):
    print(msg)
    sys.exit(1)

path, want_w, want_h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
data = open(path, 'rb').read()
if data[:8] != b'\x89PNG\r\n\x1a\n':
    fail('%s: not a PNG' % path)
pos, idat, w = 8, b'', None
while pos < len(data):
    n, kind = struct.unpack('>I4s', data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b'IHDR':
        w, h, depth, ctype = struct.unpack('>IIBB', body[:10])
    elif kind == b'IDAT':
        idat += body
    pos += 12 + n
if w is None:
    fail('%s: no IHDR' % path)
if (w, h) != (want_w, want_h):
    fail('%s: %dx%d, want %dx%d' % (path, w, h, want_w, want_h))
if depth != 8 or ctype not in (2, 6):
    fail('%s: colour type %d depth %d not handled' % (path, ctype, depth))
bpp = 3 if ctype == 2 else 4
raw, stride = zlib.decompress(idat), w * bpp
prev, colours, dark = bytearray(stride), {}, 0
for y in range(h):
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    if y % 4 == 0:   # a sample of the rows is enough
        for x in range(0, w, 2):
            px = bytes(line[x * bpp:x * bpp + 3])
            colours[px] = colours.get(px, 0) + 1
            dark += sum(px) < 300
    prev = line
total = sum(colours.values())
top = max(colours.values())
if len(colours) < 16 or top > 0.97 * total or dark < 0.002 * total:
    fail('%s: looks blank (%d colours, the commonest %.1f%%, %d dark samples)' %
         (path, len(colours), 100.0 * top / total, dark))
print('%s: %dx%d, %d colours, %d dark samples' % (path, w, h, len(colours), dark))

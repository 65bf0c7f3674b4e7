#!/usr/bin/env bash
# GUI smoke test: start the real app under Xvfb on several built-in scenarios, let each run for
# 2 s, save a screenshot and check it is a real picture: a PNG larger than 200x200 that is not a
# single colour.
# Usage: smoke_screenshot_test.sh PATH/TO/chanscope
set -euo pipefail
app=${1:?usage: smoke_screenshot_test.sh PATH/TO/chanscope}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check_png() {
python3 - "$1" <<'PY'
import struct
import sys
import zlib

path = sys.argv[1]
data = open(path, "rb").read()
if data[:8] != b"\x89PNG\r\n\x1a\n":
    sys.exit(f"FAIL: {path} is not a PNG")

# Walk the chunks: IHDR gives the size and pixel format, the IDATs the compressed pixels.
pos, idat, header = 8, b"", None
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        header = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT":
        idat += body
    pos += 12 + length
if header is None:
    sys.exit("FAIL: no IHDR chunk")
width, height, depth, colour_type = header[:4]
print(f"screenshot: {width}x{height}, bit depth {depth}, colour type {colour_type}")
if width <= 200 or height <= 200:
    sys.exit(f"FAIL: screenshot is only {width}x{height}")

# Undo the per-row filters (PNG spec, section 9) to get the real pixel bytes.
channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour_type]
bpp = max(1, channels * depth // 8)
stride = (width * channels * depth + 7) // 8
raw = zlib.decompress(idat)
pixels = bytearray()
prev = bytearray(stride)
for y in range(height):
    row_start = y * (stride + 1)
    ftype = raw[row_start]
    row = bytearray(raw[row_start + 1:row_start + 1 + stride])
    for i in range(stride):
        a = row[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if ftype == 1:
            row[i] = (row[i] + a) & 0xFF
        elif ftype == 2:
            row[i] = (row[i] + b) & 0xFF
        elif ftype == 3:
            row[i] = (row[i] + (a + b) // 2) & 0xFF
        elif ftype == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            row[i] = (row[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
    pixels += row
    prev = row

colours = {bytes(pixels[i:i + bpp]) for i in range(0, len(pixels), bpp)}
print(f"distinct colours: {len(colours)}")
if len(colours) < 2:
    sys.exit("FAIL: the screenshot is a single colour")
PY
}

for scenario in worker_pool pipeline stampede rate_limit_burst; do
    shot=$tmp/$scenario.png
    # Force the X11 platform: an inherited QT_QPA_PLATFORM=offscreen would not test a real display.
    QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1280x800x24" \
        "$app" --scenario "$scenario" --screenshot "$shot" --quit-after 2s
    [[ -s $shot ]] || { echo "FAIL: no screenshot of $scenario at $shot" >&2; exit 1; }
    echo "$scenario:"
    check_png "$shot"
done
echo "GUI smoke test passed"

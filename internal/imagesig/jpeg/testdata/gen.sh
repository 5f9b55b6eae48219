#!/bin/sh
# Regenerates the fixtures of this directory and their expected signatures.
# Needs cjpeg/djpeg (libjpeg-turbo-progs), ImageMagick 6 (convert, identify) and python3.
# The expected signature of every fixture is ImageMagick 6's (identify -format '%#'), the
# reference the decoder must match; for RGB files it equals djpeg -ppm's pixels.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A synthetic picture: gradients, hard edges, noise; odd sizes exercise partial MCUs.
python3 - "$tmp" <<'PY'
import random, sys
def ppm(path, w, h, seed):
    rnd = random.Random(seed)
    out = bytearray()
    for y in range(h):
        for x in range(w):
            r = (x * 255) // max(w - 1, 1)
            g = (y * 255) // max(h - 1, 1)
            b = 255 if ((x // 7) + (y // 5)) % 2 else 40
            if (x - w // 2) ** 2 + (y - h // 2) ** 2 < (min(w, h) // 3) ** 2:
                r, g, b = 250 - g // 2, 30 + r // 3, 90
            n = rnd.randint(-12, 12)
            out += bytes(max(0, min(255, v + n)) for v in (r, g, b))
    with open(path, 'wb') as f:
        f.write(b'P6\n%d %d\n255\n' % (w, h) + out)
ppm(sys.argv[1] + '/a.ppm', 61, 45, 1)
ppm(sys.argv[1] + '/b.ppm', 96, 64, 2)
ppm(sys.argv[1] + '/c.ppm', 17, 9, 3)
PY
a=$tmp/a.ppm b=$tmp/b.ppm c=$tmp/c.ppm
cjpeg -quality 85 -sample 2x2 "$a" > s420.jpg
cjpeg -quality 85 -sample 2x1 "$a" > s422.jpg
cjpeg -quality 85 -sample 1x2 "$a" > s440.jpg
cjpeg -quality 85 -sample 1x1 "$a" > s444.jpg
cjpeg -quality 85 -sample 4x1 "$a" > s411.jpg
cjpeg -quality 85 -sample 4x2 "$a" > s4x2.jpg
cjpeg -quality 85 -sample 3x1 "$a" > s3x1.jpg
cjpeg -quality 85 -sample 1x3 "$a" > s1x3.jpg
cjpeg -quality 85 -sample 2x2,1x2,1x2 "$a" > s221212.jpg
cjpeg -quality 85 -sample 1x1,2x2,1x1 "$a" > chroma_up.jpg
cjpeg -quality 85 -sample 2x2 "$c" > tiny420.jpg
cjpeg -quality 75 -sample 2x2 -progressive "$a" > prog420.jpg
cjpeg -quality 95 -sample 1x1 -progressive "$b" > prog444.jpg
cjpeg -quality 80 -sample 2x2 -arithmetic "$a" > arith420.jpg
cjpeg -quality 80 -sample 2x1 -arithmetic -progressive "$a" > arithprog422.jpg
cjpeg -quality 80 -sample 2x2 -arithmetic -restart 1B "$a" > arithrestart.jpg
cjpeg -quality 85 -sample 2x2 -restart 1 "$b" > restart1row.jpg
cjpeg -quality 85 -sample 2x1 -restart 1B "$a" > restart1block.jpg
cjpeg -quality 85 -grayscale "$a" > gray.jpg
cjpeg -quality 85 -grayscale -progressive "$b" > grayprog.jpg
cjpeg -quality 90 -optimize -sample 2x2 "$b" > optimize.jpg
cjpeg -quality 90 -rgb -sample 1x1 "$a" > rgb.jpg
cat > "$tmp/scans.txt" <<'SCANS'
0;
1;
2;
SCANS
cjpeg -quality 85 -sample 2x2 -scans "$tmp/scans.txt" "$a" > noninterleaved.jpg
# Truncated files: libjpeg fills with zeros and warns; progressive uses block smoothing.
cjpeg -quality 85 -sample 2x2 "$b" > "$tmp/full.jpg"
head -c 1500 "$tmp/full.jpg" > truncated.jpg
cjpeg -quality 85 -sample 2x2 -progressive "$b" > "$tmp/fullprog.jpg"
head -c 2000 "$tmp/fullprog.jpg" > truncprog.jpg
# A restart marker with the wrong number: libjpeg resyncs.
python3 - "$tmp" <<'PY'
import sys
d = open('restart1block.jpg', 'rb').read()
i = d.index(b'\xff\xd3')
open('badrestart.jpg', 'wb').write(d[:i] + b'\xff\xd5' + d[i + 2:])
PY
# An APP2 that is not an ICC profile and runs past EOF, between two scans: ImageMagick's ICC
# handler skips it without error (its generic APPn handler would fail).
python3 - <<'PY'
d = open('prog420.jpg', 'rb').read()
i = -1
for _ in range(3):
    i = d.index(b'\xff\xda', i + 1)
open('icc_past_eof.jpg', 'wb').write(d[:i] + b'\xff\xe2\x8d\xe2' + b'not an ICC profile, runs past EOF')
PY
# CMYK (Adobe, inverted) as ImageMagick writes it.
convert "$a" -colorspace CMYK -quality 85 cmyk.jpg

# corrupt_bigcoef.jpg is not regenerated: a small cjpeg output whose entropy-coded data was
# corrupted at random, kept because its garbage coefficients overflow 16 bits, where
# libjpeg-turbo's SIMD IDCT (what ImageMagick runs) and its C IDCT disagree.

: > expect.tsv
for f in *.jpg; do
	printf '%s\t%s\n' "$f" "$(identify -format '%#' "$f" 2>/dev/null)" >> expect.tsv
done

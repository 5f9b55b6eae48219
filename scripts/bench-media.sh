#!/usr/bin/env bash
# bench-media.sh: speed and memory of signing videos and HEIC stills (internal/isobmff:
# ExifTool's ImageDataHash, which reads nearly every byte of the file once) against
# sha256sum over the same files.
#
#   1. a SIZE_MB (default 2048) MP4 generated at run time into $TMPDIR: 10 s of 720p
#      lossless H.264 and AAC from ffmpeg's test sources, looped with `-c copy`;
#   2. a HEIC generated with heif-enc from an ImageMagick plasma picture, and (when
#      ../shared is there) the corpus' iPhone HEIC with 48 grid tiles, each listed REPEAT
#      (default 200) times on the command line.
#
# Each is timed on one core (taskset -c 0, GOMAXPROCS=1), files in the page cache, best of
# RUNS (default 3) runs of
#   flickrsync signature FILES...   (./cmd/flickrsync, built once)
#   sha256sum FILES...
# and the script prints MB/s of both and the ratio sha256sum time / our time (goal >= 0.9),
# then our peak RSS signing the big MP4 (/usr/bin/time -v, goal <= 32 MB). With
# FLICKRSYNC_EXIFTOOL set (ExifTool 13.58's script) the MP4's signature is checked
# against ExifTool's ImageDataHash.
#
# Usage: scripts/bench-media.sh   Env: SIZE_MB, REPEAT, RUNS, KEEP=1 keeps the temp dir,
# FLICKRSYNC_SHARED (default ../shared beside the repo).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
shared=${FLICKRSYNC_SHARED:-$repo/../shared}
size_mb=${SIZE_MB:-2048}
repeat=${REPEAT:-200}
runs=${RUNS:-3}
for tool in ffmpeg heif-enc convert sha256sum taskset /usr/bin/time; do
	command -v "$tool" >/dev/null || { echo "$tool is missing" >&2; exit 1; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/flickrsync-bench-media.XXXXXX")
if [ "${KEEP:-}" != 1 ]; then trap 'rm -rf "$work"' EXIT; fi

echo "building flickrsync..." >&2
(cd "$repo" && CGO_ENABLED=0 go build -o "$work/flickrsync" ./cmd/flickrsync)

# 1. The big MP4.
echo "generating a ${size_mb} MB MP4 in $work..." >&2
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=1280x720:rate=30" \
	-f lavfi -i "sine=frequency=440:sample_rate=48000" -t 10 -c:v libx264 -preset ultrafast \
	-qp 0 -c:a aac -b:a 128k "$work/clip.mp4"
clip=$(stat -c %s "$work/clip.mp4")
loops=$(( (size_mb * 1048576 + clip - 1) / clip - 1 ))
ffmpeg -hide_banner -loglevel error -y -stream_loop "$loops" -i "$work/clip.mp4" -c copy "$work/big.mp4"
rm "$work/clip.mp4"

# 2. HEIC stills.
convert -size 2000x1500 -seed 3 plasma:fractal PNG24:"$work/plasma.png"
heif-enc -q 95 "$work/plasma.png" -o "$work/plasma.heic" >/dev/null
heics=("$work/plasma.heic")
iphone=$shared/media/files/me-images__IMG_2929.HEIC
[ -f "$iphone" ] && heics+=("$iphone")

# best TIMEFORMAT %R of RUNS runs of a command.
best() {
	local b="" t
	for _ in $(seq "$runs"); do
		t=$( { TIMEFORMAT=%R; time "$@" >/dev/null; } 2>&1 )
		if [ -z "$b" ] || awk -v t="$t" -v b="$b" 'BEGIN { exit !(t < b) }'; then b=$t; fi
	done
	echo "$b"
}

compare() { # name, files...
	local name=$1
	shift
	local bytes=0 f
	for f in "$@"; do bytes=$((bytes + $(stat -c %s "$f"))); done
	cat "$@" >/dev/null # into the page cache
	local ours theirs
	ours=$(best env GOMAXPROCS=1 taskset -c 0 "$work/flickrsync" signature "$@")
	theirs=$(best taskset -c 0 sha256sum "$@")
	awk -v n="$name" -v b="$bytes" -v o="$ours" -v s="$theirs" 'BEGIN {
		printf "%-28s %7.1f MB  flickrsync %6.2f s %7.1f MB/s   sha256sum %6.2f s %7.1f MB/s   ratio %.2f (goal >= 0.9)\n",
			n, b / 1048576, o, b / 1048576 / o, s, b / 1048576 / s, s / o }'
}

echo "one core, best of $runs runs, files in the page cache"
compare "MP4 (H.264+AAC)" "$work/big.mp4"
for h in "${heics[@]}"; do
	files=()
	for _ in $(seq "$repeat"); do files+=("$h"); done
	compare "HEIC $(basename "$h") x$repeat" "${files[@]}"
done

/usr/bin/time -v "$work/flickrsync" signature "$work/big.mp4" > "$work/sig.txt" 2> "$work/time.txt"
rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time.txt")
awk -v r="$rss" 'BEGIN { printf "peak RSS signing the %s: %.1f MB (goal <= 32 MB)\n", "big MP4", r / 1024 }'
"$work/flickrsync" info "$work/big.mp4" | sed -n '2,6p'
if [ -n "${FLICKRSYNC_EXIFTOOL:-}" ]; then
	ref=$(perl "$FLICKRSYNC_EXIFTOOL" -api ImageHashType=SHA256 -ImageDataHash -s3 "$work/big.mp4")
	ours=$(cut -d' ' -f1 "$work/sig.txt")
	if [ "$ref" = "$ours" ]; then echo "ExifTool 13.58 agrees: $ref"; else echo "ExifTool 13.58 says $ref" >&2; exit 1; fi
fi

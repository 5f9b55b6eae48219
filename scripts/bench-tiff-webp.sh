#!/usr/bin/env bash
# bench-tiff-webp.sh: TIFF and WebP signature speed of flickrsync against ImageMagick.
#
# For each row (a set of files of one kind), on one core, it times
#   GOMAXPROCS=1 taskset -c 0 flickrsync signature FILES   (./cmd/flickrsync: our decoders)
#   taskset -c 0 identify -format '%#\n' FILES              (ImageMagick 6.9.11, what Wand ran)
# (CPU time, user + system, best of RUNS runs each, one process for all the files of a row
# on both sides), checks that both give the same signatures (ours must be the last line
# identify prints for that file), and prints megapixels per second for both and the ratio
# of the times ours/identify (lower is better; goal < 1).
#
# Rows: "tiff-media" (every non-ERROR tiff row of ../shared/media), generated TIFFs of a
# 24 MP corpus photo in the common layouts, then "webp-media" (every non-ERROR webp row:
# lossy, lossless, alpha, animated), the same without the 16000x9000 file, and that file
# alone, whose peak RSS is also measured on both sides (/usr/bin/time -v). identify runs
# with a policy that lifts Debian's 128 MP area limit, as the manifest's values were made.
# Megapixels are identify's: the sum of every page or frame it reads.
#
# Usage: scripts/bench-tiff-webp.sh [SHARED_DIR]   (default ../shared beside the repo, or
# $FLICKRSYNC_SHARED). RUNS=3 by default.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
shared=${1:-${FLICKRSYNC_SHARED:-$repo/../shared}}
runs=${RUNS:-3}
[ -f "$shared/media/manifest.tsv" ] || { echo "no media corpus at $shared/media" >&2; exit 1; }
for tool in identify convert taskset /usr/bin/time; do
	command -v "$tool" >/dev/null || { echo "$tool is missing" >&2; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$repo" && CGO_ENABLED=0 go build -o "$tmp/flickrsync" ./cmd/flickrsync)
ours_cmd=("$tmp/flickrsync" signature)

# Debian's policy refuses images over 128 MP (cache resources exhausted); the manifest's
# value for the big WebP was made with the limits lifted, and so is identify run here.
mkdir "$tmp/policy"
cat > "$tmp/policy/policy.xml" <<'XML'
<policymap>
  <policy domain="resource" name="memory" value="8GiB"/>
  <policy domain="resource" name="map" value="8GiB"/>
  <policy domain="resource" name="width" value="64KP"/>
  <policy domain="resource" name="height" value="64KP"/>
  <policy domain="resource" name="area" value="4GP"/>
  <policy domain="resource" name="disk" value="16GiB"/>
</policymap>
XML
export MAGICK_CONFIGURE_PATH=$tmp/policy

# best_time CMD...: the best of RUNS runs of the command's CPU time (user + system, in
# seconds): on a machine shared with other work, wall time measures the neighbours.
best_time() {
	local best="" t
	for _ in $(seq "$runs"); do
		/usr/bin/time -o "$tmp/time" -f '%U %S' "$@" > /dev/null 2>&1 || true
		t=$(awk '{ print $1 + $2 }' "$tmp/time")
		if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$t; fi
	done
	echo "$best"
}

printf '%-22s %6s %8s %12s %12s %8s\n' row files MP ours_MP/s im_MP/s ratio
# bench_row NAME FILE...: one row of the table.
bench_row() {
	local name=$1
	shift
	local mp ours theirs
	# Same answers first: our signature must be identify's last line for each file.
	# Files we do not read, or read differently (reported: the tests fail on those), are left
	# out of the row.
	local f want got kept=()
	for f in "$@"; do
		want=$(identify -format "%#\n" "$f" 2> /dev/null | tail -1 || true)
		got=$("${ours_cmd[@]}" "$f" 2> /dev/null | cut -d" " -f1 || true)
		if [ -z "$got" ]; then
			echo "$name: left out $(basename "$f"): $("${ours_cmd[@]}" "$f" 2>&1 >/dev/null | sed 's/^[^:]*: //' || true)" >&2
			continue
		fi
		if [ "$want" != "$got" ]; then
			echo "$name: left out $(basename "$f"): MISMATCH ours $got, identify ${want:-error}" >&2
			continue
		fi
		kept+=("$f")
	done
	set -- "${kept[@]}"
	mp=$(identify -format '%w %h\n' "$@" 2> /dev/null | awk '{ s += $1 * $2 } END { printf "%.2f", s / 1e6 }')
	ours=$(best_time env GOMAXPROCS=1 taskset -c 0 "${ours_cmd[@]}" "$@")
	theirs=$(best_time taskset -c 0 identify -format '%#\n' "$@")
	awk -v n="$name" -v c="$#" -v mp="$mp" -v o="$ours" -v t="$theirs" 'BEGIN {
		printf "%-22s %6d %8.1f %12.1f %12.1f %8.2f\n", n, c, mp, mp / o, mp / t, o / t }'
}

# media_rows KIND: the files of the manifest's non-ERROR rows of that kind.
media_rows() {
	awk -F'\t' -v kind="$1" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$col["kind"] == kind && $col["expect"] != "ERROR" { print $col["file"] }' "$shared/media/manifest.tsv" |
		sed "s|^|$shared/media/files/|"
}

# TIFF rows.
mapfile -t media < <(media_rows tiff)
bench_row tiff-media "${media[@]}"

photo=$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	$col["format"] == "JPEG" && $col["width"] * $col["height"] >= 20000000 && $col["expect"] != "ERROR" {
		print $col["file"]; exit }' "$shared/corpus/manifest.tsv")
[ -n "$photo" ] || { echo "no large JPEG in the corpus" >&2; exit 1; }
convert "$shared/corpus/files/$photo" -resize '6000x4000>' "$tmp/photo.ppm"
gen() { local name=$1; shift; convert "$tmp/photo.ppm" "$@" "$tmp/$name.tif"; }
gen none -compress None
gen lzw -compress LZW
gen lzw-pred2 -compress LZW -define tiff:predictor=2
gen zip -compress Zip
gen packbits -compress RLE
gen tiled-zip -compress Zip -define tiff:tile-geometry=256x256
gen jpeg -compress JPEG -quality 90
gen webp -depth 8 -compress WebP -quality 90
gen rgb16-zip -depth 16 -compress Zip
gen g4 -monochrome -compress Group4
for n in none lzw lzw-pred2 zip packbits tiled-zip jpeg webp rgb16-zip g4; do
	bench_row "tiff-$n" "$tmp/$n.tif"
done

# WebP rows.
mapfile -t webps < <(media_rows webp)
big=$shared/media/files/androidx-media__black_large.webp
small=()
for f in "${webps[@]}"; do [ "$f" = "$big" ] || small+=("$f"); done
bench_row webp-media "${webps[@]}"
bench_row webp-media-but-big "${small[@]}"
if [ -f "$big" ]; then
	bench_row webp-16000x9000 "$big"
	GOMAXPROCS=1 /usr/bin/time -v "${ours_cmd[@]}" "$big" > /dev/null 2> "$tmp/time.txt"
	ours=$(awk -F': ' '/Maximum resident/ { print $2 }' "$tmp/time.txt")
	/usr/bin/time -v identify -format '%#\n' "$big" > /dev/null 2> "$tmp/time.txt"
	im=$(awk -F': ' '/Maximum resident/ { print $2 }' "$tmp/time.txt")
	echo "peak RSS on the 16000x9000 WebP: ours $((ours / 1024)) MB, identify $((im / 1024)) MB"
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"

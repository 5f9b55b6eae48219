#!/usr/bin/env bash
# bench-signature.sh: JPEG signature speed of flickrsync against libjpeg-turbo's djpeg.
#
# Over the corpus JPEGs of at least 8 megapixels (width*height from manifest.tsv), on one
# core, it times
#   GOMAXPROCS=1 taskset -c 0 flickrsync signature FILES
#   taskset -c 0 sh -c 'for f; do djpeg -ppm "$f" | sha256sum; done' sh FILES
# (best of RUNS runs each), prints megapixels per second for both and the ratio ours/djpeg
# (time; lower is better, goal <= 1.25), checks our signatures against the manifest, and
# reports our peak RSS on the largest baseline JPEG of about 24 MP (/usr/bin/time -v).
#
# Usage: scripts/bench-signature.sh [SHARED_DIR]   (default ../shared beside the repo, or
# $FLICKRSYNC_SHARED). RUNS=3 by default.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
shared=${1:-${FLICKRSYNC_SHARED:-$repo/../shared}}
corpus=$shared/corpus
runs=${RUNS:-3}
[ -f "$corpus/manifest.tsv" ] || { echo "no corpus at $corpus" >&2; exit 1; }
for tool in djpeg sha256sum taskset; do
	command -v "$tool" >/dev/null || { echo "$tool is missing" >&2; exit 1; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The binary under test; while cmd/flickrsync does not build (other packages being edited),
# fall back to a tiny program printing the same lines through the same decoder.
if ! (cd "$repo" && CGO_ENABLED=0 go build -o "$tmp/flickrsync" ./cmd/flickrsync) 2> "$tmp/build.log"; then
	echo "cmd/flickrsync does not build ($(head -1 "$tmp/build.log")); timing a minimal program instead"
	pkg=$repo/internal/imagesig/jpeg/_benchsig$$
	mkdir "$pkg"
	trap 'rm -rf "$tmp" "$pkg"' EXIT
	cat > "$pkg/main.go" <<'GO'
package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"fmt"
	"os"

	"github.com/flickrsync/flickrsync/internal/imagesig/jpeg"
)

func main() {
	// Usage: benchsig signature FILE...
	for _, p := range os.Args[2:] {
		f, err := os.Open(p)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			continue
		}
		h := sha256.New()
		bw := bufio.NewWriterSize(h, 1<<16)
		_, err = jpeg.Decode(context.Background(), f, bw, jpeg.Options{})
		f.Close()
		if err != nil {
			fmt.Fprintln(os.Stderr, p, err)
			continue
		}
		bw.Flush()
		fmt.Printf("%x  %s\n", h.Sum(nil), p)
	}
}
GO
	(cd "$repo" && CGO_ENABLED=0 go build -o "$tmp/flickrsync" "./internal/imagesig/jpeg/_benchsig$$")
	rm -rf "$pkg"
fi

# file, megapixels, interlace of every JPEG row of >= 8 MP.
awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	($col["format"] == "JPEG" || $col["format"] == "JPG") &&
	$col["width"] * $col["height"] >= 8000000 {
		print $col["file"] "\t" $col["width"] * $col["height"] "\t" $col["interlace"] "\t" $col["expect"] "\t" $col["bytes"]
	}' "$corpus/manifest.tsv" > "$tmp/list.tsv"
mapfile -t files < <(cut -f1 "$tmp/list.tsv" | sed "s|^|$corpus/files/|")
[ "${#files[@]}" -gt 0 ] || { echo "no JPEG of >= 8 MP in the manifest" >&2; exit 1; }
mp=$(awk -F'\t' '{ s += $2 } END { printf "%.1f", s / 1e6 }' "$tmp/list.tsv")
echo "corpus: ${#files[@]} JPEGs of >= 8 MP, $mp MP in all; best of $runs runs, one core"

# Correctness first: our signatures must be the manifest's.
GOMAXPROCS=1 "$tmp/flickrsync" signature "${files[@]}" > "$tmp/ours.txt"
bad=0
while IFS=$'\t' read -r f _ _ expect _; do
	got=$(grep -F "  $corpus/files/$f" "$tmp/ours.txt" | cut -d' ' -f1 || true)
	if [ "$got" != "$expect" ]; then
		echo "MISMATCH $f: got ${got:-nothing}, want $expect" >&2
		bad=1
	fi
done < "$tmp/list.tsv"
[ "$bad" = 0 ] && echo "signatures: all ${#files[@]} match the manifest"

# Wall time is what a user waits, but this machine may be shared: also measure CPU time
# (user+sys of the whole process tree, from bash's times), which contention inflates less.
calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }
cputime() { # user+sys seconds of all children of this shell so far
	times > "$tmp/times" # second line: children's "XmY.YYYs XmY.YYYs"
	awk 'NR == 2 { n = split($0, a, /[ ms]+/); print a[1] * 60 + a[2] + a[3] * 60 + a[4] }' "$tmp/times"
}
best() { # best wall and CPU time of $runs runs of "$@": prints "wall cpu"
	local bw="" bc="" s e c0 c1 w c
	for _ in $(seq "$runs"); do
		cputime > "$tmp/c0"
		s=$(date +%s.%N)
		"$@" > /dev/null
		e=$(date +%s.%N)
		cputime > "$tmp/c1"
		c0=$(cat "$tmp/c0")
		c1=$(cat "$tmp/c1")
		w=$(calc "$e - $s")
		c=$(calc "$c1 - $c0")
		if [ -z "$bw" ] || [ "$(calc "$w < $bw")" = 1.000000 ]; then bw=$w; fi
		if [ -z "$bc" ] || [ "$(calc "$c < $bc")" = 1.000000 ]; then bc=$c; fi
	done
	echo "$bw $bc"
}
read -r ours_w ours_c < <(best env GOMAXPROCS=1 taskset -c 0 "$tmp/flickrsync" signature "${files[@]}")
read -r djpeg_w djpeg_c < <(best taskset -c 0 sh -c 'for f; do djpeg -ppm "$f" | sha256sum; done' sh "${files[@]}")
echo "                       wall time    MP/s    CPU time    MP/s"
printf 'flickrsync signature: %8.2f s %7.1f  %8.2f s %7.1f\n' "$ours_w" "$(calc "$mp / $ours_w")" "$ours_c" "$(calc "$mp / $ours_c")"
printf 'djpeg | sha256sum:    %8.2f s %7.1f  %8.2f s %7.1f\n' "$djpeg_w" "$(calc "$mp / $djpeg_w")" "$djpeg_c" "$(calc "$mp / $djpeg_c")"
printf 'ratio ours/djpeg (time, goal <= 1.25): wall %.2f, CPU %.2f\n' "$(calc "$ours_w / $djpeg_w")" "$(calc "$ours_c / $djpeg_c")"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown) (wall times are only meaningful on an idle machine)"

# Peak RSS on the largest baseline (non-progressive) JPEG of about 24 MP (most pixels, then
# most bytes).
big=$(awk -F'\t' '$3 == "None" && $2 <= 26000000 { print $2 "\t" $5 "\t" $1 }' "$tmp/list.tsv" |
	sort -n -k1,1 -k2,2 | tail -1 | cut -f3)
if [ -x /usr/bin/time ] && [ -n "$big" ]; then
	GOMAXPROCS=1 /usr/bin/time -v "$tmp/flickrsync" signature "$corpus/files/$big" > /dev/null 2> "$tmp/time.txt"
	rss=$(awk -F': ' '/Maximum resident/ { print $2 }' "$tmp/time.txt")
	echo "peak RSS on $big: $((rss / 1024)) MB (limit 40 MB)"
else
	echo "peak RSS: skipped (/usr/bin/time missing: apt-get install time)"
fi
exit "$bad"

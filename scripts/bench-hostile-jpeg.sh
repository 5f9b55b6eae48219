#!/usr/bin/env bash
# bench-hostile-jpeg.sh: what the hostile JPEGs of issue 11 cost the decoder, beside what
# they cost libjpeg-turbo's djpeg (not part of CI). Each case (a BenchmarkHostile of
# internal/imagesig/jpeg: a progressive JPEG of a few hundred bytes claiming SIDE x SIDE
# pixels in 100 scans) runs once in its own process: CPU time (user+system), peak RSS and
# what the decoder made of it; then djpeg decodes the same file (to /dev/null), and the
# ratio of the CPU times is printed. djpeg holds the whole image's coefficients: 2 bytes a
# pixel, 1.8 GB at the default side.
#
#   scripts/bench-hostile-jpeg.sh [SIDE] [CASE...]   # SIDE defaults to 30000 (900 megapixels)
set -euo pipefail

SIDE=${1:-30000}
shift || true
CASES=${*:-HuffmanEmptyScans ArithEmptyScans ArithZeroData ArithRestartEachMCU ArithDCScans}

command -v djpeg >/dev/null || { echo "djpeg missing: apt-get install libjpeg-turbo-progs" >&2; exit 1; }
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/bench-hostile-jpeg.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
(cd "$ROOT" && go test -c -o "$WORK/jpeg.test" ./internal/imagesig/jpeg)

cpu() { grep '^TIME ' | { read -r _ user sys rss; echo "$user + $sys" | bc; }; }
rss() { grep '^TIME ' | { read -r _ _ _ rss; echo $((rss / 1024)); }; }

printf '%-20s %9s %8s %9s %8s %7s  %s\n' case CPU RSS djpeg-CPU RSS ratio outcome
for c in $CASES; do
	out=$(cd "$WORK" && FLICKRSYNC_BENCH_SIDE=$SIDE FLICKRSYNC_BENCH_OUT=$WORK /usr/bin/time -f 'TIME %U %S %M' \
		./jpeg.test -test.run '^$' -test.bench "^BenchmarkHostile/$c\$" -test.benchtime 1x -test.v 2>&1)
	outcome=$(grep -m1 'hostile_bench_test.go' <<<"$out" | sed 's/^ *hostile_bench_test.go:[0-9]*: [A-Za-z]*, //')
	ref=$(/usr/bin/time -f 'TIME %U %S %M' djpeg -outfile /dev/null "$WORK/$c.jpg" 2>&1 || true)
	ours=$(cpu <<<"$out")
	theirs=$(cpu <<<"$ref")
	printf '%-20s %8.1fs %5d MB %8.1fs %5d MB %6.2fx  %s\n' "$c" "$ours" "$(rss <<<"$out")" "$theirs" "$(rss <<<"$ref")" \
		"$(echo "scale=4; $ours / ($theirs + 0.01)" | bc)" "$outcome"
done

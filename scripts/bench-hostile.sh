#!/usr/bin/env bash
# bench-hostile.sh: what the hostile Flickr answers of issue 11 cost the client (not part
# of CI). Each case (a BenchmarkHostile* of internal/flickr, served by the hostile test
# server on loopback) runs once in its own process: wall time and peak RSS of that
# process, and what the client made of the answer. The figures before the bounds were
# measured with the same answers on the code before them (README, "What Flickr may send").
#
#   scripts/bench-hostile.sh [-trickle]     # -trickle adds the 1-byte-every-30-s download (~1 min)
set -euo pipefail

TRICKLE=0
while [ $# -gt 0 ]; do
	case "$1" in
	-trickle) TRICKLE=1; shift ;;
	*) echo "usage: $0 [-trickle]" >&2; exit 2 ;;
	esac
done

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/bench-hostile.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
(cd "$ROOT" && go test -c -o "$WORK/flickr.test" ./internal/flickr)

CASES="EmptyPhotos NestedContent LargestPage RepeatedPages FreshPages EndlessDownload"
[ "$TRICKLE" = 1 ] && CASES="$CASES Trickle"
printf '%-16s %10s %12s  %s\n' case wall peak-RSS outcome
for c in $CASES; do
	out=$(cd "$WORK" && /usr/bin/time -f 'TIME %e %M' ./flickr.test -test.run '^$' \
		-test.bench "^BenchmarkHostile$c\$" -test.benchtime 1x -test.v 2>&1)
	read -r _ wall rss < <(grep '^TIME ' <<<"$out")
	outcome=$(grep -m1 'hostile_bench_test.go' <<<"$out" | sed 's/^ *hostile_bench_test.go:[0-9]*: //')
	printf '%-16s %9ss %9d MB  %s\n' "$c" "$wall" $((rss / 1024)) "$outcome"
done

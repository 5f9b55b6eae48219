#!/usr/bin/env bash
# bench-memory.sh: peak memory and time of `flickrsync index` over the whole shared corpus
# (417 files, two 750+ MP panoramas among them), and of `flickrsync signature` on each
# panorama, for this tree's binary and for a base revision's (by default main), each run
# under /usr/bin/time -v. It prints peak RSS, CPU time (user+sys, which a shared machine
# inflates less than wall time) and wall time, and the ratios this tree / base.
# Goal: `index` of the corpus peaks under 300 MB.
#
# Usage: scripts/bench-memory.sh [SHARED_DIR]   (default ../shared beside the repo, or
# $FLICKRSYNC_SHARED). Env: BASE_REV (default main) or BASE_BIN (a built binary), RUNS
# (default 1: the best of RUNS runs is kept), KEEP=1 keeps the temp dir.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
shared=${1:-${FLICKRSYNC_SHARED:-$repo/../shared}}
runs=${RUNS:-1}
[ -d "$shared/corpus/files" ] || { echo "no corpus at $shared/corpus" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is missing (apt-get install time)" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/flickrsync-mem.XXXXXX")
if [ "${KEEP:-}" != 1 ]; then trap 'rm -rf "$tmp"' EXIT; fi

echo "building this tree and the base..." >&2
(cd "$repo" && CGO_ENABLED=0 go build -o "$tmp/new" ./cmd/flickrsync)
if [ -n "${BASE_BIN:-}" ]; then
	cp "$BASE_BIN" "$tmp/base"
	base_name=$BASE_BIN
else
	rev=${BASE_REV:-main}
	mkdir "$tmp/src"
	git -C "$repo" archive "$rev" | tar -x -C "$tmp/src"
	(cd "$tmp/src" && CGO_ENABLED=0 go build -o "$tmp/base" ./cmd/flickrsync)
	base_name="$rev ($(git -C "$repo" rev-parse --short "$rev"))"
fi

mkdir "$tmp/lib"
ln -s "$shared"/corpus/files/* "$tmp/lib/"
large_jpg=$shared/corpus/files/gdk-pixbuf__large.jpg
large_png=$shared/corpus/files/gdk-pixbuf__large.png

# measure BIN ARGS...: the best of $runs runs; prints "rss_mb cpu_s wall_s".
measure() {
	local best="" line
	for _ in $(seq "$runs"); do
		rm -f "$tmp"/db*
		/usr/bin/time -v "$@" > /dev/null 2> "$tmp/time.txt" || true
		line=$(awk -F': ' '
			/Maximum resident/ { rss = $2 / 1024 }
			/User time/ { cpu += $2 }
			/System time/ { cpu += $2 }
			/Elapsed/ { n = split($2, t, ":"); wall = 0; for (i = 1; i <= n; i++) wall = wall * 60 + t[i] }
			END { printf "%.0f %.2f %.2f", rss, cpu, wall }' "$tmp/time.txt")
		if [ -z "$best" ] || [ "$(echo "$line $best" | awk '{ print ($2 < $5) }')" = 1 ]; then best=$line; fi
	done
	echo "$best"
}

echo "cores: $(nproc), load average: $(cut -d' ' -f1-3 /proc/loadavg) (wall times are only meaningful on an idle machine)"
echo "base: $base_name; best of $runs run(s) each"
printf '%-44s %10s %10s %10s\n' "" "peak RSS" "CPU" "wall"
for what in index large.jpg large.png; do
	for bin in base new; do
		case $what in
		index) r=$(measure "$tmp/$bin" -l "$tmp/lib" -d "$tmp/db" index) ;;
		large.jpg) r=$(measure "$tmp/$bin" signature "$large_jpg") ;;
		large.png) r=$(measure "$tmp/$bin" signature "$large_png") ;;
		esac
		eval "${bin}_r=\"$r\""
		read -r rss cpu wall <<< "$r"
		if [ "$what $bin" = "index new" ]; then index_rss=$rss; fi
		printf '%-44s %7s MB %8s s %8s s\n' "$what, $bin" "$rss" "$cpu" "$wall"
	done
	read -r brss bcpu bwall <<< "$base_r"
	read -r nrss ncpu nwall <<< "$new_r"
	awk -v a="$nrss" -v b="$brss" -v c="$ncpu" -v d="$bcpu" -v e="$nwall" -v f="$bwall" -v w="$what" \
		'BEGIN { printf "%-44s %9.2fx %9.2fx %9.2fx\n", w ", this tree / base", a / b, c / d, e / f }'
done
if [ "$index_rss" -lt 300 ]; then
	echo "index of the corpus peaks at $index_rss MB: under the 300 MB goal"
else
	echo "index of the corpus peaks at $index_rss MB: OVER the 300 MB goal"
	exit 1
fi

#!/usr/bin/env bash
# bench-watch.sh: what sync --watch costs on a large library that does not change (not
# part of CI), against the standalone emulator.
#
#   scripts/bench-watch.sh [-files 100000] [-pictures 1000] [-per 100] [-every 5s] [-for 60] [-keep]
#
# A library of 100,000 files in 1,000 folders (hard links to 1,000 small generated
# pictures, 100 to each: the tree is made in seconds, the first sync uploads 1,000 photos
# and makes 1,000 photosets), synced once (-pictures 2 makes it 50,000 copies of each
# picture: the first sync's cost in copies). Then, the library unchanged:
#   1. the reference: a bare walk that reads every file's size and mtime (find -printf),
#      the floor of any re-index;
#   2. `index` alone (the re-index of sync --watch's every run), wall and CPU time;
#   3. one run of `sync --min-age 1m` (what each run of the watch is: index, the Flickr
#      listing since the last run, the plan, the photosets), wall and CPU time;
#   4. `sync --watch=5s` itself for 60 s, stopped with SIGTERM: its runs, its CPU time per
#      run, and its exit status (143).
# Each is printed with its ratio to the reference. The issue's goal: a re-index of 100k
# unchanged files well under a second.
set -euo pipefail

FILES=100000
PER=100
PICTURES=
EVERY=5s
FOR=60
KEEP=0
while [ $# -gt 0 ]; do
	case "$1" in
	-files) FILES=$2; shift 2 ;;
	-pictures) PICTURES=$2; shift 2 ;;
	-per) PER=$2; shift 2 ;;
	-every) EVERY=$2; shift 2 ;;
	-for) FOR=$2; shift 2 ;;
	-keep) KEEP=1; shift ;;
	*) echo "usage: $0 [-files 100000] [-pictures 1000] [-per 100] [-every 5s] [-for 60] [-keep]" >&2; exit 2 ;;
	esac
done

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/bench-watch.XXXXXX)
BIN=$WORK/bin
KEY=0123456789abcdef0123456789abcdef
SECRET=fedcba9876543210
EMU_PID=""
WATCH_PID=""

cleanup() {
	if [ -n "$WATCH_PID" ]; then kill -TERM "$WATCH_PID" 2>/dev/null || true; fi
	stop_emulator
	if [ "$KEEP" = 1 ]; then
		echo "work folder kept: $WORK"
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT

echo "building into $BIN"
mkdir -p "$BIN"
(cd "$ROOT" && CGO_ENABLED=0 go build -o "$BIN/flickrsync" ./cmd/flickrsync &&
	CGO_ENABLED=0 go build -o "$BIN/flickr-emulator" ./cmd/flickr-emulator &&
	CGO_ENABLED=0 go build -o "$BIN/benchsync" ./scripts/benchsync)

# start_emulator, stop_emulator, profile.
. "$ROOT/scripts/emulator.sh"

LIB=$WORK/lib
"$BIN/benchsync" gen -dir "$WORK/src" -n "${PICTURES:-$((FILES / 100))}" -w 64 -h 64 -seed 9100 -per 1000
"$BIN/benchsync" link -src "$WORK/src" -dir "$LIB" -n "$FILES" -per "$PER"
# Settled an hour ago (hard links share their mtime): --min-age leaves none for later.
find "$WORK/src" -type f -exec touch -d '1 hour ago' {} +

start_emulator "$WORK/state" --latency 0s
profile p "$LIB"

fs() { HOME=$HOME_DIR FLICKRSYNC_FLICKR_URL=$EMU_URL FLICKRSYNC_PACING=off "$BIN/flickrsync" -c "$CFG" "$@"; }

# timed LABEL CMD...: runs CMD, prints its wall and CPU time (user+sys: the machine may
# be shared) and the ratio of its wall time to the reference; sets WALL.
REF=""
TIMEFORMAT='%R %U %S'
timed() {
	local label=$1 t
	shift
	t=$( { time "$@" >"$WORK/out" 2>"$WORK/err"; } 2>&1 ) || {
		echo "$label failed:" >&2
		tail -20 "$WORK/err" >&2
		exit 1
	}
	t=$(echo "$t" | tail -1)
	WALL=$(echo "$t" | awk '{print $1}')
	printf '%-44s %7.2f s wall %7.2f s cpu' "$label" "$WALL" "$(echo "$t" | awk '{print $2 + $3}')"
	if [ -n "$REF" ]; then
		awk -v w="$WALL" -v r="$REF" 'BEGIN { printf "   %.1fx the reference\n", w / r }'
	else
		echo
	fi
}

echo "cores: $(nproc 2>/dev/null || echo ?), load average: $(cut -d" " -f1-3 /proc/loadavg 2>/dev/null || echo ?)"
timed "first sync ($FILES files, $(find "$WORK/src" -type f | wc -l) pictures)" fs sync --noprompt
grep -E '^  (library|upload|photosets):' "$WORK/err" | sed 's/^/    /' || true

timed "reference: find, size and mtime of each file" find "$LIB" -type f -printf '%s %T@\n'
REF=$WALL
timed "index, unchanged (the watch's re-index)" fs index
timed "one watch run: sync --min-age 1m, unchanged" fs sync --noprompt --min-age 1m
grep -E '^  ' "$WORK/err" | sed 's/^/    /' || true

# The watch itself, for FOR seconds; its CPU time read from /proc just before SIGTERM.
log=$WORK/watch.log
HOME=$HOME_DIR FLICKRSYNC_FLICKR_URL=$EMU_URL FLICKRSYNC_PACING=off \
	"$BIN/flickrsync" -c "$CFG" -v sync --watch="$EVERY" >"$WORK/watch.out" 2>"$log" &
WATCH_PID=$!
sleep "$FOR"
ticks=$(awk '{print $14 + $15}' "/proc/$WATCH_PID/stat")
kill -TERM "$WATCH_PID"
status=0
wait "$WATCH_PID" || status=$?
WATCH_PID=""
runs=$(grep -c 'watch: run [0-9]* done' "$log" || true)
echo "sync --watch=$EVERY for $FOR s: $runs runs done, exit status $status (143: SIGTERM, a clean stop)"
awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" -v n="$runs" -v r="$REF" 'BEGIN {
	c = t / hz
	printf "  cpu %.2f s in all, %.2f s per run (start-up included): %.1fx the reference'"'"'s wall time\n", c, (n > 0 ? c / n : 0), (n > 0 ? c / n / r : 0) }'
grep -E 'exit status|watching' "$log" | head -5 | sed 's/^/  /' || true

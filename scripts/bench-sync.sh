#!/usr/bin/env bash
# bench-sync.sh: measures flickrsync's sync against the standalone emulator (not part of CI).
#
#   scripts/bench-sync.sh [-n 300] [-big 10000] [-transfers N] [-keep]
#
# 1. 300 real pictures (the shared corpus' JPEG/PNG/GIF files with a valid signature, else
#    generated ones), emulator with 100 ms latency per call and a 10 MB/s transfer cap:
#    wall time of the first sync against the bound (total bytes / 10 MB/s), and the API
#    calls per uploaded picture by method (counted from the client's --debug lines: the
#    standalone emulator has no way to report its call counters).
# 2. a 10,000-picture library of distinct small generated JPEGs: a first sync with no
#    latency, then a no-change sync with 100 ms latency: wall time and calls.
# Goals: first sync within 1.3x of the bound; about one upload call per picture plus
# paging; the no-change sync under 5 s with a handful of calls.
set -euo pipefail

N=300
BIG=10000
TRANSFERS=""
KEEP=0
while [ $# -gt 0 ]; do
	case "$1" in
	-n) N=$2; shift 2 ;;
	-big) BIG=$2; shift 2 ;;
	-transfers) TRANSFERS=$2; shift 2 ;;
	-keep) KEEP=1; shift ;;
	*) echo "usage: $0 [-n 300] [-big 10000] [-transfers N] [-keep]" >&2; exit 2 ;;
	esac
done

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/bench-sync.XXXXXX)
BIN=$WORK/bin
KEY=0123456789abcdef0123456789abcdef
SECRET=fedcba9876543210
BW=10000000 # bytes per second: 10 MB/s
EMU_PID=""

cleanup() {
	stop_emulator
	if [ "$KEEP" = 1 ]; then
		echo "work folder kept: $WORK"
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

echo "building into $BIN"
mkdir -p "$BIN"
(cd "$ROOT" && CGO_ENABLED=0 go build -o "$BIN/flickrsync" ./cmd/flickrsync &&
	CGO_ENABLED=0 go build -o "$BIN/flickr-emulator" ./cmd/flickr-emulator &&
	CGO_ENABLED=0 go build -o "$BIN/benchsync" ./scripts/benchsync)

# start_emulator STATE_DIR FLAGS...: starts the emulator on a free port, sets EMU_URL.
start_emulator() {
	local state=$1
	shift
	mkdir -p "$state"
	"$BIN/flickr-emulator" --listen 127.0.0.1:0 --api-key $KEY --api-secret $SECRET --user bench \
		--auto-approve --state "$state" --ticket-delay 0s "$@" >"$WORK/emulator.out" 2>"$WORK/emulator.err" &
	EMU_PID=$!
	for _ in $(seq 100); do
		if grep -q '^listening on ' "$WORK/emulator.out" 2>/dev/null; then
			EMU_URL=$(sed -n 's/^listening on //p' "$WORK/emulator.out" | head -1)
			return 0
		fi
		sleep 0.05
	done
	echo "the emulator did not start:" >&2
	cat "$WORK/emulator.err" >&2
	exit 1
}

stop_emulator() {
	if [ -n "$EMU_PID" ]; then
		kill -INT "$EMU_PID" 2>/dev/null || true
		wait "$EMU_PID" 2>/dev/null || true
		EMU_PID=""
	fi
}

# profile NAME LIBRARY: writes a config, authorises it against the running emulator (the
# real OAuth flow: the auto-approving emulator redirects curl to the CLI's callback).
profile() {
	local name=$1 lib=$2
	local dir=$WORK/$name
	mkdir -p "$dir/home"
	CFG=$dir/config.ini
	cat >"$CFG" <<EOF
[DEFAULT]
api_key = $KEY
api_secret = $SECRET
username = bench
directory = $lib
database = $dir/flickrsync.db
EOF
	HOME_DIR=$dir/home
	HOME=$HOME_DIR FLICKRSYNC_FLICKR_URL=$EMU_URL DISPLAY= WAYLAND_DISPLAY= \
		"$BIN/flickrsync" -c "$CFG" auth >"$dir/auth.out" 2>"$dir/auth.err" &
	local auth=$!
	local url=""
	for _ in $(seq 200); do
		url=$(grep -o 'http://[^ ]*authorize[^ ]*' "$dir/auth.err" 2>/dev/null | head -1 || true)
		[ -n "$url" ] && break
		sleep 0.05
	done
	if [ -z "$url" ]; then
		echo "flickrsync auth printed no URL:" >&2
		cat "$dir/auth.err" >&2
		exit 1
	fi
	curl -s -L -o /dev/null "$url"
	wait "$auth"
}

# sync LOG ARGS...: runs flickrsync sync with --debug, sets SECS.
run_sync() {
	local log=$1
	shift
	local t0 t1
	t0=$(now)
	HOME=$HOME_DIR FLICKRSYNC_FLICKR_URL=$EMU_URL "$BIN/flickrsync" -c "$CFG" --debug sync --noprompt \
		${TRANSFERS:+--transfers $TRANSFERS} "$@" >"$log.out" 2>"$log" || {
		echo "sync failed (exit $?); last lines:" >&2
		tail -20 "$log" >&2
		exit 1
	}
	t1=$(now)
	SECS=$(elapsed "$t0" "$t1")
}

# steps LOG: the CLI's per-step lines ("upload 20/20 pictures (100%), 11/s, done in 1.7s").
steps() { grep -E '^[a-z][a-z ]+ [0-9/]+ [a-z]+.*done in ' "$1" | sed 's/^/  /' || true; }

uploaded() { grep -c '^flickr: upload .* attempt [0-9]*: HTTP 200' "$1" || true; }

# ---- 1. the first sync of real pictures, bandwidth-bound ----
LIB1=$WORK/lib1
mkdir -p "$LIB1"
CORPUS=${FLICKRSYNC_SHARED:-$ROOT/../shared}/corpus
if [ -f "$CORPUS/manifest.tsv" ]; then
	got=$("$BIN/benchsync" corpus -src "$CORPUS" -dir "$LIB1" -n "$N")
	SOURCE="$got corpus pictures"
	if [ "$got" -lt "$N" ]; then
		"$BIN/benchsync" gen -dir "$LIB1/generated" -n $((N - got)) -w 800 -h 600 -seed 777000
		SOURCE="$SOURCE + $((N - got)) generated 800x600"
	fi
else
	"$BIN/benchsync" gen -dir "$LIB1" -n "$N" -w 1200 -h 900 -seed 777000
	SOURCE="$N generated 1200x900 pictures (no corpus at $CORPUS)"
fi
read -r BYTES FILES < <("$BIN/benchsync" bytes "$LIB1")
start_emulator "$WORK/state1" --latency 100ms --bandwidth $BW
profile p1 "$LIB1"
run_sync "$WORK/sync1.log"
UP=$(uploaded "$WORK/sync1.log")
BOUND=$(awk -v b="$BYTES" -v bw=$BW 'BEGIN { printf "%.2f", b / bw }')
echo
echo "== first sync: $SOURCE, $FILES files, $BYTES bytes; latency 100 ms, cap 10 MB/s${TRANSFERS:+, --transfers $TRANSFERS}"
echo "wall time            ${SECS} s"
echo "bandwidth bound      ${BOUND} s (total bytes / 10 MB/s)"
echo "ratio                $(awk -v s="$SECS" -v b="$BOUND" 'BEGIN { printf "%.2fx (goal <= 1.3x)", s / b }')"
echo "pictures uploaded    $UP (the other files are local copies of the same signatures)"
read -r SENT _ < <("$BIN/benchsync" sent <"$WORK/sync1.log")
UPSECS=$(sed -n 's/^upload [0-9]*\/[0-9]* pictures.*done in \([0-9.]*\)s$/\1/p' "$WORK/sync1.log" | tail -1)
echo "upload step          ${UPSECS:-?} s for $SENT bytes sent: bound $(awk -v b="$SENT" -v bw=$BW 'BEGIN { printf "%.2f", b / bw }') s, ratio $(awk -v s="${UPSECS:-0}" -v b="$SENT" -v bw=$BW 'BEGIN { printf "%.2fx", s / (b / bw) }')"
echo "API calls (attempts) by method:"
"$BIN/benchsync" calls -uploads "$UP" <"$WORK/sync1.log"
echo "steps (the CLI's own timings):"
steps "$WORK/sync1.log"
stop_emulator

# ---- 2. 10,000 pictures: first sync without latency, then a no-change sync ----
LIB2=$WORK/lib2
mkdir -p "$LIB2"
t0=$(now)
"$BIN/benchsync" gen -dir "$LIB2" -n "$BIG" -w 64 -h 64 -seed 5000000 -per 500
t1=$(now)
read -r BYTES2 FILES2 < <("$BIN/benchsync" bytes "$LIB2")
echo
echo "== $FILES2 distinct generated pictures ($BYTES2 bytes, made in $(elapsed "$t0" "$t1") s)"
start_emulator "$WORK/state2" --latency 0s
profile p2 "$LIB2"
run_sync "$WORK/big1.log"
echo "first sync, no latency    ${SECS} s, $(uploaded "$WORK/big1.log") uploaded"
steps "$WORK/big1.log"
"$BIN/benchsync" calls <"$WORK/big1.log" | tail -1 | sed 's/^ */  calls: /'
stop_emulator
start_emulator "$WORK/state2" --latency 100ms
run_sync "$WORK/big2.log"
echo "no-change sync, 100 ms    ${SECS} s (goal < 5 s)"
steps "$WORK/big2.log"
echo "calls of the no-change sync:"
"$BIN/benchsync" calls <"$WORK/big2.log"
stop_emulator

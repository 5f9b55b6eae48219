# emulator.sh: the helpers of the benchmarks that run flickrsync against the standalone
# emulator; sourced, not run. The sourcing script sets BIN (holding flickrsync and
# flickr-emulator), WORK, KEY and SECRET, and EMU_PID="".

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
	HOME=$HOME_DIR FLICKRSYNC_FLICKR_URL=$EMU_URL FLICKRSYNC_PACING=off DISPLAY= WAYLAND_DISPLAY= \
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

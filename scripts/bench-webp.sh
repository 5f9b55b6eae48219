#!/usr/bin/env bash
# bench-webp.sh: WebP signature speed of flickrsync's decoder against ImageMagick's identify.
#
# Over the webp rows of the media corpus that have a signature (56 files: lossy, lossless,
# alpha, animated, and the 16000x9000 androidx-media__black_large.webp), on one core, it
# times
#   GOMAXPROCS=1 taskset -c 0 signwebp FILES                      (go run ./scripts/signwebp)
#   taskset -c 0 identify -format '%#\n' FILES                    (ImageMagick 6.9.11, libwebp 1.2.4)
# (best of RUNS runs each, one process for all the files on both sides; identify runs
# with a policy that lifts Debian's 128 MP area limit, as the manifest's values were made)
# and prints megapixels per second for both and the ratio ours/identify (time; lower is
# better, goal < 1), then the same for the big file alone, after checking our signatures
# against the manifest. It also reports both peak RSS on the big file (/usr/bin/time -v).
#
# Usage: scripts/bench-webp.sh [SHARED_DIR]   (default ../shared beside the repo, or
# $FLICKRSYNC_SHARED). RUNS=3 by default.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
shared=${1:-${FLICKRSYNC_SHARED:-$repo/../shared}}
media=$shared/media
runs=${RUNS:-3}
[ -f "$media/manifest.tsv" ] || { echo "no media corpus at $media" >&2; exit 1; }
for tool in identify taskset; do
	command -v "$tool" >/dev/null || { echo "$tool is missing" >&2; exit 1; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$repo" && CGO_ENABLED=0 go build -o "$tmp/signwebp" ./scripts/signwebp)
# Debian's policy refuses images over 128 MP (cache resources exhausted); the manifest's
# value for the big file was made with the limits lifted, and so is identify run here.
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

# file, megapixels (frames x the signed frame's size: an estimate for animations), expect
# of every signed webp row.
awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	$col["kind"] == "webp" && $col["expect"] != "ERROR" {
		f = $col["frames"] > 0 ? $col["frames"] : 1
		print $col["file"] "\t" $col["width"] * $col["height"] * f "\t" $col["expect"]
	}' "$media/manifest.tsv" > "$tmp/list.tsv"
mapfile -t files < <(cut -f1 "$tmp/list.tsv" | sed "s|^|$media/files/|")
[ "${#files[@]}" -gt 0 ] || { echo "no webp row in the manifest" >&2; exit 1; }
big=$media/files/androidx-media__black_large.webp
mp=$(awk -F'\t' '{ s += $2 } END { printf "%.1f", s / 1e6 }' "$tmp/list.tsv")
echo "media corpus: ${#files[@]} WebP files, about $mp MP in all; best of $runs runs, one core"

# Correctness first: our signatures must be the manifest's.
GOMAXPROCS=1 "$tmp/signwebp" "${files[@]}" > "$tmp/ours.txt"
bad=0
while IFS=$'\t' read -r f _ expect; do
	got=$(grep -F "  $media/files/$f" "$tmp/ours.txt" | cut -d' ' -f1 || true)
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
		"$@" > /dev/null 2>&1
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
report() { # label megapixels files...
	local label=$1 n=$2
	shift 2
	read -r ours_w ours_c < <(best env GOMAXPROCS=1 taskset -c 0 "$tmp/signwebp" "$@")
	read -r im_w im_c < <(best taskset -c 0 identify -format '%#\n' "$@")
	echo "$label"
	echo "                       wall time    MP/s    CPU time    MP/s"
	printf 'signwebp (ours):    %8.2f s %7.1f  %8.2f s %7.1f\n' "$ours_w" "$(calc "$n / $ours_w")" "$ours_c" "$(calc "$n / $ours_c")"
	printf 'identify -format %%#: %7.2f s %7.1f  %8.2f s %7.1f\n' "$im_w" "$(calc "$n / $im_w")" "$im_c" "$(calc "$n / $im_c")"
	printf 'ratio ours/identify (time, goal < 1): wall %.2f, CPU %.2f\n' "$(calc "$ours_w / $im_w")" "$(calc "$ours_c / $im_c")"
}
small=()
for f in "${files[@]}"; do [ "$f" = "$big" ] || small+=("$f"); done
small_mp=$(awk -F'\t' '$1 != "androidx-media__black_large.webp" { s += $2 } END { printf "%.1f", s / 1e6 }' "$tmp/list.tsv")
report "all ${#files[@]} files:" "$mp" "${files[@]}"
report "the ${#small[@]} files but the big one:" "$small_mp" "${small[@]}"
report "androidx-media__black_large.webp (16000x9000):" 144 "$big"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown) (wall times are only meaningful on an idle machine)"

if [ -x /usr/bin/time ]; then
	GOMAXPROCS=1 /usr/bin/time -v "$tmp/signwebp" "$big" > /dev/null 2> "$tmp/time.txt"
	ours=$(awk -F': ' '/Maximum resident/ { print $2 }' "$tmp/time.txt")
	/usr/bin/time -v identify -format '%#\n' "$big" > /dev/null 2> "$tmp/time.txt"
	im=$(awk -F': ' '/Maximum resident/ { print $2 }' "$tmp/time.txt")
	echo "peak RSS on the 16000x9000 file: ours $((ours / 1024)) MB, identify $((im / 1024)) MB"
else
	echo "peak RSS: skipped (/usr/bin/time missing: apt-get install time)"
fi
exit "$bad"

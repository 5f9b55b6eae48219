#!/usr/bin/env bash
# bench-import.sh: the first index of a library the Python flickrsync had indexed, with
# its signatures imported, against a fresh first index of the same library.
#
#   1. N distinct JPEGs (generated with Go's image/jpeg, 1024x768, default 1,000) in
#      folders of 100, dated an hour ago;
#   2. the Python tool's database beside the catalog path: its own CREATE statements
#      (internal/catalog/catalogtest/python_schema.sql) and one LocalPhotos row per picture
#      with ImageMagick's signature (identify -format %#: the reference the Python tool
#      used through Wand), Timestamp = now;
#   3. `flickrsync index` into a fresh catalog, then into the one beside the Python
#      database (flickrsync-go.db, which imports); the page cache is warmed first so both
#      read from memory; the ratio and the decodes of each are printed, and the two
#      catalogs' signatures compared.
#
# Usage: scripts/bench-import.sh [PICTURES]   Env: KEEP=1 keeps the temp dir, BIN=path.
set -euo pipefail

n=${1:-1000}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/flickrsync-import.XXXXXX")
if [ "${KEEP:-}" != 1 ]; then trap 'rm -rf "$work"' EXIT; fi
for tool in identify sqlite3; do
	command -v "$tool" > /dev/null || { echo "bench-import: $tool is needed" >&2; exit 2; }
done

bin=${BIN:-}
if [ -z "$bin" ]; then
	echo "building flickrsync..." >&2
	(cd "$repo" && CGO_ENABLED=0 go build -o "$work/flickrsync" ./cmd/flickrsync)
	bin=$work/flickrsync
fi

mkdir -p "$work/gen"
cat > "$work/gen/main.go" <<'GO'
package main

import (
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"strconv"
)

func main() {
	lib := os.Args[1]
	n, _ := strconv.Atoi(os.Args[2])
	img := image.NewRGBA(image.Rect(0, 0, 1024, 768))
	for i := 0; i < n; i++ {
		for y := 0; y < 768; y++ {
			for x := 0; x < 1024; x++ {
				v := uint32(x*7+y*13+i*31) ^ uint32(x*y+i)
				img.Set(x, y, color.RGBA{uint8(v), uint8(v >> 3), uint8(x + i), 255})
			}
		}
		dir := filepath.Join(lib, fmt.Sprintf("folder%02d", i/100))
		os.MkdirAll(dir, 0o755)
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("IMG_%04d.jpg", i)))
		if err != nil {
			panic(err)
		}
		if err := jpeg.Encode(f, img, &jpeg.Options{Quality: 90}); err != nil {
			panic(err)
		}
		f.Close()
	}
}
GO
lib=$work/Pictures
echo "generating $n pictures..." >&2
(cd "$repo" && go run "$work/gen/main.go" "$lib" "$n")
find "$lib" -type f -exec touch -d '1 hour ago' {} +

echo "signing them with ImageMagick (the Python tool's signatures)..." >&2
py=$work/py/flickrsync.db
mkdir -p "$work/py" "$work/fresh"
sqlite3 "$py" < "$repo/internal/catalog/catalogtest/python_schema.sql"
now=$(date +%s)
find "$lib" -type f -name '*.jpg' -print0 | xargs -0 identify -format '%d|%f|%#\n' > "$work/sigs.txt"
sqlite3 "$py" <<SQL
CREATE TEMP TABLE s (d TEXT, f TEXT, sig TEXT);
.mode list
.separator |
.import $work/sigs.txt s
INSERT INTO LocalPhotos (Directory, FileName, Signature, Timestamp, ShortName)
	SELECT d, f, sig, $now, lower(f) FROM s;
SQL
rows=$(sqlite3 "$py" 'SELECT count(*) FROM LocalPhotos')

cat "$lib"/*/* > /dev/null # both runs read from the page cache
TIMEFORMAT='%R %U %S'
run() { # run LABEL DB: times one first index, prints wall and CPU, and the decodes
	local label=$1 db=$2 t
	t=$( { time "$bin" -l "$lib" -d "$db" index --json > "$work/$label.json" 2> "$work/$label.err"; } 2>&1 ) || true
	t=$(echo "$t" | tail -1)
	echo "$t" > "$work/$label.time"
	printf '%-26s %7.2f s wall %7.2f s cpu   %s %s\n' "$label" "$(echo "$t" | awk '{print $1}')" \
		"$(echo "$t" | awk '{print $2 + $3}')" \
		"$(tr -d ' \n' < "$work/$label.json" | grep -o '"new":[0-9]*' || true)" \
		"$(tr -d ' \n' < "$work/$label.json" | grep -o '"decoded":[0-9]*\|"import":{[^}]*}' | tr '\n' ' ' || true)"
}
echo "cores: $(nproc 2>/dev/null || echo ?), load average: $(cut -d" " -f1-3 /proc/loadavg 2>/dev/null || echo ?), python rows: $rows"
run fresh "$work/fresh/flickrsync.db"
run imported "$py"
awk '{print $1}' "$work/fresh.time" "$work/imported.time" | paste -sd' ' |
	awk '{printf "imported / fresh: %.3f of the time (%.1fx faster)\n", $2 / $1, $1 / $2}'

# The two catalogs agree on every picture's signature and date.
q='SELECT dir, name, signature, date_taken FROM local_pictures ORDER BY dir, name'
if [ "$(sqlite3 "$work/fresh/flickrsync.db" "$q" | md5sum)" = "$(sqlite3 "$work/py/flickrsync-go.db" "$q" | md5sum)" ]; then
	echo "signatures and dates: identical in both catalogs"
else
	echo "signatures or dates DIFFER between the catalogs" >&2
	exit 1
fi

#!/usr/bin/env bash
# bench-index.sh: measures `flickrsync index` with the real binary.
#
#   1. a tree of 100,000 picture files (hard links to a few real JPEGs: from the corpus when
#      ../shared/corpus is there, else generated with Go's image/jpeg) in 1,000 folders:
#      first index (identical bytes are decoded once), goal <= 10 s on 2 cores;
#   2. re-index of the unchanged tree (size+mtime of every file), goal <= 0.7 s;
#   3. a folder of 1,000 pictures moved, then re-index: decodes none of
#      them, the summary says moved: 1000;
#   4. pictures/s of first-indexing the corpus (distinct pictures).
#
# Usage: scripts/bench-index.sh [FILES [FOLDERS]]   (defaults 100000 1000)
# Env: FLICKRSYNC_SHARED (default: ../shared beside the repo), KEEP=1 keeps the temp dir,
# BIN=path uses that flickrsync binary instead of building one, CORPUS=0 skips step 4.
set -euo pipefail

files=${1:-100000}
folders=${2:-1000}
repo=$(cd "$(dirname "$0")/.." && pwd)
shared=${FLICKRSYNC_SHARED:-$repo/../shared}
work=$(mktemp -d "${TMPDIR:-/tmp}/flickrsync-bench.XXXXXX")
if [ "${KEEP:-}" != 1 ]; then trap 'rm -rf "$work"' EXIT; fi

bin=${BIN:-}
if [ -z "$bin" ]; then
	echo "building flickrsync..." >&2
	(cd "$repo" && CGO_ENABLED=0 go build -o "$work/flickrsync" ./cmd/flickrsync)
	bin=$work/flickrsync
fi

# The tree generator: Go, so that 100,000 hard links take a second, not minutes.
mkdir -p "$work/gen"
cat > "$work/gen/main.go" <<'GO'
package main

import (
	"bufio"
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

func main() {
	lib, shared := os.Args[1], os.Args[2]
	files, _ := strconv.Atoi(os.Args[3])
	folders, _ := strconv.Atoi(os.Args[4])
	src := filepath.Join(filepath.Dir(lib), "sources")
	os.MkdirAll(src, 0o755)
	var sources []string
	// A few real JPEGs of the corpus: decodable ones of usual sizes.
	if f, err := os.Open(filepath.Join(shared, "corpus", "manifest.tsv")); err == nil {
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() && len(sources) < 8 {
			c := strings.Split(sc.Text(), "\t")
			if len(c) < 6 || c[4] != "JPEG" || c[2] == "ERROR" || !strings.HasPrefix(c[1], "jpeg-4") {
				continue
			}
			size, _ := strconv.Atoi(c[3])
			if size < 20000 || size > 200000 {
				continue
			}
			dst := filepath.Join(src, fmt.Sprintf("s%d.jpg", len(sources)))
			b, err := os.ReadFile(filepath.Join(shared, "corpus", "files", c[0]))
			if err != nil {
				continue
			}
			os.WriteFile(dst, b, 0o644)
			sources = append(sources, dst)
		}
		f.Close()
	}
	for len(sources) < 4 { // no corpus: generate
		img := image.NewRGBA(image.Rect(0, 0, 640, 480))
		for y := 0; y < 480; y++ {
			for x := 0; x < 640; x++ {
				img.Set(x, y, color.RGBA{uint8(x * (len(sources) + 1)), uint8(y), uint8(x ^ y), 255})
			}
		}
		var b bytes.Buffer
		jpeg.Encode(&b, img, &jpeg.Options{Quality: 85})
		dst := filepath.Join(src, fmt.Sprintf("g%d.jpg", len(sources)))
		os.WriteFile(dst, b.Bytes(), 0o644)
		sources = append(sources, dst)
	}
	per := files / folders
	for d := 0; d < folders; d++ {
		// Groups of 10 folders: a group holds 1,000 pictures (with the default sizes).
		dir := filepath.Join(lib, fmt.Sprintf("group%03d", d/10), fmt.Sprintf("folder%04d", d))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			panic(err)
		}
		for i := 0; i < per; i++ {
			s := sources[(d*per+i)%len(sources)]
			if err := os.Link(s, filepath.Join(dir, fmt.Sprintf("IMG_%05d.jpg", i))); err != nil {
				panic(err)
			}
		}
	}
	fmt.Fprintf(os.Stderr, "%d files in %d folders, hard links to %d JPEGs\n", per*folders, folders, len(sources))
}
GO
lib=$work/lib
(cd "$repo" && go run "$work/gen/main.go" "$lib" "$shared" "$files" "$folders")
db=$work/cat/flickrsync.db

# run LABEL: times one index (wall, and CPU = user+sys: the machine may be shared), prints
# its summary line.
TIMEFORMAT='%R %U %S'
run() {
	local label=$1 t
	t=$( { time "$bin" -l "$lib" -d "$db" index --json > "$work/out.json" 2> "$work/err.txt"; } 2>&1 ) || true
	t=$(echo "$t" | tail -1)
	printf '%-36s %7.2f s wall %7.2f s cpu   %s\n' "$label" "$(echo "$t" | awk '{print $1}')" \
		"$(echo "$t" | awk '{print $2 + $3}')" \
		"$(tr -d ' \n' < "$work/out.json" | grep -o '"seen":[0-9]*,"new":[0-9]*,"changed":[0-9]*,"moved":[0-9]*,"copies":[0-9]*,"unchanged":[0-9]*,"came_back":[0-9]*,"deleted":[0-9]*,"decoded":[0-9]*')"
}

echo "cores: $(nproc 2>/dev/null || echo ?), load average: $(cut -d" " -f1-3 /proc/loadavg 2>/dev/null || echo ?)"
run "first index ($files files)"
run "re-index, unchanged"
moved=$(find "$lib/group000" -type f | wc -l)
mv "$lib/group000" "$lib/moved-group"
run "re-index after moving $moved pictures"

if [ "${CORPUS:-1}" = 1 ] && [ -d "$shared/corpus/files" ]; then
	corpus=$work/corpus
	mkdir -p "$corpus"
	cp "$shared"/corpus/files/* "$corpus"/
	n=$(ls "$corpus" | wc -l)
	t=$( { time "$bin" -l "$corpus" -d "$work/corpus.db" index --json > "$work/corpus.json" 2> "$work/corpus.err"; } 2>&1 ) || true
	t=$(echo "$t" | tail -1)
	decoded=$(tr -d ' \n' < "$work/corpus.json" | grep -o '"decoded":[0-9]*' | cut -d: -f2)
	echo "$t" | awk -v n="$n" -v d="$decoded" '{printf "corpus first index: %d files, %d decoded in %.2f s wall, %.2f s cpu = %.1f pictures/s\n", n, d, $1, $2 + $3, d / $1}'
fi

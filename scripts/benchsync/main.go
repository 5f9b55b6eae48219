// Command benchsync is the helper of scripts/bench-sync.sh (not part of flickrsync):
//
//	benchsync gen -dir DIR -n N [-w 64 -h 64 -seed 1 -per 500]
//	    writes N pictures with distinct pixels (so N distinct signatures), -per to a folder
//	benchsync corpus -src CORPUS -dir DIR -n N [-max-pixels 30000000]
//	    copies the first N JPEG/PNG/GIF files of the shared corpus whose expected signature
//	    is not ERROR
//	benchsync calls [-uploads N] < DEBUG_LOG
//	    counts the API calls (attempts) by method in flickrsync --debug output
//	benchsync bytes DIR
//	    prints the total size of the picture files under DIR
//	benchsync sent < DEBUG_LOG
//	    prints the bytes of the uploads Flickr accepted (HTTP 200) and their count
//	benchsync link -src DIR -dir LIB -n N [-per 100]
//	    fills LIB with N hard links to the files of DIR, in turn, -per to a folder
//	    (a large library made in seconds; its pictures are the few of DIR)
//	benchsync delete -state DIR -user NAME [-n 1]
//	    deletes the account's n oldest photos from a stopped emulator's state, as the
//	    member would on Flickr's site, and prints their titles
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/flickrsync/flickrsync/internal/flickr/emulator"
	"github.com/flickrsync/flickrsync/internal/syncer/sample"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: benchsync gen|corpus|calls|bytes ...")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "gen":
		err = gen(os.Args[2:])
	case "link":
		err = link(os.Args[2:])
	case "corpus":
		err = corpus(os.Args[2:])
	case "calls":
		err = calls(os.Args[2:], os.Stdin, os.Stdout)
	case "bytes":
		err = bytesOf(os.Args[2:])
	case "sent":
		err = sent(os.Stdin, os.Stdout)
	case "delete":
		err = deletePhotos(os.Args[2:])
	default:
		err = fmt.Errorf("unknown subcommand %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "benchsync: %v\n", err)
		os.Exit(1)
	}
}

func gen(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	dir := fs.String("dir", "", "library folder to fill")
	n := fs.Int("n", 100, "number of pictures")
	w := fs.Int("w", 64, "width")
	h := fs.Int("h", 64, "height")
	seed := fs.Int64("seed", 1, "first seed")
	per := fs.Int("per", 500, "pictures per folder")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" || *n <= 0 || *per <= 0 {
		return errors.New("gen: -dir, -n > 0 and -per > 0 are needed")
	}
	jobs := make(chan int)
	errs := make(chan error, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for k := 0; k < runtime.GOMAXPROCS(0); k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				b, err := sample.Picture{Seed: *seed + int64(i), W: *w, H: *h}.Bytes()
				if err == nil {
					p := filepath.Join(*dir, fmt.Sprintf("folder%03d", i / *per), fmt.Sprintf("pic%06d.jpg", i))
					if err = os.MkdirAll(filepath.Dir(p), 0o755); err == nil {
						err = os.WriteFile(p, b, 0o644)
					}
				}
				if err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		}()
	}
	for i := 0; i < *n; i++ {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
		return nil
	}
}

func link(args []string) error {
	flags := flag.NewFlagSet("link", flag.ContinueOnError)
	src := flags.String("src", "", "folder of the files to link to")
	dir := flags.String("dir", "", "library folder to fill")
	n := flags.Int("n", 100000, "number of links")
	per := flags.Int("per", 100, "links per folder")
	if err := flags.Parse(args); err != nil {
		return err
	}
	var sources []string
	err := filepath.WalkDir(*src, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			sources = append(sources, p)
		}
		return err
	})
	if err != nil || len(sources) == 0 || *dir == "" || *n <= 0 || *per <= 0 {
		return fmt.Errorf("link: -src with files, -dir, -n > 0 and -per > 0 are needed (%v)", err)
	}
	for i := 0; i < *n; i++ {
		folder := filepath.Join(*dir, fmt.Sprintf("folder%04d", i / *per))
		if i%*per == 0 {
			if err := os.MkdirAll(folder, 0o755); err != nil {
				return err
			}
		}
		if err := os.Link(sources[i%len(sources)], filepath.Join(folder, fmt.Sprintf("IMG_%06d.jpg", i))); err != nil {
			return err
		}
	}
	return nil
}

func corpus(args []string) error {
	fs := flag.NewFlagSet("corpus", flag.ContinueOnError)
	src := fs.String("src", "", "the shared corpus folder (holding manifest.tsv and files/)")
	dir := fs.String("dir", "", "library folder to fill")
	n := fs.Int("n", 300, "number of pictures")
	maxPixels := fs.Int64("max-pixels", 30_000_000, "leave out larger pictures")
	if err := fs.Parse(args); err != nil {
		return err
	}
	b, err := os.ReadFile(filepath.Join(*src, "manifest.tsv"))
	if err != nil {
		return err
	}
	rows := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(rows) < 2 {
		return errors.New("corpus: empty manifest")
	}
	col := map[string]int{}
	for i, name := range strings.Split(rows[0], "\t") {
		col[name] = i
	}
	for _, c := range []string{"file", "expect", "format", "width", "height"} {
		if _, ok := col[c]; !ok {
			return fmt.Errorf("corpus: manifest has no %s column", c)
		}
	}
	copied := 0
	for _, row := range rows[1:] {
		if copied == *n {
			break
		}
		f := strings.Split(row, "\t")
		if len(f) < len(col) {
			continue
		}
		name, expect, format := f[col["file"]], f[col["expect"]], strings.ToUpper(f[col["format"]])
		w, _ := strconv.ParseInt(f[col["width"]], 10, 64)
		h, _ := strconv.ParseInt(f[col["height"]], 10, 64)
		ext := strings.ToLower(filepath.Ext(name))
		if expect == "ERROR" || expect == "" || w*h > *maxPixels ||
			(format != "JPEG" && format != "JPG" && format != "PNG" && format != "GIF") ||
			(ext != ".jpg" && ext != ".jpeg" && ext != ".png" && ext != ".gif") {
			continue
		}
		dst := filepath.Join(*dir, strings.SplitN(name, "__", 2)[0], name)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := copyFile(filepath.Join(*src, "files", name), dst); err != nil {
			return err
		}
		copied++
	}
	fmt.Println(copied)
	return nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// The client's --debug lines, one per attempt: "<method> <params> attempt N: ...",
// "upload <file> attempt N: ...", "download <file> attempt N: ...".
var attemptLine = regexp.MustCompile(`^(?:flickr: )?(flickr\.[A-Za-z.]+|upload|replace|download) .*attempt (\d+): `)

func calls(args []string, in io.Reader, out io.Writer) error {
	fs := flag.NewFlagSet("calls", flag.ContinueOnError)
	uploads := fs.Int("uploads", 0, "pictures uploaded, to print calls per picture")
	if err := fs.Parse(args); err != nil {
		return err
	}
	count := map[string]int{}
	retries := 0
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		m := attemptLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		count[m[1]]++
		if m[2] != "1" {
			retries++
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	var names []string
	total := 0
	for k, v := range count {
		names = append(names, k)
		total += v
	}
	sort.Strings(names)
	for _, k := range names {
		if *uploads > 0 {
			fmt.Fprintf(out, "  %-34s %6d  %6.3f per uploaded picture\n", k, count[k], float64(count[k])/float64(*uploads))
		} else {
			fmt.Fprintf(out, "  %-34s %6d\n", k, count[k])
		}
	}
	if *uploads > 0 {
		fmt.Fprintf(out, "  %-34s %6d  %6.3f per uploaded picture (%d retries)\n", "total", total, float64(total)/float64(*uploads), retries)
	} else {
		fmt.Fprintf(out, "  %-34s %6d (%d retries)\n", "total", total, retries)
	}
	return nil
}

func bytesOf(args []string) error {
	if len(args) != 1 {
		return errors.New("bytes DIR")
	}
	var total, n int64
	err := filepath.WalkDir(args[0], func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".jpg", ".jpeg", ".png", ".gif":
			st, err := d.Info()
			if err != nil {
				return err
			}
			total += st.Size()
			n++
		}
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Println(total, n)
	return nil
}

var uploadSent = regexp.MustCompile(`^flickr: upload .* attempt \d+: HTTP 200 after .*, (\d+) bytes sent`)

func sent(in io.Reader, out io.Writer) error {
	var total, n int64
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if m := uploadSent.FindStringSubmatch(sc.Text()); m != nil {
			b, _ := strconv.ParseInt(m[1], 10, 64)
			total += b
			n++
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	fmt.Fprintln(out, total, n)
	return nil
}

// deletePhotos deletes photos from an emulator's state (the emulator must be stopped).
func deletePhotos(args []string) error {
	fs := flag.NewFlagSet("delete", flag.ContinueOnError)
	state := fs.String("state", "", "the emulator's state folder")
	user := fs.String("user", "", "the account's username, as the emulator was started with")
	n := fs.Int("n", 1, "how many photos")
	if err := fs.Parse(args); err != nil {
		return err
	}
	srv, err := emulator.Open(emulator.Config{StateDir: *state, Username: *user})
	if err != nil {
		return err
	}
	for i, p := range srv.Photos() {
		if i >= *n {
			break
		}
		if !srv.DeletePhoto(p.ID) {
			return fmt.Errorf("photo %s: not deleted", p.ID)
		}
		fmt.Println(p.Title)
	}
	return srv.Close()
}

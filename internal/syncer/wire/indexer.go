package wire

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/flickrsync/flickrsync/internal/catalog"
	"github.com/flickrsync/flickrsync/internal/exifdate"
	"github.com/flickrsync/flickrsync/internal/imagesig"
	"github.com/flickrsync/flickrsync/internal/syncer"
)

// indexer brings the catalog's pictures up to date with the library: new and changed
// files are hashed, signed and dated; a file whose bytes the catalog already knows (a
// move, a rename, a restored copy) reuses what was learnt of them; vanished files are
// flagged deleted. Unchanged files (same size and modification time) are not read.
type indexer struct {
	cat  *catalog.Catalog
	root string
}

var _ syncer.Indexer = (*indexer)(nil)

func newIndexer(cat *catalog.Catalog, root string) syncer.Indexer {
	return &indexer{cat: cat, root: root}
}

// pictureExt are the extensions the Python flickrsync indexed.
var pictureExt = map[string]bool{".jpg": true, ".jpeg": true, ".png": true, ".gif": true}

type found struct {
	rel     string
	size    int64
	mtimeNS int64
}

func (x *indexer) Index(ctx context.Context, progress func(done, total int)) (syncer.IndexStats, error) {
	var st syncer.IndexStats
	known := map[string]catalog.Picture{}
	byHash := map[string]catalog.Picture{}
	err := x.cat.AllPictures(ctx, func(p catalog.Picture) error {
		known[p.Path()] = p
		if p.Hash != "" && p.Error == "" {
			byHash[fmt.Sprint(p.Size, "/", p.Hash)] = p
		}
		return nil
	})
	if err != nil {
		return st, err
	}
	var files []found
	err = filepath.WalkDir(x.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == x.root {
				return err
			}
			st.Failures = append(st.Failures, syncer.FileError{File: x.rel(p), Err: err.Error()})
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") && p != x.root {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || !d.Type().IsRegular() || !pictureExt[strings.ToLower(filepath.Ext(p))] {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			st.Failures = append(st.Failures, syncer.FileError{File: x.rel(p), Err: err.Error()})
			return nil
		}
		files = append(files, found{rel: x.rel(p), size: info.Size(), mtimeNS: info.ModTime().UnixNano()})
		return nil
	})
	if err != nil {
		return st, fmt.Errorf("walk %s: %w", x.root, err)
	}
	st.Files = len(files)
	progress(0, len(files))

	var todo []found
	seen := map[string]bool{}
	done := 0
	for _, f := range files {
		seen[f.rel] = true
		if p, ok := known[f.rel]; ok && !p.Deleted && p.Size == f.size && p.MtimeNS == f.mtimeNS && p.ErrorKind != catalog.ErrorRead {
			done++
			if p.Error != "" {
				st.Failures = append(st.Failures, syncer.FileError{File: f.rel, Err: p.Error})
			}
			continue
		}
		todo = append(todo, f)
	}
	progress(done, len(files))

	results := make([]catalog.Picture, len(todo))
	work := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < max(1, runtime.NumCPU()); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				results[i] = x.read(ctx, todo[i], byHash)
			}
		}()
	}
	go func() {
		defer close(work)
		for i := range todo {
			select {
			case work <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return st, err
	}
	var ch catalog.PictureChanges
	for i, p := range results {
		if _, ok := known[todo[i].rel]; ok {
			st.Changed++
		} else {
			st.New++
		}
		if p.Error != "" {
			st.Failed++
			st.Failures = append(st.Failures, syncer.FileError{File: todo[i].rel, Err: p.Error})
		}
		ch.Put = append(ch.Put, p)
	}
	for rel, p := range known {
		if !p.Deleted && !seen[rel] {
			ch.Delete = append(ch.Delete, p.ID)
			st.Removed++
		}
	}
	now := time.Now().Unix()
	ch.Meta = map[string]string{catalog.MetaLastIndex: fmt.Sprint(now), catalog.MetaLibraryRoot: x.root}
	for len(ch.Put) > 0 || len(ch.Delete) > 0 || ch.Meta != nil {
		batch := catalog.PictureChanges{Meta: ch.Meta}
		n := min(len(ch.Put), 500)
		batch.Put, ch.Put = ch.Put[:n], ch.Put[n:]
		batch.Delete, ch.Delete = ch.Delete, nil
		ch.Meta = nil
		if err := x.cat.Apply(ctx, batch, now); err != nil {
			return st, err
		}
		done += n
		progress(done, len(files))
	}
	return st, nil
}

func (x *indexer) rel(p string) string {
	r, err := filepath.Rel(x.root, p)
	if err != nil {
		return p
	}
	return filepath.ToSlash(r)
}

// read learns what a new or changed file holds.
func (x *indexer) read(ctx context.Context, f found, byHash map[string]catalog.Picture) catalog.Picture {
	dir, name := catalog.SplitPath(f.rel)
	p := catalog.Picture{Dir: dir, Name: name, Size: f.size, MtimeNS: f.mtimeNS}
	full := filepath.Join(x.root, filepath.FromSlash(f.rel))
	hash, err := hashFile(full)
	if err != nil {
		p.Error, p.ErrorKind = err.Error(), catalog.ErrorRead
		return p
	}
	p.Hash = hash
	if same, ok := byHash[fmt.Sprint(f.size, "/", hash)]; ok && same.Signature != "" {
		p.Signature, p.Format, p.Width, p.Height, p.DateTaken = same.Signature, same.Format, same.Width, same.Height, same.DateTaken
		return p
	}
	res, err := imagesig.SignFile(ctx, full, imagesig.Options{})
	if err != nil {
		kind := catalog.ErrorDecode
		var pe *fs.PathError
		if errors.As(err, &pe) {
			kind = catalog.ErrorRead
		}
		p.Error, p.ErrorKind = err.Error(), kind
		return p
	}
	p.Signature, p.Format, p.Width, p.Height = res.Signature, string(res.Format), res.Width, res.Height
	if date, err := exifdate.FromFile(full); err == nil {
		p.DateTaken = date
	}
	return p
}

func hashFile(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

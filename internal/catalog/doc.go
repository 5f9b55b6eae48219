// Package catalog is flickrsync's local database: one SQLite file (pure Go, modernc.org/sqlite)
// holding what is known of the local library and of the Flickr account.
//
// # Opening
//
// Open(ctx, path) creates the file (and its folder) when missing, takes the process lock
// <path>.lock (an flock on Unix, a file opened without write sharing on Windows: the
// system releases it when the process ends, even killed, so no lock is ever stale; the
// file holds the owner's pid), and migrates the schema: numbered files in migrations/ are applied
// in order, one transaction each, recorded in schema_version. An older database is
// migrated, never dropped; a database from a newer flickrsync is refused with ErrTooNew.
// A second process gets a *LockedError ("database X is in use by another flickrsync (pid
// N)"), or waits for it with OpenWith(..., Options{Wait: d, OnWait: tell}). Read-only
// commands may use Options{ReadOnly: true}: no lock, no migration.
//
// The database runs in WAL mode with a busy timeout; all writes go through one connection
// and are batched in transactions with prepared statements; reads use a small pool.
//
// # Tables and their Go API
//
//   - local_pictures (Picture): one row per library-relative path ever seen: size, mtime,
//     SHA-256 content hash, pixel signature, format, size in pixels, EXIF DateTimeOriginal,
//     error text and kind, deleted flag, first and last seen. Deleted files are flagged,
//     not forgotten: their hash lets a moved or restored copy be recognised without
//     decoding. LastSeen is written when a row changes or is flagged deleted; a live row
//     was also seen by the last complete index (meta last_index), which is not rewritten
//     on every row to keep re-indexing cheap. Written by the scanner through Apply (one
//     transaction per batch, KnownFiles, ContentOf and ContentsOf to compare with the
//     disk); read with Pictures (live, by path) and Duplicates (groups sharing a
//     signature, in names.KeepOrder: the copy sync uploads first). The catalog derives
//     nothing from names or dates: matching is the sync engine's, in memory.
//   - flickr_photos (Photo): the account's photos by id, with the signature its writer
//     read from the tags (names.SignatureOf). PutPhotos upserts in batches, ReplacePhotos
//     replaces all (rebase), DeletePhotos, Photos.
//   - uploads (Upload): the exactly-once journal, one row per signature. BeginUpload
//     before any byte is sent (state uploading, attempts+1), EndUpload with done (photo
//     id) or failed (with the reason, kept until the picture is sent again); an upload
//     whose answer was lost stays uploading. PendingUploads lists the ones to check on
//     Flickr after a crash; Uploads lists the journal by state.
//   - meta: key-value (MetaLibraryRoot, MetaLastIndex, and the sync engine's own keys).
//
// Counts gives the figures of `flickrsync status`; Reset empties every table (`delete`).
package catalog

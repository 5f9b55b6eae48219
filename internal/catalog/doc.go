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
// migrated, never dropped; a database from a newer flickrsync is refused with ErrTooNew,
// its version read on a read-only connection before anything is written (not even the
// switch to WAL). A second process gets a *LockedError ("database X is in use by another
// flickrsync (pid N)"), or waits for it with OpenWith(..., Options{Wait: d, OnWait: tell}).
//
// Read-only commands use Options{ReadOnly: true}: no lock, no migration, no write to the
// catalog (on writable media SQLite leaves the WAL's -wal and -shm files beside it, as
// for any reader of a WAL database).
// The catalog is opened mode=ro (it can be read while a sync writes it); where that fails
// (read-only media, a snapshot), a catalog closed cleanly is read with immutable=1, and
// one whose WAL still holds transactions from a private temporary copy.
//
// The path reaches SQLite as a file: URI with every byte outside the unreserved set
// percent-encoded, so '#', '?', '%', spaces and names that are not UTF-8 name that file.
//
// The Python flickrsync's database (tables LocalPhotos and FlickrPhotos), which its
// config.ini names as database, is recognised where the catalog is expected and never
// written (it is only ever opened read-only and immutable): the catalog is OwnPath
// beside it (flickrsync.db -> flickrsync-go.db; PathFor says which file a setting stands
// for), Legacy names it, and LegacyPictures reads its signatures for the first index to
// import (see package scan). A file holding LocalPhotos is the Python tool's even if an
// older flickrsync wrote its own tables into it: those are left there, unused.
//
// The database runs in WAL mode with a busy timeout; all writes go through one connection
// and are batched in transactions with prepared statements; reads use a small pool.
//
// # Tables and their Go API
//
//   - local_pictures (Picture): one row per library-relative path ever seen: size, mtime,
//     SHA-256 content hash, signature and its kind (pixels, coded data, whole file),
//     format, media (photo, video, raw), size in pixels, duration, date taken, Live Photo
//     identifier, error text and kind (a camera RAW file is ErrorRAW: not uploadable,
//     counted apart from failures), deleted flag, first and last seen. Deleted files are flagged,
//     not forgotten: their hash lets a moved or restored copy be recognised without
//     decoding. A path the ignore rules exclude now is flagged deleted and excluded
//     (PictureChanges.Exclude): out of the library, but its signature is still the
//     library's (ExcludedSignatures), so the sync neither uploads it nor downloads its
//     Flickr photo back. LastSeen is written when a row changes or is flagged deleted; a live row
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
//     id) or failed (with the reason, kept until the picture is sent again), RefuseUpload
//     when Flickr refused the bytes for good (refused, with their content hash: not sent
//     again until the file changes); an upload whose answer was lost stays uploading. PendingUploads lists the ones to check on
//     Flickr after a crash; Uploads lists the journal by state.
//   - meta: key-value (MetaLibraryRoot, MetaLastIndex, and the sync engine's own keys).
//
// Counts gives the figures of `flickrsync status`; Reset empties every table (`delete`).
package catalog

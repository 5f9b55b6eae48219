// Package scan indexes the local library into the catalog, incrementally.
//
// Every file of the library is opened with safeopen (non-blocking, regular files only).
// Run walks the library root (an FS: DirFS outside tests, FromFS over an in-memory
// fstest.MapFS in tests) with several directory readers at once, and compares every
// picture file with the catalog:
//   - same size and mtime as its row: unchanged, not opened at all;
//   - otherwise the file is hashed (SHA-256 of its bytes); bytes already known to the
//     catalog (a moved, renamed, copied or restored file, or a file merely touched) reuse
//     the signature, date and error learnt from them without decoding; new bytes are
//     decoded once by the injected Signer (ImageSigner: imagesig's identity, exifdate's
//     date taken and Live Photo identifier; Sign is the same for one file), however many
//     files of the scan hold them;
//   - a known path missing from the tree is flagged deleted (kept, so it is recognised if
//     it comes back), but only after the whole tree was read: an interrupted scan, or a
//     directory that could not be listed, deletes nothing under it;
//   - a new path whose bytes were at a path flagged deleted by this scan is counted as
//     moved, else as a copy.
//
// Rules, decided here and documented for users:
//   - Media files are chosen by name (names.IsMediaName: the extensions of pictures, videos
//     and camera RAW files, in any case); what a file is comes from its bytes (imagesig).
//     Other files are counted as ignored, by extension (Summary.IgnoredByExt), never
//     opened (sniffing every sidecar would cost a read each). A media-named file whose
//     bytes are no format flickrsync reads is recorded as failed with the reason; a camera
//     RAW file is recorded as not uploadable (catalog.ErrorRAW, Summary.RAW), not as a
//     failure.
//   - Symbolic links are followed, to files and to folders alike, wherever they lead:
//     a library on a NAS may gather folders or pictures from elsewhere with them, or
//     build albums of links. A picture reached by two paths is a copy (decoded once,
//     uploaded once). A link to a folder that contains it (a folder above it on the
//     disk: the library's own folders, the ones above the library, "/") is a loop: not
//     followed, listed in Summary.Skipped. A link that cannot be resolved (broken, or a
//     loop of links) is a failure with its reason. Config.NoFollowSymlinks (config
//     follow_symlinks = no) skips every link instead, as rclone does without -L.
//   - Names that are not UTF-8 are kept byte for byte.
//   - A file whose size or mtime changes while it is hashed is read once more, then
//     reported as "changed while reading". Files that could not be read, and decodes
//     stopped by something other than the bytes (a decoder bug, reported as "internal
//     decoder error"; the memory budget), are retried by every scan; files the decoder
//     refused only when their size or mtime changes, or when Config.RetryFailed asks
//     (`flickrsync index --retry-failed`, after a decoder fix).
//   - Decodes share one memory budget (Config.Budget, by default the process's
//     imagesig.DefaultMemoryBudget): a worker waits for room, and a picture that needs more
//     than the whole budget fails alone, retried by the next scan.
//
// Ignore rules (package ignore: gitignore's syntax): the .flickrsyncignore file of each
// folder, read before anything else in it, applies to it and below; Config.Exclude (the
// config's exclude key, --exclude, --exclude-from) wins over them; the defaults (hidden
// files and folders, @eaDir, #recycle, .thumbnails, Thumbs.db, .DS_Store, ._*) lose to
// them, and Config.NoDefaultExcludes switches them off. An excluded path is never looked
// at beyond the directory entry that names it (no stat, no open, an excluded folder is
// not descended); Summary.Excluded counts them (by rule in ExcludedBy), and
// Config.Excluded is told each one with its rule (for --debug). A folder whose ignore file
// cannot be read is not indexed, as an unreadable folder.
//
// A catalog row whose path the rules exclude now is not flagged deleted but excluded
// (deleted and excluded in the catalog, Summary.NowExcluded): out of the library, so the
// sync neither uploads it nor puts it in a photoset (only live rows count, nothing to
// ask of the engine), yet its signature is still the library's
// (catalog.ExcludedSignatures: what sync2 must not download back, the engine's part);
// and, as every photo, it is never deleted from Flickr. The rule going away, the file is
// back (came back, not decoded again); gone meanwhile, a plain deletion.
//
// Switching from the Python flickrsync: when the catalog was opened in place of the
// Python tool's database (catalog.Legacy) and has never completed an index, its
// signatures (LocalPhotos rows not deleted, not failed) stand for a decode of the files
// still at their path whose mtime is older than the row's Timestamp (when the Python
// tool read them): such a file is hashed (a SHA-256 of its bytes, as every new file),
// its format sniffed and its EXIF date read, its pixels not decoded; its size in pixels
// stays unknown. First, ImportSample of them, spread over the library, are decoded here:
// one signature that differs from ours, or that our decoder refuses, imports nothing
// (Summary.Import.Refused says which file), and every file is decoded.
//
// With Config.Deliver (the sync, to upload while it indexes), the files to read are read
// in the caller's Config.Order (the sync's: the order in which it picks the copy of a
// picture it uploads), and each is handed over once all before it are done.
//
// The catalog remembers its library's root (catalog.MetaLibraryRoot): the root of the
// last complete scan, unless that root is inside the one recorded or holds it (a scan of
// -l LIB/2019): then the recorded root stays, and Summary.CatalogRoot names it, so that
// the sync leaves the photosets of the whole library alone. Excluded decides one path as
// a scan would, for the sync's downloads.
//
// An empty library is not every picture deleted: CheckNotEmpty, which the callers ask
// before a scan (index; the sync engine before anything, through its Indexer), refuses a
// tree with no media file the scan would read (after the ignore rules) while the catalog
// knows pictures (its live rows, whatever root it recorded, since its paths are relative
// to the root scanned; before the first index, a Python database's under the root): a
// disk not mounted, or a wrong folder. It walks as Run does and stops at the first media
// file. Run refuses the same once its walk found no media file, before it flags anything
// (the disk may go meanwhile). Pictures under a folder that could not be listed do not
// count (the scan leaves them alone); a catalog that knows no other picture lets an
// empty library through (a first run); Config.AllowEmptyLibrary lets everything through.
//
// Files are read by a pool of Workers (one per CPU) with bounded queues; results go to the
// catalog's single writer in transactions of BatchSize rows. A cancelled context keeps
// every result already computed; a killed process loses at most one batch plus the few
// files in flight (TestScanKilled): the next scan redoes only those. Progress is
// reported through Config.Progress; the package never prints.
package scan

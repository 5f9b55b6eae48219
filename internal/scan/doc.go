// Package scan indexes the local library into the catalog, incrementally.
//
// Run walks the library root (an FS: DirFS outside tests, FromFS over an in-memory
// fstest.MapFS in tests) with several directory readers at once, and compares every
// picture file with the catalog:
//   - same size and mtime as its row: unchanged, not opened at all;
//   - otherwise the file is hashed (SHA-256 of its bytes); bytes already known to the
//     catalog (a moved, renamed, copied or restored file, or a file merely touched) reuse
//     the signature, date and error learnt from them without decoding; new bytes are
//     decoded once by the injected Signer (ImageSigner: imagesig + exifdate), however many
//     files of the scan hold them;
//   - a known path missing from the tree is flagged deleted (kept, so it is recognised if
//     it comes back), but only after the whole tree was read: an interrupted scan, or a
//     directory that could not be listed, deletes nothing under it;
//   - a new path whose bytes were at a path flagged deleted by this scan is counted as
//     moved, else as a copy.
//
// Rules, decided here and documented for users:
//   - Picture files are chosen by name, as the Python flickrsync did: extensions jpg, jpeg,
//     png, gif in any case. Other files are counted as ignored, never opened (sniffing
//     every sidecar and RAW file would cost a read each). A picture-named file whose bytes
//     are not a picture is recorded as failed with the decoder's reason.
//   - Symbolic links to files are indexed under the link's path; symbolic links to
//     directories are not followed (as the Python tool's os.walk) and are listed in
//     Summary.Skipped: there are no loops. A link that cannot be resolved (broken, or a
//     loop of links) is a failure with its reason.
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
// With Config.Deliver (the sync, to upload while it indexes), the files to read are read
// in the caller's Config.Order (the sync's: the order in which it picks the copy of a
// picture it uploads), and each is handed over once all before it are done.
//
// Files are read by a pool of Workers (one per CPU) with bounded queues; results go to the
// catalog's single writer in transactions of BatchSize rows. A cancelled context keeps
// every result already computed; a killed process loses at most one batch plus the few
// files in flight (TestScanKilled): the next scan redoes only those. Progress is
// reported through Config.Progress; the package never prints.
package scan

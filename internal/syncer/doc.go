// Package syncer is flickrsync's sync engine: it matches the pictures of the local library
// with the photos of the Flickr account, plans what must happen (downloads, signature tags,
// uploads, photosets) and carries the plan out, N transfers at a time, reporting every file
// through an event journal.
//
// It owns the rules the Python flickrsync defined:
//   - a local picture and a Flickr photo match by the signature machine tag
//     (flickrsync:signature=<hex>), by short name and flat date taken, or by the Flickr id and
//     original secret in the name of a file flickrsync downloaded
//     (flickrsync_<id>_<originalsecret>_<title>.<ext>);
//   - local copies of one picture (same signature) are uploaded once;
//   - nothing is ever deleted, locally or on Flickr, except photosets flickrsync created
//     itself (description "[created by flickrsync]") that no folder uses any more;
//   - downloads never overwrite a file, and names built from Flickr titles are sanitised
//     so that they always land inside the library.
//
// Exactly-once uploads: an upload is recorded in the store's journal before it starts
// (Store.BeginUpload) and confirmed after (Store.EndUpload). A run that finds an upload
// begun but never confirmed (a crash, kill -9, or flickr's lost answer) first searches Flickr
// for the picture by its signature tag, and only re-uploads it when Flickr does not have it.
//
// The engine never prints: it asks questions through Options.Confirm, reports progress
// through a Reporter and returns a Report (per step: done, skipped, failed with reasons).
// The outside world comes in through small interfaces defined here: Flickr (the client),
// Store (the catalog) and Indexer (the local scanner); package syncer/wire adapts the real
// ones.
package syncer

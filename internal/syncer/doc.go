// Package syncer is flickrsync's sync engine: it matches the pictures of the local library
// with the photos of the Flickr account, plans what must happen (downloads, signature tags,
// uploads, photosets) and carries the plan out, N transfers at a time, reporting every file
// through an event journal.
//
// It owns the rules the Python flickrsync defined (the names they rest on, the signature
// tag, download names and the keep order, are internal/names'):
//   - a local picture and a Flickr photo match by the signature machine tag
//     (flickrsync:signature=<hex>), by short name and flat date taken, or by the Flickr id and
//     original secret in the name of a file flickrsync downloaded
//     (flickrsync_<id>_<originalsecret>_<title>.<ext>);
//   - local copies of one picture (same signature) are uploaded once: the copy with the
//     shortest path, then the smallest path bytewise (names.KeepOrder);
//   - nothing is ever deleted, locally or on Flickr, except photosets flickrsync created
//     itself (description "[created by flickrsync]") that no folder uses any more and
//     whose every picture the run sees in other folders, downloads aside, or knows
//     excluded by the ignore rules (albums.go);
//   - downloads never overwrite a file (a clash gets "name (2).ext") and names built from
//     Flickr titles are sanitised (names.SanitizeName) so that they always land inside the
//     library.
//
// A sync plans once and applies in steps (sync.go). It reads the catalog once, into the
// run's state: its pictures, then the library's index (the Indexer hands over the
// pictures it read and the paths it found gone), the account's listing (incrementally:
// photos uploaded since the watermark, the newest upload date a complete listing saw, and
// photos.recentlyUpdated since the last index began, on Flickr's clock) and the photos the
// catalog knew, and the journal's uploads left unsettled. The listing's first page gives
// the account's count: when it differs from the catalog's, when the last full listing is
// a week old (Options.FullListingAfter) or asked for (Options.FullListing), the account is
// listed in full and the photos deleted on Flickr are forgotten, so that their pictures go
// up again (deletions.go). MakePlan, a pure function of the matching (Match) and of what
// the run knows besides (Known: the catalog's memory of earlier runs and what this run
// learnt), gives the Plan; then, in order: identify the untagged photos nothing matches
// by downloading and signing their originals (identify.go: kept only when the library
// lacks the picture and the command brings pictures home), tag the photos matched or
// identified without their signature tag, upload the unmatched pictures, then (sync2)
// download the photos missing locally (and index them) or (sync --identifymissing) put
// them in a new set, and finally the photosets, repaired as Flickr's members changed them
// (albums.go). Each step returns what it changed (files indexed, photos created, tagged,
// forgotten, identified, uploads sent, photos tried); the state takes it in and the next
// part of the plan is computed from the state, never by reading the catalog again.
//
// Before anything, a sync (and the photosets command) asks the Indexer whether its library
// may be indexed at all (EmptyChecker): a library with no file while the store knows
// pictures is a disk not mounted, not every picture deleted.
//
// Without questions to ask (Options.Confirm nil), the account is indexed first and the
// new pictures are uploaded while the library is indexed, when the plan's own rule
// (Known.verdict) says so and no picture read later can change it (early.go tells the
// conditions): the copy sent is the one the plan would send, and what remains goes
// through the steps above.
//
// Exactly-once uploads: an upload is recorded in the store's journal before it starts
// (Store.BeginUpload) and settled after (Store.EndUpload). A lost answer
// (ErrUploadAmbiguous) is followed at once by a search for the signature tag; an upload
// still unsettled at the next run (a crash, kill -9, a lost answer Flickr had not indexed
// yet) is searched for right after the account's listing, before anything is uploaded.
// The incremental listing also finds such a photo by its tag. Not found, it is held back for a grace period
// (DefaultUploadGrace, Options.UploadGrace) from its start, since the last request of a
// killed process may still be processed by Flickr after it died; then it is sent again.
// Uploads also wait while an untagged Flickr photo could not be downloaded to be
// identified (it may be one of the pictures under another name), for MaxIdentifyFailures
// runs at most. A picture is sent at most once per run, and a photo downloaded to be
// identified is tried once per run (not again by sync2's download).
//
// Transfers: a download goes through the Flickr client's temporary file beside its
// destination (.flickrsync-<16 hex>.part, names.IsPartName), renamed into place only when whole;
// the first download step of a run removes such files a killed run left (exactly that
// pattern, only in the root and flickrsync/, only older than the run). A download lands
// only inside the library (a download folder that is a symbolic link leading out is
// refused) and where the ignore rules let the next index see it (landing.go). An upload sends
// the bytes the catalog indexed or nothing: before every attempt the file's size and mtime
// must be the indexed ones, and the bytes streamed are hashed (SHA-256, the catalog's
// content hash); a difference stops the request before its end, so Flickr creates no
// photo under the old signature: the file fails "changed" (ErrChanged), the journal
// records the upload failed, and the next run indexes the new bytes and uploads them.
//
// Photosets cost few calls: the store remembers the photos of each of its sets and the
// date_update Flickr gave it then (meta key sync.photosets); a set whose count, primary,
// remembered photos and date_update are the wanted ones gets no call. A no-change sync makes three calls: people.getPhotos,
// photos.recentlyUpdated and photosets.getList (more pages when photos changed in the
// second or two before the previous run's last listing). The sets' calls run Options.Transfers
// sets at a time.
//
// Differences from the Python tool, on purpose: the copy uploaded is the catalog's
// representative (the Python tool took the oldest date taken); matching by name and date only considers
// photos without a signature tag (a tagged photo of the same name and date is another
// picture, e.g. an edit, and is not taken for a backup of it); --nodatematch turns that
// rule off everywhere; a set's name has no leading space; the --identifymissing set has
// its own description so that the photosets step never deletes it; videos are synced
// (see below); no set is deleted when no folder wants any (an empty or unmounted library),
// nor one holding a picture the run does not see (a folder deleted here, another
// computer's library), nor any from a library nested in the catalog's, from which sync2
// downloads nothing either (what it does not see may be elsewhere); a photo deleted on
// Flickr (ErrGone, or missing from a full listing) is forgotten instead of failing at every
// run; sync keeps no download of a photo it identified (sync2 does when the library lacks
// the picture).
//
// Verify (verify.go) compares the whole account with the library as last indexed,
// reading only.
//
// Media (media.go): a local picture or photo is a photo or a video (Local.Media,
// Remote.Media); matching by name and date pairs a video with a video only. A video goes up
// like a photo, then gets its date taken (photos.setDates: Flickr reads none from video
// files); sync2 and the identify step fetch a video's original from getSizes' Video
// Original, or skip it with why (only a Pro owner is offered one). The plan holds back
// (Plan.NotSent, reported once a run, never retried in a loop) a picture over the
// account's limits (people.getLimits, read when the first upload is planned), one whose
// bytes Flickr refused for good before (upload errors 5 and 8, remembered with their
// content hash until the file changes), and a Live Photo's motion video (paired with its
// still by Apple's content identifier, else by name) unless Options.LiveVideos. Uploads
// made while indexing leave videos to the plan, which alone sees every still.
//
// Dry runs: the engine makes no change on Flickr and writes no file; the Store it is
// given must be a throw-away copy (package wire copies the catalog), since indexing still
// writes it. The plan's uploads are those a real run would make before it downloads the
// untagged photos to identify them, and its sets assume the uploads done.
//
// The state follows the library as the index saw it: a file a user adds or removes
// during a run (outside the engine's own downloads) is seen by the next run's index.
//
// The engine never prints: it asks questions through Options.Confirm, reports progress
// through a Reporter and returns a Report, data the command line renders: per step, every
// subject's one final event (done, skipped, failed with its reason, or in a dry run
// planned), the run's figures (the library's changes, how many pictures and files are on
// Flickr) and notes whose arguments the renderer escapes. The outside world comes in through small
// interfaces defined here: Flickr (the client), Store (the catalog) and Indexer (the local
// scanner); package syncer/wire adapts the real ones.
package syncer

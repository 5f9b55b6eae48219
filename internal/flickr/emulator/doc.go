// Package emulator is a faithful stand-in for Flickr, written from Flickr's documented and
// recorded behaviour (see the shared API and MEDIA notes), not from our client: it serves the
// REST API (XML and JSON), OAuth 1.0a, uploads and replaces, and the photo and video files
// from a single host, so tests, the demo and the standalone cmd/flickr-emulator can run
// without Flickr.
//
// It owns: the wire envelopes, OAuth signature checking (with internal/oauth1's primitives),
// accounts, Flickr's tag normalisation, paging quirks, upload tickets, its own notion of the
// media Flickr accepts (media.go: it never imports flickrsync's readers), photosets,
// deterministic fault injection, call counters and optional on-disk state. It must never
// import internal/flickr.
//
// Typical test use:
//
//	srv := emulator.New(emulator.Config{APIKey: key, APISecret: secret, Username: "me"})
//	hs := httptest.NewServer(srv.Handler())      // REST at hs.URL+"/services/rest/", etc.
//	tok, sec := srv.IssueToken("write")          // skip the browser dance
//	id, _ := srv.AddPhoto(emulator.SeedPhoto{Title: "x", Tags: `a "b c"`})
//	srv.SetFaults(emulator.FaultConfig{HTTPErrorRate: 0.2})
//	... run the client ...
//	srv.Photos(); srv.Photosets(); srv.Calls()
//
// Accounts: Config.Username/UserNSID/Free is the primary account, Config.Users adds more,
// each with its own tokens (IssueTokenFor, or the browser dance approved by the account
// LogIn chose), photos and photosets; test.login and checkToken answer the token's account.
// A free account (MEDIA.md, since 2022-05-01) holds 1,000 items, Safe content only (upload
// error 15, setSafetyLevel error 4), gets no originals (no originalsecret, url_o, Original
// size nor file; Config.FreeOriginals gives them back), cannot replace (error 1) nor see
// Video Original; Config.FreeNonPublicRefused refuses its 51st non-public item (error 6).
//
// Media, sniffed from the bytes (the name counts only to tell a TIFF-based RAW): JPEG, PNG,
// GIF, HEIC/HEIF, AVIF and WebP are stored as uploaded, originalformat its type (MEDIA.md
// [?]; Config.RefusedFormats answers error 5 instead); TIFF is stored as a JPEG of its
// pixels (MEDIA.md [R]; x/image/tiff decodes, else a pattern of its size; a BigTIFF or a
// TIFF without a readable size answers error 5); RAW, DNG, audio and unknown types answer
// error 5. Videos (MP4, MOV, M4V, 3GP, 3G2, AVI, MPEG-PS/TS, WMV;
// limits VideoMaxUploadBytes, VideoMaxDuration, MaxVideos; VideoUploadsDisabled) become
// photos with media=video: duration and size come from the ISO file's mvhd and first visual
// tkhd, else Config.DefaultVideo; originalformat jpg, url_o a poster drawn at the video's
// size; getInfo's <video ready failed pending duration width height/> (pending for
// Config.VideoProcessing); getSizes adds Video Player, Site MP4, Mobile MP4, HD MP4 (HD
// sources) and, for the owner of a Pro account, Video Original at
// /photos/<nsid>/<id>/play/orig/<originalsecret>/, a redirect to /video/<id>/<secret>/orig.<ext>
// (the transcodes answer 404: the emulator makes none). Derived sizes (Square to Large 1024,
// those no larger than the original) are JPEGs scaled from JPEG/PNG/GIF originals, patterns
// of the right size otherwise. Videos cannot be replaced (error 8). dedup_check=1|2 compares
// the uploaded bytes within the account (error 9 with duplicate_photo_id and
// duplicate_photo_status ACTIVE or DELETED; 2 brings a deleted duplicate back).
//
// Photos: setDates (PHP's intval on date_posted, partial date_taken, granularity 0/4/6/8
// truncating the date), setPerms, setSafetyLevel (getInfo and the safety_level extra show
// 0-2, the method's answer echoes 1-3), setContentType (search's content_type filters on
// it), upload's safety_level, content_type and hidden (hidden photos and other members'
// non-safe ones stay out of others' searches; safe_search applies) all move lastupdate.
// Deleting a photo takes it out of its sets (a set left empty is deleted, a deleted primary
// is replaced by the set's first remaining photo [?]), and recentlyUpdated never reports it.
//
// Behaviours worth knowing: private photos are listed only to their authenticated owner, and
// photos.search finds them only with user_id=me (or the owner's NSID); async uploads stay
// invisible until their ticket completes (Config.TicketDelay); a page past the last one
// repeats the last page; photos.search reaches only Config.SearchCap (4000) results.
// dateupload is the second of the upload (many photos share one; listings sorted by date
// posted break ties by photo id, newest first = highest id first), and lastupdate the
// second of the last change. Photo files (url_o) are served as Flickr's CDN serves them:
// injected faults there are HTTP-level only (5xx, 429, dropped connections, bandwidth),
// never an API error body. Config.Control adds GET /emulator/calls (Calls as JSON) and
// POST /emulator/calls/reset, which are not part of Flickr.
//
// On-disk state (Config.StateDir):
//
//	photos/<id>.<ext>          each original (a video's container extension), written
//	                           atomically (temp file, fsync, rename)
//	state.json                 snapshot: the whole state as one JSON object; JournalSeq names
//	                           the last journal entry it includes (older snapshots lack it: 0)
//	journal.jsonl              changes since the snapshot, one JSON object per line, appended
//	                           and fsynced before the call that made them is answered
//
// A journal entry (journalEntry) holds Seq (consecutive from 1), the id counters after the
// change, and the records the change touched: TagIDs (new tag ids), Photos (whole photo
// records, replaced by id or appended), PhotosGone, Sets (set records; Photos replaces a set's
// photo list, Append extends it), SetOrder (all set ids, when the list or its order changed),
// Tokens/TokensGone, Tickets/TicketsGone and Deleted/DeletedGone (deleted photos remembered
// for dedup_check). Records carry their owner ("" = the primary account, so older state
// loads unchanged). Loading reads state.json, then applies the
// entries with Seq above its JournalSeq; a last line without its newline (a write torn by a
// crash) is ignored, any other undecodable line or a gap in Seq is an error. The snapshot is
// rewritten atomically and the journal emptied when the server opens, after 4096 entries and
// on Close, so a state dir always loads with or without a clean shutdown.
package emulator

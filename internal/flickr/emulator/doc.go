// Package emulator is a faithful stand-in for Flickr, written from Flickr's documented and
// recorded behaviour (see the shared API notes), not from our client: it serves the REST API
// (XML and JSON), OAuth 1.0a, uploads and replaces, and the original photo files from a single
// host, so tests, the demo and the standalone cmd/flickr-emulator can run without Flickr.
//
// It owns: the wire envelopes, OAuth signature checking (with internal/oauth1's primitives),
// Flickr's tag normalisation, paging quirks, upload tickets, photosets, deterministic fault
// injection, call counters and optional on-disk state. It must never import internal/flickr.
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
// Behaviours worth knowing: private photos are listed only to the authenticated owner, and
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
//	photos/<id>.<jpg|png|gif>  each original, written atomically (temp file, fsync, rename)
//	state.json                 snapshot: the whole state as one JSON object; JournalSeq names
//	                           the last journal entry it includes (older snapshots lack it: 0)
//	journal.jsonl              changes since the snapshot, one JSON object per line, appended
//	                           and fsynced before the call that made them is answered
//
// A journal entry (journalEntry) holds Seq (consecutive from 1), the id counters after the
// change, and the records the change touched: TagIDs (new tag ids), Photos (whole photo
// records, replaced by id or appended), PhotosGone, Sets (set records; Photos replaces a set's
// photo list, Append extends it), SetOrder (all set ids, when the list or its order changed),
// Tokens/TokensGone and Tickets/TicketsGone. Loading reads state.json, then applies the
// entries with Seq above its JournalSeq; a last line without its newline (a write torn by a
// crash) is ignored, any other undecodable line or a gap in Seq is an error. The snapshot is
// rewritten atomically and the journal emptied when the server opens, after 4096 entries and
// on Close, so a state dir always loads with or without a clean shutdown.
package emulator

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
package emulator

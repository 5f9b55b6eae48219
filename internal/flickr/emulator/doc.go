// Package emulator is a faithful stand-in for Flickr, written from Flickr's documented and
// recorded behaviour (see the shared API notes), not from our client: it serves the REST API
// (XML and JSON), OAuth 1.0a, uploads and replaces, and the original photo files from a single
// host, so tests, the demo and the standalone cmd/flickr-emulator can run without Flickr.
//
// It owns: the wire envelopes, OAuth signature checking (with internal/oauth1's primitives),
// Flickr's tag normalisation, paging quirks, upload tickets, photosets, deterministic fault
// injection, call counters and optional on-disk state. It must never import internal/flickr.
package emulator

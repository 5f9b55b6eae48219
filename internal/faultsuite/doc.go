// Package faultsuite proves that flickrsync's sync survives failure: its tests run the
// real CLI (in-process through cli.Main, or the built binary in a child process) against
// the emulated Flickr of internal/flickr/emulator, with injected server errors, throttling,
// lost upload answers, kill -9 at random moments and per-file failures (unreadable files,
// files changed or deleted while uploading, photos deleted before their download, a full
// disk), and check that repeated runs converge: every local picture on Flickr exactly once,
// every Flickr photo home once and whole, no partial file left, the catalog in agreement.
//
// The CI runs the short mode with fixed seeds. FLICKRSYNC_FAULT_LONG=1 runs larger,
// randomised libraries (seed from FLICKRSYNC_FAULT_SEED, else the clock, logged so a
// failure can be replayed).
//
// The package holds only tests; their pictures come from internal/syncer/sample.
package faultsuite

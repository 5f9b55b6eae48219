// Package wire adapts the real pieces to the sync engine's interfaces: the Flickr client
// (internal/flickr) to syncer.Flickr, the catalog (internal/catalog) to syncer.Store and
// the scanner (internal/scan) to syncer.Indexer, and builds an engine from a profile's
// settings (Open). Keeping these adapters apart lets package syncer and its tests build
// and run while the other packages change.
package wire

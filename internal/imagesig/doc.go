// Package imagesig computes flickrsync's pixel signature of a picture: the SHA-256 of its
// decoded pixels exactly as ImageMagick 6 exports them (its SignatureImage, which the
// Python flickrsync read through Wand and tagged every Flickr upload with).
//
// It owns format detection (Sniff, from the bytes only), the dispatch to the decoders
// (jpeg, png and gif subpackages, each writing ImageMagick's export layout to a hash), the
// pixel limit and the errors callers test with errors.Is (ErrUnknownFormat, ErrTooLarge).
// It never prints; Sign and SignFile return a Result or an error that says what is wrong.
package imagesig

// Package imagesig computes flickrsync's pixel signature of a picture: the SHA-256 of its
// decoded pixels exactly as ImageMagick 6 exports them (its SignatureImage, which the
// Python flickrsync read through Wand and tagged every Flickr upload with).
//
// It owns format detection (Sniff, from the bytes only), the dispatch to the decoders
// (jpeg, png and gif subpackages, each writing ImageMagick's export layout to a hash), the
// pixel limit, the process's memory budget (Budget: decodes running at once share it; its
// Reserve is every decoder's Reserve option) and the errors callers test: verdicts on the
// bytes (Refused: the decoders' format errors, ErrUnknownFormat, ErrTooLarge) apart from
// failed attempts (ErrRead, ErrOverBudget, and ErrInternal for a decoder bug, which Sign
// recovers and reports with where it happened instead of crashing the caller). It never
// prints; Sign and SignFile return a Result or an error that says what is wrong.
package imagesig

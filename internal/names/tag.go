package names

import "strings"

// The signature machine tag. flickrsync writes flickrsync:signature="<hex>" (the quoted
// form the Python flickrsync wrote); Flickr stores and lists its clean form (API.md §4:
// the namespace and predicate lowercased, the value lowercased with every character that
// is not a letter or a digit dropped), flickrsync:signature=<hex>, which is what a
// listing, a search and the catalog hold.
//
// The Python tool read a photo's signature with the regex
// flickrsync:signature=([0-9a-f]+)( |$) over the photo's machine tags, so only from that
// clean form, lower-case hex: SignatureIn is that rule, one tag at a time (a tag of
// another namespace that merely ends in "flickrsync", which the unanchored regex would
// also have read, is not taken for ours). Upper-case hex or a quoted value are raw forms
// Flickr never lists: they are not read.

const signaturePrefix = App + ":signature="

// SignatureTag is the tag an upload carries and the tag step adds:
// flickrsync:signature="<hex>".
func SignatureTag(sig string) string { return App + `:signature="` + sig + `"` }

// CleanSignatureTag is Flickr's clean form of SignatureTag(sig),
// flickrsync:signature=<hex>: what listings show, and the machine_tags argument of a
// search for the signature.
func CleanSignatureTag(sig string) string { return signaturePrefix + sig }

// SignatureIn reads one tag in Flickr's clean form: the signature when it is
// flickrsync:signature=<lower-case hex>.
func SignatureIn(tag string) (string, bool) {
	v, ok := strings.CutPrefix(tag, signaturePrefix)
	if !ok || v == "" {
		return "", false
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return "", false
		}
	}
	return v, true
}

// SignatureOf is the signature of the first signature tag (SignatureIn) among the
// space-separated tags of each list in turn (a photo's machine tags, then its tags), ""
// when there is none.
func SignatureOf(tagLists ...string) string {
	for _, list := range tagLists {
		if !strings.Contains(list, signaturePrefix) {
			continue // most photos: no tag to split
		}
		for tag := range strings.FieldsSeq(list) {
			if sig, ok := SignatureIn(tag); ok {
				return sig
			}
		}
	}
	return ""
}

// IsSignatureTag reports whether a tag, raw (as typed, maybe quoted or in capitals, as
// photos.getInfo gives it) or clean, is a signature tag of any value: what a swap of a
// photo's signature removes.
func IsSignatureTag(tag string) bool {
	return strings.HasPrefix(strings.ToLower(strings.ReplaceAll(tag, `"`, "")), signaturePrefix)
}

// LivePhotoTag marks the motion video of a Live Photo, uploaded with --live-videos, with
// the signature of its still: flickrsync:livephoto="<hex>". The still is uploaded under
// its own signature tag, so the pair is found on Flickr by that one value.
func LivePhotoTag(stillSig string) string { return App + `:livephoto="` + stillSig + `"` }

// Package oauth1 owns OAuth 1.0a request signing (RFC 5849, HMAC-SHA1) as Flickr applies it:
// percent-encoding, the signature base string, the HMAC-SHA1 signature, and a Signer that adds
// the oauth_* protocol parameters to a request as an Authorization header or as form fields.
//
// The same functions serve both sides: the Flickr client signs with Signer, and the emulator
// verifies by rebuilding the base string with BaseString and comparing Sign's result.
//
// Nothing here performs I/O; the token flow's HTTP exchanges live in package flickr.
package oauth1

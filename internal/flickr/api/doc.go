// Package api holds the wire structs of the Flickr API as the client decodes them: the
// JSON (format=json&nojsoncallback=1) and XML (format=rest, upload, replace) shapes of each
// response the client uses, and the lenient scalar types Flickr's JSON needs (numbers sent
// as 1, "1" or null; text sent as "x" or {"_content":"x"}).
//
// These types are the client's only: the emulator writes its own responses.
package api

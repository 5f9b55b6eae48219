// Package api holds the wire structs of the Flickr API as the client decodes them: the
// JSON (format=json&nojsoncallback=1) and XML (format=rest, upload, replace) shapes of each
// response the client uses, and the lenient scalar types Flickr's JSON needs (numbers sent
// as 1, "1" or null; text sent as "x" or {"_content":"x"}).
//
// It also bounds what decoding an answer costs (bound.go): Check walks a body once,
// linearly, refusing what is beyond Limits before anything is decoded, and
// Answer.Decode unmarshals a checked body on the caller's goroutine, stopping when its
// context ends (stream.go: objects and arrays walked value by value, as json.Unmarshal
// reads them; XML read a few KB at a time).
//
// These types are the client's only: the emulator writes its own responses.
package api

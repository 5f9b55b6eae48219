// Package privacy says who may see each picture flickrsync uploads and how Flickr
// classes it: a Setting (visibility: private, public, friends and/or family; safety
// level; content type; hidden from public searches), the profile's default (is_public,
// is_friend, is_family) and the rules of its privacy key, each a folder pattern in
// gitignore's syntax (package ignore, anchored at the library) with a setting:
//
//	privacy = **        private
//	          family/   friends,family
//	          shots/    screenshot,hidden
//
// A picture's setting is the default overridden, aspect by aspect, by every rule that
// covers it (the pattern matches its path or a folder above it), the later over the
// earlier. Uploads get the whole setting (Rules.For); the sync applies the rules'
// part (Rules.Covered) to photos already on Flickr when it changed since flickrsync last
// set it, and leaves the photos no rule covers as they are.
package privacy

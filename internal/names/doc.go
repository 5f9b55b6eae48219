// Package names owns the names flickrsync writes and reads, each rule in one place for
// every package that needs it (the catalog, the scanner, the Flickr client, the sync
// engine): the signature machine tag, the names of downloaded files and of their
// temporary files, which file names are media (pictures, videos, RAW files), the keys pictures and photos are
// matched by (short name, flat date), and the order in which the copies of one picture
// are kept. It is a leaf: it imports nothing of flickrsync.
package names

// App is the name flickrsync writes into tags, file names, folder and set names.
const App = "flickrsync"

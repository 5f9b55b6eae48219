// Package safeopen opens the files of the library for reading without ever blocking on
// what is not a regular file: a picture swapped for a FIFO (or a device) between the
// index and the upload would otherwise hang open(2) forever, deaf to cancellation.
//
// On Unix the file is opened with O_NONBLOCK (a FIFO's open returns at once), its type
// is checked on the open descriptor (fstat, so no swap can slip in after the check), and
// O_NONBLOCK is cleared for the reads. On Windows the handle's type must be a disk file.
// Anything else is refused with ErrNotRegular, before a single byte is read.
package safeopen

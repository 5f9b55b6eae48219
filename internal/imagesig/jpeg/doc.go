// Package jpeg is a pure-Go JPEG decoder whose output is bit-identical to libjpeg-turbo 2.1's
// default decompression as ImageMagick 6 drives it (the reference of flickrsync's pixel
// signature): ISLOW integer IDCT, fancy upsampling, libjpeg's YCbCr->RGB tables, Huffman and
// arithmetic coding, sequential, progressive and multi-scan images, block smoothing of
// incomplete progressive images, restart markers, and libjpeg's recovery from corrupt and
// truncated data (zero fill, resync, fake EOI), with its warnings. Errors libjpeg or
// ImageMagick raise (12-bit data, lossless, missing tables, files under 107 bytes, ...) are
// errors here too.
//
// Decode writes the pixels of the first image in the byte layout ImageMagick 6 exports for its
// signature: RGB, gray as R=G=B, and CMYK as ImageMagick stores Adobe JPEGs (255 - sample).
//
// Memory: sequential images stream one iMCU row at a time through small sample rings.
// Multi-scan images need all DCT coefficients until the last scan, as in libjpeg; when they
// would take more than Options.MaxBandBytes the image is decoded in bands of iMCU rows from
// per-scan checkpoints of the entropy decoder, reading each scan's data again per band from
// an io.ReadSeeker (see band.go): every row is decoded once. What grows with the image is
// reserved first through Options.Reserve (the process's memory budget, in imagesig). At most
// 64 MB are read before the first scan, and nothing read is kept. Decode checks its ctx
// between rows of blocks.
//
// Time: a Huffman scan whose data ran out for good costs nothing more. An arithmetic scan
// decodes on from the zeros libjpeg feeds after a marker, and a few bytes can carry a
// gigapixel of end-of-block decisions: those runs are computed rather than decoded, exactly
// (arithskip.go). Scans that write every block (100 DC scans, a restart interval of one MCU
// each decoded from zeros) are decoded as libjpeg decodes them, in time proportional to
// scans times blocks.
//
// Only the decoder's own errors (FormatError, UnsupportedError, ErrTooLarge, read errors)
// are recovered from its internal panics; a bug panics on up to the caller.
//
// Files: api.go (exported API), decoder.go (setup), markers.go, immarkers.go, restart.go, input.go,
// huffman.go, progressive.go, arith.go, arithskip.go, scan.go (decoding drivers), idct.go, smooth.go,
// output.go (upsampling, colour conversion), band.go.
package jpeg
